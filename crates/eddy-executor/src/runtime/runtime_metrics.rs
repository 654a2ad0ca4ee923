//! [`RuntimeMetrics`]: the public view of a runtime's counters (`io.rs` adds the I/O
//! driver's). It reads them through the scheduler's handle, so it sits above the scheduler,
//! while the counters themselves (`metrics/`) sit below it, where the workers write them.

use super::metrics::{HistogramConfiguration, WorkerMetrics};
use crate::loom::sync::atomic::Ordering;
use crate::runtime::scheduler;
use std::fmt;
use std::ops::Range;
use std::time::Duration;

#[cfg(feature = "io")]
mod io;

/// A view of a runtime's metrics, from [`Runtime::metrics`](crate::runtime::Runtime::metrics)
/// or [`Handle::metrics`](crate::runtime::Handle::metrics).
///
/// Runtime-wide values come first; the `worker_*` methods take a worker index below
/// [`num_workers`](Self::num_workers) (a current-thread runtime has one worker, index 0, and
/// panic otherwise). Counters count from the runtime's start and only grow.
///
/// ```
/// use eddy_executor::runtime::Builder;
///
/// let rt = Builder::new_current_thread().build().unwrap();
/// rt.block_on(async { eddy_executor::spawn(async {}).await.unwrap() });
/// let metrics = rt.metrics();
/// assert_eq!(metrics.num_workers(), 1);
/// assert_eq!(metrics.spawned_tasks_count(), 1);
/// assert_eq!(metrics.worker_poll_count(0), 1);
/// ```
#[derive(Clone)]
pub struct RuntimeMetrics {
    pub(super) handle: scheduler::Handle,
}

impl RuntimeMetrics {
    pub(crate) fn new(handle: scheduler::Handle) -> RuntimeMetrics {
        RuntimeMetrics { handle }
    }

    /// The number of worker threads (1 for a current-thread runtime).
    pub fn num_workers(&self) -> usize {
        self.handle.num_workers()
    }

    /// The number of tasks spawned on the runtime that have not completed yet.
    pub fn num_alive_tasks(&self) -> usize {
        self.handle.num_alive_tasks()
    }

    /// The number of tasks waiting in the runtime's shared (injection) queue.
    pub fn global_queue_depth(&self) -> usize {
        self.handle.global_queue_depth()
    }

    /// The number of tasks spawned on the runtime since it was built.
    pub fn spawned_tasks_count(&self) -> u64 {
        self.handle.spawned_tasks_count()
    }

    /// The number of tasks scheduled from outside the runtime's workers (spawned or woken on
    /// another thread), which go through the shared queue.
    pub fn remote_schedule_count(&self) -> u64 {
        self.handle.remote_schedule_count()
    }

    /// The number of times a task was made to yield because its cooperative budget was spent
    /// (see `eddy_core::coop`). Published by each worker at its next park or maintenance tick.
    pub fn budget_forced_yield_count(&self) -> u64 {
        (0..self.num_workers())
            .map(|worker| {
                self.worker(worker)
                    .forced_yield_count
                    .load(Ordering::Relaxed)
            })
            .sum()
    }

    /// The number of threads the blocking pool has, busy or idle.
    pub fn num_blocking_threads(&self) -> usize {
        self.handle.blocking_spawner().num_threads()
    }

    /// The number of blocking-pool threads waiting for work.
    pub fn num_idle_blocking_threads(&self) -> usize {
        self.handle.blocking_spawner().num_idle_threads()
    }

    /// The number of blocking tasks waiting for a thread of the blocking pool.
    pub fn blocking_queue_depth(&self) -> usize {
        self.handle.blocking_spawner().queue_depth()
    }

    /// How many times worker `worker` went to sleep.
    ///
    /// # Panics
    ///
    /// Panics if `worker` is not below [`num_workers`](RuntimeMetrics::num_workers).
    #[track_caller]
    pub fn worker_park_count(&self, worker: usize) -> u64 {
        self.worker(worker).park_count.load(Ordering::Relaxed)
    }

    /// How many times worker `worker` went to sleep or woke up: an odd value means it is asleep
    /// now.
    ///
    /// # Panics
    ///
    /// Panics if `worker` is not below [`num_workers`](RuntimeMetrics::num_workers).
    #[track_caller]
    pub fn worker_park_unpark_count(&self, worker: usize) -> u64 {
        self.worker(worker)
            .park_unpark_count
            .load(Ordering::Relaxed)
    }

    /// How many times worker `worker` woke up and went back to sleep without polling a task.
    ///
    /// # Panics
    ///
    /// Panics if `worker` is not below [`num_workers`](RuntimeMetrics::num_workers).
    #[track_caller]
    pub fn worker_noop_count(&self, worker: usize) -> u64 {
        self.worker(worker).noop_count.load(Ordering::Relaxed)
    }

    /// How many tasks worker `worker` stole from other workers (0 on a current-thread runtime).
    ///
    /// # Panics
    ///
    /// Panics if `worker` is not below [`num_workers`](RuntimeMetrics::num_workers).
    #[track_caller]
    pub fn worker_steal_count(&self, worker: usize) -> u64 {
        self.worker(worker).steal_count.load(Ordering::Relaxed)
    }

    /// How many successful steals worker `worker` made; each takes one or more tasks.
    ///
    /// # Panics
    ///
    /// Panics if `worker` is not below [`num_workers`](RuntimeMetrics::num_workers).
    #[track_caller]
    pub fn worker_steal_operations(&self, worker: usize) -> u64 {
        self.worker(worker).steal_operations.load(Ordering::Relaxed)
    }

    /// How many task polls worker `worker` made.
    ///
    /// # Panics
    ///
    /// Panics if `worker` is not below [`num_workers`](RuntimeMetrics::num_workers).
    #[track_caller]
    pub fn worker_poll_count(&self, worker: usize) -> u64 {
        self.worker(worker).poll_count.load(Ordering::Relaxed)
    }

    /// How long worker `worker` has spent running tasks in total: each busy period runs from
    /// the first task poll after a park or maintenance tick to the next one, so a wake-up that
    /// finds nothing to poll costs no clock read and adds nothing. Published at each park and
    /// maintenance tick.
    ///
    /// # Panics
    ///
    /// Panics if `worker` is not below [`num_workers`](RuntimeMetrics::num_workers).
    #[track_caller]
    pub fn worker_total_busy_duration(&self, worker: usize) -> Duration {
        Duration::from_nanos(self.worker(worker).busy_nanos.load(Ordering::Relaxed))
    }

    /// How many tasks were scheduled on worker `worker`'s own queue (or LIFO slot) by code
    /// running on that worker: spawns and wakes from its tasks.
    ///
    /// # Panics
    ///
    /// Panics if `worker` is not below [`num_workers`](RuntimeMetrics::num_workers).
    #[track_caller]
    pub fn worker_local_schedule_count(&self, worker: usize) -> u64 {
        self.worker(worker)
            .local_schedule_count
            .load(Ordering::Relaxed)
    }

    /// How many times worker `worker` found its local queue full and moved tasks to the shared
    /// queue (0 on a current-thread runtime, whose local queue grows).
    ///
    /// # Panics
    ///
    /// Panics if `worker` is not below [`num_workers`](RuntimeMetrics::num_workers).
    #[track_caller]
    pub fn worker_overflow_count(&self, worker: usize) -> u64 {
        self.worker(worker).overflow_count.load(Ordering::Relaxed)
    }

    /// The number of tasks in worker `worker`'s local queue now (not counting the LIFO slot of a
    /// multi-thread worker).
    ///
    /// # Panics
    ///
    /// Panics if `worker` is not below [`num_workers`](RuntimeMetrics::num_workers).
    #[track_caller]
    pub fn worker_local_queue_depth(&self, worker: usize) -> usize {
        self.handle.worker_local_queue_depth(worker)
    }

    /// A moving average of worker `worker`'s poll time, weighted towards recent polls.
    ///
    /// Estimated without reading the clock per poll: each batch of polls between two parks or
    /// maintenance ticks contributes its busy time divided by its polls (so scheduling overhead
    /// is included), weighted by the number of polls. Zero until the first batch is published.
    ///
    /// # Panics
    ///
    /// Panics if `worker` is not below [`num_workers`](RuntimeMetrics::num_workers).
    #[track_caller]
    pub fn worker_mean_poll_time(&self, worker: usize) -> Duration {
        Duration::from_nanos(self.worker(worker).mean_poll_nanos.load(Ordering::Relaxed))
    }

    /// Whether the runtime was built with
    /// [`enable_metrics_poll_time_histogram`](crate::runtime::Builder::enable_metrics_poll_time_histogram).
    pub fn poll_time_histogram_enabled(&self) -> bool {
        self.histogram_configuration().is_some()
    }

    /// The number of buckets of the poll-time histogram, 0 when it is disabled.
    pub fn poll_time_histogram_num_buckets(&self) -> usize {
        self.histogram_configuration()
            .map_or(0, HistogramConfiguration::num_buckets)
    }

    /// The poll durations bucket `bucket` counts. Consecutive buckets' ranges meet; the first
    /// starts at zero and the last ends at `u64::MAX` nanoseconds.
    ///
    /// # Panics
    ///
    /// Panics if the histogram is disabled or `bucket` is not below
    /// [`poll_time_histogram_num_buckets`](Self::poll_time_histogram_num_buckets).
    #[track_caller]
    pub fn poll_time_histogram_bucket_range(&self, bucket: usize) -> Range<Duration> {
        self.enabled_histogram_configuration().bucket_range(bucket)
    }

    /// How many of worker `worker`'s polls took a time in bucket `bucket`'s range. Over all
    /// buckets this adds up to the worker's [`poll count`](Self::worker_poll_count) once the
    /// worker is idle, except for polls that handed the worker to another thread with
    /// `block_in_place`: the worker counted them when they started but was gone when they
    /// ended, so they have no duration.
    ///
    /// # Panics
    ///
    /// Panics if the histogram is disabled, or `worker` or `bucket` is out of range.
    #[track_caller]
    pub fn poll_time_histogram_bucket_count(&self, worker: usize, bucket: usize) -> u64 {
        self.worker(worker)
            .poll_histogram
            .as_ref()
            .unwrap_or_else(|| histogram_disabled())
            .count(bucket)
    }

    #[track_caller]
    fn worker(&self, worker: usize) -> &WorkerMetrics {
        self.handle.worker_metrics(worker)
    }

    fn histogram_configuration(&self) -> Option<&HistogramConfiguration> {
        let histogram = self.worker(0).poll_histogram.as_ref()?;
        Some(histogram.configuration())
    }

    #[track_caller]
    fn enabled_histogram_configuration(&self) -> &HistogramConfiguration {
        self.histogram_configuration()
            .unwrap_or_else(|| histogram_disabled())
    }
}

#[track_caller]
fn histogram_disabled() -> ! {
    panic!(
        "the poll-time histogram is disabled: call `Builder::enable_metrics_poll_time_histogram` \
         to enable it"
    )
}

impl fmt::Debug for RuntimeMetrics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RuntimeMetrics")
            .field("num_workers", &self.num_workers())
            .field("num_alive_tasks", &self.num_alive_tasks())
            .finish_non_exhaustive()
    }
}
