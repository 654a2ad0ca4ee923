//! The current thread's reactor, set by [`enter`].
//!
//! A thread is in one of three states: outside any runtime, in a runtime without I/O, or in a
//! runtime with I/O. Socket constructors look the handle up here and panic with a message
//! that says which of the first two went wrong.

use super::Handle;
use eddy_core::scoped::{Scoped, ThreadLocalSlot};
use std::cell::RefCell;
use std::error::Error;
use std::fmt;

#[derive(Clone)]
enum Current {
    NoRuntime,
    IoDisabled,
    Enabled(Handle),
}

thread_local! {
    static CURRENT: RefCell<Current> = const { RefCell::new(Current::NoRuntime) };
}

/// [`CURRENT`], for [`Scoped`]; `try_with`: a runtime dropped while the thread exits may find
/// the slot already gone.
struct CurrentReactor;

impl ThreadLocalSlot for CurrentReactor {
    type Value = Current;

    #[inline]
    fn swap(next: Current) -> Option<Current> {
        CURRENT.try_with(|current| current.replace(next)).ok()
    }
}

/// Sets this thread's reactor until the guard is dropped. `None` means "a runtime without
/// I/O": using a socket then panics with a message asking for `enable_io`.
pub fn enter(handle: Option<Handle>) -> EnterGuard {
    let next = handle.map_or(Current::IoDisabled, Current::Enabled);
    EnterGuard {
        _previous: Scoped::set(next),
    }
}

/// Restores the previous reactor when dropped.
#[must_use = "the reactor is left when the guard is dropped"]
pub struct EnterGuard {
    _previous: Scoped<CurrentReactor>,
}

impl fmt::Debug for EnterGuard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EnterGuard").finish_non_exhaustive()
    }
}

/// Why there is no current reactor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TryCurrentError {
    io_disabled: bool,
}

impl TryCurrentError {
    /// Whether a runtime is entered, but it was built without I/O.
    pub fn is_io_disabled(&self) -> bool {
        self.io_disabled
    }
}

impl fmt::Display for TryCurrentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.io_disabled {
            f.write_str(
                "A Tokio 1.x context was found, but IO is disabled. \
                 Call `enable_io` on the runtime builder to enable IO.",
            )
        } else {
            f.write_str(eddy_core::context::NO_RUNTIME)
        }
    }
}

impl Error for TryCurrentError {}

pub(crate) fn current() -> Result<Handle, TryCurrentError> {
    CURRENT.with(|current| match &*current.borrow() {
        Current::Enabled(handle) => Ok(handle.clone()),
        Current::IoDisabled => Err(TryCurrentError { io_disabled: true }),
        Current::NoRuntime => Err(TryCurrentError { io_disabled: false }),
    })
}
