//! The thread's current time driver.
//!
//! The executor enters a runtime's [`TimeContext`] on every thread that runs in that runtime's
//! context ([`enter`]); `sleep`, `interval` and `timeout` find the driver here. The slot has
//! three states, which give three different answers to a timer created on this thread: no
//! runtime at all (`None`), a runtime built without timers ([`TimeContext::ClockOnly`]), and a
//! runtime with timers ([`TimeContext::Driver`]).
//!
//! Every runtime has a clock, timers or not (as in Tokio, where `start_paused` and `pause` work
//! on a current-thread runtime without `enable_time`). The current context's clock is the
//! current clock: [`now`] reads it (for `Instant::now`), and the `test-util` functions `pause`,
//! `resume` and `advance` find it through [`try_current_context`].

use super::Handle;
use crate::clock::Clock;
use eddy_core::scoped::{Scoped, ThreadLocalSlot};
use std::cell::RefCell;
use std::fmt;
use std::marker::PhantomData;

// Tokio's own words: programs and tests written for Tokio match on these messages. The ones
// other crates give too live in `eddy_core::context`.
pub(crate) use eddy_core::context::{NO_RUNTIME, SHUTDOWN_MESSAGE as SHUTTING_DOWN};
pub(crate) const TIMERS_DISABLED: &str = "A Tokio 1.x context was found, but timers are disabled. \
     Call `enable_time` on the runtime builder to enable timers.";

/// What a runtime offers the time functions of the threads in its context.
#[derive(Clone, Debug)]
pub enum TimeContext {
    /// A time driver: timers work, and the driver's clock is the runtime's clock.
    Driver(Handle),
    /// No time driver (a runtime built without timers): creating a timer panics with a message
    /// that says how to enable them, but the runtime still has its clock, which
    /// `Instant::now` reads and `pause`, `resume` and `advance` act on.
    ClockOnly(Clock),
}

impl TimeContext {
    /// The runtime's clock.
    pub fn clock(&self) -> &Clock {
        match self {
            TimeContext::Driver(handle) => handle.clock(),
            TimeContext::ClockOnly(clock) => clock,
        }
    }
}

impl From<Handle> for TimeContext {
    fn from(handle: Handle) -> TimeContext {
        TimeContext::Driver(handle)
    }
}

type Current = RefCell<Option<TimeContext>>;

crate::loom::thread_local! {
    static CURRENT: Current = const { RefCell::new(None) };
}

/// [`CURRENT`], for [`Scoped`]; `try_with`: a runtime dropped while the thread exits may find
/// the slot already gone.
struct CurrentDriver;

impl ThreadLocalSlot for CurrentDriver {
    type Value = Option<TimeContext>;

    #[inline]
    fn swap(context: Option<TimeContext>) -> Option<Option<TimeContext>> {
        CURRENT.try_with(|current| current.replace(context)).ok()
    }
}

/// Makes `context` (a driver's [`Handle`], or a [`TimeContext`]) this thread's current time
/// context until the guard is dropped.
pub fn enter(context: impl Into<TimeContext>) -> EnterGuard {
    EnterGuard {
        _previous: Scoped::set(Some(context.into())),
        _not_send: PhantomData,
    }
}

/// Restores the previous current time driver when dropped. Guards must be dropped in the reverse
/// order of their `enter` calls, on the thread that made them.
#[must_use = "the time driver is left again when the guard is dropped"]
pub struct EnterGuard {
    _previous: Scoped<CurrentDriver>,
    /// `!Send` (it restores this thread's slot) but `Sync`, so the runtime's guard can be.
    _not_send: PhantomData<std::sync::MutexGuard<'static, ()>>,
}

impl fmt::Debug for EnterGuard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EnterGuard").finish_non_exhaustive()
    }
}

/// This thread's current time driver.
///
/// # Panics
/// Outside a runtime, or in a runtime built without timers; at the location of the caller's
/// caller chain (`sleep`, `timeout`, ...), so the message points at user code.
#[track_caller]
pub(crate) fn current() -> Handle {
    // Out of the closure first: `#[track_caller]` does not reach into closures.
    match CURRENT.with(|current| current.borrow().clone()) {
        Some(TimeContext::Driver(handle)) => handle,
        Some(TimeContext::ClockOnly(_)) => panic!("{TIMERS_DISABLED}"),
        None => panic!("{NO_RUNTIME}"),
    }
}

/// This thread's current time context, if it is in a runtime.
#[cfg(feature = "test-util")]
pub(crate) fn try_current_context() -> Option<TimeContext> {
    CURRENT
        .try_with(|current| current.borrow().clone())
        .ok()
        .flatten()
}

/// The current time: the current runtime's clock inside a runtime, the system's outside.
pub(crate) fn now() -> std::time::Instant {
    #[cfg(any(feature = "test-util", loom))]
    {
        // `try_with`: while the thread exits its context may be gone; that is no runtime.
        CURRENT
            .try_with(|current| match &*current.borrow() {
                Some(context) => context.clock().now(),
                None => std::time::Instant::now(),
            })
            .unwrap_or_else(|_| std::time::Instant::now())
    }
    #[cfg(not(any(feature = "test-util", loom)))]
    {
        std::time::Instant::now()
    }
}
