//! `block_in_place` whose replacement worker thread cannot be started: the user's
//! `thread_name_fn` panics, or gives a name the OS thread cannot take. The calling task gets
//! the panic, and the worker keeps its core: the tasks queued on it still run and the runtime
//! still drops.
#![cfg(all(feature = "multi-thread", not(loom)))]

use eddy_executor::runtime::{Builder, Runtime};
use eddy_executor::task;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Duration;

/// A generous bound that only turns a hang into a failure.
const NO_HANG: Duration = Duration::from_secs(60);

/// A one-worker runtime whose thread names come from `name`, called with 0, 1, 2... The first
/// call names the worker; the second, the thread `block_in_place` starts.
fn runtime_naming_threads(name: impl Fn(usize) -> String + Send + Sync + 'static) -> Runtime {
    let calls = AtomicUsize::new(0);
    Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name_fn(move || name(calls.fetch_add(1, Ordering::SeqCst)))
        .build()
        .unwrap()
}

/// In a task: queues tasks on the worker, then calls `block_in_place`, which must fail. Checks
/// the task gets the panic, the queued tasks and later ones all run, and the runtime drops.
fn assert_failed_hand_off_keeps_the_core(rt: Runtime) {
    let (ran_tx, ran) = mpsc::channel();
    let (done_tx, done) = mpsc::channel();
    std::thread::spawn(move || {
        let later = rt.block_on(async move {
            let outcome = eddy_executor::spawn(async move {
                // Spawned from the worker: these wait in its own queue, on the core.
                for i in 0..8 {
                    let ran_tx = ran_tx.clone();
                    eddy_executor::spawn(async move { ran_tx.send(i).unwrap() });
                }
                task::block_in_place(|| unreachable!("the hand-off fails first"));
            })
            .await;
            assert!(outcome.unwrap_err().is_panic(), "the caller gets the panic");
            let later: Vec<_> = (0..8)
                .map(|i| eddy_executor::spawn(async move { i }))
                .collect();
            let mut sum = 0;
            for handle in later {
                sum += handle.await.unwrap();
            }
            sum
        });
        drop(rt);
        done_tx.send(later).unwrap();
    });
    let later = done
        .recv_timeout(NO_HANG)
        .expect("the runtime keeps running");
    assert_eq!(later, (0..8).sum::<i32>());
    let queued: i32 = (0..8).map(|_| ran.recv_timeout(NO_HANG).unwrap()).sum();
    assert_eq!(queued, (0..8).sum::<i32>(), "every queued task ran");
}

#[test]
fn a_panicking_thread_name_fn_gives_the_core_back() {
    assert_failed_hand_off_keeps_the_core(runtime_naming_threads(|call| {
        if call == 1 {
            panic!("fault injected in thread_name_fn");
        }
        format!("worker-{call}")
    }));
}

#[test]
fn a_thread_that_cannot_start_gives_the_core_back() {
    assert_failed_hand_off_keeps_the_core(runtime_naming_threads(|call| {
        if call == 1 {
            // No OS thread can take a name with a NUL byte.
            return "bad\0name".to_string();
        }
        format!("worker-{call}")
    }));
}
