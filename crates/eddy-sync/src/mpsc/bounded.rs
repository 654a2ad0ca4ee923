//! The bounded channel: capacity is a fair semaphore with one permit per free buffer slot.
//!
//! A sender first acquires a permit (waiting in FIFO order when the buffer is full), then pushes
//! its message; the receiver gives the permit back when it takes the message out. A reserved but
//! unused permit goes back when its `Permit` is dropped.

use super::chan::{Capacity, Chan, Rx, Tx, WeakTx};
use super::error::{SendError, TryRecvError, TrySendError};
use crate::batch_semaphore::{self, Semaphore, TryAcquireError};
use crate::util::block_on;
use std::fmt;
use std::sync::Arc;
use std::task::{Context, Poll};

/// The capacity of a bounded channel.
#[derive(Debug)]
pub(crate) struct Bounded {
    semaphore: Semaphore,
    bound: usize,
}

impl Capacity for Bounded {
    fn release_one(&self) {
        self.semaphore.release(1);
    }

    fn is_idle(&self) -> bool {
        self.semaphore.available_permits() == self.bound
    }

    fn close(&self) {
        self.semaphore.close();
    }

    fn is_closed(&self) -> bool {
        self.semaphore.is_closed()
    }
}

/// Dropped by a reservation that ends without its permits (failed or cancelled, once the
/// permits it held are back): wakes the receiver if the channel is now closed and idle.
struct WakeIdleReceiver<'a, T>(&'a Chan<T, Bounded>);

impl<T> Drop for WakeIdleReceiver<'_, T> {
    fn drop(&mut self) {
        if self.0.capacity.is_closed() && self.0.capacity.is_idle() {
            self.0.wake_rx();
        }
    }
}

/// Creates a bounded channel that buffers up to `buffer` messages.
///
/// # Panics
///
/// If `buffer` is 0, or larger than the semaphore's limit (`usize::MAX >> 3`).
#[track_caller]
pub fn channel<T>(buffer: usize) -> (Sender<T>, Receiver<T>) {
    assert!(buffer > 0, "mpsc bounded channel requires buffer > 0");
    assert!(
        buffer <= batch_semaphore::MAX_PERMITS,
        "mpsc bounded channel requires buffer <= {}",
        batch_semaphore::MAX_PERMITS
    );
    let chan = Arc::new(Chan::new(Bounded {
        semaphore: Semaphore::new(buffer),
        bound: buffer,
    }));
    (
        Sender {
            tx: Tx::new(chan.clone()),
        },
        Receiver { rx: Rx::new(chan) },
    )
}

/// Sends values to the associated [`Receiver`]; cloned to get more producers.
pub struct Sender<T> {
    tx: Tx<T, Bounded>,
}

/// A sender that does not keep the channel open; [`upgrade`](WeakSender::upgrade) it to send.
pub struct WeakSender<T> {
    tx: WeakTx<T, Bounded>,
}

/// Receives the values sent by the [`Sender`]s of the channel.
pub struct Receiver<T> {
    rx: Rx<T, Bounded>,
}

/// A reserved slot in the channel: [`send`](Permit::send) cannot fail or wait.
pub struct Permit<'a, T> {
    chan: &'a Chan<T, Bounded>,
}

/// Several reserved slots, yielded one [`Permit`] at a time.
pub struct PermitIterator<'a, T> {
    chan: &'a Chan<T, Bounded>,
    remaining: usize,
}

/// A reserved slot that owns its [`Sender`], so it can be moved into a task.
pub struct OwnedPermit<T> {
    sender: Option<Sender<T>>,
}

impl<T> Sender<T> {
    fn chan(&self) -> &Chan<T, Bounded> {
        self.tx.chan()
    }

    /// Sends `value`, waiting for capacity if the buffer is full.
    ///
    /// Fails, handing the value back, if the receiver is gone or closed the channel.
    ///
    /// Cancel safety: if the future is dropped before it completes, the message was not sent
    /// (it is dropped with the future), and the place in the queue of waiting senders is lost.
    pub async fn send(&self, value: T) -> Result<(), SendError<T>> {
        match self.reserve().await {
            Ok(permit) => {
                permit.send(value);
                Ok(())
            }
            Err(_) => Err(SendError(value)),
        }
    }

    /// Completes once the receiver is dropped or has closed the channel.
    ///
    /// Cancel safety: cancel safe.
    pub async fn closed(&self) {
        self.chan().closed().await
    }

    /// Sends `message` now if there is capacity.
    pub fn try_send(&self, message: T) -> Result<(), TrySendError<T>> {
        match self.try_reserve() {
            Ok(permit) => {
                permit.send(message);
                Ok(())
            }
            Err(TrySendError::Full(())) => Err(TrySendError::Full(message)),
            Err(TrySendError::Closed(())) => Err(TrySendError::Closed(message)),
        }
    }

    /// Sends `value`, waiting at most `timeout` for capacity.
    ///
    /// Cancel safety: as for [`send`](Sender::send).
    #[cfg(feature = "time")]
    pub async fn send_timeout(
        &self,
        value: T,
        timeout: std::time::Duration,
    ) -> Result<(), super::error::SendTimeoutError<T>> {
        use super::error::SendTimeoutError;
        match eddy_time::timeout(timeout, self.reserve()).await {
            Ok(Ok(permit)) => {
                permit.send(value);
                Ok(())
            }
            Ok(Err(_)) => Err(SendTimeoutError::Closed(value)),
            Err(_) => Err(SendTimeoutError::Timeout(value)),
        }
    }

    /// Sends `value` from synchronous code, blocking the thread until there is capacity.
    ///
    ///
    /// # Panics
    ///
    /// When called from a thread that drives eddy's async tasks (inside a task or `block_on`):
    /// blocking there could deadlock. Call it from plain threads or `spawn_blocking`.
    #[track_caller]
    pub fn blocking_send(&self, value: T) -> Result<(), SendError<T>> {
        block_on(self.send(value))
    }

    /// Whether the receiver is gone or closed the channel.
    pub fn is_closed(&self) -> bool {
        self.chan().is_rx_closed()
    }

    /// Waits for a slot and reserves it.
    ///
    /// Cancel safety: this method uses a FIFO queue of waiting senders; dropping the future
    /// loses the place in the queue (and returns any capacity already assigned to it).
    pub async fn reserve(&self) -> Result<Permit<'_, T>, SendError<()>> {
        self.acquire(1).await?;
        Ok(Permit { chan: self.chan() })
    }

    /// Waits for `n` slots and reserves them all at once.
    ///
    /// Fails at once if `n` exceeds [`max_capacity`](Sender::max_capacity).
    ///
    /// Cancel safety: as for [`reserve`](Sender::reserve).
    pub async fn reserve_many(&self, n: usize) -> Result<PermitIterator<'_, T>, SendError<()>> {
        if n > self.max_capacity() {
            return Err(SendError(()));
        }
        self.acquire(n).await?;
        Ok(PermitIterator {
            chan: self.chan(),
            remaining: n,
        })
    }

    /// Waits for a slot and reserves it, moving the sender into the permit.
    ///
    /// Cancel safety: as for [`reserve`](Sender::reserve).
    pub async fn reserve_owned(self) -> Result<OwnedPermit<T>, SendError<()>> {
        self.acquire(1).await?;
        Ok(OwnedPermit { sender: Some(self) })
    }

    /// Reserves a slot if one is free now.
    pub fn try_reserve(&self) -> Result<Permit<'_, T>, TrySendError<()>> {
        self.try_acquire(1)?;
        Ok(Permit { chan: self.chan() })
    }

    /// Reserves `n` slots if they are all free now.
    pub fn try_reserve_many(&self, n: usize) -> Result<PermitIterator<'_, T>, TrySendError<()>> {
        if n > self.max_capacity() {
            return Err(TrySendError::Full(()));
        }
        self.try_acquire(n)?;
        Ok(PermitIterator {
            chan: self.chan(),
            remaining: n,
        })
    }

    /// Reserves a slot if one is free now, moving the sender into the permit (or back out in
    /// the error).
    pub fn try_reserve_owned(self) -> Result<OwnedPermit<T>, TrySendError<Self>> {
        match self.try_acquire(1) {
            Ok(()) => Ok(OwnedPermit { sender: Some(self) }),
            Err(TrySendError::Full(())) => Err(TrySendError::Full(self)),
            Err(TrySendError::Closed(())) => Err(TrySendError::Closed(self)),
        }
    }

    /// Waits for `n` permits. A reservation that fails or is cancelled gives back what it was
    /// already assigned without a `Permit`'s release path, so it wakes the receiver itself when
    /// that leaves a closed channel idle (a `recv` waiting for the end must see it).
    async fn acquire(&self, n: usize) -> Result<(), SendError<()>> {
        let chan = self.chan();
        let guard = WakeIdleReceiver(chan);
        let result = chan.capacity.semaphore.acquire(n).await;
        if result.is_ok() {
            // The permits are the caller's now: its `Permit` wakes the receiver when released.
            std::mem::forget(guard);
        }
        result.map_err(|_| SendError(()))
    }

    fn try_acquire(&self, n: usize) -> Result<(), TrySendError<()>> {
        self.chan()
            .capacity
            .semaphore
            .try_acquire(n)
            .map_err(|error| match error {
                TryAcquireError::Closed => TrySendError::Closed(()),
                TryAcquireError::NoPermits => TrySendError::Full(()),
            })
    }

    /// Whether both senders send to the same channel.
    pub fn same_channel(&self, other: &Self) -> bool {
        self.tx.same_channel(&other.tx)
    }

    /// The number of free slots now.
    pub fn capacity(&self) -> usize {
        self.chan().capacity.semaphore.available_permits()
    }

    /// The buffer size the channel was created with.
    pub fn max_capacity(&self) -> usize {
        self.chan().capacity.bound
    }

    /// A [`WeakSender`] for this channel.
    pub fn downgrade(&self) -> WeakSender<T> {
        WeakSender {
            tx: self.tx.downgrade(),
        }
    }

    /// The number of [`Sender`]s of this channel.
    pub fn strong_count(&self) -> usize {
        self.chan().strong_count()
    }

    /// The number of [`WeakSender`]s of this channel.
    pub fn weak_count(&self) -> usize {
        self.chan().weak_count()
    }
}

impl<T> Clone for Sender<T> {
    fn clone(&self) -> Self {
        Sender {
            tx: self.tx.clone(),
        }
    }
}

impl<T> fmt::Debug for Sender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sender").field("chan", self.chan()).finish()
    }
}

impl<T> WeakSender<T> {
    /// A [`Sender`], unless every sender is already gone (the channel is closed for sending).
    pub fn upgrade(&self) -> Option<Sender<T>> {
        self.tx.upgrade().map(|tx| Sender { tx })
    }

    /// The number of [`Sender`]s of this channel.
    pub fn strong_count(&self) -> usize {
        self.tx.chan().strong_count()
    }

    /// The number of [`WeakSender`]s of this channel.
    pub fn weak_count(&self) -> usize {
        self.tx.chan().weak_count()
    }
}

impl<T> Clone for WeakSender<T> {
    fn clone(&self) -> Self {
        WeakSender {
            tx: self.tx.clone(),
        }
    }
}

impl<T> fmt::Debug for WeakSender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WeakSender").finish_non_exhaustive()
    }
}

impl<T> Receiver<T> {
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
    /// Cancel safety: cancel safe, as [`recv`](Receiver::recv).
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

    /// [`recv_many`](Receiver::recv_many) from synchronous code (see
    /// [`blocking_recv`](Receiver::blocking_recv)).
    #[track_caller]
    pub fn blocking_recv_many(&mut self, buffer: &mut Vec<T>, limit: usize) -> usize {
        block_on(self.recv_many(buffer, limit))
    }

    /// Closes the channel for sending, keeping the queued values receivable. Reserved permits
    /// can still send.
    pub fn close(&mut self) {
        self.rx.close();
    }

    /// Whether the channel is closed: [`close`](Receiver::close) was called or every sender
    /// is gone.
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

    /// The number of free slots now.
    pub fn capacity(&self) -> usize {
        self.rx.chan().capacity.semaphore.available_permits()
    }

    /// The buffer size the channel was created with.
    pub fn max_capacity(&self) -> usize {
        self.rx.chan().capacity.bound
    }

    /// Polls for the next value: the building block of [`recv`](Receiver::recv) for
    /// hand-written futures. Only the waker of the last call is woken.
    pub fn poll_recv(&mut self, cx: &mut Context<'_>) -> Poll<Option<T>> {
        self.rx.poll_recv(cx)
    }

    /// Polls for up to `limit` values (see [`recv_many`](Receiver::recv_many)).
    pub fn poll_recv_many(
        &mut self,
        cx: &mut Context<'_>,
        buffer: &mut Vec<T>,
        limit: usize,
    ) -> Poll<usize> {
        self.rx.poll_recv_many(cx, buffer, limit)
    }

    /// The number of [`Sender`]s of this channel.
    pub fn sender_strong_count(&self) -> usize {
        self.rx.chan().strong_count()
    }

    /// The number of [`WeakSender`]s of this channel.
    pub fn sender_weak_count(&self) -> usize {
        self.rx.chan().weak_count()
    }
}

impl<T> fmt::Debug for Receiver<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver")
            .field("chan", self.rx.chan())
            .finish()
    }
}

impl<T> Permit<'_, T> {
    /// Sends `value` in the reserved slot.
    pub fn send(self, value: T) {
        let chan = self.chan;
        // The slot is spent from here on, even if waking the receiver panics.
        std::mem::forget(self);
        chan.push(value);
    }
}

impl<T> Drop for Permit<'_, T> {
    fn drop(&mut self) {
        give_back_unused(self.chan, 1);
    }
}

/// Returns unused reserved slots; a receiver that closed the channel may be waiting for them.
fn give_back_unused<T>(chan: &Chan<T, Bounded>, n: usize) {
    chan.capacity.semaphore.release(n);
    if chan.capacity.is_closed() && chan.capacity.is_idle() {
        chan.wake_rx();
    }
}

impl<T> fmt::Debug for Permit<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Permit").field("chan", self.chan).finish()
    }
}

impl<'a, T> Iterator for PermitIterator<'a, T> {
    type Item = Permit<'a, T>;

    fn next(&mut self) -> Option<Permit<'a, T>> {
        if self.remaining == 0 {
            return None;
        }
        self.remaining -= 1;
        Some(Permit { chan: self.chan })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

impl<T> ExactSizeIterator for PermitIterator<'_, T> {}

impl<T> std::iter::FusedIterator for PermitIterator<'_, T> {}

impl<T> Drop for PermitIterator<'_, T> {
    fn drop(&mut self) {
        if self.remaining > 0 {
            give_back_unused(self.chan, self.remaining);
        }
    }
}

impl<T> fmt::Debug for PermitIterator<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PermitIterator")
            .field("remaining", &self.remaining)
            .finish()
    }
}

impl<T> OwnedPermit<T> {
    /// Sends `value` in the reserved slot and gives the sender back.
    pub fn send(mut self, value: T) -> Sender<T> {
        let sender = self
            .sender
            .take()
            .expect("the sender is only taken on consumption");
        sender.chan().push(value);
        sender
    }

    /// Gives the reserved slot back without sending, returning the sender.
    pub fn release(mut self) -> Sender<T> {
        let sender = self
            .sender
            .take()
            .expect("the sender is only taken on consumption");
        give_back_unused(sender.chan(), 1);
        sender
    }

    /// Whether both permits reserve slots in the same channel.
    pub fn same_channel(&self, other: &Self) -> bool {
        self.sender
            .as_ref()
            .zip(other.sender.as_ref())
            .is_some_and(|(mine, theirs)| mine.same_channel(theirs))
    }

    /// Whether this permit reserves a slot in `sender`'s channel.
    pub fn same_channel_as_sender(&self, sender: &Sender<T>) -> bool {
        self.sender
            .as_ref()
            .is_some_and(|mine| mine.same_channel(sender))
    }
}

impl<T> Drop for OwnedPermit<T> {
    fn drop(&mut self) {
        if let Some(sender) = &self.sender {
            give_back_unused(sender.chan(), 1);
        }
    }
}

impl<T> fmt::Debug for OwnedPermit<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OwnedPermit")
            .field("sender", &self.sender)
            .finish()
    }
}
