//! Loom models of `LocalSet`'s queues: a task woken from another thread is pushed on the
//! remote queue and wakes whoever drives the set, with no lost wake-up against the driver's
//! register, tick and sleep; a task woken on the owner inside the set goes through the local
//! queue meanwhile; and a wake that races the set's drop neither runs the task nor leaks it.
//!
//! The first model drives the set by hand (register, tick, sleep, as `run_until` does) without
//! entering it, so that every wake takes the remote path; the others go through `run_until`.

use super::LocalSet;
use crate::loom::sync::atomic::{AtomicUsize, Ordering};
use crate::loom::sync::Arc;
use crate::loom::thread;
use crate::task::JoinHandle;
use eddy_test_support::executor::{block_on, NotifyWaker};
use eddy_test_support::future::Gate;
use eddy_test_support::DropCount;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

/// Drives `set` on this thread until `join` completes, as `run_until(join)` would.
fn drive_until<T>(set: &LocalSet, join: &mut JoinHandle<T>) -> T {
    let notify = NotifyWaker::new();
    let waker = Waker::from(notify.clone());
    loop {
        set.register(&waker);
        if let Poll::Ready(output) = Pin::new(&mut *join).poll(&mut Context::from_waker(&waker)) {
            return output.expect("the task completes");
        }
        if !set.tick() {
            notify.wait();
        }
    }
}

#[test]
fn a_remote_wake_reaches_the_driver() {
    loom::model(|| {
        let set = LocalSet::new();
        let gate = Gate::new();
        let mut join = set.spawn_local({
            let gate = gate.clone();
            async move {
                gate.await;
                7
            }
        });
        let opener = thread::spawn(move || gate.open());
        assert_eq!(drive_until(&set, &mut join), 7);
        opener.join().unwrap();
    });
}

#[test]
fn remote_and_local_wakes_both_run_their_tasks() {
    loom::model(|| {
        let set = LocalSet::new();
        let (remote_gate, local_gate) = (Gate::new(), Gate::new());
        let remote = set.spawn_local({
            let gate = remote_gate.clone();
            async move {
                gate.await;
                1
            }
        });
        let local = set.spawn_local({
            let gate = local_gate.clone();
            async move {
                gate.await;
                2
            }
        });
        let opener = thread::spawn(move || remote_gate.open());
        let sum = block_on(set.run_until(async move {
            // Opened by a task of the set, on the owner: the local queue.
            crate::task::spawn_local(async move { local_gate.open() });
            remote.await.unwrap() + local.await.unwrap()
        }));
        assert_eq!(sum, 3);
        opener.join().unwrap();
    });
}

#[test]
fn a_wake_racing_the_drop_of_the_set_drops_the_task_once() {
    loom::model(|| {
        let drops = Arc::new(AtomicUsize::new(0));
        let gate = Gate::new();
        let set = LocalSet::new();
        let mut join = set.spawn_local({
            let (gate, counted) = (gate.clone(), DropCount(drops.clone()));
            async move {
                gate.await;
                drop(counted);
            }
        });
        // One tick runs the task up to the gate, which then holds its waker.
        assert!(!set.tick());
        let opener = thread::spawn(move || gate.open());
        drop(set);
        opener.join().unwrap();
        assert_eq!(
            drops.load(Ordering::SeqCst),
            1,
            "the future is dropped once"
        );
        let waker = Waker::from(NotifyWaker::new());
        match Pin::new(&mut join).poll(&mut Context::from_waker(&waker)) {
            Poll::Ready(Err(error)) => assert!(error.is_cancelled()),
            _ => panic!("a task cancelled by the set's drop reports it"),
        }
    });
}
