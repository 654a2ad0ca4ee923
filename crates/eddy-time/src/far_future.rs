//! Deadline arithmetic that lands far in the future instead of overflowing.
//!
//! Adding a huge duration to an instant (`sleep(Duration::MAX)`, a huge interval, advancing a
//! paused clock by `Duration::MAX`) would overflow the platform's instant. It lands thirty years
//! ahead instead: far enough that no timer fires, near enough that adding to it again, or a paused
//! clock reaching it, stays cheap and cannot overflow. [`Instant`](crate::Instant) and the paused
//! [`Clock`](crate::driver::Clock) both use it, on the standard library's instants.

use std::time::{Duration, Instant};

/// How far ahead [`far_ahead`] is: thirty years.
const FAR_FUTURE: Duration = Duration::from_secs(86_400 * 365 * 30);

/// `instant + duration`, or, when that cannot be represented, a point far ahead of `instant`
/// (thirty years): a sane instant that later arithmetic and the timer wheel can still handle,
/// unlike the largest instant the platform could hold.
pub(crate) fn saturating_add(instant: Instant, duration: Duration) -> Instant {
    instant
        .checked_add(duration)
        .unwrap_or_else(|| far_ahead(instant))
}

/// Thirty years after `instant`, or as far as the platform's instant reaches if it ends before.
pub(crate) fn far_ahead(instant: Instant) -> Instant {
    instant
        .checked_add(FAR_FUTURE)
        .unwrap_or_else(|| furthest_within(instant, FAR_FUTURE))
}

fn furthest_within(instant: Instant, mut duration: Duration) -> Instant {
    let mut reached = instant;
    while !duration.is_zero() {
        duration /= 2;
        if let Some(next) = reached.checked_add(duration) {
            reached = next;
        }
    }
    reached
}
