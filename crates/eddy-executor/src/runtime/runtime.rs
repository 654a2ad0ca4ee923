//! `Runtime`: owns a scheduler, its drivers and its blocking pool.

use super::blocking::BlockingPool;
use super::scheduler::Scheduler;
use super::{context, EnterGuard, Handle};
use crate::runtime::task::trace;
use crate::runtime::task::JoinHandle;
use std::fmt;
use std::future::Future;
use std::io;
use std::panic::{Location, RefUnwindSafe, UnwindSafe};
use std::time::{Duration, Instant};

/// An eddy runtime: a scheduler, a driver stack and a blocking pool.
///
/// ```
/// use eddy_executor::runtime::Builder;
///
/// let rt = Builder::new_current_thread().build().unwrap();
/// let handle = rt.spawn(async { "hello" });
/// assert_eq!(rt.block_on(handle).unwrap(), "hello");
/// ```
pub struct Runtime {
    scheduler: Scheduler,
    handle: Handle,
    blocking_pool: BlockingPool,
}

/// Whether `error` is the error an I/O resource returns once the runtime it was registered with
/// has shut down (as opposed to an error of the operation itself).
///
/// ```
/// use eddy_executor::runtime::is_rt_shutdown_err;
///
/// let other = std::io::Error::other("connection reset");
/// assert!(!is_rt_shutdown_err(&other));
/// ```
pub fn is_rt_shutdown_err(error: &io::Error) -> bool {
    eddy_core::context::is_shutdown_error(error)
}

impl Runtime {
    pub(crate) fn from_parts(
        scheduler: Scheduler,
        handle: Handle,
        blocking_pool: BlockingPool,
    ) -> Runtime {
        Runtime {
            scheduler,
            handle,
            blocking_pool,
        }
    }

    /// The scheduler, for unit tests of its internals.
    #[cfg(all(test, not(loom)))]
    pub(crate) fn scheduler(&self) -> &Scheduler {
        &self.scheduler
    }

    /// A view of the runtime's metrics.
    pub fn metrics(&self) -> super::RuntimeMetrics {
        self.handle.metrics()
    }

    /// A handle to this runtime.
    pub fn handle(&self) -> &Handle {
        &self.handle
    }

    /// Spawns a task on this runtime.
    #[track_caller]
    pub fn spawn<F>(&self, future: F) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        self.handle.spawn(future)
    }

    /// Runs a blocking closure on this runtime's blocking pool.
    #[track_caller]
    pub fn spawn_blocking<F, R>(&self, func: F) -> JoinHandle<R>
    where
        F: FnOnce() -> R + Send + 'static,
        R: Send + 'static,
    {
        self.handle.spawn_blocking(func)
    }

    /// Runs `future` to completion on the calling thread, driving the runtime's tasks and
    /// drivers meanwhile, and returns its output.
    ///
    /// # Panics
    ///
    /// Panics when called from inside a runtime (in `block_on` or in a task).
    #[track_caller]
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        let _runtime = context::enter_runtime();
        let _context = self.handle.inner.enter();
        let future = trace::instrument_block_on(future, Location::caller());
        self.scheduler.block_on(&self.handle.inner, future)
    }

    /// Enters the runtime's context on this thread until the guard is dropped.
    pub fn enter(&self) -> EnterGuard<'_> {
        self.handle.enter()
    }

    /// Shuts the runtime down, waiting at most `duration` in all for the workers to stop and for
    /// blocking tasks that are running.
    ///
    /// # Panics
    ///
    /// Panics when called inside a runtime (in `block_on` or in a task) with a non-zero
    /// `duration`, before waiting for anything.
    pub fn shutdown_timeout(mut self, duration: Duration) {
        let deadline = Instant::now().checked_add(duration);
        self.scheduler.shutdown(&self.handle.inner, Some(duration));
        // One budget for both waits: the pool gets what the scheduler left of it.
        let left = deadline.map_or(duration, |deadline| {
            deadline.saturating_duration_since(Instant::now())
        });
        self.blocking_pool.shutdown(Some(left));
    }

    /// Shuts the runtime down without waiting for running blocking tasks.
    pub fn shutdown_background(self) {
        self.shutdown_timeout(Duration::ZERO);
    }
}

impl Drop for Runtime {
    fn drop(&mut self) {
        self.scheduler.shutdown(&self.handle.inner, None);
        self.blocking_pool.shutdown(None);
    }
}

// As for `Handle`: a panic leaves the scheduler's locks and atomics consistent.
impl UnwindSafe for Runtime {}
impl RefUnwindSafe for Runtime {}

impl fmt::Debug for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Runtime")
            .field("flavor", &self.handle.runtime_flavor())
            .finish_non_exhaustive()
    }
}
