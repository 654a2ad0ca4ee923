//! The scheduler handle a thread runs in, which `spawn`, `Handle::current` and the blocking pool
//! find without being handed it.
//!
//! Every "enter" (`block_on`, `Runtime::enter`, `Handle::enter`, blocking-pool threads) makes a
//! handle current together with its drivers and blocking pool, and its guard restores the
//! previous one, so enters nest like a stack. They are numbered by depth: a guard dropped while
//! a later one is still alive would restore the wrong runtime, so it panics instead (as Tokio's
//! does), leaving the thread-local to the later guard. The thread's other marks (driving a
//! runtime, `block_in_place` allowed) are in `runtime/context.rs`, below the schedulers.

use super::Handle;
use std::cell::{Cell, RefCell};
use std::error::Error;
use std::fmt;
use std::io;
use std::marker::PhantomData;
use std::sync::MutexGuard;

struct Current {
    handle: RefCell<Option<Handle>>,
    /// How many runtime enters are alive on this thread.
    depth: Cell<usize>,
}

crate::loom::thread_local! {
    static CURRENT: Current = const {
        Current {
            handle: RefCell::new(None),
            depth: Cell::new(0),
        }
    };
}

/// Runs `f` with the current scheduler handle.
pub(crate) fn with_current<R>(f: impl FnOnce(&Handle) -> R) -> Result<R, TryCurrentError> {
    CURRENT
        .try_with(|current| match &*current.handle.borrow() {
            Some(handle) => Ok(f(handle)),
            None => Err(TryCurrentError::missing_context()),
        })
        .unwrap_or_else(|_| Err(TryCurrentError::thread_local_destroyed()))
}

/// Makes `handle` (and its drivers and blocking pool) current until the guard is dropped.
pub(crate) fn enter(handle: &Handle) -> EnterGuard {
    let (previous, depth) = CURRENT
        .try_with(|current| {
            let depth = current.depth.get() + 1;
            current.depth.set(depth);
            (current.handle.borrow_mut().replace(handle.clone()), depth)
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
    previous: Option<Handle>,
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
        let in_order = CURRENT.try_with(|current| {
            if current.depth.get() != self.depth {
                return false;
            }
            current.depth.set(self.depth.saturating_sub(1));
            *current.handle.borrow_mut() = previous;
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

impl eddy_core::blocking::BlockingSpawner for ContextHook {
    fn spawn_blocking(&self, job: Box<dyn FnOnce() + Send>) -> io::Result<()> {
        with_current(|rt| rt.blocking_spawner().submit_job(rt, job, false))
            .map_err(io::Error::other)?
    }

    fn spawn_mandatory(&self, job: Box<dyn FnOnce() + Send>) -> io::Result<()> {
        with_current(|rt| rt.blocking_spawner().submit_job(rt, job, true))
            .map_err(io::Error::other)?
    }
}

/// The blocking pool as `eddy_core::blocking` sees it. It finds the pool through the current
/// handle, which `enter` always installs together with the hook.
#[derive(Debug)]
pub(crate) struct ContextHook;

/// Why `runtime::Handle::try_current` found no runtime.
pub struct TryCurrentError {
    kind: TryCurrentErrorKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TryCurrentErrorKind {
    NoContext,
    ThreadLocalDestroyed,
}

impl TryCurrentError {
    pub(crate) fn missing_context() -> TryCurrentError {
        TryCurrentError {
            kind: TryCurrentErrorKind::NoContext,
        }
    }

    pub(crate) fn thread_local_destroyed() -> TryCurrentError {
        TryCurrentError {
            kind: TryCurrentErrorKind::ThreadLocalDestroyed,
        }
    }

    /// True if the thread is not in a runtime context.
    pub fn is_missing_context(&self) -> bool {
        self.kind == TryCurrentErrorKind::NoContext
    }

    /// True if the thread-local holding the context was already destroyed (the thread is
    /// exiting).
    pub fn is_thread_local_destroyed(&self) -> bool {
        self.kind == TryCurrentErrorKind::ThreadLocalDestroyed
    }
}

impl fmt::Display for TryCurrentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            TryCurrentErrorKind::NoContext => f.write_str(
                "there is no reactor running, must be called from the context of an eddy runtime",
            ),
            TryCurrentErrorKind::ThreadLocalDestroyed => {
                f.write_str("The eddy context thread-local variable has been destroyed.")
            }
        }
    }
}

impl fmt::Debug for TryCurrentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TryCurrentError")
            .field("kind", &self.kind)
            .finish()
    }
}

impl Error for TryCurrentError {}
