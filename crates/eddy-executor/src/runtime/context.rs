//! What a thread knows about its part in running a runtime, below the schedulers (the current
//! scheduler handle is `scheduler/current.rs`'s, the id of the task being polled `task/id.rs`'s).
//!
//! One thread-local holds:
//!
//! * whether the thread is driving a runtime (`block_on`), which makes a nested `block_on` panic;
//!   the same guards set `eddy_core::context`'s mark, so blocking calls of other crates
//!   (`blocking_recv`) panic on such a thread too, and `exit_runtime` clears both;
//! * whether `block_in_place` may hand this thread's worker away: not while a `LocalSet` is
//!   driven or dropped here, since its `!Send` tasks cannot move with the worker.
//!
//! The deferred wakers of `yield_now` (and of spent budgets), which a scheduler loop on this
//! thread wakes only after polling its drivers, live in `eddy_core::defer`, re-exported here.
//!
//! The guards restore the previous values, so they nest like a stack.

pub(crate) use eddy_core::defer::{defer, enter_scheduler_loop, DeferGuard};
use eddy_core::scoped::{Scoped, ThreadLocalSlot};
use std::cell::Cell;
use std::marker::PhantomData;

struct Context {
    in_runtime: Cell<bool>,
    block_in_place_disallowed: Cell<bool>,
}

crate::loom::thread_local! {
    static CONTEXT: Context = const {
        Context {
            in_runtime: Cell::new(false),
            block_in_place_disallowed: Cell::new(false),
        }
    };
}

/// Marks the thread as driving a runtime until the guard is dropped.
///
/// # Panics
///
/// Panics if the thread already drives one: blocking it would stall that runtime's tasks.
#[track_caller]
pub(crate) fn enter_runtime() -> RuntimeGuard {
    let entered = CONTEXT.with(|context| context.in_runtime.replace(true));
    if entered {
        panic!(
            "Cannot start a runtime from within a runtime. This happens because a function \
             (like `block_on`) attempted to block the current thread while the thread is being \
             used to drive asynchronous tasks. If you are in an async function, use `.await` on \
             the future instead of blocking on it."
        );
    }
    RuntimeGuard {
        _driving_tasks: eddy_core::context::enter_async_context(),
        _not_send: PhantomData,
    }
}

/// Clears the "driving a runtime" mark (and restores `eddy_core`'s) when dropped.
pub(crate) struct RuntimeGuard {
    _driving_tasks: eddy_core::context::AsyncContextGuard,
    _not_send: PhantomData<*const ()>,
}

impl Drop for RuntimeGuard {
    fn drop(&mut self) {
        let _ = CONTEXT.try_with(|context| context.in_runtime.set(false));
    }
}

/// The context's "driving a runtime" mark, for [`Scoped`].
#[cfg(feature = "multi-thread")]
struct InRuntime;

#[cfg(feature = "multi-thread")]
impl ThreadLocalSlot for InRuntime {
    type Value = bool;

    #[inline]
    fn swap(in_runtime: bool) -> Option<bool> {
        CONTEXT
            .try_with(|context| context.in_runtime.replace(in_runtime))
            .ok()
    }
}

/// Lets the thread block again until the guard is dropped (`block_in_place`: the thread gave
/// its worker away, so blocking it, even in a nested `block_on`, stalls no other task).
#[cfg(feature = "multi-thread")]
pub(crate) fn exit_runtime() -> ExitRuntimeGuard {
    ExitRuntimeGuard {
        _was_in_runtime: Scoped::set(false),
        _may_block: eddy_core::context::exit_async_context(),
    }
}

/// Restores the "driving a runtime" mark (and then `eddy_core`'s) when dropped.
#[cfg(feature = "multi-thread")]
pub(crate) struct ExitRuntimeGuard {
    _was_in_runtime: Scoped<InRuntime>,
    _may_block: eddy_core::context::AsyncContextGuard,
}

/// Whether this thread is driving a runtime (so it must not block).
pub(crate) fn is_in_runtime() -> bool {
    CONTEXT
        .try_with(|context| context.in_runtime.get())
        .unwrap_or(false)
}

/// The context's `block_in_place` ban, for [`Scoped`].
struct BlockInPlaceDisallowed;

impl ThreadLocalSlot for BlockInPlaceDisallowed {
    type Value = bool;

    #[inline]
    fn swap(disallowed: bool) -> Option<bool> {
        CONTEXT
            .try_with(|context| context.block_in_place_disallowed.replace(disallowed))
            .ok()
    }
}

/// Makes `block_in_place` panic on this thread until the guard is dropped.
pub(crate) fn disallow_block_in_place() -> BlockInPlaceGuard {
    BlockInPlaceGuard {
        _previous: Scoped::set(true),
    }
}

/// Restores the previous permission when dropped.
pub(crate) struct BlockInPlaceGuard {
    _previous: Scoped<BlockInPlaceDisallowed>,
}

/// Whether a `LocalSet` driven (or dropped) on this thread forbids `block_in_place`.
#[cfg(feature = "multi-thread")]
pub(crate) fn is_block_in_place_disallowed() -> bool {
    CONTEXT
        .try_with(|context| context.block_in_place_disallowed.get())
        .unwrap_or(false)
}
