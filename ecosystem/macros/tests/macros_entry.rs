//! `#[tokio::test]` and `#[tokio::main]` with each of their options, every test checking that
//! the option took effect: the flavor through where spawned tasks run, `worker_threads` through
//! the runtime's metrics, `start_paused` through the clock.
//!
//! Shared by `ecosystem-macros` (the patched crates.io `tokio`) and `examples/tokio-compat` (eddy
//! renamed to `tokio`): it names only `tokio` and `std`.

use std::num::ParseIntError;
use std::thread;
use std::time::Duration;
use tokio::runtime::{Handle, RuntimeFlavor};
use tokio::time::Instant;

/// Whether a task spawned now runs on the calling thread.
async fn spawned_task_runs_here() -> bool {
    let here = thread::current().id();
    tokio::spawn(async move { thread::current().id() == here })
        .await
        .expect("the task panicked")
}

#[tokio::test]
async fn test_defaults_to_current_thread() {
    assert_eq!(
        Handle::current().runtime_flavor(),
        RuntimeFlavor::CurrentThread
    );
    assert!(spawned_task_runs_here().await);
}

#[tokio::test(flavor = "current_thread")]
async fn current_thread_runs_tasks_on_the_test_thread() {
    assert_eq!(
        Handle::current().runtime_flavor(),
        RuntimeFlavor::CurrentThread
    );
    assert_eq!(Handle::current().metrics().num_workers(), 1);
    assert!(spawned_task_runs_here().await);
}

#[tokio::test(flavor = "multi_thread")]
async fn multi_thread_runs_tasks_on_its_workers() {
    assert_eq!(
        Handle::current().runtime_flavor(),
        RuntimeFlavor::MultiThread
    );
    assert!(Handle::current().metrics().num_workers() >= 1);
    assert!(!spawned_task_runs_here().await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 3)]
async fn worker_threads_sets_the_number_of_workers() {
    assert_eq!(Handle::current().metrics().num_workers(), 3);
    // Only the multi-thread runtime allows blocking a worker in place.
    let on_this_thread = tokio::task::block_in_place(|| thread::current().id());
    assert_eq!(on_this_thread, thread::current().id());
}

#[tokio::test(start_paused = true)]
async fn start_paused_freezes_the_clock() {
    let start = Instant::now();
    // Only a frozen clock can be advanced by hand, and then it moves by exactly that much.
    tokio::time::advance(Duration::from_secs(5)).await;
    assert_eq!(start.elapsed(), Duration::from_secs(5));
    // With nothing else to do, the runtime jumps the clock to the next timer.
    tokio::time::sleep(Duration::from_secs(3600)).await;
    assert!(start.elapsed() >= Duration::from_secs(3605));
}

#[tokio::test(flavor = "current_thread", start_paused = false)]
async fn start_paused_false_leaves_the_clock_running() {
    // Pausing panics if the clock is already frozen.
    tokio::time::pause();
    let start = Instant::now();
    tokio::time::sleep(Duration::from_secs(60)).await;
    assert!(start.elapsed() >= Duration::from_secs(60));
}

#[tokio::test(crate = "tokio", flavor = "multi_thread", worker_threads = 2)]
async fn crate_names_the_path_to_the_runtime() {
    assert_eq!(Handle::current().metrics().num_workers(), 2);
    assert!(!spawned_task_runs_here().await);
}

#[tokio::test(crate = "::tokio", start_paused = true)]
async fn crate_accepts_an_absolute_path() {
    let start = Instant::now();
    tokio::time::sleep(Duration::from_secs(10)).await;
    assert!(start.elapsed() >= Duration::from_secs(10));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2, name = "checked-not-used")]
async fn name_is_accepted_with_the_other_options() {
    assert_eq!(Handle::current().metrics().num_workers(), 2);
}

#[tokio::test]
async fn a_test_may_return_a_result() -> Result<(), ParseIntError> {
    let value: u32 = tokio::spawn(async { "41".parse::<u32>() })
        .await
        .expect("the task panicked")?;
    assert_eq!(value + 1, 42);
    Ok(())
}

#[tokio::test]
#[should_panic(expected = "raised in a spawned task")]
async fn a_panic_reaches_the_test_through_should_panic() {
    let error = tokio::spawn(async { panic!("raised in a spawned task") })
        .await
        .unwrap_err();
    std::panic::resume_unwind(error.into_panic());
}

#[tokio::main(flavor = "current_thread")]
async fn parse_on_a_runtime(text: &str) -> Result<u32, ParseIntError> {
    tokio::task::yield_now().await;
    text.parse()
}

#[test]
fn main_on_a_function_with_arguments_returns_its_result() {
    assert_eq!(parse_on_a_runtime("7"), Ok(7));
    assert!(parse_on_a_runtime("seven").is_err());
}

#[tokio::main(worker_threads = 2)]
async fn flavor_and_workers() -> (RuntimeFlavor, usize) {
    let handle = Handle::current();
    (handle.runtime_flavor(), handle.metrics().num_workers())
}

#[test]
fn main_defaults_to_multi_thread() {
    assert_eq!(flavor_and_workers(), (RuntimeFlavor::MultiThread, 2));
}

#[tokio::main(flavor = "current_thread", start_paused = true)]
async fn paused_main() -> Duration {
    let start = Instant::now();
    tokio::time::sleep(Duration::from_secs(86_400)).await;
    start.elapsed()
}

#[test]
fn main_with_a_paused_clock_sleeps_a_day_at_once() {
    assert!(paused_main() >= Duration::from_secs(86_400));
}
