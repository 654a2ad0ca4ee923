//! Parking a scheduler's thread on a driver, and waking it from elsewhere.
//!
//! A scheduler with no task to run calls [`Park::park`] on its driver. The driver blocks the
//! thread until it has something to report: an I/O driver waits in `epoll`, a time driver waits
//! until its earliest deadline, and [`ParkThread`], the bottom of a stack with no I/O, waits on a
//! condition variable. Whoever makes work for a parked scheduler (a waker on another thread, a
//! timer registered with an earlier deadline) calls [`Unparker::unpark`], and the park returns.
//!
//! Drivers stack by composition: a time driver owns the driver below it and parks on it with a
//! timeout equal to the time left before its earliest deadline, so a runtime with both I/O and
//! timers blocks in exactly one system call.
//!
//! An unpark that comes before the park is not lost: it is remembered, and the next park returns
//! at once. Spurious returns from `park` are allowed; callers re-check their queues.

use crate::loom::sync::atomic::{AtomicUsize, Ordering};
use crate::loom::sync::{Condvar, Mutex};
use std::fmt;
// Plain `Arc` even under loom: it only keeps the parker alive, and loom's `Arc` cannot hold a
// trait object.
use std::sync::Arc;
use std::task::{Wake, Waker};
use std::time::Duration;

/// A driver a scheduler blocks its thread on when it has nothing to run.
///
/// Only one thread parks on a driver at a time (`&mut self`); any thread may unpark it through
/// the [`Unparker`] it hands out.
pub trait Park: Send + 'static {
    /// Blocks until unparked or until the driver has events to dispatch.
    fn park(&mut self);

    /// Like [`park`](Park::park), but returns after `timeout` at the latest. A zero timeout
    /// dispatches whatever events are ready without blocking.
    fn park_timeout(&mut self, timeout: Duration);

    /// A handle that wakes this driver from any thread.
    fn unparker(&self) -> Unparker;

    /// Called once when the runtime shuts down. The driver wakes every resource registered with
    /// it so that nothing waits forever on a driver that will never run again.
    fn shutdown(&mut self);
}

/// The wake-up side of a [`Park`] implementation.
pub trait Unpark: Send + Sync + 'static {
    /// Makes the current or next `park` return.
    fn unpark(&self);
}

/// A cloneable, type-erased handle that wakes a parked driver.
#[derive(Clone)]
pub struct Unparker(Arc<dyn Unpark>);

impl Unparker {
    /// Wraps an [`Unpark`] implementation.
    pub fn new(unpark: Arc<dyn Unpark>) -> Unparker {
        Unparker(unpark)
    }

    /// Makes the current or next `park` of the driver return.
    pub fn unpark(&self) {
        self.0.unpark();
    }

    /// A waker that unparks the driver: what a thread blocked on one future (`block_on`)
    /// hands that future, so that a wake from anywhere ends the thread's park.
    ///
    /// ```
    /// use eddy_core::park::{Park, ParkThread};
    ///
    /// let mut park = ParkThread::new();
    /// let waker = park.unparker().into_waker();
    /// std::thread::spawn(move || waker.wake());
    /// park.park(); // returns once the other thread woke the waker
    /// ```
    pub fn into_waker(self) -> Waker {
        Waker::from(Arc::new(UnparkWaker(self)))
    }
}

/// The waker of [`Unparker::into_waker`].
struct UnparkWaker(Unparker);

impl Wake for UnparkWaker {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.0.unpark();
    }
}

impl fmt::Debug for Unparker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Unparker").finish_non_exhaustive()
    }
}

/// A driver with nothing to drive: parks the thread on a condition variable.
///
/// It is the bottom of the driver stack when I/O is disabled.
pub struct ParkThread {
    inner: Arc<ParkInner>,
}

/// The park state machine. `state` moves between three values:
///
/// * `EMPTY`: nobody is parked and no unpark is pending.
/// * `PARKED`: a thread is (about to be) waiting on `condvar`; an unparker must take `lock`
///   before notifying, so the notification cannot fall between the parker's check and its wait.
/// * `NOTIFIED`: an unpark arrived; the next park consumes it and returns at once.
struct ParkInner {
    state: AtomicUsize,
    lock: Mutex<()>,
    condvar: Condvar,
}

const EMPTY: usize = 0;
const PARKED: usize = 1;
const NOTIFIED: usize = 2;

impl ParkThread {
    /// Creates a parker with no pending unpark.
    pub fn new() -> ParkThread {
        ParkThread {
            inner: Arc::new(ParkInner {
                state: AtomicUsize::new(EMPTY),
                lock: Mutex::new(()),
                condvar: Condvar::new(),
            }),
        }
    }
}

impl Default for ParkThread {
    fn default() -> ParkThread {
        ParkThread::new()
    }
}

impl fmt::Debug for ParkThread {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ParkThread").finish_non_exhaustive()
    }
}

impl ParkInner {
    /// Consumes a pending unpark, if there is one. `Acquire` pairs with the unparker's swap so
    /// that whatever it wrote before unparking is visible to the parked thread.
    fn take_notification(&self) -> bool {
        self.state
            .compare_exchange(NOTIFIED, EMPTY, Ordering::Acquire, Ordering::Relaxed)
            .is_ok()
    }

    fn park(&self, timeout: Option<Duration>) {
        if self.take_notification() || timeout == Some(Duration::ZERO) {
            return;
        }
        let mut guard = self.lock.lock();
        match self
            .state
            .compare_exchange(EMPTY, PARKED, Ordering::Acquire, Ordering::Acquire)
        {
            Ok(_) => {}
            Err(NOTIFIED) => {
                // An unpark slipped in between the fast path and taking the lock. A swap, not a
                // store: it reads the latest unpark and acquires what that unparker wrote (a
                // plain store could overwrite a second unpark without synchronising with it).
                self.state.swap(EMPTY, Ordering::Acquire);
                return;
            }
            Err(state) => {
                panic!("eddy: a driver was parked from two threads at once (state {state})")
            }
        }
        match timeout {
            None => loop {
                guard = self.condvar.wait(guard);
                if self.take_notification() {
                    return;
                }
                // A spurious wake-up: the state is still PARKED, wait again.
            },
            Some(timeout) => {
                let _guard = self.condvar.wait_timeout(guard, timeout);
                // Whether notified or timed out, leave the state empty; an unpark that raced
                // with the timeout is consumed here, which is fine: we are awake.
                self.state.swap(EMPTY, Ordering::Acquire);
            }
        }
    }
}

impl Unpark for ParkInner {
    fn unpark(&self) {
        // `Release` publishes the unparker's prior writes to the thread that consumes the
        // notification.
        match self.state.swap(NOTIFIED, Ordering::Release) {
            EMPTY | NOTIFIED => {}
            PARKED => {
                // Taking the lock orders this notification after the parker's wait began.
                drop(self.lock.lock());
                self.condvar.notify_one();
            }
            state => unreachable!("eddy: invalid park state {state}"),
        }
    }
}

impl Park for ParkThread {
    fn park(&mut self) {
        self.inner.park(None);
    }

    fn park_timeout(&mut self, timeout: Duration) {
        self.inner.park(Some(timeout));
    }

    fn unparker(&self) -> Unparker {
        Unparker::new(self.inner.clone())
    }

    fn shutdown(&mut self) {
        // Nothing is registered with a bare thread parker; wake a parked thread, if any.
        self.inner.unpark();
    }
}
