//! The per-worker metrics of the multi-thread runtime: schedules, queue depth, overflows,
//! steals, parks, poll time and forced yields, under workloads the test controls.
#![cfg(all(feature = "multi-thread", not(loom)))]

use eddy_executor::runtime::{Builder, Runtime, RuntimeMetrics};
use eddy_executor::task;
use eddy_test_support::eventually;
use std::sync::mpsc;
use std::time::Duration;

fn rt(workers: usize) -> Runtime {
    Builder::new_multi_thread()
        .worker_threads(workers)
        .build()
        .unwrap()
}

fn total(metrics: &RuntimeMetrics, per_worker: impl Fn(usize) -> u64) -> u64 {
    (0..metrics.num_workers()).map(per_worker).sum()
}

#[test]
fn spawns_from_outside_are_remote_schedules() {
    let rt = rt(2);
    let handles: Vec<_> = (0..20).map(|i| rt.spawn(async move { i })).collect();
    assert!(rt.metrics().remote_schedule_count() >= 20);
    let sum = rt.block_on(async {
        let mut sum = 0;
        for handle in handles {
            sum += handle.await.unwrap();
        }
        sum
    });
    assert_eq!(sum, 190);
}

#[test]
fn spawns_from_a_worker_are_local_schedules() {
    let rt = rt(2);
    let remote_before = rt.metrics().remote_schedule_count();
    rt.block_on(rt.spawn(async {
        let children: Vec<_> = (0..10).map(|_| task::spawn(async {})).collect();
        for child in children {
            child.await.unwrap();
        }
    }))
    .unwrap();
    let metrics = rt.metrics();
    let local = total(&metrics, |worker| {
        metrics.worker_local_schedule_count(worker)
    });
    assert!(local >= 10, "{local} local schedules");
    // Only the parent came from outside.
    assert_eq!(metrics.remote_schedule_count() - remote_before, 1);
}

#[test]
fn local_queue_depth_is_visible_while_the_worker_is_blocked() {
    let rt = rt(1);
    let (blocked, wait_blocked) = mpsc::channel();
    let (release, wait_release) = mpsc::channel::<()>();
    let parent = rt.spawn(async move {
        let children: Vec<_> = (0..5).map(|_| task::spawn(async {})).collect();
        blocked.send(()).unwrap();
        // Holds the only worker (keeping its core): the children stay queued.
        wait_release.recv().unwrap();
        for child in children {
            child.await.unwrap();
        }
    });
    wait_blocked.recv().unwrap();
    // The newest child waits in the LIFO slot, the four others in the queue.
    assert_eq!(rt.metrics().worker_local_queue_depth(0), 4);
    release.send(()).unwrap();
    rt.block_on(parent).unwrap();
    assert_eq!(rt.metrics().worker_local_queue_depth(0), 0);
}

#[test]
fn a_full_local_queue_overflows_into_the_shared_queue() {
    let rt = rt(1);
    assert_eq!(rt.metrics().worker_overflow_count(0), 0);
    rt.block_on(rt.spawn(async {
        // More than the local queue holds (256), spawned without yielding.
        let children: Vec<_> = (0..600).map(|_| task::spawn(async {})).collect();
        for child in children {
            child.await.unwrap();
        }
    }))
    .unwrap();
    assert!(rt.metrics().worker_overflow_count(0) >= 1);
}

#[test]
fn an_idle_runtime_has_every_worker_asleep() {
    let rt = rt(2);
    rt.block_on(async {
        let handles: Vec<_> = (0..100).map(|i| task::spawn(async move { i })).collect();
        for handle in handles {
            handle.await.unwrap();
        }
    });
    let metrics = rt.metrics();
    // An odd park/unpark count means the worker is parked.
    eventually("every worker parked", || {
        (0..2).all(|worker| metrics.worker_park_unpark_count(worker) % 2 == 1)
    });
    for worker in 0..2 {
        let parks = metrics.worker_park_count(worker);
        assert_eq!(metrics.worker_park_unpark_count(worker), 2 * parks - 1);
        assert!(metrics.worker_noop_count(worker) < parks);
    }
}

#[test]
fn mean_poll_time_is_published_after_slow_polls() {
    let rt = rt(2);
    rt.block_on(rt.spawn(async {
        for _ in 0..3 {
            task::spawn(async { std::thread::sleep(Duration::from_millis(2)) })
                .await
                .unwrap();
        }
    }))
    .unwrap();
    let metrics = rt.metrics();
    eventually("a mean poll time is published", || {
        (0..2).any(|worker| metrics.worker_mean_poll_time(worker) > Duration::ZERO)
    });
}

#[test]
fn a_task_looping_on_ready_work_is_forced_to_yield() {
    let rt = rt(2);
    rt.block_on(rt.spawn(async {
        // Always ready: only the budget makes it yield.
        for _ in 0..1_000 {
            task::consume_budget().await;
        }
    }))
    .unwrap();
    let metrics = rt.metrics();
    eventually("forced yields are published", || {
        metrics.budget_forced_yield_count() > 0
    });
}

#[test]
#[should_panic(expected = "out of range")]
fn worker_index_out_of_range_panics() {
    rt(2).metrics().worker_mean_poll_time(2);
}
