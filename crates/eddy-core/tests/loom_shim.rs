//! Model of the loom shim's poison-free `Mutex` and `Condvar` handing a value from one thread
//! to another, as the park/unpark and blocking-pool code uses them.
#![cfg(loom)]

use eddy_core::loom::sync::{Arc, Condvar, Mutex};
use eddy_core::loom::thread;

#[test]
fn a_value_handed_over_under_the_lock_is_seen_by_the_waiter() {
    loom::model(|| {
        let shared = Arc::new((Mutex::new(None), Condvar::new()));
        let producer = {
            let shared = shared.clone();
            thread::spawn(move || {
                *shared.0.lock() = Some(7);
                shared.1.notify_one();
            })
        };
        let (slot, condvar) = &*shared;
        let mut guard = slot.lock();
        let value = loop {
            if let Some(value) = guard.take() {
                break value;
            }
            guard = condvar.wait(guard);
        };
        drop(guard);
        assert_eq!(value, 7);
        producer.join().unwrap();
    });
}

#[test]
fn try_lock_fails_only_while_the_other_thread_holds_the_lock() {
    loom::model(|| {
        let count = Arc::new(Mutex::new(0));
        let other = {
            let count = count.clone();
            thread::spawn(move || *count.lock() += 1)
        };
        if let Some(mut guard) = count.try_lock() {
            *guard += 1;
        }
        other.join().unwrap();
        let total = *count.lock();
        assert!(total == 1 || total == 2, "total {total}");
    });
}
