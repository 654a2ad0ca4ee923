//! Per-task poll statistics for task dumps: how often a task was polled and when last.
//!
//! Both live in one word, so a task header stays small enough for the allocator's fast bins:
//! the low half counts polls (saturating), the high half stamps the start of the last poll in
//! milliseconds of the poll clock, modulo 2^32. Time since the last poll is a wrapping
//! difference, right for gaps under 49 days.
//!
//! Each poll reads the poll clock's coarse side (`poll_clock.rs`), which costs a few
//! nanoseconds and is at most one kernel tick behind: a stamp is the start of that very poll,
//! whatever ran before it on the thread, give or take a tick.
//!
//! The word is a std atomic even under loom, like the task-id counter: only the poller writes
//! it (it holds `RUNNING`), nothing synchronizes on it and a dump reads it relaxed, so modelling
//! it would only multiply loom's interleavings.

use super::poll_clock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

const NANOS_PER_MILLI: u64 = 1_000_000;

/// A poll-clock reading in wrapped milliseconds, the stamp's unit.
fn millis(nanos: u64) -> u32 {
    // Truncation is the point: stamps are compared with wrapping arithmetic.
    (nanos / NANOS_PER_MILLI) as u32
}

/// How often a task was polled and when it last started a poll, packed in one word.
#[derive(Debug, Default)]
pub(crate) struct PollStats(AtomicU64);

impl PollStats {
    /// Counts a poll that starts now and returns its start on the poll clock. Called by the
    /// poller only (it holds `RUNNING`), so a load and a store are enough.
    #[inline]
    pub(crate) fn record_poll(&self) -> u64 {
        let polls = (self.0.load(Ordering::Relaxed) as u32).saturating_add(1);
        let started = poll_clock::coarse();
        let word = u64::from(millis(started)) << 32 | u64::from(polls);
        self.0.store(word, Ordering::Relaxed);
        started
    }

    /// Polls so far (it stops counting at `u32::MAX`).
    pub(crate) fn polls(&self) -> u64 {
        u64::from(self.0.load(Ordering::Relaxed) as u32)
    }

    /// Time from the start of the last poll to `now` (a poll-clock reading), or `None` if the
    /// task was never polled.
    pub(crate) fn since_last_poll(&self, now: u64) -> Option<Duration> {
        let word = self.0.load(Ordering::Relaxed);
        if word as u32 == 0 {
            return None;
        }
        let stamp = (word >> 32) as u32;
        let elapsed = millis(now).wrapping_sub(stamp);
        Some(Duration::from_millis(u64::from(elapsed)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_polls_and_stamps_them() {
        let stats = PollStats::default();
        assert_eq!(stats.polls(), 0);
        assert_eq!(stats.since_last_poll(poll_clock::precise()), None);
        let started = stats.record_poll();
        stats.record_poll();
        assert_eq!(stats.polls(), 2);
        let later = started + 5_000 * NANOS_PER_MILLI;
        assert!(stats.since_last_poll(later).unwrap() >= Duration::from_secs(5));
    }

    #[test]
    fn the_count_saturates_instead_of_wrapping() {
        let stats = PollStats(AtomicU64::new(u64::from(u32::MAX)));
        stats.record_poll();
        assert_eq!(stats.polls(), u64::from(u32::MAX));
    }
}
