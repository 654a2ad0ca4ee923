//! An accept loop that runs out of file descriptors gets `EMFILE` at once, and the pending
//! connection is still there once descriptors are free again.
//!
//! This file holds a single test because it lowers the process's descriptor limit.

use eddy_core::block_on::block_on;
use eddy_core::Park;
use eddy_net::TcpListener;
use eddy_reactor::driver::{self, Driver};
use std::fs::File;
use std::time::Duration;

fn set_soft_fd_limit(limit: libc::rlim_t) -> libc::rlim_t {
    let mut current = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `current` is a valid, writable rlimit struct for the call.
    let got = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut current) };
    assert_eq!(got, 0);
    let lowered = libc::rlimit {
        rlim_cur: limit.min(current.rlim_max),
        rlim_max: current.rlim_max,
    };
    // SAFETY: `lowered` is a valid rlimit struct for the call.
    assert_eq!(unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &lowered) }, 0);
    current.rlim_cur
}

#[test]
fn accept_reports_emfile_and_recovers() {
    let previous = set_soft_fd_limit(256);
    let (mut driver, handle) = Driver::new().unwrap();
    let _reactor = driver::enter(Some(handle.clone()));
    let listener = block_on(&mut driver, TcpListener::bind("127.0.0.1:0")).unwrap();
    let addr = listener.local_addr().unwrap();
    let client = std::net::TcpStream::connect(addr).unwrap();

    // Use up every descriptor left.
    let mut fillers = Vec::new();
    let error = loop {
        match File::open("/dev/null") {
            Ok(file) => fillers.push(file),
            Err(error) => break error,
        }
    };
    assert_eq!(
        error.raw_os_error(),
        Some(libc::EMFILE),
        "expected EMFILE, got {error}"
    );

    let error = block_on(&mut driver, listener.accept()).unwrap_err();
    assert_eq!(
        error.raw_os_error(),
        Some(libc::EMFILE),
        "expected EMFILE, got {error}"
    );
    // Asking again reports it again at once rather than waiting.
    let error = block_on(&mut driver, listener.accept()).unwrap_err();
    assert_eq!(error.raw_os_error(), Some(libc::EMFILE));

    // Nothing spins meanwhile: with the connection still queued, the reactor reports no
    // new readiness however often it is polled.
    let events = handle.ready_count();
    for _ in 0..3 {
        driver.park_timeout(Duration::from_millis(10));
    }
    assert_eq!(handle.ready_count(), events);

    // Once descriptors are free, the queued connection is accepted: nothing was lost.
    drop(fillers);
    let (stream, peer) = block_on(&mut driver, listener.accept()).unwrap();
    assert_eq!(peer, client.local_addr().unwrap());
    assert_eq!(stream.peer_addr().unwrap(), peer);
    set_soft_fd_limit(previous);
}
