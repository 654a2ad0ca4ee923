//! The settings a scheduler is built from, whatever its flavor.
//!
//! `Builder` turns its options into one [`Config`] and hands it to the scheduler it builds
//! (current-thread, the current-thread scheduler of a `LocalRuntime`, or multi-thread), next to
//! the driver stack and the [`RuntimeServices`](super::scheduler::RuntimeServices) every flavor
//! shares. Each scheduler reads the fields that mean something for it and applies its own
//! defaults where the builder left a field unset (the global-queue interval: fixed for the
//! current-thread scheduler, tuned per worker for the multi-thread one). Fields that a flavor
//! has no use for are said so on the field; `Builder` rejects the options no flavor can honour
//! before a scheduler sees them. The blocking pool and the drivers have configs of their own
//! (`blocking::Config`, `driver::Config`).

use super::blocking::Callback;
#[cfg(feature = "multi-thread")]
use super::blocking::ThreadNameFn;
use super::metrics::HistogramConfiguration;
use std::thread::ThreadId;

/// Tasks a scheduler runs between two looks at the drivers while it is busy, unless the builder
/// says otherwise (Tokio's default too).
pub(crate) const DEFAULT_EVENT_INTERVAL: u32 = 61;

/// How a runtime's scheduler is built, from the `Builder`.
pub(crate) struct Config {
    /// Worker threads of a multi-thread runtime; 1 for the current-thread flavor, whose one
    /// worker is the thread in `block_on`, and which has no use for it.
    #[cfg(feature = "multi-thread")]
    pub(crate) worker_threads: usize,
    /// The thread that owns the `LocalRuntime` this scheduler belongs to, if it is one (the
    /// current-thread flavor only: `build_local` refuses a multi-thread builder).
    pub(crate) local_owner: Option<ThreadId>,
    /// Ticks between two looks at the queue of tasks from other threads, when the builder fixes
    /// it; `None`: the flavor's default.
    pub(crate) global_queue_interval: Option<u32>,
    /// Tasks run between two looks at the drivers.
    pub(crate) event_interval: u32,
    /// The poll-time histogram's layout, if it is enabled.
    pub(crate) poll_time_histogram: Option<HistogramConfiguration>,
    /// `on_thread_park`.
    pub(crate) before_park: Option<Callback>,
    /// `on_thread_unpark`.
    pub(crate) after_unpark: Option<Callback>,
    /// Names a worker thread (the multi-thread flavor's; every flavor's blocking pool gets the
    /// same function through its own config). The worker-thread fields exist with the
    /// `multi-thread` feature only.
    #[cfg(feature = "multi-thread")]
    pub(crate) thread_name: ThreadNameFn,
    /// The stack size of a worker thread, as above.
    #[cfg(feature = "multi-thread")]
    pub(crate) thread_stack_size: Option<usize>,
    /// `on_thread_start` for a worker thread, as above.
    #[cfg(feature = "multi-thread")]
    pub(crate) after_start: Option<Callback>,
    /// `on_thread_stop` for a worker thread, as above.
    #[cfg(feature = "multi-thread")]
    pub(crate) before_stop: Option<Callback>,
}
