//! The runtime: a scheduler, its driver stack and its blocking pool.
//!
//! [`Builder`] configures and builds a [`Runtime`]; [`Handle`] is a cloneable reference to it
//! that spawns from any thread. Every thread that runs in the runtime's context (`block_on`,
//! `Runtime::enter`/`Handle::enter`, blocking-pool threads) has the scheduler, the time and I/O
//! drivers and the blocking pool installed in thread-locals (`context.rs`), which is how `spawn`,
//! `sleep` and sockets find the runtime without being handed it.
//!
//! Dropping a `Runtime` cancels every task it owns (their destructors run in the runtime's
//! context: on the dropping thread for a current-thread runtime, on the last worker to stop for
//! a multi-thread one), shuts the drivers down and waits for blocking tasks that already
//! started (or that a pool thread was already on its way to); other queued blocking tasks are
//! cancelled. [`Runtime::shutdown_timeout`] bounds the wait
//! (for the workers too) and [`Runtime::shutdown_background`] skips it.
//!
//! [`LocalRuntime`] (from [`Builder::build_local`]) is a current-thread runtime that stays on the
//! thread that built it and so can also run `!Send` tasks, without a `LocalSet`.
//!
//! [`RuntimeMetrics`] (from [`Runtime::metrics`] or [`Handle::metrics`]) reports the workers'
//! polls, steals, parks, schedules and busy time, the depths of the queues, the blocking pool
//! and the I/O driver; [`Builder::enable_metrics_poll_time_histogram`] adds a histogram of poll
//! times ([`HistogramConfiguration`], [`LogHistogram`]).
//!
//! The modules here layer, each using only those below it (`cargo xtask modcycles` checks it):
//! the leaves `id`, `driver`, `thread_park`, `context` (the thread's runtime marks) and
//! `metrics` (the counters workers write); `task`, the task machinery with the hooks and the
//! slow-poll watch its harness calls around each poll; `dump` and `blocking`; `config`;
//! `scheduler`, the flavors and the thread's current handle; `runtime_metrics` and
//! `watchdog_thread`, which read a runtime through its scheduler handle; `handle`; `runtime`
//! and `local_runtime`; and `builder` on top. A lower module that needs something from above is handed it: the
//! blocking pool reaches its runtime through `blocking::PoolRuntime`, which the scheduler
//! handle implements, and the slow-poll watch gets `worker_index` as a function.

mod blocking;
mod builder;
mod config;
pub(crate) mod context;
mod driver;
pub mod dump;
mod handle;
mod id;
mod local_runtime;
mod metrics;
#[allow(clippy::module_inception)]
mod runtime;
mod runtime_metrics;
pub(crate) mod scheduler;
pub(crate) mod task;
mod thread_park;
mod watchdog_thread;

pub use builder::Builder;
pub use dump::Dump;
pub use handle::{EnterGuard, Handle};
pub use id::Id;
pub use local_runtime::{LocalOptions, LocalRuntime};
pub use metrics::{
    HistogramConfiguration, InvalidHistogramConfiguration, LogHistogram, LogHistogramBuilder,
};
pub use runtime::{is_rt_shutdown_err, Runtime};
pub use runtime_metrics::RuntimeMetrics;
pub use scheduler::{RuntimeFlavor, TryCurrentError};
pub use task::meta::TaskMeta;
pub use task::poll_watch::SlowPoll;

/// The index of the worker thread running the caller: `Some(0)` on the thread that drives a
/// current-thread runtime (inside `Runtime::block_on` and its tasks), the worker's index in
/// `0..worker_threads` inside a task of a multi-thread runtime, and `None` elsewhere (outside
/// any runtime, in `Handle::block_on`, on the blocking pool, in the thread that called a
/// multi-thread runtime's `block_on`).
///
/// ```
/// use eddy_executor::runtime::{self, Builder};
///
/// let rt = Builder::new_current_thread().build().unwrap();
/// assert_eq!(rt.block_on(async { runtime::worker_index() }), Some(0));
/// assert_eq!(runtime::worker_index(), None);
/// ```
pub fn worker_index() -> Option<usize> {
    scheduler::worker_index()
}
