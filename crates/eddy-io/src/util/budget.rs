//! Charging single operations to the cooperative budget.

use eddy_core::coop;
use std::task::{ready, Context, Poll};

/// Runs one operation under the cooperative budget: yields first if the task's budget is
/// spent, and charges the unit only if the operation completed.
pub(crate) fn with_budget<T>(
    cx: &mut Context<'_>,
    operation: impl FnOnce(&mut Context<'_>) -> Poll<T>,
) -> Poll<T> {
    let budget = ready!(coop::poll_proceed(cx));
    let result = operation(cx);
    if result.is_ready() {
        budget.made_progress();
    }
    result
}
