//! `Barrier`: lets a fixed number of tasks wait for each other.
//!
//! A mutex guards the count of arrivals and a generation number. The arrival that completes a
//! generation is its leader: it resets the count, bumps the generation and wakes everyone with
//! `notify_waiters`. The others create their `Notified` while still holding the mutex, so the
//! leader's wake cannot come between their arrival and their wait.

use crate::loom::sync::Mutex;
use crate::trace::{self, Resource, Source};
use crate::Notify;
use std::fmt;
use std::future::Future;

/// A barrier for `n` tasks. See the module docs.
///
/// ```
/// use eddy_sync::Barrier;
/// use std::sync::Arc;
///
/// let barrier = Arc::new(Barrier::new(3));
/// let handles: Vec<_> = (0..3)
///     .map(|_| {
///         let barrier = barrier.clone();
///         std::thread::spawn(move || {
///             eddy_core::block_on::block_on(&mut eddy_core::ParkThread::new(), barrier.wait())
///                 .is_leader()
///         })
///     })
///     .collect();
/// let leaders = handles.into_iter().map(|h| h.join().unwrap()).filter(|&leader| leader);
/// assert_eq!(leaders.count(), 1);
/// ```
pub struct Barrier {
    state: Mutex<BarrierState>,
    notify: Notify,
    n: usize,
    resource: Resource,
}

#[derive(Debug)]
struct BarrierState {
    arrived: usize,
    generation: usize,
}

/// What [`Barrier::wait`] returns: whether this task was the generation's leader.
#[derive(Debug, Clone)]
pub struct BarrierWaitResult(bool);

impl BarrierWaitResult {
    /// Whether this task completed the generation (exactly one task per generation is).
    pub fn is_leader(&self) -> bool {
        self.0
    }
}

impl Barrier {
    /// A barrier for `n` tasks (`0` behaves as `1`).
    #[track_caller]
    pub fn new(n: usize) -> Barrier {
        let n = n.max(1);
        Barrier {
            state: Mutex::new(BarrierState {
                arrived: 0,
                generation: 0,
            }),
            notify: Notify::new(),
            n,
            resource: Resource::barrier(n),
        }
    }

    /// Waits until `n` tasks have called `wait`; one of them is told it is the leader.
    ///
    /// Cancel safety: not cancel safe. A dropped `wait` still counts as arrived.
    //
    // A plain `fn` returning the future rather than an `async fn`: without the `tracing`
    // feature the future is exactly the waiting one, with no wrapper around it.
    pub fn wait(&self) -> impl Future<Output = BarrierWaitResult> + '_ {
        let source = Source::new("Barrier::wait");
        trace::async_op(&self.resource, source, self.arrive_and_wait())
    }

    async fn arrive_and_wait(&self) -> BarrierWaitResult {
        let (generation, notified) = {
            let mut state = self.state.lock();
            state.arrived += 1;
            if state.arrived == self.n {
                state.arrived = 0;
                // Compared for equality only: wrapping keeps a 32-bit target from panicking.
                state.generation = state.generation.wrapping_add(1);
                self.resource.generation_released();
                drop(state);
                self.notify.notify_waiters();
                return BarrierWaitResult(true);
            }
            self.resource.arrived();
            (state.generation, self.notify.notified())
        };
        let mut notified = std::pin::pin!(notified);
        loop {
            notified.as_mut().await;
            if self.state.lock().generation != generation {
                return BarrierWaitResult(false);
            }
            notified.set(self.notify.notified());
        }
    }
}

impl fmt::Debug for Barrier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Barrier")
            .field("n", &self.n)
            .finish_non_exhaustive()
    }
}
