#![cfg(not(loom))]

use eddy_sync::Barrier;
use eddy_test_support::executor::{block_on, spawn_thread};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

#[test]
fn one_leader_per_generation_and_nobody_passes_early() {
    const N: usize = 4;
    let barrier = Arc::new(Barrier::new(N));
    let arrived = Arc::new(AtomicUsize::new(0));
    let tasks: Vec<_> = (0..N)
        .map(|_| {
            let (barrier, arrived) = (barrier.clone(), arrived.clone());
            spawn_thread(async move {
                let mut leaders = 0;
                for round in 1..=50 {
                    arrived.fetch_add(1, Ordering::SeqCst);
                    if barrier.wait().await.is_leader() {
                        leaders += 1;
                    }
                    assert!(
                        arrived.load(Ordering::SeqCst) >= round * N,
                        "passed the barrier early"
                    );
                    barrier.wait().await;
                }
                leaders
            })
        })
        .collect();
    let leaders: usize = tasks.into_iter().map(|t| t.join().unwrap()).sum();
    assert_eq!(leaders, 50);
}

#[test]
fn barrier_of_zero_or_one_never_waits() {
    assert!(block_on(Barrier::new(0).wait()).is_leader());
    assert!(block_on(Barrier::new(1).wait()).is_leader());
}
