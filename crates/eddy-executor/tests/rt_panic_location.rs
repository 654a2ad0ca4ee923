//! Misuse panics point at the caller's line, not at eddy's code (`#[track_caller]` all the way
//! to the `panic!`). One test in this file: the panic hook it installs is process-wide.
#![cfg(not(loom))]

use eddy_executor::runtime::Handle;
use eddy_executor::task;
use std::panic;
use std::sync::{Arc, Mutex};

/// The file of the location `f` panics at.
fn panic_file(f: impl FnOnce() + panic::UnwindSafe) -> String {
    let seen = Arc::new(Mutex::new(String::new()));
    let previous = panic::take_hook();
    panic::set_hook({
        let seen = seen.clone();
        Box::new(move |info| {
            let file = info.location().map(|location| location.file().to_owned());
            *seen.lock().unwrap() = file.unwrap_or_default();
        })
    });
    let result = panic::catch_unwind(f);
    panic::set_hook(previous);
    assert!(result.is_err(), "no panic");
    let file = seen.lock().unwrap().clone();
    file
}

#[test]
fn misuse_panics_point_at_the_caller() {
    eddy_executor::task_local! {
        static NUMBER: u32;
    }
    let here = file!();
    assert_eq!(panic_file(|| drop(task::spawn(async {}))), here);
    assert_eq!(panic_file(|| drop(task::spawn_blocking(|| ()))), here);
    assert_eq!(panic_file(|| drop(Handle::current())), here);
    assert_eq!(
        panic_file(|| drop(task::Builder::new().spawn(async {}))),
        here
    );
    let nested_scope = || {
        NUMBER.sync_scope(1, || NUMBER.with(|_| NUMBER.sync_scope(2, || ())));
    };
    assert_eq!(panic_file(nested_scope), here);
}
