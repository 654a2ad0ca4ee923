//! The cooperative budget.
//!
//! A future that always has work (a socket with data, a channel never empty) would never return
//! `Pending`, and its task would hold the worker thread forever. To prevent that, the executor
//! gives each task poll a budget of [`INITIAL_BUDGET`] units ([`budget`]). Every eddy resource
//! calls [`poll_proceed`] before doing an operation: it spends one unit, or, when none are left,
//! defers the task's wake-up (see [`defer`](crate::defer)) and returns `Pending`, so that the task
//! yields to its neighbours and to the drivers.
//!
//! If the operation then turns out not to be ready, the unit is handed back: the
//! [`RestoreOnPending`] guard returns it on drop unless [`RestoreOnPending::made_progress`] was
//! called. Only operations that did something are charged.
//!
//! Outside an eddy executor no budget is set, every call proceeds, and the cost is one
//! thread-local read. This is what lets `eddy-sync` work under any executor.

use crate::scoped::{Scoped, ThreadLocalSlot};
use std::cell::Cell;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

/// The units a task poll starts with.
pub const INITIAL_BUDGET: u8 = 128;

thread_local! {
    /// `None` means unconstrained: outside an eddy task, or inside [`with_unconstrained`].
    static BUDGET: Cell<Option<u8>> = const { Cell::new(None) };
    /// How many times a resource made a task yield because its budget was spent.
    static FORCED_YIELDS: Cell<u64> = const { Cell::new(0) };
}

/// Runs `f` (one task poll) with a fresh budget, restoring the caller's budget afterwards.
pub fn budget<R>(f: impl FnOnce() -> R) -> R {
    with_budget(Some(INITIAL_BUDGET), f)
}

/// Runs `f` with no budget limit, restoring the caller's budget afterwards.
pub fn with_unconstrained<R>(f: impl FnOnce() -> R) -> R {
    with_budget(None, f)
}

fn with_budget<R>(budget: Option<u8>, f: impl FnOnce() -> R) -> R {
    struct Budget;

    impl ThreadLocalSlot for Budget {
        type Value = Option<u8>;

        #[inline]
        fn swap(budget: Option<u8>) -> Option<Option<u8>> {
            BUDGET.try_with(|cell| cell.replace(budget)).ok()
        }
    }
    let _restore = Scoped::<Budget>::set(budget);
    f()
}

/// Whether the current task may still make progress without yielding.
pub fn has_budget_remaining() -> bool {
    BUDGET.with(|cell| cell.get() != Some(0))
}

/// The number of times this thread's tasks were made to yield because their budget was spent.
pub fn forced_yield_count() -> u64 {
    FORCED_YIELDS.with(Cell::get)
}

/// Spends one unit of the current task's budget.
///
/// Returns `Pending` when the budget is spent, after arranging for the task to be woken once
/// the scheduler has polled its drivers ([`defer`](crate::defer::defer)). On `Ready`, keep the guard while doing the operation and call
/// [`RestoreOnPending::made_progress`] if it completed; dropping the guard otherwise gives the
/// unit back.
pub fn poll_proceed(cx: &mut Context<'_>) -> Poll<RestoreOnPending> {
    BUDGET.with(|cell| match cell.get() {
        None => Poll::Ready(RestoreOnPending::new(None)),
        Some(0) => {
            FORCED_YIELDS.with(|count| count.set(count.get() + 1));
            // Polled again once the scheduler has looked at its drivers, like `yield_now`.
            crate::defer::defer(cx.waker());
            Poll::Pending
        }
        Some(units) => {
            cell.set(Some(units - 1));
            Poll::Ready(RestoreOnPending::new(Some(units)))
        }
    })
}

/// Gives a budget unit back on drop unless the operation made progress.
///
/// The guard belongs to the poll that obtained it: it is neither `Send` nor `Sync`, and
/// [`made_progress`](Self::made_progress) takes `&self` so that a guard bound with a plain `let`
/// can be committed.
#[derive(Debug)]
#[must_use = "dropping the guard at once gives the unit back"]
pub struct RestoreOnPending {
    /// The budget before the unit was spent; `None` once committed (or when unconstrained).
    before: Cell<Option<u8>>,
    _not_send: PhantomData<*mut ()>,
}

impl RestoreOnPending {
    fn new(before: Option<u8>) -> RestoreOnPending {
        RestoreOnPending {
            before: Cell::new(before),
            _not_send: PhantomData,
        }
    }

    /// Marks the operation as done, so the spent unit stays spent.
    pub fn made_progress(&self) {
        self.before.set(None);
    }
}

impl Drop for RestoreOnPending {
    fn drop(&mut self) {
        if let Some(units) = self.before.get() {
            let _ = BUDGET.try_with(|cell| {
                if cell.get().is_some() {
                    cell.set(Some(units));
                }
            });
        }
    }
}

/// Spends one unit of budget, yielding first if the budget is spent.
///
/// Use it in loops that do work without touching an eddy resource, so they still give the
/// worker back now and then.
pub async fn consume_budget() {
    ConsumeBudget { done: false }.await
}

struct ConsumeBudget {
    done: bool,
}

impl Future for ConsumeBudget {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.done {
            return Poll::Ready(());
        }
        match poll_proceed(cx) {
            Poll::Ready(restore) => {
                restore.made_progress();
                self.done = true;
                Poll::Ready(())
            }
            Poll::Pending => Poll::Pending,
        }
    }
}
