//! Blocking calls of other crates (`blocking_recv`) on threads that drive tasks: they panic
//! inside `block_on` of both flavors and on worker threads, and work on blocking-pool threads
//! and inside `block_in_place`.
#![cfg(not(loom))]

use eddy_executor::runtime::{Builder, Runtime};
use eddy_executor::task;
use eddy_sync::mpsc;
use eddy_test_support::panic_message;
use std::panic::{self, AssertUnwindSafe};

const MESSAGE: &str = "Cannot block the current thread from within a runtime";

fn current_thread() -> Runtime {
    Builder::new_current_thread().build().unwrap()
}

#[cfg(feature = "multi-thread")]
fn multi_thread() -> Runtime {
    Builder::new_multi_thread()
        .worker_threads(1)
        .build()
        .unwrap()
}

/// Runs `blocking_recv` inside `rt.block_on` and returns the panic it raised.
fn blocking_recv_in_block_on(rt: &Runtime) -> String {
    let (tx, mut rx) = mpsc::channel::<u32>(1);
    tx.try_send(7).unwrap();
    let payload = panic::catch_unwind(AssertUnwindSafe(|| {
        rt.block_on(async { rx.blocking_recv() })
    }))
    .expect_err("blocking_recv inside block_on must panic");
    panic_message(&*payload)
}

#[test]
fn blocking_recv_in_current_thread_block_on_panics() {
    let rt = current_thread();
    assert!(blocking_recv_in_block_on(&rt).contains(MESSAGE));
    // The mark is gone once `block_on` returned (also after the panic).
    let (tx, mut rx) = mpsc::channel::<u32>(1);
    tx.try_send(1).unwrap();
    assert_eq!(rx.blocking_recv(), Some(1));
}

#[test]
#[cfg(feature = "multi-thread")]
fn blocking_recv_in_multi_thread_block_on_panics() {
    let rt = multi_thread();
    assert!(blocking_recv_in_block_on(&rt).contains(MESSAGE));
    let (tx, mut rx) = mpsc::channel::<u32>(1);
    tx.try_send(1).unwrap();
    assert_eq!(rx.blocking_recv(), Some(1));
}

#[test]
fn blocking_recv_in_handle_block_on_panics() {
    let rt = current_thread();
    let handle = rt.handle().clone();
    let (tx, mut rx) = mpsc::channel::<u32>(1);
    tx.try_send(7).unwrap();
    let payload = panic::catch_unwind(AssertUnwindSafe(|| {
        handle.block_on(async { rx.blocking_recv() })
    }))
    .expect_err("blocking_recv inside Handle::block_on must panic");
    assert!(panic_message(&*payload).contains(MESSAGE));
}

#[test]
#[cfg(feature = "multi-thread")]
fn blocking_recv_in_worker_task_panics() {
    let rt = multi_thread();
    let (tx, mut rx) = mpsc::channel::<u32>(1);
    tx.try_send(7).unwrap();
    let error = rt
        .block_on(rt.spawn(async move { rx.blocking_recv() }))
        .expect_err("blocking_recv on a worker thread must panic");
    assert!(error.is_panic());
    assert!(panic_message(&*error.into_panic()).contains(MESSAGE));
}

#[test]
fn blocking_recv_in_spawn_blocking_works() {
    let runtimes = vec![
        current_thread(),
        #[cfg(feature = "multi-thread")]
        multi_thread(),
    ];
    for rt in runtimes {
        let (tx, mut rx) = mpsc::channel::<u32>(1);
        let received = rt.block_on(async move {
            let receiver = task::spawn_blocking(move || rx.blocking_recv());
            tx.send(5).await.unwrap();
            receiver.await.unwrap()
        });
        assert_eq!(received, Some(5));
    }
}

#[test]
#[cfg(feature = "multi-thread")]
fn blocking_recv_in_block_in_place_works() {
    let rt = multi_thread();
    let (tx, mut rx) = mpsc::channel::<u32>(1);
    let received = rt.block_on(async move {
        let sender = task::spawn(async move { tx.send(9).await.unwrap() });
        let received = task::block_in_place(|| rx.blocking_recv());
        sender.await.unwrap();
        received
    });
    assert_eq!(received, Some(9));
}

#[test]
#[cfg(feature = "multi-thread")]
fn blocking_recv_in_block_in_place_on_a_worker_works() {
    let rt = multi_thread();
    let (tx, mut rx) = mpsc::channel::<u32>(1);
    let received = rt.block_on(async move {
        let receiver = task::spawn(async move { task::block_in_place(|| rx.blocking_recv()) });
        tx.send(3).await.unwrap();
        receiver.await.unwrap()
    });
    assert_eq!(received, Some(3));
}
