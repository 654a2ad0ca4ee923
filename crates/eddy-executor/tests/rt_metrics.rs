//! `RuntimeMetrics` on the multi-thread runtime: counts that follow from what the test did.
#![cfg(all(feature = "multi-thread", not(loom)))]

use eddy_executor::runtime::{Builder, Runtime, RuntimeMetrics};
use eddy_executor::task;
use eddy_test_support::eventually;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

fn rt(workers: usize) -> Runtime {
    Builder::new_multi_thread()
        .worker_threads(workers)
        .build()
        .unwrap()
}

#[test]
fn counts_workers_spawns_and_alive_tasks() {
    let rt = rt(2);
    let metrics: RuntimeMetrics = rt.metrics();
    assert_eq!(metrics.num_workers(), 2);
    assert_eq!(metrics.spawned_tasks_count(), 0);
    let (release, gate) = mpsc::channel::<()>();
    let gate = Arc::new(std::sync::Mutex::new(gate));
    let handles: Vec<_> = (0..10)
        .map(|_| {
            let gate = gate.clone();
            rt.spawn(async move {
                task::block_in_place(|| gate.lock().unwrap().recv().unwrap());
            })
        })
        .collect();
    assert_eq!(metrics.spawned_tasks_count(), 10);
    assert_eq!(metrics.num_alive_tasks(), 10);
    for _ in 0..10 {
        release.send(()).unwrap();
    }
    rt.block_on(async {
        for handle in handles {
            handle.await.unwrap();
        }
    });
    eventually("every task left the runtime", || {
        metrics.num_alive_tasks() == 0
    });
    assert_eq!(rt.handle().metrics().spawned_tasks_count(), 10);
}

#[test]
fn global_queue_depth_counts_remote_spawns_while_the_worker_is_busy() {
    let rt = rt(1);
    let (entered, wait_entered) = mpsc::channel();
    let (release, wait_release) = mpsc::channel::<()>();
    let blocker = rt.spawn(async move {
        entered.send(()).unwrap();
        // Holds the only worker (no block_in_place: the core stays here).
        wait_release.recv().unwrap();
    });
    wait_entered.recv().unwrap();
    let queued: Vec<_> = (0..5).map(|i| rt.spawn(async move { i })).collect();
    assert_eq!(rt.metrics().global_queue_depth(), 5);
    release.send(()).unwrap();
    let sum = rt.block_on(async move {
        blocker.await.unwrap();
        let mut sum = 0;
        for handle in queued {
            sum += handle.await.unwrap();
        }
        sum
    });
    assert_eq!(sum, 10);
    assert_eq!(rt.metrics().global_queue_depth(), 0);
}

#[test]
fn an_idle_worker_steals_from_a_blocked_one() {
    let rt = rt(2);
    let done = Arc::new(AtomicUsize::new(0));
    let (finished, wait_finished) = mpsc::channel();
    rt.spawn({
        let done = done.clone();
        async move {
            for _ in 0..100 {
                let done = done.clone();
                task::spawn(async move {
                    done.fetch_add(1, Ordering::SeqCst);
                });
            }
            // Block this worker (keeping its core): the tasks in its queue can only run if the
            // other worker steals them. The last one sits in the LIFO slot, which is not
            // stealable, so wait for the 99 others.
            while done.load(Ordering::SeqCst) < 99 {
                std::thread::yield_now();
            }
            finished.send(()).unwrap();
        }
    });
    wait_finished.recv().unwrap();
    let metrics = rt.metrics();
    let stolen: u64 = (0..2)
        .map(|worker| metrics.worker_steal_count(worker))
        .sum();
    assert!(stolen >= 1, "no steal recorded");
    let operations: u64 = (0..2)
        .map(|worker| metrics.worker_steal_operations(worker))
        .sum();
    assert!(operations >= 1, "no steal operation recorded");
    assert!(
        stolen >= operations,
        "{stolen} tasks in {operations} steals"
    );
    let polls: u64 = (0..2).map(|worker| metrics.worker_poll_count(worker)).sum();
    assert!(polls >= 100);
}

#[test]
fn workers_park_and_record_busy_time() {
    let rt = rt(2);
    let metrics = rt.metrics();
    rt.block_on(async {
        let handles: Vec<_> = (0..1_000).map(|i| task::spawn(async move { i })).collect();
        for handle in handles {
            handle.await.unwrap();
        }
    });
    eventually("both workers parked", || {
        (0..2).all(|worker| metrics.worker_park_count(worker) > 0)
    });
    let busy: Duration = (0..2)
        .map(|worker| metrics.worker_total_busy_duration(worker))
        .sum();
    assert!(busy > Duration::ZERO);
}

#[test]
fn blocking_queue_depth_counts_waiting_blocking_tasks() {
    let rt = Builder::new_multi_thread()
        .worker_threads(1)
        .max_blocking_threads(1)
        .build()
        .unwrap();
    let (entered, wait_entered) = mpsc::channel();
    let (release, wait_release) = mpsc::channel::<()>();
    let first = rt.spawn_blocking(move || {
        entered.send(()).unwrap();
        wait_release.recv().unwrap();
    });
    wait_entered.recv().unwrap();
    let queued: Vec<_> = (0..3).map(|i| rt.spawn_blocking(move || i)).collect();
    assert_eq!(rt.metrics().blocking_queue_depth(), 3);
    release.send(()).unwrap();
    rt.block_on(async move {
        first.await.unwrap();
        for handle in queued {
            handle.await.unwrap();
        }
    });
    assert_eq!(rt.metrics().blocking_queue_depth(), 0);
}

#[test]
#[should_panic(expected = "out of range")]
fn worker_index_out_of_range_panics() {
    rt(1).metrics().worker_poll_count(1);
}
