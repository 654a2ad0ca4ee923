//! What a thread knows about the runtime it runs in.
//!
//! One thread-local holds:
//!
//! * the current scheduler handle, set by every "enter" (`block_on`, `Runtime::enter`,
//!   `Handle::enter`, blocking-pool threads) and restored by its guard; `spawn` reads it;
//! * whether the thread is driving a runtime (`block_on`), which makes a nested `block_on` panic;
//!   the same guards set `eddy_core::context`'s mark, so blocking calls of other crates
//!   (`blocking_recv`) panic on such a thread too, and `exit_runtime` clears both;
//! * whether `block_in_place` may hand this thread's worker away: not while a `LocalSet` is
//!   driven or dropped here, since its `!Send` tasks cannot move with the worker;
//! * the id of the task being polled, for `task::id()`.
//!
//! The deferred wakers of `yield_now` (and of spent budgets), which a scheduler loop on this
//! thread wakes only after polling its drivers, live in `eddy_core::defer`, re-exported here.
//!
//! The guards restore the previous values, so enters nest like a stack. Runtime enters are
//! numbered by depth: a guard dropped while a later one is still alive would restore the wrong
//! runtime, so it panics instead (as Tokio's does), leaving the context to the later guard.

use crate::runtime::scheduler;
use crate::runtime::TryCurrentError;
use crate::task::Id;
pub(crate) use eddy_core::defer::{defer, enter_scheduler_loop, DeferGuard};
use eddy_core::scoped::{Scoped, ThreadLocalSlot};
use std::cell::{Cell, RefCell};
use std::marker::PhantomData;
use std::sync::MutexGuard;

struct Context {
    handle: RefCell<Option<scheduler::Handle>>,
    /// How many runtime enters are alive on this thread.
    depth: Cell<usize>,
    in_runtime: Cell<bool>,
    block_in_place_disallowed: Cell<bool>,
    task_id: Cell<Option<Id>>,
}

crate::loom::thread_local! {
    static CONTEXT: Context = const {
        Context {
            handle: RefCell::new(None),
            depth: Cell::new(0),
            in_runtime: Cell::new(false),
            block_in_place_disallowed: Cell::new(false),
            task_id: Cell::new(None),
        }
    };
}

/// Runs `f` with the current scheduler handle.
pub(crate) fn with_current<R>(
    f: impl FnOnce(&scheduler::Handle) -> R,
) -> Result<R, TryCurrentError> {
    CONTEXT
        .try_with(|context| match &*context.handle.borrow() {
            Some(handle) => Ok(f(handle)),
            None => Err(TryCurrentError::missing_context()),
        })
        .unwrap_or_else(|_| Err(TryCurrentError::thread_local_destroyed()))
}

/// Makes `handle` (and its drivers and blocking pool) current until the guard is dropped.
pub(crate) fn enter(handle: &scheduler::Handle) -> EnterGuard {
    let (previous, depth) = CONTEXT
        .try_with(|context| {
            let depth = context.depth.get() + 1;
            context.depth.set(depth);
            (context.handle.borrow_mut().replace(handle.clone()), depth)
        })
        .unwrap_or((None, 0));
    EnterGuard {
        previous,
        depth,
        _drivers: handle.driver().enter(),
        _blocking: eddy_core::blocking::enter(handle.blocking_hook()),
        _not_send: PhantomData,
    }
}

/// Restores the previous runtime context when dropped.
pub(crate) struct EnterGuard {
    previous: Option<scheduler::Handle>,
    /// The depth this enter made; 0 when the thread-local was already gone.
    depth: usize,
    _drivers: crate::runtime::driver::EnterGuard,
    _blocking: eddy_core::blocking::EnterGuard,
    /// Bound to this thread (`!Send`), yet shareable (`Sync`: it has no methods), as Tokio's.
    _not_send: PhantomData<MutexGuard<'static, ()>>,
}

impl Drop for EnterGuard {
    fn drop(&mut self) {
        let previous = self.previous.take();
        let in_order = CONTEXT.try_with(|context| {
            if context.depth.get() != self.depth {
                return false;
            }
            context.depth.set(self.depth.saturating_sub(1));
            *context.handle.borrow_mut() = previous;
            true
        });
        if matches!(in_order, Ok(false)) && !std::thread::panicking() {
            panic!(
                "`EnterGuard` values dropped out of order. Guards returned by \
                 `tokio::runtime::Handle::enter()` must be dropped in the reverse order as they \
                 were acquired."
            );
        }
    }
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

/// The context's current task id, for [`Scoped`].
struct TaskId;

impl ThreadLocalSlot for TaskId {
    type Value = Option<Id>;

    #[inline]
    fn swap(id: Option<Id>) -> Option<Option<Id>> {
        CONTEXT.try_with(|context| context.task_id.replace(id)).ok()
    }
}

/// Sets the id `task::id()` reports until the guard is dropped.
#[inline]
pub(crate) fn set_current_task_id(id: Option<Id>) -> TaskIdGuard {
    TaskIdGuard {
        _previous: Scoped::set(id),
    }
}

/// Restores the previous task id when dropped.
pub(crate) struct TaskIdGuard {
    _previous: Scoped<TaskId>,
}

/// The id of the task being polled on this thread.
pub(crate) fn current_task_id() -> Option<Id> {
    CONTEXT
        .try_with(|context| context.task_id.get())
        .unwrap_or(None)
}
