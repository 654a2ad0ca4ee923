//! Builder options that one runtime flavor cannot honour are refused when the runtime is built,
//! the way Tokio refuses them, instead of being dropped without a word.
//!
//! `start_paused` is honoured by every current-thread flavor, with the time driver or without
//! it: every runtime has a clock, as in Tokio.
#![cfg(not(loom))]
#![cfg(feature = "test-util")]

use eddy_executor::runtime::{Builder, LocalOptions};
use eddy_time::{Duration, Instant};

/// Only a current-thread runtime can pause its clock; a multi-thread one refuses even without
/// the time driver, whose clock would otherwise be the one to refuse.
#[cfg(feature = "multi-thread")]
#[test]
#[should_panic(expected = "`time::pause()` requires the `current_thread` Tokio runtime")]
fn multi_thread_refuses_a_paused_clock_without_the_time_driver() {
    let _ = Builder::new_multi_thread()
        .worker_threads(1)
        .start_paused(true)
        .build();
}

#[cfg(feature = "multi-thread")]
#[test]
#[should_panic(expected = "`time::pause()` requires the `current_thread` Tokio runtime")]
fn multi_thread_refuses_a_paused_clock_with_the_time_driver() {
    let _ = Builder::new_multi_thread()
        .worker_threads(1)
        .enable_time()
        .start_paused(true)
        .build();
}

/// `start_paused(false)` asks for nothing a multi-thread runtime lacks.
#[cfg(feature = "multi-thread")]
#[test]
fn multi_thread_accepts_a_running_clock() {
    let rt = Builder::new_multi_thread()
        .worker_threads(1)
        .enable_time()
        .start_paused(false)
        .build()
        .unwrap();
    assert_eq!(
        rt.block_on(async { eddy_executor::spawn(async { 7 }).await.unwrap() }),
        7
    );
}

/// Under a frozen clock `Instant::now` stands still while real time passes, and moves by exactly
/// what `advance` asks. Real time passing is a `thread::sleep`, which cannot move a frozen clock
/// whatever the machine's speed.
async fn assert_clock_frozen() {
    let start = Instant::now();
    std::thread::sleep(std::time::Duration::from_millis(2));
    assert_eq!(Instant::now(), start);
    eddy_time::advance(Duration::from_secs(3600)).await;
    assert_eq!(start.elapsed(), Duration::from_secs(3600));
}

#[test]
fn current_thread_starts_paused_without_the_time_driver() {
    let rt = Builder::new_current_thread()
        .start_paused(true)
        .build()
        .unwrap();
    rt.block_on(assert_clock_frozen());
}

#[test]
fn local_runtime_starts_paused_without_the_time_driver() {
    let rt = Builder::new_current_thread()
        .start_paused(true)
        .build_local(LocalOptions::default())
        .unwrap();
    rt.block_on(assert_clock_frozen());
}

#[test]
fn current_thread_starts_paused_with_the_time_driver() {
    let rt = Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap();
    rt.block_on(assert_clock_frozen());
}

/// `pause` and `resume` act on the clock of a runtime without timers too; timers there still
/// panic with the message that says how to enable them.
#[test]
fn a_runtime_without_timers_pauses_and_resumes_its_clock() {
    let rt = Builder::new_current_thread().build().unwrap();
    rt.block_on(async {
        eddy_time::pause();
        assert_clock_frozen().await;
        let frozen_at = Instant::now();
        eddy_time::resume();
        std::thread::sleep(std::time::Duration::from_millis(2));
        assert!(frozen_at.elapsed() >= Duration::from_millis(2));
    });
    let timer = std::panic::catch_unwind(|| {
        rt.block_on(async { eddy_time::sleep(Duration::from_millis(1)).await })
    });
    let message = eddy_test_support::panic_message(&*timer.unwrap_err());
    assert!(message.contains("timers are disabled"), "{message}");
}
