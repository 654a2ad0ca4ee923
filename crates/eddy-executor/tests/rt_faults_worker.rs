//! Panics on a multi-thread worker outside any task: a start, park or unpark callback, or a
//! waker that a driver fires while the worker is parked on it. The worker keeps its core and
//! carries on, so queued tasks still run, timers still fire (the driver's lock is not left
//! poisoned), and dropping the runtime returns instead of waiting forever for a lost core.
#![cfg(all(feature = "multi-thread", feature = "time", not(loom)))]

use eddy_executor::runtime::{Builder, Runtime};
use eddy_test_support::task::poll_once;
use eddy_test_support::waker::{hooked, PanicOnWake};
use eddy_time::{sleep, Duration};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};

/// A generous bound that only turns a hang into a failure.
const NO_HANG: std::time::Duration = std::time::Duration::from_secs(60);

/// A callback that panics on its first `times` calls.
fn panics_first(times: usize) -> impl Fn() + Send + Sync + 'static {
    let calls = AtomicUsize::new(0);
    move || {
        if calls.fetch_add(1, Ordering::SeqCst) < times {
            panic!("fault injected in a worker callback");
        }
    }
}

/// Spawns tasks that sleep and yield, checks every one completes, then drops the runtime on
/// another thread and checks that the drop returns.
fn assert_runs_and_drops(rt: Runtime) {
    let total = rt.block_on(async {
        let tasks: Vec<_> = (0..64u64)
            .map(|i| {
                eddy_executor::spawn(async move {
                    sleep(Duration::from_millis(1 + i % 3)).await;
                    eddy_executor::task::yield_now().await;
                    i
                })
            })
            .collect();
        let mut total = 0;
        for task in tasks {
            total += task.await.unwrap();
        }
        total
    });
    assert_eq!(total, (0..64).sum::<u64>());
    let (dropped_tx, dropped) = mpsc::channel();
    std::thread::spawn(move || {
        drop(rt);
        dropped_tx.send(()).unwrap();
    });
    dropped
        .recv_timeout(NO_HANG)
        .expect("dropping the runtime returns");
}

#[test]
fn park_callback_panic_keeps_the_worker() {
    let rt = Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .on_thread_park(panics_first(4))
        .build()
        .unwrap();
    assert_runs_and_drops(rt);
}

#[test]
fn unpark_callback_panic_keeps_the_worker() {
    let rt = Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .on_thread_unpark(panics_first(4))
        .build()
        .unwrap();
    assert_runs_and_drops(rt);
}

#[test]
fn start_callback_panic_keeps_the_worker() {
    let rt = Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .on_thread_start(panics_first(2))
        .build()
        .unwrap();
    assert_runs_and_drops(rt);
}

#[test]
fn waker_panic_in_driver_dispatch_keeps_timers_firing() {
    let rt = Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let fired = Arc::new(AtomicUsize::new(0));
    rt.block_on(async {
        for _ in 0..4 {
            // A timer whose only waker panics when the driver fires it, on a parked worker.
            let fired = fired.clone();
            eddy_executor::spawn(async move {
                let mut timer = Box::pin(sleep(Duration::from_millis(5)));
                let waker = hooked(Arc::new(PanicOnWake::default()));
                assert!(poll_once(timer.as_mut(), &waker).is_pending());
                // Keep the timer registered until well after it fired.
                sleep(Duration::from_millis(50)).await;
                fired.fetch_add(1, Ordering::SeqCst);
            })
            .await
            .unwrap();
        }
    });
    assert_eq!(fired.load(Ordering::SeqCst), 4);
    assert_runs_and_drops(rt);
}
