//! Loom model of the driver's wake-up state: an unpark racing with a driver turn either is
//! seen by the scheduler when the park returns, or writes to the waker so the next poll
//! returns. A skipped syscall never loses a wake-up.
#![cfg(loom)]

use eddy_reactor::WakeState;
use loom::sync::atomic::{AtomicBool, Ordering};
use loom::thread;
use std::sync::Arc;

#[test]
fn an_unpark_is_never_lost() {
    loom::model(|| {
        let state = Arc::new(WakeState::new());
        let work = Arc::new(AtomicBool::new(false));
        let eventfd = Arc::new(AtomicBool::new(false));
        let unparker = {
            let (state, work, eventfd) = (state.clone(), work.clone(), eventfd.clone());
            thread::spawn(move || {
                work.store(true, Ordering::Relaxed);
                if state.unpark() {
                    eventfd.store(true, Ordering::Relaxed);
                }
            })
        };
        // One driver turn: the poll returned, tasks were woken, the park returns and the
        // scheduler looks for work before it would park again.
        state.begin_dispatch();
        state.unpark(); // a task woken by the dispatch itself
        state.end_dispatch();
        let saw_work = work.load(Ordering::Relaxed);
        unparker.join().unwrap();
        assert!(saw_work || eventfd.load(Ordering::Relaxed));
    });
}

#[test]
fn two_unparkers_between_turns_write_once() {
    loom::model(|| {
        let state = Arc::new(WakeState::new());
        let writes = Arc::new(loom::sync::atomic::AtomicUsize::new(0));
        let spawn = || {
            let (state, writes) = (state.clone(), writes.clone());
            thread::spawn(move || {
                if state.unpark() {
                    writes.fetch_add(1, Ordering::Relaxed);
                }
            })
        };
        let (a, b) = (spawn(), spawn());
        a.join().unwrap();
        b.join().unwrap();
        assert_eq!(writes.load(Ordering::Relaxed), 1);
    });
}
