//! Runtime metrics: what the workers and queues did, read from any thread.
//!
//! Each worker counts in plain fields of its own state ([`WorkerStats`]) and publishes the
//! totals to its [`WorkerMetrics`] with relaxed stores: one writer per counter, so no
//! read-modify-write and no cache line shared with another worker's hot path. Busy time is
//! measured between an unpark and the next park (and at periodic maintenance), two clock reads
//! per sleep rather than per poll. Values are snapshots: exact once the runtime is quiet, and
//! never torn, but a reader racing a worker may see a count from a moment ago.

use super::scheduler;
use crate::loom::sync::atomic::{AtomicU64, Ordering};
use std::fmt;
use std::time::{Duration, Instant};

/// A view of a runtime's metrics, from [`Runtime::metrics`](super::Runtime::metrics) or
/// [`Handle::metrics`](super::Handle::metrics).
///
/// ```
/// use eddy_executor::runtime::Builder;
///
/// let rt = Builder::new_current_thread().build().unwrap();
/// rt.block_on(async { eddy_executor::spawn(async {}).await.unwrap() });
/// let metrics = rt.metrics();
/// assert_eq!(metrics.num_workers(), 1);
/// assert_eq!(metrics.spawned_tasks_count(), 1);
/// ```
#[derive(Clone)]
pub struct RuntimeMetrics {
    handle: scheduler::Handle,
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
        self.handle
            .worker_metrics(worker)
            .park_count
            .load(Ordering::Relaxed)
    }

    /// How many tasks worker `worker` stole from other workers.
    ///
    /// # Panics
    ///
    /// Panics if `worker` is not below [`num_workers`](RuntimeMetrics::num_workers).
    #[track_caller]
    pub fn worker_steal_count(&self, worker: usize) -> u64 {
        self.handle
            .worker_metrics(worker)
            .steal_count
            .load(Ordering::Relaxed)
    }

    /// How many task polls worker `worker` made.
    ///
    /// # Panics
    ///
    /// Panics if `worker` is not below [`num_workers`](RuntimeMetrics::num_workers).
    #[track_caller]
    pub fn worker_poll_count(&self, worker: usize) -> u64 {
        self.handle
            .worker_metrics(worker)
            .poll_count
            .load(Ordering::Relaxed)
    }

    /// How long worker `worker` has been awake (running tasks or looking for them) in total.
    ///
    /// # Panics
    ///
    /// Panics if `worker` is not below [`num_workers`](RuntimeMetrics::num_workers).
    #[track_caller]
    pub fn worker_total_busy_duration(&self, worker: usize) -> Duration {
        let nanos = self
            .handle
            .worker_metrics(worker)
            .busy_nanos
            .load(Ordering::Relaxed);
        Duration::from_nanos(nanos)
    }
}

impl fmt::Debug for RuntimeMetrics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RuntimeMetrics")
            .field("num_workers", &self.num_workers())
            .field("num_alive_tasks", &self.num_alive_tasks())
            .finish_non_exhaustive()
    }
}

/// The published counters of one worker.
#[derive(Debug, Default)]
pub(crate) struct WorkerMetrics {
    park_count: AtomicU64,
    steal_count: AtomicU64,
    poll_count: AtomicU64,
    busy_nanos: AtomicU64,
}

/// The worker-private side of the counters; travels with the worker's state.
#[derive(Debug)]
pub(crate) struct WorkerStats {
    parks: u64,
    #[cfg(feature = "multi-thread")]
    steals: u64,
    polls: u64,
    busy_nanos: u64,
    busy_since: Instant,
}

impl WorkerStats {
    pub(crate) fn new() -> WorkerStats {
        WorkerStats {
            parks: 0,
            #[cfg(feature = "multi-thread")]
            steals: 0,
            polls: 0,
            busy_nanos: 0,
            busy_since: Instant::now(),
        }
    }

    /// One task poll is about to start.
    pub(crate) fn polled(&mut self, metrics: &WorkerMetrics) {
        self.polls += 1;
        metrics.poll_count.store(self.polls, Ordering::Relaxed);
    }

    /// `tasks` were stolen from another worker.
    #[cfg(feature = "multi-thread")]
    pub(crate) fn stole(&mut self, tasks: usize, metrics: &WorkerMetrics) {
        self.steals += tasks as u64;
        metrics.steal_count.store(self.steals, Ordering::Relaxed);
    }

    /// The worker is about to sleep: close the busy period.
    pub(crate) fn about_to_park(&mut self, metrics: &WorkerMetrics) {
        self.parks += 1;
        metrics.park_count.store(self.parks, Ordering::Relaxed);
        self.flush_busy(metrics);
    }

    /// The worker woke up: open a busy period.
    pub(crate) fn unparked(&mut self) {
        self.busy_since = Instant::now();
    }

    /// Publishes the busy time so far (also called periodically while busy).
    pub(crate) fn flush_busy(&mut self, metrics: &WorkerMetrics) {
        let now = Instant::now();
        let elapsed = now.saturating_duration_since(self.busy_since);
        self.busy_nanos = self
            .busy_nanos
            .saturating_add(u64::try_from(elapsed.as_nanos()).unwrap_or(u64::MAX));
        self.busy_since = now;
        metrics.busy_nanos.store(self.busy_nanos, Ordering::Relaxed);
    }
}
