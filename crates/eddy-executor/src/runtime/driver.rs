//! The driver stack a runtime parks on, and entering the drivers' contexts.
//!
//! The bottom is the reactor (`eddy_reactor::driver::Driver`) when I/O is enabled, else a
//! condition variable (`eddy_core::ParkThread`); the time driver wraps it when time is enabled.
//! A runtime without the time driver still has a clock (`TimeContext::ClockOnly`), so that
//! `Instant::now` and the `test-util` pause functions behave as on any runtime.
//! The scheduler sees one `Box<dyn Park>` and one `Unparker`. Each driver crate keeps its own
//! thread-local current handle; [`Handle::enter`] sets all of them for a thread that runs in the
//! runtime's context.

use eddy_core::park::{Park, ParkThread, Unparker};
use std::fmt;
use std::io;
use std::time::Duration;

/// What the builder asked for. Without the `io` or `time` feature some fields have no driver to
/// configure.
#[derive(Debug, Clone, Copy)]
#[cfg_attr(not(all(feature = "io", feature = "time")), allow(dead_code))]
pub(crate) struct Config {
    pub(crate) enable_io: bool,
    /// Events the reactor takes per poll, and per poll that does not wait.
    pub(crate) io_events_per_tick: usize,
    pub(crate) io_events_per_busy_tick: Option<usize>,
    pub(crate) enable_time: bool,
    /// Whether the clock may be paused (current-thread runtimes only).
    pub(crate) enable_pause_time: bool,
    pub(crate) start_paused: bool,
}

/// The top of the driver stack, owned by whichever thread drives the runtime.
pub(crate) struct Driver {
    park: Box<dyn Park>,
}

/// Handles to the drivers, shared by every thread of the runtime.
#[derive(Clone)]
pub(crate) struct Handle {
    unparker: Unparker,
    #[cfg(feature = "time")]
    time: eddy_time::driver::TimeContext,
    #[cfg(feature = "io")]
    io: Option<eddy_reactor::driver::Handle>,
}

impl Driver {
    /// Builds the stack `config` asks for.
    pub(crate) fn new(config: Config) -> io::Result<(Driver, Handle)> {
        let (bottom, io) = bottom_driver(config)?;
        let (park, time) = wrap_with_time(bottom, config);
        let handle = Handle {
            unparker: park.unparker(),
            #[cfg(feature = "time")]
            time,
            #[cfg(feature = "io")]
            io,
        };
        // Without the feature the handle is `()`: nothing to keep.
        #[cfg(not(feature = "time"))]
        let () = time;
        #[cfg(not(feature = "io"))]
        let () = io;
        Ok((Driver { park }, handle))
    }

    /// Blocks until unparked or a driver has events.
    pub(crate) fn park(&mut self) {
        self.park.park();
    }

    /// Dispatches ready events without blocking.
    pub(crate) fn poll_events(&mut self) {
        self.park.park_timeout(Duration::ZERO);
    }

    /// Wakes every resource still registered with the drivers.
    pub(crate) fn shutdown(&mut self) {
        self.park.shutdown();
    }
}

#[cfg(feature = "io")]
type IoHandle = Option<eddy_reactor::driver::Handle>;
#[cfg(not(feature = "io"))]
type IoHandle = ();

#[cfg(feature = "time")]
type TimeHandle = eddy_time::driver::TimeContext;
#[cfg(not(feature = "time"))]
type TimeHandle = ();

#[cfg(feature = "io")]
fn bottom_driver(config: Config) -> io::Result<(Box<dyn Park>, IoHandle)> {
    if config.enable_io {
        let (driver, handle) = eddy_reactor::driver::Driver::with_capacity(
            config.io_events_per_tick,
            config.io_events_per_busy_tick,
        )?;
        Ok((Box::new(driver), Some(handle)))
    } else {
        Ok((Box::new(ParkThread::new()), None))
    }
}

#[cfg(not(feature = "io"))]
fn bottom_driver(_config: Config) -> io::Result<(Box<dyn Park>, IoHandle)> {
    Ok((Box::new(ParkThread::new()), ()))
}

#[cfg(feature = "time")]
fn wrap_with_time(bottom: Box<dyn Park>, config: Config) -> (Box<dyn Park>, TimeHandle) {
    use eddy_time::driver::{Clock, TimeContext};
    let clock = Clock::new(config.enable_pause_time, config.start_paused);
    if config.enable_time {
        let (driver, handle) = eddy_time::driver::Driver::new(bottom, clock);
        (Box::new(driver), TimeContext::Driver(handle))
    } else {
        (bottom, TimeContext::ClockOnly(clock))
    }
}

#[cfg(not(feature = "time"))]
fn wrap_with_time(bottom: Box<dyn Park>, _config: Config) -> (Box<dyn Park>, TimeHandle) {
    (bottom, ())
}

impl Handle {
    /// Wakes the thread parked on the driver stack (or makes its next park return).
    pub(crate) fn unpark(&self) {
        self.unparker.unpark();
    }

    /// Tells the time driver that a task was queued on the thread that drives it, without a
    /// system call. The queueing may happen inside the driver's own park (an I/O event woke
    /// the task), and a paused clock must not auto-advance while that task waits to run.
    /// Without `test-util` the clock cannot auto-advance, so there is nothing to tell.
    pub(crate) fn note_local_wake(&self) {
        #[cfg(feature = "test-util")]
        if let eddy_time::driver::TimeContext::Driver(time) = &self.time {
            time.note_wake();
        }
    }

    /// The time driver's clock, if time is enabled (the blocking pool inhibits its
    /// auto-advance; a clock without a driver never auto-advances).
    #[cfg(feature = "test-util")]
    pub(crate) fn clock(&self) -> Option<&eddy_time::driver::Clock> {
        match &self.time {
            eddy_time::driver::TimeContext::Driver(time) => Some(time.clock()),
            eddy_time::driver::TimeContext::ClockOnly(_) => None,
        }
    }

    /// The I/O driver's handle, if I/O is enabled (for the runtime's metrics).
    #[cfg(feature = "io")]
    pub(crate) fn io(&self) -> Option<&eddy_reactor::driver::Handle> {
        self.io.as_ref()
    }

    /// Makes these drivers the current thread's until the guard is dropped.
    pub(crate) fn enter(&self) -> EnterGuard {
        EnterGuard {
            #[cfg(feature = "time")]
            _time: eddy_time::driver::enter(self.time.clone()),
            #[cfg(feature = "io")]
            _io: eddy_reactor::driver::enter(self.io.clone()),
        }
    }
}

/// Restores the previous drivers' contexts when dropped.
pub(crate) struct EnterGuard {
    #[cfg(feature = "time")]
    _time: eddy_time::driver::EnterGuard,
    #[cfg(feature = "io")]
    _io: eddy_reactor::driver::EnterGuard,
}

impl fmt::Debug for Driver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Driver").finish_non_exhaustive()
    }
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("driver::Handle").finish_non_exhaustive()
    }
}
