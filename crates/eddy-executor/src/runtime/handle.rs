//! `Handle`: a cloneable reference to a runtime, usable from any thread.

use super::scheduler::{self, RuntimeFlavor, TryCurrentError};
use super::{context, thread_park, RuntimeMetrics};
use crate::runtime;
use crate::runtime::task::trace;
use crate::runtime::task::JoinHandle;
use crate::runtime::task::{SpawnMeta, TaskKind};
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::panic::Location;
use std::panic::{RefUnwindSafe, UnwindSafe};

/// A handle to a runtime: spawns tasks and enters the runtime's context from any thread.
///
/// The handle does not keep the runtime running: once the `Runtime` is dropped, tasks spawned
/// through a handle are cancelled at once.
#[derive(Clone)]
pub struct Handle {
    pub(crate) inner: scheduler::Handle,
}

/// The runtime context entered by [`Handle::enter`] or `Runtime::enter`, left when dropped.
#[must_use = "the runtime context is left when the guard is dropped"]
pub struct EnterGuard<'a> {
    _guard: scheduler::EnterGuard,
    _handle: PhantomData<&'a Handle>,
}

impl Handle {
    /// The handle of the runtime the current thread runs in.
    ///
    /// # Panics
    ///
    /// Panics outside a runtime context.
    #[track_caller]
    pub fn current() -> Handle {
        // A `match`, not a closure: the panic must point at the caller (`#[track_caller]`).
        match Handle::try_current() {
            Ok(handle) => handle,
            Err(error) => panic!("{error}"),
        }
    }

    /// The handle of the runtime the current thread runs in, or why there is none.
    pub fn try_current() -> Result<Handle, TryCurrentError> {
        scheduler::with_current(|inner| Handle {
            inner: inner.clone(),
        })
    }

    /// Enters the runtime's context on this thread until the guard is dropped, so that
    /// `spawn`, timers and sockets find it.
    pub fn enter(&self) -> EnterGuard<'_> {
        EnterGuard {
            _guard: self.inner.enter(),
            _handle: PhantomData,
        }
    }

    /// A snapshot of every task the runtime owns, as Tokio's `Handle::dump` (which needs
    /// `--cfg tokio_unstable` and the `taskdump` feature there, nothing here): each task's id
    /// and [`trace`](super::dump::Task::trace), and eddy's name, spawn location, state, polls
    /// and time since the last poll (see [`dump`](super::dump)).
    ///
    /// The future is ready on its first poll: the dump polls and wakes no task, so it neither
    /// waits for a busy worker nor needs a timeout. [`dump_now`](Self::dump_now) takes the
    /// same snapshot without a future.
    ///
    /// ```
    /// use eddy_executor::runtime::{dump::TaskState, Builder, Handle};
    ///
    /// let rt = Builder::new_current_thread().build().unwrap();
    /// let _waiting = eddy_executor::task::Builder::new()
    ///     .name("waiter")
    ///     .spawn_on(std::future::pending::<()>(), rt.handle())
    ///     .unwrap();
    /// rt.block_on(async {
    ///     let dump = Handle::current().dump().await;
    ///     for task in dump.tasks().iter() {
    ///         println!("{}: {}", task.id(), task.trace());
    ///     }
    ///     let task = dump.tasks().iter().next().unwrap();
    ///     assert_eq!(task.name(), Some("waiter"));
    ///     assert_eq!(task.state(), TaskState::Scheduled);
    /// });
    /// ```
    pub async fn dump(&self) -> super::Dump {
        self.dump_now()
    }

    /// The snapshot [`dump`](Self::dump) gives, taken at once on the calling thread.
    ///
    /// This is for the threads where there is nothing to await a future with, and they are
    /// the ones a dump is most wanted from: a watchdog or signal-handling thread looking at a
    /// runtime whose workers are all stuck, or the thread that built a current-thread runtime
    /// outside its `block_on`. It waits for nothing but a few list locks.
    ///
    /// ```
    /// let rt = eddy_executor::runtime::Builder::new_current_thread().build().unwrap();
    /// let _task = rt.spawn(std::future::pending::<()>());
    /// let handle = rt.handle().clone();
    /// let dump = std::thread::spawn(move || handle.dump_now()).join().unwrap();
    /// assert_eq!(dump.tasks().len(), 1);
    /// ```
    pub fn dump_now(&self) -> super::Dump {
        self.inner.dump()
    }

    /// Spawns a task on the runtime (see [`spawn`](crate::spawn)).
    #[track_caller]
    pub fn spawn<F>(&self, future: F) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        self.inner.spawn(future, SpawnMeta::caller(TaskKind::Task))
    }

    /// Runs a blocking closure on the runtime's blocking pool.
    #[track_caller]
    pub fn spawn_blocking<F, R>(&self, func: F) -> JoinHandle<R>
    where
        F: FnOnce() -> R + Send + 'static,
        R: Send + 'static,
    {
        self.inner
            .spawn_blocking(func, SpawnMeta::caller(TaskKind::Blocking))
    }

    /// Runs `future` to completion on the calling thread, in the runtime's context.
    ///
    /// The future itself is polled here, but on a current-thread runtime the tasks it spawns
    /// (and the drivers) only make progress while some thread is inside `Runtime::block_on`.
    ///
    /// # Panics
    ///
    /// Panics when called from a thread that drives a runtime (inside `block_on` or a task).
    #[track_caller]
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        let _runtime = context::enter_runtime();
        let _context = self.inner.enter();
        thread_park::block_on(trace::instrument_block_on(future, Location::caller()))
    }

    /// A view of the runtime's metrics.
    pub fn metrics(&self) -> RuntimeMetrics {
        RuntimeMetrics::new(self.inner.clone())
    }

    /// The runtime's id, equal for every handle to the same runtime and different from the
    /// id of every other runtime (and `LocalSet`) of the process.
    pub fn id(&self) -> runtime::Id {
        self.inner.id()
    }

    /// The runtime's name, if it was given one with [`Builder::name`](super::Builder::name).
    ///
    /// ```
    /// use eddy_executor::runtime::Builder;
    ///
    /// let rt = Builder::new_current_thread().name("ingest").build().unwrap();
    /// assert_eq!(rt.handle().name(), Some("ingest"));
    /// ```
    pub fn name(&self) -> Option<&str> {
        self.inner.name()
    }

    /// The runtime's scheduler flavor.
    pub fn runtime_flavor(&self) -> RuntimeFlavor {
        self.inner.flavor()
    }
}

// The runtime's shared state is guarded by locks and atomics that a panic leaves consistent
// (tasks' panics are caught where they are polled).
impl UnwindSafe for Handle {}
impl RefUnwindSafe for Handle {}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handle")
            .field("flavor", &self.inner.flavor())
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for EnterGuard<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EnterGuard").finish_non_exhaustive()
    }
}
