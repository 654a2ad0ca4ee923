//! Task names given with `task::Builder::name`, kept in the task header for diagnostics.
//!
//! The name travels down the spawn path in the `SpawnMeta` and is copied into the header when
//! the task is allocated; unnamed tasks store `None` and allocate nothing.

use std::fmt;

/// A task's name, stored in the header; unnamed tasks store `None` and allocate nothing. The
/// double box keeps `Option<TaskName>` one thin pointer wide (named tasks are the rare case).
pub(crate) struct TaskName(Box<Box<str>>);

impl TaskName {
    pub(crate) fn new(name: &str) -> TaskName {
        TaskName(Box::new(name.into()))
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for TaskName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}
