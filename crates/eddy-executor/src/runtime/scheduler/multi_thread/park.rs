//! How an idle worker sleeps: on the runtime's driver if nobody else holds it, otherwise on its
//! own condition variable.
//!
//! A runtime has one driver stack (I/O, timers) but several workers. The first idle worker to
//! `try_lock` the driver parks on it, so I/O events and timers are still processed while every
//! worker sleeps; the others block on their private condition variable. Each worker's
//! [`WorkerUnparker`] knows which of the two its worker chose and wakes it the right way: a
//! condition-variable notify, or the driver's unparker (an `epoll` wake-up).
//!
//! # State
//!
//! `state` takes four values:
//!
//! * `EMPTY`: awake, no wake-up pending.
//! * `PARKED_CONDVAR`: blocked (or about to block) on `condvar`. The unparker takes `lock` before
//!   notifying so the notification cannot slip between the check and the wait.
//! * `PARKED_DRIVER`: blocked in the driver. The unparker calls the driver's `Unparker`, which
//!   remembers an unpark that arrives before the driver blocks.
//! * `NOTIFIED`: a wake-up arrived; the next park consumes it and returns at once.
//!
//! The unparker swaps in `NOTIFIED` with `Release`; the parker consumes it with an `Acquire`
//! read-modify-write, so the waker's writes (the work it published) are visible after the park.

use crate::loom::sync::atomic::{AtomicUsize, Ordering};
use crate::loom::sync::{Arc, Condvar, Mutex};
use crate::runtime::driver::{self, Driver};
use std::fmt;

const EMPTY: usize = 0;
const PARKED_CONDVAR: usize = 1;
const PARKED_DRIVER: usize = 2;
const NOTIFIED: usize = 3;

/// The runtime's driver stack, shared by the workers; at most one parks on it at a time.
pub(crate) struct SharedDriver {
    driver: Mutex<Driver>,
}

impl SharedDriver {
    /// Wraps the runtime's driver stack.
    pub(crate) fn new(driver: Driver) -> SharedDriver {
        SharedDriver {
            driver: Mutex::new(driver),
        }
    }

    /// Dispatches ready I/O and timer events without blocking, if no worker is parked on the
    /// driver right now (that worker dispatches them anyway).
    pub(crate) fn poll_events(&self) {
        if let Some(mut driver) = self.driver.try_lock() {
            driver.poll_events();
        }
    }

    /// Shuts the driver down (after the workers stopped, so nobody holds it).
    pub(crate) fn shutdown(&self) {
        self.driver.lock().shutdown();
    }
}

/// A worker's parking place. Owned by the worker thread (or by whoever holds its core).
pub(crate) struct Parker {
    inner: Arc<Inner>,
}

/// Wakes one worker from any thread.
#[derive(Clone)]
pub(crate) struct WorkerUnparker {
    inner: Arc<Inner>,
}

struct Inner {
    state: AtomicUsize,
    lock: Mutex<()>,
    condvar: Condvar,
    /// Wakes whichever thread is parked on the driver.
    driver_unparker: driver::Handle,
}

impl Parker {
    /// A parker for one worker of the runtime whose drivers `driver_unparker` wakes.
    pub(crate) fn new(driver_unparker: driver::Handle) -> Parker {
        Parker {
            inner: Arc::new(Inner {
                state: AtomicUsize::new(EMPTY),
                lock: Mutex::new(()),
                condvar: Condvar::new(),
                driver_unparker,
            }),
        }
    }

    /// The handle that wakes this worker.
    pub(crate) fn unparker(&self) -> WorkerUnparker {
        WorkerUnparker {
            inner: self.inner.clone(),
        }
    }

    /// Blocks until unparked: on `shared`'s driver if it is free, else on the condvar. May
    /// return spuriously; the caller re-checks its conditions.
    pub(crate) fn park(&mut self, shared: &SharedDriver) {
        if self.inner.take_notification() {
            return;
        }
        match shared.driver.try_lock() {
            Some(mut driver) => self.inner.park_driver(&mut driver),
            None => self.inner.park_condvar(),
        }
    }
}

impl Inner {
    fn take_notification(&self) -> bool {
        self.state
            .compare_exchange(NOTIFIED, EMPTY, Ordering::Acquire, Ordering::Relaxed)
            .is_ok()
    }

    fn park_driver(&self, driver: &mut Driver) {
        if self
            .state
            .compare_exchange(EMPTY, PARKED_DRIVER, Ordering::Acquire, Ordering::Acquire)
            .is_err()
        {
            // A wake-up arrived since the fast path: consume it.
            self.state.swap(EMPTY, Ordering::Acquire);
            return;
        }
        driver.park();
        // Woken by our unparker, or by driver events: either way we are awake now, and a
        // wake-up that raced with the events is consumed here.
        self.state.swap(EMPTY, Ordering::Acquire);
    }

    fn park_condvar(&self) {
        let mut guard = self.lock.lock();
        if self
            .state
            .compare_exchange(EMPTY, PARKED_CONDVAR, Ordering::Acquire, Ordering::Acquire)
            .is_err()
        {
            self.state.swap(EMPTY, Ordering::Acquire);
            return;
        }
        loop {
            guard = self.condvar.wait(guard);
            if self.take_notification() {
                return;
            }
        }
    }

    fn unpark(&self) {
        match self.state.swap(NOTIFIED, Ordering::Release) {
            EMPTY | NOTIFIED => {}
            PARKED_CONDVAR => {
                drop(self.lock.lock());
                self.condvar.notify_one();
            }
            PARKED_DRIVER => self.driver_unparker.unpark(),
            state => unreachable!("eddy: invalid worker park state {state}"),
        }
    }
}

impl WorkerUnparker {
    /// Makes the worker's current or next park return.
    pub(crate) fn unpark(&self) {
        self.inner.unpark();
    }
}

impl fmt::Debug for SharedDriver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SharedDriver").finish_non_exhaustive()
    }
}

impl fmt::Debug for Parker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Parker").finish_non_exhaustive()
    }
}

impl fmt::Debug for WorkerUnparker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WorkerUnparker").finish_non_exhaustive()
    }
}
