//! The typed side of the vtable: polling, completing, cancelling and joining a `Cell<F, S>`.
//!
//! Each function gets the header pointer back from a `RawTask` and casts it to the cell type the
//! vtable was built for. Panics from the future (in `poll` or in its destructor) are caught
//! here and become a `JoinError`, so a task never unwinds into the scheduler.
//!
//! Some steps give away the caller's last claim on the cell: a transition that drops the
//! poller's reference (`transition_to_idle`, `transition_to_terminal`), or handing a `Notified`
//! to the scheduler. From then on another thread may free the cell at any moment. A `&Cell`
//! (or `&S` into the cell) that is a function argument stays protected by the aliasing model
//! until that function returns, so freeing the cell under it is undefined behaviour even if
//! the reference is not used again. Hence the rule here: a function that takes `&Cell` returns
//! before any such step; the steps themselves run in functions that take the header pointer
//! and use only a local `&Cell` (or the `&State` of atomics) up to that point; and the
//! scheduler is called through a copy of its handle on the stack ([`scheduler_copy`]).

use super::core::{Cell, Header, Vtable};
use super::error::JoinError;
use super::id::set_current_task_id;
use super::raw::RawTask;
use super::state::{TransitionToIdle, TransitionToRunning};
use super::waker::waker_ref;
use super::{Notified, Schedule, Task};
use std::future::Future;
use std::mem::ManuallyDrop;
use std::panic::{self, AssertUnwindSafe};
use std::ptr::{self, NonNull};
use std::task::{Context, Poll, Waker};

/// The vtable of `Cell<F, S>`: the functions below, for those types.
pub(super) fn vtable<F: Future, S: Schedule>() -> &'static Vtable {
    &Vtable {
        poll: poll::<F, S>,
        schedule: schedule::<F, S>,
        dealloc: dealloc::<F, S>,
        try_read_output: try_read_output::<F, S>,
        drop_join_handle_slow: drop_join_handle_slow::<F, S>,
        shutdown: shutdown::<F, S>,
    }
}

/// The cell behind `ptr`.
///
/// # Safety
///
/// `ptr` points to a live `Cell<F, S>` and the caller holds a reference to it.
unsafe fn cell<'a, F: Future, S: Schedule>(ptr: NonNull<Header>) -> &'a Cell<F, S> {
    // SAFETY: the header is the first field of the `repr(C)` cell, so the pointer to it is a
    // pointer to the cell, with the provenance of the whole allocation; it is live per the
    // caller.
    unsafe { ptr.cast::<Cell<F, S>>().as_ref() }
}

/// A bitwise copy of the task's scheduler handle, on the caller's stack, for the calls that
/// publish the task (`schedule`, `yield_now`): the `&S` they receive must not point into a
/// cell that another thread may free before they return. The copy is never dropped, so it
/// takes no count of its own: the handle it names stays alive by the scheduler's own means
/// (a runtime outlives the tasks it runs, or the scheduler holds a clone across the call).
fn scheduler_copy<F: Future, S>(cell: &Cell<F, S>) -> ManuallyDrop<S> {
    // SAFETY: the field is initialized and never written after creation, so reading it is a
    // plain copy of its bytes; wrapping the copy in `ManuallyDrop` keeps it from being dropped
    // a second time, so the cell's own handle is still the one dropped with the cell.
    ManuallyDrop::new(unsafe { ptr::read(&cell.scheduler) })
}

/// Work left once no `&Cell` function argument is live any more: freeing the cell (or dropping
/// the reference that may free it) while a reference argument points into it would break the
/// aliasing rules, so the functions that take `&Cell` return this instead of doing it.
#[must_use]
enum Finish<S: 'static> {
    Nothing,
    Dealloc,
    /// A `Notified` the scheduler refused (it shut down); dropping it releases a reference.
    Release(Notified<S>),
}

impl<S: Schedule> Finish<S> {
    /// Does the deferred work.
    ///
    /// # Safety
    ///
    /// `ptr` points to a `Cell<F, S>`; for `Dealloc`, its last reference is gone.
    unsafe fn run<F: Future>(self, ptr: NonNull<Header>) {
        match self {
            Finish::Nothing => {}
            // SAFETY: per the caller, nobody else can reach the cell.
            Finish::Dealloc => unsafe { dealloc::<F, S>(ptr) },
            Finish::Release(notified) => drop(notified),
        }
    }
}

unsafe fn poll<F: Future, S: Schedule>(ptr: NonNull<Header>) {
    // SAFETY: the caller holds a `Notified` reference to this cell.
    let cell = unsafe { cell::<F, S>(ptr) };
    let finish = match cell.header.state.transition_to_running() {
        TransitionToRunning::Success => {
            let _id = set_current_task_id(Some(cell.header.id));
            match poll_once(cell, ptr) {
                // SAFETY: the poller's reference is still held.
                Poll::Pending => unsafe { park::<F, S>(ptr) },
                Poll::Ready(output) => {
                    // SAFETY: still `RUNNING`, and `poll_future` left the stage `Consumed`.
                    unsafe { cell.store_output(output) };
                    // SAFETY: as above.
                    unsafe { complete::<F, S>(ptr) }
                }
            }
        }
        TransitionToRunning::Cancelled => {
            cancel(cell);
            // SAFETY: the poller's reference is still held.
            unsafe { complete::<F, S>(ptr) }
        }
        TransitionToRunning::Failed => Finish::Nothing,
        TransitionToRunning::Dealloc => Finish::Dealloc,
    };
    // SAFETY: `finish` says what is left; `cell` is not used any more.
    unsafe { finish.run::<F>(ptr) }
}

/// Polls the future once with `RUNNING` held.
fn poll_once<F: Future, S: Schedule>(
    cell: &Cell<F, S>,
    ptr: NonNull<Header>,
) -> Poll<Result<F::Output, JoinError>> {
    let waker = waker_ref(ptr);
    let mut cx = Context::from_waker(&waker);
    let started = cell.header.poll_stats.record_poll();
    cell.header
        .span
        .in_scope(|| eddy_core::coop::budget(|| poll_future(cell, &mut cx, started)))
}

/// After a `Pending` poll: parks the task idle, or queues it again if it was woken meanwhile,
/// or completes it if it was aborted.
///
/// # Safety
///
/// `ptr` is a `Cell<F, S>` whose poller's reference the caller holds (with `RUNNING`); it is
/// given up here.
unsafe fn park<F: Future, S: Schedule>(ptr: NonNull<Header>) -> Finish<S> {
    // SAFETY: the poller's reference keeps the cell alive until the transition below; `cell`
    // is a local, not used after a step that gives the reference away.
    let cell = unsafe { cell::<F, S>(ptr) };
    match cell.header.state.transition_to_idle() {
        TransitionToIdle::Ok => Finish::Nothing,
        TransitionToIdle::OkNotified => {
            let scheduler = scheduler_copy(cell);
            // SAFETY: the poller's reference now stands for the `NOTIFIED` bit.
            let notified = unsafe { Notified::<S>::from_raw(RawTask::from_raw(ptr)) };
            match scheduler.yield_now(notified) {
                Ok(()) => Finish::Nothing,
                Err(rejected) => Finish::Release(rejected),
            }
        }
        TransitionToIdle::OkDealloc => Finish::Dealloc,
        TransitionToIdle::Cancelled => {
            cancel(cell);
            // SAFETY: cancelled while still `RUNNING`: the reference is still held.
            unsafe { complete::<F, S>(ptr) }
        }
    }
}

/// Polls the future, whose poll started at `started` on the poll clock, catching a panic; on
/// `Ready` (or panic) the future is dropped and the stage left `Consumed`.
fn poll_future<F: Future, S: Schedule>(
    cell: &Cell<F, S>,
    cx: &mut Context<'_>,
    started: u64,
) -> Poll<Result<F::Output, JoinError>> {
    let polled = panic::catch_unwind(AssertUnwindSafe(|| {
        // A future that panics is dropped while the panic unwinds, as Tokio does: its
        // destructor sees `thread::panicking()`.
        let unwinding = DropOnUnwind(cell);
        // SAFETY: the caller holds `RUNNING`, and the stage is `Running` (a task is polled
        // only until it completes).
        let mut poll = || unsafe { cell.poll_future(cx) };
        let polled = match cell.scheduler.hooks() {
            None => poll(),
            Some(hooks) => hooks.around_poll(&cell.header.meta(), started, poll),
        };
        std::mem::forget(unwinding);
        polled
    }));
    let output = match polled {
        Ok(Poll::Pending) => return Poll::Pending,
        Ok(Poll::Ready(output)) => output,
        // The stage was dropped while unwinding.
        Err(payload) => return Poll::Ready(Err(JoinError::panic(cell.header.id, payload))),
    };
    match drop_stage(cell) {
        Ok(()) => Poll::Ready(Ok(output)),
        Err(payload) => Poll::Ready(Err(JoinError::panic(cell.header.id, payload))),
    }
}

/// Drops a task's future if its poll unwinds; forgotten when the poll returns.
struct DropOnUnwind<'a, F: Future, S>(&'a Cell<F, S>);

impl<F: Future, S> Drop for DropOnUnwind<'_, F, S> {
    fn drop(&mut self) {
        // SAFETY: only reached while the poll unwinds, so the poller still holds `RUNNING` and
        // owns the stage; `drop_stage` leaves it `Consumed` even if the destructor panics.
        unsafe { self.0.drop_stage() }
    }
}

/// Drops the future or output, catching a panic from its destructor.
fn drop_stage<F: Future, S>(cell: &Cell<F, S>) -> std::thread::Result<()> {
    // SAFETY: every caller owns the stage (holds `RUNNING`, or is the owner after completion).
    panic::catch_unwind(AssertUnwindSafe(|| unsafe { cell.drop_stage() }))
}

/// Drops the future of an aborted task and stores the cancellation error.
fn cancel<F: Future, S>(cell: &Cell<F, S>) {
    let id = cell.header.id;
    let _id = set_current_task_id(Some(id));
    let error = match drop_stage(cell) {
        Ok(()) => JoinError::cancelled(id),
        Err(payload) => JoinError::panic(id, payload),
    };
    // SAFETY: the caller holds `RUNNING`; `drop_stage` left the stage `Consumed`.
    unsafe { cell.store_output(Err(error)) };
}

/// Publishes the output, notifies the `JoinHandle`, leaves the owned list and releases the
/// poller's reference.
///
/// # Safety
///
/// `ptr` is a `Cell<F, S>` whose poller's (or, at shutdown, owned list's) reference the caller
/// holds with the output stored; it is given up here.
unsafe fn complete<F: Future, S: Schedule>(ptr: NonNull<Header>) -> Finish<S> {
    // SAFETY: the caller's reference keeps the cell alive until `transition_to_terminal`;
    // `cell` is a local, not used after it.
    let cell = unsafe { cell::<F, S>(ptr) };
    let count = publish_and_release(cell, ptr);
    if cell.header.state.transition_to_terminal(count) {
        Finish::Dealloc
    } else {
        Finish::Nothing
    }
}

/// The part of [`complete`] that still holds the caller's reference: returns how many
/// references `transition_to_terminal` drops (the caller's, and the owned list's if it gave
/// its reference back).
fn publish_and_release<F: Future, S: Schedule>(cell: &Cell<F, S>, ptr: NonNull<Header>) -> usize {
    if let Some(hooks) = cell.scheduler.hooks() {
        // A panicking hook must not stop the task from completing.
        let _ = panic::catch_unwind(AssertUnwindSafe(|| hooks.terminated(&cell.header.meta())));
    }
    let snapshot = cell.header.state.transition_to_complete();
    if !snapshot.is_join_interested() {
        // Nobody will read the output: the task side owns it and drops it now.
        let _id = set_current_task_id(Some(cell.header.id));
        let _ = drop_stage(cell);
    } else if snapshot.is_join_waker_set() {
        // SAFETY: complete with `JOIN_WAKER` set: the task side owns the waker slot.
        let _ = panic::catch_unwind(AssertUnwindSafe(|| unsafe { cell.wake_join() }));
        let snapshot = cell.header.state.unset_join_waker_after_complete();
        if !snapshot.is_join_interested() {
            // The handle was dropped after completion and left the waker to us.
            // SAFETY: the slot is ours: the handle is gone and saw `JOIN_WAKER` set.
            unsafe { cell.set_join_waker(None) };
        }
    }
    // SAFETY: the poller's reference keeps the task alive while `release` looks at it.
    let task = unsafe { Task::<S>::from_raw(RawTask::from_raw(ptr)) };
    let released = cell.scheduler.release(&task);
    std::mem::forget(task);
    let count = 1 + usize::from(released.is_some());
    if let Some(released) = released {
        std::mem::forget(released);
    }
    count
}

unsafe fn schedule<F: Future, S: Schedule>(ptr: NonNull<Header>) {
    // SAFETY: the caller holds a reference to this cell and hands it over.
    let scheduler = scheduler_copy(unsafe { cell::<F, S>(ptr) });
    // SAFETY: the reference the caller gives up stands for the `NOTIFIED` bit it set.
    let notified = unsafe { Notified::<S>::from_raw(RawTask::from_raw(ptr)) };
    // Once `schedule` queues it, the task may run and be freed on another thread: the call
    // gets the stack copy of the handle, not a reference into the cell.
    if let Err(rejected) = scheduler.schedule(notified) {
        // Dropped here, after `schedule` returned: its reference may be the last one.
        drop(rejected);
    }
}

unsafe fn dealloc<F: Future, S: Schedule>(ptr: NonNull<Header>) {
    // SAFETY: the caller holds the last reference, so the header is still alive here.
    unsafe { ptr.as_ref() }.span.close();
    // SAFETY: the caller released the last reference; the cell came from `Box::leak` of a
    // `Box<Cell<F, S>>`, so rebuilding the box frees it (and drops the stage, the scheduler
    // handle and the join waker, whatever is left of them).
    drop(unsafe { Box::from_raw(ptr.cast::<Cell<F, S>>().as_ptr()) });
}

unsafe fn try_read_output<F: Future, S: Schedule>(
    ptr: NonNull<Header>,
    dst: *mut (),
    waker: &Waker,
) {
    // SAFETY: the caller is the `JoinHandle`, which holds a reference.
    let cell = unsafe { cell::<F, S>(ptr) };
    if can_read_output(cell, waker) {
        // SAFETY: complete and joined: the handle owns the stage. `dst` has the type the
        // caller promised.
        unsafe {
            let dst = dst.cast::<Poll<Result<F::Output, JoinError>>>();
            *dst = Poll::Ready(cell.take_output());
        }
    }
}

/// True if the task completed; otherwise makes sure `waker` is the stored join waker.
fn can_read_output<F: Future, S>(cell: &Cell<F, S>, waker: &Waker) -> bool {
    let state = &cell.header.state;
    let snapshot = state.load();
    if snapshot.is_complete() {
        return true;
    }
    let stored = if !snapshot.is_join_waker_set() {
        store_join_waker(cell, waker)
    } else {
        // SAFETY: the caller is the `JoinHandle`; before completion only reads race.
        if unsafe { cell.join_waker_will_wake(waker) } {
            return false;
        }
        state
            .unset_join_waker()
            .and_then(|_| store_join_waker(cell, waker))
    };
    match stored {
        Ok(_) => false,
        Err(snapshot) => {
            assert!(snapshot.is_complete());
            true
        }
    }
}

fn store_join_waker<F: Future, S>(
    cell: &Cell<F, S>,
    waker: &Waker,
) -> Result<super::state::Snapshot, super::state::Snapshot> {
    // SAFETY: `JOIN_WAKER` is clear and the caller is the handle: it owns the slot.
    unsafe { cell.set_join_waker(Some(waker.clone())) };
    let result = cell.header.state.set_join_waker();
    if result.is_err() {
        // SAFETY: the transition failed, so `JOIN_WAKER` is still clear: still ours.
        unsafe { cell.set_join_waker(None) };
    }
    result
}

unsafe fn drop_join_handle_slow<F: Future, S: Schedule>(ptr: NonNull<Header>) {
    // SAFETY: the caller is the `JoinHandle`, which holds a reference.
    let cell = unsafe { cell::<F, S>(ptr) };
    let snapshot = cell.header.state.unset_join_interested();
    if snapshot.is_complete() {
        // The output is ours to drop.
        let _id = set_current_task_id(Some(cell.header.id));
        let _ = drop_stage(cell);
    }
    if !snapshot.is_join_waker_set() {
        // SAFETY: `JOIN_WAKER` is clear: the handle owns the slot.
        unsafe { cell.set_join_waker(None) };
    }
    // SAFETY: the handle's reference is live and released here.
    unsafe { RawTask::from_raw(ptr) }.drop_reference();
}

unsafe fn shutdown<F: Future, S: Schedule>(ptr: NonNull<Header>) {
    // SAFETY: the caller gives up the owned-list reference it held.
    let cell = unsafe { cell::<F, S>(ptr) };
    if cell.header.state.transition_to_shutdown() {
        cancel(cell);
        // SAFETY: the owned list's reference is still held; `complete` gives it up.
        let finish = unsafe { complete::<F, S>(ptr) };
        // SAFETY: `finish` says what is left; `cell` is not used any more.
        unsafe { finish.run::<F>(ptr) }
    } else {
        // Running elsewhere (it will see `CANCELLED`) or already complete.
        // SAFETY: as above.
        unsafe { RawTask::from_raw(ptr) }.drop_reference();
    }
}

/// Deterministic cases of a task freed while the harness is still running for it. A test that
/// fails here under miri (`-Zmiri-tree-borrows`) reports the harness keeping a reference into
/// the freed cell; without miri they only check the outcome.
#[cfg(all(test, not(loom)))]
mod unit_tests {
    use crate::runtime::task::list::OwnedTasks;
    use crate::runtime::task::{Id, Notified, Schedule, SpawnMeta, Task, TaskKind};
    use std::future::{poll_fn, Future};
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::{Arc, Mutex};
    use std::task::{Poll, Waker};

    /// A scheduler that runs a task the moment it is scheduled, inside `schedule`.
    struct RunsAtOnce {
        owned: OwnedTasks<Arc<RunsAtOnce>>,
    }

    impl Schedule for Arc<RunsAtOnce> {
        fn release(&self, task: &Task<Self>) -> Option<Task<Self>> {
            self.owned.remove(task)
        }

        fn schedule(&self, task: Notified<Self>) -> Result<(), Notified<Self>> {
            task.run();
            Ok(())
        }
    }

    /// A future that wakes itself on its first poll and completes on its second.
    fn yields_once(finished: Arc<AtomicBool>) -> impl Future<Output = ()> {
        let mut polled = false;
        poll_fn(move |cx| {
            if std::mem::replace(&mut polled, true) {
                finished.store(true, Ordering::SeqCst);
                return Poll::Ready(());
            }
            cx.waker().wake_by_ref();
            Poll::Pending
        })
    }

    #[test]
    fn a_task_freed_inside_its_schedulers_yield_now() {
        let scheduler = Arc::new(RunsAtOnce {
            owned: OwnedTasks::new(),
        });
        let finished = Arc::new(AtomicBool::new(false));
        let meta = SpawnMeta::caller(TaskKind::Task);
        let (join, notified) = scheduler.owned.bind(
            yields_once(finished.clone()),
            scheduler.clone(),
            Id::next(),
            &meta,
        );
        drop(join);
        // The first poll wakes the task, so the harness hands it back through `yield_now`,
        // which runs it to completion and frees it before returning to the harness.
        notified.expect("the list is open").run();
        assert!(finished.load(Ordering::SeqCst));
        assert_eq!(scheduler.owned.len(), 0);
    }

    #[test]
    fn a_task_freed_inside_its_schedulers_schedule() {
        let scheduler = Arc::new(RunsAtOnce {
            owned: OwnedTasks::new(),
        });
        let parked = Arc::new(Mutex::new(None::<Waker>));
        let finished = Arc::new(AtomicBool::new(false));
        let future = {
            let (parked, finished) = (parked.clone(), finished.clone());
            let mut polled = false;
            poll_fn(move |cx| {
                if std::mem::replace(&mut polled, true) {
                    finished.store(true, Ordering::SeqCst);
                    return Poll::Ready(());
                }
                *parked.lock().unwrap() = Some(cx.waker().clone());
                Poll::Pending
            })
        };
        let meta = SpawnMeta::caller(TaskKind::Task);
        let (join, notified) = scheduler
            .owned
            .bind(future, scheduler.clone(), Id::next(), &meta);
        notified.expect("the list is open").run();
        drop(join);
        // The waker holds the last reference but one (the list's). Waking it schedules the
        // task, which runs, completes and is freed, all before `schedule` returns.
        let waker = parked
            .lock()
            .unwrap()
            .take()
            .expect("the first poll parked");
        waker.wake();
        assert!(finished.load(Ordering::SeqCst));
        assert_eq!(scheduler.owned.len(), 0);
    }
}
