//! A panicking waker during the driver's dispatch costs no other task its wake-up: every waker
//! collected in the same turn is woken, then the first panic reaches whoever parked the driver.

use eddy_core::park::Park;
use eddy_reactor::driver::Driver;
use eddy_reactor::{AsyncFd, Interest};
use eddy_test_support::waker::{hooked, PanicOnWake};
use std::io::Write;
use std::os::unix::net::UnixStream;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;
use std::task::Context;
use std::time::Duration;

const SOURCES: usize = 4;

/// A readable-interest source on `driver`, and the peer that makes it readable.
fn source(driver: &Driver) -> (AsyncFd<UnixStream>, UnixStream) {
    let (a, b) = UnixStream::pair().unwrap();
    a.set_nonblocking(true).unwrap();
    let fd = AsyncFd::with_interest_and_handle(a, Interest::READABLE, driver.handle()).unwrap();
    (fd, b)
}

/// Waits on `fd` for reading with a waker that panics when woken.
fn wait_with_panicking_waker(fd: &AsyncFd<UnixStream>) -> Arc<PanicOnWake> {
    let hooks = Arc::new(PanicOnWake::default());
    let waker = hooked(hooks.clone());
    let polled = fd.poll_read_ready(&mut Context::from_waker(&waker));
    assert!(polled.is_pending(), "nothing was written yet");
    hooks
}

#[test]
fn every_waker_of_a_turn_is_woken_when_one_panics() {
    let (mut driver, _handle) = Driver::new().unwrap();
    let sources: Vec<_> = (0..SOURCES).map(|_| source(&driver)).collect();
    let waiters: Vec<_> = sources
        .iter()
        .map(|(fd, _)| wait_with_panicking_waker(fd))
        .collect();
    for (_, peer) in &sources {
        let mut peer: &UnixStream = peer;
        peer.write_all(b"x").unwrap();
    }
    // The sources are readable already, so the park returns with all their events at once
    // (the timeout only bounds a broken driver).
    let parked = catch_unwind(AssertUnwindSafe(|| {
        driver.park_timeout(Duration::from_secs(10))
    }));
    let panic = parked.expect_err("the first waker's panic resumes");
    assert_eq!(panic.downcast_ref(), Some(&"waker panicked on purpose"));
    let woken: Vec<_> = waiters.iter().map(|hooks| hooks.count()).collect();
    assert_eq!(woken, [1; SOURCES]);
}
