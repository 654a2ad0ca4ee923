//! The channel shared by both `mpsc` flavours: the message list, the receiver's waker, the
//! sender counts, and a flavour-specific [`Capacity`] (a semaphore for bounded channels, a
//! message counter for unbounded ones).
//!
//! # Closing
//!
//! * The receiver closes the channel (explicitly or by being dropped) by closing its
//!   `Capacity`: senders then fail, and `Sender::closed` futures complete. Messages already in the
//!   list can still be received.
//! * The last strong sender sets `tx_closed` (`Release`) and wakes the receiver. A receiver that
//!   finds the list empty and then reads `tx_closed` (`Acquire`) pops once more: every message
//!   sent before the last sender left is visible by then, so an empty list means the end.
//! * A receiver that closed the channel ends once the list is empty and the capacity is idle
//!   (no permit is outstanding, so no message can still arrive).

use super::error::TryRecvError;
use super::list::{List, Pop};
use crate::loom::spin;
use crate::loom::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use crate::util::AtomicWaker;
use crate::Notify;
use crossbeam_utils::CachePadded;
use eddy_core::coop;
use std::fmt;
use std::sync::Arc;
use std::task::{ready, Context, Poll};

/// How a flavour bounds its channel and notices that the receiver closed it.
pub(crate) trait Capacity {
    /// Gives back the capacity one received message held.
    fn release_one(&self);
    /// Whether no message is in flight and no permit is outstanding.
    fn is_idle(&self) -> bool;
    /// Refuses any further send.
    fn close(&self);
    /// Whether the receiver closed the channel.
    fn is_closed(&self) -> bool;
}

/// The shared state of a channel.
pub(crate) struct Chan<T, C> {
    list: List<T>,
    rx_waker: CachePadded<AtomicWaker>,
    pub(crate) capacity: C,
    tx_count: AtomicUsize,
    tx_weak_count: AtomicUsize,
    tx_closed: AtomicBool,
    rx_closed: Notify,
}

// Unwind safety, whatever `T` is (Tokio's channels promise the same): a panic inside a channel
// operation (a message's destructor, say) leaves the shared state consistent, since every
// update is one atomic step, or made under a lock that ignores poisoning, and a message is
// either in the list or handed out, never half of each. So a handle observed after a caught
// panic behaves as a handle should.
impl<T, C> std::panic::RefUnwindSafe for Chan<T, C> {}
impl<T, C> std::panic::UnwindSafe for Chan<T, C> {}

/// What [`Chan::try_recv`] found.
pub(crate) enum TryRecv<T> {
    Value(T),
    Empty,
    Disconnected,
}

impl<T, C: Capacity> Chan<T, C> {
    /// A channel with one strong sender.
    pub(crate) fn new(capacity: C) -> Self {
        Chan {
            list: List::new(),
            rx_waker: CachePadded::new(AtomicWaker::new()),
            capacity,
            tx_count: AtomicUsize::new(1),
            tx_weak_count: AtomicUsize::new(0),
            tx_closed: AtomicBool::new(false),
            rx_closed: Notify::new(),
        }
    }

    /// Appends a message the sender is entitled to send, and wakes the receiver.
    pub(crate) fn push(&self, value: T) {
        self.list.push(value);
        self.rx_waker.wake();
    }

    /// Wakes the receiver (a permit came back to a closed channel, or the last sender left).
    pub(crate) fn wake_rx(&self) {
        self.rx_waker.wake();
    }

    /// # Safety
    ///
    /// Only the receiver calls this (one thread at a time).
    unsafe fn pop(&self) -> Pop<T> {
        // SAFETY: forwarded contract.
        let popped = unsafe { self.list.pop() };
        if matches!(popped, Pop::Value(_)) {
            self.capacity.release_one();
        }
        popped
    }

    /// Polls for the next message; `None` once the channel is closed and drained.
    ///
    /// # Safety
    ///
    /// Only the receiver calls this (one thread at a time).
    pub(crate) unsafe fn poll_recv(&self, cx: &mut Context<'_>) -> Poll<Option<T>> {
        let coop = ready!(coop::poll_proceed(cx));
        // SAFETY: forwarded contract.
        let result = unsafe { self.poll_recv_inner(cx) };
        if result.is_ready() {
            coop.made_progress();
        }
        result
    }

    /// # Safety
    ///
    /// As for [`Chan::poll_recv`].
    unsafe fn poll_recv_inner(&self, cx: &mut Context<'_>) -> Poll<Option<T>> {
        // SAFETY: forwarded contract: we are the single receiver.
        let pop = || unsafe { self.pop() };
        if let Pop::Value(value) = pop() {
            return Poll::Ready(Some(value));
        }
        self.rx_waker.register(cx.waker());
        match pop() {
            Pop::Value(value) => Poll::Ready(Some(value)),
            Pop::Busy => Poll::Pending,
            Pop::Empty if self.is_finished() => match pop() {
                Pop::Value(value) => Poll::Ready(Some(value)),
                _ => Poll::Ready(None),
            },
            Pop::Empty => Poll::Pending,
        }
    }

    /// Whether no message can arrive any more: every strong sender left, or the receiver closed
    /// the channel and nothing is in flight.
    fn is_finished(&self) -> bool {
        self.tx_closed.load(Ordering::Acquire)
            || (self.capacity.is_closed() && self.capacity.is_idle())
    }

    /// Takes the next message without waiting; waits out a writer that is mid-write.
    ///
    /// # Safety
    ///
    /// As for [`Chan::poll_recv`].
    pub(crate) unsafe fn try_recv(&self) -> TryRecv<T> {
        // SAFETY: forwarded contract: we are the single receiver.
        let pop = || unsafe { self.pop() };
        let mut attempt = 0;
        loop {
            match pop() {
                Pop::Value(value) => return TryRecv::Value(value),
                Pop::Busy => {
                    spin::backoff(attempt);
                    attempt += 1;
                }
                Pop::Empty if self.is_finished() => {
                    return match pop() {
                        Pop::Value(value) => TryRecv::Value(value),
                        _ => TryRecv::Disconnected,
                    };
                }
                Pop::Empty => return TryRecv::Empty,
            }
        }
    }

    /// The number of messages queued.
    ///
    /// # Safety
    ///
    /// As for [`Chan::poll_recv`].
    pub(crate) unsafe fn len(&self) -> usize {
        // SAFETY: forwarded contract.
        unsafe { self.list.len() }
    }

    /// The receiver closes the channel: senders fail from now on.
    pub(crate) fn close_rx(&self) {
        if !self.capacity.is_closed() {
            self.capacity.close();
            self.rx_closed.notify_waiters();
        }
    }

    /// The receiver is dropped: close, and drop the queued messages now.
    ///
    /// # Safety
    ///
    /// As for [`Chan::poll_recv`].
    pub(crate) unsafe fn drop_rx(&self) {
        self.close_rx();
        // Nobody will poll again: let go of the task the waker keeps alive now, not when the
        // last sender goes. Only the receiver registers, so the slot is not being written.
        drop(self.rx_waker.take());
        // A message whose destructor panics must not keep the ones behind it alive: the
        // guard's own drop goes on draining while that panic unwinds.
        let mut drain = DrainOnUnwind(self);
        // SAFETY: forwarded contract.
        unsafe { drain.drain() };
    }

    /// Whether the receiver closed the channel.
    pub(crate) fn is_rx_closed(&self) -> bool {
        self.capacity.is_closed()
    }

    /// Waits until the receiver closes the channel.
    pub(crate) async fn closed(&self) {
        loop {
            let notified = self.rx_closed.notified();
            if self.capacity.is_closed() {
                return;
            }
            notified.await;
        }
    }

    /// A new strong sender.
    pub(crate) fn add_tx(&self) {
        self.tx_count.fetch_add(1, Ordering::Relaxed);
    }

    /// A strong sender leaves; the last one closes the sending side.
    pub(crate) fn drop_tx(&self) {
        if self.tx_count.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.tx_closed.store(true, Ordering::Release);
            self.rx_waker.wake();
        }
    }

    /// Turns a weak sender into a strong one, unless every strong sender is gone.
    pub(crate) fn upgrade_tx(&self) -> bool {
        let mut count = self.tx_count.load(Ordering::Relaxed);
        while count != 0 {
            match self.tx_count.compare_exchange_weak(
                count,
                count + 1,
                Ordering::AcqRel,
                Ordering::Relaxed,
            ) {
                Ok(_) => return true,
                Err(actual) => count = actual,
            }
        }
        false
    }

    /// A new weak sender.
    pub(crate) fn add_weak_tx(&self) {
        self.tx_weak_count.fetch_add(1, Ordering::Relaxed);
    }

    /// A weak sender leaves.
    pub(crate) fn drop_weak_tx(&self) {
        self.tx_weak_count.fetch_sub(1, Ordering::Relaxed);
    }

    /// The number of strong senders.
    pub(crate) fn strong_count(&self) -> usize {
        self.tx_count.load(Ordering::Acquire)
    }

    /// The number of weak senders.
    pub(crate) fn weak_count(&self) -> usize {
        self.tx_weak_count.load(Ordering::Acquire)
    }
}

impl<T, C> fmt::Debug for Chan<T, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Chan")
            .field("tx_count", &self.tx_count)
            .field("tx_closed", &self.tx_closed)
            .finish_non_exhaustive()
    }
}

/// Drops every message left in a channel whose receiver is gone, also when one of their
/// destructors panics (see [`Chan::drop_rx`]).
struct DrainOnUnwind<'a, T, C: Capacity>(&'a Chan<T, C>);

impl<T, C: Capacity> DrainOnUnwind<'_, T, C> {
    /// # Safety
    ///
    /// As for [`Chan::poll_recv`]: the guard is made by the receiver, in its drop.
    unsafe fn drain(&mut self) {
        // SAFETY: forwarded contract.
        while let Pop::Value(value) = unsafe { self.0.pop() } {
            drop(value);
        }
    }
}

impl<T, C: Capacity> Drop for DrainOnUnwind<'_, T, C> {
    fn drop(&mut self) {
        // SAFETY: the guard only exists inside the receiver's `drop_rx` (see `drain`).
        unsafe { self.drain() };
    }
}

/// The receiving end shared by both flavours; the only caller of the receiver-side methods.
pub(crate) struct Rx<T, C: Capacity> {
    chan: Arc<Chan<T, C>>,
}

impl<T, C: Capacity> Rx<T, C> {
    pub(crate) fn new(chan: Arc<Chan<T, C>>) -> Self {
        Rx { chan }
    }

    pub(crate) fn chan(&self) -> &Chan<T, C> {
        &self.chan
    }

    pub(crate) fn poll_recv(&mut self, cx: &mut Context<'_>) -> Poll<Option<T>> {
        // SAFETY: `Rx` is unique per channel and `&mut self` makes this call exclusive.
        unsafe { self.chan.poll_recv(cx) }
    }

    pub(crate) async fn recv(&mut self) -> Option<T> {
        std::future::poll_fn(|cx| self.poll_recv(cx)).await
    }

    pub(crate) fn poll_recv_many(
        &mut self,
        cx: &mut Context<'_>,
        buffer: &mut Vec<T>,
        limit: usize,
    ) -> Poll<usize> {
        if limit == 0 {
            return Poll::Ready(0);
        }
        let Some(first) = ready!(self.poll_recv(cx)) else {
            return Poll::Ready(0);
        };
        buffer.push(first);
        let mut received = 1;
        while received < limit {
            // SAFETY: as in `poll_recv`.
            match unsafe { self.chan.pop() } {
                Pop::Value(value) => buffer.push(value),
                Pop::Empty | Pop::Busy => break,
            }
            received += 1;
        }
        Poll::Ready(received)
    }

    pub(crate) async fn recv_many(&mut self, buffer: &mut Vec<T>, limit: usize) -> usize {
        std::future::poll_fn(|cx| self.poll_recv_many(cx, buffer, limit)).await
    }

    pub(crate) fn try_recv(&mut self) -> Result<T, TryRecvError> {
        // SAFETY: as in `poll_recv`.
        match unsafe { self.chan.try_recv() } {
            TryRecv::Value(value) => Ok(value),
            TryRecv::Empty => Err(TryRecvError::Empty),
            TryRecv::Disconnected => Err(TryRecvError::Disconnected),
        }
    }

    pub(crate) fn close(&mut self) {
        self.chan.close_rx();
    }

    pub(crate) fn is_closed(&self) -> bool {
        self.chan.is_rx_closed() || self.chan.strong_count() == 0
    }

    pub(crate) fn len(&self) -> usize {
        // SAFETY: popping needs `&mut self`, so nobody pops while we hold `&self`.
        unsafe { self.chan.len() }
    }
}

impl<T, C: Capacity> Drop for Rx<T, C> {
    fn drop(&mut self) {
        // SAFETY: as in `poll_recv`.
        unsafe { self.chan.drop_rx() }
    }
}

impl<T, C: Capacity> fmt::Debug for Rx<T, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rx").field("chan", &self.chan).finish()
    }
}

/// A strong sending handle shared by both flavours: counts itself in and out.
pub(crate) struct Tx<T, C: Capacity> {
    chan: Arc<Chan<T, C>>,
}

impl<T, C: Capacity> Tx<T, C> {
    pub(crate) fn new(chan: Arc<Chan<T, C>>) -> Self {
        Tx { chan }
    }

    pub(crate) fn chan(&self) -> &Chan<T, C> {
        &self.chan
    }

    pub(crate) fn same_channel(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.chan, &other.chan)
    }

    pub(crate) fn downgrade(&self) -> WeakTx<T, C> {
        self.chan.add_weak_tx();
        WeakTx {
            chan: self.chan.clone(),
        }
    }
}

impl<T, C: Capacity> Clone for Tx<T, C> {
    fn clone(&self) -> Self {
        self.chan.add_tx();
        Tx {
            chan: self.chan.clone(),
        }
    }
}

impl<T, C: Capacity> Drop for Tx<T, C> {
    fn drop(&mut self) {
        self.chan.drop_tx();
    }
}

impl<T, C: Capacity> fmt::Debug for Tx<T, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tx").field("chan", &self.chan).finish()
    }
}

/// A weak sending handle: keeps the memory, not the channel, alive.
pub(crate) struct WeakTx<T, C: Capacity> {
    chan: Arc<Chan<T, C>>,
}

impl<T, C: Capacity> WeakTx<T, C> {
    pub(crate) fn upgrade(&self) -> Option<Tx<T, C>> {
        self.chan.upgrade_tx().then(|| Tx {
            chan: self.chan.clone(),
        })
    }

    pub(crate) fn chan(&self) -> &Chan<T, C> {
        &self.chan
    }
}

impl<T, C: Capacity> Clone for WeakTx<T, C> {
    fn clone(&self) -> Self {
        self.chan.add_weak_tx();
        WeakTx {
            chan: self.chan.clone(),
        }
    }
}

impl<T, C: Capacity> Drop for WeakTx<T, C> {
    fn drop(&mut self) {
        self.chan.drop_weak_tx();
    }
}

impl<T, C: Capacity> fmt::Debug for WeakTx<T, C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WeakTx").field("chan", &self.chan).finish()
    }
}
