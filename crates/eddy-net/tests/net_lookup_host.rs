//! `lookup_host` resolves literal addresses at once and host names on the current runtime's
//! blocking pool; outside a runtime a host name panics with Tokio's message, as Tokio's does.

mod support;

use eddy_core::blocking::{self, BlockingSpawner};
use eddy_net::lookup_host;
use eddy_test_support::panic_message;
use std::io;
use std::net::{IpAddr, Ipv4Addr};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;
use support::{enter_blocking_threads, run};

#[test]
fn a_literal_address_resolves_without_a_blocking_pool() {
    let addrs: Vec<_> = run(async { lookup_host("127.0.0.1:80").await.unwrap().collect() });
    assert_eq!(addrs.len(), 1);
    assert_eq!(addrs[0].ip(), IpAddr::V4(Ipv4Addr::LOCALHOST));
}

#[test]
fn a_host_name_outside_a_runtime_panics_with_tokios_message() {
    // A reactor, but no blocking pool: the thread is not in a runtime's context.
    let payload = catch_unwind(AssertUnwindSafe(|| {
        run(async {
            let _ = lookup_host("localhost:80").await;
        })
    }))
    .expect_err("resolving a host name outside a runtime must panic");
    assert_eq!(
        panic_message(&*payload),
        eddy_core::context::NO_RUNTIME,
        "Tokio's words"
    );
}

#[test]
fn a_host_name_resolves_on_the_blocking_pool() {
    let _pool = enter_blocking_threads();
    let addrs: Vec<_> = run(async { lookup_host("localhost:80").await.unwrap().collect() });
    assert!(!addrs.is_empty());
    assert!(addrs
        .iter()
        .all(|addr| addr.port() == 80 && addr.ip().is_loopback()));
}

/// A pool that refuses every job, as a runtime's does while it shuts down.
struct Refusing;

impl BlockingSpawner for Refusing {
    fn spawn_blocking(&self, _job: Box<dyn FnOnce() + Send>) -> io::Result<()> {
        Err(io::Error::other("refused"))
    }
}

#[test]
fn a_pool_that_refuses_the_job_fails_the_lookup_with_its_error() {
    let _pool = blocking::enter(Arc::new(Refusing));
    let error = run(async { lookup_host(("localhost", 80)).await.map(drop) }).unwrap_err();
    assert_eq!(error.to_string(), "refused");
}
