//! The task allocation and the type-erased pointer to it.
//!
//! A task is one heap block, a `#[repr(C)]` [`Cell`]: the [`Header`] first (state word, vtable,
//! owned-list links, id), then the scheduler handle and the stage (the future, later its
//! output), then the trailer (the `JoinHandle`'s waker). Because the header comes first, a
//! pointer to the cell is a pointer to its header, and code that does not know the future's
//! type reaches the typed code through the header's [`Vtable`].
//!
//! [`RawTask`] is that pointer. It is `Copy` and does not own a reference by itself: the typed
//! wrappers (`Task`, `Notified`, `JoinHandle`, `AbortHandle`, wakers) each own one reference and
//! release it on drop.

use super::core::{Cell, Header, Vtable};
use super::id::Id;
use super::meta::SpawnMeta;
use super::Schedule;
use std::future::Future;
use std::ptr::NonNull;
use std::task::Waker;

/// A type-erased pointer to a live task.
#[derive(Clone, Copy)]
pub(crate) struct RawTask {
    ptr: NonNull<Header>,
}

impl RawTask {
    /// Allocates a task with `refs` references, queued and with join interest, whose typed
    /// operations are `vtable` (the harness builds it for `F` and `S`).
    pub(crate) fn new<F, S>(
        future: F,
        scheduler: S,
        id: Id,
        meta: &SpawnMeta<'_>,
        refs: usize,
        vtable: &'static Vtable,
    ) -> RawTask
    where
        F: Future,
        S: Schedule,
    {
        let cell = Box::new(Cell::new(future, scheduler, id, meta, refs, vtable));
        // `Cell` is `repr(C)` with the header first, so the cell pointer is a header pointer.
        let ptr = NonNull::from(Box::leak(cell)).cast::<Header>();
        RawTask { ptr }
    }

    /// Wraps a pointer to a live task's header.
    ///
    /// # Safety
    ///
    /// `ptr` must point to the header of a task that is still allocated.
    pub(crate) unsafe fn from_raw(ptr: NonNull<Header>) -> RawTask {
        RawTask { ptr }
    }

    pub(crate) fn header_ptr(self) -> NonNull<Header> {
        self.ptr
    }

    /// The task's header.
    pub(crate) fn header(&self) -> &Header {
        // SAFETY: every `RawTask` is created from a live allocation, and it is only used by a
        // wrapper that owns a reference, so the allocation outlives this borrow of `self`.
        unsafe { self.ptr.as_ref() }
    }

    fn vtable(&self) -> &'static Vtable {
        self.header().vtable
    }

    /// Polls the task, consuming the caller's `Notified` reference.
    pub(crate) fn poll(self) {
        // SAFETY: the vtable was built for this cell's types; the caller gives up a
        // `Notified` reference, which is what `poll` consumes.
        unsafe { (self.vtable().poll)(self.ptr) }
    }

    /// Submits the task to its scheduler, consuming one reference as a `Notified`.
    pub(crate) fn schedule(self) {
        // SAFETY: as for `poll`; the caller hands over the reference the `NOTIFIED` bit stands
        // for.
        unsafe { (self.vtable().schedule)(self.ptr) }
    }

    /// Frees the task.
    pub(crate) fn dealloc(self) {
        // SAFETY: the caller released the last reference, so nobody else can reach the cell.
        unsafe { (self.vtable().dealloc)(self.ptr) }
    }

    /// See [`Vtable::try_read_output`].
    ///
    /// # Safety
    ///
    /// `dst` must point to a `Poll<Result<T, JoinError>>` where `T` is the future's output
    /// type, and the caller must be the task's `JoinHandle`.
    pub(crate) unsafe fn try_read_output(self, dst: *mut (), waker: &Waker) {
        // SAFETY: the caller upholds the contract above.
        unsafe { (self.vtable().try_read_output)(self.ptr, dst, waker) }
    }

    /// Drops the `JoinHandle`'s reference and interest.
    pub(crate) fn drop_join_handle_slow(self) {
        // SAFETY: the caller is the task's `JoinHandle` being dropped.
        unsafe { (self.vtable().drop_join_handle_slow)(self.ptr) }
    }

    /// Cancels the task for runtime shutdown, consuming the owned-list reference.
    pub(crate) fn shutdown(self) {
        // SAFETY: the caller hands over the owned-list reference.
        unsafe { (self.vtable().shutdown)(self.ptr) }
    }

    /// Sets the task's `CANCELLED` bit, scheduling it if it was idle so that it is dropped
    /// (`JoinHandle::abort`, `AbortHandle::abort`).
    pub(crate) fn abort(self) {
        if self.header().state.transition_to_notified_and_cancel() {
            self.schedule();
        }
    }

    /// Releases one reference, freeing the task if it was the last.
    pub(crate) fn drop_reference(self) {
        if self.header().state.ref_dec() {
            self.dealloc();
        }
    }

    /// Adds one reference.
    pub(crate) fn ref_inc(self) {
        self.header().state.ref_inc();
    }

    /// The task's id.
    pub(crate) fn id(&self) -> Id {
        self.header().id
    }
}

// SAFETY: a `RawTask` is a pointer to a task whose shared fields are only touched through the
// atomic state protocol. Its future and output are `Send` (every spawn function requires it),
// except for `LocalSet` tasks, whose future is only polled and dropped on the set's thread
// (`OwnedTasks::bind_local`); from other threads such a task is only woken or aborted, which
// touches the state word and queues it for that thread. So the pointer may move to and be
// shared with other threads.
unsafe impl Send for RawTask {}
// SAFETY: as above.
unsafe impl Sync for RawTask {}
