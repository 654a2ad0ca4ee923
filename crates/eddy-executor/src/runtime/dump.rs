//! Task dumps: a snapshot of every task a runtime owns, without unstable flags.
//!
//! The types and paths are Tokio's (`Handle::dump().await` gives a [`Dump`], whose
//! [`tasks`](Dump::tasks) iterate as [`Task`]s with an [`id`](Task::id) and a
//! [`trace`](Task::trace)), so code written against Tokio's dumps builds on eddy; eddy adds the
//! name, spawn location, state, poll count and time since the last poll as methods of `Task`.
//!
//! A dump walks the runtime's owned-task list, one shard lock at a time, and copies from each
//! task header what diagnostics keep there: id, name, spawn location, the state word and the
//! poll statistics. Nothing is polled or woken, so the dump is ready at once, can be taken from
//! any thread, and works while the runtime's workers are stuck ([`Handle::dump_now`] takes one
//! without an executor). Tasks spawned while the dump walks may or may not appear; blocking and
//! `LocalSet` tasks belong to other lists and never do, nor do finished tasks, which leave the
//! list as they complete.
//!
//! **What a [`Trace`] holds.** Tokio's trace is the tree of await points the task's last poll
//! went through, found by polling every task again in a tracing mode. eddy does not record
//! await points (that costs on every poll); its trace is the task's root only: where it was
//! spawned, its name, its state, its polls and how long ago its last poll started. For a stuck
//! program the spawn location and the time since the last poll usually point at the culprit.
//!
//! [`Handle::dump_now`]: super::Handle::dump_now

use crate::runtime::task::core::Header;
use crate::runtime::task::meta::TaskMeta;
use crate::runtime::task::{poll_clock, Id};
use std::fmt;
use std::panic::Location;
use std::time::Duration;

/// A snapshot of a runtime's tasks, from [`Handle::dump`](super::Handle::dump).
///
/// Its `Display` form is a table, one task per line:
///
/// ```
/// let rt = eddy_executor::runtime::Builder::new_current_thread().build().unwrap();
/// let _idle = rt.spawn(std::future::pending::<()>());
/// let dump = rt.block_on(rt.handle().dump());
/// assert_eq!(dump.tasks().iter().count(), 1);
/// println!("{dump}");
/// ```
#[derive(Debug, Clone)]
pub struct Dump {
    tasks: Tasks,
}

/// The tasks of a [`Dump`], in the order they were spawned.
#[derive(Debug, Clone)]
pub struct Tasks {
    tasks: Vec<Task>,
}

/// One task in a [`Dump`].
#[derive(Debug, Clone)]
pub struct Task {
    id: Id,
    trace: Trace,
}

/// What a dump knows of a task's whereabouts: its root, not its await points (see the
/// [module docs](self)). `Display` prints it on one line.
#[derive(Debug, Clone)]
pub struct Trace {
    name: Option<String>,
    spawned_at: &'static Location<'static>,
    state: TaskState,
    polls: u64,
    since_last_poll: Option<Duration>,
}

/// What a task was doing when the dump was taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TaskState {
    /// Waiting to be woken.
    Idle,
    /// Woken, waiting in a run queue for a worker.
    Scheduled,
    /// Being polled by a worker at that moment.
    Running,
    /// Finished in the instant the dump looked, before it left the runtime's list; finished
    /// tasks are otherwise not in a dump, whether or not their `JoinHandle` read the output.
    Complete,
}

impl Dump {
    /// Copies the diagnostics of every task `for_each` visits.
    pub(crate) fn collect(for_each: impl FnOnce(&mut dyn FnMut(&Header))) -> Dump {
        let now = poll_clock::precise();
        let mut tasks = Vec::new();
        for_each(&mut |header| tasks.push(Task::snapshot(header, now)));
        tasks.sort_by_key(|task| task.id);
        Dump {
            tasks: Tasks { tasks },
        }
    }

    /// The tasks in this snapshot.
    pub fn tasks(&self) -> &Tasks {
        &self.tasks
    }

    /// The task with id `id`, if it is in the snapshot.
    pub(crate) fn find(&self, id: Id) -> Option<&Task> {
        let tasks = &self.tasks.tasks;
        tasks
            .binary_search_by_key(&id, |task| task.id)
            .ok()
            .map(|index| &tasks[index])
    }
}

impl Tasks {
    /// Iterates over the tasks, in spawn order.
    pub fn iter(&self) -> impl Iterator<Item = &Task> {
        self.tasks.iter()
    }

    /// How many tasks the snapshot holds.
    pub fn len(&self) -> usize {
        self.tasks.len()
    }

    /// Whether the snapshot holds no task.
    pub fn is_empty(&self) -> bool {
        self.tasks.is_empty()
    }
}

impl<'a> IntoIterator for &'a Tasks {
    type Item = &'a Task;
    type IntoIter = std::slice::Iter<'a, Task>;

    fn into_iter(self) -> Self::IntoIter {
        self.tasks.iter()
    }
}

impl Task {
    fn snapshot(header: &Header, now: u64) -> Task {
        Task {
            id: header.id,
            trace: Trace {
                name: header.name.as_ref().map(|name| name.as_str().to_owned()),
                spawned_at: header.spawned_at,
                state: TaskState::of(header),
                polls: header.poll_stats.polls(),
                since_last_poll: header.poll_stats.since_last_poll(now),
            },
        }
    }

    /// The task's id.
    pub fn id(&self) -> Id {
        self.id
    }

    /// What the dump knows of where the task is (see [`Trace`]).
    pub fn trace(&self) -> &Trace {
        &self.trace
    }

    /// The name given with `task::Builder::name`, if any.
    pub fn name(&self) -> Option<&str> {
        self.trace.name.as_deref()
    }

    /// Where the task was spawned.
    pub fn spawned_at(&self) -> &'static Location<'static> {
        self.trace.spawned_at
    }

    /// What the task was doing.
    pub fn state(&self) -> TaskState {
        self.trace.state
    }

    /// How many times the task was polled.
    pub fn polls(&self) -> u64 {
        self.trace.polls
    }

    /// Time from the start of the task's last poll (for a running task, the poll under way) to
    /// the dump, or `None` if it was never polled. Stamps come from the kernel's coarse clock
    /// and count whole milliseconds, so this can read one tick (1 to 4 ms) long.
    pub fn since_last_poll(&self) -> Option<Duration> {
        self.trace.since_last_poll
    }

    /// The task as hooks see it.
    pub(crate) fn meta(&self) -> TaskMeta<'_> {
        TaskMeta::new(self.id, self.name(), self.spawned_at())
    }
}

impl TaskState {
    fn of(header: &Header) -> TaskState {
        let state = header.state.load();
        if state.is_complete() {
            TaskState::Complete
        } else if state.is_running() {
            TaskState::Running
        } else if state.is_notified() {
            TaskState::Scheduled
        } else {
            TaskState::Idle
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            TaskState::Idle => "idle",
            TaskState::Scheduled => "scheduled",
            TaskState::Running => "running",
            TaskState::Complete => "complete",
        }
    }
}

impl fmt::Display for TaskState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// "12.0ms ago", or "never".
struct LastPoll(Option<Duration>);

impl fmt::Display for LastPoll {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self.0 {
            Some(elapsed) => format!("{elapsed:.1?} ago"),
            None => "never".to_owned(),
        };
        f.pad(&text)
    }
}

impl fmt::Display for Trace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "╼ ")?;
        if let Some(name) = &self.name {
            write!(f, "{name:?} ")?;
        }
        write!(
            f,
            "spawned at {} ({}, {} polls, last poll {})",
            self.spawned_at,
            self.state,
            self.polls,
            LastPoll(self.since_last_poll)
        )
    }
}

impl fmt::Display for Dump {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:>6}  {:<16}  {:<9}  {:>8}  {:>12}  spawned at",
            "id", "name", "state", "polls", "last poll"
        )?;
        for task in &self.tasks {
            writeln!(f, "{task}")?;
        }
        Ok(())
    }
}

impl fmt::Display for Task {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:>6}  {:<16}  {:<9}  {:>8}  {:>12}  {}",
            self.id,
            self.name().unwrap_or("-"),
            self.state(),
            self.polls(),
            LastPoll(self.since_last_poll()),
            self.spawned_at()
        )
    }
}
