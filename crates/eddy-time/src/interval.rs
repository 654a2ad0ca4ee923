//! [`Interval`]: ticks at a fixed period.
//!
//! An interval is a [`Sleep`] that is re-armed each time it fires. When a tick comes more than
//! 5 ms late (the task was busy, or the runtime stalled), the [`MissedTickBehavior`] decides
//! when the following ticks come.

use crate::instant::Instant;
use crate::sleep::Sleep;
use std::fmt;
use std::future::poll_fn;
use std::future::Future;
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use std::time::Duration;

/// Lateness below which a tick counts as on time.
const LATENESS_TOLERANCE: Duration = Duration::from_millis(5);

/// An interval whose first tick completes at once, then every `period`.
///
/// # Panics
/// If `period` is zero; outside a runtime, or in a runtime built without timers.
#[track_caller]
pub fn interval(period: Duration) -> Interval {
    interval_at(Instant::now(), period)
}

/// An interval whose first tick completes at `start`, then every `period`.
///
/// ```
/// use eddy_core::{block_on::block_on, ParkThread};
/// use eddy_time::driver::{self, Clock, Driver};
/// use eddy_time::{interval_at, Duration, Instant};
///
/// let (mut driver, handle) = Driver::new(Box::new(ParkThread::new()), Clock::new(false, false));
/// let _context = driver::enter(handle);
/// let start = Instant::now();
/// let mut ticks = interval_at(start, Duration::from_millis(2));
/// block_on(&mut driver, async {
///     assert_eq!(ticks.tick().await, start);
///     assert_eq!(ticks.tick().await, start + Duration::from_millis(2));
/// });
/// ```
///
/// # Panics
/// If `period` is zero; outside a runtime, or in a runtime built without timers.
#[track_caller]
pub fn interval_at(start: Instant, period: Duration) -> Interval {
    assert!(!period.is_zero(), "`period` must be non-zero.");
    Interval {
        delay: Box::pin(Sleep::new(start)),
        period,
        missed_tick_behavior: MissedTickBehavior::default(),
    }
}

/// What an [`Interval`] does after a tick came late.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MissedTickBehavior {
    /// Ticks as fast as it can until it has caught up with the original schedule.
    #[default]
    Burst,
    /// Starts the schedule again one period after the late tick.
    Delay,
    /// Skips the missed ticks and goes on with the next tick of the original schedule.
    Skip,
}

impl MissedTickBehavior {
    /// The tick after a late one, which was due at `due` and happened at `now`.
    fn next_tick(self, due: Instant, now: Instant, period: Duration) -> Instant {
        match self {
            MissedTickBehavior::Burst => due.saturating_add(period),
            MissedTickBehavior::Delay => now.saturating_add(period),
            MissedTickBehavior::Skip => {
                let behind = now.saturating_duration_since(due).as_nanos();
                let into_period = (behind % period.as_nanos()) as u64;
                let rest = period.saturating_sub(Duration::from_nanos(into_period));
                now.saturating_add(rest)
            }
        }
    }
}

/// Ticks at a fixed period; returned by [`interval`] and [`interval_at`].
pub struct Interval {
    delay: Pin<Box<Sleep>>,
    period: Duration,
    missed_tick_behavior: MissedTickBehavior,
}

impl Interval {
    /// Completes at the next tick and returns the instant it was scheduled for.
    ///
    /// Cancel safe: dropping the future before it completes loses no tick.
    pub async fn tick(&mut self) -> Instant {
        poll_fn(|cx| self.poll_tick(cx)).await
    }

    /// Polls for the next tick, returning the instant it was scheduled for.
    ///
    /// When `Pending`, the waker of `cx` is woken at the tick; only the last waker passed is.
    pub fn poll_tick(&mut self, cx: &mut Context<'_>) -> Poll<Instant> {
        ready!(self.delay.as_mut().poll(cx));
        let due = self.delay.deadline();
        let now = Instant::now();
        let next = if now.saturating_duration_since(due) > LATENESS_TOLERANCE {
            self.missed_tick_behavior.next_tick(due, now, self.period)
        } else {
            due.saturating_add(self.period)
        };
        self.delay.as_mut().reset_without_wake(next);
        Poll::Ready(due)
    }

    /// Restarts the schedule: the next tick is one period from now.
    pub fn reset(&mut self) {
        self.reset_at(Instant::now().saturating_add(self.period));
    }

    /// Restarts the schedule: the next tick is now.
    pub fn reset_immediately(&mut self) {
        self.reset_at(Instant::now());
    }

    /// Restarts the schedule: the next tick is `after` from now.
    pub fn reset_after(&mut self, after: Duration) {
        self.reset_at(Instant::now().saturating_add(after));
    }

    /// Restarts the schedule: the next tick is at `deadline`.
    pub fn reset_at(&mut self, deadline: Instant) {
        self.delay.as_mut().reset(deadline);
    }

    /// What the interval does after a late tick.
    pub fn missed_tick_behavior(&self) -> MissedTickBehavior {
        self.missed_tick_behavior
    }

    /// Sets what the interval does after a late tick.
    pub fn set_missed_tick_behavior(&mut self, behavior: MissedTickBehavior) {
        self.missed_tick_behavior = behavior;
    }

    /// The time between ticks.
    pub fn period(&self) -> Duration {
        self.period
    }
}

impl fmt::Debug for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Interval")
            .field("next_tick", &self.delay.deadline())
            .field("period", &self.period)
            .field("missed_tick_behavior", &self.missed_tick_behavior)
            .finish()
    }
}
