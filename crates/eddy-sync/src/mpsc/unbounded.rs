//! The unbounded channel: sending never waits.
//!
//! Its capacity is a counter of messages in flight, shifted left by one, with the low bit
//! saying the receiver closed the channel. A send increments it unless closed (one
//! compare-and-swap), the receiver decrements it per message taken; "closed and zero" is how the
//! receiver knows nothing more can arrive.

use super::chan::{Capacity, Chan, Rx, Tx, WeakTx};
use super::error::{SendError, TryRecvError};
use crate::loom::sync::atomic::{AtomicUsize, Ordering};
use crate::util::block_on;
use std::fmt;
use std::sync::Arc;
use std::task::{Context, Poll};

const CLOSED: usize = 1;
const ONE: usize = 2;

/// The in-flight counter of an unbounded channel.
#[derive(Debug)]
pub(crate) struct Unbounded {
    state: AtomicUsize,
}

impl Unbounded {
    /// Counts a message in, unless the channel is closed.
    fn try_count_in(&self) -> bool {
        let mut current = self.state.load(Ordering::Acquire);
        loop {
            if current & CLOSED != 0 {
                return false;
            }
            assert!(
                current < usize::MAX - ONE,
                "too many messages in an unbounded channel"
            );
            match self.state.compare_exchange_weak(
                current,
                current + ONE,
                Ordering::AcqRel,
                Ordering::Acquire,
            ) {
                Ok(_) => return true,
                Err(actual) => current = actual,
            }
        }
    }
}

impl Capacity for Unbounded {
    fn release_one(&self) {
        self.state.fetch_sub(ONE, Ordering::AcqRel);
    }

    fn is_idle(&self) -> bool {
        self.state.load(Ordering::Acquire) < ONE
    }

    fn close(&self) {
        self.state.fetch_or(CLOSED, Ordering::AcqRel);
    }

    fn is_closed(&self) -> bool {
        self.state.load(Ordering::Acquire) & CLOSED != 0
    }
}

/// Creates an unbounded channel.
pub fn unbounded_channel<T>() -> (UnboundedSender<T>, UnboundedReceiver<T>) {
    let chan = Arc::new(Chan::new(Unbounded {
        state: AtomicUsize::new(0),
    }));
    (
        UnboundedSender {
            tx: Tx::new(chan.clone()),
        },
        UnboundedReceiver { rx: Rx::new(chan) },
    )
}

/// Sends values to the associated [`UnboundedReceiver`] without ever waiting.
pub struct UnboundedSender<T> {
    tx: Tx<T, Unbounded>,
}

/// An unbounded sender that does not keep the channel open.
pub struct WeakUnboundedSender<T> {
    tx: WeakTx<T, Unbounded>,
}

/// Receives the values sent by the [`UnboundedSender`]s of the channel.
pub struct UnboundedReceiver<T> {
    rx: Rx<T, Unbounded>,
}

impl<T> UnboundedSender<T> {
    fn chan(&self) -> &Chan<T, Unbounded> {
        self.tx.chan()
    }

    /// Sends `message` without waiting; fails (handing it back) if the receiver is gone or
    /// closed the channel.
    pub fn send(&self, message: T) -> Result<(), SendError<T>> {
        if !self.chan().capacity.try_count_in() {
            return Err(SendError(message));
        }
        self.chan().push(message);
        Ok(())
    }

    /// Completes once the receiver is dropped or has closed the channel.
    ///
    /// Cancel safety: cancel safe.
    pub async fn closed(&self) {
        self.chan().closed().await
    }

    /// Whether the receiver is gone or closed the channel.
    pub fn is_closed(&self) -> bool {
        self.chan().is_rx_closed()
    }

    /// Whether both senders send to the same channel.
    pub fn same_channel(&self, other: &Self) -> bool {
        self.tx.same_channel(&other.tx)
    }

    /// A [`WeakUnboundedSender`] for this channel.
    pub fn downgrade(&self) -> WeakUnboundedSender<T> {
        WeakUnboundedSender {
            tx: self.tx.downgrade(),
        }
    }

    /// The number of [`UnboundedSender`]s of this channel.
    pub fn strong_count(&self) -> usize {
        self.chan().strong_count()
    }

    /// The number of [`WeakUnboundedSender`]s of this channel.
    pub fn weak_count(&self) -> usize {
        self.chan().weak_count()
    }
}

impl<T> Clone for UnboundedSender<T> {
    fn clone(&self) -> Self {
        UnboundedSender {
            tx: self.tx.clone(),
        }
    }
}

impl<T> fmt::Debug for UnboundedSender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnboundedSender")
            .field("chan", self.chan())
            .finish()
    }
}

impl<T> WeakUnboundedSender<T> {
    /// An [`UnboundedSender`], unless every sender is already gone.
    pub fn upgrade(&self) -> Option<UnboundedSender<T>> {
        self.tx.upgrade().map(|tx| UnboundedSender { tx })
    }

    /// The number of [`UnboundedSender`]s of this channel.
    pub fn strong_count(&self) -> usize {
        self.tx.chan().strong_count()
    }

    /// The number of [`WeakUnboundedSender`]s of this channel.
    pub fn weak_count(&self) -> usize {
        self.tx.chan().weak_count()
    }
}

impl<T> Clone for WeakUnboundedSender<T> {
    fn clone(&self) -> Self {
        WeakUnboundedSender {
            tx: self.tx.clone(),
        }
    }
}

impl<T> fmt::Debug for WeakUnboundedSender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WeakUnboundedSender")
            .finish_non_exhaustive()
    }
}

impl<T> UnboundedReceiver<T> {
    /// Receives the next value; `None` once the channel is closed and drained.
    ///
    /// Cancel safety: cancel safe. If the future is dropped before it completes, no message was
    /// taken out of the channel.
    pub async fn recv(&mut self) -> Option<T> {
        self.rx.recv().await
    }

    /// Receives up to `limit` values into `buffer`, waiting for at least one; returns how many
    /// were added (0 only if `limit` is 0 or the channel is closed and drained).
    ///
    /// Cancel safety: cancel safe.
    pub async fn recv_many(&mut self, buffer: &mut Vec<T>, limit: usize) -> usize {
        self.rx.recv_many(buffer, limit).await
    }

    /// Receives the next value if one is queued now.
    pub fn try_recv(&mut self) -> Result<T, TryRecvError> {
        self.rx.try_recv()
    }

    /// Receives the next value from synchronous code, parking the thread meanwhile.
    ///
    /// # Panics
    ///
    /// When called from a thread that drives eddy's async tasks (inside a task or `block_on`):
    /// blocking there could deadlock. Call it from plain threads or `spawn_blocking`.
    #[track_caller]
    pub fn blocking_recv(&mut self) -> Option<T> {
        block_on(self.recv())
    }

    /// [`recv_many`](UnboundedReceiver::recv_many) from synchronous code.
    #[track_caller]
    pub fn blocking_recv_many(&mut self, buffer: &mut Vec<T>, limit: usize) -> usize {
        block_on(self.recv_many(buffer, limit))
    }

    /// Closes the channel for sending, keeping the queued values receivable.
    pub fn close(&mut self) {
        self.rx.close();
    }

    /// Whether the channel is closed: [`close`](UnboundedReceiver::close) was called or every
    /// sender is gone.
    pub fn is_closed(&self) -> bool {
        self.rx.is_closed()
    }

    /// Whether no value is queued.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The number of values queued.
    pub fn len(&self) -> usize {
        self.rx.len()
    }

    /// Polls for the next value. Only the waker of the last call is woken.
    pub fn poll_recv(&mut self, cx: &mut Context<'_>) -> Poll<Option<T>> {
        self.rx.poll_recv(cx)
    }

    /// Polls for up to `limit` values (see [`recv_many`](UnboundedReceiver::recv_many)).
    pub fn poll_recv_many(
        &mut self,
        cx: &mut Context<'_>,
        buffer: &mut Vec<T>,
        limit: usize,
    ) -> Poll<usize> {
        self.rx.poll_recv_many(cx, buffer, limit)
    }

    /// The number of [`UnboundedSender`]s of this channel.
    pub fn sender_strong_count(&self) -> usize {
        self.rx.chan().strong_count()
    }

    /// The number of [`WeakUnboundedSender`]s of this channel.
    pub fn sender_weak_count(&self) -> usize {
        self.rx.chan().weak_count()
    }
}

impl<T> fmt::Debug for UnboundedReceiver<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnboundedReceiver")
            .field("chan", self.rx.chan())
            .finish()
    }
}
