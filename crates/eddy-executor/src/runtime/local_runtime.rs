//! `LocalRuntime`: a current-thread runtime pinned to its thread, which also runs `!Send` tasks.
//!
//! A `LocalRuntime` is an ordinary current-thread [`Runtime`] whose scheduler knows the thread
//! that built it (`Builder::build_local`) and is wrapped in a type that is neither `Send` nor
//! `Sync`. Those two facts together are the whole safety argument for `!Send` futures: the
//! wrapper can never leave the owner thread, and it is the only way to reach the scheduler's
//! `block_on` (which polls tasks) and its shutdown (which drops them), so every `!Send` future
//! is polled and dropped on the owner. `spawn_local` goes to the scheduler's own task list, not
//! to a `LocalSet`: local and `Send` tasks share one run queue, one set of metrics and one
//! shutdown. Threads holding the [`Handle`] may still spawn `Send` tasks, which the owner runs
//! the next time it is in `block_on`.

use super::{EnterGuard, Handle, Runtime, RuntimeMetrics};
use crate::runtime::task::{JoinHandle, SpawnMeta, TaskKind};
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::time::Duration;

/// A current-thread runtime that stays on the thread that built it and runs `!Send` tasks.
///
/// Next to what a current-thread [`Runtime`] does, it accepts futures that are not `Send`:
/// through [`LocalRuntime::spawn_local`], and through `task::spawn_local` called anywhere in
/// its context on its thread (in `block_on`, in its tasks), with no `LocalSet`. Its tasks run
/// while the owner thread is in [`block_on`](LocalRuntime::block_on); they stay queued between
/// two calls. Dropping it cancels the tasks left, on the owner thread.
///
/// Do not drive a `LocalSet` inside it: `spawn_local` goes to the runtime, never to the set.
///
/// It cannot be sent to, or shared with, another thread:
///
/// ```compile_fail
/// let rt = eddy_executor::runtime::LocalRuntime::new().unwrap();
/// std::thread::spawn(move || drop(rt));
/// ```
///
/// ```
/// use eddy_executor::runtime::LocalRuntime;
/// use eddy_executor::task;
/// use std::cell::Cell;
/// use std::rc::Rc;
///
/// let rt = LocalRuntime::new().unwrap();
/// let count = Rc::new(Cell::new(0));
/// rt.block_on(async {
///     let tasks: Vec<_> = (0..3)
///         .map(|_| {
///             let count = count.clone();
///             task::spawn_local(async move { count.set(count.get() + 1) })
///         })
///         .collect();
///     for task in tasks {
///         task.await.unwrap();
///     }
/// });
/// assert_eq!(count.get(), 3);
/// ```
pub struct LocalRuntime {
    runtime: Runtime,
    _not_send: PhantomData<*mut ()>,
}

/// Settings of a [`LocalRuntime`] that a [`Runtime`] does not have (none yet), for
/// [`Builder::build_local`](super::Builder::build_local).
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct LocalOptions {
    _not_send: PhantomData<*mut ()>,
}

impl LocalRuntime {
    /// Wraps a current-thread runtime built for the calling thread (`local_owner` set).
    pub(crate) fn from_runtime(runtime: Runtime) -> LocalRuntime {
        LocalRuntime {
            runtime,
            _not_send: PhantomData,
        }
    }

    /// A handle to this runtime. It may go to other threads, where it spawns `Send` tasks only.
    pub fn handle(&self) -> &Handle {
        self.runtime.handle()
    }

    /// Spawns a future that need not be `Send` on this runtime. It runs when the runtime is
    /// next driven by [`block_on`](Self::block_on).
    #[track_caller]
    pub fn spawn_local<F>(&self, future: F) -> JoinHandle<F::Output>
    where
        F: Future + 'static,
        F::Output: 'static,
    {
        let meta = SpawnMeta::caller(TaskKind::Local);
        match self.handle().inner.spawn_local(future, meta) {
            Ok(join) => join,
            Err(_) => unreachable!("eddy: a LocalRuntime is only reachable on its owner thread"),
        }
    }

    /// Runs a blocking closure on this runtime's blocking pool.
    #[track_caller]
    pub fn spawn_blocking<F, R>(&self, func: F) -> JoinHandle<R>
    where
        F: FnOnce() -> R + Send + 'static,
        R: Send + 'static,
    {
        self.runtime.spawn_blocking(func)
    }

    /// Runs `future` to completion on this thread, driving the runtime's tasks (local and
    /// `Send` ones) and drivers meanwhile.
    ///
    /// # Panics
    ///
    /// Panics when called from inside a runtime (in `block_on` or in a task).
    #[track_caller]
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.runtime.block_on(future)
    }

    /// Enters the runtime's context on this thread until the guard is dropped, so that `spawn`,
    /// `spawn_local`, timers and sockets find it.
    pub fn enter(&self) -> EnterGuard<'_> {
        self.runtime.enter()
    }

    /// Shuts the runtime down, waiting at most `duration` for blocking tasks that are running.
    pub fn shutdown_timeout(self, duration: Duration) {
        self.runtime.shutdown_timeout(duration);
    }

    /// Shuts the runtime down without waiting for running blocking tasks.
    pub fn shutdown_background(self) {
        self.runtime.shutdown_background();
    }

    /// A view of the runtime's metrics.
    pub fn metrics(&self) -> RuntimeMetrics {
        self.runtime.metrics()
    }
}

impl fmt::Debug for LocalRuntime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LocalRuntime").finish_non_exhaustive()
    }
}

impl std::panic::UnwindSafe for LocalRuntime {}

impl std::panic::RefUnwindSafe for LocalRuntime {}
