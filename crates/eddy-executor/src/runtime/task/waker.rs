//! Task wakers: the task pointer under a static `RawWakerVTable`.
//!
//! A waker owns one task reference. Cloning adds a reference, dropping releases one, and waking
//! marks the task `NOTIFIED` and, if it was idle, hands a reference to its scheduler as a
//! `Notified`. Nothing is allocated.
//!
//! While a task is polled, its waker is borrowed from the poller's reference ([`waker_ref`]):
//! the `Waker` value is never dropped, so it costs no reference count traffic unless the future
//! clones it.

use super::core::Header;
use super::raw::RawTask;
use super::state::TransitionToNotified;
use super::trace::WakerOp;
use std::marker::PhantomData;
use std::mem::ManuallyDrop;
use std::ops::Deref;
use std::ptr::NonNull;
use std::task::{RawWaker, RawWakerVTable, Waker};

static VTABLE: RawWakerVTable = RawWakerVTable::new(clone, wake, wake_by_ref, drop_waker);

/// A waker borrowed from a reference the caller holds.
pub(crate) struct WakerRef<'a> {
    waker: ManuallyDrop<Waker>,
    _task: PhantomData<&'a Header>,
}

impl Deref for WakerRef<'_> {
    type Target = Waker;

    fn deref(&self) -> &Waker {
        &self.waker
    }
}

/// The waker of the task at `ptr`, valid while the caller's reference is.
pub(crate) fn waker_ref<'a>(ptr: NonNull<Header>) -> WakerRef<'a> {
    let raw = RawWaker::new(ptr.as_ptr().cast::<()>().cast_const(), &VTABLE);
    // SAFETY: the vtable functions below uphold the `RawWaker` contract for task pointers; the
    // waker is never dropped (`ManuallyDrop`), so it does not release the borrowed reference.
    let waker = unsafe { Waker::from_raw(raw) };
    WakerRef {
        waker: ManuallyDrop::new(waker),
        _task: PhantomData,
    }
}

/// The task behind a waker's data pointer.
///
/// # Safety
///
/// `data` came from `waker_ref` or `clone`, and the waker still holds its reference.
unsafe fn task(data: *const ()) -> RawTask {
    // SAFETY: the data pointer is a non-null header pointer of a live task (see above).
    unsafe { RawTask::from_raw(NonNull::new_unchecked(data.cast_mut().cast::<Header>())) }
}

unsafe fn clone(data: *const ()) -> RawWaker {
    // SAFETY: called on a live waker, which keeps the task alive.
    let task = unsafe { task(data) };
    task.header().span.waker_op(WakerOp::Clone);
    task.ref_inc();
    RawWaker::new(data, &VTABLE)
}

unsafe fn wake(data: *const ()) {
    // SAFETY: the waker is live; its reference is consumed below.
    let task = unsafe { task(data) };
    task.header().span.waker_op(WakerOp::Wake);
    match task.header().state.transition_to_notified_by_val() {
        TransitionToNotified::Submit => task.schedule(),
        TransitionToNotified::Dealloc => task.dealloc(),
        TransitionToNotified::DoNothing => {}
    }
}

unsafe fn wake_by_ref(data: *const ()) {
    // SAFETY: the waker is live and keeps its reference.
    let task = unsafe { task(data) };
    task.header().span.waker_op(WakerOp::WakeByRef);
    match task.header().state.transition_to_notified_by_ref() {
        TransitionToNotified::Submit => task.schedule(),
        TransitionToNotified::DoNothing => {}
        TransitionToNotified::Dealloc => unreachable!("eddy: wake_by_ref released a reference"),
    }
}

unsafe fn drop_waker(data: *const ()) {
    // SAFETY: the waker is live; dropping it releases its reference.
    let task = unsafe { task(data) };
    task.header().span.waker_op(WakerOp::Drop);
    task.drop_reference();
}
