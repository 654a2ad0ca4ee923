//! The clock polls are stamped with: cheap enough to read on every poll, and one timebase with
//! a precise clock for the moments that need one.
//!
//! A precise monotonic read costs tens of nanoseconds on common virtual machines (more than a
//! small task's whole poll), so a poll's start is read from the kernel's coarse monotonic clock
//! instead: on Linux `CLOCK_MONOTONIC_COARSE`, which the vDSO answers from the last timer tick
//! without touching the hardware counter. It lags the real time by at most one tick (1 to 4 ms),
//! never leads it. [`precise`] reads `CLOCK_MONOTONIC`, the same timebase without the lag, for
//! the rare readers (a dump, the watchdog, a poll already known to be long). Elsewhere both read
//! `Instant` and count from a process-wide epoch.
//!
//! Both return nanoseconds; differences are taken with saturating arithmetic, so a coarse stamp
//! compared with a later precise reading is never negative.

use std::time::Duration;

/// Nanoseconds on the poll clock's timebase, at most one kernel tick old.
#[inline]
pub(crate) fn coarse() -> u64 {
    imp::now(imp::COARSE)
}

/// Nanoseconds on the poll clock's timebase, as exact as the platform gives.
pub(crate) fn precise() -> u64 {
    imp::now(imp::PRECISE)
}

/// The time from `earlier` to `later`, zero if `later` is not later.
pub(crate) fn between(earlier: u64, later: u64) -> Duration {
    Duration::from_nanos(later.saturating_sub(earlier))
}

#[cfg(target_os = "linux")]
mod imp {
    pub(super) const COARSE: libc::clockid_t = libc::CLOCK_MONOTONIC_COARSE;
    pub(super) const PRECISE: libc::clockid_t = libc::CLOCK_MONOTONIC;

    #[inline]
    pub(super) fn now(clock: libc::clockid_t) -> u64 {
        let mut now = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `now` is a valid, writable `timespec`, and both clock ids exist on every
        // Linux this crate supports (since 2.6.32), so the call only writes that struct.
        let status = unsafe { libc::clock_gettime(clock, &mut now) };
        debug_assert_eq!(status, 0, "eddy: clock_gettime failed");
        // A monotonic clock is never negative; the casts cannot lose anything for 584 years.
        (now.tv_sec as u64) * 1_000_000_000 + now.tv_nsec as u64
    }
}

#[cfg(not(target_os = "linux"))]
mod imp {
    use std::sync::OnceLock;
    use std::time::Instant;

    pub(super) const COARSE: () = ();
    pub(super) const PRECISE: () = ();

    /// The instant readings count from.
    fn epoch() -> Instant {
        static EPOCH: OnceLock<Instant> = OnceLock::new();
        *EPOCH.get_or_init(Instant::now)
    }

    #[inline]
    pub(super) fn now(_clock: ()) -> u64 {
        let elapsed = Instant::now().saturating_duration_since(epoch());
        u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_coarse_clock_never_leads_the_precise_one() {
        let coarse = coarse();
        let precise = precise();
        assert!(coarse <= precise);
        assert_eq!(between(precise, coarse), Duration::ZERO);
    }
}
