//! `yield_now`: give the scheduler back to the other ready tasks once.

use crate::runtime::context;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Yields once to the scheduler.
///
/// The task is woken again only after the tasks that were already ready have run (and after
/// the runtime polled its drivers), so a task yielding in a loop cannot starve the others.
pub async fn yield_now() {
    YieldNow { yielded: false }.await
}

struct YieldNow {
    yielded: bool,
}

impl Future for YieldNow {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.yielded {
            return Poll::Ready(());
        }
        self.yielded = true;
        context::defer(cx.waker());
        Poll::Pending
    }
}
