//! The multi-thread scheduler's shared half, reachable from every worker, task and waker.
//!
//! Spawning and waking land here. A task scheduled from one of the runtime's own workers goes to
//! that worker's LIFO slot or local queue without a lock (`worker.rs`); from anywhere else it goes
//! to the injection queue, after which one sleeping worker is woken if nobody is searching
//! (`idle.rs`).
//!
//! # Keeping the handle alive across a remote wake
//!
//! A waker reaches `schedule` through the task's own reference to this handle (the harness
//! passes a copy of it that holds no count). Once a remote wake has pushed the task on the
//! injection queue, a worker may run it to completion and free it, dropping that reference, and
//! if the runtime is being dropped at the same moment the workers may exit and the last count
//! go away, all before the waking thread has counted the wake and notified a worker, both of
//! which read this handle. So the remote path first takes a count of its own
//! ([`Handle::schedule_task`]) and releases it only when it is done with the handle; it costs
//! an atomic increment and decrement on a path that already takes a lock and a `SeqCst` fence.
//! The local path needs none: it runs on one of this runtime's workers, whose thread holds a
//! count until it exits.

use super::idle::Idle;
use super::inject::Inject;
use super::park::{SharedDriver, WorkerUnparker};
use super::queue;
use super::shutdown::Shutdown;
use super::worker;
use crate::loom::sync::atomic::{AtomicU64, Ordering};
use crate::loom::sync::Mutex;
use crate::runtime::config::Config;
use crate::runtime::dump::Dump;
use crate::runtime::metrics::WorkerMetrics;
use crate::runtime::scheduler::RuntimeServices;
use crate::runtime::task::hooks::TaskHooks;
use crate::runtime::task::list::OwnedTasks;
use crate::runtime::task::{self, Id, JoinHandle, Schedule, SpawnMeta, Task};
use std::fmt;
use std::future::Future;
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
    /// Spawns `future` as a task owned by this runtime.
    pub(crate) fn spawn<F>(
        me: &Arc<Handle>,
        future: F,
        id: Id,
        meta: &SpawnMeta<'_>,
    ) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let (join, notified) = me.shared.owned.bind(future, me.clone(), id, meta);
        me.shared.spawned.fetch_add(1, Ordering::Relaxed);
        if let Some(notified) = notified {
            if let Err(rejected) = me.schedule_task(notified, false) {
                drop(rejected);
            }
        }
        join
    }

    pub(crate) fn dump(&self) -> Dump {
        Dump::collect(|visit| self.shared.owned.for_each(visit))
    }

    /// Queues `task`: locally when called from one of this runtime's workers, else remotely.
    /// Hands the task back once the runtime shut down.
    fn schedule_task(self: &Arc<Handle>, task: Notified, is_yield: bool) -> Result<(), Notified> {
        match worker::schedule_local(self, task, is_yield) {
            // Our own count: once pushed, the task (and its count) may be gone (module docs).
            Some(task) => Arc::clone(self).push_remote(task),
            None => Ok(()),
        }
    }

    /// Pushes `task` on the injection queue and wakes a worker for it, holding a count on the
    /// handle (`self`) until done.
    fn push_remote(self: Arc<Self>, task: Notified) -> Result<(), Notified> {
        self.shared.inject.push(task)?;
        self.shared.remote_scheduled.fetch_add(1, Ordering::Relaxed);
        self.notify_parked();
        Ok(())
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

impl Schedule for Arc<Handle> {
    fn hooks(&self) -> Option<&TaskHooks> {
        self.services.hooks.as_deref()
    }

    fn release(&self, task: &Task<Self>) -> Option<Task<Self>> {
        self.shared.owned.remove(task)
    }

    fn schedule(&self, task: Notified) -> Result<(), Notified> {
        self.schedule_task(task, false)
    }

    fn yield_now(&self, task: Notified) -> Result<(), Notified> {
        self.schedule_task(task, true)
    }
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("multi_thread::Handle")
            .field("workers", &self.num_workers())
            .finish_non_exhaustive()
    }
}
