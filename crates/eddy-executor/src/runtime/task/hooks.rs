//! User callbacks around a runtime's tasks: spawn, poll, terminate, and slow polls.
//!
//! They live in the task layer because the harness calls them around each poll (through
//! `Schedule::hooks`); the schedulers, above, call the spawn hook and hold the hooks.
//!
//! The builder collects them into one [`TaskHooks`], which the scheduler handle keeps as an
//! `Option`: a runtime built without any hook pays one branch per poll and nothing else.
//! The harness calls the poll hooks inside the task's panic guard, so a panicking hook fails
//! that task like a panicking future would, instead of unwinding into the scheduler.
//!
//! Slow-poll detection (a threshold set) goes through the runtime's [`Watch`]: a poll publishes
//! its task and start for the watchdog thread, which reports a poll still running past the
//! threshold, and the poll's end reports it again, with its full length, once it returns (see
//! `poll_watch.rs` and `runtime/watchdog_thread.rs`). Every report reaches the user whatever
//! the `tracing` set-up: it goes to the `on_slow_poll` callback if there is one, it is a
//! `tracing` event at `WARN` (target `eddy::slow_poll`, feature `tracing`) if a subscriber
//! wants that event, and a line on standard error if neither took it.

use super::meta::TaskMeta;
use super::poll_watch::{PollStart, SlowPoll, Watch};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// A hook that receives a task.
pub(crate) type TaskCallback = Arc<dyn Fn(&TaskMeta<'_>) + Send + Sync>;

/// A hook that receives a task and the report of its slow poll.
pub(crate) type SlowPollCallback = Arc<dyn Fn(&TaskMeta<'_>, &SlowPoll) + Send + Sync>;

/// Every task hook a runtime was built with.
#[derive(Clone, Default)]
pub(crate) struct TaskHooks {
    pub(crate) on_spawn: Option<TaskCallback>,
    pub(crate) on_terminate: Option<TaskCallback>,
    pub(crate) before_poll: Option<TaskCallback>,
    pub(crate) after_poll: Option<TaskCallback>,
    pub(crate) slow_poll_threshold: Option<Duration>,
    pub(crate) on_slow_poll: Option<SlowPollCallback>,
    /// Built from the threshold by [`build`](Self::build).
    watch: Option<Arc<Watch>>,
}

impl TaskHooks {
    /// The hooks to install, or `None` if nothing would ever be called. `worker_index` tells
    /// the slow-poll watch which worker a polling thread is.
    pub(crate) fn build(&self, worker_index: fn() -> Option<usize>) -> Option<Arc<TaskHooks>> {
        let any = self.on_spawn.is_some()
            || self.on_terminate.is_some()
            || self.before_poll.is_some()
            || self.after_poll.is_some()
            || self.slow_poll_threshold.is_some();
        any.then(|| {
            let watch = self
                .slow_poll_threshold
                .map(|t| Arc::new(Watch::new(t, worker_index)));
            Arc::new(TaskHooks {
                watch,
                ..self.clone()
            })
        })
    }

    /// The slow-poll watch, if a threshold was set.
    pub(crate) fn watch(&self) -> Option<&Arc<Watch>> {
        self.watch.as_ref()
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

    /// Runs one poll of `task`, which started at `started` on the poll clock, between the poll
    /// hooks, and watches it if slow polls are reported.
    #[inline]
    pub(crate) fn around_poll<R>(
        &self,
        task: &TaskMeta<'_>,
        started: u64,
        poll: impl FnOnce() -> R,
    ) -> R {
        if let Some(hook) = &self.before_poll {
            hook(task);
        }
        let watched: Option<(&Watch, PollStart<'_>)> = self
            .watch
            .as_deref()
            .map(|watch| (watch, watch.poll_started(task.id(), started)));
        let output = poll();
        if let Some((watch, start)) = watched {
            if let Some(slow) = watch.poll_ended(start) {
                self.report_slow_poll(task, &slow);
            }
        }
        if let Some(hook) = &self.after_poll {
            hook(task);
        }
        output
    }

    /// Hands a report to the user: the callback, a `tracing` event if one is wanted, and
    /// standard error if neither took it.
    pub(crate) fn report_slow_poll(&self, task: &TaskMeta<'_>, report: &SlowPoll) {
        let traced = trace_slow_poll(task, report);
        match &self.on_slow_poll {
            Some(callback) => callback(task, report),
            None if !traced => eprintln!("{}", SlowPollLine(task, report)),
            None => {}
        }
    }
}

/// Emits the report as a `tracing` event if a subscriber wants it; says whether it did.
#[cfg(feature = "tracing")]
fn trace_slow_poll(task: &TaskMeta<'_>, report: &SlowPoll) -> bool {
    const TARGET: &str = "eddy::slow_poll";
    if !tracing::enabled!(target: TARGET, tracing::Level::WARN) {
        return false;
    }
    let location = task.spawned_at();
    let micros = u64::try_from(report.duration().as_micros()).unwrap_or(u64::MAX);
    tracing::event!(
        target: TARGET,
        tracing::Level::WARN,
        task.id = task.id().as_u64(),
        task.name = task.name().unwrap_or_default(),
        loc.file = location.file(),
        loc.line = location.line(),
        loc.col = location.column(),
        poll.duration_us = micros,
        poll.stuck = report.is_stuck(),
        worker = report.worker().map_or(-1, |worker| worker as i64),
        message = if report.is_stuck() { "stuck poll" } else { "slow poll" },
    );
    true
}

#[cfg(not(feature = "tracing"))]
fn trace_slow_poll(_task: &TaskMeta<'_>, _report: &SlowPoll) -> bool {
    false
}

/// The standard-error form of a report.
struct SlowPollLine<'a, 'b>(&'a TaskMeta<'b>, &'a SlowPoll);

impl fmt::Display for SlowPollLine<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let SlowPollLine(task, report) = self;
        let (kind, verb) = match report.is_stuck() {
            true => ("stuck", "has been running for"),
            false => ("slow", "ran for"),
        };
        write!(f, "eddy: {kind} poll: task {}", task.id())?;
        if let Some(name) = task.name() {
            write!(f, " {name:?}")?;
        }
        write!(
            f,
            " spawned at {} {verb} {:?}",
            task.spawned_at(),
            report.duration()
        )?;
        match report.worker() {
            Some(worker) => write!(f, " on worker {worker}"),
            None => Ok(()),
        }
    }
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
