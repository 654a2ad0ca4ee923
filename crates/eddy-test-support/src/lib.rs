//! Test helpers shared by eddy's crates; a dev-dependency only, never published.
//!
//! Each eddy crate lists this one under `[dev-dependencies]`, and this crate depends on no eddy
//! crate, so there is no cycle and no test file keeps its own copy of a helper.
//!
//! - [`task`]: poll a future by hand with a counting waker ([`task::spawn`]), and the
//!   [`assert_ready!`], [`assert_pending!`], [`assert_ready_ok!`], [`assert_ready_err!`] and
//!   [`assert_ready_eq!`] macros.
//! - [`waker`]: counting, no-op, closure-running (on wake, on drop) and fault-injecting wakers.
//! - [`executor`]: [`block_on`](executor::block_on) for tests that need no runtime (it parks
//!   the thread; under `--cfg loom` it waits on a loom `Notify`).
//! - [`future`]: a [`Gate`](future::Gate) opened from another thread, and `yield_now`.
//! - [`recorder`]: a hand-written `tracing` subscriber that records every span and event, so
//!   the `trace_*` tests can assert on names, targets, fields, parents, enter/exit counts and
//!   closes without a third-party subscriber.
//! - [`eventually`], [`panic_message`], [`CallCount`] and [`DropCount`], at the top.
//!
//! Under `--cfg loom` the helpers' atomics, locks and parking are loom's, so loom models can
//! use them.
// Test scaffolding: its fields and helpers are named for what they hold.
#![allow(missing_docs)]

pub mod executor;
pub mod future;
pub mod recorder;
mod sync;
pub mod task;
pub mod waker;

use std::any::Any;
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

/// The message a panic carried (its payload as a `String` or a `&str`), or an empty string
/// for any other payload: what a test compares after `catch_unwind` or `JoinError::into_panic`.
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(message) = payload.downcast_ref::<String>() {
        return message.clone();
    }
    payload
        .downcast_ref::<&str>()
        .map(|message| message.to_string())
        .unwrap_or_default()
}

/// Counts the calls of the closures [`hook`](CallCount::hook) hands out: for a runtime's
/// callbacks (`on_thread_park`, `on_thread_unpark`, ...). Clones share one count.
#[derive(Clone, Debug)]
pub struct CallCount(sync::Arc<sync::AtomicUsize>);

impl CallCount {
    pub fn new() -> CallCount {
        CallCount(sync::Arc::new(sync::AtomicUsize::new(0)))
    }

    /// A closure that adds one to the count each time it is called.
    pub fn hook(&self) -> impl Fn() + Send + Sync + 'static {
        let count = self.0.clone();
        move || {
            count.fetch_add(1, sync::Ordering::SeqCst);
        }
    }

    /// The calls so far.
    pub fn get(&self) -> usize {
        self.0.load(sync::Ordering::SeqCst)
    }
}

impl Default for CallCount {
    fn default() -> CallCount {
        CallCount::new()
    }
}

/// Adds one to its counter when dropped: a test hands it to the code under test and counts
/// how many were dropped (and so that none was dropped twice or leaked). Under `--cfg loom`
/// the `Arc` and the counter are loom's.
#[derive(Debug)]
pub struct DropCount(pub sync::Arc<sync::AtomicUsize>);

impl Drop for DropCount {
    fn drop(&mut self) {
        self.0.fetch_add(1, sync::Ordering::SeqCst);
    }
}
