//! One worker's metrics: the counters it publishes ([`WorkerMetrics`]) and the private
//! bookkeeping behind them ([`WorkerStats`]).
//!
//! Every counter of a `WorkerMetrics` has one writer: the thread that holds the worker's run
//! state (the multi-thread core, or the current-thread core and its local queue). It adds with
//! a relaxed load and store, not a read-modify-write, so counting costs about as much as
//! incrementing a plain field. When the run state moves to another thread (`block_in_place`,
//! or another `block_on` taking the current-thread core) the hand-over synchronises, so the new
//! writer starts from the last value. Readers see each counter as of a moment ago.
//!
//! Clock reads happen per batch, not per poll: at an unpark, at a park, and at the periodic
//! maintenance tick. The time between two of them is the worker's busy time, and divided by the
//! polls in between it is one sample of the mean poll time. Only the opt-in histogram reads the
//! clock around each poll.

use super::histogram::{HistogramConfiguration, PollHistogram};
use super::saturating_nanos;
use crate::loom::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Instant;

/// The weight of one poll in the mean poll time: a batch of `n` polls moves the mean by
/// `1 - (1 - w)^n` of the way to the batch's mean, so about the last 30 polls dominate it.
const POLL_TIME_WEIGHT: f64 = 0.1;

/// The published counters of one worker. Aligned so that two workers' counters never share a
/// cache line.
#[derive(Debug)]
#[repr(align(128))]
pub(crate) struct WorkerMetrics {
    pub(in crate::runtime) park_count: AtomicU64,
    pub(in crate::runtime) park_unpark_count: AtomicU64,
    pub(in crate::runtime) noop_count: AtomicU64,
    pub(in crate::runtime) steal_count: AtomicU64,
    pub(in crate::runtime) steal_operations: AtomicU64,
    pub(in crate::runtime) poll_count: AtomicU64,
    pub(in crate::runtime) local_schedule_count: AtomicU64,
    pub(in crate::runtime) overflow_count: AtomicU64,
    pub(in crate::runtime) busy_nanos: AtomicU64,
    pub(in crate::runtime) mean_poll_nanos: AtomicU64,
    pub(in crate::runtime) forced_yield_count: AtomicU64,
    /// The local queue's length, for schedulers whose queue other threads cannot read
    /// (current-thread: stored on every push and pop).
    pub(in crate::runtime) queue_depth: AtomicUsize,
    pub(in crate::runtime) poll_histogram: Option<PollHistogram>,
}

impl WorkerMetrics {
    /// Counters at zero; a histogram with `histogram`'s layout if it is enabled.
    pub(crate) fn new(histogram: Option<HistogramConfiguration>) -> WorkerMetrics {
        WorkerMetrics {
            park_count: AtomicU64::new(0),
            park_unpark_count: AtomicU64::new(0),
            noop_count: AtomicU64::new(0),
            steal_count: AtomicU64::new(0),
            steal_operations: AtomicU64::new(0),
            poll_count: AtomicU64::new(0),
            local_schedule_count: AtomicU64::new(0),
            overflow_count: AtomicU64::new(0),
            busy_nanos: AtomicU64::new(0),
            mean_poll_nanos: AtomicU64::new(0),
            forced_yield_count: AtomicU64::new(0),
            queue_depth: AtomicUsize::new(0),
            poll_histogram: histogram.map(PollHistogram::new),
        }
    }

    /// A task was queued on this worker by code running on it.
    pub(crate) fn record_local_schedule(&self) {
        add(&self.local_schedule_count, 1);
    }

    /// The local queue was full: tasks went to the shared queue instead.
    #[cfg(feature = "multi-thread")]
    pub(crate) fn record_overflow(&self) {
        add(&self.overflow_count, 1);
    }

    /// One steal took `tasks` tasks from another worker.
    #[cfg(feature = "multi-thread")]
    pub(crate) fn record_steal(&self, tasks: usize) {
        add(&self.steal_count, tasks as u64);
        add(&self.steal_operations, 1);
    }

    /// Publishes the local queue's length.
    pub(crate) fn set_queue_depth(&self, depth: usize) {
        self.queue_depth.store(depth, Ordering::Relaxed);
    }

    /// The local queue's length as last published.
    pub(crate) fn queue_depth(&self) -> usize {
        self.queue_depth.load(Ordering::Relaxed)
    }
}

/// Adds `n` to a counter that only the calling thread writes.
fn add(counter: &AtomicU64, n: u64) {
    counter.store(
        counter.load(Ordering::Relaxed).wrapping_add(n),
        Ordering::Relaxed,
    );
}

/// The worker-private side of the metrics; travels with the worker's run state.
#[derive(Debug)]
pub(crate) struct WorkerStats {
    /// Start of the current busy period (and mean-poll-time batch): the first task poll since
    /// the last flush. Taken lazily, so that a `block_on` or a wake-up that polls no task
    /// reads no clock (a clock read costs about as much as a small poll).
    busy_since: Option<Instant>,
    /// Polls since `busy_since`.
    batch_polls: u64,
    /// Woken, and no task polled since: the next park counts as a no-op.
    idle_since_unpark: bool,
    /// Start of the running poll, when the histogram is on.
    poll_started: Option<Instant>,
    mean_poll_nanos: Option<f64>,
    /// This thread's forced-yield count (`eddy_core::coop`) when last published.
    forced_yields_seen: u64,
}

impl WorkerStats {
    pub(crate) fn new() -> WorkerStats {
        WorkerStats {
            busy_since: None,
            batch_polls: 0,
            idle_since_unpark: false,
            poll_started: None,
            mean_poll_nanos: None,
            forced_yields_seen: eddy_core::coop::forced_yield_count(),
        }
    }

    /// The worker starts running on the calling thread.
    pub(crate) fn start(&mut self) {
        self.busy_since = None;
        self.batch_polls = 0;
        self.idle_since_unpark = false;
        // A poll that gave the run state away (`block_in_place`) ended on the old thread.
        self.poll_started = None;
        self.forced_yields_seen = eddy_core::coop::forced_yield_count();
    }

    /// One task poll is about to start.
    #[inline]
    pub(crate) fn start_poll(&mut self, metrics: &WorkerMetrics) {
        add(&metrics.poll_count, 1);
        self.batch_polls += 1;
        self.idle_since_unpark = false;
        if self.busy_since.is_none() {
            self.start_busy_period();
        }
        if metrics.poll_histogram.is_some() {
            self.start_poll_timer();
        }
    }

    /// The poll started by [`start_poll`](Self::start_poll) returned.
    #[inline]
    pub(crate) fn end_poll(&mut self, metrics: &WorkerMetrics) {
        if let Some(histogram) = &metrics.poll_histogram {
            self.record_poll_time(histogram);
        }
    }

    /// The first poll since the last flush: the busy period starts now.
    #[cold]
    fn start_busy_period(&mut self) {
        self.busy_since = Some(Instant::now());
    }

    /// The histogram's clock read before a poll, out of line: it is off by default.
    #[cold]
    fn start_poll_timer(&mut self) {
        self.poll_started = Some(Instant::now());
    }

    #[cold]
    fn record_poll_time(&mut self, histogram: &PollHistogram) {
        if let Some(started) = self.poll_started.take() {
            histogram.record(started.elapsed());
        }
    }

    /// The worker is about to sleep: close the busy period.
    pub(crate) fn about_to_park(&mut self, metrics: &WorkerMetrics) {
        add(&metrics.park_count, 1);
        add(&metrics.park_unpark_count, 1);
        if self.idle_since_unpark {
            add(&metrics.noop_count, 1);
        }
        self.flush(metrics);
    }

    /// The worker woke up: open a busy period.
    pub(crate) fn unparked(&mut self, metrics: &WorkerMetrics) {
        add(&metrics.park_unpark_count, 1);
        self.busy_since = None;
        self.batch_polls = 0;
        self.idle_since_unpark = true;
    }

    /// Publishes the busy time, the mean poll time and the forced yields since the last flush
    /// (called at each park and periodically while busy).
    pub(crate) fn flush(&mut self, metrics: &WorkerMetrics) {
        if let Some(since) = self.busy_since.take() {
            let elapsed = saturating_nanos(since.elapsed());
            add(&metrics.busy_nanos, elapsed);
            let mean = self.update_mean_poll_time(elapsed, self.batch_polls.max(1));
            metrics.mean_poll_nanos.store(mean, Ordering::Relaxed);
        }
        self.batch_polls = 0;
        let forced_yields = eddy_core::coop::forced_yield_count();
        add(
            &metrics.forced_yield_count,
            forced_yields.wrapping_sub(self.forced_yields_seen),
        );
        self.forced_yields_seen = forced_yields;
    }

    /// The moving mean of this worker's poll times, once it has polled a task (a multi-thread
    /// worker tunes its injection-queue interval from it).
    #[cfg(feature = "multi-thread")]
    pub(crate) fn mean_poll_nanos(&self) -> Option<f64> {
        self.mean_poll_nanos
    }

    /// Folds a batch of `polls` polls that took `nanos` in total into the moving mean.
    fn update_mean_poll_time(&mut self, nanos: u64, polls: u64) -> u64 {
        let sample = nanos as f64 / polls as f64;
        let mean = match self.mean_poll_nanos {
            None => sample,
            Some(mean) => {
                let polls = i32::try_from(polls).unwrap_or(i32::MAX);
                let weight = 1.0 - (1.0 - POLL_TIME_WEIGHT).powi(polls);
                mean + weight * (sample - mean)
            }
        };
        self.mean_poll_nanos = Some(mean);
        mean as u64
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    #[test]
    fn the_mean_poll_time_follows_recent_batches() {
        let mut stats = WorkerStats::new();
        assert_eq!(stats.update_mean_poll_time(1_000, 10), 100);
        // A long batch of slower polls pulls the mean almost all the way.
        let mean = stats.update_mean_poll_time(1_000_000, 1_000);
        assert!((990..=1_000).contains(&mean), "{mean}");
        // One fast poll moves it by a tenth of the way.
        let mean = stats.update_mean_poll_time(0, 1);
        assert!((890..=910).contains(&mean), "{mean}");
    }

    #[test]
    fn a_park_without_a_poll_since_the_unpark_is_a_noop() {
        let metrics = WorkerMetrics::new(None);
        let mut stats = WorkerStats::new();
        stats.start();
        stats.about_to_park(&metrics);
        stats.unparked(&metrics);
        stats.about_to_park(&metrics);
        stats.unparked(&metrics);
        stats.start_poll(&metrics);
        stats.end_poll(&metrics);
        stats.about_to_park(&metrics);
        assert_eq!(metrics.noop_count.load(Ordering::Relaxed), 1);
        assert_eq!(metrics.park_count.load(Ordering::Relaxed), 3);
        assert_eq!(metrics.park_unpark_count.load(Ordering::Relaxed), 5);
        assert_eq!(metrics.poll_count.load(Ordering::Relaxed), 1);
    }
}
