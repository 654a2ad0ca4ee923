//! User callbacks around a runtime's tasks: spawn, poll, terminate, and slow polls.
//!
//! The builder collects them into one [`TaskHooks`], which the scheduler handle keeps as an
//! `Option`: a runtime built without any hook pays one branch per poll and nothing else.
//! The harness calls the poll hooks inside the task's panic guard, so a panicking hook fails
//! that task like a panicking future would, instead of unwinding into the scheduler.
//!
//! Slow-poll detection reads the clock before and after each poll (only when a threshold is
//! set) and reports polls longer than the threshold: to the callback given with
//! `Builder::on_slow_poll` if there is one, else as a `tracing` warning with target
//! `eddy::slow_poll` (feature `tracing`) or a line on standard error.

use crate::runtime::TaskMeta;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A hook that receives a task.
pub(crate) type TaskCallback = Arc<dyn Fn(&TaskMeta<'_>) + Send + Sync>;

/// A hook that receives a task and how long its poll took.
pub(crate) type SlowPollCallback = Arc<dyn Fn(&TaskMeta<'_>, Duration) + Send + Sync>;

/// Every task hook a runtime was built with.
#[derive(Clone, Default)]
pub(crate) struct TaskHooks {
    pub(crate) on_spawn: Option<TaskCallback>,
    pub(crate) on_terminate: Option<TaskCallback>,
    pub(crate) before_poll: Option<TaskCallback>,
    pub(crate) after_poll: Option<TaskCallback>,
    pub(crate) slow_poll_threshold: Option<Duration>,
    pub(crate) on_slow_poll: Option<SlowPollCallback>,
}

impl TaskHooks {
    /// The hooks to install, or `None` if nothing would ever be called.
    pub(crate) fn build(&self) -> Option<Arc<TaskHooks>> {
        let any = self.on_spawn.is_some()
            || self.on_terminate.is_some()
            || self.before_poll.is_some()
            || self.after_poll.is_some()
            || self.slow_poll_threshold.is_some();
        any.then(|| Arc::new(self.clone()))
    }

    pub(crate) fn spawned(&self, task: &TaskMeta<'_>) {
        if let Some(hook) = &self.on_spawn {
            hook(task);
        }
    }

    pub(crate) fn terminated(&self, task: &TaskMeta<'_>) {
        if let Some(hook) = &self.on_terminate {
            hook(task);
        }
    }

    /// Runs one poll of `task` between the poll hooks, timing it if slow polls are reported.
    pub(crate) fn around_poll<R>(&self, task: &TaskMeta<'_>, poll: impl FnOnce() -> R) -> R {
        if let Some(hook) = &self.before_poll {
            hook(task);
        }
        let started = self.slow_poll_threshold.map(|_| Instant::now());
        let output = poll();
        if let (Some(threshold), Some(started)) = (self.slow_poll_threshold, started) {
            let elapsed = started.elapsed();
            if elapsed > threshold {
                self.report_slow_poll(task, elapsed);
            }
        }
        if let Some(hook) = &self.after_poll {
            hook(task);
        }
        output
    }

    fn report_slow_poll(&self, task: &TaskMeta<'_>, elapsed: Duration) {
        match &self.on_slow_poll {
            Some(report) => report(task, elapsed),
            None => report_slow_poll_default(task, elapsed),
        }
    }
}

#[cfg(feature = "tracing")]
fn report_slow_poll_default(task: &TaskMeta<'_>, elapsed: Duration) {
    let (id, name, location) = (task.id().as_u64(), task.name(), task.spawned_at());
    let micros = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX);
    tracing::event!(
        target: "eddy::slow_poll",
        tracing::Level::WARN,
        task.id = id,
        task.name = name.unwrap_or_default(),
        loc.file = location.file(),
        loc.line = location.line(),
        loc.col = location.column(),
        poll.duration_us = micros,
        message = "slow poll",
    );
}

#[cfg(not(feature = "tracing"))]
fn report_slow_poll_default(task: &TaskMeta<'_>, elapsed: Duration) {
    let name = task
        .name()
        .map(|name| format!(" {name:?}"))
        .unwrap_or_default();
    eprintln!(
        "eddy: slow poll: task {}{name} spawned at {} ran for {elapsed:?}",
        task.id(),
        task.spawned_at()
    );
}

impl fmt::Debug for TaskHooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TaskHooks")
            .field("on_spawn", &self.on_spawn.is_some())
            .field("on_terminate", &self.on_terminate.is_some())
            .field("before_poll", &self.before_poll.is_some())
            .field("after_poll", &self.after_poll.is_some())
            .field("slow_poll_threshold", &self.slow_poll_threshold)
            .field("on_slow_poll", &self.on_slow_poll.is_some())
            .finish()
    }
}
