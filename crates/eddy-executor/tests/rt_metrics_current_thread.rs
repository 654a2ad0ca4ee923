//! `RuntimeMetrics` on the current-thread runtime: one worker, whose counters follow from what
//! the test did.
#![cfg(not(loom))]

use eddy_executor::runtime::{Builder, Runtime};
use eddy_executor::task;
use eddy_test_support::eventually;
use std::sync::mpsc;
use std::time::Duration;

fn rt() -> Runtime {
    Builder::new_current_thread().build().unwrap()
}

#[test]
fn spawns_from_a_task_are_local_schedules_and_one_poll_each() {
    let rt = rt();
    rt.block_on(async {
        let handles: Vec<_> = (0..10).map(|i| task::spawn(async move { i })).collect();
        for handle in handles {
            handle.await.unwrap();
        }
    });
    let metrics = rt.metrics();
    assert_eq!(metrics.num_workers(), 1);
    assert_eq!(metrics.worker_local_schedule_count(0), 10);
    assert_eq!(metrics.worker_poll_count(0), 10);
    assert_eq!(metrics.remote_schedule_count(), 0);
    assert_eq!(metrics.worker_local_queue_depth(0), 0);
    assert_eq!(metrics.worker_steal_count(0), 0);
    assert_eq!(metrics.worker_steal_operations(0), 0);
    assert_eq!(metrics.worker_overflow_count(0), 0);
}

#[test]
fn spawns_from_another_thread_are_remote_schedules() {
    let rt = rt();
    let handle = rt.handle().clone();
    let spawned = std::thread::spawn(move || {
        (0..5)
            .map(|i| handle.spawn(async move { i }))
            .collect::<Vec<_>>()
    })
    .join()
    .unwrap();
    let metrics = rt.metrics();
    assert_eq!(metrics.remote_schedule_count(), 5);
    assert_eq!(metrics.global_queue_depth(), 5);
    let sum = rt.block_on(async {
        let mut sum = 0;
        for handle in spawned {
            sum += handle.await.unwrap();
        }
        sum
    });
    assert_eq!(sum, 10);
    assert_eq!(metrics.worker_local_schedule_count(0), 0);
    assert_eq!(metrics.worker_poll_count(0), 5);
}

#[test]
fn local_queue_depth_is_visible_while_the_thread_is_blocked() {
    let rt = rt();
    let metrics = rt.metrics();
    let (blocked, wait_blocked) = mpsc::channel();
    let (release, wait_release) = mpsc::channel::<()>();
    let driver = std::thread::spawn(move || {
        rt.block_on(async move {
            let children: Vec<_> = (0..3).map(|_| task::spawn(async {})).collect();
            blocked.send(()).unwrap();
            // Holds the runtime's only thread: the children stay queued.
            wait_release.recv().unwrap();
            for child in children {
                child.await.unwrap();
            }
        });
        rt
    });
    wait_blocked.recv().unwrap();
    assert_eq!(metrics.worker_local_queue_depth(0), 3);
    release.send(()).unwrap();
    let rt = driver.join().unwrap();
    assert_eq!(rt.metrics().worker_local_queue_depth(0), 0);
}

#[test]
fn parks_pair_with_unparks_and_a_wake_without_work_is_a_noop() {
    let rt = rt();
    let metrics = rt.metrics();
    let (first_tx, first_rx) = eddy_sync::oneshot::channel();
    let (second_tx, second_rx) = eddy_sync::oneshot::channel();
    let waker = {
        let metrics = metrics.clone();
        std::thread::spawn(move || {
            eventually("first park", || metrics.worker_park_count(0) >= 1);
            first_tx.send(()).unwrap();
            eventually("second park", || metrics.worker_park_count(0) >= 2);
            second_tx.send(()).unwrap();
        })
    };
    rt.block_on(async {
        first_rx.await.unwrap();
        second_rx.await.unwrap();
    });
    waker.join().unwrap();
    let parks = metrics.worker_park_count(0);
    assert!(parks >= 2);
    // Awake now: every park was followed by an unpark.
    assert_eq!(metrics.worker_park_unpark_count(0), 2 * parks);
    // Woken for the `block_on` future only, then parked again: no task was polled.
    assert!(metrics.worker_noop_count(0) >= 1);
    assert_eq!(metrics.worker_poll_count(0), 0);
}

#[test]
fn busy_time_and_mean_poll_time_cover_a_slow_poll() {
    let rt = rt();
    rt.block_on(async {
        task::spawn(async { std::thread::sleep(Duration::from_millis(5)) })
            .await
            .unwrap();
    });
    let metrics = rt.metrics();
    assert_eq!(metrics.worker_poll_count(0), 1);
    assert!(metrics.worker_total_busy_duration(0) > Duration::ZERO);
    assert!(metrics.worker_mean_poll_time(0) > Duration::ZERO);
}

#[test]
fn a_task_looping_on_ready_work_is_forced_to_yield() {
    let rt = rt();
    assert_eq!(rt.metrics().budget_forced_yield_count(), 0);
    rt.block_on(rt.spawn(async {
        // Always ready: only the budget makes it yield.
        for _ in 0..1_000 {
            task::consume_budget().await;
        }
    }))
    .unwrap();
    assert!(rt.metrics().budget_forced_yield_count() > 0);
}

#[test]
fn blocking_threads_are_counted_busy_then_idle() {
    let rt = rt();
    let metrics = rt.metrics();
    assert_eq!(metrics.num_blocking_threads(), 0);
    let (entered, wait_entered) = mpsc::channel();
    let (release, wait_release) = mpsc::channel::<()>();
    let blocking = rt.spawn_blocking(move || {
        entered.send(()).unwrap();
        wait_release.recv().unwrap();
    });
    wait_entered.recv().unwrap();
    assert_eq!(metrics.num_blocking_threads(), 1);
    assert_eq!(metrics.num_idle_blocking_threads(), 0);
    release.send(()).unwrap();
    rt.block_on(blocking).unwrap();
    // The thread stays for its keep-alive (10 s by default), waiting for work.
    eventually("the blocking thread is idle", || {
        metrics.num_idle_blocking_threads() == 1
    });
    assert_eq!(metrics.num_blocking_threads(), 1);
}

#[test]
fn the_poll_time_histogram_is_off_by_default() {
    let metrics = rt().metrics();
    assert!(!metrics.poll_time_histogram_enabled());
    assert_eq!(metrics.poll_time_histogram_num_buckets(), 0);
}

#[test]
#[should_panic(expected = "enable_metrics_poll_time_histogram")]
fn reading_a_disabled_histogram_panics() {
    rt().metrics().poll_time_histogram_bucket_count(0, 0);
}

#[test]
#[should_panic(expected = "out of range")]
fn a_second_worker_does_not_exist() {
    rt().metrics().worker_local_queue_depth(1);
}
