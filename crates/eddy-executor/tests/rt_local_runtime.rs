//! `runtime::LocalRuntime`: `!Send` tasks without a `LocalSet`, `task::spawn_local` in its
//! context, tasks kept between `block_on` calls, `Send` tasks and wakes from other threads,
//! cancellation on the owner thread, hooks and metrics, and misuse.
#![cfg(not(loom))]

use eddy_executor::runtime::{Builder, LocalOptions, LocalRuntime};
use eddy_executor::task;
use eddy_sync::oneshot;
use eddy_test_support::panic_message;
use std::cell::{Cell, RefCell};
use std::future::Future;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::pin::pin;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::task::{Context, Poll, Waker};
use std::thread::{self, ThreadId};

fn local_runtime() -> LocalRuntime {
    Builder::new_current_thread()
        .build_local(LocalOptions::default())
        .unwrap()
}

#[test]
fn spawn_local_runs_rc_futures_on_the_owner_thread() {
    let rt = local_runtime();
    let owner = thread::current().id();
    let shared = Rc::new(RefCell::new(Vec::new()));
    let tasks: Vec<_> = (0..5)
        .map(|i| {
            let shared = shared.clone();
            rt.spawn_local(async move {
                task::yield_now().await;
                assert_eq!(thread::current().id(), owner);
                shared.borrow_mut().push(i);
                Rc::new(i)
            })
        })
        .collect();
    let outputs: Vec<i32> = rt.block_on(async {
        let mut outputs = Vec::new();
        for task in tasks {
            outputs.push(*task.await.unwrap());
        }
        outputs
    });
    assert_eq!(outputs, vec![0, 1, 2, 3, 4]);
    assert_eq!(shared.borrow().len(), 5);
}

#[test]
fn task_spawn_local_works_in_block_on_and_in_send_tasks() {
    let rt = local_runtime();
    let counter = Rc::new(Cell::new(0));
    let from_block_on = rt.block_on({
        let counter = counter.clone();
        async move {
            let nested = task::spawn_local(async move {
                counter.set(counter.get() + 1);
                counter.get()
            });
            nested.await.unwrap()
        }
    });
    assert_eq!(from_block_on, 1);
    // A `Send` task of the local runtime may spawn local tasks too: it runs on the owner.
    let send_task = rt.handle().spawn(async {
        let local = task::spawn_local(async {
            let not_send = Rc::new(7);
            task::yield_now().await;
            *not_send
        });
        local.await.unwrap() + 1
    });
    assert_eq!(rt.block_on(send_task).unwrap(), 8);
}

#[test]
fn tasks_wait_between_block_on_calls() {
    let rt = local_runtime();
    let (tx, rx) = oneshot::channel::<u32>();
    let log = Rc::new(RefCell::new(Vec::new()));
    let waiter = rt.spawn_local({
        let log = log.clone();
        async move {
            log.borrow_mut().push("started");
            let value = rx.await.unwrap();
            log.borrow_mut().push("received");
            value * 2
        }
    });
    assert!(log.borrow().is_empty(), "tasks run only inside block_on");
    rt.block_on(task::yield_now());
    assert_eq!(*log.borrow(), ["started"]);
    tx.send(21).unwrap();
    assert_eq!(rt.block_on(waiter).unwrap(), 42);
    assert_eq!(*log.borrow(), ["started", "received"]);
}

#[test]
fn handles_on_other_threads_spawn_send_tasks_and_wake_local_ones() {
    let rt = local_runtime();
    let owner = thread::current().id();
    let handle = rt.handle().clone();
    let (tx, rx) = oneshot::channel::<&'static str>();
    let local = rt.spawn_local(async move { Rc::new(rx.await.unwrap()) });
    let remote = thread::spawn(move || {
        let ran_on = handle.spawn(async { thread::current().id() });
        tx.send("woken from afar").unwrap();
        ran_on
    })
    .join()
    .unwrap();
    let (message, ran_on) = rt.block_on(async { (local.await.unwrap(), remote.await.unwrap()) });
    assert_eq!(*message, "woken from afar");
    assert_eq!(ran_on, owner);
}

#[test]
fn dropping_the_runtime_cancels_local_tasks_on_the_owner_thread() {
    struct OnDrop(Rc<Cell<Option<ThreadId>>>);
    impl Drop for OnDrop {
        fn drop(&mut self) {
            self.0.set(Some(thread::current().id()));
        }
    }
    let dropped_on = Rc::new(Cell::new(None));
    let rt = local_runtime();
    let guard = OnDrop(dropped_on.clone());
    let pending = rt.spawn_local(async move {
        let _guard = guard;
        std::future::pending::<()>().await;
    });
    rt.block_on(task::yield_now());
    assert_eq!(dropped_on.get(), None);
    drop(rt);
    assert_eq!(dropped_on.get(), Some(thread::current().id()));
    // The runtime is gone; its join handle reports the cancellation at once.
    let mut cx = Context::from_waker(Waker::noop());
    let Poll::Ready(Err(error)) = pin!(pending).poll(&mut cx) else {
        panic!("the join handle of a cancelled task is ready with an error");
    };
    assert!(error.is_cancelled());
}

#[test]
fn abort_from_another_thread_cancels_on_the_owner() {
    let rt = local_runtime();
    let task = rt.spawn_local(std::future::pending::<Rc<()>>());
    let abort = task.abort_handle();
    rt.block_on(task::yield_now());
    thread::spawn(move || abort.abort()).join().unwrap();
    let error = rt.block_on(task).unwrap_err();
    assert!(error.is_cancelled());
}

#[test]
fn spawn_local_on_another_thread_in_its_context_panics() {
    let rt = local_runtime();
    let handle = rt.handle().clone();
    let message = thread::spawn(move || {
        let _context = handle.enter();
        let payload = catch_unwind(|| task::spawn_local(async {})).unwrap_err();
        panic_message(&*payload)
    })
    .join()
    .unwrap();
    assert_eq!(
        message,
        "Local tasks can only be spawned on a LocalRuntime from the thread the runtime was \
         created on"
    );
}

#[test]
fn enter_lets_spawn_local_queue_tasks_outside_block_on() {
    let rt = local_runtime();
    let task = {
        let _context = rt.enter();
        task::spawn_local(async { Rc::new("queued") })
    };
    assert_eq!(*rt.block_on(task).unwrap(), "queued");
}

#[test]
fn nested_block_on_panics() {
    let rt = local_runtime();
    let inner = local_runtime();
    let result = catch_unwind(AssertUnwindSafe(|| {
        rt.block_on(async { inner.block_on(async {}) });
    }));
    let message = panic_message(&*result.unwrap_err());
    assert!(message.starts_with("Cannot start a runtime from within a runtime"));
}

#[test]
fn local_tasks_count_in_metrics_and_hooks() {
    let spawned = Arc::new(AtomicUsize::new(0));
    let rt = Builder::new_current_thread()
        .on_task_spawn({
            let spawned = spawned.clone();
            move |_| {
                spawned.fetch_add(1, Ordering::SeqCst);
            }
        })
        .build_local(LocalOptions::default())
        .unwrap();
    let (tx, rx) = oneshot::channel::<()>();
    let waiting = rt.spawn_local(async move { rx.await.unwrap() });
    let _send_task = rt.handle().spawn(async {});
    assert_eq!(spawned.load(Ordering::SeqCst), 2);
    assert_eq!(rt.metrics().num_alive_tasks(), 2);
    tx.send(()).unwrap();
    rt.block_on(waiting).unwrap();
    rt.block_on(task::yield_now());
    assert_eq!(rt.metrics().num_alive_tasks(), 0);
}

#[test]
fn spawn_blocking_and_shutdown_timeout() {
    let rt = local_runtime();
    let (tx, rx) = mpsc::channel();
    let answer = rt.block_on(rt.spawn_blocking(move || {
        tx.send(thread::current().id()).unwrap();
        6 * 7
    }));
    assert_eq!(answer.unwrap(), 42);
    assert_ne!(rx.recv().unwrap(), thread::current().id());
    rt.shutdown_timeout(std::time::Duration::from_secs(5));
}

#[cfg(feature = "multi-thread")]
#[test]
fn build_local_rejects_the_multi_thread_flavor() {
    let result = catch_unwind(|| {
        let _ = Builder::new_multi_thread().build_local(LocalOptions::default());
    });
    assert_eq!(
        panic_message(&*result.unwrap_err()),
        "multi_thread is not supported for LocalRuntime"
    );
}

#[cfg(feature = "time")]
#[test]
fn new_enables_timers() {
    use eddy_time::{sleep, Duration};
    let rt = LocalRuntime::new().unwrap();
    let slept = rt.spawn_local(async {
        sleep(Duration::from_millis(5)).await;
        Rc::new("slept")
    });
    let slept = rt.block_on(slept);
    assert_eq!(*slept.unwrap(), "slept");
}
