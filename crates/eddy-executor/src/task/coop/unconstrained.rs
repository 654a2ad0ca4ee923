//! `unconstrained`: opting a future out of the cooperative budget.

use pin_project_lite::pin_project;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

pin_project! {
    /// A future that runs without a cooperative budget; see [`unconstrained`].
    #[must_use = "futures do nothing unless polled"]
    #[derive(Debug)]
    pub struct Unconstrained<F> {
        #[pin]
        inner: F,
    }
}

/// Turns off the cooperative budget for `inner`: eddy resources it uses never force it to
/// yield. Use with care: such a future can starve the other tasks of its thread.
pub fn unconstrained<F>(inner: F) -> Unconstrained<F> {
    Unconstrained { inner }
}

impl<F: Future> Future for Unconstrained<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let inner = self.project().inner;
        eddy_core::coop::with_unconstrained(|| inner.poll(cx))
    }
}
