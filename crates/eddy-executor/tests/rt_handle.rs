//! `runtime::Handle`: spawning from other threads, finding the current runtime, entering it and
//! `block_on` from outside.
#![cfg(not(loom))]

use eddy_executor::runtime::{Builder, Handle, Runtime, RuntimeFlavor};
use eddy_executor::task;
use std::sync::mpsc;
use std::sync::Arc;
use std::thread;

fn rt() -> Runtime {
    Builder::new_current_thread().build().unwrap()
}

#[test]
fn spawn_from_another_thread_wakes_the_runtime() {
    let rt = rt();
    let handle = rt.handle().clone();
    let (tx, rx) = mpsc::channel();
    let spawner = thread::spawn(move || {
        let join = handle.spawn(async { thread::current().id() });
        tx.send(join).unwrap();
    });
    let value = rt.block_on(async {
        // Wait (without blocking the runtime) for the other thread's task handle.
        loop {
            if let Ok(join) = rx.try_recv() {
                break join.await.unwrap();
            }
            task::yield_now().await;
        }
    });
    // The task ran here, on the runtime's thread.
    assert_eq!(value, thread::current().id());
    spawner.join().unwrap();
}

#[test]
fn remote_spawns_while_parked() {
    let rt = rt();
    let handle = rt.handle().clone();
    let results = rt.block_on(async move {
        let spawner = thread::spawn(move || {
            (0..100)
                .map(|i| handle.spawn(async move { i * 2 }))
                .collect::<Vec<_>>()
        });
        // The runtime thread has nothing else to do and parks while the other thread spawns.
        let joins = task::spawn_blocking(move || spawner.join().unwrap())
            .await
            .unwrap();
        let mut results = Vec::new();
        for join in joins {
            results.push(join.await.unwrap());
        }
        results
    });
    assert_eq!(results, (0..100).map(|i| i * 2).collect::<Vec<_>>());
}

#[test]
fn waker_from_another_thread() {
    let rt = rt();
    let (tx, rx) = std::sync::mpsc::channel::<std::task::Waker>();
    let flag = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag2 = flag.clone();
    let waker_thread = thread::spawn(move || {
        let waker = rx.recv().unwrap();
        flag2.store(true, std::sync::atomic::Ordering::SeqCst);
        waker.wake();
    });
    let join = rt.spawn(std::future::poll_fn(move |cx| {
        if flag.load(std::sync::atomic::Ordering::SeqCst) {
            std::task::Poll::Ready("woken remotely")
        } else {
            let _ = tx.send(cx.waker().clone());
            std::task::Poll::Pending
        }
    }));
    assert_eq!(rt.block_on(join).unwrap(), "woken remotely");
    waker_thread.join().unwrap();
}

#[test]
fn current_and_try_current() {
    assert!(Handle::try_current().unwrap_err().is_missing_context());
    let rt = rt();
    rt.block_on(async {
        let handle = Handle::current();
        assert_eq!(handle.runtime_flavor(), RuntimeFlavor::CurrentThread);
        assert_eq!(handle.spawn(async { 4 }).await.unwrap(), 4);
        assert!(Handle::try_current().is_ok());
    });
    assert!(Handle::try_current().is_err());
}

#[test]
fn error_message_outside_a_runtime() {
    let error = Handle::try_current().unwrap_err();
    assert_eq!(
        error.to_string(),
        "there is no reactor running, must be called from the context of an eddy runtime"
    );
    assert!(!error.is_thread_local_destroyed());
}

#[test]
fn enter_makes_spawn_work_outside_block_on() {
    let rt = rt();
    let join = {
        let _guard = rt.enter();
        assert!(Handle::try_current().is_ok());
        eddy_executor::spawn(async { "entered" })
    };
    assert!(Handle::try_current().is_err());
    assert_eq!(rt.block_on(join).unwrap(), "entered");
}

#[test]
fn enter_nests_and_restores() {
    let first = rt();
    let second = rt();
    let _outer = first.enter();
    let outer_task = eddy_executor::spawn(async {});
    {
        let _inner = second.handle().enter();
        let inner_task = eddy_executor::spawn(async { 2 });
        assert_eq!(second.block_on(inner_task).unwrap(), 2);
    }
    // Back in the first runtime's context.
    let again = eddy_executor::spawn(async { 1 });
    assert_eq!(first.block_on(again).unwrap(), 1);
    first.block_on(outer_task).unwrap();
}

#[test]
fn enter_guards_dropped_out_of_order_panic_instead_of_restoring_the_wrong_runtime() {
    let first = rt();
    let second = rt();
    let outer = first.enter();
    let inner = second.enter();
    let dropped_early = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| drop(outer)));
    let message = dropped_early.unwrap_err();
    let message = message.downcast_ref::<&str>().copied().unwrap_or_default();
    assert!(message.contains("dropped out of order"), "{message}");
    // The later guard still owns the context, and leaving it restores what was there before.
    assert_eq!(Handle::current().id(), second.handle().id());
    drop(inner);
    let third = rt();
    let _entered = third.enter();
    assert_eq!(Handle::current().id(), third.handle().id());
}

#[test]
fn runtime_ids_and_names() {
    let named = Builder::new_current_thread()
        .name("ingest")
        .build()
        .unwrap();
    let unnamed = rt();
    assert_eq!(named.handle().name(), Some("ingest"));
    assert_eq!(unnamed.handle().name(), None);
    assert_eq!(named.handle().id(), named.handle().clone().id());
    assert_ne!(named.handle().id(), unnamed.handle().id());
    let inside = named.block_on(async { Handle::current().id() });
    assert_eq!(inside, named.handle().id());
}

#[test]
#[should_panic(expected = "runtime name shouldn't be empty")]
fn an_empty_runtime_name_is_refused() {
    Builder::new_current_thread().name("  ");
}

#[test]
fn handle_block_on_from_another_thread() {
    let rt = rt();
    let handle = rt.handle().clone();
    let other = thread::spawn(move || {
        handle.block_on(async {
            // The context is the runtime's, even on this thread.
            assert!(Handle::try_current().is_ok());
            task::spawn_blocking(|| 10).await.unwrap() + 1
        })
    });
    assert_eq!(other.join().unwrap(), 11);
}

#[test]
fn handle_block_on_waits_for_a_task_the_runtime_thread_runs() {
    let rt = rt();
    let handle = rt.handle().clone();
    let (done_tx, done_rx) = mpsc::channel();
    let other = thread::spawn(move || {
        let join = handle.spawn(async { 5 });
        // On a current-thread runtime the task runs only while the runtime is driven.
        let value = handle.block_on(join).unwrap();
        done_tx.send(()).unwrap();
        value
    });
    rt.block_on(async {
        while done_rx.try_recv().is_err() {
            task::yield_now().await;
        }
    });
    assert_eq!(other.join().unwrap(), 5);
}

#[test]
fn block_on_from_two_threads_shares_the_core() {
    let rt = Arc::new(rt());
    let rt2 = rt.clone();
    let (tx, rx) = mpsc::channel::<()>();
    let other = thread::spawn(move || {
        // Waits for the core or its own future, whichever comes first.
        rt2.block_on(async move {
            task::spawn_blocking(move || rx.recv().unwrap())
                .await
                .unwrap();
            task::spawn(async { 8 }).await.unwrap()
        })
    });
    let mine = rt.block_on(async { task::spawn(async { 7 }).await.unwrap() });
    tx.send(()).unwrap();
    assert_eq!(mine, 7);
    assert_eq!(other.join().unwrap(), 8);
}
