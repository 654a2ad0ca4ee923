//! `JoinSet`: a collection of spawned tasks, joined in the order they complete.
//!
//! Entries live in a slab (`slots` plus a free list). Each entry keeps its task's `JoinHandle`
//! and a waker of its own that, when the task completes, pushes the entry's key onto the shared
//! ready list (`ready.rs`) and wakes whoever waits in `join_next`. `join_next` pops keys and
//! polls only those handles, so it costs O(1) amortised per completed task. A new entry starts
//! on the ready list: its first poll installs its waker as the task's join waker. Keys carry
//! a generation, so a key pushed for an entry that left the set never matches the entry that
//! reused its slot; such stale keys are skipped.

mod ready;

#[cfg(all(test, loom))]
mod loom_ready;

use self::ready::{Key, ReadyList};
use super::{spawn_local, AbortHandle, Id, JoinError, JoinHandle, LocalSet};
use crate::runtime::Handle;
use std::fmt;
use std::future::{poll_fn, Future};
use std::pin::Pin;
// A std `Arc`: `Wake` needs it, and the waker only shares the ready list, which is loom-aware.
use std::sync::Arc;
use std::task::{ready, Context, Poll, Wake, Waker};

/// A set of tasks spawned on a runtime, awaited in completion order.
///
/// Every task in the set is aborted when the set is dropped. Tasks are removed from the set
/// as they are joined.
///
/// ```
/// use eddy_executor::task::JoinSet;
///
/// let rt = eddy_executor::runtime::Builder::new_current_thread().build().unwrap();
/// let total = rt.block_on(async {
///     let mut set: JoinSet<u32> = (1..=4).map(|i| async move { i * 10 }).collect();
///     let mut total = 0;
///     while let Some(result) = set.join_next().await {
///         total += result.unwrap();
///     }
///     total
/// });
/// assert_eq!(total, 100);
/// ```
pub struct JoinSet<T> {
    slots: Vec<Option<Entry<T>>>,
    free: Vec<usize>,
    len: usize,
    next_generation: u64,
    ready: Arc<ReadyList>,
}

struct Entry<T> {
    handle: JoinHandle<T>,
    /// Pushes this entry's key onto the ready list.
    waker: Waker,
    generation: u64,
}

/// The join waker of one entry.
struct EntryWaker {
    key: Key,
    ready: Arc<ReadyList>,
}

impl Wake for EntryWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.ready.push_and_wake(self.key);
    }
}

impl<T> JoinSet<T> {
    /// An empty set.
    pub fn new() -> JoinSet<T> {
        JoinSet {
            slots: Vec::new(),
            free: Vec::new(),
            len: 0,
            next_generation: 0,
            ready: Arc::new(ReadyList::new()),
        }
    }

    /// How many tasks the set holds (joined tasks are no longer counted).
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the set holds no task.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Adds a spawned task to the set.
    fn insert(&mut self, handle: JoinHandle<T>) -> AbortHandle {
        let abort = handle.abort_handle();
        let index = self.free.pop().unwrap_or_else(|| {
            self.slots.push(None);
            self.slots.len() - 1
        });
        let generation = self.next_generation;
        self.next_generation += 1;
        let key = Key { index, generation };
        let waker = Waker::from(Arc::new(EntryWaker {
            key,
            ready: self.ready.clone(),
        }));
        self.slots[index] = Some(Entry {
            handle,
            waker,
            generation,
        });
        self.len += 1;
        self.ready.push_quiet(key);
        abort
    }

    /// Removes the entry at `index`.
    fn remove(&mut self, index: usize) -> Entry<T> {
        let entry = self.slots[index]
            .take()
            .expect("eddy: JoinSet slot is empty");
        self.free.push(index);
        self.len -= 1;
        entry
    }

    /// Polls the entry `key` names, if it is still in the set; removes it if its task is done.
    fn poll_entry(&mut self, key: Key) -> Option<Result<(Id, T), JoinError>> {
        let entry = self.slots.get_mut(key.index)?.as_mut()?;
        if entry.generation != key.generation {
            return None;
        }
        let mut cx = Context::from_waker(&entry.waker);
        let handle = Pin::new(&mut entry.handle);
        // The set already spent budget for this call; the handle must not yield on its own, or
        // its budget wake would requeue the key forever.
        let polled = eddy_core::coop::with_unconstrained(|| handle.poll(&mut cx));
        let Poll::Ready(result) = polled else {
            return None;
        };
        let entry = self.remove(key.index);
        Some(result.map(|output| (entry.handle.id(), output)))
    }

    /// Polls for the next completed task, returning `Ready(None)` if the set is empty.
    pub fn poll_join_next(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<T, JoinError>>> {
        self.poll_join_next_with_id(cx)
            .map(|next| next.map(|result| result.map(|(_, output)| output)))
    }

    /// [`poll_join_next`](JoinSet::poll_join_next), with the id of the completed task.
    pub fn poll_join_next_with_id(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<(Id, T), JoinError>>> {
        if self.is_empty() {
            return Poll::Ready(None);
        }
        let restore = ready!(eddy_core::coop::poll_proceed(cx));
        while let Some(key) = self.ready.pop_or_register(cx.waker()) {
            if let Some(result) = self.poll_entry(key) {
                restore.made_progress();
                return Poll::Ready(Some(result));
            }
        }
        Poll::Pending
    }

    /// Waits for one of the tasks to complete and returns its output; `None` if the set is
    /// empty.
    ///
    /// Cancel safe: if the returned future is dropped before it completes, no task output is
    /// lost.
    pub async fn join_next(&mut self) -> Option<Result<T, JoinError>> {
        poll_fn(|cx| self.poll_join_next(cx)).await
    }

    /// [`join_next`](JoinSet::join_next), with the id of the completed task.
    pub async fn join_next_with_id(&mut self) -> Option<Result<(Id, T), JoinError>> {
        poll_fn(|cx| self.poll_join_next_with_id(cx)).await
    }

    /// The output of a task that already completed, if there is one; never waits.
    pub fn try_join_next(&mut self) -> Option<Result<T, JoinError>> {
        self.try_join_next_with_id()
            .map(|result| result.map(|(_, output)| output))
    }

    /// [`try_join_next`](JoinSet::try_join_next), with the id of the completed task.
    pub fn try_join_next_with_id(&mut self) -> Option<Result<(Id, T), JoinError>> {
        while let Some(key) = self.ready.pop() {
            if let Some(result) = self.poll_entry(key) {
                return Some(result);
            }
        }
        None
    }

    /// Aborts every task in the set. They stay in the set until joined (their output is then
    /// a cancelled `JoinError`, unless they completed first).
    pub fn abort_all(&mut self) {
        for entry in self.slots.iter().flatten() {
            entry.handle.abort();
        }
    }

    /// Aborts every task and waits until all of them have stopped, dropping their outputs.
    pub async fn shutdown(&mut self) {
        self.abort_all();
        while self.join_next().await.is_some() {}
    }

    /// Removes every task from the set without aborting it: they keep running detached.
    pub fn detach_all(&mut self) {
        self.slots.clear();
        self.free.clear();
        self.len = 0;
        self.ready.clear();
    }

    /// Waits for every task and returns their outputs in completion order.
    ///
    /// # Panics
    ///
    /// If a task panicked, the panic is resumed here; if a task was cancelled, this panics with
    /// the error. The tasks left in the set are aborted when it is dropped during the unwind.
    pub async fn join_all(mut self) -> Vec<T> {
        let mut outputs = Vec::with_capacity(self.len);
        while let Some(result) = self.join_next().await {
            match result {
                Ok(output) => outputs.push(output),
                Err(error) if error.is_panic() => std::panic::resume_unwind(error.into_panic()),
                Err(error) => panic!("{error}"),
            }
        }
        outputs
    }
}

impl<T: 'static> JoinSet<T> {
    /// Spawns `task` on the current runtime and adds it to the set.
    ///
    /// # Panics
    ///
    /// Panics outside a runtime.
    #[track_caller]
    pub fn spawn<F>(&mut self, task: F) -> AbortHandle
    where
        F: Future<Output = T> + Send + 'static,
        T: Send,
    {
        self.insert(crate::spawn(task))
    }

    /// Spawns `task` on the runtime of `handle` and adds it to the set.
    #[track_caller]
    pub fn spawn_on<F>(&mut self, task: F, handle: &Handle) -> AbortHandle
    where
        F: Future<Output = T> + Send + 'static,
        T: Send,
    {
        self.insert(handle.spawn(task))
    }

    /// Spawns a `!Send` `task` on the current [`LocalSet`] and adds it to the set.
    ///
    /// # Panics
    ///
    /// Panics outside a `LocalSet`.
    #[track_caller]
    pub fn spawn_local<F>(&mut self, task: F) -> AbortHandle
    where
        F: Future<Output = T> + 'static,
    {
        self.insert(spawn_local(task))
    }

    /// Spawns a `!Send` `task` on `local_set` and adds it to the set.
    #[track_caller]
    pub fn spawn_local_on<F>(&mut self, task: F, local_set: &LocalSet) -> AbortHandle
    where
        F: Future<Output = T> + 'static,
    {
        self.insert(local_set.spawn_local(task))
    }

    /// Runs `func` on the current runtime's blocking pool and adds it to the set.
    ///
    /// # Panics
    ///
    /// Panics outside a runtime.
    #[track_caller]
    pub fn spawn_blocking<F>(&mut self, func: F) -> AbortHandle
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send,
    {
        self.insert(super::spawn_blocking(func))
    }

    /// Runs `func` on the blocking pool of `handle`'s runtime and adds it to the set.
    #[track_caller]
    pub fn spawn_blocking_on<F>(&mut self, func: F, handle: &Handle) -> AbortHandle
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send,
    {
        self.insert(handle.spawn_blocking(func))
    }
}

impl<T> Drop for JoinSet<T> {
    fn drop(&mut self) {
        self.abort_all();
    }
}

impl<T> Default for JoinSet<T> {
    fn default() -> JoinSet<T> {
        JoinSet::new()
    }
}

impl<T> fmt::Debug for JoinSet<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JoinSet").field("len", &self.len).finish()
    }
}

/// Spawns each future on the current runtime (panics outside one).
impl<T, F> FromIterator<F> for JoinSet<T>
where
    F: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    fn from_iter<I: IntoIterator<Item = F>>(iter: I) -> JoinSet<T> {
        let mut set = JoinSet::new();
        set.extend(iter);
        set
    }
}

/// Spawns each future on the current runtime (panics outside one).
impl<T, F> Extend<F> for JoinSet<T>
where
    F: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    fn extend<I: IntoIterator<Item = F>>(&mut self, iter: I) {
        for future in iter {
            self.spawn(future);
        }
    }
}
