//! The multi-thread scheduler's shared half, reachable from every worker, task and waker: the
//! state the workers share (the stealable end of each worker's queue, the injection queue, the
//! idle set, the owned tasks, the driver) and waking a sleeping worker for new work. Where a
//! spawned or woken task goes, a worker's own queue or the injection queue, is `schedule.rs`,
//! above both this and the workers.

use super::idle::Idle;
use super::inject::Inject;
use super::park::{SharedDriver, WorkerUnparker};
use super::queue;
use super::shutdown::Shutdown;
use crate::loom::sync::atomic::{AtomicU64, Ordering};
use crate::loom::sync::Mutex;
use crate::runtime::config::Config;
use crate::runtime::dump::Dump;
use crate::runtime::metrics::WorkerMetrics;
use crate::runtime::scheduler::RuntimeServices;
use crate::runtime::task;
use crate::runtime::task::list::OwnedTasks;
use std::fmt;
use std::sync::Arc;
use std::thread::JoinHandle as ThreadHandle;

pub(super) type Notified = task::Notified<Arc<Handle>>;

/// The scheduler handle tasks hold.
pub(crate) struct Handle {
    pub(super) shared: Shared,
    pub(super) shutdown: Shutdown,
    pub(crate) services: RuntimeServices,
}

/// State shared by the workers.
pub(super) struct Shared {
    /// One per worker: where others steal from and how to wake it.
    pub(super) remotes: Box<[Remote]>,
    pub(super) inject: Inject<Notified>,
    pub(super) idle: Idle,
    pub(super) owned: OwnedTasks<Arc<Handle>>,
    pub(super) driver: SharedDriver,
    pub(super) config: Config,
    pub(super) worker_metrics: Box<[WorkerMetrics]>,
    pub(super) spawned: AtomicU64,
    /// Tasks pushed on the injection queue from outside the workers.
    pub(super) remote_scheduled: AtomicU64,
    /// Every thread that runs (or ran) a worker; shutdown joins them.
    pub(super) threads: Mutex<Vec<ThreadHandle<()>>>,
}

/// What other threads may touch of one worker.
pub(super) struct Remote {
    pub(super) steal: queue::Steal<Notified>,
    pub(super) unparker: WorkerUnparker,
}

impl Handle {
    pub(crate) fn dump(&self) -> Dump {
        Dump::collect(|visit| self.shared.owned.for_each(visit))
    }

    /// Wakes one sleeping worker if nobody is searching for work.
    pub(super) fn notify_parked(&self) {
        if let Some(index) = self.shared.idle.worker_to_notify() {
            self.shared.remotes[index].unparker.unpark();
        }
    }

    /// Called by the last searcher going to sleep: if any queue still holds work, someone must
    /// stay awake for it.
    pub(super) fn notify_if_work_pending(&self) {
        let stealable = self
            .shared
            .remotes
            .iter()
            .any(|remote| !remote.steal.is_empty());
        if stealable || !self.shared.inject.is_empty() {
            self.notify_parked();
        }
    }

    pub(crate) fn num_workers(&self) -> usize {
        self.shared.remotes.len()
    }

    pub(crate) fn owned_id(&self) -> crate::runtime::Id {
        self.shared.owned.id()
    }

    pub(crate) fn num_alive_tasks(&self) -> usize {
        self.shared.owned.len()
    }

    pub(crate) fn global_queue_depth(&self) -> usize {
        self.shared.inject.len()
    }

    pub(crate) fn spawned_tasks_count(&self) -> u64 {
        self.shared.spawned.load(Ordering::Relaxed)
    }

    pub(crate) fn remote_schedule_count(&self) -> u64 {
        self.shared.remote_scheduled.load(Ordering::Relaxed)
    }

    pub(crate) fn worker_local_queue_depth(&self, worker: usize) -> usize {
        self.shared.remotes[worker].steal.len()
    }

    pub(crate) fn worker_metrics(&self, worker: usize) -> &WorkerMetrics {
        &self.shared.worker_metrics[worker]
    }
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("multi_thread::Handle")
            .field("workers", &self.num_workers())
            .finish_non_exhaustive()
    }
}
