//! A waker replaced or removed by a source is dropped after the source's lock is released.
//!
//! Dropping a waker may run a task's code: here the last reference to a waker owns a handle
//! on the very source it waited on, and its drop polls that source, which takes the source's
//! waiter lock. Dropped under that lock, it would deadlock the thread.

use eddy_reactor::driver::Driver;
use eddy_reactor::{AsyncFd, Interest};
use eddy_test_support::waker::{noop_context, on_drop};
use std::future::Future;
use std::os::unix::net::UnixStream;
use std::pin::pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

type Source = Arc<AsyncFd<UnixStream>>;

fn source() -> (Driver, Source, UnixStream) {
    let (driver, handle) = Driver::new().unwrap();
    let (a, b) = UnixStream::pair().unwrap();
    a.set_nonblocking(true).unwrap();
    let fd = AsyncFd::with_interest_and_handle(a, Interest::READABLE, handle).unwrap();
    (driver, Arc::new(fd), b)
}

/// A waker that, when its last reference goes, polls `source` for readiness (which takes the
/// source's waiter lock), and the flag it sets once it has.
fn polls_on_drop(source: &Source) -> (Waker, Arc<AtomicBool>) {
    let source = source.clone();
    on_drop(move || {
        let polled = source
            .poll_read_ready(&mut noop_context())
            .map(|guard| guard.map(drop));
        assert!(polled.is_pending(), "nothing was written");
    })
}

#[test]
fn a_replaced_read_waker_is_dropped_outside_the_lock() {
    let (_driver, fd, _peer) = source();
    let (waker, dropped) = polls_on_drop(&fd);
    let pending = fd
        .poll_read_ready(&mut Context::from_waker(&waker))
        .is_pending();
    assert!(pending);
    drop(waker);
    assert!(!dropped.load(Ordering::SeqCst), "the slot still holds it");

    // Polling with another waker replaces (and drops) the stored one.
    let pending = fd.poll_read_ready(&mut noop_context()).is_pending();
    assert!(pending);
    assert!(dropped.load(Ordering::SeqCst));
}

#[test]
fn a_cancelled_readiness_waiter_drops_its_waker_outside_the_lock() {
    let (_driver, fd, _peer) = source();
    let (waker, dropped) = polls_on_drop(&fd);
    {
        let mut readable = pin!(fd.readable());
        let polled = readable.as_mut().poll(&mut Context::from_waker(&waker));
        assert!(matches!(polled, Poll::Pending));
        drop(waker);
        // Dropping the future removes the waiter and its waker.
    }
    assert!(dropped.load(Ordering::SeqCst));
}

#[test]
fn a_readiness_waiter_polled_with_a_new_waker_drops_the_old_one_outside_the_lock() {
    let (_driver, fd, _peer) = source();
    let (waker, dropped) = polls_on_drop(&fd);
    let mut readable = pin!(fd.readable());
    let polled = readable.as_mut().poll(&mut Context::from_waker(&waker));
    assert!(matches!(polled, Poll::Pending));
    drop(waker);

    let polled = readable.as_mut().poll(&mut noop_context());
    assert!(matches!(polled, Poll::Pending));
    assert!(dropped.load(Ordering::SeqCst));
}
