//! `TOKIO_WORKER_THREADS` sets a multi-thread runtime's default number of workers, as Tokio's.
//!
//! The variable is process-wide, so this binary holds a single test that walks through the cases
//! one after another: no other test can observe it, and nothing here runs concurrently.
#![cfg(not(loom))]
#![cfg(all(unix, feature = "multi-thread"))]

use eddy_executor::runtime::{Builder, Runtime};
use std::env;
use std::ffi::OsStr;
use std::panic::{self, AssertUnwindSafe};

const VAR: &str = "TOKIO_WORKER_THREADS";

fn build_default() -> Runtime {
    Builder::new_multi_thread().build().unwrap()
}

/// The message of the panic `build` raises with the variable set to `value`.
fn build_panic_with(value: &OsStr) -> String {
    env::set_var(VAR, value);
    let payload = panic::catch_unwind(AssertUnwindSafe(build_default))
        .expect_err("build accepted the variable");
    match payload.downcast::<String>() {
        Ok(message) => *message,
        Err(payload) => payload
            .downcast_ref::<&str>()
            .expect("a string panic")
            .to_string(),
    }
}

#[test]
fn the_variable_sets_the_default_worker_count_and_is_checked_like_tokios() {
    env::remove_var(VAR);
    let per_cpu = std::thread::available_parallelism().map_or(1, usize::from);
    assert_eq!(build_default().metrics().num_workers(), per_cpu);

    env::set_var(VAR, "3");
    assert_eq!(build_default().metrics().num_workers(), 3);
    let explicit = Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    assert_eq!(
        explicit.metrics().num_workers(),
        2,
        "the builder's count wins"
    );
    let current_thread = Builder::new_current_thread().build().unwrap();
    assert_eq!(current_thread.metrics().num_workers(), 1);

    assert_eq!(
        build_panic_with(OsStr::new("0")),
        "\"TOKIO_WORKER_THREADS\" cannot be set to 0"
    );
    assert_eq!(
        build_panic_with(OsStr::new(" 4")),
        "\"TOKIO_WORKER_THREADS\" must be usize, error: invalid digit found in string, value:  4"
    );
    assert_eq!(
        build_panic_with(OsStr::new("")),
        "\"TOKIO_WORKER_THREADS\" must be usize, error: cannot parse integer from empty string, value: "
    );
    let not_unicode = build_panic_with(not_unicode());
    assert!(
        not_unicode.starts_with("\"TOKIO_WORKER_THREADS\" must be valid unicode, error: "),
        "{not_unicode}"
    );
    env::remove_var(VAR);
}

#[cfg(unix)]
fn not_unicode() -> &'static OsStr {
    use std::os::unix::ffi::OsStrExt;
    OsStr::from_bytes(b"\xff2")
}
