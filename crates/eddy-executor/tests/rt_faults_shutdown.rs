//! Shutting a multi-thread runtime down while something never ends: dropping it in an async
//! context panics at once, without waiting for a worker stuck in a task, and `shutdown_timeout`
//! returns although a task and a blocking task never finish.
#![cfg(all(feature = "multi-thread", not(loom)))]

use eddy_executor::runtime::{Builder, Runtime};
use eddy_test_support::panic_message;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

/// A generous bound that only turns a hang into a failure.
const NO_HANG: Duration = Duration::from_secs(60);

/// A flag that blocks threads until it is raised.
#[derive(Clone, Default)]
struct Gate(Arc<AtomicBool>);

impl Gate {
    fn wait(&self) {
        while !self.0.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(1));
        }
    }

    fn open(&self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// A one-worker runtime whose worker is stuck in a task until `gate` opens.
fn runtime_with_a_stuck_worker(gate: &Gate) -> Runtime {
    let rt = Builder::new_multi_thread()
        .worker_threads(1)
        .build()
        .unwrap();
    let (started_tx, started) = mpsc::channel();
    let gate = gate.clone();
    rt.spawn(async move {
        started_tx.send(()).unwrap();
        gate.wait();
    });
    started.recv().unwrap();
    rt
}

#[test]
fn drop_in_another_runtimes_block_on_panics_without_waiting_for_the_workers() {
    let gate = Gate::default();
    let rt = runtime_with_a_stuck_worker(&gate);
    let (result_tx, result) = mpsc::channel();
    std::thread::spawn(move || {
        let outer = Builder::new_current_thread().build().unwrap();
        let dropped = panic::catch_unwind(AssertUnwindSafe(|| outer.block_on(async { drop(rt) })));
        result_tx
            .send(dropped.map_err(|e| panic_message(&*e)))
            .unwrap();
    });
    // Before, the drop waited for the stuck worker, which only the gate below releases.
    let dropped = result.recv_timeout(NO_HANG);
    gate.open();
    let message = dropped
        .expect("the drop does not wait for the workers")
        .expect_err("dropping a runtime in an async context panics");
    assert!(
        message.contains("Cannot drop a runtime in a context where blocking is not allowed"),
        "{message}"
    );
}

#[test]
fn shutdown_timeout_returns_with_a_stuck_task_and_a_stuck_blocking_task() {
    let gate = Gate::default();
    let rt = runtime_with_a_stuck_worker(&gate);
    let (started_tx, started) = mpsc::channel();
    let blocking_gate = gate.clone();
    rt.spawn_blocking(move || {
        started_tx.send(()).unwrap();
        blocking_gate.wait();
    });
    started.recv().unwrap();
    let timeout = Duration::from_millis(200);
    let begin = Instant::now();
    rt.shutdown_timeout(timeout);
    let took = begin.elapsed();
    gate.open();
    assert!(took < 10 * timeout, "shutdown_timeout took {took:?}");
}
