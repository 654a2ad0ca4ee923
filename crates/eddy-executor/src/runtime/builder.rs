//! `Builder`: configuring a runtime before building it.

use super::blocking::{self, BlockingPool, Callback, ThreadNameFn};
use super::driver::{self, Driver};
use super::metrics::{HistogramConfiguration, PollTimeHistogramSetting};
use super::scheduler::current_thread::{self, CurrentThread};
use super::scheduler::{self, Scheduler};
use super::{Handle, Runtime};
use std::fmt;
use std::io;
use std::sync::Arc;
use std::time::Duration;

/// Builds a [`Runtime`] with custom settings.
///
/// ```
/// use eddy_executor::runtime::Builder;
///
/// let rt = Builder::new_current_thread()
///     .enable_all()
///     .thread_name("my-blocking-pool")
///     .max_blocking_threads(4)
///     .build()
///     .unwrap();
/// assert_eq!(rt.block_on(async { 1 + 1 }), 2);
/// ```
pub struct Builder {
    kind: Kind,
    poll_time_histogram: PollTimeHistogramSetting,
    enable_io: bool,
    enable_time: bool,
    start_paused: bool,
    thread_name: ThreadNameFn,
    thread_stack_size: Option<usize>,
    after_start: Option<Callback>,
    before_stop: Option<Callback>,
    max_blocking_threads: usize,
    keep_alive: Option<Duration>,
    worker_threads: Option<usize>,
    global_queue_interval: Option<u32>,
    event_interval: Option<u32>,
    before_park: Option<Callback>,
    after_unpark: Option<Callback>,
}

/// Which scheduler `build` makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    CurrentThread,
    #[cfg(feature = "multi-thread")]
    MultiThread,
}

const DEFAULT_MAX_BLOCKING_THREADS: usize = 512;
const DEFAULT_KEEP_ALIVE: Duration = Duration::from_secs(10);

impl Builder {
    /// A builder for a runtime that runs every task on the thread that calls
    /// [`Runtime::block_on`].
    pub fn new_current_thread() -> Builder {
        Builder::new(Kind::CurrentThread)
    }

    /// A builder for a runtime that runs tasks on a pool of worker threads that steal work
    /// from each other.
    #[cfg(feature = "multi-thread")]
    pub fn new_multi_thread() -> Builder {
        Builder::new(Kind::MultiThread)
    }

    fn new(kind: Kind) -> Builder {
        Builder {
            kind,
            poll_time_histogram: PollTimeHistogramSetting::default(),
            enable_io: false,
            enable_time: false,
            start_paused: false,
            thread_name: Arc::new(|| "eddy-runtime-worker".to_owned()),
            thread_stack_size: None,
            after_start: None,
            before_stop: None,
            max_blocking_threads: DEFAULT_MAX_BLOCKING_THREADS,
            keep_alive: None,
            worker_threads: None,
            global_queue_interval: None,
            event_interval: None,
            before_park: None,
            after_unpark: None,
        }
    }

    /// Enables every driver compiled in (I/O with the `io` feature, time with `time`).
    pub fn enable_all(&mut self) -> &mut Self {
        #[cfg(feature = "io")]
        self.enable_io();
        #[cfg(feature = "time")]
        self.enable_time();
        self
    }

    /// Enables the I/O driver, which sockets need.
    #[cfg(feature = "io")]
    pub fn enable_io(&mut self) -> &mut Self {
        self.enable_io = true;
        self
    }

    /// Enables the time driver, which `sleep` and `timeout` need.
    #[cfg(feature = "time")]
    pub fn enable_time(&mut self) -> &mut Self {
        self.enable_time = true;
        self
    }

    /// Starts the runtime's clock paused (current-thread runtimes, with `test-util`).
    #[cfg(feature = "test-util")]
    pub fn start_paused(&mut self, start_paused: bool) -> &mut Self {
        self.start_paused = start_paused;
        self
    }

    /// Names the runtime's threads (default `"eddy-runtime-worker"`).
    pub fn thread_name(&mut self, name: impl Into<String>) -> &mut Self {
        let name = name.into();
        self.thread_name = Arc::new(move || name.clone());
        self
    }

    /// Names each new thread of the runtime with the result of `f`.
    pub fn thread_name_fn<F>(&mut self, f: F) -> &mut Self
    where
        F: Fn() -> String + Send + Sync + 'static,
    {
        self.thread_name = Arc::new(f);
        self
    }

    /// The stack size of the runtime's threads, in bytes.
    pub fn thread_stack_size(&mut self, size: usize) -> &mut Self {
        self.thread_stack_size = Some(size);
        self
    }

    /// Runs `f` on each new runtime thread before it does anything else.
    pub fn on_thread_start<F>(&mut self, f: F) -> &mut Self
    where
        F: Fn() + Send + Sync + 'static,
    {
        self.after_start = Some(Arc::new(f));
        self
    }

    /// Runs `f` on each runtime thread just before it exits.
    pub fn on_thread_stop<F>(&mut self, f: F) -> &mut Self
    where
        F: Fn() + Send + Sync + 'static,
    {
        self.before_stop = Some(Arc::new(f));
        self
    }

    /// The most threads the blocking pool starts (default 512). Further blocking tasks wait in
    /// a queue.
    ///
    /// # Panics
    ///
    /// Panics if `limit` is zero.
    #[track_caller]
    pub fn max_blocking_threads(&mut self, limit: usize) -> &mut Self {
        assert!(limit > 0, "Max blocking threads cannot be set to 0");
        self.max_blocking_threads = limit;
        self
    }

    /// How long an idle blocking thread waits for work before it exits (default 10 s).
    pub fn thread_keep_alive(&mut self, duration: Duration) -> &mut Self {
        self.keep_alive = Some(duration);
        self
    }

    /// The number of worker threads of a multi-thread runtime (default: one per CPU). A
    /// current-thread runtime ignores it.
    ///
    /// # Panics
    ///
    /// Panics if `count` is zero.
    #[track_caller]
    pub fn worker_threads(&mut self, count: usize) -> &mut Self {
        assert!(count > 0, "Worker threads cannot be set to 0");
        self.worker_threads = Some(count);
        self
    }

    /// How many tasks a scheduler runs between two looks at its shared queue of tasks from
    /// other threads, so that they are not starved by local work (default 31 for the
    /// current-thread scheduler's fixed interval, 61 for the multi-thread one).
    ///
    /// # Panics
    ///
    /// Panics if `interval` is zero.
    #[track_caller]
    pub fn global_queue_interval(&mut self, interval: u32) -> &mut Self {
        assert!(interval > 0, "global_queue_interval must be greater than 0");
        self.global_queue_interval = Some(interval);
        self
    }

    /// How many tasks a multi-thread worker runs between two polls of the I/O and timer
    /// drivers while it is busy (default 61).
    ///
    /// # Panics
    ///
    /// Panics if `interval` is zero.
    #[track_caller]
    pub fn event_interval(&mut self, interval: u32) -> &mut Self {
        assert!(interval > 0, "event_interval must be greater than 0");
        self.event_interval = Some(interval);
        self
    }

    /// Runs `f` on a worker thread each time it is about to sleep for lack of work.
    pub fn on_thread_park<F>(&mut self, f: F) -> &mut Self
    where
        F: Fn() + Send + Sync + 'static,
    {
        self.before_park = Some(Arc::new(f));
        self
    }

    /// Runs `f` on a worker thread each time it wakes up from sleeping for lack of work.
    pub fn on_thread_unpark<F>(&mut self, f: F) -> &mut Self
    where
        F: Fn() + Send + Sync + 'static,
    {
        self.after_unpark = Some(Arc::new(f));
        self
    }

    /// Turns on the poll-time histogram of [`RuntimeMetrics`](super::RuntimeMetrics): each
    /// worker reads the clock around every task poll and counts the poll in a bucket by its
    /// duration. Off by default, since the clock reads cost a little on every poll. The
    /// buckets are 10 linear ones of 100 µs unless
    /// [`metrics_poll_time_histogram_configuration`](Self::metrics_poll_time_histogram_configuration)
    /// says otherwise.
    ///
    /// ```
    /// use eddy_executor::runtime::Builder;
    ///
    /// let rt = Builder::new_current_thread()
    ///     .enable_metrics_poll_time_histogram()
    ///     .build()
    ///     .unwrap();
    /// rt.block_on(async { eddy_executor::spawn(async {}).await.unwrap() });
    /// let metrics = rt.metrics();
    /// let polls: u64 = (0..metrics.poll_time_histogram_num_buckets())
    ///     .map(|bucket| metrics.poll_time_histogram_bucket_count(0, bucket))
    ///     .sum();
    /// assert_eq!(polls, 1);
    /// ```
    pub fn enable_metrics_poll_time_histogram(&mut self) -> &mut Self {
        self.poll_time_histogram.enable();
        self
    }

    /// The bucket layout of the poll-time histogram, once it is enabled with
    /// [`enable_metrics_poll_time_histogram`](Self::enable_metrics_poll_time_histogram).
    pub fn metrics_poll_time_histogram_configuration(
        &mut self,
        configuration: HistogramConfiguration,
    ) -> &mut Self {
        self.poll_time_histogram.configure(configuration);
        self
    }

    /// Builds the runtime.
    pub fn build(&mut self) -> io::Result<Runtime> {
        match self.kind {
            Kind::CurrentThread => self.build_current_thread(),
            #[cfg(feature = "multi-thread")]
            Kind::MultiThread => self.build_multi_thread(),
        }
    }

    #[cfg(feature = "multi-thread")]
    fn build_multi_thread(&mut self) -> io::Result<Runtime> {
        use super::scheduler::multi_thread::{self, MultiThread};
        let (driver, driver_handle) = Driver::new(self.driver_config(false))?;
        let blocking_pool = BlockingPool::new(self.blocking_config());
        let spawner = blocking_pool.spawner().clone();
        let workers = self.worker_threads.unwrap_or_else(|| {
            std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
        });
        let config = multi_thread::Config {
            workers,
            poll_time_histogram: self.poll_time_histogram.get(),
            global_queue_interval: self
                .global_queue_interval
                .unwrap_or(multi_thread::DEFAULT_GLOBAL_QUEUE_INTERVAL),
            event_interval: self
                .event_interval
                .unwrap_or(multi_thread::DEFAULT_EVENT_INTERVAL),
            before_park: self.before_park.clone(),
            after_unpark: self.after_unpark.clone(),
            thread_name: self.thread_name.clone(),
            stack_size: self.thread_stack_size,
            after_start: self.after_start.clone(),
            before_stop: self.before_stop.clone(),
        };
        let (scheduler, handle) = MultiThread::new(config, driver, driver_handle, spawner)?;
        let handle = Handle {
            inner: scheduler::Handle::MultiThread(handle),
        };
        Ok(Runtime::from_parts(
            Scheduler::MultiThread(scheduler),
            handle,
            blocking_pool,
        ))
    }

    fn build_current_thread(&mut self) -> io::Result<Runtime> {
        let (driver, driver_handle) = Driver::new(self.driver_config(true))?;
        let blocking_pool = BlockingPool::new(self.blocking_config());
        let spawner = blocking_pool.spawner().clone();
        let interval = self
            .global_queue_interval
            .unwrap_or(current_thread::DEFAULT_GLOBAL_QUEUE_INTERVAL);
        let histogram = self.poll_time_histogram.get();
        let (scheduler, handle) =
            CurrentThread::new(driver, driver_handle, spawner, interval, histogram);
        let handle = Handle {
            inner: scheduler::Handle::CurrentThread(handle),
        };
        Ok(Runtime::from_parts(
            Scheduler::CurrentThread(scheduler),
            handle,
            blocking_pool,
        ))
    }

    /// The driver stack's settings; pausing the clock is only allowed when `enable_pause_time`.
    fn driver_config(&self, enable_pause_time: bool) -> driver::Config {
        driver::Config {
            enable_io: self.enable_io,
            enable_time: self.enable_time,
            enable_pause_time,
            start_paused: self.start_paused,
        }
    }

    fn blocking_config(&self) -> blocking::Config {
        blocking::Config {
            thread_name: self.thread_name.clone(),
            stack_size: self.thread_stack_size,
            after_start: self.after_start.clone(),
            before_stop: self.before_stop.clone(),
            max_threads: self.max_blocking_threads,
            keep_alive: self.keep_alive.unwrap_or(DEFAULT_KEEP_ALIVE),
        }
    }
}

impl fmt::Debug for Builder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Builder")
            .field("kind", &self.kind)
            .field("enable_io", &self.enable_io)
            .field("enable_time", &self.enable_time)
            .field("start_paused", &self.start_paused)
            .field("thread_stack_size", &self.thread_stack_size)
            .field("max_blocking_threads", &self.max_blocking_threads)
            .field("thread_keep_alive", &self.keep_alive)
            .finish_non_exhaustive()
    }
}
