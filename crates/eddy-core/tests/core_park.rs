use eddy_core::park::{Park, ParkThread};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

#[test]
fn unpark_before_park_is_remembered() {
    let mut park = ParkThread::new();
    park.unparker().unpark();
    // Must return at once rather than block forever.
    park.park();
}

#[test]
fn unpark_from_another_thread_wakes_a_parked_thread() {
    let mut park = ParkThread::new();
    let unparker = park.unparker();
    let flag = Arc::new(AtomicBool::new(false));
    let flag2 = flag.clone();
    let thread = std::thread::spawn(move || {
        flag2.store(true, Ordering::SeqCst);
        unparker.unpark();
    });
    while !flag.load(Ordering::SeqCst) {
        park.park();
    }
    thread.join().unwrap();
}

#[test]
fn zero_timeout_does_not_block() {
    let mut park = ParkThread::new();
    park.park_timeout(Duration::ZERO);
}
