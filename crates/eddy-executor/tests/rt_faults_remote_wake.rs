//! A task woken from outside the runtime at the moment the runtime is dropped: the wake may
//! publish the task, a worker run it to completion and free it, and the runtime finish its
//! shutdown, while the waking thread is still in the scheduler's wake path. The scheduler must
//! keep its handle alive until that path is done (see the multi-thread `handle.rs` module docs).
//! A stress test: natively it shows no crash and no hang across many races; under miri (few
//! rounds, many seeds) a use of the freed handle would be reported.
#![cfg(all(feature = "multi-thread", not(loom)))]

use eddy_executor::runtime::Builder;
use eddy_sync::oneshot;
use std::sync::{mpsc, Arc, Barrier};

const ROUNDS: usize = if cfg!(miri) { 4 } else { 500 };

#[test]
fn remote_wake_racing_the_runtime_drop() {
    for _ in 0..ROUNDS {
        let rt = Builder::new_multi_thread()
            .worker_threads(1)
            .build()
            .unwrap();
        let (wake, woken) = oneshot::channel::<()>();
        let (started_tx, started) = mpsc::channel();
        rt.spawn(async move {
            started_tx.send(()).unwrap();
            let _ = woken.await;
        });
        started.recv().unwrap();
        let go = Arc::new(Barrier::new(2));
        let waker = std::thread::spawn({
            let go = go.clone();
            move || {
                go.wait();
                // A remote wake: this thread is not one of the runtime's workers.
                let _ = wake.send(());
            }
        });
        go.wait();
        drop(rt);
        waker.join().unwrap();
    }
}
