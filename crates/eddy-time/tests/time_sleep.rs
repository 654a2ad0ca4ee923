//! Sleeps on a time driver alone: ordering, reset, far deadlines, cross-thread use, shutdown.

mod support;

use eddy_core::coop;
use eddy_core::park::Park;
use eddy_test_support::task::{self, poll_once};
use eddy_test_support::waker::counting;
use eddy_test_support::{assert_pending, assert_ready};
use eddy_time::{sleep, sleep_until, Duration, Instant, Sleep};
use std::future::poll_fn;
use std::pin::{pin, Pin};
use std::sync::mpsc;
use std::sync::Arc;
use std::task::{Poll, Waker};
use std::thread;
use support::{Rng, TimeDriver};

/// Drives all `sleeps` to completion; returns, per wake-up of the driver, the indices that
/// completed, each with the clock reading at that moment.
fn complete_all(
    driver: &mut TimeDriver,
    mut sleeps: Vec<Pin<Box<Sleep>>>,
) -> Vec<(Vec<usize>, Instant)> {
    let mut done = vec![false; sleeps.len()];
    let mut rounds = Vec::new();
    driver.block_on(poll_fn(|cx| {
        let mut round = Vec::new();
        for (index, sleep) in sleeps.iter_mut().enumerate() {
            if !done[index] && sleep.as_mut().poll(cx).is_ready() {
                done[index] = true;
                round.push(index);
            }
        }
        if !round.is_empty() {
            rounds.push((round, Instant::now()));
        }
        if done.iter().all(|&done| done) {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }));
    rounds
}

use std::future::Future;

#[test]
fn many_timers_fire_in_deadline_order_at_their_exact_paused_instants() {
    let mut driver = TimeDriver::paused();
    let start = Instant::now();
    let mut rng = Rng::new(7);
    // Deadlines spread over every level up to a few hours, all distinct.
    let mut offsets: Vec<u64> = Vec::new();
    while offsets.len() < 400 {
        let scale = [1_024, 4_096, 262_144, 16_777_216][offsets.len() % 4];
        let offset = 1 + rng.below(scale);
        if !offsets.contains(&offset) {
            offsets.push(offset);
        }
    }
    let sleeps = offsets
        .iter()
        .map(|&ms| Box::pin(sleep_until(start + Duration::from_millis(ms))))
        .collect();
    let rounds = complete_all(&mut driver, sleeps);

    let mut expected: Vec<usize> = (0..offsets.len()).collect();
    expected.sort_by_key(|&index| offsets[index]);
    let fired: Vec<usize> = rounds.iter().flat_map(|(round, _)| round.clone()).collect();
    assert_eq!(fired, expected);
    for (round, now) in &rounds {
        assert_eq!(round.len(), 1, "distinct deadlines fire one at a time");
        assert_eq!(*now, start + Duration::from_millis(offsets[round[0]]));
    }
}

#[test]
fn timers_on_the_real_clock_fire_in_order_and_never_early() {
    let mut driver = TimeDriver::real();
    let start = Instant::now();
    let mut rng = Rng::new(11);
    let deadlines: Vec<Instant> = (0..60)
        .map(|_| start + Duration::from_millis(rng.below(40)))
        .collect();
    let sleeps = deadlines
        .iter()
        .map(|&d| Box::pin(sleep_until(d)))
        .collect();
    let rounds = complete_all(&mut driver, sleeps);

    let mut latest_fired = start;
    for (round, now) in &rounds {
        for &index in round {
            assert!(
                deadlines[index] <= *now,
                "a timer fired before its deadline"
            );
            assert!(deadlines[index] >= latest_fired.min(deadlines[index]));
        }
        let earliest_in_round = round.iter().map(|&i| deadlines[i]).min().unwrap();
        assert!(
            earliest_in_round >= latest_fired,
            "a timer fired out of order"
        );
        latest_fired = round.iter().map(|&i| deadlines[i]).max().unwrap();
    }
    assert_eq!(rounds.iter().map(|(r, _)| r.len()).sum::<usize>(), 60);
}

#[test]
fn reset_moves_a_pending_sleep_earlier_and_later() {
    let mut driver = TimeDriver::paused();
    let start = Instant::now();
    driver.block_on(async {
        let mut sleep = pin!(sleep(Duration::from_secs(10)));
        let waker = Waker::noop();
        assert!(poll_once(sleep.as_mut(), waker).is_pending());

        sleep.as_mut().reset(start + Duration::from_millis(30));
        assert_eq!(sleep.deadline(), start + Duration::from_millis(30));
        (&mut sleep).await;
        assert_eq!(Instant::now(), start + Duration::from_millis(30));
        assert!(sleep.is_elapsed());

        // Re-arm the fired sleep, then push it later twice (the lock-free path).
        sleep.as_mut().reset(start + Duration::from_millis(50));
        assert!(!sleep.is_elapsed());
        assert!(poll_once(sleep.as_mut(), waker).is_pending());
        sleep.as_mut().reset(start + Duration::from_millis(80));
        sleep.as_mut().reset(start + Duration::from_millis(80));
        (&mut sleep).await;
        assert_eq!(Instant::now(), start + Duration::from_millis(80));
    });
}

#[test]
fn reset_before_the_first_poll_is_honoured() {
    let mut driver = TimeDriver::paused();
    let start = Instant::now();
    driver.block_on(async {
        let mut sleep = pin!(sleep(Duration::from_secs(3600)));
        sleep.as_mut().reset(start + Duration::from_millis(5));
        sleep.await;
    });
    assert_eq!(Instant::now(), start + Duration::from_millis(5));
}

#[test]
fn a_past_deadline_completes_on_the_first_poll_after_the_driver_caught_up() {
    let mut driver = TimeDriver::paused();
    driver.block_on(sleep(Duration::from_millis(3)));
    let past = Instant::now() - Duration::from_millis(2);
    let mut sleep = pin!(sleep_until(past));
    assert!(poll_once(sleep.as_mut(), Waker::noop()).is_ready());
    assert!(sleep.is_elapsed());
}

#[test]
fn far_deadlines_do_not_panic_and_fire_at_the_right_time() {
    let mut driver = TimeDriver::paused();
    let start = Instant::now();
    let mut never = pin!(sleep(Duration::MAX));
    assert!(never.deadline() > start + Duration::from_secs(86_400 * 365 * 20));
    assert!(poll_once(never.as_mut(), Waker::noop()).is_pending());

    // Beyond the top level's 2.2-year span, so the wheel wraps around.
    let year = Duration::from_secs(86_400 * 365);
    let offsets = [year * 5, year, year * 3, Duration::from_millis(1)];
    let sleeps = offsets.iter().map(|&d| Box::pin(sleep(d))).collect();
    let rounds = complete_all(&mut driver, sleeps);
    let order: Vec<usize> = rounds.iter().flat_map(|(r, _)| r.clone()).collect();
    assert_eq!(order, [3, 1, 2, 0]);
    assert_eq!(rounds[3].1, start + year * 5);
    assert!(!never.is_elapsed());
}

#[test]
fn deadlines_over_decades_fire_in_order_across_wraps_of_the_top_level() {
    let mut driver = TimeDriver::paused();
    let start = Instant::now();
    let mut rng = Rng::new(3);
    let twenty_years_ms = 20 * 365 * 86_400_000;
    let offsets: Vec<u64> = (0..60).map(|_| 1 + rng.below(twenty_years_ms)).collect();
    let sleeps = offsets
        .iter()
        .map(|&ms| Box::pin(sleep_until(start + Duration::from_millis(ms))))
        .collect();
    let rounds = complete_all(&mut driver, sleeps);
    for (round, now) in &rounds {
        for &index in round {
            assert_eq!(*now, start + Duration::from_millis(offsets[index]));
        }
    }
    assert_eq!(
        rounds.iter().map(|(r, _)| r.len()).sum::<usize>(),
        offsets.len()
    );
}

#[test]
fn parking_towards_a_far_deadline_on_the_real_clock_does_not_overflow() {
    let mut driver = TimeDriver::real();
    let mut never = Box::pin(sleep(Duration::MAX));
    assert!(poll_once(never.as_mut(), Waker::noop()).is_pending());
    let unparker = driver.driver.unparker();
    let waker_thread = thread::spawn(move || {
        thread::sleep(std::time::Duration::from_millis(10));
        unparker.unpark();
    });
    // Parks with a timeout of about thirty years; the unpark ends it.
    driver.driver.park();
    waker_thread.join().unwrap();
    assert!(!never.is_elapsed());
}

#[test]
fn sleep_dropped_on_another_thread_leaves_the_wheel() {
    let mut driver = TimeDriver::paused();
    let start = Instant::now();
    let (to_dropper, dropper) = mpsc::channel::<Pin<Box<Sleep>>>();
    let dropper = thread::spawn(move || {
        for sleep in dropper {
            drop(sleep);
        }
    });
    for ms in 1..=100 {
        let mut sleep = Box::pin(sleep(Duration::from_millis(ms)));
        assert!(poll_once(sleep.as_mut(), Waker::noop()).is_pending());
        to_dropper.send(sleep).unwrap();
    }
    drop(to_dropper);
    dropper.join().unwrap();
    // Only this sleep is left, so the paused clock jumps straight to it.
    driver.block_on(sleep(Duration::from_millis(500)));
    assert_eq!(Instant::now(), start + Duration::from_millis(500));
}

#[test]
fn timers_created_on_one_thread_and_dropped_on_another_race_with_expiry() {
    let mut driver = TimeDriver::real();
    let handle = driver.handle.clone();
    let (to_dropper, dropper) = mpsc::channel::<Pin<Box<Sleep>>>();
    let creator = thread::spawn(move || {
        let _context = eddy_time::driver::enter(handle);
        let waker = counting().1;
        for round in 0..2_000u64 {
            let mut sleep = Box::pin(sleep(Duration::from_millis(round % 3)));
            let _ = poll_once(sleep.as_mut(), &waker);
            to_dropper.send(sleep).unwrap();
        }
    });
    let dropper = thread::spawn(move || dropper.into_iter().count());
    // Fire timers on this thread while the others file and drop them.
    driver.block_on(sleep(Duration::from_millis(60)));
    creator.join().unwrap();
    assert_eq!(dropper.join().unwrap(), 2_000);
}

#[test]
fn registering_from_another_thread_wakes_the_parked_driver() {
    let mut driver = TimeDriver::real();
    let handle = driver.handle.clone();
    let (fired, waker) = counting();
    let (sleep_done, wait_done) = mpsc::channel::<()>();
    let registrar = thread::spawn(move || {
        let _context = eddy_time::driver::enter(handle);
        let mut sleep = Box::pin(sleep(Duration::from_millis(20)));
        thread::sleep(std::time::Duration::from_millis(30));
        // The driver is parked with no timer at all; filing this one must wake it.
        assert!(poll_once(sleep.as_mut(), &waker).is_pending());
        wait_done.recv().unwrap();
        assert!(sleep.is_elapsed());
    });
    while fired.count() == 0 {
        driver.driver.park();
    }
    sleep_done.send(()).unwrap();
    registrar.join().unwrap();
}

#[test]
fn an_earlier_timer_from_another_thread_shortens_the_drivers_sleep() {
    let mut driver = TimeDriver::real();
    // The driver sleeps towards this hour-long deadline until the other thread's timer comes.
    let mut anchor = Box::pin(sleep(Duration::from_secs(3600)));
    assert!(poll_once(anchor.as_mut(), Waker::noop()).is_pending());
    let handle = driver.handle.clone();
    let (fired, waker) = counting();
    let (sleep_done, wait_done) = mpsc::channel::<()>();
    let registrar = thread::spawn(move || {
        let _context = eddy_time::driver::enter(handle);
        let mut sleep = Box::pin(sleep(Duration::from_millis(10)));
        thread::sleep(std::time::Duration::from_millis(20));
        assert!(poll_once(sleep.as_mut(), &waker).is_pending());
        wait_done.recv().unwrap();
        assert!(sleep.is_elapsed());
    });
    while fired.count() == 0 {
        driver.driver.park();
    }
    sleep_done.send(()).unwrap();
    registrar.join().unwrap();
    assert!(!anchor.is_elapsed());
}

#[test]
fn shutdown_wakes_pending_timers() {
    let mut driver = TimeDriver::real();
    let (woken, waker) = counting();
    let mut sleeps: Vec<_> = (1..=3)
        .map(|hours| Box::pin(sleep(Duration::from_secs(3600 * hours))))
        .collect();
    for sleep in &mut sleeps {
        assert!(poll_once(sleep.as_mut(), &waker).is_pending());
    }
    driver.driver.shutdown();
    assert_eq!(woken.count(), 3);
    assert!(sleeps.iter().all(|sleep| sleep.is_elapsed()));
}

#[test]
#[should_panic(expected = "A Tokio 1.x context was found, but it is being shutdown.")]
fn polling_after_shutdown_panics() {
    let mut driver = TimeDriver::real();
    let mut sleep = Box::pin(sleep(Duration::from_secs(1)));
    assert!(poll_once(sleep.as_mut(), Waker::noop()).is_pending());
    driver.driver.shutdown();
    let _ = poll_once(sleep.as_mut(), Waker::noop());
}

#[test]
fn dropping_the_driver_wakes_pending_timers() {
    let driver = TimeDriver::real();
    let (woken, waker) = counting();
    let mut sleep = Box::pin(sleep(Duration::from_secs(3600)));
    assert!(poll_once(sleep.as_mut(), &waker).is_pending());
    drop(driver);
    assert_eq!(woken.count(), 1);
}

#[test]
fn an_elapsed_sleep_spends_budget_and_yields_when_none_is_left() {
    let mut driver = TimeDriver::paused();
    let mut sleep = Box::pin(sleep(Duration::from_millis(1)));
    driver.block_on(&mut sleep);
    let waker = Waker::noop();
    coop::budget(|| {
        for _ in 0..coop::INITIAL_BUDGET {
            assert!(poll_once(sleep.as_mut(), waker).is_ready());
        }
        assert!(!coop::has_budget_remaining());
        assert!(poll_once(sleep.as_mut(), waker).is_pending());
    });
}

#[test]
fn a_pending_sleep_gives_its_budget_unit_back() {
    let _driver = TimeDriver::paused();
    let mut sleep = Box::pin(sleep(Duration::from_secs(1)));
    coop::budget(|| {
        for _ in 0..1_000 {
            assert!(poll_once(sleep.as_mut(), Waker::noop()).is_pending());
        }
        assert!(coop::has_budget_remaining());
    });
}

#[test]
fn sleep_is_no_larger_than_tokios() {
    // Tokio 1.54's `Sleep` is 96 bytes on 64-bit targets.
    if cfg!(target_pointer_width = "64") {
        assert!(
            std::mem::size_of::<Sleep>() <= 96,
            "{}",
            std::mem::size_of::<Sleep>()
        );
    }
}

#[test]
fn sleep_timeout_and_interval_are_send_and_sync() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Sleep>();
    send_sync::<eddy_time::Interval>();
    send_sync::<eddy_time::Timeout<Sleep>>();
    send_sync::<eddy_time::driver::Handle>();
    send_sync::<eddy_time::Instant>();
    send_sync::<eddy_time::error::Elapsed>();
    let _ = Arc::new(0);
}

/// Regression: `sleep(Duration::MAX)` saturated to the largest instant the platform holds, so
/// adding to its deadline panicked and a paused clock needed ~2^26 wheel turns to reach it.
/// Now "never" is thirty years ahead.
#[test]
fn an_endless_sleep_has_a_sane_deadline() {
    let mut driver = TimeDriver::paused();
    let start = Instant::now();
    let thirty_years = Duration::from_secs(86_400 * 365 * 30);
    let mut never = pin!(sleep(Duration::MAX));
    assert_eq!(never.deadline(), start + thirty_years);
    let later = never.deadline() + Duration::from_secs(86_400 * 365);
    assert!(later > never.deadline());
    // The paused clock gets there (and fires it) in a few wheel turns.
    driver.block_on(never.as_mut());
    assert_eq!(Instant::now(), start + thirty_years);
}

/// Regression: resetting a pending sleep to an instant that has passed marked it fired but did
/// not wake the task waiting on it.
#[test]
fn reset_to_a_passed_instant_wakes_the_waiting_task() {
    let mut driver = TimeDriver::paused();
    driver.block_on(sleep(Duration::from_millis(5)));
    let mut sleep = task::spawn(sleep(Duration::from_secs(60)));
    assert_pending!(sleep.poll());
    sleep
        .as_mut()
        .reset(Instant::now() - Duration::from_millis(2));
    assert_eq!(sleep.wake_count(), 1);
    assert!(sleep.get_ref().is_elapsed());
    assert_ready!(sleep.poll());
}
