//! `Handle::note_wake`: a scheduler that queued work on the driver's own thread keeps the paused
//! clock from auto-advancing at the next park, without unparking anything.

mod support;

use eddy_core::park::Park;
use eddy_test_support::task::poll_once;
use eddy_time::{sleep, Duration, Instant};
use std::pin::pin;
use std::task::Waker;
use support::TimeDriver;

#[test]
fn a_noted_wake_holds_the_paused_clock_for_one_park() {
    let mut time = TimeDriver::paused();
    let start = Instant::now();
    let mut timer = pin!(sleep(Duration::from_millis(50)));
    assert!(poll_once(timer.as_mut(), Waker::noop()).is_pending());

    time.handle.note_wake();
    time.driver.park();
    assert_eq!(
        Instant::now(),
        start,
        "the clock jumped although work was noted"
    );
    assert!(!timer.is_elapsed());

    // Nothing noted any more: idle, the clock moves to the deadline and the timer fires.
    time.driver.park();
    assert_eq!(Instant::now(), start + Duration::from_millis(50));
    assert!(timer.is_elapsed());
}
