//! The free functions that freeze, move and thaw the current runtime's clock, for tests
//! (`test-util` feature).
//!
//! They sit above both the [`Clock`] (which knows how to pause) and the time driver (which knows
//! which clock is current, and fires the timers an [`advance`] passes): each looks up the
//! thread's current driver and acts on its clock.

use crate::driver::{self, Clock};
use std::time::Duration;

const OUTSIDE_RUNTIME: &str = "time cannot be frozen from outside the Tokio runtime";

#[track_caller]
fn current_driver() -> driver::Handle {
    driver::try_current().expect(OUTSIDE_RUNTIME)
}

#[track_caller]
fn current_clock() -> Clock {
    current_driver().clock().clone()
}

/// Freezes the current runtime's clock.
///
/// While the clock is frozen, [`Instant::now`](crate::Instant::now) stands still, and a runtime
/// with no task to run jumps the clock to the next timer's deadline.
///
/// # Panics
/// Outside a runtime with timers, on a multi-thread runtime, or if the clock is already frozen.
#[track_caller]
pub fn pause() {
    current_clock().pause();
}

/// Thaws the current runtime's clock; it goes on from where it was frozen.
///
/// # Panics
/// Outside a runtime with timers, or if the clock is not frozen.
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
/// let _context = driver::enter(Some(handle));
/// let start = Instant::now();
/// block_on(&mut driver, eddy_time::advance(Duration::from_secs(60)));
/// assert_eq!(start.elapsed(), Duration::from_secs(60));
/// ```
///
/// # Panics
/// Outside a runtime with timers, or if the clock is not frozen.
pub async fn advance(duration: Duration) {
    let driver = current_driver();
    driver.clock().advance_paused(duration);
    driver.fire_due();
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
