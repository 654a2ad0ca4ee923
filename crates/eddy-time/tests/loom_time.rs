//! Loom models of the timer wheel's cross-thread paths: a timer dropped or re-polled on one
//! thread while the driver fires it on another, and a timer filed from another thread while the
//! driver parks. The clock starts paused, so the driver reaches deadlines without real time.
#![cfg(loom)]

use eddy_core::park::{Park, ParkThread};
use eddy_test_support::task::poll_once;
use eddy_test_support::waker::counting;
use eddy_time::driver::{self, Clock, Driver};
use eddy_time::{sleep, Duration};

fn paused_driver() -> (Driver, driver::Handle) {
    Driver::new(Box::new(ParkThread::new()), Clock::new(true, true))
}

#[test]
fn drop_races_with_expiry() {
    loom::model(|| {
        let (mut driver, handle) = paused_driver();
        let _context = driver::enter(handle);
        let (_, waker) = counting();
        let mut doomed = Box::pin(sleep(Duration::from_millis(1)));
        // Keeps a deadline in the wheel, so parking never blocks for good.
        let mut anchor = Box::pin(sleep(Duration::from_millis(2)));
        assert!(poll_once(doomed.as_mut(), &waker).is_pending());
        assert!(poll_once(anchor.as_mut(), &waker).is_pending());

        let dropper = loom::thread::spawn(move || drop(doomed));
        driver.park();
        dropper.join().unwrap();
        while !anchor.is_elapsed() {
            driver.park();
        }
    });
}

#[test]
fn waker_update_races_with_expiry() {
    loom::model(|| {
        let (mut driver, handle) = paused_driver();
        let _context = driver::enter(handle);
        let (_, first_waker) = counting();
        let mut timer = Box::pin(sleep(Duration::from_millis(1)));
        assert!(poll_once(timer.as_mut(), &first_waker).is_pending());

        let poller = loom::thread::spawn(move || {
            let (woken, second_waker) = counting();
            let pending = poll_once(timer.as_mut(), &second_waker).is_pending();
            (pending, woken, timer)
        });
        // The timer is in the wheel, so this park moves the paused clock to it and fires it.
        driver.park();
        let (pending, woken, timer) = poller.join().unwrap();
        assert!(timer.is_elapsed());
        if pending {
            // The poll saw the timer pending, so the fire must have woken the new waker.
            assert_eq!(woken.count(), 1);
        }
    });
}

#[test]
fn registering_from_another_thread_wakes_a_parked_driver() {
    loom::model(|| {
        let (mut driver, handle) = paused_driver();
        let (woken, waker) = counting();
        let registrar = loom::thread::spawn(move || {
            let _context = driver::enter(handle);
            let mut timer = Box::pin(sleep(Duration::from_millis(1)));
            assert!(poll_once(timer.as_mut(), &waker).is_pending());
            timer
        });
        // With an empty wheel this parks with no timeout: only the registration can wake it.
        while woken.count() == 0 {
            driver.park();
        }
        let timer = registrar.join().unwrap();
        assert!(timer.is_elapsed());
    });
}

#[test]
fn moving_a_deadline_later_races_with_expiry() {
    loom::model(|| {
        let (mut driver, handle) = paused_driver();
        let _context = driver::enter(handle);
        let (_, waker) = counting();
        let later = eddy_time::Instant::now() + Duration::from_millis(5);
        let mut timer = Box::pin(sleep(Duration::from_millis(1)));
        assert!(poll_once(timer.as_mut(), &waker).is_pending());

        let resetter = loom::thread::spawn(move || {
            timer.as_mut().reset(later);
            timer
        });
        // Moves the paused clock to 1 ms and fires the timer, unless the reset came first.
        driver.park();
        let mut timer = resetter.join().unwrap();
        // Either way the timer now waits for its new deadline: it never fires early.
        assert!(!timer.is_elapsed());
        assert!(poll_once(timer.as_mut(), &waker).is_pending());
        while !timer.is_elapsed() {
            driver.park();
        }
        assert_eq!(eddy_time::Instant::now(), later);
    });
}

/// A timer reset on another thread to an instant the driver has already passed, while the
/// driver fires the timer's old slot: whichever wins, the waiting task is woken.
#[test]
fn reset_to_the_past_races_with_expiry() {
    loom::model(|| {
        let (mut driver, handle) = paused_driver();
        let _context = driver::enter(handle.clone());
        let start = eddy_time::Instant::now();
        let mut anchor = Box::pin(sleep(Duration::from_millis(2)));
        let (_, anchor_waker) = counting();
        assert!(poll_once(anchor.as_mut(), &anchor_waker).is_pending());
        // The driver passes 2 ms, so 1 ms is in the past from now on.
        while !anchor.is_elapsed() {
            driver.park();
        }
        // Keeps a deadline in the wheel, so parking never blocks for good.
        let mut later = Box::pin(sleep(Duration::from_millis(10)));
        assert!(poll_once(later.as_mut(), &anchor_waker).is_pending());
        let (counter, waker) = counting();
        let mut timer = Box::pin(sleep(Duration::from_millis(1)));
        assert!(poll_once(timer.as_mut(), &waker).is_pending());
        let resetter = loom::thread::spawn(move || {
            let _context = driver::enter(handle);
            timer.as_mut().reset(start + Duration::from_millis(1));
            timer
        });
        driver.park();
        let timer = resetter.join().unwrap();
        assert!(timer.is_elapsed());
        assert!(counter.count() >= 1);
    });
}
