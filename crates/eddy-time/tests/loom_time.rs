//! Loom models of the timer wheel's cross-thread paths: a timer dropped or re-polled on one
//! thread while the driver fires it on another, and a timer filed from another thread while the
//! driver parks. The clock starts paused, so the driver reaches deadlines without real time.
#![cfg(loom)]

use eddy_core::park::{Park, ParkThread};
use eddy_time::driver::{self, Clock, Driver};
use eddy_time::{sleep, Duration};
use loom::sync::atomic::{AtomicUsize, Ordering};
use std::future::Future;
use std::sync::Arc;
use std::task::{Context, Wake, Waker};

struct CountingWaker(AtomicUsize);

impl Wake for CountingWaker {
    fn wake(self: Arc<Self>) {
        self.0.fetch_add(1, Ordering::Release);
    }
}

fn counting_waker() -> (Arc<CountingWaker>, Waker) {
    let counter = Arc::new(CountingWaker(AtomicUsize::new(0)));
    (counter.clone(), Waker::from(counter))
}

fn paused_driver() -> (Driver, driver::Handle) {
    Driver::new(Box::new(ParkThread::new()), Clock::new(true, true))
}

fn poll_pending<F: Future>(future: std::pin::Pin<&mut F>, waker: &Waker) -> bool {
    future.poll(&mut Context::from_waker(waker)).is_pending()
}

#[test]
fn drop_races_with_expiry() {
    loom::model(|| {
        let (mut driver, handle) = paused_driver();
        let _context = driver::enter(Some(handle));
        let (_, waker) = counting_waker();
        let mut doomed = Box::pin(sleep(Duration::from_millis(1)));
        // Keeps a deadline in the wheel, so parking never blocks for good.
        let mut anchor = Box::pin(sleep(Duration::from_millis(2)));
        assert!(poll_pending(doomed.as_mut(), &waker));
        assert!(poll_pending(anchor.as_mut(), &waker));

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
        let _context = driver::enter(Some(handle));
        let (_, first_waker) = counting_waker();
        let mut timer = Box::pin(sleep(Duration::from_millis(1)));
        assert!(poll_pending(timer.as_mut(), &first_waker));

        let poller = loom::thread::spawn(move || {
            let (woken, second_waker) = counting_waker();
            let pending = poll_pending(timer.as_mut(), &second_waker);
            (pending, woken, timer)
        });
        // The timer is in the wheel, so this park moves the paused clock to it and fires it.
        driver.park();
        let (pending, woken, timer) = poller.join().unwrap();
        assert!(timer.is_elapsed());
        if pending {
            // The poll saw the timer pending, so the fire must have woken the new waker.
            assert_eq!(woken.0.load(Ordering::Acquire), 1);
        }
    });
}

#[test]
fn registering_from_another_thread_wakes_a_parked_driver() {
    loom::model(|| {
        let (mut driver, handle) = paused_driver();
        let (woken, waker) = counting_waker();
        let registrar = loom::thread::spawn(move || {
            let _context = driver::enter(Some(handle));
            let mut timer = Box::pin(sleep(Duration::from_millis(1)));
            assert!(poll_pending(timer.as_mut(), &waker));
            timer
        });
        // With an empty wheel this parks with no timeout: only the registration can wake it.
        while woken.0.load(Ordering::Acquire) == 0 {
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
        let _context = driver::enter(Some(handle));
        let (_, waker) = counting_waker();
        let later = eddy_time::Instant::now() + Duration::from_millis(5);
        let mut timer = Box::pin(sleep(Duration::from_millis(1)));
        assert!(poll_pending(timer.as_mut(), &waker));

        let resetter = loom::thread::spawn(move || {
            timer.as_mut().reset(later);
            timer
        });
        // Moves the paused clock to 1 ms and fires the timer, unless the reset came first.
        driver.park();
        let mut timer = resetter.join().unwrap();
        // Either way the timer now waits for its new deadline: it never fires early.
        assert!(!timer.is_elapsed());
        assert!(poll_pending(timer.as_mut(), &waker));
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
        let _context = driver::enter(Some(handle.clone()));
        let start = eddy_time::Instant::now();
        let mut anchor = Box::pin(sleep(Duration::from_millis(2)));
        let (_, anchor_waker) = counting_waker();
        assert!(poll_pending(anchor.as_mut(), &anchor_waker));
        // The driver passes 2 ms, so 1 ms is in the past from now on.
        while !anchor.is_elapsed() {
            driver.park();
        }
        // Keeps a deadline in the wheel, so parking never blocks for good.
        let mut later = Box::pin(sleep(Duration::from_millis(10)));
        assert!(poll_pending(later.as_mut(), &anchor_waker));
        let (counter, waker) = counting_waker();
        let mut timer = Box::pin(sleep(Duration::from_millis(1)));
        assert!(poll_pending(timer.as_mut(), &waker));
        let resetter = loom::thread::spawn(move || {
            let _context = driver::enter(Some(handle));
            timer.as_mut().reset(start + Duration::from_millis(1));
            timer
        });
        driver.park();
        let timer = resetter.join().unwrap();
        assert!(timer.is_elapsed());
        assert!(counter.0.load(Ordering::Acquire) >= 1);
    });
}
