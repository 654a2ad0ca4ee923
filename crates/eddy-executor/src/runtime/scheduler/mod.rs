//! The schedulers, behind one handle type that dispatches per flavor.
//!
//! [`Handle`] is what the rest of the crate holds (the public `runtime::Handle`, the thread
//! context, blocking threads); [`Scheduler`] is the part only the `Runtime` owns (for the
//! current-thread flavor: the core with the driver). A new flavor adds one variant to each and
//! one arm to each `match` here.

mod current;
pub(crate) mod current_thread;
#[cfg(feature = "multi-thread")]
pub(crate) mod multi_thread;

use crate::runtime::dump::Dump;
use crate::runtime::metrics::WorkerMetrics;
use crate::runtime::task::hooks::TaskHooks;
use crate::runtime::task::meta::TaskMeta;
use crate::runtime::task::{Id, JoinHandle, SpawnMeta};
use crate::runtime::{self, blocking, driver};
pub use current::TryCurrentError;
pub(crate) use current::{with_current, ContextHook, EnterGuard};
use std::fmt;
use std::future::Future;
use std::sync::{Arc, Weak};
use std::time::Duration;

/// A cloneable handle to a runtime's scheduler.
#[derive(Clone)]
pub(crate) enum Handle {
    CurrentThread(Arc<current_thread::Handle>),
    #[cfg(feature = "multi-thread")]
    MultiThread(Arc<multi_thread::Handle>),
}

/// A [`Handle`] that does not keep the runtime alive (the stuck-poll watchdog's).
pub(crate) enum WeakHandle {
    CurrentThread(Weak<current_thread::Handle>),
    #[cfg(feature = "multi-thread")]
    MultiThread(Weak<multi_thread::Handle>),
}

impl WeakHandle {
    /// The handle, while the runtime's scheduler lives.
    pub(crate) fn upgrade(&self) -> Option<Handle> {
        match self {
            WeakHandle::CurrentThread(weak) => weak.upgrade().map(Handle::CurrentThread),
            #[cfg(feature = "multi-thread")]
            WeakHandle::MultiThread(weak) => weak.upgrade().map(Handle::MultiThread),
        }
    }
}

/// The kind of scheduler a runtime uses.
#[derive(Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RuntimeFlavor {
    /// All tasks run on the thread that calls `block_on`.
    CurrentThread,
    /// Tasks run on a pool of worker threads.
    MultiThread,
}

impl blocking::PoolRuntime for Handle {
    type Entered = EnterGuard;

    fn enter(&self) -> EnterGuard {
        Handle::enter(self)
    }

    #[inline]
    fn driver(&self) -> &driver::Handle {
        Handle::driver(self)
    }
}

/// The part of a scheduler the `Runtime` owns.
pub(crate) enum Scheduler {
    CurrentThread(current_thread::CurrentThread),
    #[cfg(feature = "multi-thread")]
    MultiThread(multi_thread::MultiThread),
}

/// What the runtime provides to its tasks whatever the flavor, carried by every flavor's handle
/// besides its queues: the drivers, the blocking pool, the task hooks and the runtime's name.
pub(crate) struct RuntimeServices {
    pub(crate) driver: driver::Handle,
    pub(crate) blocking_spawner: blocking::Spawner,
    /// The blocking pool as `eddy_core::blocking` sees it; installed by `Handle::enter`.
    pub(crate) blocking_hook: Arc<dyn eddy_core::blocking::BlockingSpawner>,
    /// Task hooks and slow-poll reporting; `None` when the builder set none.
    pub(crate) hooks: Option<Arc<TaskHooks>>,
    /// The name given with `Builder::name`.
    pub(crate) name: Option<String>,
}

/// The index of the worker this thread runs as: 0 on the thread that drives a current-thread
/// runtime, the worker's index on a multi-thread worker, `None` anywhere else.
pub(crate) fn worker_index() -> Option<usize> {
    if current_thread::is_driving() {
        return Some(0);
    }
    #[cfg(feature = "multi-thread")]
    if let Some(index) = multi_thread::worker_index() {
        return Some(index);
    }
    None
}

impl Handle {
    fn services(&self) -> &RuntimeServices {
        match self {
            Handle::CurrentThread(handle) => &handle.services,
            #[cfg(feature = "multi-thread")]
            Handle::MultiThread(handle) => &handle.services,
        }
    }

    /// Spawns a future on this runtime.
    pub(crate) fn spawn<F>(&self, future: F, meta: SpawnMeta<'_>) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let id = Id::next();
        if let Some(hooks) = &self.services().hooks {
            hooks.spawned(&TaskMeta::new(id, meta.name, meta.location));
        }
        match self {
            Handle::CurrentThread(handle) => {
                current_thread::Handle::spawn(handle, future, id, &meta)
            }
            #[cfg(feature = "multi-thread")]
            Handle::MultiThread(handle) => multi_thread::Handle::spawn(handle, future, id, &meta),
        }
    }

    /// Spawns a `!Send` future on this runtime if it is a `LocalRuntime` owned by the calling
    /// thread; otherwise hands the future back.
    pub(crate) fn spawn_local<F>(
        &self,
        future: F,
        meta: SpawnMeta<'_>,
    ) -> Result<JoinHandle<F::Output>, F>
    where
        F: Future + 'static,
        F::Output: 'static,
    {
        let Some(handle) = self.as_current_thread() else {
            return Err(future);
        };
        let id = Id::next();
        let join = current_thread::Handle::spawn_local(handle, future, id, &meta)?;
        if let Some(hooks) = &self.services().hooks {
            hooks.spawned(&TaskMeta::new(id, meta.name, meta.location));
        }
        Ok(join)
    }

    /// Whether this is the scheduler of a `LocalRuntime`.
    /// The current-thread scheduler's handle, `None` for a multi-thread runtime.
    fn as_current_thread(&self) -> Option<&Arc<current_thread::Handle>> {
        match self {
            Handle::CurrentThread(handle) => Some(handle),
            #[cfg(feature = "multi-thread")]
            Handle::MultiThread(_) => None,
        }
    }

    pub(crate) fn is_local(&self) -> bool {
        match self {
            Handle::CurrentThread(handle) => handle.is_local(),
            #[cfg(feature = "multi-thread")]
            Handle::MultiThread(_) => false,
        }
    }

    /// Runs `func` on this runtime's blocking pool.
    pub(crate) fn spawn_blocking<F, R>(&self, func: F, meta: SpawnMeta<'_>) -> JoinHandle<R>
    where
        F: FnOnce() -> R + Send + 'static,
        R: Send + 'static,
    {
        self.blocking_spawner().spawn_blocking(self, func, &meta)
    }

    /// A handle that does not keep the runtime alive.
    pub(crate) fn downgrade(&self) -> WeakHandle {
        match self {
            Handle::CurrentThread(handle) => WeakHandle::CurrentThread(Arc::downgrade(handle)),
            #[cfg(feature = "multi-thread")]
            Handle::MultiThread(handle) => WeakHandle::MultiThread(Arc::downgrade(handle)),
        }
    }

    /// The runtime's task hooks; `None` when the builder set none.
    pub(crate) fn hooks(&self) -> Option<&Arc<TaskHooks>> {
        self.services().hooks.as_ref()
    }

    /// A snapshot of every task the runtime owns.
    pub(crate) fn dump(&self) -> Dump {
        match self {
            Handle::CurrentThread(handle) => handle.dump(),
            #[cfg(feature = "multi-thread")]
            Handle::MultiThread(handle) => handle.dump(),
        }
    }

    /// The runtime's id: its owned-task list's.
    pub(crate) fn id(&self) -> runtime::Id {
        match self {
            Handle::CurrentThread(handle) => handle.owned_id(),
            #[cfg(feature = "multi-thread")]
            Handle::MultiThread(handle) => handle.owned_id(),
        }
    }

    /// The name given with `Builder::name`.
    pub(crate) fn name(&self) -> Option<&str> {
        self.services().name.as_deref()
    }

    pub(crate) fn driver(&self) -> &driver::Handle {
        &self.services().driver
    }

    pub(crate) fn blocking_spawner(&self) -> &blocking::Spawner {
        &self.services().blocking_spawner
    }

    pub(crate) fn blocking_hook(&self) -> Arc<dyn eddy_core::blocking::BlockingSpawner> {
        self.services().blocking_hook.clone()
    }

    /// Makes this runtime the current thread's until the guard is dropped.
    pub(crate) fn enter(&self) -> EnterGuard {
        current::enter(self)
    }

    pub(crate) fn flavor(&self) -> RuntimeFlavor {
        match self {
            Handle::CurrentThread(_) => RuntimeFlavor::CurrentThread,
            #[cfg(feature = "multi-thread")]
            Handle::MultiThread(_) => RuntimeFlavor::MultiThread,
        }
    }

    pub(crate) fn num_workers(&self) -> usize {
        match self {
            Handle::CurrentThread(_) => 1,
            #[cfg(feature = "multi-thread")]
            Handle::MultiThread(handle) => handle.num_workers(),
        }
    }

    pub(crate) fn num_alive_tasks(&self) -> usize {
        match self {
            Handle::CurrentThread(handle) => handle.num_alive_tasks(),
            #[cfg(feature = "multi-thread")]
            Handle::MultiThread(handle) => handle.num_alive_tasks(),
        }
    }

    pub(crate) fn global_queue_depth(&self) -> usize {
        match self {
            Handle::CurrentThread(handle) => handle.global_queue_depth(),
            #[cfg(feature = "multi-thread")]
            Handle::MultiThread(handle) => handle.global_queue_depth(),
        }
    }

    pub(crate) fn spawned_tasks_count(&self) -> u64 {
        match self {
            Handle::CurrentThread(handle) => handle.spawned_tasks_count(),
            #[cfg(feature = "multi-thread")]
            Handle::MultiThread(handle) => handle.spawned_tasks_count(),
        }
    }

    pub(crate) fn remote_schedule_count(&self) -> u64 {
        match self {
            Handle::CurrentThread(handle) => handle.remote_schedule_count(),
            #[cfg(feature = "multi-thread")]
            Handle::MultiThread(handle) => handle.remote_schedule_count(),
        }
    }

    /// The length of worker `worker`'s local queue; panics if there is no such worker.
    #[track_caller]
    pub(crate) fn worker_local_queue_depth(&self, worker: usize) -> usize {
        let metrics = self.worker_metrics(worker);
        match self {
            Handle::CurrentThread(_) => metrics.queue_depth(),
            #[cfg(feature = "multi-thread")]
            Handle::MultiThread(handle) => handle.worker_local_queue_depth(worker),
        }
    }

    /// The counters of worker `worker`; panics if there is no such worker.
    #[track_caller]
    pub(crate) fn worker_metrics(&self, worker: usize) -> &WorkerMetrics {
        let workers = self.num_workers();
        assert!(
            worker < workers,
            "worker index {worker} out of range: the runtime has {workers} worker(s)"
        );
        match self {
            Handle::CurrentThread(handle) => handle.worker_metrics(),
            #[cfg(feature = "multi-thread")]
            Handle::MultiThread(handle) => handle.worker_metrics(worker),
        }
    }
}

impl Scheduler {
    /// Drives `future` to completion on the calling thread (which already entered the runtime).
    pub(crate) fn block_on<F: Future>(&self, handle: &Handle, future: F) -> F::Output {
        match (self, handle) {
            (Scheduler::CurrentThread(scheduler), Handle::CurrentThread(handle)) => {
                scheduler.block_on(handle, future)
            }
            #[cfg(feature = "multi-thread")]
            (Scheduler::MultiThread(scheduler), Handle::MultiThread(_)) => {
                scheduler.block_on(future)
            }
            #[cfg(feature = "multi-thread")]
            _ => unreachable!("eddy: a runtime's scheduler and handle are of one flavor"),
        }
    }

    /// Cancels every task and shuts the drivers down. Calling it again does nothing. A
    /// multi-thread runtime waits at most `timeout` (`None`: no limit) for its workers to stop.
    pub(crate) fn shutdown(&self, handle: &Handle, timeout: Option<Duration>) {
        match (self, handle) {
            (Scheduler::CurrentThread(scheduler), Handle::CurrentThread(handle)) => {
                let _ = timeout;
                scheduler.shutdown(handle)
            }
            #[cfg(feature = "multi-thread")]
            (Scheduler::MultiThread(scheduler), Handle::MultiThread(handle)) => {
                scheduler.shutdown(handle, timeout)
            }
            #[cfg(feature = "multi-thread")]
            _ => unreachable!("eddy: a runtime's scheduler and handle are of one flavor"),
        }
    }
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Handle").field(&self.flavor()).finish()
    }
}

impl fmt::Debug for Scheduler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scheduler::CurrentThread(_) => f.write_str("Scheduler::CurrentThread"),
            #[cfg(feature = "multi-thread")]
            Scheduler::MultiThread(_) => f.write_str("Scheduler::MultiThread"),
        }
    }
}
