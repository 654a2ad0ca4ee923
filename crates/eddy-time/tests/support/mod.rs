//! Running futures on a time driver alone, without an executor, and a seeded random sequence.
//! (Wakers and hand polling come from eddy-test-support.)
#![allow(dead_code)]

use eddy_core::ParkThread;
use eddy_time::driver::{self, Clock, Driver, EnterGuard, Handle};
use std::future::Future;

/// A time driver over a thread parker, entered on this thread until the guard drops.
pub struct TimeDriver {
    pub driver: Driver,
    pub handle: Handle,
    _context: EnterGuard,
}

impl TimeDriver {
    /// A driver on the real clock.
    pub fn real() -> TimeDriver {
        TimeDriver::with_clock(Clock::new(true, false))
    }

    /// A driver whose clock starts paused (and jumps to each deadline when idle).
    pub fn paused() -> TimeDriver {
        TimeDriver::with_clock(Clock::new(true, true))
    }

    pub fn with_clock(clock: Clock) -> TimeDriver {
        let (driver, handle) = Driver::new(Box::new(ParkThread::new()), clock);
        let context = driver::enter(handle.clone());
        TimeDriver {
            driver,
            handle,
            _context: context,
        }
    }

    pub fn block_on<F: Future>(&mut self, future: F) -> F::Output {
        eddy_core::block_on::block_on(&mut self.driver, future)
    }
}

/// A small deterministic pseudo-random sequence (xorshift), so tests need no dependency.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed | 1)
    }

    pub fn below(&mut self, bound: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % bound
    }
}
