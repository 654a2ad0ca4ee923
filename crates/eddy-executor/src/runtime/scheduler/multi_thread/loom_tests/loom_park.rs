//! Loom models of a worker's parker: a wake-up reaches a worker whether it sleeps on the shared
//! driver or on its own condition variable, and one that comes early is remembered.

use super::super::park::{Parker, SharedDriver};
use crate::runtime::driver::{self, Driver};
use loom::sync::atomic::{AtomicUsize, Ordering};
use loom::sync::Arc;
use loom::thread;

/// A driver stack with no I/O and no timers: a thread parker.
fn driver() -> (Arc<SharedDriver>, driver::Handle) {
    let config = driver::Config {
        enable_io: false,
        enable_time: false,
        enable_pause_time: false,
        start_paused: false,
        // No I/O driver is built, so the event buffer sizes are never used.
        io_events_per_tick: 1,
        io_events_per_busy_tick: None,
    };
    let (driver, handle) = Driver::new(config).unwrap();
    (Arc::new(SharedDriver::new(driver)), handle)
}

#[test]
fn unpark_reaches_workers_on_driver_and_condvar() {
    loom::model(|| {
        let (shared, handle) = driver();
        let work = Arc::new(AtomicUsize::new(0));
        let parkers: Vec<Parker> = (0..2).map(|_| Parker::new(handle.clone())).collect();
        let unparkers: Vec<_> = parkers.iter().map(Parker::unparker).collect();
        let workers: Vec<_> = parkers
            .into_iter()
            .map(|mut parker| {
                let (work, shared) = (work.clone(), shared.clone());
                thread::spawn(move || {
                    while work.load(Ordering::Acquire) == 0 {
                        parker.park(&shared);
                    }
                })
            })
            .collect();
        work.store(1, Ordering::Release);
        for unparker in &unparkers {
            unparker.unpark();
        }
        for worker in workers {
            worker.join().unwrap();
        }
    });
}

#[test]
fn early_unpark_is_remembered() {
    loom::model(|| {
        let (shared, handle) = driver();
        let mut parker = Parker::new(handle);
        let unparker = parker.unparker();
        let work = Arc::new(AtomicUsize::new(0));
        let waker = {
            let work = work.clone();
            thread::spawn(move || {
                work.store(1, Ordering::Release);
                unparker.unpark();
            })
        };
        while work.load(Ordering::Acquire) == 0 {
            parker.park(&shared);
        }
        waker.join().unwrap();
    });
}
