//! Task dumps: a snapshot of every task a runtime owns, without unstable flags.
//!
//! [`Handle::dump`](super::Handle::dump) walks the runtime's owned-task list, one shard lock at
//! a time, and copies from each task header what diagnostics keep there: id, name, spawn
//! location, the state word, and the poll statistics. Nothing is polled or woken, so a dump
//! can be taken from any thread, inside or outside the runtime, even while its workers are
//! stuck. Tasks spawned while the dump walks may or may not appear; blocking tasks and
//! `LocalSet` tasks belong to other lists and never do.
//!
//! Await points are not recorded: finding them would mean tracing each future, which costs
//! on every poll (Tokio does it behind an unstable flag). The spawn location, the state and the
//! time since the last poll usually point at the stuck task; its name says what it was for.

use crate::task::core::Header;
use crate::task::Id;
use std::fmt;
use std::panic::Location;
use std::time::{Duration, Instant};

/// A snapshot of a runtime's tasks, from [`Handle::dump`](super::Handle::dump).
///
/// Its `Display` form is a table, one task per line:
///
/// ```
/// let rt = eddy_executor::runtime::Builder::new_current_thread().build().unwrap();
/// let _idle = rt.spawn(std::future::pending::<()>());
/// let dump = rt.handle().dump();
/// assert_eq!(dump.tasks().len(), 1);
/// println!("{dump}");
/// ```
#[derive(Debug, Clone)]
pub struct Dump {
    tasks: Vec<Task>,
}

/// One task in a [`Dump`].
#[derive(Debug, Clone)]
pub struct Task {
    id: Id,
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
    /// Finished; its output waits for its `JoinHandle`, or the runtime is about to let it go.
    Complete,
}

impl Dump {
    /// Copies the diagnostics of every task `for_each` visits.
    pub(crate) fn collect(for_each: impl FnOnce(&mut dyn FnMut(&Header))) -> Dump {
        let now = Instant::now();
        let mut tasks = Vec::new();
        for_each(&mut |header| tasks.push(Task::snapshot(header, now)));
        tasks.sort_by_key(|task| task.id);
        Dump { tasks }
    }

    /// The tasks, in the order they were spawned.
    pub fn tasks(&self) -> &[Task] {
        &self.tasks
    }
}

impl Task {
    fn snapshot(header: &Header, now: Instant) -> Task {
        Task {
            id: header.id,
            name: header.name.as_ref().map(|name| name.as_str().to_owned()),
            spawned_at: header.spawned_at,
            state: TaskState::of(header),
            polls: header.poll_stats.polls(),
            since_last_poll: header.poll_stats.since_last_poll(now),
        }
    }

    /// The task's id.
    pub fn id(&self) -> Id {
        self.id
    }

    /// The name given with `task::Builder::name`, if any.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// Where the task was spawned.
    pub fn spawned_at(&self) -> &'static Location<'static> {
        self.spawned_at
    }

    /// What the task was doing.
    pub fn state(&self) -> TaskState {
        self.state
    }

    /// How many times the task was polled.
    pub fn polls(&self) -> u64 {
        self.polls
    }

    /// Time since the task's last poll started, or `None` if it was never polled. Stamps come
    /// from a per-thread clock read every few polls, so this can be late by the length of the
    /// polls just before the task's on the same thread.
    pub fn since_last_poll(&self) -> Option<Duration> {
        self.since_last_poll
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
        let last_poll = match self.since_last_poll {
            Some(elapsed) => format!("{elapsed:.1?} ago"),
            None => "never".to_owned(),
        };
        write!(
            f,
            "{:>6}  {:<16}  {:<9}  {:>8}  {:>12}  {}",
            self.id,
            self.name.as_deref().unwrap_or("-"),
            self.state,
            self.polls,
            last_poll,
            self.spawned_at
        )
    }
}
