//! `Builder`: configuring a runtime before building it.

use super::blocking::{self, BlockingPool, Callback, ThreadNameFn};
use super::config::{self, Config};
use super::driver::{self, Driver};
use super::metrics::{HistogramConfiguration, PollTimeHistogramSetting};
use super::scheduler::current_thread::CurrentThread;
use super::scheduler::{self, RuntimeServices, Scheduler};
use super::task::hooks::TaskHooks;
use super::watchdog_thread;
use super::{Handle, LocalOptions, LocalRuntime, Runtime, TaskMeta};
use std::fmt;
use std::io;
use std::sync::Arc;
use std::thread::{self, ThreadId};
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
    name: Option<String>,
    poll_time_histogram: PollTimeHistogramSetting,
    enable_io: bool,
    io_events_per_tick: usize,
    io_events_per_busy_tick: Option<usize>,
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
    task_hooks: TaskHooks,
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
const DEFAULT_IO_EVENTS_PER_TICK: usize = 1024;

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
            name: None,
            poll_time_histogram: PollTimeHistogramSetting::default(),
            enable_io: false,
            io_events_per_tick: DEFAULT_IO_EVENTS_PER_TICK,
            io_events_per_busy_tick: None,
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
            task_hooks: TaskHooks::default(),
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

    /// The most I/O events the driver takes from the OS per poll (default 1024); the rest wait
    /// for the next poll.
    ///
    /// # Panics
    ///
    /// Panics if `capacity` is zero.
    #[track_caller]
    pub fn max_io_events_per_tick(&mut self, capacity: usize) -> &mut Self {
        assert!(capacity > 0, "max_io_events_per_tick must be non-zero");
        self.io_events_per_tick = capacity;
        self
    }

    /// The most I/O events the driver takes per poll that does not wait, which is how a worker
    /// that still has tasks to run polls it (default: the
    /// [`max_io_events_per_tick`](Self::max_io_events_per_tick) value). Each event may wake a
    /// task into the worker's queue, so a smaller batch keeps a busy worker's queue from
    /// overflowing and leaves the rest for later polls or idle workers.
    ///
    /// ```
    /// let rt = eddy_executor::runtime::Builder::new_current_thread()
    ///     .enable_all()
    ///     .max_io_events_per_tick(128)
    ///     .max_io_events_per_busy_tick(8)
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(rt.block_on(async { 3 }), 3);
    /// ```
    ///
    /// # Panics
    ///
    /// Panics if `capacity` is zero.
    #[track_caller]
    pub fn max_io_events_per_busy_tick(&mut self, capacity: usize) -> &mut Self {
        assert!(capacity > 0, "max_io_events_per_busy_tick must be non-zero");
        self.io_events_per_busy_tick = Some(capacity);
        self
    }

    /// Enables the time driver, which `sleep` and `timeout` need.
    #[cfg(feature = "time")]
    pub fn enable_time(&mut self) -> &mut Self {
        self.enable_time = true;
        self
    }

    /// Starts the runtime's clock paused (current-thread runtimes, with `test-util`). Every
    /// runtime has a clock, so this holds without [`enable_time`](Self::enable_time) too:
    /// `Instant::now` stands still until `time::resume` or `time::advance`. `build` panics for
    /// a multi-thread runtime, with or without the time driver (as Tokio's does).
    #[cfg(feature = "test-util")]
    pub fn start_paused(&mut self, start_paused: bool) -> &mut Self {
        self.start_paused = start_paused;
        self
    }

    /// Names the runtime itself, as [`Handle::name`] reports it (the threads' names are set
    /// with [`thread_name`](Self::thread_name)).
    ///
    /// # Panics
    ///
    /// Panics if `name` is empty or only whitespace.
    #[track_caller]
    pub fn name(&mut self, name: impl Into<String>) -> &mut Self {
        let name = name.into();
        assert!(!name.trim().is_empty(), "runtime name shouldn't be empty");
        self.name = Some(name);
        self
    }

    /// Names the runtime's threads (default `"eddy-runtime-worker"`): the blocking pool's, and
    /// a multi-thread runtime's workers (a current-thread runtime has no threads of its own).
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

    /// The stack size of the runtime's threads, in bytes (the same threads as for
    /// [`thread_name`](Self::thread_name)).
    pub fn thread_stack_size(&mut self, size: usize) -> &mut Self {
        self.thread_stack_size = Some(size);
        self
    }

    /// Runs `f` on each new runtime thread before it does anything else (the same threads as for
    /// [`thread_name`](Self::thread_name)).
    pub fn on_thread_start<F>(&mut self, f: F) -> &mut Self
    where
        F: Fn() + Send + Sync + 'static,
    {
        self.after_start = Some(Arc::new(f));
        self
    }

    /// Runs `f` on each runtime thread just before it exits (the same threads as for
    /// [`thread_name`](Self::thread_name)).
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

    /// The number of worker threads of a multi-thread runtime. A current-thread runtime (and a
    /// `LocalRuntime`) ignores it, as Tokio's does; `build` fails with `InvalidInput` above 65534.
    ///
    /// The default is read when the runtime is built: the `TOKIO_WORKER_THREADS` environment
    /// variable if it is set (eddy keeps Tokio's name, so a deployment tuned for Tokio keeps its
    /// setting), else one worker per CPU. `build` panics if the variable is not a positive
    /// integer, with Tokio's messages.
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
    /// other threads, so that they are not starved by local work. By default the current-thread
    /// scheduler uses 31, and each multi-thread worker tunes its own interval from its mean poll
    /// time (starting from 61); setting it fixes the interval for every worker.
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

    /// How many tasks the scheduler (each multi-thread worker) runs between two polls of the
    /// I/O and timer drivers while it is busy (default 61).
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

    /// Runs `f` on a worker thread (or the thread driving a current-thread runtime) each time
    /// it is about to sleep for lack of work. Work that `f` makes (a task it spawns, a waker it
    /// wakes) runs before the thread sleeps.
    pub fn on_thread_park<F>(&mut self, f: F) -> &mut Self
    where
        F: Fn() + Send + Sync + 'static,
    {
        self.before_park = Some(Arc::new(f));
        self
    }

    /// Runs `f` on a worker thread (or the thread driving a current-thread runtime) each time
    /// it wakes up from sleeping for lack of work.
    pub fn on_thread_unpark<F>(&mut self, f: F) -> &mut Self
    where
        F: Fn() + Send + Sync + 'static,
    {
        self.after_unpark = Some(Arc::new(f));
        self
    }

    /// Runs `f` each time a task is spawned on the runtime, on the spawning thread, before the
    /// task first runs. Blocking and `LocalSet` tasks do not trigger the task hooks.
    ///
    /// ```
    /// use std::sync::atomic::{AtomicUsize, Ordering};
    /// use std::sync::Arc;
    ///
    /// let spawned = Arc::new(AtomicUsize::new(0));
    /// let counter = spawned.clone();
    /// let rt = eddy_executor::runtime::Builder::new_current_thread()
    ///     .on_task_spawn(move |task| {
    ///         counter.fetch_add(1, Ordering::Relaxed);
    ///         println!("task {} spawned at {}", task.id(), task.spawned_at());
    ///     })
    ///     .build()
    ///     .unwrap();
    /// rt.block_on(async { eddy_executor::spawn(async {}).await.unwrap() });
    /// assert_eq!(spawned.load(Ordering::Relaxed), 1);
    /// ```
    pub fn on_task_spawn<F>(&mut self, f: F) -> &mut Self
    where
        F: Fn(&TaskMeta<'_>) + Send + Sync + 'static,
    {
        self.task_hooks.on_spawn = Some(Arc::new(f));
        self
    }

    /// Runs `f` when a task finishes (returns, panics or is cancelled), on the thread that
    /// finishes it, before its `JoinHandle` is woken. A panic in `f` is swallowed.
    pub fn on_task_terminate<F>(&mut self, f: F) -> &mut Self
    where
        F: Fn(&TaskMeta<'_>) + Send + Sync + 'static,
    {
        self.task_hooks.on_terminate = Some(Arc::new(f));
        self
    }

    /// Runs `f` right before each poll of a task, on the polling thread. A panic in `f` fails
    /// the task as if its future had panicked.
    pub fn on_before_task_poll<F>(&mut self, f: F) -> &mut Self
    where
        F: Fn(&TaskMeta<'_>) + Send + Sync + 'static,
    {
        self.task_hooks.before_poll = Some(Arc::new(f));
        self
    }

    /// Runs `f` right after each poll of a task, on the polling thread. A panic in `f` fails
    /// the task as if its future had panicked.
    pub fn on_after_task_poll<F>(&mut self, f: F) -> &mut Self
    where
        F: Fn(&TaskMeta<'_>) + Send + Sync + 'static,
    {
        self.task_hooks.after_poll = Some(Arc::new(f));
        self
    }

    /// Reports every task poll that runs longer than `threshold`: a poll that long blocks the
    /// worker thread and every task queued behind it. Off by default.
    ///
    /// A poll is reported twice when it runs long: while it is still running, once, as soon
    /// as a watchdog thread sees it past the threshold (so a deadlock or an endless loop in a
    /// task is found), and when it returns, with its whole length. A report names the task's
    /// id, name and spawn location, the duration so far and the worker (see [`SlowPoll`]).
    /// Reports go to the callback given with [`on_slow_poll`](Self::on_slow_poll), to a
    /// `tracing` event at `WARN` with target `eddy::slow_poll` if a subscriber wants it
    /// (feature `tracing`), and to standard error if neither took them.
    ///
    /// The cost stays off the clock: the runtime starts one watchdog thread, which wakes every
    /// quarter of the threshold (between 1 ms and 100 ms); a poll publishes its task and start
    /// in three stores and reads the clock only if the watchdog ticked while it ran.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let rt = eddy_executor::runtime::Builder::new_current_thread()
    ///     .slow_poll_threshold(Duration::from_millis(1))
    ///     .on_slow_poll(|task, report| {
    ///         let took = report.duration();
    ///         println!("task {} from {} blocked for {took:?}", task.id(), task.spawned_at());
    ///     })
    ///     .build()
    ///     .unwrap();
    /// rt.block_on(async {
    ///     eddy_executor::spawn(async { std::thread::sleep(Duration::from_millis(5)) })
    ///         .await
    ///         .unwrap();
    /// });
    /// ```
    ///
    /// [`SlowPoll`]: super::SlowPoll
    pub fn slow_poll_threshold(&mut self, threshold: Duration) -> &mut Self {
        self.task_hooks.slow_poll_threshold = Some(threshold);
        self
    }

    /// Sends the reports of [`slow_poll_threshold`](Self::slow_poll_threshold) to `f`, with
    /// the task and the report, instead of to standard error (a `tracing` subscriber that
    /// wants them still gets them). `f` runs on the polling thread for a poll that returned,
    /// and on the watchdog thread for a poll still running.
    pub fn on_slow_poll<F>(&mut self, f: F) -> &mut Self
    where
        F: Fn(&TaskMeta<'_>, &super::SlowPoll) + Send + Sync + 'static,
    {
        self.task_hooks.on_slow_poll = Some(Arc::new(f));
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
    ///
    /// # Errors
    ///
    /// When a driver cannot be created (the I/O driver's epoll instance), a worker thread cannot
    /// be started, or `worker_threads` is above 65534 (`InvalidInput`).
    ///
    /// # Panics
    ///
    /// For a multi-thread runtime with `start_paused(true)`, and when `TOKIO_WORKER_THREADS`
    /// is not a positive integer (see [`worker_threads`](Self::worker_threads)).
    pub fn build(&mut self) -> io::Result<Runtime> {
        match self.kind {
            Kind::CurrentThread => self.build_current_thread(None),
            #[cfg(feature = "multi-thread")]
            Kind::MultiThread => self.build_multi_thread(),
        }
    }

    /// Builds a [`LocalRuntime`] owned by the calling thread: a current-thread runtime that
    /// also runs `!Send` tasks ([`LocalRuntime::spawn_local`], `task::spawn_local`).
    ///
    /// ```
    /// use eddy_executor::runtime::{Builder, LocalOptions};
    /// use std::rc::Rc;
    ///
    /// let rt = Builder::new_current_thread()
    ///     .build_local(LocalOptions::default())
    ///     .unwrap();
    /// let shared = Rc::new("not Send");
    /// let task = rt.spawn_local(async move { shared.len() });
    /// assert_eq!(rt.block_on(task).unwrap(), 8);
    /// ```
    ///
    /// # Panics
    ///
    /// Panics if the builder is for a multi-thread runtime.
    pub fn build_local(&mut self, options: LocalOptions) -> io::Result<LocalRuntime> {
        let _ = options;
        match self.kind {
            Kind::CurrentThread => {
                let runtime = self.build_current_thread(Some(thread::current().id()))?;
                Ok(LocalRuntime::from_runtime(runtime))
            }
            #[cfg(feature = "multi-thread")]
            Kind::MultiThread => panic!("multi_thread is not supported for LocalRuntime"),
        }
    }

    #[cfg(feature = "multi-thread")]
    fn build_multi_thread(&mut self) -> io::Result<Runtime> {
        use super::scheduler::multi_thread::{self, MultiThread};
        let config = self.scheduler_config(None);
        let workers = config.worker_threads;
        if workers > multi_thread::MAX_WORKERS {
            let message = format!(
                "worker_threads must be at most {}, not {workers}",
                multi_thread::MAX_WORKERS
            );
            return Err(io::Error::new(io::ErrorKind::InvalidInput, message));
        }
        // Only a current-thread runtime can pause its clock. The clock would refuse too; this
        // refuses before any driver is built, so nothing is left half-made.
        #[cfg(feature = "test-util")]
        assert!(
            !self.start_paused,
            "`time::pause()` requires the `current_thread` Tokio runtime. \
             This is the default Runtime used by `#[tokio::test]."
        );
        let (driver, driver_handle) = Driver::new(self.driver_config(false))?;
        let blocking_pool = BlockingPool::new(self.blocking_config());
        let services = self.runtime_services(driver_handle, &blocking_pool);
        let (scheduler, handle) = MultiThread::new(config, driver, services)?;
        let handle = Handle {
            inner: scheduler::Handle::MultiThread(handle),
        };
        watchdog_thread::start(&handle.inner);
        Ok(Runtime::from_parts(
            Scheduler::MultiThread(scheduler),
            handle,
            blocking_pool,
        ))
    }

    /// A current-thread runtime; with `local_owner`, the one a `LocalRuntime` owned by that
    /// thread wraps.
    fn build_current_thread(&mut self, local_owner: Option<ThreadId>) -> io::Result<Runtime> {
        let (driver, driver_handle) = Driver::new(self.driver_config(true))?;
        let blocking_pool = BlockingPool::new(self.blocking_config());
        let services = self.runtime_services(driver_handle, &blocking_pool);
        let config = self.scheduler_config(local_owner);
        let (scheduler, handle) = CurrentThread::new(config, driver, services);
        let handle = Handle {
            inner: scheduler::Handle::CurrentThread(handle),
        };
        watchdog_thread::start(&handle.inner);
        Ok(Runtime::from_parts(
            Scheduler::CurrentThread(scheduler),
            handle,
            blocking_pool,
        ))
    }

    /// The scheduler's settings, for every flavor; `local_owner` is the owner thread of a
    /// `LocalRuntime`. Reads `TOKIO_WORKER_THREADS` for a multi-thread runtime whose builder
    /// was given no `worker_threads`.
    fn scheduler_config(&self, local_owner: Option<ThreadId>) -> Config {
        Config {
            #[cfg(feature = "multi-thread")]
            worker_threads: match self.kind {
                // The thread in `block_on` is the one worker.
                Kind::CurrentThread => 1,
                Kind::MultiThread => self.worker_threads.unwrap_or_else(default_worker_threads),
            },
            local_owner,
            global_queue_interval: self.global_queue_interval,
            event_interval: self
                .event_interval
                .unwrap_or(config::DEFAULT_EVENT_INTERVAL),
            poll_time_histogram: self.poll_time_histogram.get(),
            before_park: self.before_park.clone(),
            after_unpark: self.after_unpark.clone(),
            #[cfg(feature = "multi-thread")]
            thread_name: self.thread_name.clone(),
            #[cfg(feature = "multi-thread")]
            thread_stack_size: self.thread_stack_size,
            #[cfg(feature = "multi-thread")]
            after_start: self.after_start.clone(),
            #[cfg(feature = "multi-thread")]
            before_stop: self.before_stop.clone(),
        }
    }

    /// What every scheduler flavor shares: the drivers, the blocking pool and the task hooks.
    fn runtime_services(
        &self,
        driver: driver::Handle,
        blocking_pool: &BlockingPool,
    ) -> RuntimeServices {
        RuntimeServices {
            driver,
            blocking_spawner: blocking_pool.spawner().clone(),
            blocking_hook: Arc::new(scheduler::ContextHook),
            hooks: self.task_hooks.build(scheduler::worker_index),
            name: self.name.clone(),
        }
    }

    /// The driver stack's settings; pausing the clock is only allowed when `enable_pause_time`.
    fn driver_config(&self, enable_pause_time: bool) -> driver::Config {
        driver::Config {
            enable_io: self.enable_io,
            io_events_per_tick: self.io_events_per_tick,
            io_events_per_busy_tick: self.io_events_per_busy_tick,
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

// The ready-made constructors of the runtimes are defined here, beside the builder they use, so
// that `runtime.rs` and `local_runtime.rs` sit below the builder that assembles them.
impl Runtime {
    /// A multi-thread runtime with every driver compiled in enabled: one worker per CPU.
    ///
    /// ```
    /// let rt = eddy_executor::runtime::Runtime::new().unwrap();
    /// assert_eq!(rt.block_on(async { eddy_executor::spawn(async { 2 }).await.unwrap() }), 2);
    /// ```
    #[cfg(feature = "multi-thread")]
    pub fn new() -> io::Result<Runtime> {
        Builder::new_multi_thread().enable_all().build()
    }
}

impl LocalRuntime {
    /// A local runtime with every driver compiled in enabled.
    ///
    /// # Errors
    ///
    /// Fails when a driver cannot be created (the I/O driver's `epoll` instance, say).
    pub fn new() -> io::Result<LocalRuntime> {
        Builder::new_current_thread()
            .enable_all()
            .build_local(LocalOptions::default())
    }
}

/// The environment variable that sets a multi-thread runtime's default number of workers.
#[cfg(feature = "multi-thread")]
const WORKER_THREADS_VAR: &str = "TOKIO_WORKER_THREADS";

/// The number of workers when the builder was given none: [`WORKER_THREADS_VAR`] if it is
/// set, else one per CPU.
///
/// # Panics
///
/// If the variable is set to anything but a positive integer (in Unicode).
#[cfg(feature = "multi-thread")]
fn default_worker_threads() -> usize {
    use std::env::{self, VarError};
    match env::var(WORKER_THREADS_VAR) {
        Ok(value) => {
            let count: usize = value.parse().unwrap_or_else(|error| {
                panic!("\"{WORKER_THREADS_VAR}\" must be usize, error: {error}, value: {value}")
            });
            assert!(count > 0, "\"{WORKER_THREADS_VAR}\" cannot be set to 0");
            count
        }
        Err(VarError::NotPresent) => {
            thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
        }
        Err(VarError::NotUnicode(value)) => {
            panic!("\"{WORKER_THREADS_VAR}\" must be valid unicode, error: {value:?}")
        }
    }
}

impl fmt::Debug for Builder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Builder")
            .field("kind", &self.kind)
            .field("name", &self.name)
            .field("enable_io", &self.enable_io)
            .field("enable_time", &self.enable_time)
            .field("start_paused", &self.start_paused)
            .field("thread_stack_size", &self.thread_stack_size)
            .field("max_blocking_threads", &self.max_blocking_threads)
            .field("thread_keep_alive", &self.keep_alive)
            .finish_non_exhaustive()
    }
}
