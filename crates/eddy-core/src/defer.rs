//! Wakes that wait until the scheduler has looked at its drivers.
//!
//! A task that yields (`yield_now`, or a resource refusing it because its cooperative budget is
//! spent) must not run again before the I/O and timer events that became ready meanwhile were
//! dispatched, or a task that keeps yielding would starve them. So while a scheduler loop runs
//! on the thread ([`enter_scheduler_loop`]), [`defer`] only records the waker, and the loop wakes
//! the recorded ones after polling its drivers ([`DeferGuard::wake_deferred`]). Outside such a
//! loop (under another executor, or in `eddy_core::block_on`) the waker is woken at once.
//!
//! The list lives here rather than in the executor so that resources of any eddy crate (through
//! [`coop`](crate::coop)) defer into the same list as `yield_now`.

use crate::scoped::{Scoped, ThreadLocalSlot};
use crate::wake::wake_all;
use std::cell::RefCell;
use std::task::Waker;

thread_local! {
    /// `Some` while a scheduler loop runs on this thread and will wake them.
    static DEFERRED: RefCell<Option<Vec<Waker>>> = const { RefCell::new(None) };
}

/// Wakes `waker` after the tasks that are ready now have run: at once if no scheduler loop on
/// this thread will do it.
pub fn defer(waker: &Waker) {
    let deferred = DEFERRED.try_with(|deferred| {
        let mut deferred = deferred.borrow_mut();
        let Some(list) = deferred.as_mut() else {
            return false;
        };
        if !list.last().is_some_and(|last| last.will_wake(waker)) {
            list.push(waker.clone());
        }
        true
    });
    if deferred != Ok(true) {
        waker.wake_by_ref();
    }
}

/// Turns on deferred wakes for a scheduler loop on this thread until the guard is dropped.
pub fn enter_scheduler_loop() -> DeferGuard {
    let previous = DEFERRED.with(|deferred| deferred.borrow_mut().replace(Vec::new()));
    DeferGuard {
        previous,
        _not_send: std::marker::PhantomData,
    }
}

/// Wakes what is still deferred and restores the previous list when dropped.
#[must_use = "deferred wakes stop when the guard is dropped"]
pub struct DeferGuard {
    previous: Option<Vec<Waker>>,
    _not_send: std::marker::PhantomData<*const ()>,
}

impl DeferGuard {
    /// Whether some waker waits to be woken.
    pub fn has_deferred(&self) -> bool {
        DEFERRED.with(|deferred| {
            deferred
                .borrow()
                .as_ref()
                .is_some_and(|list| !list.is_empty())
        })
    }

    /// Wakes every deferred waker, keeping the list's buffer for the next round.
    pub fn wake_deferred(&self) {
        wake_deferred();
    }
}

/// Wakes every waker deferred on this thread now, keeping the list's buffer for the next round
/// (`block_in_place`: the thread's scheduler loop will not get back to them for a while).
pub fn wake_deferred() {
    let take =
        |deferred: &RefCell<Option<Vec<Waker>>>| deferred.borrow_mut().as_mut().map(std::mem::take);
    let Some(mut wakers) = DEFERRED.with(take) else {
        return;
    };
    // Every waker is woken even if one panics; the panic resumes after the last (and the
    // buffer is then not kept).
    wake_all(wakers.drain(..));
    DEFERRED.with(|deferred| {
        if let Some(list) = deferred.borrow_mut().as_mut() {
            if list.is_empty() {
                *list = wakers;
            }
        }
    });
}

/// [`DEFERRED`], for [`Scoped`].
struct Deferred;

impl ThreadLocalSlot for Deferred {
    type Value = Option<Vec<Waker>>;

    #[inline]
    fn swap(list: Option<Vec<Waker>>) -> Option<Option<Vec<Waker>>> {
        DEFERRED.try_with(|deferred| deferred.replace(list)).ok()
    }
}

/// Makes [`defer`] wake at once on this thread until the guard is dropped: for code that blocks
/// the thread a scheduler loop ran on (`block_in_place`), whose loop will not come back to the
/// list meanwhile. Wakers deferred before are woken first.
pub fn suspend() -> SuspendGuard {
    wake_deferred();
    SuspendGuard {
        _suspended: Scoped::set(None),
        _not_send: std::marker::PhantomData,
    }
}

/// Restores the scheduler loop's deferred wakes when dropped.
#[must_use = "deferred wakes come back when the guard is dropped"]
pub struct SuspendGuard {
    _suspended: Scoped<Deferred>,
    _not_send: std::marker::PhantomData<*const ()>,
}

impl std::fmt::Debug for SuspendGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SuspendGuard").finish_non_exhaustive()
    }
}

impl Drop for DeferGuard {
    fn drop(&mut self) {
        let previous = self.previous.take();
        let wakers = DEFERRED
            .try_with(|deferred| std::mem::replace(&mut *deferred.borrow_mut(), previous))
            .ok()
            .flatten();
        for waker in wakers.into_iter().flatten() {
            waker.wake();
        }
    }
}

impl std::fmt::Debug for DeferGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeferGuard").finish_non_exhaustive()
    }
}
