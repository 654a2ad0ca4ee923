//! The task machinery: the allocation behind every spawned task and the handles onto it.
//!
//! A spawned task is one heap allocation (`core.rs`): a header with the state word
//! (`state.rs`), the scheduler handle, the future (replaced by its output when it completes) and
//! the `JoinHandle`'s waker. Several typed handles share that allocation, each owning one
//! reference in the state word: `Task` (held by the runtime's owned-task list, `list.rs`),
//! `Notified` (held by a run queue), [`JoinHandle`], [`AbortHandle`] and wakers (`waker.rs`).
//! The unsafe code lives in `raw.rs`, `core.rs`, `harness.rs`, `waker.rs` and `list.rs`; the rest
//! of the crate uses these safe handles.
//!
//! A scheduler plugs in through `Schedule`: it receives `Notified` tasks to run and removes
//! completed tasks from its owned list. Blocking work is a task too (`blocking.rs`), one that no
//! owned list tracks.
//!
//! Every spawn entry point is `#[track_caller]` and captures a `SpawnMeta` (name, spawn
//! location, kind, `meta.rs`) that the allocation copies into the header (the name in
//! `name.rs`), next to the task's poll statistics (`poll_stats.rs`, stamped by the coarse clock
//! of `poll_clock.rs`) and, with the `tracing` feature, the id of its `runtime.spawn` span
//! (`trace.rs`). Task hooks (`hooks.rs`) receive a `TaskMeta` view of the header; the harness
//! runs each poll between them and publishes it to the runtime's slow-poll watch
//! (`poll_watch.rs`), whose watchdog thread sits above the schedulers. Runtime task dumps read
//! the header of every owned task.
//!
//! This module is the runtime's own: it never reaches into `crate::task`, the public API
//! (`spawn`, `JoinSet`, `LocalSet`, ...) built over it, which re-exports the public handles
//! ([`JoinHandle`], [`AbortHandle`], [`JoinError`], [`Id`]) under their Tokio paths.

mod abort;
mod blocking;
pub(crate) mod core;
mod error;
mod harness;
pub(crate) mod hooks;
mod id;
mod join;
pub(crate) mod list;
pub(crate) mod meta;
mod name;
pub(crate) mod poll_clock;
mod poll_stats;
pub(crate) mod poll_watch;
mod raw;
mod state;
pub(crate) mod trace;
mod waker;

#[cfg(all(test, loom))]
pub(crate) mod loom_task;

pub use abort::AbortHandle;
pub use error::JoinError;
pub use id::{id, try_id, Id};
pub use join::JoinHandle;

pub(crate) use blocking::{BlockingSchedule, BlockingTask};
pub(crate) use meta::{SpawnMeta, TaskKind};
pub(crate) use raw::RawTask;

use self::hooks::TaskHooks;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;

/// How a task reaches its scheduler. Implemented by each scheduler's handle.
pub(crate) trait Schedule: Send + Sync + Sized + 'static {
    /// Removes a completed task from the owned list, returning the list's reference (or `None`
    /// if the task is not in it: unowned tasks, or tasks already popped by shutdown).
    fn release(&self, task: &Task<Self>) -> Option<Task<Self>>;

    /// Queues a task to be polled. A scheduler that shut down hands the task back instead of
    /// dropping it: `self` may point into the task's own allocation, which dropping the last
    /// reference would free while `self` is still borrowed.
    fn schedule(&self, task: Notified<Self>) -> Result<(), Notified<Self>>;

    /// Queues a task that woke itself while it was being polled (it yielded, or its cooperative
    /// budget ran out): it goes behind the tasks that are already ready.
    fn yield_now(&self, task: Notified<Self>) -> Result<(), Notified<Self>> {
        self.schedule(task)
    }

    /// The runtime's task hooks, if it was built with any.
    fn hooks(&self) -> Option<&TaskHooks> {
        None
    }
}

/// The owned-list's reference to a task.
pub(crate) struct Task<S: 'static> {
    raw: RawTask,
    _scheduler: PhantomData<S>,
}

/// A task that was woken and waits in a run queue; running it consumes the reference.
pub(crate) struct Notified<S: 'static>(Task<S>);

impl<S: 'static> Task<S> {
    /// Takes over one reference to `raw`.
    ///
    /// # Safety
    ///
    /// The caller owns a reference to the task, whose scheduler type is `S`.
    pub(crate) unsafe fn from_raw(raw: RawTask) -> Task<S> {
        Task {
            raw,
            _scheduler: PhantomData,
        }
    }

    pub(crate) fn raw(&self) -> RawTask {
        self.raw
    }

    pub(crate) fn id(&self) -> Id {
        self.raw.id()
    }

    /// Cancels the task for runtime shutdown.
    pub(crate) fn shutdown(self) {
        let raw = self.raw;
        std::mem::forget(self);
        raw.shutdown();
    }
}

impl<S: 'static> Notified<S> {
    /// Takes over one `Notified` reference to `raw`.
    ///
    /// # Safety
    ///
    /// The caller owns a reference standing for the task's `NOTIFIED` bit, and the task's
    /// scheduler type is `S`.
    pub(crate) unsafe fn from_raw(raw: RawTask) -> Notified<S> {
        // SAFETY: forwarded from the caller.
        Notified(unsafe { Task::from_raw(raw) })
    }

    /// Polls the task once (or cancels it, if aborted).
    pub(crate) fn run(self) {
        let raw = self.0.raw;
        std::mem::forget(self);
        raw.poll();
    }

    pub(crate) fn id(&self) -> Id {
        self.0.id()
    }

    /// Cancels a task that is queued but was never polled (a blocking task at shutdown): the
    /// `Notified` reference stands in for the owned-list reference `Task::shutdown` consumes.
    pub(crate) fn shutdown(self) {
        self.0.shutdown();
    }
}

impl<S: 'static> Drop for Task<S> {
    fn drop(&mut self) {
        self.raw.drop_reference();
    }
}

impl<S: 'static> fmt::Debug for Task<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Task({})", self.id())
    }
}

impl<S: 'static> fmt::Debug for Notified<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Notified({})", self.id())
    }
}

/// Allocates a task with three references: the owned list's, the first `Notified` and the
/// `JoinHandle`.
///
/// No `Send` bound: the entry points require it, except `LocalSet`'s, which keep a `!Send`
/// future on the thread that owns the set (see `local_set`).
pub(crate) fn new_task<F, S>(
    future: F,
    scheduler: S,
    id: Id,
    meta: &SpawnMeta<'_>,
) -> (Task<S>, Notified<S>, JoinHandle<F::Output>)
where
    F: Future + 'static,
    F::Output: 'static,
    S: Schedule,
{
    let raw = RawTask::new(future, scheduler, id, meta, 3, harness::vtable::<F, S>());
    // SAFETY: the new task has three references, handed out once each here.
    unsafe {
        (
            Task::from_raw(raw),
            Notified::from_raw(raw),
            JoinHandle::from_raw(raw),
        )
    }
}

/// Allocates a task no list owns (a blocking task): two references, the `Notified` and the
/// `JoinHandle`.
pub(crate) fn new_unowned<F, S>(
    future: F,
    scheduler: S,
    id: Id,
    meta: &SpawnMeta<'_>,
) -> (Notified<S>, JoinHandle<F::Output>)
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
    S: Schedule,
{
    let raw = RawTask::new(future, scheduler, id, meta, 2, harness::vtable::<F, S>());
    // SAFETY: the new task has two references, handed out once each here.
    unsafe { (Notified::from_raw(raw), JoinHandle::from_raw(raw)) }
}
