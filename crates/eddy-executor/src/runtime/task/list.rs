//! The list of tasks a runtime owns, so that shutdown can cancel every one of them.
//!
//! `eddy_core`'s intrusive linked list through the `owned` links in each task's header: binding
//! a task costs no allocation. The list holds one reference per task: binding forgets the new
//! task's reference into the links, and unlinking rebuilds it. It is split into shards, each
//! with its own lock, chosen by task id, so that workers spawning and completing tasks at once
//! rarely contend on the same lock. Once a shard is `closed` (under its lock), no task is
//! linked into it again, so shutdown (which closes every shard before draining them) empties
//! the list for good.
//!
//! A list may hold tasks whose futures are not `Send` (a `LocalSet`'s, a `LocalRuntime`'s),
//! yet it is shared with other threads through the scheduler that wakers carry. Those tasks
//! enter only through `bind_local`, which records the binding thread; the one operation that
//! runs task code, cancelling them all, refuses to run on any other thread.

use super::core::Header;
use super::raw::RawTask;
use super::{new_task, JoinHandle, Notified, Schedule, SpawnMeta, Task};
use crate::loom::sync::Mutex;
use crate::runtime;
use crate::runtime::task::Id;
use eddy_core::linked_list::{Link, LinkedList};
use std::future::Future;
use std::marker::PhantomData;
use std::sync::OnceLock;
use std::thread::{self, ThreadId};

pub(crate) use eddy_core::linked_list::Pointers;

// SAFETY: `owned` is a field of the header, and a task is linked only into the owned list of
// the scheduler it was bound to (`link`), whose shard locks guard it.
unsafe impl Link for Header {
    #[inline]
    fn pointers(&self) -> &Pointers<Header> {
        &self.owned
    }
}

/// One shard: its tasks, whether it still takes new ones, and how many it holds.
struct Shard {
    list: LinkedList<Header>,
    closed: bool,
    len: usize,
}

/// Shards per list. One under loom: the shard follows the task id, which comes from a
/// process-wide counter, and loom needs every run of a model to take the same locks.
const SHARDS: usize = if cfg!(loom) { 1 } else { 16 };

/// The tasks a scheduler owns.
pub(crate) struct OwnedTasks<S: Schedule> {
    shards: Box<[Mutex<Shard>]>,
    /// The id of the runtime (or `LocalSet`) that owns the list.
    id: runtime::Id,
    /// The thread that bound `!Send` tasks (`bind_local`), once one did: the only thread that
    /// may cancel the list's tasks from then on.
    local_thread: OnceLock<ThreadId>,
    _scheduler: PhantomData<S>,
}

// SAFETY: the list is task pointers behind locks; a pointer is followed only under its shard's
// lock, while the list's reference keeps the task alive. What another thread can do with a
// shared or moved list: link tasks with `bind`, whose futures and outputs are `Send`; unlink a
// task and take the list's reference (`remove`), which moves a reference but runs no task code
// (a task is released once its future is gone, and the output of a task without a
// `JoinHandle` was dropped where it completed); read headers (`for_each`, `len`); and cancel
// every task (`close_and_shutdown_all`), which drops futures on the calling thread. `!Send`
// futures enter only through `bind_local`, which pins the list to its thread, and
// `close_and_shutdown_all` panics on any other thread before touching a task. The scheduler
// `S` is `Send + Sync` (a `Schedule` bound).
unsafe impl<S: Schedule> Send for OwnedTasks<S> {}
// SAFETY: as above: every operation through `&OwnedTasks` is one of those listed.
unsafe impl<S: Schedule> Sync for OwnedTasks<S> {}

impl<S: Schedule> OwnedTasks<S> {
    pub(crate) fn new() -> OwnedTasks<S> {
        let shards = (0..SHARDS)
            .map(|_| {
                Mutex::new(Shard {
                    list: LinkedList::new(),
                    closed: false,
                    len: 0,
                })
            })
            .collect();
        OwnedTasks {
            shards,
            id: runtime::Id::next(),
            local_thread: OnceLock::new(),
            _scheduler: PhantomData,
        }
    }

    /// The id of the runtime (or `LocalSet`) that owns the list.
    pub(crate) fn id(&self) -> runtime::Id {
        self.id
    }

    /// The shard that links the task with id `id`.
    #[cfg_attr(loom, allow(clippy::modulo_one))]
    fn shard(&self, id: Id) -> &Mutex<Shard> {
        &self.shards[id.as_u64() as usize % SHARDS]
    }

    /// Creates a task owned by this list. Returns its handle and, unless the list is closed
    /// (the task is then cancelled at once), the `Notified` to schedule.
    pub(crate) fn bind<F>(
        &self,
        future: F,
        scheduler: S,
        id: Id,
        meta: &SpawnMeta<'_>,
    ) -> (JoinHandle<F::Output>, Option<Notified<S>>)
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        self.link(future, scheduler, id, meta)
    }

    /// [`bind`](Self::bind) for a future that may be `!Send`. The first call pins the list to
    /// the calling thread: a later `bind_local` elsewhere panics, and so does
    /// `close_and_shutdown_all`.
    ///
    /// # Safety
    ///
    /// The scheduler polls the task only on the thread that calls this; the output is read or
    /// dropped there too unless it is `Send`.
    pub(crate) unsafe fn bind_local<F>(
        &self,
        future: F,
        scheduler: S,
        id: Id,
        meta: &SpawnMeta<'_>,
    ) -> (JoinHandle<F::Output>, Option<Notified<S>>)
    where
        F: Future + 'static,
        F::Output: 'static,
    {
        let current = thread::current().id();
        let pinned = *self.local_thread.get_or_init(|| current);
        assert!(
            pinned == current,
            "eddy: a task that is not `Send` bound to a list pinned to another thread"
        );
        self.link(future, scheduler, id, meta)
    }

    /// Creates the task and links it (or, if the list is closed, cancels it at once). Only
    /// `bind` (`Send` futures) and `bind_local` (which pins the list) call it.
    fn link<F>(
        &self,
        future: F,
        scheduler: S,
        id: Id,
        meta: &SpawnMeta<'_>,
    ) -> (JoinHandle<F::Output>, Option<Notified<S>>)
    where
        F: Future + 'static,
        F::Output: 'static,
    {
        let (task, notified, join) = new_task(future, scheduler, id, meta);
        let ptr = task.raw().header_ptr();
        let mut links = self.shard(id).lock();
        if links.closed {
            drop(links);
            drop(notified);
            task.shutdown();
            return (join, None);
        }
        // SAFETY: the new task is linked nowhere yet; the reference forgotten below keeps it
        // alive until `remove` or `pop_back` unlinks it and takes that reference back.
        unsafe { links.list.push_front(ptr) };
        links.len += 1;
        drop(links);
        // The list's reference now lives in the links.
        std::mem::forget(task);
        (join, Some(notified))
    }

    /// Unlinks `task` if this list holds it, returning the list's reference.
    pub(crate) fn remove(&self, task: &Task<S>) -> Option<Task<S>> {
        let ptr = task.raw().header_ptr();
        let mut links = self.shard(task.id()).lock();
        // SAFETY: the caller's reference keeps the task alive. Schedulers release only their
        // own tasks, and a task is linked only into the shard its id picks of the list it was
        // bound to: it is linked in this shard or nowhere.
        if !unsafe { links.list.remove(ptr) } {
            return None;
        }
        links.len -= 1;
        // SAFETY: the list held a reference for the linked task; it moves to the caller.
        Some(unsafe { Task::from_raw(RawTask::from_raw(ptr)) })
    }

    /// Closes the list to new tasks and cancels every task in it.
    ///
    /// # Panics
    ///
    /// On another thread than the one that bound `!Send` tasks, if one did: cancelling drops
    /// their futures here. Nothing is closed or cancelled then.
    pub(crate) fn close_and_shutdown_all(&self) {
        if let Some(&pinned) = self.local_thread.get() {
            assert!(
                pinned == thread::current().id(),
                "eddy: tasks that are not `Send` cancelled off the thread that spawned them"
            );
        }
        for shard in self.shards.iter() {
            shard.lock().closed = true;
        }
        for shard in self.shards.iter() {
            while let Some(task) = Self::pop_back(shard) {
                task.shutdown();
            }
        }
    }

    fn pop_back(shard: &Mutex<Shard>) -> Option<Task<S>> {
        let mut links = shard.lock();
        let ptr = links.list.pop_back()?;
        links.len -= 1;
        // SAFETY: the list's reference moves to the caller.
        Some(unsafe { Task::from_raw(RawTask::from_raw(ptr)) })
    }

    /// Calls `visit` with the header of every task in the list, holding one shard's lock at a
    /// time; `visit` must not touch the list.
    pub(crate) fn for_each(&self, mut visit: impl FnMut(&Header)) {
        for shard in self.shards.iter() {
            // A linked task is alive (the list holds a reference to it); only the header's
            // immutable fields and atomics are read.
            shard.lock().list.iter().for_each(&mut visit);
        }
    }

    /// How many tasks the list holds (a snapshot, shard by shard).
    pub(crate) fn len(&self) -> usize {
        self.shards.iter().map(|shard| shard.lock().len).sum()
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::OwnedTasks;
    use crate::runtime::task::{Id, Notified, Schedule, SpawnMeta, Task, TaskKind};
    use std::future::pending;
    use std::marker::PhantomData;
    use std::panic::{catch_unwind, AssertUnwindSafe};
    use std::sync::{Arc, Mutex};
    use std::thread::{self, ThreadId};

    /// A scheduler that is only an owned list; nothing in these tests is ever scheduled.
    struct ListOnly {
        owned: OwnedTasks<Arc<ListOnly>>,
    }

    impl Schedule for Arc<ListOnly> {
        fn release(&self, task: &Task<Self>) -> Option<Task<Self>> {
            self.owned.remove(task)
        }

        fn schedule(&self, task: Notified<Self>) -> Result<(), Notified<Self>> {
            Err(task)
        }
    }

    /// Records the thread it is dropped on; `!Send`, like the futures of a `LocalSet`.
    struct DropsOn {
        thread: Arc<Mutex<Option<ThreadId>>>,
        _not_send: PhantomData<*const ()>,
    }

    impl Drop for DropsOn {
        fn drop(&mut self) {
            *self.thread.lock().unwrap() = Some(thread::current().id());
        }
    }

    #[test]
    fn local_tasks_are_cancelled_only_on_their_thread() {
        let scheduler = Arc::new(ListOnly {
            owned: OwnedTasks::new(),
        });
        let dropped_on = Arc::new(Mutex::new(None));
        let guard = DropsOn {
            thread: dropped_on.clone(),
            _not_send: PhantomData,
        };
        let future = async move {
            let _guard = guard;
            pending::<()>().await
        };
        let meta = SpawnMeta::caller(TaskKind::Local);
        // SAFETY: nothing polls the task; the test checks that only this thread can cancel it.
        let (join, notified) = unsafe {
            scheduler
                .owned
                .bind_local(future, scheduler.clone(), Id::next(), &meta)
        };
        drop(notified);
        let elsewhere = thread::scope(|scope| {
            let owned = &scheduler.owned;
            let shutdown =
                move || catch_unwind(AssertUnwindSafe(|| owned.close_and_shutdown_all()));
            scope.spawn(shutdown).join().unwrap()
        });
        assert!(
            elsewhere.is_err(),
            "another thread may not cancel local tasks"
        );
        assert_eq!(*dropped_on.lock().unwrap(), None);
        scheduler.owned.close_and_shutdown_all();
        assert_eq!(*dropped_on.lock().unwrap(), Some(thread::current().id()));
        drop(join);
    }
}
