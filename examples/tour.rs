//! A tour of the foundation: spawning, joining, aborting, a panicking task, the blocking pool,
//! spawning from another thread, and shutting down with tasks still pending.
//!
//! `cargo run --example tour`

use std::time::Duration;

#[eddy::main(flavor = "current_thread")]
async fn main() {
    let handles: Vec<_> = (0..10_000u64)
        .map(|i| eddy::spawn(async move { i }))
        .collect();
    let mut total = 0;
    for handle in handles {
        total += handle.await.expect("task succeeded");
    }
    println!("10,000 tasks summed to {total}");

    let forever = eddy::spawn(std::future::pending::<()>());
    forever.abort();
    println!("aborted task: {}", forever.await.unwrap_err());

    let panicked = eddy::spawn(async { panic!("this task fails on purpose") });
    println!("panicked task: {}", panicked.await.unwrap_err());

    let digest = eddy::task::spawn_blocking(|| (1..=20u64).product::<u64>())
        .await
        .expect("blocking work succeeded");
    println!("20! computed on the blocking pool: {digest}");

    let handle = eddy::runtime::Handle::current();
    let remote = std::thread::spawn(move || handle.spawn(async { "hello from another thread" }))
        .join()
        .expect("spawning thread");
    println!("{}", remote.await.expect("remote task"));

    // Left pending: the runtime drops it when `main` returns.
    eddy::spawn(async {
        eddy::time::sleep(Duration::from_secs(3600)).await;
        unreachable!("the runtime shuts down first");
    });
    println!("main returns; the runtime drops the sleeping task");
}
