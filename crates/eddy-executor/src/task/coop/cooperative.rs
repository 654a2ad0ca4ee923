//! `cooperative`: make any future pay into the task budget.

use eddy_core::coop::poll_proceed;
use pin_project_lite::pin_project;
use std::future::Future;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

pin_project! {
    /// A future that spends a unit of the task budget when it completes; see [`cooperative`].
    #[must_use = "futures do nothing unless polled"]
    #[derive(Debug)]
    pub struct Coop<F: Future> {
        #[pin]
        inner: F,
    }
}

/// Makes `fut` take part in cooperative scheduling, like eddy's own resources do.
///
/// Each poll first asks for a unit of the task budget: when the budget is spent, the wrapper
/// yields (`Pending`, the task is woken again at once) without polling `fut`. A poll that
/// completes `fut` keeps the unit; a poll that leaves it pending gives the unit back. Use it
/// around futures of other libraries (a `futures` channel, say) that would otherwise never make
/// a busy task yield.
///
/// ```
/// use eddy_executor::task::coop::{cooperative, has_budget_remaining};
///
/// let rt = eddy_executor::runtime::Builder::new_current_thread().build().unwrap();
/// rt.block_on(async {
///     let mut completed = 0;
///     while has_budget_remaining() {
///         cooperative(std::future::ready(())).await;
///         completed += 1;
///     }
///     assert_eq!(completed, 128);
/// });
/// ```
pub fn cooperative<F: Future>(fut: F) -> Coop<F> {
    Coop { inner: fut }
}

impl<F: Future> Future for Coop<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let unit = ready!(poll_proceed(cx));
        let output = ready!(self.project().inner.poll(cx));
        unit.made_progress();
        Poll::Ready(output)
    }
}
