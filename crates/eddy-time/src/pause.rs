//! The free functions that freeze, move and thaw the current runtime's clock, for tests
//! (`test-util` feature).
//!
//! They sit above both the [`Clock`] (which knows how to pause) and the time driver (which knows
//! which clock is current, and fires the timers an [`advance`] passes): each looks up the
//! thread's current time context and acts on its clock. A runtime without timers has a clock
//! too, so these work there as well; only `advance` has no timers to fire.

use crate::driver::{self, Clock, TimeContext};
use std::time::Duration;

const OUTSIDE_RUNTIME: &str = "time cannot be frozen from outside the Tokio runtime";

#[track_caller]
fn current_context() -> TimeContext {
    driver::try_current_context().expect(OUTSIDE_RUNTIME)
}

#[track_caller]
fn current_clock() -> Clock {
    current_context().clock().clone()
}

/// Freezes the current runtime's clock.
///
/// While the clock is frozen, [`Instant::now`](crate::Instant::now) stands still, and a runtime
/// with no task to run jumps the clock to the next timer's deadline.
///
/// # Panics
/// Outside a runtime, on a multi-thread runtime, or if the clock is already frozen.
#[track_caller]
pub fn pause() {
    current_clock().pause();
}

/// Thaws the current runtime's clock; it goes on from where it was frozen.
///
/// # Panics
/// Outside a runtime, or if the clock is not frozen.
#[track_caller]
pub fn resume() {
    current_clock().resume();
}

/// Moves the frozen clock forward by `duration`, fires the timers that came due (waking their
/// tasks), then yields once so that the runtime runs them.
///
/// ```
/// use eddy_core::block_on::block_on;
/// use eddy_time::driver::{self, Clock, Driver};
/// use eddy_time::{Duration, Instant};
///
/// let (mut driver, handle) = Driver::new(Box::new(eddy_core::ParkThread::new()), Clock::new(true, true));
/// let _context = driver::enter(handle);
/// let start = Instant::now();
/// block_on(&mut driver, eddy_time::advance(Duration::from_secs(60)));
/// assert_eq!(start.elapsed(), Duration::from_secs(60));
/// ```
///
/// # Panics
/// Outside a runtime, or if the clock is not frozen.
pub async fn advance(duration: Duration) {
    let context = current_context();
    context.clock().advance_paused(duration);
    if let TimeContext::Driver(driver) = context {
        driver.fire_due();
    }
    YieldOnce { yielded: false }.await;
}

struct YieldOnce {
    yielded: bool,
}

impl std::future::Future for YieldOnce {
    type Output = ();

    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<()> {
        if self.yielded {
            return std::task::Poll::Ready(());
        }
        self.yielded = true;
        cx.waker().wake_by_ref();
        std::task::Poll::Pending
    }
}
