//! Futures that tests wait on: a [`Gate`] another thread opens, and [`yield_now`].
//!
//! A gate is the smallest cross-thread wake-up: `poll` stores the waker under the gate's lock,
//! `open` takes it out under the lock and wakes it after releasing it (a waker may run code
//! that polls the gate again). Under `--cfg loom` the lock and the `Arc` are loom's, so a
//! model checks every order of an open against a poll.

use crate::sync::{Arc, Mutex};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

/// A future that completes once [`Gate::open`] is called, from any thread; clones share one
/// gate.
#[derive(Clone, Debug)]
pub struct Gate {
    state: Arc<Mutex<GateState>>,
}

#[derive(Debug, Default)]
struct GateState {
    open: bool,
    waiter: Option<Waker>,
}

impl Gate {
    /// A closed gate.
    pub fn new() -> Gate {
        Gate {
            state: Arc::new(Mutex::new(GateState::default())),
        }
    }

    /// Opens the gate and wakes the task waiting on it, after releasing the lock.
    pub fn open(&self) {
        self.open_and_wake(Option::take);
    }

    /// Opens the gate and wakes a clone of the waiting task's waker, leaving the original
    /// stored: it is dropped with the last clone of the gate, possibly after the task finished
    /// (a model of a waker that outlives its task).
    pub fn open_waking_a_clone(&self) {
        self.open_and_wake(|waiter| waiter.clone());
    }

    /// Opens the gate, picks the waker to wake from the stored one under the lock, and wakes
    /// it after releasing the lock.
    fn open_and_wake(&self, pick: impl FnOnce(&mut Option<Waker>) -> Option<Waker>) {
        let waker = {
            let mut state = self.state.lock().unwrap();
            state.open = true;
            pick(&mut state.waiter)
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

impl Default for Gate {
    fn default() -> Gate {
        Gate::new()
    }
}

impl Future for Gate {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let replaced = {
            let mut state = self.state.lock().unwrap();
            if state.open {
                return Poll::Ready(());
            }
            state.waiter.replace(cx.waker().clone())
        };
        // A waker from an earlier poll is dropped after the lock is released.
        drop(replaced);
        Poll::Pending
    }
}

/// Returns `Pending` once, waking its task first, then `Ready`: gives the executor a turn.
pub async fn yield_now() {
    let mut yielded = false;
    std::future::poll_fn(|cx| {
        if yielded {
            return Poll::Ready(());
        }
        yielded = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    })
    .await
}
