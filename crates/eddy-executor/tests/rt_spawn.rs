//! Spawning tasks on the current-thread runtime: results, abort, panics, detaching, ids.
#![cfg(not(loom))]

use eddy_executor::runtime::{Builder, Runtime};
use eddy_executor::task::{self, JoinError};
use eddy_test_support::future::Gate;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

/// Fewer under miri, which is slow.
const TASKS: u64 = if cfg!(miri) { 200 } else { 10_000 };

fn rt() -> Runtime {
    Builder::new_current_thread().enable_all().build().unwrap()
}

/// Sets its flag when dropped.
struct DropFlag(Arc<AtomicBool>);

impl Drop for DropFlag {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

#[test]
fn spawn_ten_thousand_tasks_and_join_them() {
    let rt = rt();
    let sum = rt.block_on(async {
        let handles: Vec<_> = (0..TASKS)
            .map(|i| eddy_executor::spawn(async move { i }))
            .collect();
        let mut sum = 0;
        for handle in handles {
            sum += handle.await.unwrap();
        }
        sum
    });
    assert_eq!(sum, (0..TASKS).sum::<u64>());
}

#[test]
fn runtime_spawn_outside_block_on_runs_once_driven() {
    let rt = rt();
    let handle = rt.spawn(async { 7 });
    assert_eq!(rt.block_on(handle).unwrap(), 7);
}

#[test]
fn tasks_waking_each_other() {
    let rt = rt();
    let gate = Gate::default();
    let waiter = {
        let gate = gate.clone();
        rt.spawn(async move {
            gate.await;
            "woken"
        })
    };
    let firer = rt.spawn(async move {
        task::yield_now().await;
        gate.open();
    });
    rt.block_on(async {
        firer.await.unwrap();
        assert_eq!(waiter.await.unwrap(), "woken");
    });
}

#[test]
fn abort_before_first_poll() {
    let rt = rt();
    let dropped = Arc::new(AtomicBool::new(false));
    let flag = DropFlag(dropped.clone());
    let ran = Arc::new(AtomicBool::new(false));
    let ran2 = ran.clone();
    let handle = rt.spawn(async move {
        let _flag = flag;
        ran2.store(true, Ordering::SeqCst);
    });
    handle.abort();
    let error = rt.block_on(handle).unwrap_err();
    assert!(error.is_cancelled());
    assert!(!error.is_panic());
    assert!(!ran.load(Ordering::SeqCst));
    assert!(dropped.load(Ordering::SeqCst));
}

#[test]
fn abort_while_pending() {
    let rt = rt();
    let dropped = Arc::new(AtomicBool::new(false));
    let flag = DropFlag(dropped.clone());
    let gate = Gate::default();
    let handle = rt.spawn(async move {
        let _flag = flag;
        gate.await;
    });
    rt.block_on(async {
        task::yield_now().await;
        assert!(!handle.is_finished());
        handle.abort();
        let error = handle.await.unwrap_err();
        assert!(error.is_cancelled());
    });
    assert!(dropped.load(Ordering::SeqCst));
}

#[test]
fn abort_from_inside_the_running_task() {
    let rt = rt();
    let slot: Arc<Mutex<Option<task::AbortHandle>>> = Arc::default();
    let slot2 = slot.clone();
    let gate = Gate::default();
    let gate2 = gate.clone();
    let handle = rt.spawn(async move {
        // Wait until the abort handle is in the slot, then abort ourselves while running.
        gate2.await;
        let abort = slot2.lock().unwrap().take().unwrap();
        abort.abort();
        task::yield_now().await;
        unreachable!("an aborted task is not polled again");
    });
    *slot.lock().unwrap() = Some(handle.abort_handle());
    gate.open();
    let error = rt.block_on(handle).unwrap_err();
    assert!(error.is_cancelled());
}

#[test]
fn abort_after_completion_keeps_the_output() {
    let rt = rt();
    let handle = rt.spawn(async { 5 });
    rt.block_on(async {
        while !handle.is_finished() {
            task::yield_now().await;
        }
    });
    handle.abort();
    assert_eq!(rt.block_on(handle).unwrap(), 5);
}

#[test]
fn abort_handle_is_cloneable_and_reports_the_task() {
    let rt = rt();
    let handle = rt.spawn(Gate::default());
    let abort = handle.abort_handle();
    let abort2 = abort.clone();
    assert_eq!(abort.id(), handle.id());
    assert!(!abort2.is_finished());
    abort2.abort();
    let error = rt.block_on(handle).unwrap_err();
    assert!(error.is_cancelled());
    assert!(abort.is_finished());
}

#[test]
fn panicking_task_does_not_take_the_runtime_down() {
    let rt = rt();
    let handle = rt.spawn(async {
        panic!("boom");
    });
    let error = rt.block_on(handle).unwrap_err();
    assert!(error.is_panic());
    let id = error.id();
    assert_eq!(
        error.to_string(),
        format!("task {id} panicked with message \"boom\"")
    );
    assert_eq!(
        format!("{error:?}"),
        format!("JoinError::Panic(Id({id}), \"boom\", ...)")
    );
    let payload = error.into_panic();
    assert_eq!(*payload.downcast::<&str>().unwrap(), "boom");
    // The runtime still works.
    assert_eq!(rt.block_on(rt.spawn(async { 1 })).unwrap(), 1);
}

#[test]
fn panic_with_a_formatted_message() {
    let rt = rt();
    let error = rt
        .block_on(rt.spawn(async {
            let n = 3;
            panic!("failed {n} times");
        }))
        .unwrap_err();
    assert!(error
        .to_string()
        .ends_with("panicked with message \"failed 3 times\""));
}

#[test]
fn cancelled_error_display() {
    let rt = rt();
    let handle = rt.spawn(async {});
    let id = handle.id();
    handle.abort();
    let error = rt.block_on(handle).unwrap_err();
    assert_eq!(error.to_string(), format!("task {id} was cancelled"));
    assert_eq!(
        format!("{error:?}"),
        format!("JoinError::Cancelled(Id({id}))")
    );
    let error = error.try_into_panic().unwrap_err();
    assert_eq!(error.id(), id);
    let io: std::io::Error = error.into();
    assert_eq!(io.kind(), std::io::ErrorKind::Other);
}

#[test]
fn dropping_the_handle_detaches_the_task() {
    let rt = rt();
    let done = Arc::new(AtomicBool::new(false));
    let done2 = done.clone();
    let gate = Gate::default();
    let gate2 = gate.clone();
    drop(rt.spawn(async move {
        gate2.await;
        done2.store(true, Ordering::SeqCst);
    }));
    rt.block_on(async move {
        task::yield_now().await;
        gate.open();
        while !done.load(Ordering::SeqCst) {
            task::yield_now().await;
        }
    });
}

#[test]
fn output_of_a_detached_task_is_dropped() {
    let rt = rt();
    let dropped = Arc::new(AtomicBool::new(false));
    let output = DropFlag(dropped.clone());
    let handle = rt.spawn(async move { output });
    let abort = handle.abort_handle();
    drop(handle);
    rt.block_on(async {
        while !abort.is_finished() {
            task::yield_now().await;
        }
    });
    assert!(dropped.load(Ordering::SeqCst));
}

#[test]
fn task_ids_are_unique_and_visible_inside() {
    let rt = rt();
    assert!(task::try_id().is_none());
    let handles: Vec<_> = (0..10).map(|_| rt.spawn(async { task::id() })).collect();
    let expected: Vec<_> = handles.iter().map(|handle| handle.id()).collect();
    let seen: Vec<_> = rt.block_on(async {
        let mut seen = Vec::new();
        for handle in handles {
            seen.push(handle.await.unwrap());
        }
        seen
    });
    assert_eq!(seen, expected);
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 10);
    // `block_on`'s own future is not a task.
    assert!(rt.block_on(async { task::try_id() }).is_none());
}

#[test]
fn join_error_is_send_and_sync() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<JoinError>();
    assert_send_sync::<task::JoinHandle<u8>>();
    assert_send_sync::<task::AbortHandle>();
    assert_send_sync::<Runtime>();
    assert_send_sync::<eddy_executor::runtime::Handle>();
}

#[test]
fn yield_now_lets_other_tasks_run() {
    let rt = rt();
    let counter = Arc::new(AtomicUsize::new(0));
    let order = Arc::new(Mutex::new(Vec::new()));
    let handles: Vec<_> = (0..3)
        .map(|n| {
            let order = order.clone();
            let counter = counter.clone();
            rt.spawn(async move {
                for round in 0..3 {
                    order.lock().unwrap().push((round, n));
                    counter.fetch_add(1, Ordering::SeqCst);
                    task::yield_now().await;
                }
            })
        })
        .collect();
    rt.block_on(async {
        for handle in handles {
            handle.await.unwrap();
        }
    });
    let order = order.lock().unwrap();
    // Round-robin: every task does round r before any does round r + 1.
    let rounds: Vec<_> = order.iter().map(|(round, _)| *round).collect();
    assert_eq!(rounds, vec![0, 0, 0, 1, 1, 1, 2, 2, 2]);
}

#[test]
fn unconstrained_runs_the_future() {
    let rt = rt();
    let value = rt.block_on(rt.spawn(task::unconstrained(async {
        for _ in 0..1_000 {
            task::consume_budget().await;
        }
        9
    })));
    assert_eq!(value.unwrap(), 9);
}

#[test]
fn a_task_that_panics_is_dropped_while_the_panic_unwinds() {
    struct PanicsWhenPolled(std::sync::mpsc::Sender<bool>);
    impl Future for PanicsWhenPolled {
        type Output = ();
        fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<()> {
            panic!("polled");
        }
    }
    impl Drop for PanicsWhenPolled {
        fn drop(&mut self) {
            let _ = self.0.send(std::thread::panicking());
        }
    }
    let rt = rt();
    let (tx, rx) = std::sync::mpsc::channel();
    let error = rt.block_on(rt.spawn(PanicsWhenPolled(tx))).unwrap_err();
    assert!(error.is_panic());
    assert!(
        rx.recv().unwrap(),
        "the future was dropped after the panic was caught"
    );
}
