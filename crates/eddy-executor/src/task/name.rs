//! Task names given with `task::Builder::name`, kept in the task header for diagnostics.
//!
//! The spawn paths do not carry a name parameter: `Builder` parks the name in a thread-local
//! for the duration of its spawn call, and the task allocation on that same thread
//! (`RawTask::new`) takes it. Unnamed spawns find the slot empty and store `None`, one pointer
//! in the header (one pointer). A name is taken by the first task allocated during the call, which is the
//! task being spawned: every spawn path allocates it before anything else.

use std::cell::Cell;
use std::fmt;

/// A task's name, stored in the header; unnamed tasks store `None` and allocate nothing. The
/// double box keeps `Option<TaskName>` one thin pointer wide (named tasks are the rare case).
pub(crate) struct TaskName(Box<Box<str>>);

impl TaskName {
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for TaskName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

thread_local! {
    static PENDING: Cell<Option<TaskName>> = const { Cell::new(None) };
}

/// The name parked by [`with_pending`] on this thread, if any; empties the slot.
pub(crate) fn take_pending() -> Option<TaskName> {
    PENDING.try_with(Cell::take).ok().flatten()
}

/// Runs `spawn` with `name` parked for the task it allocates; clears the slot afterwards even if
/// no task was allocated (the spawn panicked or failed).
pub(crate) fn with_pending<R>(name: Option<&str>, spawn: impl FnOnce() -> R) -> R {
    struct Clear;
    impl Drop for Clear {
        fn drop(&mut self) {
            let _ = take_pending();
        }
    }
    let Some(name) = name else {
        return spawn();
    };
    let _ = PENDING.try_with(|slot| slot.set(Some(TaskName(Box::new(name.into())))));
    let _clear = Clear;
    spawn()
}
