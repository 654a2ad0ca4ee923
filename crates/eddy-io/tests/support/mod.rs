//! Helpers shared by the integration tests.
#![allow(dead_code)] // Each test file uses a different subset.

use std::sync::Arc;
use std::task::{Context, Wake, Waker};

struct NoopWake;

impl Wake for NoopWake {
    fn wake(self: Arc<Self>) {}
}

/// A waker that does nothing, for polling things that never return `Pending`.
pub fn noop_waker() -> Waker {
    Waker::from(Arc::new(NoopWake))
}

/// Runs `f` with a context whose waker does nothing.
pub fn with_noop_cx<R>(f: impl FnOnce(&mut Context<'_>) -> R) -> R {
    let waker = noop_waker();
    f(&mut Context::from_waker(&waker))
}
