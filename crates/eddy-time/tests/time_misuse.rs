//! Timers used where there is no time driver panic with a message that says what to do.

use eddy_time::driver::{self, Clock, EnterGuard, TimeContext};
use eddy_time::{interval, sleep, sleep_until, timeout, Duration, Instant};

/// Enters what a runtime built without timers offers: a clock, and no driver.
fn enter_runtime_without_timers() -> EnterGuard {
    driver::enter(TimeContext::ClockOnly(Clock::new(false, false)))
}

#[test]
#[should_panic(
    expected = "there is no reactor running, must be called from the context of a Tokio 1.x runtime"
)]
fn sleep_outside_a_runtime_panics() {
    drop(sleep(Duration::from_millis(1)));
}

#[test]
#[should_panic(expected = "there is no reactor running")]
fn timeout_outside_a_runtime_panics() {
    drop(timeout(Duration::from_millis(1), async {}));
}

#[test]
#[should_panic(expected = "there is no reactor running")]
fn interval_outside_a_runtime_panics() {
    let _ = interval(Duration::from_millis(1));
}

#[test]
#[should_panic(
    expected = "A Tokio 1.x context was found, but timers are disabled. Call `enable_time` on the runtime builder to enable timers."
)]
fn sleep_in_a_runtime_without_timers_panics() {
    let _context = enter_runtime_without_timers();
    drop(sleep_until(Instant::now()));
}

#[test]
fn leaving_the_context_restores_the_previous_one() {
    let outer = enter_runtime_without_timers();
    {
        let (_driver, handle) = driver::Driver::new(
            Box::new(eddy_core::ParkThread::new()),
            Clock::new(false, false),
        );
        let _inner = driver::enter(handle);
        drop(sleep(Duration::from_millis(1)));
    }
    let panicked = std::panic::catch_unwind(|| drop(sleep(Duration::from_millis(1))));
    drop(outer);
    let message = panicked.unwrap_err();
    let message = message.downcast_ref::<String>().unwrap();
    assert!(message.contains("timers are disabled"), "{message}");
}

/// The file of the panic `f` raises, seen by a panic hook (recorded per thread, so tests that
/// panic meanwhile on other threads do not interfere).
fn panic_file(f: impl FnOnce()) -> Option<String> {
    thread_local! {
        static FILE: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
    }
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(|info| {
        let file = info.location().map(|location| location.file().to_owned());
        FILE.with(|slot| *slot.borrow_mut() = file);
    }));
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    std::panic::set_hook(previous);
    assert!(outcome.is_err(), "no panic");
    FILE.with(|slot| slot.borrow_mut().take())
}

/// Misuse panics point at the user's call, not at eddy's insides (as Tokio's do).
#[test]
fn misuse_panics_point_at_the_caller() {
    let here = Some(file!().to_owned());
    assert_eq!(panic_file(|| drop(sleep(Duration::from_millis(1)))), here);
    assert_eq!(
        panic_file(|| drop(timeout(Duration::from_millis(1), async {}))),
        here
    );
    assert_eq!(panic_file(|| eddy_time::pause()), here);
    let _context = enter_runtime_without_timers();
    assert_eq!(panic_file(|| drop(sleep_until(Instant::now()))), here);
}
