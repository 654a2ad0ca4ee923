//! The opt-in poll-time histogram: its configuration and each worker's bucket counters.
//!
//! The layout ([`HistogramConfiguration`]) is fixed when the runtime is built. Each worker owns
//! one [`PollHistogram`] and is its only writer: a poll's duration adds one to one bucket with a
//! relaxed load and store, no read-modify-write. Readers on other threads see each bucket's
//! count as of a moment ago, never a torn value.

use super::log_histogram::LogHistogram;
use super::saturating_nanos;
use crate::loom::sync::atomic::{AtomicU64, Ordering};
use std::ops::Range;
use std::time::Duration;

/// The bucket layout of the poll-time histogram, given to
/// [`Builder::metrics_poll_time_histogram_configuration`](crate::runtime::Builder::metrics_poll_time_histogram_configuration).
///
/// Without one, an enabled histogram has 10 linear buckets of 100 µs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HistogramConfiguration {
    layout: Layout,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    Linear {
        width_nanos: u64,
        num_buckets: usize,
    },
    Log(LogHistogram),
}

impl HistogramConfiguration {
    /// `num_buckets` buckets of `bucket_width` each; the last one also counts every longer poll.
    ///
    /// # Panics
    ///
    /// Panics if `bucket_width` or `num_buckets` is zero.
    #[track_caller]
    pub fn linear(bucket_width: Duration, num_buckets: usize) -> HistogramConfiguration {
        assert!(
            !bucket_width.is_zero(),
            "histogram bucket width must be greater than zero"
        );
        assert!(num_buckets > 0, "a histogram needs at least one bucket");
        HistogramConfiguration {
            layout: Layout::Linear {
                width_nanos: saturating_nanos(bucket_width),
                num_buckets,
            },
        }
    }

    /// A log-scaled layout (see [`LogHistogram`]).
    pub fn log(configuration: impl Into<LogHistogram>) -> HistogramConfiguration {
        HistogramConfiguration {
            layout: Layout::Log(configuration.into()),
        }
    }

    pub(crate) fn num_buckets(&self) -> usize {
        match self.layout {
            Layout::Linear { num_buckets, .. } => num_buckets,
            Layout::Log(log) => log.num_buckets(),
        }
    }

    /// The bucket that counts a poll of `nanos`.
    fn bucket_of(&self, nanos: u64) -> usize {
        match self.layout {
            Layout::Linear {
                width_nanos,
                num_buckets,
            } => usize::try_from(nanos / width_nanos)
                .unwrap_or(usize::MAX)
                .min(num_buckets - 1),
            Layout::Log(log) => log.bucket_of(nanos),
        }
    }

    /// The durations `bucket` counts; the last bucket ends at `u64::MAX` nanoseconds.
    ///
    /// # Panics
    ///
    /// Panics if `bucket` is not below [`num_buckets`](Self::num_buckets).
    #[track_caller]
    pub(crate) fn bucket_range(&self, bucket: usize) -> Range<Duration> {
        let buckets = self.num_buckets();
        assert!(
            bucket < buckets,
            "bucket index {bucket} out of range: the histogram has {buckets} bucket(s)"
        );
        let start = self.lower_bound(bucket);
        let end = if bucket + 1 == buckets {
            u64::MAX
        } else {
            self.lower_bound(bucket + 1)
        };
        Duration::from_nanos(start)..Duration::from_nanos(end)
    }

    fn lower_bound(&self, bucket: usize) -> u64 {
        match self.layout {
            Layout::Linear { width_nanos, .. } => width_nanos.saturating_mul(bucket as u64),
            Layout::Log(log) => log.lower_bound(bucket),
        }
    }
}

/// What the builder says about the histogram: off by default, and the layout to use once on.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PollTimeHistogramSetting {
    enabled: bool,
    configuration: HistogramConfiguration,
}

impl PollTimeHistogramSetting {
    pub(crate) fn enable(&mut self) {
        self.enabled = true;
    }

    pub(crate) fn configure(&mut self, configuration: HistogramConfiguration) {
        self.configuration = configuration;
    }

    /// The layout, if the histogram is enabled.
    pub(crate) fn get(&self) -> Option<HistogramConfiguration> {
        self.enabled.then_some(self.configuration)
    }
}

impl Default for PollTimeHistogramSetting {
    fn default() -> PollTimeHistogramSetting {
        PollTimeHistogramSetting {
            enabled: false,
            configuration: HistogramConfiguration::linear(Duration::from_micros(100), 10),
        }
    }
}

/// One worker's bucket counters.
#[derive(Debug)]
pub(crate) struct PollHistogram {
    configuration: HistogramConfiguration,
    counts: Box<[AtomicU64]>,
}

impl PollHistogram {
    pub(crate) fn new(configuration: HistogramConfiguration) -> PollHistogram {
        PollHistogram {
            configuration,
            counts: (0..configuration.num_buckets())
                .map(|_| AtomicU64::new(0))
                .collect(),
        }
    }

    pub(crate) fn configuration(&self) -> &HistogramConfiguration {
        &self.configuration
    }

    /// Counts one poll that took `duration`. Only the owning worker calls this.
    pub(crate) fn record(&self, duration: Duration) {
        let bucket = self.configuration.bucket_of(saturating_nanos(duration));
        let count = &self.counts[bucket];
        count.store(count.load(Ordering::Relaxed) + 1, Ordering::Relaxed);
    }

    /// The polls counted in `bucket` so far.
    #[track_caller]
    pub(crate) fn count(&self, bucket: usize) -> u64 {
        let buckets = self.counts.len();
        assert!(
            bucket < buckets,
            "bucket index {bucket} out of range: the histogram has {buckets} bucket(s)"
        );
        self.counts[bucket].load(Ordering::Relaxed)
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    fn assert_contiguous(configuration: HistogramConfiguration) {
        let buckets = configuration.num_buckets();
        assert_eq!(configuration.bucket_range(0).start, Duration::ZERO);
        for bucket in 1..buckets {
            let previous = configuration.bucket_range(bucket - 1);
            let range = configuration.bucket_range(bucket);
            assert_eq!(previous.end, range.start, "gap before bucket {bucket}");
            assert!(range.start < range.end);
        }
        let last = configuration.bucket_range(buckets - 1);
        assert_eq!(last.end, Duration::from_nanos(u64::MAX));
    }

    #[test]
    fn linear_buckets_are_contiguous_and_sort_values() {
        let configuration = HistogramConfiguration::linear(Duration::from_micros(10), 5);
        assert_contiguous(configuration);
        assert_eq!(configuration.bucket_of(0), 0);
        assert_eq!(configuration.bucket_of(9_999), 0);
        assert_eq!(configuration.bucket_of(10_000), 1);
        assert_eq!(configuration.bucket_of(u64::MAX), 4);
    }

    #[test]
    fn log_buckets_are_contiguous_and_sort_values() {
        let configuration = HistogramConfiguration::log(LogHistogram::builder().max_error(0.1));
        assert_contiguous(configuration);
        for nanos in [0, 99, 100, 1_000, 123_456, 10_000_000_000, u64::MAX] {
            let range = configuration.bucket_range(configuration.bucket_of(nanos));
            let value = Duration::from_nanos(nanos);
            assert!(
                range.contains(&value) || (nanos == u64::MAX && range.end == value),
                "{nanos} ns not in {range:?}"
            );
        }
    }

    #[test]
    fn recording_counts_in_the_matching_bucket() {
        let histogram =
            PollHistogram::new(HistogramConfiguration::linear(Duration::from_millis(1), 3));
        histogram.record(Duration::from_micros(1_500));
        histogram.record(Duration::from_secs(1));
        histogram.record(Duration::from_secs(1));
        assert_eq!(
            [histogram.count(0), histogram.count(1), histogram.count(2)],
            [0, 1, 2]
        );
    }

    #[test]
    #[should_panic(expected = "greater than zero")]
    fn a_zero_width_is_refused() {
        HistogramConfiguration::linear(Duration::ZERO, 3);
    }
}
