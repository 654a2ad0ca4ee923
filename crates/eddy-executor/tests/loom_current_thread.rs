//! Loom models of the current-thread scheduler's inject queue: a task spawned or woken from
//! another thread is pushed there and unparks the driving thread, with no lost wake-up against
//! the owner draining the queue and parking; and a spawn racing the runtime's shutdown either
//! runs nothing or is cancelled, its future dropped exactly once. The `block_on` future itself,
//! woken twice from another thread, completes.
#![cfg(loom)]

use eddy_executor::runtime::{Builder, Runtime};
use eddy_test_support::future::Gate;
use eddy_test_support::DropCount;
use loom::sync::atomic::{AtomicUsize, Ordering};
use loom::sync::Arc;
use loom::thread;

fn runtime() -> Runtime {
    Builder::new_current_thread().build().unwrap()
}

#[test]
fn a_remote_spawn_runs_on_the_parked_owner() {
    loom::model(|| {
        let rt = runtime();
        let gate = Gate::new();
        let spawner = {
            let (handle, gate) = (rt.handle().clone(), gate.clone());
            thread::spawn(move || {
                handle.spawn(async move {
                    gate.open();
                    5
                })
            })
        };
        // Completes only once the remotely spawned task has run here.
        rt.block_on(gate);
        let join = spawner.join().unwrap();
        assert_eq!(rt.block_on(join).unwrap(), 5);
    });
}

#[test]
fn a_remote_wake_runs_the_task_on_the_parked_owner() {
    loom::model(|| {
        let rt = runtime();
        let gate = Gate::new();
        let join = rt.spawn({
            let gate = gate.clone();
            async move {
                gate.await;
                6
            }
        });
        let opener = thread::spawn(move || gate.open());
        assert_eq!(rt.block_on(join).unwrap(), 6);
        opener.join().unwrap();
    });
}

#[test]
fn a_remote_spawn_racing_shutdown_drops_its_future_once() {
    loom::model(|| {
        let rt = runtime();
        let drops = Arc::new(AtomicUsize::new(0));
        let spawner = {
            let (handle, counted) = (rt.handle().clone(), DropCount(drops.clone()));
            thread::spawn(move || {
                handle.spawn(async move {
                    drop(counted);
                })
            })
        };
        drop(rt);
        let join = spawner.join().unwrap();
        assert_eq!(
            drops.load(Ordering::SeqCst),
            1,
            "the future is dropped once"
        );
        assert!(join.is_finished());
    });
}

#[test]
fn a_block_on_future_woken_twice_from_another_thread_completes() {
    loom::model(|| {
        let rt = runtime();
        let (first, second) = (Gate::new(), Gate::new());
        let opener = {
            let (first, second) = (first.clone(), second.clone());
            thread::spawn(move || {
                first.open();
                second.open();
            })
        };
        // The first wake may leave the driver's unpark token behind; the second must still
        // end the owner's park.
        rt.block_on(async move {
            first.await;
            second.await;
        });
        opener.join().unwrap();
    });
}
