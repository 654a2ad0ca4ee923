//! A multi-producer, multi-consumer channel where every receiver sees every value.
//!
//! Values live in a ring of `capacity` slots (rounded up to a power of two), each behind its own
//! mutex; the tail (next position, receiver count, closed flag and the list of waiting
//! receivers) sits behind another. A sender writes the slot at the tail, recording how many
//! receivers still have to read it (`remaining`), moves the tail on and wakes every waiting
//! receiver. Each reader decrements `remaining` and clones the value under the slot's lock; the
//! last one moves the value out and clones it outside (so `Clone` runs once per reader, as with
//! Tokio). A reader moves past the value before cloning it, so a panicking `Clone` loses that
//! reader that one value and nothing else. Cloning under a mutex (not a shared read lock) is what
//! makes the channel `Send` and `Sync` for any `T: Send`, as Tokio's is: no two threads hold a
//! `&T` at once. A receiver keeps the position it reads next: the slot at that position holds either
//! that position (a value: clone it, or move it out if this is its last reader), the position one
//! lap earlier (nothing new yet), or a later one (the value was overwritten: the receiver lagged,
//! and skips to the oldest value still held, reporting how many it missed).
//!
//! Lock order: the tail, then a slot. A receiver that finds nothing takes the tail lock, checks
//! its slot again, and only then queues its waiter node, so a send cannot slip in between.
//!
//! ```
//! use eddy_sync::broadcast;
//!
//! # eddy_core::block_on::block_on(&mut eddy_core::ParkThread::new(), async {
//! let (tx, mut rx1) = broadcast::channel(16);
//! let mut rx2 = tx.subscribe();
//! tx.send(10).unwrap();
//! assert_eq!(rx1.recv().await, Ok(10));
//! assert_eq!(rx2.recv().await, Ok(10));
//! # });
//! ```

use crate::loom::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use crate::loom::sync::{Mutex, MutexGuard};
use crate::util::{block_on, AtomicWaker, WakeList};
use crate::Notify;
use eddy_core::coop;
use eddy_core::linked_list::{Link, LinkedList, Pointers};
use std::fmt;
use std::future::Future;
use std::marker::PhantomPinned;
use std::pin::Pin;
use std::ptr::NonNull;
use std::sync::Arc;
use std::task::{ready, Context, Poll, Waker};

/// The errors of the broadcast channel.
pub mod error {
    use std::fmt;

    /// There is no receiver; the value comes back.
    #[derive(PartialEq, Eq, Clone, Copy)]
    pub struct SendError<T>(pub T);

    impl<T> fmt::Debug for SendError<T> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.debug_struct("SendError").finish_non_exhaustive()
        }
    }

    impl<T> fmt::Display for SendError<T> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "channel closed")
        }
    }

    impl<T> std::error::Error for SendError<T> {}

    /// Why [`recv`](super::Receiver::recv) returned no value.
    #[derive(Debug, PartialEq, Eq, Clone)]
    pub enum RecvError {
        /// Every sender is gone and every value was received.
        Closed,
        /// The receiver fell behind: this many values were overwritten before it read them. The
        /// next receive returns the oldest value still held.
        Lagged(u64),
    }

    impl fmt::Display for RecvError {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            match self {
                RecvError::Closed => write!(f, "channel closed"),
                RecvError::Lagged(n) => write!(f, "channel lagged by {n}"),
            }
        }
    }

    impl std::error::Error for RecvError {}

    /// Why [`try_recv`](super::Receiver::try_recv) returned no value.
    #[derive(Debug, PartialEq, Eq, Clone)]
    pub enum TryRecvError {
        /// Nothing new yet.
        Empty,
        /// Every sender is gone and every value was received.
        Closed,
        /// The receiver fell behind by this many values (see [`RecvError::Lagged`]).
        Lagged(u64),
    }

    impl fmt::Display for TryRecvError {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            match self {
                TryRecvError::Empty => write!(f, "channel empty"),
                TryRecvError::Closed => write!(f, "channel closed"),
                TryRecvError::Lagged(n) => write!(f, "channel lagged by {n}"),
            }
        }
    }

    impl std::error::Error for TryRecvError {}
}

use error::{RecvError, SendError, TryRecvError};

struct Shared<T> {
    buffer: Box<[Slot<T>]>,
    mask: usize,
    tail: Mutex<Tail>,
    senders: AtomicUsize,
    weak_senders: AtomicUsize,
    last_receiver_gone: Notify,
}

struct Tail {
    position: u64,
    receivers: usize,
    closed: bool,
    waiters: LinkedList<Waiter>,
}

/// One place in the ring. A mutex, not a reader-writer lock: receivers clone the value under
/// it one at a time, so no two threads ever hold `&T` together and `T: Send` is enough for the
/// channel to be `Send` and `Sync` (Tokio's bound).
struct Slot<T> {
    data: Mutex<SlotData<T>>,
}

struct SlotData<T> {
    position: u64,
    /// Receivers that still have to read the value.
    remaining: usize,
    value: Option<T>,
}

/// One reader's claim on a value, taken before the value is cloned: if `Clone` panics, the
/// reader has already moved past the value and given up its share of it.
enum Claim<'a, T> {
    /// The last reader: the value is moved out of the slot.
    Last(T),
    /// Other readers remain: the value is cloned under the slot's lock.
    Shared(MutexGuard<'a, SlotData<T>>),
}

impl<T: Clone> Claim<'_, T> {
    /// The receiver's copy. Like Tokio's, every reader clones, the last one too (then drops
    /// the original), so `Clone` runs once per reader whatever the order of reads.
    fn into_value(self) -> T {
        match self {
            Claim::Last(value) => value.clone(),
            Claim::Shared(data) => data
                .value
                .clone()
                .expect("a slot with readers left holds its value"),
        }
    }
}

impl<T> Slot<T> {
    /// Claims the value at `position` for one reader (see [`Claim`]). `Err` carries the
    /// position the slot holds instead.
    fn claim(&self, position: u64) -> Result<Claim<'_, T>, u64> {
        let mut data = self.data.lock();
        if data.position != position {
            return Err(data.position);
        }
        data.remaining -= 1;
        if data.remaining > 0 {
            return Ok(Claim::Shared(data));
        }
        let value = data.value.take();
        Ok(Claim::Last(
            value.expect("a slot with readers left holds its value"),
        ))
    }

    /// Gives up one reader's claim on the value at `position` without reading it.
    fn release(&self, position: u64) {
        let mut data = self.data.lock();
        if data.position != position {
            return;
        }
        data.remaining -= 1;
        if data.remaining == 0 {
            let value = data.value.take();
            // The value's destructor runs outside the lock.
            drop(data);
            drop(value);
        }
    }
}

/// The payload of a waiting `recv`.
#[derive(Debug)]
struct Waiter {
    /// Links in the waiter list, guarded by its lock.
    pointers: Pointers<Waiter>,
    queued: AtomicBool,
    waker: AtomicWaker,
    _pinned: PhantomPinned,
}

// SAFETY: `pointers` is a field of the waiter, and a waiter is only ever linked into the list
// of the channel of the receiver that created it.
unsafe impl Link for Waiter {
    #[inline]
    fn pointers(&self) -> &Pointers<Waiter> {
        &self.pointers
    }
}

/// Creates a broadcast channel holding up to `capacity` values (rounded up to a power of two).
///
/// # Panics
///
/// If `capacity` is 0 or larger than `usize::MAX / 2`.
#[track_caller]
pub fn channel<T: Clone>(capacity: usize) -> (Sender<T>, Receiver<T>) {
    let tx = Sender::new(capacity);
    let rx = tx.subscribe();
    (tx, rx)
}

/// Sends values to every [`Receiver`]; cloned to get more producers.
pub struct Sender<T> {
    shared: Arc<Shared<T>>,
}

/// A sender that does not keep the channel open.
pub struct WeakSender<T> {
    shared: Arc<Shared<T>>,
}

/// Receives every value sent after it subscribed (unless it lags).
pub struct Receiver<T> {
    shared: Arc<Shared<T>>,
    next: u64,
}

impl<T> Shared<T> {
    fn slot(&self, position: u64) -> &Slot<T> {
        &self.buffer[position as usize & self.mask]
    }

    fn capacity(&self) -> u64 {
        self.buffer.len() as u64
    }

    fn new_receiver(self: &Arc<Self>) -> Receiver<T> {
        let mut tail = self.tail.lock();
        tail.receivers = tail
            .receivers
            .checked_add(1)
            .expect("too many broadcast receivers");
        Receiver {
            shared: self.clone(),
            next: tail.position,
        }
    }

    /// The last sender is gone: wake every waiter so it sees `Closed`.
    fn close(&self) {
        let mut tail = self.tail.lock();
        tail.closed = true;
        let wakers = take_waiters(&mut tail);
        drop(tail);
        wakers.wake_all();
    }
}

/// Unlinks every waiting receiver, collecting the wakers to wake after unlocking.
fn take_waiters(tail: &mut Tail) -> WakeList {
    let mut wakers = WakeList::new();
    while let Some(waiter) = tail.waiters.pop_front() {
        // SAFETY: the waiter's owner lets it go only after taking this lock or after seeing
        // `queued == false`, which the store below makes as our last access.
        let waiter = unsafe { waiter.as_ref() };
        if let Some(waker) = waiter.waker.take() {
            wakers.push(waker);
        }
        // The last access to the unlinked node.
        waiter.queued.store(false, Ordering::Release);
    }
    wakers
}

impl<T> Sender<T> {
    /// A sender with no receiver yet; [`subscribe`](Sender::subscribe) to get one.
    ///
    /// # Panics
    ///
    /// If `capacity` is 0 or larger than `usize::MAX / 2`.
    #[track_caller]
    pub fn new(capacity: usize) -> Self {
        assert!(capacity > 0, "broadcast channel capacity cannot be zero");
        assert!(
            capacity <= usize::MAX >> 1,
            "broadcast channel capacity exceeded `usize::MAX / 2`"
        );
        let capacity = capacity.next_power_of_two();
        let buffer = (0..capacity)
            .map(|i| Slot {
                data: Mutex::new(SlotData {
                    position: (i as u64).wrapping_sub(capacity as u64),
                    remaining: 0,
                    value: None,
                }),
            })
            .collect();
        let shared = Shared {
            buffer,
            mask: capacity - 1,
            tail: Mutex::new(Tail {
                position: 0,
                receivers: 0,
                closed: false,
                waiters: LinkedList::new(),
            }),
            senders: AtomicUsize::new(1),
            weak_senders: AtomicUsize::new(0),
            last_receiver_gone: Notify::new(),
        };
        Sender {
            shared: Arc::new(shared),
        }
    }

    /// Sends `value` to every current receiver; returns how many there are, or fails (handing
    /// the value back) if there are none. The oldest value is overwritten when the ring is full.
    pub fn send(&self, value: T) -> Result<usize, SendError<T>> {
        let mut tail = self.shared.tail.lock();
        if tail.receivers == 0 {
            return Err(SendError(value));
        }
        let position = tail.position;
        let receivers = tail.receivers;
        let overwritten = {
            let slot = self.shared.slot(position);
            let mut data = slot.data.lock();
            data.position = position;
            data.remaining = receivers;
            data.value.replace(value)
        };
        tail.position += 1;
        if tail.waiters.is_empty() {
            drop(tail);
        } else {
            let wakers = take_waiters(&mut tail);
            drop(tail);
            wakers.wake_all();
        }
        drop(overwritten);
        Ok(receivers)
    }

    /// A new receiver, which sees the values sent from now on.
    pub fn subscribe(&self) -> Receiver<T> {
        self.shared.new_receiver()
    }

    /// The number of values not yet received by every receiver.
    pub fn len(&self) -> usize {
        let tail = self.shared.tail.lock();
        let start = tail.position.saturating_sub(self.shared.capacity());
        for position in start..tail.position {
            let slot = self.shared.slot(position);
            let data = slot.data.lock();
            if data.position == position && data.remaining > 0 {
                return (tail.position - position) as usize;
            }
        }
        0
    }

    /// Whether every value was received by every receiver.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The number of receivers.
    pub fn receiver_count(&self) -> usize {
        self.shared.tail.lock().receivers
    }

    /// Whether both senders send to the same channel.
    pub fn same_channel(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.shared, &other.shared)
    }

    /// Completes once there is no receiver.
    ///
    /// Cancel safety: cancel safe.
    pub async fn closed(&self) {
        loop {
            let notified = self.shared.last_receiver_gone.notified();
            if self.receiver_count() == 0 {
                return;
            }
            notified.await;
        }
    }

    /// A [`WeakSender`] for this channel.
    pub fn downgrade(&self) -> WeakSender<T> {
        self.shared.weak_senders.fetch_add(1, Ordering::Relaxed);
        WeakSender {
            shared: self.shared.clone(),
        }
    }

    /// The number of [`Sender`]s.
    pub fn strong_count(&self) -> usize {
        self.shared.senders.load(Ordering::Acquire)
    }

    /// The number of [`WeakSender`]s.
    pub fn weak_count(&self) -> usize {
        self.shared.weak_senders.load(Ordering::Acquire)
    }
}

impl<T> Clone for Sender<T> {
    fn clone(&self) -> Self {
        self.shared.senders.fetch_add(1, Ordering::Relaxed);
        Sender {
            shared: self.shared.clone(),
        }
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        if self.shared.senders.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.shared.close();
        }
    }
}

impl<T> fmt::Debug for Sender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sender").finish_non_exhaustive()
    }
}

impl<T> WeakSender<T> {
    /// A [`Sender`], unless every sender is already gone.
    pub fn upgrade(&self) -> Option<Sender<T>> {
        let mut count = self.shared.senders.load(Ordering::Relaxed);
        while count != 0 {
            match self.shared.senders.compare_exchange_weak(
                count,
                count + 1,
                Ordering::AcqRel,
                Ordering::Relaxed,
            ) {
                Ok(_) => {
                    return Some(Sender {
                        shared: self.shared.clone(),
                    })
                }
                Err(actual) => count = actual,
            }
        }
        None
    }

    /// The number of [`Sender`]s.
    pub fn strong_count(&self) -> usize {
        self.shared.senders.load(Ordering::Acquire)
    }

    /// The number of [`WeakSender`]s.
    pub fn weak_count(&self) -> usize {
        self.shared.weak_senders.load(Ordering::Acquire)
    }
}

impl<T> Clone for WeakSender<T> {
    fn clone(&self) -> Self {
        self.shared.weak_senders.fetch_add(1, Ordering::Relaxed);
        WeakSender {
            shared: self.shared.clone(),
        }
    }
}

impl<T> Drop for WeakSender<T> {
    fn drop(&mut self) {
        self.shared.weak_senders.fetch_sub(1, Ordering::Relaxed);
    }
}

impl<T> fmt::Debug for WeakSender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WeakSender").finish_non_exhaustive()
    }
}

/// What one receive attempt found.
enum Attempt<T> {
    Value(T),
    Empty,
    Closed,
    Lagged(u64),
}

impl<T> Receiver<T> {
    /// The number of values sent that this receiver has not received yet (more than the
    /// capacity means the next receive reports a lag).
    pub fn len(&self) -> usize {
        (self.shared.tail.lock().position - self.next) as usize
    }

    /// Whether this receiver has received every value sent.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether both receivers belong to the same channel.
    pub fn same_channel(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.shared, &other.shared)
    }

    /// Whether every sender is gone (values may still be waiting to be received).
    pub fn is_closed(&self) -> bool {
        self.shared.tail.lock().closed
    }

    /// The number of [`Sender`]s.
    pub fn sender_strong_count(&self) -> usize {
        self.shared.senders.load(Ordering::Acquire)
    }

    /// The number of [`WeakSender`]s.
    pub fn sender_weak_count(&self) -> usize {
        self.shared.weak_senders.load(Ordering::Acquire)
    }
}

impl<T: Clone> Receiver<T> {
    /// A new receiver that starts at the current tail, like [`Sender::subscribe`].
    pub fn resubscribe(&self) -> Self {
        self.shared.new_receiver()
    }

    /// Receives the next value, waiting for one. Values sent before the last sender went away
    /// are still received before [`RecvError::Closed`].
    ///
    /// Cancel safety: cancel safe. A dropped `recv` takes no value.
    pub async fn recv(&mut self) -> Result<T, RecvError> {
        Recv {
            receiver: self,
            node: Waiter {
                pointers: Pointers::new(),
                queued: AtomicBool::new(false),
                waker: AtomicWaker::new(),
                _pinned: PhantomPinned,
            },
        }
        .await
    }

    /// Receives the next value if there is one now.
    pub fn try_recv(&mut self) -> Result<T, TryRecvError> {
        match self.attempt(None) {
            Attempt::Value(value) => Ok(value),
            Attempt::Empty => Err(TryRecvError::Empty),
            Attempt::Closed => Err(TryRecvError::Closed),
            Attempt::Lagged(n) => Err(TryRecvError::Lagged(n)),
        }
    }

    /// [`recv`](Receiver::recv) from synchronous code, parking the thread meanwhile.
    ///
    /// # Panics
    ///
    /// When called from a thread that drives eddy's async tasks (inside a task or `block_on`):
    /// blocking there could deadlock. Call it from plain threads or `spawn_blocking`.
    #[track_caller]
    pub fn blocking_recv(&mut self) -> Result<T, RecvError> {
        block_on(self.recv())
    }

    /// One receive attempt; with `waiter`, queues it when there is nothing to receive.
    fn attempt(&mut self, waiter: Option<(Pin<&Waiter>, &Waker)>) -> Attempt<T> {
        let shared = &*self.shared;
        if let Ok(claim) = shared.slot(self.next).claim(self.next) {
            self.next += 1;
            return Attempt::Value(claim.into_value());
        }
        let mut tail = shared.tail.lock();
        let held = match shared.slot(self.next).claim(self.next) {
            Ok(claim) => {
                self.next += 1;
                drop(tail);
                return Attempt::Value(claim.into_value());
            }
            Err(held) => held,
        };
        if held.wrapping_add(self.shared.capacity()) != self.next {
            let oldest = tail.position - self.shared.capacity();
            let missed = oldest - self.next;
            self.next = oldest;
            return Attempt::Lagged(missed);
        }
        if tail.closed {
            return Attempt::Closed;
        }
        if let Some((node, waker)) = waiter {
            let state = node.get_ref();
            let after = state.waker.register_under_lock(waker);
            if !state.queued.load(Ordering::Relaxed) {
                state.queued.store(true, Ordering::Relaxed);
                // SAFETY: the node lives pinned in a `Recv`, which queues it only here and, while
                // `queued`, unlinks it under this lock on drop; it stops caring without the lock
                // only after reading `queued == false`, the last access of whoever unlinked it.
                unsafe { tail.waiters.push_back(NonNull::from(node.get_ref())) };
            }
            // The waker this one replaced may send on this very channel when dropped.
            drop(tail);
            drop(after);
        }
        Attempt::Empty
    }
}

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        let mut tail = self.shared.tail.lock();
        tail.receivers -= 1;
        let last = tail.receivers == 0;
        let until = tail.position;
        drop(tail);
        // Give up this receiver's claim on the values it never read.
        let start = self.next.max(until.saturating_sub(self.shared.capacity()));
        for position in start..until {
            self.shared.slot(position).release(position);
        }
        if last {
            self.shared.last_receiver_gone.notify_waiters();
        }
    }
}

impl<T> fmt::Debug for Receiver<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver")
            .field("next", &self.next)
            .finish_non_exhaustive()
    }
}

pin_project_lite::pin_project! {
    /// The future of [`Receiver::recv`].
    struct Recv<'a, T> {
        receiver: &'a mut Receiver<T>,
        #[pin]
        node: Waiter,
    }

    impl<T> PinnedDrop for Recv<'_, T> {
        fn drop(this: Pin<&mut Self>) {
            let this = this.project();
            let node = this.node.as_ref();
            if node.get_ref().queued.load(Ordering::Acquire) {
                let mut tail = this.receiver.shared.tail.lock();
                // SAFETY: the node was only ever pushed into this channel's waiter list.
                unsafe { tail.waiters.remove(NonNull::from(node.get_ref())) };
            }
        }
    }
}

impl<T: Clone> Future for Recv<'_, T> {
    type Output = Result<T, RecvError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let coop = ready!(coop::poll_proceed(cx));
        let this = self.project();
        let result = match this
            .receiver
            .attempt(Some((this.node.as_ref(), cx.waker())))
        {
            Attempt::Value(value) => Ok(value),
            Attempt::Closed => Err(RecvError::Closed),
            Attempt::Lagged(n) => Err(RecvError::Lagged(n)),
            Attempt::Empty => return Poll::Pending,
        };
        coop.made_progress();
        Poll::Ready(result)
    }
}
