//! Whether the current thread is driving asynchronous tasks.
//!
//! A thread that runs a scheduler's tasks must never block on a future: the future may need that
//! very thread to make progress, and the runtime's other tasks stall meanwhile. The executor marks
//! such threads with [`enter_async_context`] (inside `block_on` and on worker threads) and unmarks
//! them where blocking is allowed again (`block_in_place`). Blocking entry points of crates that
//! do not know the executor (`blocking_recv` in `eddy-sync`, for one) call
//! [`assert_may_block`] and panic with a clear message instead of deadlocking.
//!
//! It also owns the one error every resource returns once its runtime has shut down
//! ([`shutdown_error`]), so that the executor can recognise it ([`is_shutdown_error`]), and
//! the panic messages that several crates give in Tokio's words ([`NO_RUNTIME`],
//! [`SHUTDOWN_MESSAGE`]): programs and tests written for Tokio match on them, so they are
//! written once, here.

use crate::scoped::{Scoped, ThreadLocalSlot};
use std::cell::Cell;
use std::fmt;
use std::io;

/// Tokio's panic message for a resource used on a thread outside any runtime (the reactor, the
/// timer wheel and the blocking pool all give it).
pub const NO_RUNTIME: &str =
    "there is no reactor running, must be called from the context of a Tokio 1.x runtime";

/// The text of [`shutdown_error`], and Tokio's panic message for a timer made in a runtime that
/// is shutting down.
pub const SHUTDOWN_MESSAGE: &str = "A Tokio 1.x context was found, but it is being shutdown.";

thread_local! {
    static DRIVING_TASKS: Cell<bool> = const { Cell::new(false) };
}

/// [`DRIVING_TASKS`], for [`Scoped`].
struct DrivingTasks;

impl ThreadLocalSlot for DrivingTasks {
    type Value = bool;

    #[inline]
    fn swap(driving: bool) -> Option<bool> {
        DRIVING_TASKS.try_with(|flag| flag.replace(driving)).ok()
    }
}

/// Marks this thread as driving asynchronous tasks until the guard is dropped.
pub fn enter_async_context() -> AsyncContextGuard {
    AsyncContextGuard(Scoped::set(true))
}

/// Marks this thread as allowed to block until the guard is dropped (`block_in_place`).
pub fn exit_async_context() -> AsyncContextGuard {
    AsyncContextGuard(Scoped::set(false))
}

/// Whether this thread is currently driving asynchronous tasks.
pub fn is_driving_tasks() -> bool {
    DRIVING_TASKS.with(Cell::get)
}

/// Panics if this thread is driving asynchronous tasks, naming the blocking call.
#[track_caller]
pub fn assert_may_block() {
    if is_driving_tasks() {
        panic!(
            "Cannot block the current thread from within a runtime. This happens because a \
             function attempted to block the current thread while the thread is being used to \
             drive asynchronous tasks."
        );
    }
}

/// Restores the thread's previous marking when dropped.
#[must_use = "the marking is undone when the guard is dropped"]
pub struct AsyncContextGuard(Scoped<DrivingTasks>);

impl fmt::Debug for AsyncContextGuard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The flag has no destructor, so its slot is never gone and there is always a previous.
        f.debug_struct("AsyncContextGuard")
            .field("previous", &self.0.previous().copied().unwrap_or(false))
            .finish()
    }
}

/// The error of an operation on a resource whose runtime (its driver) has shut down.
pub fn shutdown_error() -> io::Error {
    io::Error::other(SHUTDOWN_MESSAGE)
}

/// Whether `error` is a [`shutdown_error`]: of kind `Other`, wrapping an error with exactly its
/// text and no source. An error that only contains the text is not one.
pub fn is_shutdown_error(error: &io::Error) -> bool {
    error.kind() == io::ErrorKind::Other
        && error
            .get_ref()
            .is_some_and(|inner| inner.source().is_none() && inner.to_string() == SHUTDOWN_MESSAGE)
}
