//! Helpers for the executor's loom models: a gate future opened from another thread and a drop
//! counter.
#![allow(dead_code)]

use loom::sync::atomic::{AtomicUsize, Ordering};
use loom::sync::{Arc, Mutex};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

/// A future that completes once [`Gate::open`] is called, on any thread.
#[derive(Clone)]
pub struct Gate {
    state: Arc<Mutex<(bool, Option<Waker>)>>,
}

impl Gate {
    pub fn new() -> Gate {
        Gate {
            state: Arc::new(Mutex::new((false, None))),
        }
    }

    /// Opens the gate and wakes the waiting task, outside the lock.
    pub fn open(&self) {
        let waker = {
            let mut state = self.state.lock().unwrap();
            state.0 = true;
            state.1.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

impl Future for Gate {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut state = self.state.lock().unwrap();
        if state.0 {
            return Poll::Ready(());
        }
        state.1 = Some(cx.waker().clone());
        Poll::Pending
    }
}

/// Adds one to its counter when dropped.
pub struct DropCount(pub Arc<AtomicUsize>);

impl Drop for DropCount {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}
