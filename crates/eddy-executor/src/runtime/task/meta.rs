//! What a task is, for the people looking at it: its spawn site, name and kind.
//!
//! A spawn call captures a [`SpawnMeta`] at its public entry point (`#[track_caller]` stops
//! at the first closure, so the location is read there and carried down as a value) and hands
//! it to the allocation, which keeps the name and location in the header. [`TaskMeta`] is the
//! read-only view of those fields that task hooks receive.

use super::Id;
use std::fmt;
use std::panic::Location;

/// Which spawn function made a task: the `kind` field of its tracing span. Only the `tracing`
/// feature reads it; every spawn path names it anyway, so that the paths need no `cfg`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(not(feature = "tracing"), allow(dead_code))]
pub(crate) enum TaskKind {
    /// `spawn`, `Handle::spawn`, `JoinSet::spawn`, ...
    Task,
    /// `spawn_local` on a `LocalSet`.
    Local,
    /// `spawn_blocking`.
    Blocking,
    /// The future given to `block_on` (traced like a task, but not one).
    BlockOn,
}

#[cfg(feature = "tracing")]
impl TaskKind {
    /// The name tokio-console shows in its `Kind` column.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            TaskKind::Task => "task",
            TaskKind::Local => "local",
            TaskKind::Blocking => "blocking",
            TaskKind::BlockOn => "block_on",
        }
    }
}

/// What a spawn call knows about the task it creates, carried down to the allocation.
#[derive(Clone, Copy, Debug)]
pub(crate) struct SpawnMeta<'a> {
    pub(crate) name: Option<&'a str>,
    pub(crate) location: &'static Location<'static>,
    #[cfg_attr(not(feature = "tracing"), allow(dead_code))]
    pub(crate) kind: TaskKind,
}

impl SpawnMeta<'static> {
    /// An unnamed task of `kind` spawned by the caller of the `#[track_caller]` chain.
    #[track_caller]
    pub(crate) fn caller(kind: TaskKind) -> SpawnMeta<'static> {
        SpawnMeta {
            name: None,
            location: Location::caller(),
            kind,
        }
    }
}

impl<'a> SpawnMeta<'a> {
    /// The same task, named.
    pub(crate) fn named<'b>(self, name: Option<&'b str>) -> SpawnMeta<'b>
    where
        'a: 'b,
    {
        SpawnMeta { name, ..self }
    }
}

/// A task as task hooks see it: its id, name and where it was spawned.
///
/// Passed to the callbacks of [`Builder::on_task_spawn`](crate::runtime::Builder::on_task_spawn)
/// and its siblings; it borrows from the task, so a hook copies what it wants to keep.
#[derive(Clone, Copy)]
pub struct TaskMeta<'a> {
    id: Id,
    name: Option<&'a str>,
    spawned_at: &'static Location<'static>,
}

impl<'a> TaskMeta<'a> {
    pub(crate) fn new(
        id: Id,
        name: Option<&'a str>,
        spawned_at: &'static Location<'static>,
    ) -> TaskMeta<'a> {
        TaskMeta {
            id,
            name,
            spawned_at,
        }
    }

    /// The task's id.
    pub fn id(&self) -> Id {
        self.id
    }

    /// The name given with [`task::Builder::name`](crate::task::Builder::name), if any.
    pub fn name(&self) -> Option<&'a str> {
        self.name
    }

    /// The source location of the `spawn` call that created the task.
    pub fn spawned_at(&self) -> &'static Location<'static> {
        self.spawned_at
    }
}

impl fmt::Debug for TaskMeta<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TaskMeta")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("spawned_at", &format_args!("{}", self.spawned_at))
            .finish()
    }
}
