//! [`Timeout`]: a future with a deadline.
//!
//! The inner future is polled first, so a future that is ready wins even if the deadline has
//! also passed. If polling the inner future spent the task's last cooperative budget unit, the
//! timer is still polled (without a budget), so a future that is always busy cannot starve its
//! own timeout.

use crate::error::Elapsed;
use crate::instant::Instant;
use crate::sleep::Sleep;
use eddy_core::coop;
use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

/// Requires `future` to complete within `duration`.
///
/// ```
/// use eddy_core::{block_on::block_on, ParkThread};
/// use eddy_time::driver::{self, Clock, Driver};
/// use eddy_time::{sleep, timeout, Duration};
///
/// let (mut driver, handle) = Driver::new(Box::new(ParkThread::new()), Clock::new(false, false));
/// let _context = driver::enter(handle);
/// let slow = sleep(Duration::from_secs(60));
/// assert!(block_on(&mut driver, timeout(Duration::from_millis(1), slow)).is_err());
/// assert_eq!(block_on(&mut driver, timeout(Duration::from_secs(60), async { 7 })), Ok(7));
/// ```
///
/// # Panics
/// Outside a runtime, or in a runtime built without timers.
#[track_caller]
pub fn timeout<F: IntoFuture>(duration: Duration, future: F) -> Timeout<F::IntoFuture> {
    let delay = match Instant::now().checked_add(duration) {
        Some(deadline) => Sleep::new(deadline),
        None => Sleep::far_future(),
    };
    Timeout::new(future.into_future(), delay)
}

/// Requires `future` to complete before `deadline`.
///
/// # Panics
/// Outside a runtime, or in a runtime built without timers.
#[track_caller]
pub fn timeout_at<F: IntoFuture>(deadline: Instant, future: F) -> Timeout<F::IntoFuture> {
    Timeout::new(future.into_future(), Sleep::new(deadline))
}

pin_project_lite::pin_project! {
    /// The future returned by [`timeout`] and [`timeout_at`].
    #[must_use = "futures do nothing unless polled"]
    pub struct Timeout<T> {
        #[pin]
        value: T,
        #[pin]
        delay: Sleep,
    }
}

impl<T> Timeout<T> {
    fn new(value: T, delay: Sleep) -> Timeout<T> {
        Timeout { value, delay }
    }

    /// The inner future.
    pub fn get_ref(&self) -> &T {
        &self.value
    }

    /// The inner future, mutably.
    pub fn get_mut(&mut self) -> &mut T {
        &mut self.value
    }

    /// Gives the inner future back, dropping the timer.
    pub fn into_inner(self) -> T {
        self.value
    }
}

impl<T: Future> Future for Timeout<T> {
    type Output = Result<T::Output, Elapsed>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let me = self.project();
        let had_budget = coop::has_budget_remaining();
        if let Poll::Ready(output) = me.value.poll(cx) {
            return Poll::Ready(Ok(output));
        }
        let spent_by_inner = had_budget && !coop::has_budget_remaining();
        let mut delay = me.delay;
        let mut poll_delay = || delay.as_mut().poll(cx).map(|()| Err(Elapsed::new()));
        if spent_by_inner {
            coop::with_unconstrained(poll_delay)
        } else {
            poll_delay()
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for Timeout<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Timeout")
            .field("value", &self.value)
            .field("delay", &self.delay)
            .finish()
    }
}
