//! `soak tasks`: a million tasks, half of them aborted, then the runtime dropped; nothing may
//! stay behind.
//!
//! The live heap (from [`crate::alloc`]) and the open descriptors are read once a warm-up
//! runtime has come and gone (so that lazily made process-wide state is already there), and
//! again after the measured runtime is dropped and every one of its threads has exited. Tasks are
//! spawned in batches: in each, half sleep for an hour holding a buffer and are aborted (their
//! handles awaited, each must report cancellation), half yield once and return a buffer (half of
//! those awaited, half detached). The last batch's sleepers are left for the runtime's shutdown
//! to drop, aborted but not awaited.

use crate::{alloc, proc, Options};
use std::time::{Duration, Instant};

const BATCH: u64 = 10_000;

/// Runs the soak and prints `flavor`, `tasks` (with `cancelled` and `secs`), `heap_before`,
/// `heap_after`, `leaked_bytes`, `fds_before` and `fds_after` lines.
pub fn run(options: &Options) {
    let count = options.number("count", 1_000_000);
    let flavor = options.text("flavor").unwrap_or("multi").to_owned();
    run_batches(&flavor, BATCH);
    settle();
    let heap_before = alloc::live_bytes();
    let fds_before = proc::open_fds();
    let start = Instant::now();
    let cancelled = run_batches(&flavor, count);
    let secs = start.elapsed().as_secs_f64();
    settle();
    let heap_after = alloc::live_bytes();
    let fds_after = proc::open_fds();
    println!("flavor {flavor}");
    println!("tasks {count} cancelled {cancelled} secs {secs:.1}");
    println!("heap_before {heap_before}");
    println!("heap_after {heap_after}");
    println!("leaked_bytes {}", heap_after - heap_before);
    println!("fds_before {fds_before}");
    println!("fds_after {fds_after}");
}

/// Waits until the dropped runtime's threads have all exited.
fn settle() {
    assert!(
        proc::wait_for_single_thread(Duration::from_secs(30)),
        "the runtime's threads outlived it"
    );
}

fn runtime(flavor: &str) -> eddy::runtime::Runtime {
    match flavor {
        "current" => eddy::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("current-thread runtime"),
        "multi" => crate::multi_thread_runtime(),
        _ => crate::usage(),
    }
}

/// Spawns `count` tasks in batches on a new runtime, drops it, returns how many were cancelled.
fn run_batches(flavor: &str, count: u64) -> u64 {
    let runtime = runtime(flavor);
    let cancelled = runtime.block_on(async move {
        let mut cancelled = 0;
        let mut left = count;
        while left > 0 {
            let size = left.min(BATCH);
            left -= size;
            cancelled += batch(size, left == 0).await;
        }
        cancelled
    });
    drop(runtime);
    cancelled
}

/// One batch; returns how many tasks it aborted. The last one does not await its aborted
/// sleepers: the runtime's shutdown finds them.
async fn batch(size: u64, last: bool) -> u64 {
    let mut sleepers = Vec::new();
    let mut finishers = Vec::new();
    for index in 0..size {
        if index % 2 == 0 {
            sleepers.push(eddy::spawn(async move {
                let held = Box::new([index as u8; 64]);
                eddy::time::sleep(Duration::from_secs(3600)).await;
                held.len()
            }));
        } else {
            finishers.push(eddy::spawn(async move {
                eddy::task::yield_now().await;
                vec![index as u8; 32]
            }));
        }
    }
    eddy::task::yield_now().await;
    for (index, finisher) in finishers.into_iter().enumerate() {
        if index % 2 == 0 {
            assert_eq!(finisher.await.expect("a finisher completes").len(), 32);
        }
    }
    for sleeper in &sleepers {
        sleeper.abort();
    }
    let cancelled = sleepers.len() as u64;
    if last {
        return cancelled;
    }
    for sleeper in sleepers {
        let error = sleeper.await.expect_err("an aborted sleeper is cancelled");
        assert!(error.is_cancelled());
    }
    cancelled
}
