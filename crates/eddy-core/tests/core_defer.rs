//! Deferred wakes: a panicking waker among them costs the others nothing.
#![cfg(not(loom))]

use eddy_core::defer;
use eddy_test_support::waker::{hooked, PanicOnWake};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

#[test]
fn every_deferred_waker_is_woken_when_one_panics() {
    let guard = defer::enter_scheduler_loop();
    let deferred: Vec<_> = (0..3)
        .map(|_| {
            let hooks = Arc::new(PanicOnWake::default());
            defer::defer(&hooked(hooks.clone()));
            hooks
        })
        .collect();
    assert!(
        deferred.iter().all(|hooks| hooks.count() == 0),
        "deferred, not woken"
    );
    let woke = catch_unwind(AssertUnwindSafe(|| guard.wake_deferred()));
    assert!(woke.is_err(), "the first waker's panic resumes");
    let woken: Vec<_> = deferred.iter().map(|hooks| hooks.count()).collect();
    assert_eq!(woken, [1, 1, 1]);
    assert!(!guard.has_deferred());
}
