//! The paused clock: auto-advance when idle, pause/resume/advance, and their misuse.

mod support;

use eddy_test_support::task::{self, poll_once};
use eddy_test_support::{assert_pending, assert_ready};
use eddy_time::driver::Clock;
use eddy_time::{advance, pause, resume, sleep, Duration, Instant};
use std::future::poll_fn;
use std::pin::pin;
use std::task::Poll;
use support::TimeDriver;

#[test]
fn an_hour_long_sleep_completes_at_once_under_a_paused_clock() {
    let mut driver = TimeDriver::paused();
    let real_start = std::time::Instant::now();
    let start = Instant::now();
    driver.block_on(sleep(Duration::from_secs(3600)));
    assert_eq!(Instant::now(), start + Duration::from_secs(3600));
    // The real clock barely moved; an hour never passed (checked loosely, not timed).
    assert!(real_start.elapsed() < Duration::from_secs(3600));
}

#[test]
fn the_paused_clock_stands_still_while_tasks_have_work() {
    let mut driver = TimeDriver::paused();
    let start = Instant::now();
    driver.block_on(async {
        let mut long_sleep = pin!(sleep(Duration::from_secs(3600)));
        let mut busy_polls = 0;
        poll_fn(|cx| {
            // Keep the runtime busy for 100 polls: the clock must not jump meanwhile.
            if busy_polls < 100 {
                assert!(long_sleep.as_mut().poll(cx).is_pending());
                assert_eq!(Instant::now(), start);
                busy_polls += 1;
                cx.waker().wake_by_ref();
                return Poll::Pending;
            }
            long_sleep.as_mut().poll(cx)
        })
        .await;
    });
    assert_eq!(Instant::now(), start + Duration::from_secs(3600));
}

use std::future::Future;

#[test]
fn advance_moves_the_clock_and_fires_due_timers() {
    let mut driver = TimeDriver::paused();
    let start = Instant::now();
    driver.block_on(async {
        let mut short = pin!(sleep(Duration::from_millis(10)));
        let mut long = pin!(sleep(Duration::from_millis(30)));
        assert!(poll_once(short.as_mut(), std::task::Waker::noop()).is_pending());
        assert!(poll_once(long.as_mut(), std::task::Waker::noop()).is_pending());
        advance(Duration::from_millis(15)).await;
        assert_eq!(Instant::now(), start + Duration::from_millis(15));
        assert!(short.is_elapsed());
        assert!(!long.is_elapsed());
    });
}

#[test]
fn pause_and_resume_on_a_running_clock() {
    let mut driver = TimeDriver::real();
    driver.block_on(async {
        pause();
        let frozen = Instant::now();
        std::thread::sleep(std::time::Duration::from_millis(2));
        assert_eq!(Instant::now(), frozen);
        sleep(Duration::from_secs(60)).await;
        assert!(Instant::now() >= frozen + Duration::from_secs(60));
        resume();
        let resumed = Instant::now();
        std::thread::sleep(std::time::Duration::from_millis(2));
        assert!(Instant::now() > resumed);
    });
}

#[test]
fn outside_a_runtime_instant_now_is_the_system_clock() {
    let before = std::time::Instant::now();
    let now = Instant::now().into_std();
    assert!(now >= before);
}

#[test]
#[should_panic(expected = "time is already frozen")]
fn pausing_twice_panics() {
    let _driver = TimeDriver::paused();
    pause();
}

#[test]
#[should_panic(expected = "time is not frozen")]
fn resuming_a_running_clock_panics() {
    let _driver = TimeDriver::real();
    resume();
}

#[test]
#[should_panic(expected = "time is not frozen")]
fn advancing_a_running_clock_panics() {
    let mut driver = TimeDriver::real();
    driver.block_on(advance(Duration::from_secs(1)));
}

#[test]
#[should_panic(expected = "`time::pause()` requires the `current_thread` Tokio runtime")]
fn pausing_a_clock_without_pausing_enabled_panics() {
    let _driver = TimeDriver::with_clock(Clock::new(false, false));
    pause();
}

#[test]
#[should_panic(expected = "time cannot be frozen from outside the Tokio runtime")]
fn pausing_outside_a_runtime_panics() {
    pause();
}

#[test]
fn inhibited_auto_advance_waits_for_real_time() {
    let mut driver = TimeDriver::paused();
    let clock = driver.handle.clock().clone();
    assert!(clock.is_paused());
    clock.inhibit_auto_advance();
    let start = Instant::now();
    let allower = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(20));
        // Nothing moved the frozen clock while the inhibitor was held.
        let now = clock.now();
        clock.allow_auto_advance();
        now
    });
    // The driver cannot jump ahead, so it parks on its real timeout; the clock stays frozen
    // until the inhibitor is gone and a later park jumps to the deadline.
    driver.block_on(sleep(Duration::from_millis(5)));
    assert_eq!(allower.join().unwrap(), start.into_std());
    assert_eq!(Instant::now(), start + Duration::from_millis(5));
}

/// Regression: `advance(Duration::MAX)` moved the clock to the largest instant, and `now()`
/// overflowed once the clock was resumed. The clock lands thirty years ahead instead.
#[test]
fn advancing_by_the_maximum_then_resuming_keeps_time_sane() {
    let mut driver = TimeDriver::paused();
    let start = Instant::now();
    driver.block_on(advance(Duration::MAX));
    let thirty_years = Duration::from_secs(86_400 * 365 * 30);
    assert_eq!(Instant::now() - start, thirty_years);
    resume();
    assert!(Instant::now() - start >= thirty_years);
    assert!(Instant::now().checked_add(Duration::from_secs(1)).is_some());
}

/// `advance` fires the timers it passes at once, waking their tasks before it yields.
#[test]
fn advance_wakes_the_timers_it_passes() {
    let mut driver = TimeDriver::paused();
    driver.block_on(async {
        let mut timer = task::spawn(sleep(Duration::from_millis(1)));
        assert_pending!(timer.poll());
        advance(Duration::from_micros(250)).await;
        assert!(!timer.is_woken());
        advance(Duration::from_micros(1500)).await;
        assert_eq!(timer.wake_count(), 1);
        assert_ready!(timer.poll());
    });
}
