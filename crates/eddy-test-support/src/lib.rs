//! Test helpers shared by eddy's crates; a dev-dependency only, never published.
//!
//! [`recorder`] is a hand-written `tracing` subscriber that records every span and event, so
//! the `trace_*` tests of eddy-executor, eddy-time and eddy-sync can assert on names, targets,
//! fields, parents, enter/exit counts and closes without a third-party subscriber. [`waker`]
//! builds wakers that panic, count or re-enter on clone, wake and drop, for fault injection.
// Test scaffolding: its fields and helpers are named for what they hold.
#![allow(missing_docs)]

pub mod recorder;
pub mod waker;

use std::time::{Duration, Instant};

/// Waits until `condition` holds, checking every millisecond; fails the test if it never does
/// within a generous bound (30 s). For values a runtime publishes asynchronously (metrics,
/// states); the verdict is the condition, never the time it took.
pub fn eventually(what: &str, mut condition: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !condition() {
        assert!(Instant::now() < deadline, "never happened: {what}");
        std::thread::sleep(Duration::from_millis(1));
    }
}
