//! The time driver: a [`Park`] layer that fires timers.
//!
//! The driver wraps the driver below it (the reactor, or a [`ParkThread`](eddy_core::ParkThread)
//! when I/O is off). Asked to park, it reads the earliest due slot of its timing wheel and parks
//! the inner driver until then at most; when the inner park returns it fires every timer that
//! came due, waking their tasks after releasing the wheel's lock. With a paused clock and nothing
//! else to do, it moves the clock to the next deadline instead of sleeping.
//!
//! On [`shutdown`](Park::shutdown) (or when dropped) the driver fires every timer, so no task
//! waits forever on it. Polling a timer of a shut-down driver afterwards panics with "An eddy
//! context was found, but it is being shutdown.", as Tokio does.
//!
//! ```
//! use eddy_core::{block_on::block_on, ParkThread};
//! use eddy_time::driver::{self, Clock, Driver};
//! use eddy_time::{sleep, Duration, Instant};
//!
//! let (mut driver, handle) = Driver::new(Box::new(ParkThread::new()), Clock::new(false, false));
//! let _context = driver::enter(handle);
//! let start = Instant::now();
//! block_on(&mut driver, sleep(Duration::from_millis(5)));
//! assert!(start.elapsed() >= Duration::from_millis(5));
//! ```

mod current;
mod entry;
mod handle;
mod timer;
mod wheel;

pub use crate::clock::Clock;
#[cfg(feature = "test-util")]
pub(crate) use current::try_current_context;
pub(crate) use current::{current, now};
pub use current::{enter, EnterGuard, TimeContext};
pub use handle::Handle;
pub(crate) use timer::Timer;

use eddy_core::park::{Park, Unparker};
use eddy_core::wake::wake_all;
use std::fmt;
use std::task::Waker;
use std::time::Duration;

/// The time driver, to be parked on by a scheduler.
pub struct Driver {
    inner: Box<dyn Park>,
    handle: Handle,
    /// Wakers of fired timers, kept between parks to reuse the allocation.
    fired: Vec<Waker>,
}

impl Driver {
    /// Wraps `inner`, reading time from `clock`. The handle files timers with this driver from
    /// any thread.
    pub fn new(inner: Box<dyn Park>, clock: Clock) -> (Driver, Handle) {
        let handle = Handle::new(clock, inner.unparker());
        let driver = Driver {
            inner,
            handle: handle.clone(),
            fired: Vec::new(),
        };
        (driver, handle)
    }

    fn park_until_next_timer(&mut self, limit: Option<Duration>) {
        match self.handle.prepare_to_park() {
            Some(deadline) => {
                let mut timeout = self.handle.time_until(deadline);
                if let Some(limit) = limit {
                    timeout = timeout.min(limit);
                }
                self.park_or_advance(timeout);
            }
            None => match limit {
                Some(limit) => self.inner.park_timeout(limit),
                None => self.inner.park(),
            },
        }
        self.handle.process(&mut self.fired);
        self.wake_fired();
    }

    /// Parks the inner driver for `timeout`, or, on a paused clock, checks it without blocking
    /// and, if nothing woke the runtime meanwhile, moves the clock forward by `timeout`.
    fn park_or_advance(&mut self, timeout: Duration) {
        let clock = self.handle.clock();
        if clock.can_auto_advance() {
            self.inner.park_timeout(Duration::ZERO);
            if !self.handle.take_did_wake() {
                self.handle.clock().advance(timeout);
            }
        } else {
            self.inner.park_timeout(timeout);
        }
    }

    /// Wakes the fired timers' tasks, every one even if a waker panics (its panic resumes
    /// after the last wake).
    fn wake_fired(&mut self) {
        wake_all(self.fired.drain(..));
    }

    fn shutdown_timers(&mut self) -> bool {
        let first = self.handle.shutdown(&mut self.fired);
        self.wake_fired();
        first
    }
}

impl Park for Driver {
    fn park(&mut self) {
        self.park_until_next_timer(None);
    }

    fn park_timeout(&mut self, timeout: Duration) {
        self.park_until_next_timer(Some(timeout));
    }

    fn unparker(&self) -> Unparker {
        self.handle.unparker()
    }

    fn shutdown(&mut self) {
        if self.shutdown_timers() {
            self.inner.shutdown();
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // A driver dropped without `shutdown` still must not leave a timer waiting forever.
        self.shutdown_timers();
    }
}

impl fmt::Debug for Driver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Driver")
            .field("handle", &self.handle)
            .finish_non_exhaustive()
    }
}
