//! Intervals on a paused clock: exact tick instants, each missed-tick behavior, resets.

mod support;

use eddy_time::{advance, interval, interval_at, Duration, Instant, MissedTickBehavior};
use support::TimeDriver;

fn ms(ms: u64) -> Duration {
    Duration::from_millis(ms)
}

#[test]
fn ticks_at_exact_paused_instants() {
    let mut driver = TimeDriver::paused();
    let start = Instant::now();
    driver.block_on(async {
        let mut ticks = interval(ms(10));
        for n in 0..5 {
            assert_eq!(ticks.tick().await, start + ms(10 * n));
            assert_eq!(Instant::now(), start + ms(10 * n));
        }
    });
}

#[test]
fn interval_at_starts_at_the_given_instant() {
    let mut driver = TimeDriver::paused();
    let start = Instant::now();
    driver.block_on(async {
        let mut ticks = interval_at(start + ms(25), ms(10));
        assert_eq!(ticks.tick().await, start + ms(25));
        assert_eq!(ticks.tick().await, start + ms(35));
        assert_eq!(Instant::now(), start + ms(35));
    });
}

/// Ticks at 0 and 10, then the task stalls until 45: returns the next four ticks with the clock
/// reading at each.
fn ticks_after_a_stall(behavior: MissedTickBehavior) -> Vec<(Duration, Duration)> {
    let mut driver = TimeDriver::paused();
    let start = Instant::now();
    driver.block_on(async {
        let mut ticks = interval(ms(10));
        ticks.set_missed_tick_behavior(behavior);
        assert_eq!(ticks.missed_tick_behavior(), behavior);
        ticks.tick().await;
        ticks.tick().await;
        advance(ms(35)).await;
        let mut seen = Vec::new();
        for _ in 0..4 {
            let due = ticks.tick().await;
            seen.push((due - start, Instant::now() - start));
        }
        seen
    })
}

#[test]
fn burst_catches_up_at_once_then_keeps_the_schedule() {
    assert_eq!(
        ticks_after_a_stall(MissedTickBehavior::Burst),
        [
            (ms(20), ms(45)),
            (ms(30), ms(45)),
            (ms(40), ms(45)),
            (ms(50), ms(50))
        ]
    );
}

#[test]
fn delay_restarts_the_schedule_from_the_late_tick() {
    assert_eq!(
        ticks_after_a_stall(MissedTickBehavior::Delay),
        [
            (ms(20), ms(45)),
            (ms(55), ms(55)),
            (ms(65), ms(65)),
            (ms(75), ms(75))
        ]
    );
}

#[test]
fn skip_goes_on_with_the_next_tick_of_the_schedule() {
    assert_eq!(
        ticks_after_a_stall(MissedTickBehavior::Skip),
        [
            (ms(20), ms(45)),
            (ms(50), ms(50)),
            (ms(60), ms(60)),
            (ms(70), ms(70))
        ]
    );
}

#[test]
fn default_behavior_is_burst() {
    assert_eq!(MissedTickBehavior::default(), MissedTickBehavior::Burst);
    let _driver = TimeDriver::paused();
    assert_eq!(
        interval(ms(1)).missed_tick_behavior(),
        MissedTickBehavior::Burst
    );
}

#[test]
fn resets_move_the_next_tick() {
    let mut driver = TimeDriver::paused();
    let start = Instant::now();
    driver.block_on(async {
        let mut ticks = interval(ms(10));
        assert_eq!(ticks.period(), ms(10));
        ticks.tick().await;

        ticks.reset_after(ms(3));
        assert_eq!(ticks.tick().await, start + ms(3));

        ticks.reset();
        assert_eq!(ticks.tick().await, start + ms(13));

        ticks.reset_at(start + ms(100));
        assert_eq!(ticks.tick().await, start + ms(100));

        ticks.reset_immediately();
        assert_eq!(ticks.tick().await, start + ms(100));
        assert_eq!(ticks.tick().await, start + ms(110));
    });
}

#[test]
fn a_dropped_tick_future_loses_no_tick() {
    let mut driver = TimeDriver::paused();
    let start = Instant::now();
    driver.block_on(async {
        let mut ticks = interval(ms(10));
        ticks.tick().await;
        let outcome = eddy_time::timeout(ms(5), ticks.tick()).await;
        assert!(outcome.is_err());
        assert_eq!(ticks.tick().await, start + ms(10));
    });
}

#[test]
#[should_panic(expected = "`period` must be non-zero.")]
fn a_zero_period_panics() {
    let _driver = TimeDriver::paused();
    let _ = interval(Duration::ZERO);
}

#[test]
fn poll_tick_with_real_time() {
    let mut driver = TimeDriver::real();
    let start = Instant::now();
    let mut ticks = interval(ms(2));
    let mut last = None;
    for _ in 0..3 {
        let due = driver.block_on(std::future::poll_fn(|cx| ticks.poll_tick(cx)));
        assert!(Instant::now() >= due);
        assert!(last.map_or(true, |last| due > last));
        last = Some(due);
    }
    assert!(last.unwrap() >= start + ms(4));
}
