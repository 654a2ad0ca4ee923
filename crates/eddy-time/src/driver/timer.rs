//! One timer's registration: the node it embeds and the driver it files the node with.
//!
//! A timer starts unregistered and enters the wheel on its first poll (so a `Sleep` that is
//! created and dropped unpolled never takes the lock). Polling a timer that is already filed
//! only swaps the waker and reads the state, without the lock; so does moving its deadline later
//! (or keeping it), which the driver notices when the old slot comes due, and so does dropping a
//! timer that has fired. Moving a deadline earlier, re-arming a fired timer, and dropping one
//! still in the wheel take the lock.

use super::current::SHUTTING_DOWN;
use super::entry::{is_due, is_linked, Node, FIRED, FIRING, UNREGISTERED};
use super::handle::{Handle, ShutDown};
use crate::loom::sync::atomic::Ordering;
use std::pin::Pin;
use std::task::{Context, Poll};

pub(crate) struct Timer {
    handle: Handle,
    node: Node,
}

impl Timer {
    pub(crate) fn new(handle: Handle) -> Timer {
        Timer {
            handle,
            node: Node::new(),
        }
    }

    pub(crate) fn is_elapsed(&self) -> bool {
        is_due(self.node.state.load(Ordering::Acquire))
    }

    /// Resolves once the clock has reached `deadline`, filing the timer on the first call.
    ///
    /// # Panics
    /// If the driver has shut down.
    pub(crate) fn poll_elapsed(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        deadline: std::time::Instant,
    ) -> Poll<()> {
        if self.handle.is_shutdown() {
            panic!("{SHUTTING_DOWN}");
        }
        match self.node.state.load(Ordering::Acquire) {
            FIRED | FIRING => Poll::Ready(()),
            UNREGISTERED => {
                self.node.waker.register(cx.waker());
                let tick = self.handle.deadline_tick(deadline);
                match self.register(tick) {
                    Ok(true) => Poll::Ready(()),
                    Ok(false) => Poll::Pending,
                    Err(ShutDown) => panic!("{SHUTTING_DOWN}"),
                }
            }
            _ => {
                self.node.waker.register(cx.waker());
                // A fire that happened before the registration is seen here; one after it
                // finds the new waker.
                if self.is_elapsed() {
                    Poll::Ready(())
                } else {
                    Poll::Pending
                }
            }
        }
    }

    /// Moves the deadline. An unregistered timer stays unregistered (its next poll files it); a
    /// filed one whose deadline moves later or stays is updated without the lock; one moved to
    /// a deadline already processed fires, waking its waker if `wake_if_due` (the caller that
    /// is about to return `Ready` itself has no one to wake).
    pub(crate) fn reset(mut self: Pin<&mut Self>, deadline: std::time::Instant, wake_if_due: bool) {
        let state = self.node.state.load(Ordering::Acquire);
        if state == UNREGISTERED {
            return;
        }
        let tick = self.handle.deadline_tick(deadline);
        if is_linked(state)
            && tick >= state
            && self
                .node
                .state
                .compare_exchange(state, tick, Ordering::AcqRel, Ordering::Acquire)
                .is_ok()
        {
            return;
        }
        // A deadline that has passed fires the timer at once: the task waiting on it must hear
        // of it (the lock is released by now). After a shutdown there is nothing to file the
        // timer with; its next poll panics.
        if let (Ok(true), true) = (self.as_mut().register(tick), wake_if_due) {
            if let Some(waker) = self.node.waker.take() {
                waker.wake();
            }
        }
    }

    /// Files the node for `tick` under the lock; returns whether it fired at once.
    fn register(self: Pin<&mut Self>, tick: u64) -> Result<bool, ShutDown> {
        let me = self.into_ref().get_ref();
        // SAFETY: `self` is pinned and `Timer` is `!Unpin` (its node holds `PhantomPinned`), so
        // the node is pinned too (a structural field never moved out); `Drop` deregisters it
        // before its memory goes away (entry invariant 1).
        let node = unsafe { Pin::new_unchecked(&me.node) };
        // SAFETY: as just argued, the owner (this timer's `Drop`) deregisters the node.
        unsafe { me.handle.register(node, tick) }
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        match self.node.state.load(Ordering::Acquire) {
            // Never filed: unknown to the driver. Fired: the driver let go of the node with
            // its last write, which this `Acquire` load saw (entry invariant 4).
            UNREGISTERED | FIRED => {}
            // Filed, or being fired: deregistering takes the lock, so the driver is done with
            // the node when it returns.
            _ => self.handle.deregister(&self.node),
        }
    }
}
