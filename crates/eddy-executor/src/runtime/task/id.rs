//! Task ids: unique for the life of the process, readable from inside the task.
//!
//! The harness sets the id of the task it polls (or drops) in a thread-local here, restored by a
//! guard so that a task polled inside another one's poll (a `block_on` on a `LocalSet`, say)
//! nests like a stack; `id()` and `try_id()` read it.

use eddy_core::scoped::{Scoped, ThreadLocalSlot};
use std::cell::Cell;
use std::fmt;
use std::num::NonZeroU64;
use std::sync::atomic::{AtomicU64, Ordering};

/// An opaque id that identifies a task among all tasks of the process.
///
/// Ids are unique while the process runs; they are not reused.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Id(NonZeroU64);

impl Id {
    /// A new, never used id.
    pub(crate) fn next() -> Id {
        // A std atomic even under loom: the counter only has to hand out distinct numbers,
        // and loom's atomics cannot live in a `static`.
        static NEXT: AtomicU64 = AtomicU64::new(1);
        let id = NEXT.fetch_add(1, Ordering::Relaxed);
        Id(NonZeroU64::new(id).expect("eddy: task ids ran out"))
    }

    pub(crate) fn as_u64(self) -> u64 {
        self.0.get()
    }

    /// The id whose `as_u64` is `id`; `None` for zero, which no task has.
    pub(crate) fn from_u64(id: u64) -> Option<Id> {
        NonZeroU64::new(id).map(Id)
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Debug for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Id({})", self.0)
    }
}

/// The id of the task being polled.
///
/// # Panics
///
/// Panics when called from outside a task.
#[track_caller]
pub fn id() -> Id {
    try_id().expect("can't get a task id when not inside a task")
}

/// The id of the task being polled, or `None` outside a task.
pub fn try_id() -> Option<Id> {
    CURRENT_TASK_ID.try_with(Cell::get).unwrap_or(None)
}

crate::loom::thread_local! {
    /// The id of the task being polled on this thread.
    static CURRENT_TASK_ID: Cell<Option<Id>> = const { Cell::new(None) };
}

/// The slot of the current task id, for [`Scoped`].
struct CurrentTaskId;

impl ThreadLocalSlot for CurrentTaskId {
    type Value = Option<Id>;

    #[inline]
    fn swap(id: Option<Id>) -> Option<Option<Id>> {
        CURRENT_TASK_ID.try_with(|current| current.replace(id)).ok()
    }
}

/// Sets the id `task::id()` reports until the guard is dropped.
#[inline]
pub(crate) fn set_current_task_id(id: Option<Id>) -> TaskIdGuard {
    TaskIdGuard {
        _previous: Scoped::set(id),
    }
}

/// Restores the previous task id when dropped.
pub(crate) struct TaskIdGuard {
    _previous: Scoped<CurrentTaskId>,
}
