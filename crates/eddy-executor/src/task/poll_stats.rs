//! Per-task poll statistics for task dumps: how often a task was polled and when last.
//!
//! Reading the clock costs tens of nanoseconds on common virtual machines, as much as a whole
//! poll of a small task, so polls are stamped from a per-thread coarse clock instead: it is read
//! for real once every [`REFRESH_EVERY`] polls on a thread, and right after the thread wakes
//! from a park (`mark_thread_woken`). A stamp is therefore late by at most the length of the
//! few polls before it on the same thread, which is what "time since last poll" in a dump can
//! afford; precise poll timing is the job of slow-poll detection and the poll-time histogram,
//! which read the real clock when enabled.
//!
//! The counters are std atomics even under loom, like the task-id counter: only the poller
//! writes them (it holds `RUNNING`), nothing synchronizes on them and a dump reads them
//! relaxed, so modelling them would only multiply loom's interleavings.

use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Polls between two real reads of the clock on one thread.
const REFRESH_EVERY: u32 = 32;

thread_local! {
    /// The last clock reading on this thread (nanoseconds since [`epoch`]) and the polls left
    /// before the next one.
    static COARSE_CLOCK: Cell<(u64, u32)> = const { Cell::new((0, 0)) };
}

/// The instant stamps count from.
fn epoch() -> Instant {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

/// Nanoseconds since [`epoch`], at least 1 so that 0 can mean "never".
fn nanos_since_epoch(now: Instant) -> u64 {
    let nanos = now.saturating_duration_since(epoch()).as_nanos();
    u64::try_from(nanos).unwrap_or(u64::MAX).max(1)
}

/// The coarse time of a poll starting now on this thread.
fn coarse_now() -> u64 {
    COARSE_CLOCK
        .try_with(|clock| {
            let (stamp, left) = clock.get();
            if left == 0 {
                let stamp = nanos_since_epoch(Instant::now());
                clock.set((stamp, REFRESH_EVERY - 1));
                stamp
            } else {
                clock.set((stamp, left - 1));
                stamp
            }
        })
        .unwrap_or_else(|_| nanos_since_epoch(Instant::now()))
}

/// Makes the next poll on this thread read the real clock: the thread slept, so its coarse
/// clock is stale. Schedulers call this when they return from parking.
pub(crate) fn mark_thread_woken() {
    let _ = COARSE_CLOCK.try_with(|clock| clock.set((clock.get().0, 0)));
}

/// How often a task was polled and when it last started a poll.
#[derive(Debug, Default)]
pub(crate) struct PollStats {
    polls: AtomicU64,
    /// Coarse nanoseconds since the epoch at the start of the last poll; 0 before the first.
    last_poll: AtomicU64,
}

impl PollStats {
    /// Counts a poll that starts now. Called by the poller only (it holds `RUNNING`), so a load
    /// and a store are enough.
    pub(crate) fn record_poll(&self) {
        let polls = self.polls.load(Ordering::Relaxed);
        self.polls.store(polls.wrapping_add(1), Ordering::Relaxed);
        self.last_poll.store(coarse_now(), Ordering::Relaxed);
    }

    /// Polls so far.
    pub(crate) fn polls(&self) -> u64 {
        self.polls.load(Ordering::Relaxed)
    }

    /// Time from the start of the last poll to `now`, or `None` if the task was never polled.
    pub(crate) fn since_last_poll(&self, now: Instant) -> Option<Duration> {
        match self.last_poll.load(Ordering::Relaxed) {
            0 => None,
            stamp => Some(Duration::from_nanos(
                nanos_since_epoch(now).saturating_sub(stamp),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_polls_and_stamps_them() {
        let stats = PollStats::default();
        assert_eq!(stats.polls(), 0);
        assert_eq!(stats.since_last_poll(Instant::now()), None);
        mark_thread_woken();
        stats.record_poll();
        stats.record_poll();
        assert_eq!(stats.polls(), 2);
        let later = Instant::now() + Duration::from_secs(5);
        assert!(stats.since_last_poll(later).unwrap() >= Duration::from_secs(5));
    }
}
