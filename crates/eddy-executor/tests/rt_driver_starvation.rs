//! A `block_on` future that wakes itself on every poll does not starve the drivers: the
//! current-thread scheduler, out of tasks, polls them without blocking at least every
//! `event_interval` ticks even though the `block_on` future is always ready to be polled again.
#![cfg(not(loom))]
#![cfg(feature = "time")]

use eddy_executor::runtime::Builder;
use eddy_time::{sleep, Duration};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Far more polls than the scheduler needs to look at its drivers once.
const POLL_LIMIT: u32 = 10_000;

/// Polls `inner` and wakes itself while it is pending, up to `POLL_LIMIT` times; resolves to
/// the number of polls `inner` took, or `None` if it never completed.
struct WakeSelfUntil<F> {
    inner: Pin<Box<F>>,
    polls: u32,
}

impl<F: Future> Future for WakeSelfUntil<F> {
    type Output = Option<u32>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<u32>> {
        self.polls += 1;
        if self.inner.as_mut().poll(cx).is_ready() {
            return Poll::Ready(Some(self.polls));
        }
        if self.polls == POLL_LIMIT {
            return Poll::Ready(None);
        }
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

/// A 1 ms timer, registered with the driver, whose deadline has certainly passed when this
/// returns: from then on a single look at the time driver fires it.
async fn registered_past_due_timer() -> Pin<Box<eddy_time::Sleep>> {
    let mut timer = Box::pin(sleep(Duration::from_millis(1)));
    let first_poll = std::future::poll_fn(|cx| Poll::Ready(timer.as_mut().poll(cx))).await;
    assert!(first_poll.is_pending());
    std::thread::sleep(Duration::from_millis(5));
    timer
}

#[test]
fn a_self_waking_block_on_future_still_sees_its_timer_fire() {
    let rt = Builder::new_current_thread().enable_time().build().unwrap();
    let polls = rt.block_on(async {
        WakeSelfUntil {
            inner: registered_past_due_timer().await,
            polls: 0,
        }
        .await
    });
    assert!(
        polls.is_some(),
        "the timer never fired in {POLL_LIMIT} polls"
    );
}

#[test]
fn a_self_waking_block_on_future_does_not_starve_a_sleeping_task() {
    let rt = Builder::new_current_thread().enable_time().build().unwrap();
    let polls = rt.block_on(async {
        let sleeper = eddy_executor::task::spawn(async { registered_past_due_timer().await.await });
        WakeSelfUntil {
            inner: Box::pin(sleeper),
            polls: 0,
        }
        .await
    });
    assert!(
        polls.is_some(),
        "the task never finished in {POLL_LIMIT} polls"
    );
}
