//! A panicking waker when timers fire costs no other timer its wake-up: every timer due in the
//! same turn wakes its task, then the first panic reaches whoever parked the driver.

mod support;

use eddy_core::park::Park;
use eddy_test_support::task::poll_once;
use eddy_test_support::waker::{hooked, PanicOnWake};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;
use std::time::Duration;
use support::TimeDriver;

const TIMERS: usize = 4;

#[test]
fn every_due_timer_is_woken_when_one_waker_panics() {
    let mut time = TimeDriver::paused();
    let mut sleeps: Vec<_> = (0..TIMERS)
        .map(|_| Box::pin(eddy_time::sleep(Duration::from_secs(1))))
        .collect();
    let waiters: Vec<_> = sleeps
        .iter_mut()
        .map(|sleep| {
            let hooks = Arc::new(PanicOnWake::default());
            assert!(poll_once(sleep.as_mut(), &hooked(hooks.clone())).is_pending());
            hooks
        })
        .collect();
    // Idle on a paused clock, the driver moves the clock to the deadline and fires all four in
    // one turn; the turns before it only move the clock.
    let panic = (0..10)
        .find_map(|_| catch_unwind(AssertUnwindSafe(|| time.driver.park())).err())
        .expect("the first waker's panic resumes");
    assert_eq!(panic.downcast_ref(), Some(&"waker panicked on purpose"));
    let woken: Vec<_> = waiters.iter().map(|hooks| hooks.count()).collect();
    assert_eq!(woken, [1; TIMERS]);
}
