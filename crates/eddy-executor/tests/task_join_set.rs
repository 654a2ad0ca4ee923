//! `task::JoinSet`: joining in completion order, ids, aborting, dropping, detaching, the
//! spawn variants, on both runtime flavors.
#![cfg(not(loom))]

mod support;

use eddy_executor::runtime::Builder;
use eddy_executor::task::{self, JoinSet, LocalSet};
use eddy_test_support::DropCount;
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use support::runtimes;

/// Yields until `counter` reaches `target`.
async fn wait_for(counter: &AtomicUsize, target: usize) {
    while counter.load(Ordering::SeqCst) < target {
        task::yield_now().await;
    }
}

#[test]
fn hundred_tasks_all_results_collected() {
    for rt in runtimes() {
        let mut results = rt.block_on(async {
            let mut set = JoinSet::new();
            for i in 0..100u32 {
                set.spawn(async move {
                    for _ in 0..(i % 7) {
                        task::yield_now().await;
                    }
                    i
                });
            }
            assert_eq!(set.len(), 100);
            let mut results = Vec::new();
            while let Some(result) = set.join_next().await {
                results.push(result.unwrap());
            }
            assert!(set.is_empty());
            results
        });
        results.sort_unstable();
        assert_eq!(results, (0..100).collect::<Vec<_>>());
    }
}

#[test]
fn slots_are_reused_across_many_rounds() {
    for rt in runtimes() {
        let total = rt.block_on(async {
            let mut set = JoinSet::new();
            let mut total = 0u64;
            for round in 0..50u64 {
                set.spawn(async move { round });
                set.spawn(async move { round * 1000 });
                total += set.join_next().await.unwrap().unwrap();
            }
            while let Some(result) = set.join_next().await {
                total += result.unwrap();
            }
            total
        });
        assert_eq!(total, (0..50u64).map(|r| r + r * 1000).sum::<u64>());
    }
}

#[test]
fn join_next_with_id_matches_spawn_ids() {
    for rt in runtimes() {
        rt.block_on(async {
            let mut set = JoinSet::new();
            let mut expected = HashMap::new();
            for i in 0..20u32 {
                let abort = set.spawn(async move { i });
                expected.insert(abort.id(), i);
            }
            while let Some(result) = set.join_next_with_id().await {
                let (id, value) = result.unwrap();
                assert_eq!(expected.remove(&id), Some(value));
            }
            assert!(expected.is_empty());
        });
    }
}

#[test]
fn abort_all_then_join_next_returns_cancelled_errors() {
    for rt in runtimes() {
        rt.block_on(async {
            let mut set = JoinSet::<()>::new();
            let mut ids = Vec::new();
            for _ in 0..10 {
                ids.push(set.spawn(std::future::pending()).id());
            }
            set.abort_all();
            let mut cancelled = Vec::new();
            while let Some(result) = set.join_next().await {
                let error = result.unwrap_err();
                assert!(error.is_cancelled());
                cancelled.push(error.id());
            }
            cancelled.sort();
            ids.sort();
            assert_eq!(cancelled, ids);
            assert!(set.join_next().await.is_none());
        });
    }
}

#[test]
fn dropping_the_set_aborts_every_task() {
    for rt in runtimes() {
        let dropped = Arc::new(AtomicUsize::new(0));
        rt.block_on(async {
            let mut set = JoinSet::<()>::new();
            for _ in 0..16 {
                let counter = DropCount(dropped.clone());
                set.spawn(async move {
                    let _counter = counter;
                    std::future::pending::<()>().await
                });
            }
            task::yield_now().await;
            drop(set);
            wait_for(&dropped, 16).await;
        });
        assert_eq!(dropped.load(Ordering::SeqCst), 16);
    }
}

#[test]
fn shutdown_aborts_and_waits() {
    for rt in runtimes() {
        let dropped = Arc::new(AtomicUsize::new(0));
        rt.block_on(async {
            let mut set = JoinSet::<()>::new();
            for _ in 0..8 {
                let counter = DropCount(dropped.clone());
                set.spawn(async move {
                    let _counter = counter;
                    std::future::pending::<()>().await
                });
            }
            set.shutdown().await;
            assert!(set.is_empty());
            // Every task has stopped, so every future was dropped.
            assert_eq!(dropped.load(Ordering::SeqCst), 8);
        });
    }
}

#[test]
fn detach_all_keeps_tasks_running() {
    for rt in runtimes() {
        let (tx, rx) = mpsc::channel();
        rt.block_on(async {
            let mut set = JoinSet::new();
            for i in 0..5 {
                let tx = tx.clone();
                set.spawn(async move {
                    task::yield_now().await;
                    tx.send(i).unwrap();
                });
            }
            set.detach_all();
            assert!(set.is_empty());
            assert!(set.join_next().await.is_none());
            drop(set);
            // Dropping an emptied set aborts nothing: every detached task still reports.
            let mut sent = Vec::new();
            while sent.len() < 5 {
                match rx.try_recv() {
                    Ok(i) => sent.push(i),
                    Err(_) => task::yield_now().await,
                }
            }
            sent.sort_unstable();
            assert_eq!(sent, [0, 1, 2, 3, 4]);
        });
    }
}

#[test]
fn try_join_next_only_returns_finished_tasks() {
    let rt = Builder::new_current_thread().build().unwrap();
    rt.block_on(async {
        let mut set = JoinSet::new();
        set.spawn(async { 1 });
        set.spawn(async { 2 });
        // On the current-thread runtime nothing ran yet.
        assert!(set.try_join_next().is_none());
        let mut seen = Vec::new();
        while seen.len() < 2 {
            match set.try_join_next_with_id() {
                Some(result) => seen.push(result.unwrap().1),
                None => task::yield_now().await,
            }
        }
        seen.sort_unstable();
        assert_eq!(seen, [1, 2]);
        assert!(set.try_join_next().is_none());
    });
}

#[test]
fn from_iterator_extend_and_join_all() {
    for rt in runtimes() {
        let outputs = rt.block_on(async {
            let mut set: JoinSet<u32> = (0..10).map(|i| async move { i }).collect();
            set.extend((10..20).map(|i| async move { i }));
            assert_eq!(set.len(), 20);
            set.join_all().await
        });
        let mut outputs = outputs;
        outputs.sort_unstable();
        assert_eq!(outputs, (0..20).collect::<Vec<_>>());
    }
}

#[test]
fn join_all_resumes_a_task_panic() {
    let rt = Builder::new_current_thread().build().unwrap();
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        rt.block_on(async {
            let mut set = JoinSet::new();
            set.spawn(async { panic!("boom in task") });
            set.join_all().await
        })
    }));
    let payload = caught.unwrap_err();
    assert_eq!(payload.downcast_ref::<&str>(), Some(&"boom in task"));
}

#[test]
fn panics_are_join_errors() {
    for rt in runtimes() {
        rt.block_on(async {
            let mut set = JoinSet::<()>::new();
            set.spawn(async { panic!("task failed") });
            assert!(set.join_next().await.unwrap().unwrap_err().is_panic());
        });
    }
}

#[test]
fn spawn_on_blocking_and_blocking_on() {
    for rt in runtimes() {
        let mut set = JoinSet::new();
        // Outside the runtime: the handle picks it.
        set.spawn_on(async { 1 }, rt.handle());
        set.spawn_blocking_on(|| 2, rt.handle());
        let total = rt.block_on(async move {
            set.spawn_blocking(|| 3);
            let mut total = 0;
            while let Some(result) = set.join_next().await {
                total += result.unwrap();
            }
            total
        });
        assert_eq!(total, 6);
    }
}

#[test]
fn abort_handle_from_spawn_cancels_one_task() {
    for rt in runtimes() {
        rt.block_on(async {
            let mut set = JoinSet::new();
            let stuck = set.spawn(async {
                std::future::pending::<()>().await;
                0
            });
            set.spawn(async { 7 });
            stuck.abort();
            let mut ok = 0;
            let mut cancelled = 0;
            while let Some(result) = set.join_next().await {
                match result {
                    Ok(value) => ok += value,
                    Err(error) => {
                        assert!(error.is_cancelled());
                        assert_eq!(error.id(), stuck.id());
                        cancelled += 1;
                    }
                }
            }
            assert_eq!((ok, cancelled), (7, 1));
        });
    }
}

#[test]
fn local_tasks_in_a_join_set() {
    for rt in runtimes() {
        let local = LocalSet::new();
        let total = local.block_on(&rt, async {
            let shared = std::rc::Rc::new(std::cell::Cell::new(0));
            let mut set = JoinSet::new();
            for i in 1..=4 {
                let shared = shared.clone();
                set.spawn_local(async move {
                    shared.set(shared.get() + i);
                    i
                });
            }
            let mut total = 0;
            while let Some(result) = set.join_next().await {
                total += result.unwrap();
            }
            assert_eq!(shared.get(), 10);
            total
        });
        assert_eq!(total, 10);
        let mut set = JoinSet::new();
        set.spawn_local_on(async { 5 }, &local);
        let five = local.block_on(&rt, async move { set.join_next().await.unwrap().unwrap() });
        assert_eq!(five, 5);
    }
}

#[test]
fn repeated_rounds_lose_no_completion() {
    for rt in runtimes() {
        rt.block_on(async {
            for round in 0..20u64 {
                let mut set = JoinSet::new();
                for i in 0..200u64 {
                    set.spawn(async move {
                        if i % 3 == 0 {
                            task::yield_now().await;
                        }
                        i + round
                    });
                }
                let mut sum = 0;
                while let Some(result) = set.join_next().await {
                    sum += result.unwrap();
                }
                assert_eq!(sum, (0..200u64).sum::<u64>() + 200 * round);
            }
        });
    }
}

#[test]
fn a_replaced_waker_is_dropped_outside_the_sets_lock() {
    use std::task::{Context, Wake, Waker};

    /// Drives its runtime when dropped: the set's task completes and reports to the set.
    struct DriveOnDrop(eddy_executor::runtime::Runtime);
    impl Wake for DriveOnDrop {
        fn wake(self: Arc<Self>) {}
    }
    impl Drop for DriveOnDrop {
        fn drop(&mut self) {
            self.0.block_on(task::yield_now());
        }
    }

    let rt = Builder::new_current_thread().build().unwrap();
    let mut set = JoinSet::new();
    set.spawn_on(async { 42 }, rt.handle());
    let waker = Waker::from(Arc::new(DriveOnDrop(rt)));
    assert!(set
        .poll_join_next(&mut Context::from_waker(&waker))
        .is_pending());
    drop(waker);
    // Replacing the waker drops the last reference to the runtime-driving one.
    assert!(set
        .poll_join_next(&mut Context::from_waker(Waker::noop()))
        .is_pending());
    assert_eq!(set.try_join_next().unwrap().unwrap(), 42);
}

#[test]
fn a_waker_whose_clone_panics_leaves_the_set_usable() {
    use eddy_test_support::waker::{hooked, PanicOnClone};
    use std::panic::{catch_unwind, AssertUnwindSafe};
    use std::sync::atomic::AtomicBool;
    use std::task::Context;

    let rt = Builder::new_current_thread().build().unwrap();
    let release = Arc::new(AtomicBool::new(false));
    let mut set = JoinSet::new();
    let released = release.clone();
    set.spawn_on(
        async move {
            while !released.load(Ordering::SeqCst) {
                task::yield_now().await;
            }
            7
        },
        rt.handle(),
    );
    let panicking = hooked(Arc::new(PanicOnClone));
    // Registering the waiter clones its waker, which panics.
    let polled = catch_unwind(AssertUnwindSafe(|| {
        set.poll_join_next(&mut Context::from_waker(&panicking))
    }));
    assert!(polled.is_err());
    release.store(true, Ordering::SeqCst);
    assert_eq!(rt.block_on(set.join_next()).unwrap().unwrap(), 7);
}
