//! Making a whole async operation spend the task's cooperative budget.
//!
//! Most primitives ask the budget inside their own `poll`. Operations written as `async` blocks
//! over other primitives (the `watch` channel's waits) are wrapped instead: each poll first asks
//! for a unit, and the unit is spent only when the operation completes, so a loop of operations
//! that are always ready (waiting on a closed channel, say) yields to the scheduler once the
//! budget runs out, as with Tokio.

use eddy_core::coop;
use std::future::{poll_fn, Future};
use std::pin::pin;
use std::task::{ready, Poll};

/// Runs `future`, asking the budget before each poll and spending one unit when it completes.
pub(crate) async fn cooperative<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    poll_fn(|cx| {
        let unit = ready!(coop::poll_proceed(cx));
        let output = ready!(future.as_mut().poll(cx));
        unit.made_progress();
        Poll::Ready(output)
    })
    .await
}
