//! An accept loop that runs out of file descriptors gets `EMFILE` at once, and the pending
//! connection is still there once descriptors are free again.
//!
//! This file holds a single test because it lowers the process's descriptor limit.

mod support;

use eddy_net::TcpListener;
use std::fs::File;
use support::run;

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
    run(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
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

        let error = listener.accept().await.unwrap_err();
        assert_eq!(
            error.raw_os_error(),
            Some(24),
            "expected EMFILE, got {error}"
        );
        // The listener reports it again at once rather than waiting or spinning inside.
        let error = listener.accept().await.unwrap_err();
        assert_eq!(error.raw_os_error(), Some(24));

        drop(fillers);
        let (stream, peer) = listener.accept().await.unwrap();
        assert_eq!(peer, client.local_addr().unwrap());
        assert_eq!(stream.peer_addr().unwrap(), peer);
    });
    set_soft_fd_limit(previous);
}
