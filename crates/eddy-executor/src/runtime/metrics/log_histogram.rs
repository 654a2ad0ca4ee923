//! The log-scaled bucket layout of the poll-time histogram.
//!
//! Values are nanoseconds. With precision `p`, every power-of-two range `[2^h, 2^(h+1))` is cut
//! into `2^p` equal buckets, so a bucket is at most `2^-p` of its lower bound wide: the relative
//! error of "the poll took about this long" is bounded by `2^-p`. Below `2^p` every nanosecond
//! has its own bucket. This gives a *raw* index for any `u64`, contiguous and increasing:
//!
//! ```text
//! v < 2^p:   raw(v) = v
//! v >= 2^p:  h = floor(log2 v), s = h - p,  raw(v) = (s + 1) * 2^p + (v >> s) - 2^p
//! ```
//!
//! A histogram keeps only the raw indices between `raw(min_value)` and `raw(max_value)`: every
//! shorter value lands in bucket 0, every longer one in the last bucket, which reaches to
//! `u64::MAX` nanoseconds.

use super::saturating_nanos;
use std::error::Error;
use std::fmt;
use std::time::Duration;

const DEFAULT_MIN_VALUE: Duration = Duration::from_nanos(100);
/// 2^36 ns, about 68.7 s.
const DEFAULT_MAX_VALUE: Duration = Duration::from_nanos(1 << 36);
/// A relative error of at most 2^-2 = 25 %.
const DEFAULT_PRECISION: u32 = 2;
/// The finest precision: 2^-10, about 0.1 %.
const MAX_PRECISION: u32 = 10;

/// A log-scaled layout for the poll-time histogram, built with [`LogHistogram::builder`].
///
/// Bucket widths grow with the values they hold, so the histogram resolves 200 ns polls and
/// 2 s polls alike with a bounded relative error, in a few hundred buckets at most. Bucket 0
/// holds every poll shorter than the minimum value; the last bucket every poll from about the
/// maximum value up.
///
/// The default layout covers 100 ns to about 68.7 s with a relative error of at most 25 %, in
/// 119 buckets.
///
/// ```
/// use eddy_executor::runtime::{Builder, HistogramConfiguration, LogHistogram};
/// use std::time::Duration;
///
/// let layout = LogHistogram::builder()
///     .max_error(0.1)
///     .min_value(Duration::from_micros(10))
///     .max_value(Duration::from_secs(1))
///     .build();
/// let rt = Builder::new_current_thread()
///     .enable_metrics_poll_time_histogram()
///     .metrics_poll_time_histogram_configuration(HistogramConfiguration::log(layout))
///     .build()
///     .unwrap();
/// assert!(rt.metrics().poll_time_histogram_num_buckets() > 2);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogHistogram {
    precision: u32,
    /// The raw index of the minimum value: raw indices up to it share bucket 0.
    first_raw: usize,
    num_buckets: usize,
}

/// Settings of a [`LogHistogram`]: precision, smallest and largest value of interest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogHistogramBuilder {
    precision: u32,
    min_value: Duration,
    max_value: Duration,
}

/// The error of [`LogHistogramBuilder::max_buckets`]: the layout needs more buckets than allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidHistogramConfiguration {
    required_buckets: usize,
    max_buckets: usize,
}

impl LogHistogram {
    /// A builder starting from the default layout.
    pub fn builder() -> LogHistogramBuilder {
        LogHistogramBuilder::default()
    }

    /// The lower bound, in nanoseconds, of the last bucket: every longer poll is counted there.
    pub fn max_value(&self) -> u64 {
        self.lower_bound(self.num_buckets - 1)
    }

    pub(crate) fn num_buckets(&self) -> usize {
        self.num_buckets
    }

    /// The bucket that counts a poll of `nanos`.
    pub(crate) fn bucket_of(&self, nanos: u64) -> usize {
        let raw = raw_index(nanos, self.precision);
        raw.saturating_sub(self.first_raw).min(self.num_buckets - 1)
    }

    /// The first value, in nanoseconds, of `bucket` (0 for bucket 0).
    pub(crate) fn lower_bound(&self, bucket: usize) -> u64 {
        if bucket == 0 {
            return 0;
        }
        raw_lower_bound(self.first_raw + bucket, self.precision)
    }
}

impl Default for LogHistogram {
    fn default() -> LogHistogram {
        LogHistogramBuilder::default().build()
    }
}

impl LogHistogramBuilder {
    /// The largest relative error a bucket may have, in `(0, 1)`: the precision becomes the
    /// coarsest power of two `2^-p` at or below `max_error` (default 0.25).
    ///
    /// # Panics
    ///
    /// Panics if `max_error` is not strictly between 0 and 1, or is finer than 2^-10.
    #[track_caller]
    pub fn max_error(self, max_error: f64) -> LogHistogramBuilder {
        assert!(
            max_error > 0.0 && max_error < 1.0,
            "max_error must be between 0 and 1 (exclusive), got {max_error}"
        );
        let precision = (0..=MAX_PRECISION)
            .find(|&p| (-f64::from(p)).exp2() <= max_error)
            .unwrap_or_else(|| {
                panic!("max_error {max_error} is finer than the finest precision (2^-10)")
            });
        self.precision_exact(precision)
    }

    /// Sets the precision directly: buckets are at most `2^-precision` of their value wide.
    ///
    /// # Panics
    ///
    /// Panics if `precision` is above 10.
    #[track_caller]
    pub fn precision_exact(mut self, precision: u32) -> LogHistogramBuilder {
        assert!(
            precision <= MAX_PRECISION,
            "precision must be at most {MAX_PRECISION}, got {precision}"
        );
        self.precision = precision;
        self
    }

    /// Polls shorter than this all land in bucket 0 (default 100 ns).
    pub fn min_value(mut self, min_value: Duration) -> LogHistogramBuilder {
        self.min_value = min_value;
        self
    }

    /// Polls from about this long up all land in the last bucket (default about 68.7 s).
    pub fn max_value(mut self, max_value: Duration) -> LogHistogramBuilder {
        self.max_value = max_value;
        self
    }

    /// Builds the layout if it needs at most `max_buckets` buckets.
    pub fn max_buckets(
        &mut self,
        max_buckets: usize,
    ) -> Result<LogHistogram, InvalidHistogramConfiguration> {
        let histogram = self.build();
        if histogram.num_buckets > max_buckets {
            return Err(InvalidHistogramConfiguration {
                required_buckets: histogram.num_buckets,
                max_buckets,
            });
        }
        Ok(histogram)
    }

    /// Builds the layout. A maximum below the minimum gives a single bucket.
    pub fn build(&self) -> LogHistogram {
        let first_raw = raw_index(saturating_nanos(self.min_value), self.precision);
        let last_raw = raw_index(saturating_nanos(self.max_value), self.precision);
        LogHistogram {
            precision: self.precision,
            first_raw,
            num_buckets: last_raw.saturating_sub(first_raw) + 1,
        }
    }
}

impl Default for LogHistogramBuilder {
    fn default() -> LogHistogramBuilder {
        LogHistogramBuilder {
            precision: DEFAULT_PRECISION,
            min_value: DEFAULT_MIN_VALUE,
            max_value: DEFAULT_MAX_VALUE,
        }
    }
}

impl From<LogHistogramBuilder> for LogHistogram {
    fn from(builder: LogHistogramBuilder) -> LogHistogram {
        builder.build()
    }
}

impl fmt::Display for InvalidHistogramConfiguration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the histogram needs {} buckets, more than the {} allowed",
            self.required_buckets, self.max_buckets
        )
    }
}

impl Error for InvalidHistogramConfiguration {}

/// The raw bucket index of `nanos` at `precision` (see the module docs).
fn raw_index(nanos: u64, precision: u32) -> usize {
    let exact = 1u64 << precision;
    if nanos < exact {
        return nanos as usize;
    }
    let shift = nanos.ilog2() - precision;
    let level = (u64::from(shift) + 1) << precision;
    (level + (nanos >> shift) - exact) as usize
}

/// The smallest value whose raw index is `raw`; the inverse of [`raw_index`] on bucket starts.
fn raw_lower_bound(raw: usize, precision: u32) -> u64 {
    let exact = 1usize << precision;
    if raw < exact {
        return raw as u64;
    }
    let shift = (raw >> precision) - 1;
    let sub = raw & (exact - 1);
    ((exact + sub) as u64) << shift
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    #[test]
    fn raw_indices_are_contiguous_and_invert() {
        for precision in [0, 2, 5, 10] {
            let mut previous = raw_index(0, precision);
            for value in 1..5_000u64 {
                let raw = raw_index(value, precision);
                assert!(raw == previous || raw == previous + 1, "gap at {value}");
                if raw != previous {
                    assert_eq!(raw_lower_bound(raw, precision), value);
                }
                previous = raw;
            }
            let top = raw_index(u64::MAX, precision);
            assert_eq!(raw_index(raw_lower_bound(top, precision), precision), top);
        }
    }

    #[test]
    fn buckets_respect_the_error_bound() {
        let histogram = LogHistogram::builder().precision_exact(3).build();
        for bucket in 1..histogram.num_buckets() - 1 {
            let low = histogram.lower_bound(bucket);
            let high = histogram.lower_bound(bucket + 1);
            assert!(high > low);
            assert!(
                (high - low) as f64 <= low as f64 / 8.0 + 1.0,
                "bucket {bucket}"
            );
        }
    }

    #[test]
    fn default_layout() {
        let histogram = LogHistogram::default();
        assert_eq!(histogram.num_buckets(), 119);
        assert_eq!(histogram.bucket_of(0), 0);
        assert_eq!(histogram.bucket_of(50), 0);
        assert_eq!(histogram.bucket_of(u64::MAX), 118);
        assert!(histogram.max_value() <= 1 << 36);
    }

    #[test]
    fn max_error_picks_the_coarsest_precision_within_bound() {
        let builder = LogHistogram::builder();
        assert_eq!(builder.max_error(0.25).precision, 2);
        assert_eq!(builder.max_error(0.2).precision, 3);
        assert_eq!(builder.max_error(0.5).precision, 1);
    }

    #[test]
    fn max_buckets_refuses_large_layouts() {
        let mut builder = LogHistogram::builder().precision_exact(10);
        let error = builder.max_buckets(100).unwrap_err();
        assert!(error.to_string().contains("more than the 100 allowed"));
        assert!(LogHistogram::builder().max_buckets(119).is_ok());
    }

    #[test]
    fn a_maximum_below_the_minimum_gives_one_bucket() {
        let histogram = LogHistogram::builder()
            .min_value(Duration::from_secs(1))
            .max_value(Duration::from_millis(1))
            .build();
        assert_eq!(histogram.num_buckets(), 1);
        assert_eq!(histogram.bucket_of(12345), 0);
    }
}
