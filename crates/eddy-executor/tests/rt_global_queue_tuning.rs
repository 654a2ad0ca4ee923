//! A multi-thread worker busy with slow local tasks looks at the injection queue more often: it
//! tunes its interval from its mean poll time (as Tokio's does; Tokio's
//! `rt_threaded::test_tuning` checks the same), so a task spawned from outside does not wait
//! behind dozens of slow local polls.
//!
//! The verdict counts polls, not time: every local poll sleeps 1 ms, which only makes the mean
//! poll time larger, and so the tuned interval smaller (its floor, 2 ticks). With the fixed
//! interval of 61 ticks, a remote task waits up to 61 ticks (several local polls each) behind
//! the chain, so three remote tasks in a row each running within 24 local polls is all but
//! impossible without tuning (about 1 chance in 2,000 per run).
#![cfg(feature = "multi-thread")]

use eddy_executor::runtime::Builder;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

/// Local polls a remote task may wait behind once the worker has tuned itself.
const MAX_LOCAL_POLLS_AHEAD: usize = 24;

/// Polls of the chain before the first remote task: enough for the first retune, which comes
/// after `event_interval` ticks (61 by default), each of which polls a chain link and up to three
/// more from the LIFO slot.
const WARM_UP_POLLS: usize = 300;

/// One link of a chain of slow local tasks: each sleeps, counts itself and spawns the next.
fn chain(polls: Arc<AtomicUsize>, running: Arc<AtomicBool>) {
    if running.load(Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(1));
        polls.fetch_add(1, Ordering::Relaxed);
        eddy_executor::spawn(async move { chain(polls, running) });
    }
}

#[test]
fn a_remote_task_runs_within_a_few_slow_local_polls() {
    let rt = Builder::new_multi_thread()
        .worker_threads(1)
        .build()
        .unwrap();
    let polls = Arc::new(AtomicUsize::new(0));
    let running = Arc::new(AtomicBool::new(true));
    {
        let (polls, running) = (polls.clone(), running.clone());
        rt.spawn(async move { chain(polls, running) });
    }
    while polls.load(Ordering::Relaxed) < WARM_UP_POLLS {
        std::thread::yield_now();
    }
    for _ in 0..3 {
        let (ran, ran_after) = mpsc::channel();
        let polls_at_spawn = polls.load(Ordering::Relaxed);
        let polls_in_task = polls.clone();
        rt.spawn(async move {
            ran.send(polls_in_task.load(Ordering::Relaxed)).unwrap();
        });
        let polls_at_run = ran_after.recv().unwrap();
        let waited = polls_at_run - polls_at_spawn;
        assert!(
            waited <= MAX_LOCAL_POLLS_AHEAD,
            "the remote task waited behind {waited} slow local polls"
        );
    }
    running.store(false, Ordering::Relaxed);
}
