//! tokio-util's task tools on eddy: `TaskTracker`, `JoinMap`, `JoinQueue`, `AbortOnDropHandle`
//! and `LocalPoolHandle` (`!Send` tasks on a pool of `LocalRuntime` workers).

use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, ThreadId};
use std::time::Duration;
use tokio::sync::{oneshot, watch};
use tokio_util::task::{AbortOnDropHandle, JoinMap, JoinQueue, LocalPoolHandle, TaskTracker};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn task_tracker_waits_for_every_task_after_close() {
    let tracker = TaskTracker::new();
    let done = Arc::new(AtomicUsize::new(0));
    let (release, released) = watch::channel(false);
    for _ in 0..10 {
        let (done, mut released) = (done.clone(), released.clone());
        tracker.spawn(async move {
            released.wait_for(|released| *released).await.unwrap();
            done.fetch_add(1, Ordering::SeqCst);
        });
    }
    tracker.spawn_blocking({
        let done = done.clone();
        move || {
            done.fetch_add(1, Ordering::SeqCst);
        }
    });
    assert_eq!(tracker.len(), 11);
    // Open: `wait` would not complete even with every task done; close it first.
    assert!(tracker.close());
    let waiter = tokio::spawn({
        let tracker = tracker.clone();
        async move { tracker.wait().await }
    });
    while done.load(Ordering::SeqCst) < 1 {
        tokio::task::yield_now().await;
    }
    assert!(!waiter.is_finished());
    release.send(true).unwrap();
    waiter.await.unwrap();
    assert_eq!(done.load(Ordering::SeqCst), 11);
    assert!(tracker.is_empty());
}

#[tokio::test]
async fn task_tracker_tracks_futures_and_tokens() {
    let tracker = TaskTracker::new();
    let (tx, rx) = oneshot::channel::<()>();
    let tracked = tracker.track_future(async move { rx.await.unwrap() });
    let token = tracker.token();
    tracker.close();
    assert_eq!(tracker.len(), 2);
    let waiter = tokio::spawn({
        let tracker = tracker.clone();
        async move { tracker.wait().await }
    });
    tx.send(()).unwrap();
    tracked.await;
    tokio::task::yield_now().await;
    assert!(!waiter.is_finished(), "the token still counts");
    drop(token);
    waiter.await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn join_map_joins_by_key_and_aborts_by_key() {
    let mut map = JoinMap::new();
    for i in 0..5u64 {
        map.spawn(format!("sleeper {i}"), async move {
            tokio::time::sleep(Duration::from_millis(i)).await;
            i * 10
        });
    }
    map.spawn("forever".to_owned(), std::future::pending());
    assert!(map.contains_key("forever"));
    assert!(map.abort("forever"));
    let mut results = HashMap::new();
    let mut cancelled = Vec::new();
    while let Some((key, result)) = map.join_next().await {
        match result {
            Ok(value) => {
                results.insert(key, value);
            }
            Err(error) => {
                assert!(error.is_cancelled());
                cancelled.push(key);
            }
        }
    }
    assert_eq!(cancelled, ["forever"]);
    let expected: HashMap<_, _> = (0..5u64)
        .map(|i| (format!("sleeper {i}"), i * 10))
        .collect();
    assert_eq!(results, expected);
    assert!(map.is_empty());
}

#[tokio::test]
async fn join_map_replaces_a_task_under_the_same_key() {
    let mut map = JoinMap::new();
    map.spawn("key", std::future::pending::<&str>());
    // Spawning under a taken key aborts the old task, which the map then forgets.
    map.spawn("key", async { "second" });
    assert_eq!(map.len(), 1);
    let (key, result) = map.join_next().await.unwrap();
    assert_eq!((key, result.unwrap()), ("key", "second"));
    assert!(map.join_next().await.is_none());
}

#[tokio::test]
async fn join_queue_yields_results_in_spawn_order() {
    let mut queue = JoinQueue::new();
    let (first_tx, first_rx) = oneshot::channel();
    queue.spawn(async move { first_rx.await.unwrap() });
    queue.spawn(async { "second" });
    // The second task is done long before the first, but comes out after it.
    tokio::task::yield_now().await;
    first_tx.send("first").unwrap();
    let mut order = Vec::new();
    while let Some(result) = queue.join_next().await {
        order.push(result.unwrap());
    }
    assert_eq!(order, ["first", "second"]);
}

#[tokio::test]
async fn abort_on_drop_handle_cancels_the_task() {
    let (tx, rx) = oneshot::channel::<()>();
    let handle = AbortOnDropHandle::new(tokio::spawn(async move {
        let _tx = tx;
        std::future::pending::<()>().await;
    }));
    drop(handle);
    // The task was cancelled, so its sender is gone.
    assert!(rx.await.is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn local_pool_runs_each_task_on_the_worker_it_names() {
    let pool = LocalPoolHandle::new(3);
    assert_eq!(pool.num_threads(), 3);
    let mut threads_by_worker: HashMap<usize, HashSet<ThreadId>> = HashMap::new();
    for round in 0..4 {
        for worker in 0..3 {
            let on = pool
                .spawn_pinned_by_idx(
                    move || async move {
                        // `Rc` makes the future `!Send`: only a local runtime can run it.
                        let shared = Rc::new(round);
                        tokio::task::yield_now().await;
                        assert_eq!(*shared, round);
                        thread::current().id()
                    },
                    worker,
                )
                .await
                .unwrap();
            threads_by_worker.entry(worker).or_default().insert(on);
        }
    }
    // Each worker is one thread, and no two workers share one.
    let mut all: HashSet<ThreadId> = HashSet::new();
    for worker in 0..3 {
        let threads = &threads_by_worker[&worker];
        assert_eq!(threads.len(), 1, "worker {worker} ran on {threads:?}");
        all.extend(threads.iter().copied());
    }
    assert_eq!(all.len(), 3);
    assert!(!all.contains(&thread::current().id()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn local_pool_spreads_work_and_local_tasks_spawn_locally() {
    let pool = LocalPoolHandle::new(2);
    let seen = Arc::new(Mutex::new(HashSet::new()));
    let (open, gate) = watch::channel(false);
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let (seen, mut gate) = (seen.clone(), gate.clone());
            pool.spawn_pinned(move || async move {
                seen.lock().unwrap().insert(thread::current().id());
                // Inside the worker's `LocalRuntime`, `spawn_local` needs no `LocalSet`.
                let inner = tokio::task::spawn_local(async { Rc::new(5) });
                let value = *inner.await.unwrap();
                gate.wait_for(|open| *open).await.unwrap();
                value
            })
        })
        .collect();
    // The least-loaded choice puts the second task on the other worker.
    while seen.lock().unwrap().len() < 2 {
        tokio::task::yield_now().await;
    }
    assert_eq!(pool.get_task_loads_for_each_worker(), [1, 1]);
    open.send(true).unwrap();
    for handle in handles {
        assert_eq!(handle.await.unwrap(), 5);
    }
}

#[tokio::test]
async fn local_pool_propagates_a_panic_and_an_abort() {
    let pool = LocalPoolHandle::new(1);
    let panicked = pool
        .spawn_pinned(|| async { panic!("boom in a pinned task") })
        .await
        .unwrap_err();
    assert!(panicked.is_panic());
    let (tx, rx) = oneshot::channel::<()>();
    let pending = pool.spawn_pinned(move || async move {
        let _tx = tx;
        std::future::pending::<()>().await;
    });
    tokio::task::yield_now().await;
    pending.abort();
    assert!(pending.await.unwrap_err().is_cancelled());
    // The pinned task was aborted too: its sender was dropped on the worker.
    assert!(rx.await.is_err());
}

/// tokio-util's `spawn_local` methods reach a `LocalRuntime` with no `LocalSet` around them.
#[test]
fn tracker_and_join_map_spawn_local_tasks_on_a_local_runtime() {
    use std::cell::RefCell;
    use tokio::runtime::{Builder, LocalOptions};
    let runtime = Builder::new_current_thread()
        .enable_all()
        .build_local(LocalOptions::default())
        .unwrap();
    let log = Rc::new(RefCell::new(Vec::new()));
    runtime.block_on(async {
        let tracker = TaskTracker::new();
        let mut map = JoinMap::new();
        for i in 0..3 {
            let log = log.clone();
            tracker.spawn_local(async move {
                tokio::task::yield_now().await;
                log.borrow_mut().push(i);
            });
            let not_send = Rc::new(i * 10);
            map.spawn_local(i, async move { *not_send });
        }
        tracker.close();
        tracker.wait().await;
        let mut joined = Vec::new();
        while let Some((key, value)) = map.join_next().await {
            joined.push((key, value.unwrap()));
        }
        joined.sort_unstable();
        assert_eq!(joined, [(0, 0), (1, 10), (2, 20)]);
    });
    let mut log = log.borrow().clone();
    log.sort_unstable();
    assert_eq!(log, [0, 1, 2]);
}
