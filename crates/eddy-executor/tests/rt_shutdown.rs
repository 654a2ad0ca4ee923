//! Dropping a runtime: every task it holds is dropped, and what outlives it is harmless.
#![cfg(not(loom))]

use eddy_executor::runtime::{Builder, Handle, Runtime};
use eddy_executor::task;
use eddy_test_support::DropCount;
use std::future::{pending, Future};
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

fn rt() -> Runtime {
    Builder::new_current_thread().build().unwrap()
}

/// Pending forever, leaking its waker to a shared slot.
struct LeakWaker(Arc<Mutex<Vec<Waker>>>);

impl Future for LeakWaker {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        self.0.lock().unwrap().push(cx.waker().clone());
        Poll::Pending
    }
}

#[test]
fn drop_runs_destructors_of_pending_tasks() {
    let dropped = Arc::new(AtomicUsize::new(0));
    let rt = rt();
    // Some were polled and are pending, some were never polled.
    for _ in 0..50 {
        let counted = DropCount(dropped.clone());
        rt.spawn(async move {
            let _counted = counted;
            pending::<()>().await;
        });
    }
    rt.block_on(task::yield_now());
    for _ in 0..50 {
        let counted = DropCount(dropped.clone());
        rt.spawn(async move {
            let _counted = counted;
        });
    }
    assert_eq!(dropped.load(Ordering::SeqCst), 0);
    drop(rt);
    assert_eq!(dropped.load(Ordering::SeqCst), 100);
}

#[test]
fn join_handles_see_cancellation_after_drop() {
    let rt = rt();
    let join = rt.spawn(pending::<()>());
    drop(rt);
    let other = self::rt();
    assert!(other.block_on(join).unwrap_err().is_cancelled());
}

#[test]
fn wakers_held_after_drop_are_harmless() {
    let wakers = Arc::new(Mutex::new(Vec::new()));
    let rt = rt();
    for _ in 0..10 {
        rt.spawn(LeakWaker(wakers.clone()));
    }
    rt.block_on(task::yield_now());
    drop(rt);
    let wakers = std::mem::take(&mut *wakers.lock().unwrap());
    assert_eq!(wakers.len(), 10);
    for waker in &wakers {
        waker.wake_by_ref();
        let clone = waker.clone();
        clone.wake();
    }
    // From another thread too.
    std::thread::spawn(move || wakers.into_iter().for_each(Waker::wake))
        .join()
        .unwrap();
}

#[test]
fn destructors_run_in_the_runtime_context() {
    struct SpawnOnDrop(Arc<AtomicUsize>);
    impl Drop for SpawnOnDrop {
        fn drop(&mut self) {
            // The runtime is shutting down: the context is there, and the new task is
            // cancelled at once instead of being lost or leaked.
            let handle = Handle::try_current().expect("dropped in the runtime's context");
            drop(handle.spawn(async {}));
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }
    let count = Arc::new(AtomicUsize::new(0));
    let rt = rt();
    let guard = SpawnOnDrop(count.clone());
    rt.spawn(async move {
        let _guard = guard;
        pending::<()>().await;
    });
    rt.block_on(task::yield_now());
    drop(rt);
    assert_eq!(count.load(Ordering::SeqCst), 1);
}

#[test]
fn tasks_spawned_through_a_handle_after_drop_are_cancelled() {
    let rt = rt();
    let handle = rt.handle().clone();
    drop(rt);
    let dropped = Arc::new(AtomicUsize::new(0));
    let counted = DropCount(dropped.clone());
    let join = handle.spawn(async move {
        let _counted = counted;
    });
    assert_eq!(dropped.load(Ordering::SeqCst), 1);
    assert!(join.is_finished());
}

#[test]
fn remote_wake_during_no_drive_then_drop() {
    let wakers = Arc::new(Mutex::new(Vec::new()));
    let rt = rt();
    rt.spawn(LeakWaker(wakers.clone()));
    rt.block_on(task::yield_now());
    // Woken while nobody drives the runtime: queued in the inject queue, dropped at shutdown.
    for waker in wakers.lock().unwrap().drain(..) {
        waker.wake();
    }
    drop(rt);
}

#[test]
fn output_held_by_a_join_handle_outlives_the_runtime() {
    let rt = rt();
    let join = rt.spawn(async { vec![1, 2, 3] });
    rt.block_on(async {
        while !join.is_finished() {
            task::yield_now().await;
        }
    });
    drop(rt);
    let other = self::rt();
    assert_eq!(other.block_on(join).unwrap(), vec![1, 2, 3]);
}

/// Stores the runtime `build` makes in a thread-local of a new thread, with a task pending on
/// it, and lets the thread exit: the runtime is dropped while the thread's locals are torn down.
/// The slot is filled before any of eddy's own thread-locals is first touched (by the second
/// runtime), so those are torn down first.
fn drop_at_thread_exit(build: fn() -> Runtime) {
    std::thread_local! {
        static RUNTIME: std::cell::RefCell<Option<Runtime>> = const { std::cell::RefCell::new(None) };
    }
    let dropped = Arc::new(AtomicUsize::new(0));
    let counted = DropCount(dropped.clone());
    std::thread::spawn(move || {
        RUNTIME.with(|slot| *slot.borrow_mut() = Some(build()));
        RUNTIME.with(|slot| {
            slot.borrow().as_ref().unwrap().spawn(async move {
                let _counted = counted;
                pending::<()>().await;
            })
        });
        let other = build();
        other.block_on(task::yield_now());
    })
    .join()
    .unwrap();
    assert_eq!(dropped.load(Ordering::SeqCst), 1);
}

#[test]
fn a_current_thread_runtime_in_a_thread_local_drops_at_thread_exit() {
    drop_at_thread_exit(|| Builder::new_current_thread().enable_all().build().unwrap());
}

#[cfg(feature = "multi-thread")]
#[test]
fn a_multi_thread_runtime_in_a_thread_local_drops_at_thread_exit() {
    drop_at_thread_exit(|| {
        Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap()
    });
}
