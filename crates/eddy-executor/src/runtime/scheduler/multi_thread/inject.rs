//! The injection queue: tasks that have no worker yet (spawned from outside the runtime, woken
//! from a non-worker thread, or pushed out of a full local queue), shared by every worker.
//!
//! A `Mutex` around a `VecDeque`, plus a length kept in an atomic so that workers can skip the
//! lock when the queue is empty, which is the common case on a busy runtime. The length is only
//! written under the lock; a reader outside the lock may see a slightly stale value, which is
//! harmless because the park protocol (`idle.rs`) re-checks the queue after a `SeqCst` fence
//! before any worker sleeps.
//!
//! Once [`Inject::close`] has been called (runtime shutdown) the queue refuses new tasks from
//! outside: [`Inject::push`] hands the task back so the caller can release it once no borrow of
//! the task is live. Workers' overflow batches are still accepted and drained by shutdown.
//!
//! Workers poll the injection queue every `global_queue_interval` ticks even when their local
//! queue has work (see [`is_global_tick`]), so remote work never starves behind local work.
//! Unless the builder fixes the interval, each worker tunes its own from its mean poll time
//! ([`tuned_global_queue_interval`]): slow tasks mean fewer ticks between two looks.

use crate::loom::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use crate::loom::sync::Mutex;
use std::collections::vec_deque::{Drain, VecDeque};
use std::fmt;

/// How many ticks a multi-thread worker runs between two checks of the injection queue before it
/// has measured its poll times, when `Builder::global_queue_interval` does not fix it.
pub(crate) const MULTI_THREAD_INITIAL_GLOBAL_QUEUE_INTERVAL: u32 = 61;

/// How long a task in the injection queue should wait at most behind a busy worker's local work:
/// the tuned interval is this divided by the worker's mean poll time.
const TARGET_GLOBAL_QUEUE_LATENCY_NANOS: f64 = 200_000.0;

/// The bounds of the tuned interval: at least every 2 ticks (however slow the polls), at most
/// every 127 (however fast), so neither the queue's lock nor remote work's latency dominates.
const TUNED_INTERVAL_BOUNDS: (u32, u32) = (2, 127);

/// The interval a worker whose polls take `mean_poll_nanos` on average uses (Tokio tunes the
/// same way, aiming at the same latency): as many ticks as fit in the target latency.
pub(crate) fn tuned_global_queue_interval(mean_poll_nanos: f64) -> u32 {
    let (min, max) = TUNED_INTERVAL_BOUNDS;
    let ticks = TARGET_GLOBAL_QUEUE_LATENCY_NANOS / mean_poll_nanos.max(1.0);
    // In range after the clamp, so the cast is exact up to the fraction it drops.
    ticks.clamp(f64::from(min), f64::from(max)) as u32
}

/// Whether the worker's `tick` (incremented once per task it runs) is one at which it must look at
/// the injection queue before its local queue.
pub(crate) fn is_global_tick(tick: u32, interval: u32) -> bool {
    tick % interval == 0
}

/// The shared FIFO of tasks that no worker owns yet.
pub(crate) struct Inject<T> {
    len: AtomicUsize,
    /// Mirrors `State::closed` so workers can check for shutdown without the lock.
    closed: AtomicBool,
    state: Mutex<State<T>>,
}

struct State<T> {
    tasks: VecDeque<T>,
    closed: bool,
}

impl<T> Inject<T> {
    /// Creates an empty, open queue.
    pub(crate) fn new() -> Inject<T> {
        Inject {
            len: AtomicUsize::new(0),
            closed: AtomicBool::new(false),
            state: Mutex::new(State {
                tasks: VecDeque::new(),
                closed: false,
            }),
        }
    }

    /// The number of queued tasks (a snapshot).
    pub(crate) fn len(&self) -> usize {
        self.len.load(Ordering::Acquire)
    }

    /// Whether the queue looks empty (a snapshot).
    pub(crate) fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Appends a task; gives it back if the queue is closed.
    pub(crate) fn push(&self, task: T) -> Result<(), T> {
        let mut state = self.state.lock();
        if state.closed {
            return Err(task);
        }
        state.tasks.push_back(task);
        self.len.store(state.tasks.len(), Ordering::Release);
        Ok(())
    }

    /// Appends every task of `tasks` under one lock, even once closed: only workers call this
    /// (overflow from a local queue), and shutdown drains the queue after the workers stopped.
    pub(crate) fn push_batch(&self, tasks: impl Iterator<Item = T>) {
        let mut state = self.state.lock();
        state.tasks.extend(tasks);
        self.len.store(state.tasks.len(), Ordering::Release);
    }

    /// Takes the oldest task.
    pub(crate) fn pop(&self) -> Option<T> {
        if self.is_empty() {
            return None;
        }
        let mut state = self.state.lock();
        let task = state.tasks.pop_front();
        self.len.store(state.tasks.len(), Ordering::Release);
        task
    }

    /// Takes up to `max` of the oldest tasks under one lock: the first is returned, the others
    /// are handed to `rest` while the lock is held (a worker moves them into its local queue).
    pub(crate) fn pop_batch(&self, max: usize, rest: impl FnOnce(Drain<'_, T>)) -> Option<T> {
        if self.is_empty() || max == 0 {
            return None;
        }
        let mut state = self.state.lock();
        let first = state.tasks.pop_front()?;
        let extra = (max - 1).min(state.tasks.len());
        rest(state.tasks.drain(..extra));
        self.len.store(state.tasks.len(), Ordering::Release);
        Some(first)
    }

    /// Closes the queue for shutdown. Returns `false` if it was already closed.
    pub(crate) fn close(&self) -> bool {
        let mut state = self.state.lock();
        self.closed.store(true, Ordering::Release);
        !std::mem::replace(&mut state.closed, true)
    }

    /// Whether [`close`](Inject::close) has been called.
    pub(crate) fn is_closed(&self) -> bool {
        self.closed.load(Ordering::Acquire)
    }
}

impl<T> fmt::Debug for Inject<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Inject").field("len", &self.len()).finish()
    }
}
