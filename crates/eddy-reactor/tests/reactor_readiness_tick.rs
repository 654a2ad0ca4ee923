//! The readiness tick: readiness the driver reports while an operation is in flight survives
//! that operation's clear, however many events arrived in between.
//!
//! An operation observes readiness with the tick of that moment and, on `WouldBlock`, clears
//! it only if the tick has not moved. A tick narrow enough to wrap (it was 8 bits) lets exactly
//! 256 events look like none: the clear then wipes readiness that is newer than the failed
//! syscall, and an edge-triggered source waits forever for an edge that already came.

use eddy_core::Park;
use eddy_reactor::driver::Driver;
use eddy_reactor::{AsyncFd, Interest};
use eddy_test_support::waker::noop_context;
use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::time::Duration;

/// Delivers whatever the OS has for the driver, without blocking.
fn turn(driver: &mut Driver) {
    driver.park_timeout(Duration::ZERO);
}

fn events_between_observing_and_clearing(events: u64) {
    let (mut driver, handle) = Driver::new().unwrap();
    let (a, mut b) = UnixStream::pair().unwrap();
    a.set_nonblocking(true).unwrap();
    let fd = AsyncFd::with_interest_and_handle(a, Interest::READABLE, handle.clone()).unwrap();
    let mut cx = noop_context();

    b.write_all(b"x").unwrap();
    turn(&mut driver);
    let mut guard = match fd.poll_read_ready(&mut cx) {
        std::task::Poll::Ready(guard) => guard.unwrap(),
        std::task::Poll::Pending => panic!("the first byte was reported"),
    };
    let mut buf = [0; 1];
    assert_eq!(guard.get_inner().read(&mut buf).unwrap(), 1);

    // Each write after a turn is a new edge, so the driver reports one event per write. (A
    // Unix socket queues a few hundred small writes before the writer would block, which
    // bounds the counts a test can use.)
    let before = handle.ready_count();
    for _ in 0..events {
        b.write_all(b"y").unwrap();
        turn(&mut driver);
    }
    assert_eq!(handle.ready_count() - before, events, "one event per write");

    // The guard saw the readiness from before the writes; it reads nothing more and clears.
    guard.clear_ready();
    assert!(
        fd.poll_read_ready(&mut cx).is_ready(),
        "{events} bytes are waiting, yet the readiness they raised was wiped"
    );
    let mut rest = vec![0; events as usize];
    fd.get_ref().read_exact(&mut rest).unwrap();
}

#[test]
fn newer_readiness_survives_256_events() {
    events_between_observing_and_clearing(256);
}

#[test]
fn newer_readiness_survives_a_single_event() {
    events_between_observing_and_clearing(1);
}
