//! `flavor = "local"`: `#[tokio::test]` and `#[tokio::main]` on a `LocalRuntime`, where the body
//! may `spawn_local` tasks that are not `Send`, with and without a paused clock.
//!
//! Shared by `ecosystem-macros` and `examples/tokio-compat` (see `macros_entry.rs`).

use std::cell::Cell;
use std::rc::Rc;
use std::thread;
use std::time::Duration;
use tokio::time::Instant;

/// Spawns `count` local tasks that each add their index to a shared `Rc` counter (not `Send`),
/// waits for them and returns the total.
async fn sum_in_local_tasks(count: u64) -> u64 {
    let total = Rc::new(Cell::new(0));
    let tasks: Vec<_> = (0..count)
        .map(|i| {
            let total = total.clone();
            tokio::task::spawn_local(async move {
                tokio::task::yield_now().await;
                total.set(total.get() + i);
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("the local task panicked");
    }
    total.get()
}

#[tokio::test(flavor = "local")]
async fn local_flavor_runs_tasks_that_are_not_send() {
    assert_eq!(sum_in_local_tasks(10).await, 45);
    // Everything runs on the test's thread, `Send` tasks included.
    let here = thread::current().id();
    let there = tokio::spawn(async { thread::current().id() })
        .await
        .unwrap();
    assert_eq!(there, here);
}

#[tokio::test(flavor = "local", start_paused = true)]
async fn local_flavor_accepts_a_paused_clock() {
    let start = Instant::now();
    tokio::time::advance(Duration::from_secs(2)).await;
    assert_eq!(start.elapsed(), Duration::from_secs(2));
    tokio::time::sleep(Duration::from_secs(60)).await;
    assert!(start.elapsed() >= Duration::from_secs(62));
}

#[tokio::main(flavor = "local")]
async fn local_main(count: u64) -> u64 {
    sum_in_local_tasks(count).await
}

#[test]
fn main_with_the_local_flavor() {
    assert_eq!(local_main(100), 4950);
}
