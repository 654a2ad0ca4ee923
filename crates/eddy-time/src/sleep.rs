//! [`Sleep`]: a future that completes at a deadline.

use crate::driver::{self, Timer};
use crate::instant::Instant;
use crate::trace::SleepTrace;
use eddy_core::coop;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use std::time::Duration;

/// Waits until `duration` has elapsed.
///
/// The wait has millisecond resolution and never ends early. A duration too long to represent
/// (such as `Duration::MAX`) waits for about thirty years, without panicking.
///
/// ```
/// use eddy_core::{block_on::block_on, ParkThread};
/// use eddy_time::driver::{self, Clock, Driver};
/// use eddy_time::{sleep, Duration};
///
/// let (mut driver, handle) = Driver::new(Box::new(ParkThread::new()), Clock::new(false, false));
/// let _context = driver::enter(handle);
/// block_on(&mut driver, sleep(Duration::from_millis(1)));
/// ```
///
/// # Panics
/// Outside a runtime, or in a runtime built without timers.
#[track_caller]
pub fn sleep(duration: Duration) -> Sleep {
    let deadline = Instant::now().saturating_add(duration);
    Sleep::new(deadline)
}

/// Waits until `deadline`.
///
/// # Panics
/// Outside a runtime, or in a runtime built without timers.
#[track_caller]
pub fn sleep_until(deadline: Instant) -> Sleep {
    Sleep::new(deadline)
}

pin_project_lite::pin_project! {
    /// The future returned by [`sleep`] and [`sleep_until`].
    ///
    /// It holds its own entry of the runtime's timing wheel, so it is `!Unpin`: pin it (with
    /// `std::pin::pin!` or `Box::pin`) to poll it or to [`reset`](Sleep::reset) it.
    #[must_use = "futures do nothing unless polled"]
    pub struct Sleep {
        deadline: Instant,
        #[pin]
        timer: Timer,
        // Zero-sized without the `tracing` feature.
        trace: SleepTrace,
    }
}

impl Sleep {
    #[track_caller]
    pub(crate) fn new(deadline: Instant) -> Sleep {
        Sleep {
            deadline,
            timer: Timer::new(driver::current()),
            trace: SleepTrace::new(deadline),
        }
    }

    #[track_caller]
    pub(crate) fn far_future() -> Sleep {
        Sleep::new(Instant::far_future())
    }

    /// The instant at which this future completes.
    pub fn deadline(&self) -> Instant {
        self.deadline
    }

    /// Whether the deadline has been reached (as seen by the driver, which fired the timer).
    pub fn is_elapsed(&self) -> bool {
        self.timer.is_elapsed()
    }

    /// Moves the deadline to `deadline`, whether or not the old one has passed.
    ///
    /// The future completes at the new deadline. A deadline that has already passed wakes the
    /// task that last polled this future, so that it polls again and sees it complete.
    pub fn reset(self: Pin<&mut Self>, deadline: Instant) {
        self.reset_inner(deadline, true);
    }

    /// [`reset`](Sleep::reset) for an owner that is in the middle of its own poll (an interval
    /// re-arming after a tick): a deadline that has already passed wakes nobody, since the
    /// owner's next poll sees it anyway.
    pub(crate) fn reset_without_wake(self: Pin<&mut Self>, deadline: Instant) {
        self.reset_inner(deadline, false);
    }

    fn reset_inner(self: Pin<&mut Self>, deadline: Instant, wake_if_due: bool) {
        let me = self.project();
        *me.deadline = deadline;
        me.timer.reset(deadline.into_std(), wake_if_due);
        me.trace.reset(deadline);
    }
}

impl Future for Sleep {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let me = self.project();
        me.trace.in_poll(|| {
            let coop = ready!(coop::poll_proceed(cx));
            let result = me.timer.poll_elapsed(cx, me.deadline.into_std());
            if result.is_ready() {
                coop.made_progress();
            }
            result
        })
    }
}

impl fmt::Debug for Sleep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sleep")
            .field("deadline", &self.deadline)
            .field("is_elapsed", &self.is_elapsed())
            .finish()
    }
}
