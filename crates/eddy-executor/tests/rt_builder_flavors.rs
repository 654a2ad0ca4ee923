//! Builder options that one runtime flavor cannot honour are refused when the runtime is built,
//! the way Tokio refuses them, instead of being dropped without a word.
#![cfg(not(loom))]
#![cfg(all(feature = "multi-thread", feature = "test-util"))]

use eddy_executor::runtime::Builder;

/// Only a current-thread runtime can pause its clock; a multi-thread one refuses even without
/// the time driver, whose clock would otherwise be the one to refuse.
#[test]
#[should_panic(expected = "`time::pause()` requires the `current_thread` Tokio runtime")]
fn multi_thread_refuses_a_paused_clock_without_the_time_driver() {
    let _ = Builder::new_multi_thread()
        .worker_threads(1)
        .start_paused(true)
        .build();
}

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
