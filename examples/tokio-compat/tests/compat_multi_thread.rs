//! The multi-thread issue's acceptance program, as a Tokio user writes it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn hundred_batches_of_a_thousand() -> (usize, tokio::runtime::RuntimeMetrics) {
    let done = Arc::new(AtomicUsize::new(0));
    let batches: Vec<_> = (0..100)
        .map(|_| {
            let done = done.clone();
            tokio::spawn(async move {
                let tasks: Vec<_> = (0..1000)
                    .map(|_| {
                        let done = done.clone();
                        tokio::spawn(async move {
                            // Some work, so that idle workers find something to steal.
                            std::hint::black_box((0..200u64).sum::<u64>());
                            done.fetch_add(1, Ordering::Relaxed);
                        })
                    })
                    .collect();
                for task in tasks {
                    task.await.unwrap();
                }
            })
        })
        .collect();
    for batch in batches {
        batch.await.unwrap();
    }
    (
        done.load(Ordering::Relaxed),
        tokio::runtime::Handle::current().metrics(),
    )
}

#[test]
fn a_hundred_thousand_tasks_run_on_both_workers() {
    let (done, metrics) = hundred_batches_of_a_thousand();
    assert_eq!(done, 100_000);
    assert_eq!(metrics.num_workers(), 2);
    for worker in 0..2 {
        assert!(
            metrics.worker_poll_count(worker) > 0,
            "worker {worker} polled nothing"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn block_in_place_and_deep_chains() {
    let value = tokio::task::block_in_place(|| {
        std::thread::sleep(std::time::Duration::from_millis(5));
        5
    });
    assert_eq!(value, 5);

    fn chain(depth: usize, done: tokio::sync::oneshot::Sender<usize>) {
        if depth == 0 {
            let _ = done.send(10_000);
        } else {
            tokio::spawn(async move { chain(depth - 1, done) });
        }
    }
    let (tx, rx) = tokio::sync::oneshot::channel();
    chain(10_000, tx);
    assert_eq!(rx.await.unwrap(), 10_000);
}
