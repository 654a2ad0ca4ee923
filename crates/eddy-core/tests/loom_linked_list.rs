//! Loom model of the intrusive list as its users share it: behind a mutex, one thread links a
//! node of its own and cancels it while another drains the list, each popped node signalled as
//! the drainer's last access. Loom checks that the links are never touched by two threads at
//! once (they live in loom cells), and the model that every node is taken exactly once.
#![cfg(loom)]

use eddy_core::linked_list::{Link, LinkedList, Pointers};
use loom::sync::atomic::{AtomicBool, Ordering};
use loom::sync::{Arc, Mutex};
use loom::thread;
use std::marker::PhantomPinned;
use std::ptr::NonNull;

/// A waiter: its links, and the flag the drainer sets when it takes it.
struct Waiter {
    pointers: Pointers<Waiter>,
    drained: AtomicBool,
    _pinned: PhantomPinned,
}

// SAFETY: `pointers` is a field of the waiter, and the model links waiters into one list only.
unsafe impl Link for Waiter {
    fn pointers(&self) -> &Pointers<Waiter> {
        &self.pointers
    }
}

impl Waiter {
    fn new() -> Waiter {
        Waiter {
            pointers: Pointers::new(),
            drained: AtomicBool::new(false),
            _pinned: PhantomPinned,
        }
    }
}

fn ptr(waiter: &Arc<Waiter>) -> NonNull<Waiter> {
    NonNull::from(&**waiter)
}

/// Takes every waiter, signalling each as the last access to it.
fn drain(list: &Mutex<LinkedList<Waiter>>) {
    let mut list = list.lock().unwrap();
    while let Some(waiter) = list.pop_front() {
        // SAFETY: the owners free a waiter only after removing it under this lock, which we
        // hold.
        unsafe { waiter.as_ref() }
            .drained
            .store(true, Ordering::Release);
    }
}

#[test]
fn cancelling_races_with_draining() {
    loom::model(|| {
        let list = Arc::new(Mutex::new(LinkedList::new()));
        let shared = Arc::new(Waiter::new());
        // SAFETY: `shared` is unlinked and outlives the list (both threads are joined before
        // the model ends); every access to the list holds its lock.
        unsafe { list.lock().unwrap().push_back(ptr(&shared)) };

        let canceller = {
            let list = list.clone();
            let shared = shared.clone();
            thread::spawn(move || {
                let own = Arc::new(Waiter::new());
                // SAFETY: `own` is unlinked, and removed under the lock below before it is
                // dropped.
                unsafe { list.lock().unwrap().push_back(ptr(&own)) };
                // SAFETY: both waiters are alive, and linked in this list or in none.
                let removed_own = unsafe { list.lock().unwrap().remove(ptr(&own)) };
                assert_ne!(removed_own, own.drained.load(Ordering::Acquire));
                // SAFETY: as above.
                unsafe { list.lock().unwrap().remove(ptr(&shared)) }
            })
        };
        let drainer = {
            let list = list.clone();
            thread::spawn(move || drain(&list))
        };

        let removed_shared = canceller.join().unwrap();
        drainer.join().unwrap();
        assert_ne!(removed_shared, shared.drained.load(Ordering::Acquire));
        assert!(list.lock().unwrap().is_empty());
    });
}

#[test]
fn pushing_races_with_draining_from_both_ends() {
    loom::model(|| {
        let list = Arc::new(Mutex::new(LinkedList::new()));
        let waiters: Vec<_> = (0..3).map(|_| Arc::new(Waiter::new())).collect();
        let pusher = {
            let list = list.clone();
            let waiters = waiters.clone();
            thread::spawn(move || {
                for (index, waiter) in waiters.iter().enumerate() {
                    let mut list = list.lock().unwrap();
                    // SAFETY: each waiter is unlinked and outlives the list; we hold its lock.
                    unsafe {
                        if index % 2 == 0 {
                            list.push_back(ptr(waiter));
                        } else {
                            list.push_front(ptr(waiter));
                        }
                    }
                }
            })
        };
        {
            let mut list = list.lock().unwrap();
            if let Some(waiter) = list.pop_back() {
                // SAFETY: the waiters outlive the list.
                unsafe { waiter.as_ref() }
                    .drained
                    .store(true, Ordering::Release);
            }
        }
        pusher.join().unwrap();
        drain(&list);
        for waiter in &waiters {
            assert!(waiter.drained.load(Ordering::Acquire));
        }
        assert!(list.lock().unwrap().is_empty());
    });
}
