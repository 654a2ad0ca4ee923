//! The list of tasks a runtime owns, so that shutdown can cancel every one of them.
//!
//! An intrusive doubly linked list through the `owned` links in each task's header: binding a
//! task costs no allocation. The list holds one reference per task. It is split into shards,
//! each with its own lock, chosen by task id, so that workers spawning and completing tasks at
//! once rarely contend on the same lock. Invariants, all under a shard's lock: a linked task has
//! `prev` set unless it is its shard's head; an unlinked task has both links cleared; once a
//! shard is `closed`, no task is linked into it again, so shutdown (which closes every shard
//! before draining them) empties the list for good.

use super::core::Header;
use super::raw::RawTask;
use super::{new_task, JoinHandle, Notified, Schedule, SpawnMeta, Task};
use crate::loom::sync::Mutex;
use crate::runtime;
use crate::task::Id;
use std::future::Future;
use std::marker::PhantomData;
use std::ptr::NonNull;

/// The links of one task in an owned list.
#[derive(Default)]
pub(crate) struct Pointers {
    prev: Option<NonNull<Header>>,
    next: Option<NonNull<Header>>,
}

struct Links {
    head: Option<NonNull<Header>>,
    tail: Option<NonNull<Header>>,
    closed: bool,
    len: usize,
}

/// Shards per list. One under loom: the shard follows the task id, which comes from a
/// process-wide counter, and loom needs every run of a model to take the same locks.
const SHARDS: usize = if cfg!(loom) { 1 } else { 16 };

/// The tasks a scheduler owns.
pub(crate) struct OwnedTasks<S: Schedule> {
    shards: Box<[Mutex<Links>]>,
    /// The id of the runtime (or `LocalSet`) that owns the list.
    id: runtime::Id,
    _scheduler: PhantomData<S>,
}

// SAFETY: the raw pointers are only followed under the mutex, and tasks are `Send`.
unsafe impl<S: Schedule> Send for OwnedTasks<S> {}
// SAFETY: as above; all shared access goes through the mutex.
unsafe impl<S: Schedule> Sync for OwnedTasks<S> {}

/// Reads or writes the links of the task at `ptr`.
///
/// # Safety
///
/// The caller holds the list's lock and a reference keeps the task alive.
unsafe fn with_pointers<R>(ptr: NonNull<Header>, f: impl FnOnce(&mut Pointers) -> R) -> R {
    // SAFETY: the task is alive (per the caller) and its links are guarded by the lock the
    // caller holds.
    unsafe { ptr.as_ref() }
        .owned
        .with_mut(|pointers| f(unsafe { &mut *pointers }))
}

impl<S: Schedule> OwnedTasks<S> {
    pub(crate) fn new() -> OwnedTasks<S> {
        let shards = (0..SHARDS)
            .map(|_| {
                Mutex::new(Links {
                    head: None,
                    tail: None,
                    closed: false,
                    len: 0,
                })
            })
            .collect();
        OwnedTasks {
            shards,
            id: runtime::Id::next(),
            _scheduler: PhantomData,
        }
    }

    /// The id of the runtime (or `LocalSet`) that owns the list.
    pub(crate) fn id(&self) -> runtime::Id {
        self.id
    }

    /// The shard that links the task with id `id`.
    #[cfg_attr(loom, allow(clippy::modulo_one))]
    fn shard(&self, id: Id) -> &Mutex<Links> {
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
        // SAFETY: the future and its output are `Send`, so any thread may poll and drop them.
        unsafe { self.bind_local(future, scheduler, id, meta) }
    }

    /// [`bind`](Self::bind) for a future that may be `!Send`.
    ///
    /// # Safety
    ///
    /// The scheduler polls the task, and the list cancels it, only on one thread, the one that
    /// calls this; the output is read or dropped there too unless it is `Send`.
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
        let (task, notified, join) = new_task(future, scheduler, id, meta);
        let ptr = task.raw().header_ptr();
        let mut links = self.shard(id).lock();
        if links.closed {
            drop(links);
            drop(notified);
            task.shutdown();
            return (join, None);
        }
        // SAFETY: the lock is held and the new task is alive.
        unsafe { with_pointers(ptr, |p| p.next = links.head) };
        if let Some(head) = links.head {
            // SAFETY: as above; the old head is alive while linked.
            unsafe { with_pointers(head, |p| p.prev = Some(ptr)) };
        }
        links.head = Some(ptr);
        if links.tail.is_none() {
            links.tail = Some(ptr);
        }
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
        // SAFETY: the lock is held and the caller's reference keeps the task alive.
        let (prev, next) = unsafe { with_pointers(ptr, |p| (p.prev, p.next)) };
        if prev.is_none() && links.head != Some(ptr) {
            return None;
        }
        match prev {
            // SAFETY: linked neighbours are alive and guarded by the lock.
            Some(prev) => unsafe { with_pointers(prev, |p| p.next = next) },
            None => links.head = next,
        }
        match next {
            // SAFETY: as above.
            Some(next) => unsafe { with_pointers(next, |p| p.prev = prev) },
            None => links.tail = prev,
        }
        // SAFETY: as above.
        unsafe { with_pointers(ptr, |p| *p = Pointers::default()) };
        links.len -= 1;
        // SAFETY: the list held a reference for the linked task; it moves to the caller.
        Some(unsafe { Task::from_raw(RawTask::from_raw(ptr)) })
    }

    /// Closes the list to new tasks and cancels every task in it.
    pub(crate) fn close_and_shutdown_all(&self) {
        for shard in self.shards.iter() {
            shard.lock().closed = true;
        }
        for shard in self.shards.iter() {
            while let Some(task) = Self::pop_back(shard) {
                task.shutdown();
            }
        }
    }

    fn pop_back(shard: &Mutex<Links>) -> Option<Task<S>> {
        let mut links = shard.lock();
        let ptr = links.tail?;
        // SAFETY: the lock is held; the tail is alive while linked.
        let prev = unsafe { with_pointers(ptr, |p| std::mem::take(p).prev) };
        match prev {
            // SAFETY: as above.
            Some(prev) => unsafe { with_pointers(prev, |p| p.next = None) },
            None => links.head = None,
        }
        links.tail = prev;
        links.len -= 1;
        // SAFETY: the list's reference moves to the caller.
        Some(unsafe { Task::from_raw(RawTask::from_raw(ptr)) })
    }

    /// Calls `visit` with the header of every task in the list, holding one shard's lock at a
    /// time; `visit` must not touch the list.
    pub(crate) fn for_each(&self, mut visit: impl FnMut(&Header)) {
        for shard in self.shards.iter() {
            let links = shard.lock();
            let mut next = links.head;
            while let Some(ptr) = next {
                // SAFETY: the shard's lock is held and a linked task is alive: the list holds a
                // reference to it. Only the header's immutable fields and atomics are read.
                visit(unsafe { ptr.as_ref() });
                // SAFETY: as above.
                next = unsafe { with_pointers(ptr, |p| p.next) };
            }
        }
    }

    /// How many tasks the list holds (a snapshot, shard by shard).
    pub(crate) fn len(&self) -> usize {
        self.shards.iter().map(|shard| shard.lock().len).sum()
    }
}
