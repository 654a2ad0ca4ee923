//! Loom models of the thread parker: no unpark is ever lost.
#![cfg(loom)]

use eddy_core::park::{Park, ParkThread};
use loom::sync::atomic::{AtomicBool, Ordering};
use loom::sync::Arc;
use loom::thread;

#[test]
fn unpark_racing_park_is_not_lost() {
    loom::model(|| {
        let mut park = ParkThread::new();
        let unparker = park.unparker();
        let ready = Arc::new(AtomicBool::new(false));
        let ready2 = ready.clone();
        let thread = thread::spawn(move || {
            ready2.store(true, Ordering::Release);
            unparker.unpark();
        });
        while !ready.load(Ordering::Acquire) {
            park.park();
        }
        thread.join().unwrap();
    });
}

#[test]
fn two_unparks_and_two_parks() {
    loom::model(|| {
        let mut park = ParkThread::new();
        let unparker = park.unparker();
        let count = Arc::new(loom::sync::atomic::AtomicUsize::new(0));
        let count2 = count.clone();
        let thread = thread::spawn(move || {
            for _ in 0..2 {
                count2.fetch_add(1, Ordering::Release);
                unparker.unpark();
            }
        });
        while count.load(Ordering::Acquire) < 2 {
            park.park();
        }
        thread.join().unwrap();
    });
}
