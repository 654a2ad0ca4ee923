//! Loom models of the semaphore core: acquire, release, and a cancelled waiter.
#![cfg(loom)]

use eddy_sync::{Mutex, Semaphore};
use eddy_test_support::assert_pending;
use eddy_test_support::executor::block_on;
use eddy_test_support::waker::noop_context;
use loom::sync::Arc;
use loom::thread;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Waker};

#[test]
fn acquire_release_two_threads() {
    loom::model(|| {
        let semaphore = Arc::new(Semaphore::new(1));
        let s = semaphore.clone();
        let other = thread::spawn(move || {
            let permit = block_on(s.acquire()).unwrap();
            drop(permit);
        });
        let permit = block_on(semaphore.acquire()).unwrap();
        drop(permit);
        other.join().unwrap();
        assert_eq!(semaphore.available_permits(), 1);
    });
}

#[test]
fn cancelled_waiter_loses_no_permit() {
    loom::model(|| {
        let semaphore = Arc::new(Semaphore::new(0));
        let s = semaphore.clone();
        let releaser = thread::spawn(move || s.add_permits(1));
        {
            let mut acquire = pin!(semaphore.acquire_many(1));
            let mut cx = Context::from_waker(Waker::noop());
            if let std::task::Poll::Ready(permit) = acquire.as_mut().poll(&mut cx) {
                drop(permit);
            }
        }
        releaser.join().unwrap();
        assert_eq!(semaphore.available_permits(), 1);
    });
}

#[test]
fn queued_waiter_is_woken_by_release() {
    loom::model(|| {
        let semaphore = Arc::new(Semaphore::new(0));
        let s = semaphore.clone();
        let waiter = thread::spawn(move || block_on(s.acquire()).unwrap().forget());
        semaphore.add_permits(1);
        waiter.join().unwrap();
        assert_eq!(semaphore.available_permits(), 0);
    });
}

#[test]
fn close_wakes_a_waiter() {
    loom::model(|| {
        let semaphore = Arc::new(Semaphore::new(0));
        let s = semaphore.clone();
        let waiter = thread::spawn(move || block_on(s.acquire()).is_err());
        semaphore.close();
        assert!(waiter.join().unwrap());
    });
}

#[test]
fn mutex_counts_every_increment() {
    loom::model(|| {
        let mutex = Arc::new(Mutex::new(0));
        let m = mutex.clone();
        let other = thread::spawn(move || *block_on(m.lock()) += 1);
        *block_on(mutex.lock()) += 1;
        other.join().unwrap();
        assert_eq!(*block_on(mutex.lock()), 2);
    });
}

#[test]
fn cancelled_head_waiter_hands_its_partial_permits_to_the_next() {
    loom::model(|| {
        let semaphore = Arc::new(Semaphore::new(0));
        let mut big = Box::pin(semaphore.acquire_many(2));
        assert_pending!(big.as_mut().poll(&mut noop_context()));
        let s = semaphore.clone();
        let small = thread::spawn(move || block_on(s.acquire()).unwrap().forget());
        let s = semaphore.clone();
        let releaser = thread::spawn(move || s.add_permits(1));
        drop(big);
        small.join().unwrap();
        releaser.join().unwrap();
        assert_eq!(semaphore.available_permits(), 0);
    });
}

/// A queued acquire polled again with a new waker (which replaces the old one under the lock,
/// and drops it after) while another thread releases: the release reaches the new waker, or
/// the re-poll sees the permit, and no permit is lost.
#[test]
fn waker_replaced_while_a_release_races() {
    loom::model(|| {
        let semaphore = Arc::new(Semaphore::new(0));
        let mut acquire = Box::pin(semaphore.acquire());
        assert_pending!(acquire.as_mut().poll(&mut noop_context()));
        let s = semaphore.clone();
        let releaser = thread::spawn(move || s.add_permits(1));
        block_on(acquire).unwrap().forget();
        releaser.join().unwrap();
        assert_eq!(semaphore.available_permits(), 0);
    });
}

/// A semaphore closed while a fully assigned acquire has not been polled yet: the acquire
/// fails (as Tokio's does) and the assigned permit goes back.
#[test]
fn close_racing_an_assignment_returns_the_permit() {
    loom::model(|| {
        let semaphore = Arc::new(Semaphore::new(0));
        let mut acquire = Box::pin(semaphore.acquire());
        assert_pending!(acquire.as_mut().poll(&mut noop_context()));
        let s = semaphore.clone();
        let releaser = thread::spawn(move || s.add_permits(1));
        semaphore.close();
        let outcome = block_on(acquire.as_mut());
        drop(outcome);
        drop(acquire);
        releaser.join().unwrap();
        assert_eq!(semaphore.available_permits(), 1);
    });
}
