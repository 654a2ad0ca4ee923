//! A paused clock and the blocking pool: while a `spawn_blocking` task is in flight the runtime
//! does not jump its paused clock to the next timer (feature `test-util`).
#![cfg(not(loom))]
#![cfg(feature = "test-util")]

use eddy_executor::runtime::{Builder, Runtime};
use eddy_executor::task;
use eddy_time::{sleep, Duration, Instant};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

const HOUR: Duration = Duration::from_secs(3600);

fn paused_rt() -> Runtime {
    Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap()
}

#[test]
fn paused_clock_waits_for_a_blocking_task() {
    let rt = paused_rt();
    rt.block_on(async {
        let start = Instant::now();
        let blocking_done = Arc::new(AtomicBool::new(false));
        let done = blocking_done.clone();
        let blocking = task::spawn_blocking(move || {
            std::thread::sleep(std::time::Duration::from_millis(50));
            done.store(true, Ordering::SeqCst);
            start.elapsed()
        });
        let sleeper = task::spawn(async move {
            sleep(HOUR).await;
            (blocking_done.load(Ordering::SeqCst), start.elapsed())
        });
        // Only the sleeper is awaited: the end of the blocking task alone must let the clock
        // jump (a runtime left parked on the one-hour deadline would hang here).
        let (blocking_finished_first, slept) = sleeper.await.unwrap();
        assert!(
            blocking_finished_first,
            "the clock jumped while blocking work ran"
        );
        assert!(slept >= HOUR);
        let paused_time_while_blocking = blocking.await.unwrap();
        assert_eq!(paused_time_while_blocking, Duration::ZERO);
    });
}

#[test]
fn paused_clock_advances_again_after_blocking_tasks() {
    let rt = paused_rt();
    rt.block_on(async {
        for _ in 0..3 {
            task::spawn_blocking(|| std::thread::sleep(std::time::Duration::from_millis(5)))
                .await
                .unwrap();
        }
        // Every inhibition was lifted: a long sleep completes at once in paused time.
        let start = Instant::now();
        sleep(HOUR).await;
        assert!(start.elapsed() >= HOUR);
    });
}
