//! Runtime metrics: what the workers, queues, blocking pool and I/O driver did, read from any
//! thread. All of it is stable API, with no configuration flag; only the poll-time histogram
//! is opt-in, because it reads the clock around every poll.
//!
//! * `RuntimeMetrics` (`runtime_metrics.rs`, above the scheduler) is the public view; it reads
//!   the counters where they live and never blocks a worker.
//! * Each worker publishes its counters in a [`WorkerMetrics`] that only it writes
//!   (`worker.rs`), with relaxed loads and stores: no read-modify-write on the hot path and no
//!   cache line shared with another worker.
//! * The histogram's layout is linear ([`HistogramConfiguration::linear`]) or log-scaled
//!   ([`LogHistogram`], `log_histogram.rs`); each worker counts into its own buckets
//!   (`histogram.rs`).
//!
//! Values are snapshots: exact once the runtime is quiet, never torn, but a reader racing a
//! worker may see a count from a moment ago. Times (busy time, mean poll time) and forced
//! yields are published in batches, at each park and every `event_interval` ticks.

mod histogram;
mod log_histogram;
mod worker;

pub use histogram::HistogramConfiguration;
pub(crate) use histogram::PollTimeHistogramSetting;
pub use log_histogram::{InvalidHistogramConfiguration, LogHistogram, LogHistogramBuilder};
pub(crate) use worker::{WorkerMetrics, WorkerStats};

use std::time::Duration;

/// `duration` in nanoseconds, `u64::MAX` if it does not fit.
fn saturating_nanos(duration: Duration) -> u64 {
    u64::try_from(duration.as_nanos()).unwrap_or(u64::MAX)
}
