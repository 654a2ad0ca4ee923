//! Loom models of the blocking pool's hand-off: a task submitted while the pool's only thread
//! finishes its previous task, waits idle, or exits at the end of its keep-alive is run exactly
//! once, by that thread or by a new one, and every pool thread exits at shutdown.
#![cfg(loom)]

use eddy_executor::runtime::{Builder, Runtime};
use std::time::Duration;

/// A current-thread runtime whose blocking pool has one thread, kept alive for `keep_alive`.
fn runtime(keep_alive: Duration) -> Runtime {
    Builder::new_current_thread()
        .max_blocking_threads(1)
        .thread_keep_alive(keep_alive)
        .build()
        .unwrap()
}

#[test]
fn a_task_submitted_while_the_thread_is_busy_runs_once() {
    loom::model(|| {
        let rt = runtime(Duration::from_secs(60));
        let first = rt.spawn_blocking(|| 1);
        let second = rt.spawn_blocking(|| 2);
        let sum = rt.block_on(async { first.await.unwrap() + second.await.unwrap() });
        assert_eq!(sum, 3);
    });
}

#[test]
fn an_idle_thread_takes_the_next_task() {
    loom::model(|| {
        let rt = runtime(Duration::from_secs(60));
        assert_eq!(rt.block_on(rt.spawn_blocking(|| 1)).unwrap(), 1);
        // The thread is now idle (or about to be): the hand-off wakes it, or it finds the task.
        assert_eq!(rt.block_on(rt.spawn_blocking(|| 2)).unwrap(), 2);
    });
}

#[test]
fn a_task_submitted_as_the_thread_exits_runs_once() {
    loom::model(|| {
        // No keep-alive: the thread exits as soon as its queue is empty.
        let rt = runtime(Duration::ZERO);
        assert_eq!(rt.block_on(rt.spawn_blocking(|| 1)).unwrap(), 1);
        assert_eq!(rt.block_on(rt.spawn_blocking(|| 2)).unwrap(), 2);
    });
}
