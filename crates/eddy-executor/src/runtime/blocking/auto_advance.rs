//! A paused clock waits for blocking tasks.
//!
//! With a paused clock the time driver jumps to the next timer whenever the runtime has nothing
//! to run, but it cannot see work on the blocking pool: a test that sleeps on a pool thread would
//! find its timers fired before the work ended. So every blocking task inhibits auto-advance from
//! the moment it is spawned (not when a thread picks it up, which could be after the runtime
//! parked) until its closure returns or is dropped unrun. Ending the inhibition unparks the
//! driver so that a runtime already parked on the next deadline re-checks whether it may jump.
//! Without the `test-util` feature the closure is passed through untouched.

use crate::runtime::driver;

/// Wraps `func` so that the runtime's paused clock does not auto-advance until it has run or
/// been dropped.
#[cfg(feature = "test-util")]
pub(crate) fn inhibit_until_done<F, R>(driver: &driver::Handle, func: F) -> impl FnOnce() -> R
where
    F: FnOnce() -> R,
{
    let inhibitor = Inhibitor::new(driver);
    move || {
        let _inhibitor = inhibitor;
        func()
    }
}

/// Without a pausable clock there is nothing to inhibit.
#[cfg(not(feature = "test-util"))]
pub(crate) fn inhibit_until_done<F, R>(_driver: &driver::Handle, func: F) -> F
where
    F: FnOnce() -> R,
{
    func
}

/// One inhibition of a runtime's clock (none if the runtime has no time driver).
#[cfg(feature = "test-util")]
struct Inhibitor {
    driver: Option<driver::Handle>,
}

#[cfg(feature = "test-util")]
impl Inhibitor {
    fn new(driver: &driver::Handle) -> Inhibitor {
        let clock = driver.clock();
        if let Some(clock) = clock {
            clock.inhibit_auto_advance();
        }
        Inhibitor {
            driver: clock.is_some().then(|| driver.clone()),
        }
    }
}

#[cfg(feature = "test-util")]
impl Drop for Inhibitor {
    fn drop(&mut self) {
        let Some(driver) = &self.driver else { return };
        if let Some(clock) = driver.clock() {
            clock.allow_auto_advance();
        }
        driver.unpark();
    }
}
