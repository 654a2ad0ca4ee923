//! The stuck-poll watchdog thread of a runtime that reports slow polls.
//!
//! Every tick (a quarter of the threshold, between 1 and 100 ms) it counts one on the runtime's
//! [`Watch`] and reports, through the task hooks, each poll the watch finds running past the
//! threshold; the task's name and spawn location come from a dump of the runtime's tasks, taken
//! only for such a report. How polls are published and read is `task/poll_watch.rs`'s.
//!
//! The thread holds the runtime's scheduler only weakly and exits on the first tick after the
//! runtime is gone.

use super::dump::Dump;
use super::scheduler;
use super::task::hooks::TaskHooks;
use super::task::poll_watch::SlowPoll;
use super::task::poll_watch::Watch;
use super::task::Id;
use std::panic::{self, AssertUnwindSafe};
use std::time::Duration;

/// Starts the watchdog thread of a runtime whose hooks watch polls; the builder calls this once
/// the scheduler's handle exists.
pub(crate) fn start(handle: &scheduler::Handle) {
    let Some(hooks) = handle.hooks().cloned() else {
        return;
    };
    let Some(watch) = hooks.watch().cloned() else {
        return;
    };
    let scheduler = handle.downgrade();
    let spawned = std::thread::Builder::new()
        .name("eddy-watchdog".to_owned())
        .spawn(move || run(&watch, &hooks, &scheduler));
    // Without the thread, slow polls still are reported when they end, as long as the tick
    // counter moves; it does not, so they are not: say so once instead of failing the build.
    if let Err(error) = spawned {
        eprintln!("eddy: no stuck-poll watchdog, its thread did not start: {error}");
    }
}

/// The watchdog thread: ticks, and reports polls running past the threshold, until the
/// runtime is gone.
fn run(watch: &Watch, hooks: &TaskHooks, scheduler: &scheduler::WeakHandle) {
    loop {
        std::thread::sleep(watch.tick());
        watch.count_tick();
        let Some(scheduler) = scheduler.upgrade() else {
            return;
        };
        watch.for_each_stuck(|task, so_far, worker| {
            // A panicking callback must not end the watching.
            let report = || report_stuck(hooks, &scheduler.dump(), task, so_far, worker);
            let _ = panic::catch_unwind(AssertUnwindSafe(report));
        });
    }
}

/// Reports the stuck poll of `task`, if the task is still in the runtime's list.
fn report_stuck(hooks: &TaskHooks, dump: &Dump, task: Id, so_far: Duration, worker: Option<usize>) {
    if let Some(task) = dump.find(task) {
        hooks.report_slow_poll(&task.meta(), &SlowPoll::stuck(so_far, worker));
    }
}
