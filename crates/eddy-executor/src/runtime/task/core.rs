//! The fields of a task allocation and who may touch them.
//!
//! * [`Header`]: the state word, the vtable and the id are shared by every reference holder.
//!   The owned-list links are touched only under the owning list's lock.
//! * `scheduler`: immutable after creation, read by any reference holder.
//! * `stage`: owned by whoever holds `RUNNING` (the poller) until `COMPLETE`; after that by the
//!   `JoinHandle` while `JOIN_INTEREST` is set, else by the task side. Dealloc drops what is left.
//! * `join_waker` (the trailer): owned by the `JoinHandle` while `JOIN_WAKER` is clear, by the
//!   task side while it is set (see `state.rs`).

use super::error::JoinError;
use super::id::Id;
use super::meta::{SpawnMeta, TaskMeta};
use super::name::TaskName;
use super::poll_stats::PollStats;
use super::state::State;
use super::trace::TaskSpan;
use crate::loom::cell::UnsafeCell;
use eddy_core::linked_list::Pointers;
use std::future::Future;
use std::panic::Location;
use std::pin::Pin;
use std::ptr::{self, NonNull};
use std::task::{Context, Poll, Waker};

/// The typed operations of one `(future, scheduler)` pair, reached through the header.
pub(crate) struct Vtable {
    /// Polls (or cancels) the task, consuming one `Notified` reference.
    pub(crate) poll: unsafe fn(NonNull<Header>),
    /// Hands one `Notified` reference to the task's scheduler.
    pub(crate) schedule: unsafe fn(NonNull<Header>),
    /// Frees the allocation.
    pub(crate) dealloc: unsafe fn(NonNull<Header>),
    /// Moves the output into `*dst` (a `Poll<Result<T, JoinError>>`) if the task completed,
    /// or registers the waker.
    pub(crate) try_read_output: unsafe fn(NonNull<Header>, *mut (), &Waker),
    /// Drops the `JoinHandle` when the fast path failed.
    pub(crate) drop_join_handle_slow: unsafe fn(NonNull<Header>),
    /// Cancels the task at runtime shutdown, consuming the owned-list reference.
    pub(crate) shutdown: unsafe fn(NonNull<Header>),
}

/// The part of a task every reference holder can read without knowing its types.
pub(crate) struct Header {
    pub(crate) state: State,
    pub(crate) vtable: &'static Vtable,
    pub(crate) id: Id,
    /// Links in the owning runtime's list of tasks; guarded by that list's lock.
    pub(crate) owned: Pointers<Header>,
    /// The name given with `task::Builder::name`; immutable, readable by any reference holder.
    pub(crate) name: Option<TaskName>,
    /// Where the task was spawned; immutable.
    pub(crate) spawned_at: &'static Location<'static>,
    /// Polls and the time of the last one, for task dumps; written by the poller only.
    pub(crate) poll_stats: PollStats,
    /// The task's `tracing` span (zero-sized without the `tracing` feature); closed by dealloc.
    pub(crate) span: TaskSpan,
}

impl Header {
    /// The task as hooks see it.
    pub(crate) fn meta(&self) -> TaskMeta<'_> {
        TaskMeta::new(
            self.id,
            self.name.as_ref().map(TaskName::as_str),
            self.spawned_at,
        )
    }
}

/// What the stage slot holds over the task's life.
pub(crate) enum Stage<F: Future> {
    Running(F),
    Finished(Result<F::Output, JoinError>),
    Consumed,
}

/// The whole task allocation. `repr(C)` keeps the header at offset zero.
#[repr(C)]
pub(crate) struct Cell<F: Future, S> {
    pub(crate) header: Header,
    pub(crate) scheduler: S,
    pub(crate) stage: UnsafeCell<Stage<F>>,
    pub(crate) join_waker: UnsafeCell<Option<Waker>>,
}

impl<F: Future, S> Cell<F, S> {
    pub(crate) fn new(
        future: F,
        scheduler: S,
        id: Id,
        meta: &SpawnMeta<'_>,
        refs: usize,
        vtable: &'static Vtable,
    ) -> Cell<F, S> {
        Cell {
            header: Header {
                state: State::new(refs),
                vtable,
                id,
                owned: Pointers::new(),
                name: meta.name.map(TaskName::new),
                spawned_at: meta.location,
                poll_stats: PollStats::default(),
                span: TaskSpan::new(meta, id, std::mem::size_of::<F>()),
            },
            scheduler,
            stage: UnsafeCell::new(Stage::Running(future)),
            join_waker: UnsafeCell::new(None),
        }
    }

    /// Polls the future.
    ///
    /// # Safety
    ///
    /// The caller holds `RUNNING` and the stage is `Running`.
    pub(crate) unsafe fn poll_future(&self, cx: &mut Context<'_>) -> Poll<F::Output> {
        self.stage.with_mut(|stage| {
            // SAFETY: holding `RUNNING` gives the caller the stage exclusively.
            let future = match unsafe { &mut *stage } {
                Stage::Running(future) => future,
                _ => unreachable!("eddy: polled a task whose future is gone"),
            };
            // SAFETY: the cell lives on the heap and is never moved until it is freed, and the
            // future is dropped in place (`drop_stage`), so it stays pinned.
            unsafe { Pin::new_unchecked(future) }.poll(cx)
        })
    }

    /// Drops the future or output in place and leaves the stage `Consumed`, even if the drop
    /// panics.
    ///
    /// # Safety
    ///
    /// The caller owns the stage (see the module docs).
    pub(crate) unsafe fn drop_stage(&self) {
        struct WriteConsumed<F: Future>(*mut Stage<F>);
        impl<F: Future> Drop for WriteConsumed<F> {
            fn drop(&mut self) {
                // SAFETY: the value at `self.0` was just dropped in place (or its drop
                // panicked), so it is overwritten without dropping it again.
                unsafe { ptr::write(self.0, Stage::Consumed) }
            }
        }
        self.stage.with_mut(|stage| {
            let rewrite = WriteConsumed(stage);
            // SAFETY: the caller owns the stage; dropping in place keeps the pinning promise
            // for the future. `rewrite` makes the slot valid again afterwards.
            unsafe { ptr::drop_in_place(stage) };
            drop(rewrite);
        });
    }

    /// Stores the output of a future that was just dropped.
    ///
    /// # Safety
    ///
    /// The caller owns the stage, which is `Consumed`.
    pub(crate) unsafe fn store_output(&self, output: Result<F::Output, JoinError>) {
        self.stage.with_mut(|stage| {
            // SAFETY: the caller owns the stage; `Consumed` has nothing to drop.
            unsafe { ptr::write(stage, Stage::Finished(output)) }
        });
    }

    /// Takes the stored output.
    ///
    /// # Safety
    ///
    /// The caller is the `JoinHandle` after completion, which owns the stage.
    pub(crate) unsafe fn take_output(&self) -> Result<F::Output, JoinError> {
        self.stage.with_mut(|stage| {
            // SAFETY: the caller owns the stage.
            match std::mem::replace(unsafe { &mut *stage }, Stage::Consumed) {
                Stage::Finished(output) => output,
                _ => panic!("eddy: JoinHandle polled after it returned the output"),
            }
        })
    }

    /// Stores the `JoinHandle`'s waker.
    ///
    /// # Safety
    ///
    /// The caller owns the waker slot (`JOIN_WAKER` clear, caller is the `JoinHandle`; or the
    /// task side with `JOIN_WAKER` set).
    pub(crate) unsafe fn set_join_waker(&self, waker: Option<Waker>) {
        // SAFETY: the caller owns the slot.
        self.join_waker.with_mut(|slot| unsafe { *slot = waker });
    }

    /// Whether the stored join waker would wake the same task as `waker`.
    ///
    /// # Safety
    ///
    /// The caller may read the slot: it is the `JoinHandle`, and before completion the task side
    /// never writes the slot.
    pub(crate) unsafe fn join_waker_will_wake(&self, waker: &Waker) -> bool {
        // SAFETY: see above; only reads happen concurrently.
        self.join_waker.with(|slot| match unsafe { &*slot } {
            Some(stored) => stored.will_wake(waker),
            None => false,
        })
    }

    /// Wakes the stored join waker, leaving it in place.
    ///
    /// # Safety
    ///
    /// The caller is the task side after completion with `JOIN_WAKER` set.
    pub(crate) unsafe fn wake_join(&self) {
        self.join_waker.with(|slot| {
            // SAFETY: see above; the handle does not touch the slot while `JOIN_WAKER` is set.
            if let Some(waker) = unsafe { &*slot } {
                waker.wake_by_ref();
            }
        });
    }
}
