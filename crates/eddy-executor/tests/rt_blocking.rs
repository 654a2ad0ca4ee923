//! The blocking pool: round trips, thread names and hooks, the thread limit, keep-alive and the
//! shutdown rules.
#![cfg(not(loom))]

use eddy_executor::runtime::{Builder, Runtime};
use eddy_executor::task;
use std::collections::HashSet;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Barrier};
use std::time::Duration;

fn rt() -> Runtime {
    Builder::new_current_thread().build().unwrap()
}

#[test]
fn spawn_blocking_round_trip() {
    let rt = rt();
    let value = rt.block_on(async { task::spawn_blocking(|| 40 + 2).await.unwrap() });
    assert_eq!(value, 42);
    // Through the runtime, from outside `block_on`.
    let handle = rt.spawn_blocking(|| "outside");
    assert_eq!(rt.block_on(handle).unwrap(), "outside");
}

#[test]
fn blocking_panic_becomes_a_join_error() {
    let rt = rt();
    let error = rt
        .block_on(rt.spawn_blocking(|| panic!("blocking boom")))
        .unwrap_err();
    assert!(error.is_panic());
    assert!(error.to_string().contains("blocking boom"));
}

#[test]
fn threads_are_named_and_hooked() {
    let started = Arc::new(AtomicUsize::new(0));
    let stopped = Arc::new(AtomicUsize::new(0));
    let (started2, stopped2) = (started.clone(), stopped.clone());
    let rt = Builder::new_current_thread()
        .thread_name("pool-thread")
        .on_thread_start(move || {
            started2.fetch_add(1, Ordering::SeqCst);
        })
        .on_thread_stop(move || {
            stopped2.fetch_add(1, Ordering::SeqCst);
        })
        .build()
        .unwrap();
    let name = rt
        .block_on(rt.spawn_blocking(|| std::thread::current().name().map(str::to_owned)))
        .unwrap();
    assert_eq!(name.as_deref(), Some("pool-thread"));
    assert_eq!(started.load(Ordering::SeqCst), 1);
    drop(rt);
    // Dropping the runtime waits for the pool's threads, which run the stop hook on the way out.
    assert_eq!(stopped.load(Ordering::SeqCst), 1);
}

#[test]
fn thread_name_fn_names_each_thread() {
    let counter = Arc::new(AtomicUsize::new(0));
    let rt = Builder::new_current_thread()
        .thread_name_fn(move || format!("numbered-{}", counter.fetch_add(1, Ordering::SeqCst)))
        .thread_stack_size(256 * 1024)
        .build()
        .unwrap();
    let barrier = Arc::new(Barrier::new(2));
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let barrier = barrier.clone();
            rt.spawn_blocking(move || {
                // Both tasks are running at once, so they are on two threads.
                barrier.wait();
                std::thread::current().name().unwrap().to_owned()
            })
        })
        .collect();
    let mut names: Vec<_> = handles
        .into_iter()
        .map(|handle| rt.block_on(handle).unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["numbered-0", "numbered-1"]);
}

#[test]
fn max_blocking_threads_bounds_the_pool() {
    let rt = Builder::new_current_thread()
        .max_blocking_threads(2)
        .build()
        .unwrap();
    let running = Arc::new(AtomicUsize::new(0));
    let peak = Arc::new(AtomicUsize::new(0));
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let (running, peak) = (running.clone(), peak.clone());
            rt.spawn_blocking(move || {
                let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                peak.fetch_max(now, Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(5));
                running.fetch_sub(1, Ordering::SeqCst);
                std::thread::current().id()
            })
        })
        .collect();
    let threads: HashSet<_> = handles
        .into_iter()
        .map(|handle| rt.block_on(handle).unwrap())
        .collect();
    assert!(threads.len() <= 2);
    assert!(peak.load(Ordering::SeqCst) <= 2);
}

#[test]
#[should_panic(expected = "Max blocking threads cannot be set to 0")]
fn zero_blocking_threads_is_refused() {
    Builder::new_current_thread().max_blocking_threads(0);
}

#[test]
fn idle_threads_exit_after_keep_alive() {
    let stopped = Arc::new(AtomicUsize::new(0));
    let stopped2 = stopped.clone();
    let rt = Builder::new_current_thread()
        .thread_keep_alive(Duration::from_millis(10))
        .on_thread_stop(move || {
            stopped2.fetch_add(1, Ordering::SeqCst);
        })
        .build()
        .unwrap();
    let first = rt
        .block_on(rt.spawn_blocking(|| std::thread::current().id()))
        .unwrap();
    // The idle thread exits on its own, without a shutdown.
    while stopped.load(Ordering::SeqCst) == 0 {
        std::thread::sleep(Duration::from_millis(5));
    }
    let second = rt
        .block_on(rt.spawn_blocking(|| std::thread::current().id()))
        .unwrap();
    assert_ne!(first, second);
}

#[test]
fn drop_waits_for_running_blocking_tasks() {
    let rt = rt();
    let finished = Arc::new(AtomicBool::new(false));
    let finished2 = finished.clone();
    let (started_tx, started_rx) = mpsc::channel();
    drop(rt.spawn_blocking(move || {
        started_tx.send(()).unwrap();
        std::thread::sleep(Duration::from_millis(50));
        finished2.store(true, Ordering::SeqCst);
    }));
    started_rx.recv().unwrap();
    drop(rt);
    assert!(finished.load(Ordering::SeqCst));
}

#[test]
fn queued_blocking_tasks_are_cancelled_at_shutdown() {
    let rt = Builder::new_current_thread()
        .max_blocking_threads(1)
        .build()
        .unwrap();
    let (started_tx, started_rx) = mpsc::channel();
    let (release_tx, release_rx) = mpsc::channel::<()>();
    let running = rt.spawn_blocking(move || {
        started_tx.send(()).unwrap();
        release_rx.recv().unwrap();
        "ran"
    });
    let queued_ran = Arc::new(AtomicBool::new(false));
    let queued_ran2 = queued_ran.clone();
    let queued = rt.spawn_blocking(move || queued_ran2.store(true, Ordering::SeqCst));
    started_rx.recv().unwrap();
    rt.shutdown_background();
    release_tx.send(()).unwrap();
    let other = Builder::new_current_thread().build().unwrap();
    // The started task runs to completion; the queued one never runs.
    assert_eq!(other.block_on(running).unwrap(), "ran");
    assert!(other.block_on(queued).unwrap_err().is_cancelled());
    assert!(!queued_ran.load(Ordering::SeqCst));
}

#[test]
fn shutdown_timeout_returns_while_a_task_still_runs() {
    let rt = rt();
    let (started_tx, started_rx) = mpsc::channel();
    let (release_tx, release_rx) = mpsc::channel::<()>();
    let (done_tx, done_rx) = mpsc::channel();
    drop(rt.spawn_blocking(move || {
        started_tx.send(()).unwrap();
        release_rx.recv().unwrap();
        done_tx.send(()).unwrap();
    }));
    started_rx.recv().unwrap();
    // The task cannot finish before it is released, so this returns after the timeout.
    rt.shutdown_timeout(Duration::from_millis(20));
    release_tx.send(()).unwrap();
    done_rx.recv().unwrap();
}

#[test]
fn spawn_blocking_after_shutdown_is_cancelled() {
    let rt = rt();
    let handle = rt.handle().clone();
    drop(rt);
    let join = handle.spawn_blocking(|| 1);
    let other = Builder::new_current_thread().build().unwrap();
    assert!(other.block_on(join).unwrap_err().is_cancelled());
}

#[test]
fn blocking_threads_run_in_the_runtime_context() {
    let rt = rt();
    let inner = rt
        .block_on(rt.spawn_blocking(|| {
            // A blocking thread can spawn onto its runtime and wait with `Handle::block_on`.
            let handle = eddy_executor::runtime::Handle::current();
            let join = handle.spawn(async { 3 });
            handle.block_on(join)
        }))
        .unwrap();
    assert_eq!(inner.unwrap(), 3);
}

#[test]
fn core_blocking_hook_runs_on_the_pool() {
    let rt = Builder::new_current_thread()
        .thread_name("hooked")
        .build()
        .unwrap();
    let name = rt.block_on(async {
        eddy_core::blocking::try_run(|| std::thread::current().name().map(str::to_owned))
            .unwrap()
            .await
            .unwrap()
    });
    assert_eq!(name.as_deref(), Some("hooked"));
}

#[test]
fn a_blocking_thread_can_drop_its_own_runtime() {
    let rt = rt();
    let (tx, rx) = mpsc::channel();
    let handle = rt.handle().clone();
    let (rt_tx, rt_rx) = mpsc::channel::<Runtime>();
    drop(handle.spawn_blocking(move || {
        let rt = rt_rx.recv().unwrap();
        // Waits for the pool's other threads (none), not for this one.
        drop(rt);
        tx.send("dropped").unwrap();
    }));
    rt_tx.send(rt).unwrap();
    assert_eq!(rx.recv().unwrap(), "dropped");
}

#[test]
fn a_blocking_task_a_thread_was_started_for_survives_shutdown() {
    // A slow thread start makes the shutdown come before the thread takes its task (it does
    // not decide the verdict: the task must run either way).
    let rt = Builder::new_current_thread()
        .on_thread_start(|| std::thread::sleep(Duration::from_millis(50)))
        .build()
        .unwrap();
    let (started, start) = mpsc::channel::<()>();
    let task = {
        let _entered = rt.enter();
        task::spawn_blocking(move || {
            // Held until the runtime began shutting down, so the task is still queued or
            // just picked up when it does.
            let _ = start.recv();
            42
        })
    };
    let handle = rt.handle().clone();
    let waiter = std::thread::spawn(move || handle.block_on(task));
    drop(started);
    rt.shutdown_timeout(Duration::from_secs(60));
    assert_eq!(waiter.join().unwrap().unwrap(), 42);
}

#[test]
fn blocking_work_after_shutdown_fails_with_the_shutdown_error() {
    let rt = rt();
    let handle = rt.handle().clone();
    let _entered = handle.enter();
    rt.shutdown_timeout(Duration::from_secs(60));
    let Err(error) = eddy_core::blocking::try_run(|| ()) else {
        panic!("a shut-down pool accepted a blocking job");
    };
    assert!(eddy_executor::runtime::is_rt_shutdown_err(&error));
}
