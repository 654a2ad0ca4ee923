//! eddy's macros, used the way a crate that depends on `tokio` from crates.io uses them.
//!
//! This package depends on nothing but `tokio = "1.54.1"`; the `ecosystem/` workspace patches
//! that onto eddy's compat package (`crates/tokio`). It has no eddy dependency under any name, so
//! its `#[tokio::main]` and `#[tokio::test]` only work if the macros find `::tokio` by
//! themselves. The code is in the tests (`tests/macros_*.rs`, one file per macro family, each
//! test checking what the macro did, not only that it compiled) and in the binary (`src/main.rs`,
//! `#[tokio::main]` on a real `main`, which `tests/macros_main.rs` runs). The same test files
//! are compiled a second time in `examples/tokio-compat`, where eddy is a dependency renamed to
//! `tokio`, so both ways of calling eddy "tokio" have one set of tests.
//!
//! The library itself holds one entry point, [`sum_on_workers`]: `#[tokio::main]` on a library
//! function, which is compiled outside any test, where dev-dependencies are out of reach.

/// Sums `0..count` in `count` tasks on a new two-worker runtime and returns the sum with the
/// number of workers the runtime reports.
#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
pub async fn sum_on_workers(count: u64) -> (u64, usize) {
    let tasks: Vec<_> = (0..count).map(|i| tokio::spawn(async move { i })).collect();
    let mut sum = 0;
    for task in tasks {
        sum += task.await.expect("the task panicked");
    }
    (
        sum,
        tokio::runtime::Handle::current().metrics().num_workers(),
    )
}
