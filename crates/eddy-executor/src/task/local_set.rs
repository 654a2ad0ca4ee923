//! `LocalSet`: a set of `!Send` tasks, all polled on the thread that owns the set.
//!
//! The set is a small scheduler of its own. Its tasks live in the ordinary task cells, owned by
//! the set's `OwnedTasks` list, and are polled only inside `LocalSet::tick`, which runs when the
//! set (or its `run_until` future) is polled. Whoever polls the set — a `block_on`, or a task of
//! either runtime flavor — drives it, on its own thread.
//!
//! Invariants that make `!Send` futures sound here:
//!
//! * `LocalSet` holds an `Rc`, so it is neither `Send` nor `Sync`: it is created, polled and
//!   dropped on one thread, the owner. `spawn_local` finds the set through a thread-local that
//!   only the owner's enter guards fill.
//! * Only the owner pops `Notified` tasks and runs them (`tick`), and only the owner cancels
//!   them (`Drop`, through `close_and_shutdown_all`), so every poll and every drop of a future
//!   happens on the owner.
//! * Other threads may hold wakers and abort handles. Waking an idle task from elsewhere only
//!   flips its state word and pushes its `Notified` into the mutex-guarded remote queue, then
//!   wakes the waker of whoever drives the set. A queue closed by `Drop` refuses the task; its
//!   future was already dropped by then, so the refused reference holds nothing `!Send`.
//! * A `!Send` output stays with a `!Send` `JoinHandle` on the owner; a task whose handle is
//!   gone drops its output on completion, on the owner.
//! * No user waker is cloned, woken or dropped while `remote` or `waker` is locked.

#[cfg(all(test, loom))]
mod loom_queues;

use crate::loom::sync::{Arc, Mutex};
use crate::runtime::task::list::OwnedTasks;
use crate::runtime::task::{Id, JoinHandle, Notified, Schedule, SpawnMeta, Task, TaskKind};
use crate::runtime::{self, context, scheduler, Runtime};
use pin_project_lite::pin_project;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::ptr;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

/// Tasks run per tick before the set yields back to whoever drives it.
const TASKS_PER_TICK: u32 = 61;
/// Every this many tasks, the remote queue goes first, so remote wakes are not starved.
const REMOTE_INTERVAL: u32 = 31;

type LocalNotified = Notified<Arc<Shared>>;

/// A set of tasks that run on the current thread, for futures that are not `Send`.
///
/// Tasks spawned with [`LocalSet::spawn_local`], or with [`spawn_local`] while the set is
/// entered, run while the set is driven: by [`LocalSet::run_until`], [`LocalSet::block_on`] or
/// by awaiting the set itself, which completes once all its tasks have. Dropping the set
/// cancels the tasks that are left, on this thread.
///
/// ```
/// use eddy_executor::task::{self, LocalSet};
/// use std::rc::Rc;
///
/// let rt = eddy_executor::runtime::Builder::new_current_thread().build().unwrap();
/// let local = LocalSet::new();
/// let shared = Rc::new(5);
/// let total = local.block_on(&rt, async move {
///     let inner = shared.clone();
///     task::spawn_local(async move { *inner * 2 }).await.unwrap()
/// });
/// assert_eq!(total, 10);
/// ```
pub struct LocalSet {
    context: Rc<SetContext>,
}

/// The owner-side state of a set; only the owner thread ever holds an `Rc` to it.
struct SetContext {
    shared: Arc<Shared>,
    /// Tasks woken on the owner while the set is entered: no lock needed.
    local: RefCell<VecDeque<LocalNotified>>,
    /// True while `tick` runs, when new local work needs no wake-up.
    ticking: Cell<bool>,
    /// Counts polled tasks, for [`REMOTE_INTERVAL`].
    polled: Cell<u32>,
}

/// The part of a set that tasks and wakers on any thread reach.
struct Shared {
    owned: OwnedTasks<Arc<Shared>>,
    remote: Mutex<Remote>,
    /// The waker of whoever drives the set.
    waker: Mutex<Option<Waker>>,
}

struct Remote {
    queue: VecDeque<LocalNotified>,
    closed: bool,
}

crate::loom::thread_local! {
    /// The set entered on this thread, for `spawn_local` and for lock-free local wakes.
    static CURRENT: RefCell<Option<Rc<SetContext>>> = const { RefCell::new(None) };
}

/// Leaves the set entered by [`LocalSet::enter`] when dropped, restoring the previous one.
#[must_use = "the set is left when the guard is dropped"]
pub struct LocalEnterGuard {
    previous: Option<Rc<SetContext>>,
}

/// Spawns a `!Send` future on the current [`LocalRuntime`](crate::runtime::LocalRuntime) or on
/// the [`LocalSet`] entered on this thread.
///
/// A local runtime whose context this thread is in takes the task (as Tokio's does, even when a
/// set is entered too); otherwise the entered set does.
///
/// # Panics
///
/// Panics outside a `LocalRuntime` and outside a `LocalSet` (not inside `run_until`,
/// `block_on`, a poll of the set or an [`enter`](LocalSet::enter) guard), and in the context of
/// a `LocalRuntime` on a thread other than the one that built it.
#[track_caller]
pub fn spawn_local<F>(future: F) -> JoinHandle<F::Output>
where
    F: Future + 'static,
    F::Output: 'static,
{
    spawn_local_with(future, SpawnMeta::caller(TaskKind::Local))
}

/// [`spawn_local`] with the spawn site and name already captured.
#[track_caller]
pub(crate) fn spawn_local_with<F>(future: F, meta: SpawnMeta<'_>) -> JoinHandle<F::Output>
where
    F: Future + 'static,
    F::Output: 'static,
{
    let runtime = scheduler::with_current(Clone::clone).ok();
    let future = match runtime {
        Some(runtime) if runtime.is_local() => match runtime.spawn_local(future, meta) {
            Ok(join) => return join,
            Err(_) => panic!(
                "Local tasks can only be spawned on a LocalRuntime from the thread the runtime \
                 was created on"
            ),
        },
        _ => future,
    };
    match current() {
        Some(context) => context.spawn(future, meta),
        None => panic!(
            "`spawn_local` called from outside of a `task::LocalSet` or `runtime::LocalRuntime`"
        ),
    }
}

/// The set entered on this thread.
fn current() -> Option<Rc<SetContext>> {
    CURRENT
        .try_with(|current| current.borrow().clone())
        .ok()
        .flatten()
}

impl LocalSet {
    /// An empty set.
    pub fn new() -> LocalSet {
        let shared = Arc::new(Shared {
            owned: OwnedTasks::new(),
            remote: Mutex::new(Remote {
                queue: VecDeque::new(),
                closed: false,
            }),
            waker: Mutex::new(None),
        });
        LocalSet {
            context: Rc::new(SetContext {
                shared,
                local: RefCell::new(VecDeque::new()),
                ticking: Cell::new(false),
                polled: Cell::new(0),
            }),
        }
    }

    /// Makes this set the target of [`spawn_local`] until the guard is dropped. Tasks spawned
    /// then run when the set is next driven.
    pub fn enter(&self) -> LocalEnterGuard {
        let previous = CURRENT.with(|current| current.replace(Some(self.context.clone())));
        LocalEnterGuard { previous }
    }

    /// Spawns a `!Send` future on this set. It runs when the set is driven.
    #[track_caller]
    pub fn spawn_local<F>(&self, future: F) -> JoinHandle<F::Output>
    where
        F: Future + 'static,
        F::Output: 'static,
    {
        self.spawn_local_with(future, SpawnMeta::caller(TaskKind::Local))
    }

    /// [`spawn_local`](Self::spawn_local) with the spawn site and name already captured.
    pub(crate) fn spawn_local_with<F>(
        &self,
        future: F,
        meta: SpawnMeta<'_>,
    ) -> JoinHandle<F::Output>
    where
        F: Future + 'static,
        F::Output: 'static,
    {
        self.context.spawn(future, meta)
    }

    /// The set's id, distinct from every runtime's and every other set's.
    pub fn id(&self) -> runtime::Id {
        self.context.shared.owned.id()
    }

    /// Runs `future` on `rt` (`Runtime::block_on`) while driving this set's tasks on the calling
    /// thread.
    ///
    /// # Panics
    ///
    /// Panics where `Runtime::block_on` does (inside a runtime).
    #[track_caller]
    pub fn block_on<F: Future>(&self, rt: &Runtime, future: F) -> F::Output {
        rt.block_on(self.run_until(future))
    }

    /// Runs `future` to completion while driving this set's tasks. Tasks still running when
    /// `future` completes stay in the set.
    pub async fn run_until<F: Future>(&self, future: F) -> F::Output {
        RunUntil { set: self, future }.await
    }

    /// Runs `f` with the set entered.
    fn with_entered<R>(&self, f: impl FnOnce() -> R) -> R {
        let _guard = self.enter();
        f()
    }

    /// Stores the waker of whoever drives the set. The user's waker is cloned, and the one it
    /// replaces dropped, outside the lock: either may run arbitrary code, even wake this set.
    fn register(&self, waker: &Waker) {
        let slot = &self.context.shared.waker;
        if slot
            .lock()
            .as_ref()
            .is_some_and(|stored| stored.will_wake(waker))
        {
            return;
        }
        let waker = waker.clone();
        let replaced = slot.lock().replace(waker);
        drop(replaced);
    }

    /// Runs up to [`TASKS_PER_TICK`] tasks; true if more are ready.
    fn tick(&self) -> bool {
        let context = &self.context;
        context.ticking.set(true);
        let _stop = StopTicking(context);
        for _ in 0..TASKS_PER_TICK {
            match context.next_task() {
                Some(task) => task.run(),
                None => return false,
            }
        }
        context.has_ready()
    }
}

/// Clears `ticking` when `tick` returns (or a drop in it panics).
struct StopTicking<'a>(&'a SetContext);

impl Drop for StopTicking<'_> {
    fn drop(&mut self) {
        self.0.ticking.set(false);
    }
}

impl SetContext {
    fn spawn<F>(&self, future: F, meta: SpawnMeta<'_>) -> JoinHandle<F::Output>
    where
        F: Future + 'static,
        F::Output: 'static,
    {
        let shared = &self.shared;
        // SAFETY: `self` is reached only through an `Rc` on the owner thread, and the set polls
        // and cancels its tasks only on that thread (see the module docs).
        let (join, notified) = unsafe {
            shared
                .owned
                .bind_local(future, shared.clone(), Id::next(), &meta)
        };
        if let Some(notified) = notified {
            if let Err(refused) = shared.schedule(notified) {
                drop(refused);
            }
        }
        join
    }

    fn next_task(&self) -> Option<LocalNotified> {
        let polled = self.polled.get().wrapping_add(1);
        self.polled.set(polled);
        if polled % REMOTE_INTERVAL == 0 {
            self.pop_remote().or_else(|| self.pop_local())
        } else {
            self.pop_local().or_else(|| self.pop_remote())
        }
    }

    fn pop_local(&self) -> Option<LocalNotified> {
        self.local.borrow_mut().pop_front()
    }

    fn pop_remote(&self) -> Option<LocalNotified> {
        self.shared.remote.lock().queue.pop_front()
    }

    fn has_ready(&self) -> bool {
        !self.local.borrow().is_empty() || !self.shared.remote.lock().queue.is_empty()
    }
}

impl Shared {
    /// Queues `task` from another thread (or from the owner outside the set).
    fn push_remote(&self, task: LocalNotified) -> Result<(), LocalNotified> {
        let mut remote = self.remote.lock();
        if remote.closed {
            return Err(task);
        }
        remote.queue.push_back(task);
        drop(remote);
        self.wake_driver();
        Ok(())
    }

    fn wake_driver(&self) {
        let waker = self.waker.lock().take();
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

impl Schedule for Arc<Shared> {
    fn release(&self, task: &Task<Self>) -> Option<Task<Self>> {
        self.owned.remove(task)
    }

    fn schedule(&self, task: LocalNotified) -> Result<(), LocalNotified> {
        let mut task = Some(task);
        let mut wake = false;
        let _ = CURRENT.try_with(|current| {
            if let Some(context) = &*current.borrow() {
                if ptr::eq::<Shared>(&*context.shared, &**self) {
                    context.local.borrow_mut().extend(task.take());
                    wake = !context.ticking.get();
                }
            }
        });
        if wake {
            self.wake_driver();
        }
        match task {
            Some(task) => self.push_remote(task),
            None => Ok(()),
        }
    }
}

pin_project! {
    /// The future of `LocalSet::run_until`.
    struct RunUntil<'a, F> {
        set: &'a LocalSet,
        #[pin]
        future: F,
    }
}

impl<F: Future> Future for RunUntil<'_, F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = self.project();
        let set = *this.set;
        let _no_block_in_place = context::disallow_block_in_place();
        set.with_entered(|| {
            set.register(cx.waker());
            if let Poll::Ready(output) = this.future.poll(cx) {
                return Poll::Ready(output);
            }
            if set.tick() {
                cx.waker().wake_by_ref();
            }
            Poll::Pending
        })
    }
}

/// Awaiting a set drives it until every task in it has completed.
impl Future for LocalSet {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let set = &*self;
        let _no_block_in_place = context::disallow_block_in_place();
        set.with_entered(|| {
            set.register(cx.waker());
            if set.tick() {
                cx.waker().wake_by_ref();
                Poll::Pending
            } else if set.context.shared.owned.len() == 0 {
                Poll::Ready(())
            } else {
                Poll::Pending
            }
        })
    }
}

impl Default for LocalSet {
    fn default() -> LocalSet {
        LocalSet::new()
    }
}

/// Cancels the tasks left, on the owner thread, with the set entered so their destructors
/// can still call `spawn_local` (such late tasks are cancelled at once).
impl Drop for LocalSet {
    fn drop(&mut self) {
        // Not entered when the set is dropped with the thread's locals (a set kept in a
        // thread-local): the tasks are cancelled all the same.
        let _entered = CURRENT
            .try_with(|current| current.replace(Some(self.context.clone())))
            .ok()
            .map(|previous| LocalEnterGuard { previous });
        let _no_block_in_place = context::disallow_block_in_place();
        let context = &self.context;
        let shared = &context.shared;
        shared.remote.lock().closed = true;
        shared.owned.close_and_shutdown_all();
        // Dropped outside the borrows: dropping a reference may free a task.
        let local = std::mem::take(&mut *context.local.borrow_mut());
        drop(local);
        let remote = std::mem::take(&mut shared.remote.lock().queue);
        drop(remote);
    }
}

impl Drop for LocalEnterGuard {
    fn drop(&mut self) {
        let previous = self.previous.take();
        let _ = CURRENT.try_with(|current| drop(current.replace(previous)));
    }
}

impl fmt::Debug for LocalSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LocalSet").finish_non_exhaustive()
    }
}

impl fmt::Debug for LocalEnterGuard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LocalEnterGuard").finish_non_exhaustive()
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::LocalSet;
    use eddy_test_support::waker::{hooked, OutsideLock};
    use std::sync::Arc;

    /// Counts the clones and drops of a waker made while the set's waker slot was unlocked.
    fn sees_slot_free(set: &LocalSet) -> Arc<OutsideLock> {
        let shared = Arc::downgrade(&set.context.shared);
        OutsideLock::new(move || {
            shared
                .upgrade()
                .is_some_and(|shared| shared.waker.try_lock().is_some())
        })
    }

    #[test]
    fn the_drivers_waker_is_cloned_and_dropped_outside_the_lock() {
        let set = LocalSet::new();
        let (first, second) = (sees_slot_free(&set), sees_slot_free(&set));
        set.register(&hooked(first.clone()));
        // Another waker replaces the stored clone of the first, which is dropped.
        set.register(&hooked(second.clone()));
        assert_eq!((first.clones(), first.drops()), (1, 2));
        assert_eq!(second.clones(), 1);
    }
}
