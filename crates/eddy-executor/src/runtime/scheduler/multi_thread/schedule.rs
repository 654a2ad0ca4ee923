//! Where a task goes when it is spawned or woken: the multi-thread handle's `Schedule`.
//!
//! A task scheduled from one of the runtime's own workers goes to that worker's LIFO slot or
//! local queue without a lock (`worker.rs`); from anywhere else it goes to the injection queue,
//! after which one sleeping worker is woken if nobody is searching (`handle.rs`, `idle.rs`).
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

use super::handle::{Handle, Notified};
use super::worker;
use crate::loom::sync::atomic::Ordering;
use crate::runtime::task::hooks::TaskHooks;
use crate::runtime::task::{Id, JoinHandle, Schedule, SpawnMeta, Task};
use std::future::Future;
use std::sync::Arc;

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
