//! Per-task poll statistics for task dumps: how often a task was polled and when last.
//!
//! Both live in one word, so a task header stays small enough for the allocator's fast bins:
//! the low half counts polls (saturating), the high half stamps the last poll in milliseconds
//! since a process-wide epoch, modulo 2^32. Time since the last poll is a wrapping difference,
//! right for gaps under 49 days.
//!
//! Reading the clock costs tens of nanoseconds on common virtual machines, as much as a whole
//! poll of a small task, so polls are stamped from a per-thread coarse clock instead: it is read
//! for real once every [`REFRESH_EVERY`] polls on a thread, and right after the thread wakes
//! from a park (`mark_thread_woken`). A stamp is therefore late by at most the length of the
//! few polls before it on the same thread, which is what "time since last poll" in a dump can
//! afford; precise poll timing is the job of slow-poll detection and the poll-time histogram,
//! which read the real clock when enabled.
//!
//! The word is a std atomic even under loom, like the task-id counter: only the poller writes
//! it (it holds `RUNNING`), nothing synchronizes on it and a dump reads it relaxed, so modelling
//! it would only multiply loom's interleavings.

use std::cell::Cell;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Polls between two real reads of the clock on one thread.
const REFRESH_EVERY: u32 = 32;

thread_local! {
    /// The last clock reading on this thread (milliseconds since [`epoch`], wrapped) and the
    /// polls left before the next one.
    static COARSE_CLOCK: Cell<(u32, u32)> = const { Cell::new((0, 0)) };
}

/// The instant stamps count from.
fn epoch() -> Instant {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

/// Milliseconds since [`epoch`], wrapped to 32 bits.
fn millis_since_epoch(now: Instant) -> u32 {
    // Truncation is the point: stamps are compared with wrapping arithmetic.
    now.saturating_duration_since(epoch()).as_millis() as u32
}

/// The coarse time of a poll starting now on this thread.
#[inline]
fn coarse_now() -> u32 {
    COARSE_CLOCK
        .try_with(|clock| match clock.get() {
            (_, 0) => refresh(clock),
            (stamp, left) => {
                clock.set((stamp, left - 1));
                stamp
            }
        })
        .unwrap_or_else(|_| millis_since_epoch(Instant::now()))
}

/// Reads the real clock into this thread's coarse clock.
#[cold]
fn refresh(clock: &Cell<(u32, u32)>) -> u32 {
    let stamp = millis_since_epoch(Instant::now());
    clock.set((stamp, REFRESH_EVERY - 1));
    stamp
}

/// Makes the next poll on this thread read the real clock: the thread slept, so its coarse
/// clock is stale. Schedulers call this when they return from parking.
pub(crate) fn mark_thread_woken() {
    let _ = COARSE_CLOCK.try_with(|clock| clock.set((clock.get().0, 0)));
}

/// How often a task was polled and when it last started a poll, packed in one word.
#[derive(Debug, Default)]
pub(crate) struct PollStats(AtomicU64);

impl PollStats {
    /// Counts a poll that starts now. Called by the poller only (it holds `RUNNING`), so a load
    /// and a store are enough.
    #[inline]
    pub(crate) fn record_poll(&self) {
        let polls = (self.0.load(Ordering::Relaxed) as u32).saturating_add(1);
        let stamp = coarse_now();
        self.0
            .store(u64::from(stamp) << 32 | u64::from(polls), Ordering::Relaxed);
    }

    /// Polls so far (it stops counting at `u32::MAX`).
    pub(crate) fn polls(&self) -> u64 {
        u64::from(self.0.load(Ordering::Relaxed) as u32)
    }

    /// Time from the start of the last poll to `now`, or `None` if the task was never polled.
    pub(crate) fn since_last_poll(&self, now: Instant) -> Option<Duration> {
        let word = self.0.load(Ordering::Relaxed);
        if word as u32 == 0 {
            return None;
        }
        let stamp = (word >> 32) as u32;
        let elapsed = millis_since_epoch(now).wrapping_sub(stamp);
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
        assert_eq!(stats.since_last_poll(Instant::now()), None);
        mark_thread_woken();
        stats.record_poll();
        stats.record_poll();
        assert_eq!(stats.polls(), 2);
        let later = Instant::now() + Duration::from_secs(5);
        assert!(stats.since_last_poll(later).unwrap() >= Duration::from_secs(5));
    }

    #[test]
    fn the_count_saturates_instead_of_wrapping() {
        let stats = PollStats(AtomicU64::new(u64::from(u32::MAX)));
        stats.record_poll();
        assert_eq!(stats.polls(), u64::from(u32::MAX));
    }
}
