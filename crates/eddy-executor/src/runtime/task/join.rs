//! `JoinHandle`: waiting for a task's output.

use super::{AbortHandle, Id, JoinError, RawTask};
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::panic::{RefUnwindSafe, UnwindSafe};
use std::pin::Pin;
use std::task::{ready, Context, Poll};

/// An owned permission to join a task: awaiting it yields the task's output.
///
/// Dropping the handle detaches the task: it keeps running, and its output is dropped when it
/// completes. A task that was aborted or panicked yields a [`JoinError`].
pub struct JoinHandle<T> {
    raw: RawTask,
    _output: PhantomData<T>,
}

// SAFETY: the handle only moves a `T` out of the task (hence `T: Send`); its other operations
// are atomic transitions of the shared state word.
unsafe impl<T: Send> Send for JoinHandle<T> {}
// SAFETY: `&JoinHandle` only allows `abort`, `is_finished`, `id` and `abort_handle`, which touch
// the atomic state word alone, never the output.
unsafe impl<T: Send> Sync for JoinHandle<T> {}

impl<T> Unpin for JoinHandle<T> {}

// A panic while a handle is borrowed cannot leave the task half-updated: every operation is one
// atomic transition, and a panicking task is caught and stored as a `JoinError`.
impl<T> UnwindSafe for JoinHandle<T> {}
impl<T> RefUnwindSafe for JoinHandle<T> {}

impl<T> JoinHandle<T> {
    /// Takes over the `JoinHandle` reference of `raw`.
    ///
    /// # Safety
    ///
    /// The caller owns the task's join-handle reference, and the task's output type is `T`.
    pub(crate) unsafe fn from_raw(raw: RawTask) -> JoinHandle<T> {
        JoinHandle {
            raw,
            _output: PhantomData,
        }
    }

    /// Cancels the task. Awaiting the handle then yields a cancelled [`JoinError`], unless the
    /// task completed first. A task blocked in `spawn_blocking` that already started is not
    /// stopped.
    pub fn abort(&self) {
        self.raw.abort();
    }

    /// Whether the task has finished (completed, panicked or was cancelled).
    pub fn is_finished(&self) -> bool {
        self.raw.header().state.load().is_complete()
    }

    /// A handle that can abort the task without owning the output.
    pub fn abort_handle(&self) -> AbortHandle {
        self.raw.ref_inc();
        // SAFETY: the reference added above belongs to the new abort handle.
        unsafe { AbortHandle::from_raw(self.raw) }
    }

    /// The task's id.
    pub fn id(&self) -> Id {
        self.raw.id()
    }

    /// The name given with [`Builder::name`](crate::task::Builder::name), if any. Not part of
    /// Tokio's API: for diagnostics and tests.
    #[doc(hidden)]
    pub fn name(&self) -> Option<&str> {
        self.raw.header().name.as_ref().map(|name| name.as_str())
    }
}

impl<T> Future for JoinHandle<T> {
    type Output = Result<T, JoinError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let restore = ready!(eddy_core::coop::poll_proceed(cx));
        let mut output: Poll<Result<T, JoinError>> = Poll::Pending;
        // SAFETY: `output` has the type the task's vtable writes, and `self` is its handle.
        unsafe {
            self.raw.try_read_output(
                (&mut output as *mut Poll<Result<T, JoinError>>).cast(),
                cx.waker(),
            )
        };
        if output.is_ready() {
            restore.made_progress();
        }
        output
    }
}

impl<T> Drop for JoinHandle<T> {
    fn drop(&mut self) {
        if !self.raw.header().state.drop_join_handle_fast() {
            self.raw.drop_join_handle_slow();
        }
    }
}

impl<T> fmt::Debug for JoinHandle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JoinHandle")
            .field("id", &self.id())
            .finish()
    }
}
