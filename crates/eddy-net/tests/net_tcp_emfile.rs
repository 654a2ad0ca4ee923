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

#[repr(C)]
struct Rlimit {
    current: u64,
    max: u64,
}

const RLIMIT_NOFILE: i32 = 7;

extern "C" {
    fn getrlimit(resource: i32, limit: *mut Rlimit) -> i32;
    fn setrlimit(resource: i32, limit: *const Rlimit) -> i32;
}

fn set_soft_fd_limit(limit: u64) -> u64 {
    let mut current = Rlimit { current: 0, max: 0 };
    // SAFETY: `current` is a valid, writable rlimit struct for the call.
    assert_eq!(unsafe { getrlimit(RLIMIT_NOFILE, &mut current) }, 0);
    let lowered = Rlimit {
        current: limit.min(current.max),
        max: current.max,
    };
    // SAFETY: `lowered` is a valid rlimit struct for the call.
    assert_eq!(unsafe { setrlimit(RLIMIT_NOFILE, &lowered) }, 0);
    current.current
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
        Some(24),
        "expected EMFILE, got {error}"
    );

    let error = block_on(&mut driver, listener.accept()).unwrap_err();
    assert_eq!(
        error.raw_os_error(),
        Some(24),
        "expected EMFILE, got {error}"
    );
    // Asking again reports it again at once rather than waiting.
    let error = block_on(&mut driver, listener.accept()).unwrap_err();
    assert_eq!(error.raw_os_error(), Some(24));

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
