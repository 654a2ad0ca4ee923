//! A channel for sending exactly one value between tasks.
//!
//! The channel is one heap allocation: a state word, the value's cell and two waker slots (the
//! receiver's, and the sender's for [`Sender::closed`]). The two handles share it through a raw
//! pointer; there is no reference count, the state word carries the ownership too. (With the
//! `tracing` feature and an interested subscriber, each handle also holds the channel's
//! resource span, outside that allocation: see `trace.rs`.)
//!
//! # State
//!
//! * `RX_TASK_SET` / `TX_TASK_SET`: a side registered its waker (before setting the bit). The
//!   other side wakes it only if the bit was set when it changed the state: both updates are
//!   read-modify-writes of the one word, so either the waker sees the bit (and the waker is in
//!   place), or the registering side sees the change and does not wait. A value sent before the
//!   receiver ever waits costs no wake-up at all.
//! * `VALUE_SENT`: the sender wrote the value. It writes the cell first and then sets the bit
//!   (`AcqRel`), and never touches the cell again; the receiver reads the cell only after seeing
//!   the bit (`Acquire`). So the cell is never accessed by both.
//! * `TX_DROPPED`: the sender went away without sending (dropped, or its send failed).
//! * `RX_CLOSED`: the receiver closed or was dropped. The sender sets `VALUE_SENT` with a
//!   compare-and-swap that fails once `RX_CLOSED` is set; it then takes its value back, which is
//!   safe since the receiver never reads a cell without `VALUE_SENT`.
//!
//! # Ownership
//!
//! * `TX_DONE` / `RX_DONE`: this side will never touch the allocation again. A side uses the
//!   pointer only while its bit is clear, so the allocation is alive whenever it is used.
//! * The side that sets the second bit frees the allocation; a side that is finished and sees the
//!   other's bit (`Acquire`) frees it without setting its own. Setting a bit is `AcqRel`, so every
//!   access of the other side happens before the free. Since both bits are set in read-modify-
//!   writes of the one word, exactly one side sees the other's bit: the allocation is freed once.
//! * A side sets its bit in the same update as its last state change unless it must still wake
//!   the other side (the other's `*_TASK_SET` bit was set): then it wakes first and sets the bit
//!   afterwards. So a value sent before the receiver waits costs the sender one compare-and-swap,
//!   and the receiver, seeing `TX_DONE`, takes the value and frees without another atomic update.
//!
//! ```
//! use eddy_sync::oneshot;
//!
//! let (tx, rx) = oneshot::channel();
//! std::thread::spawn(move || tx.send(42).unwrap());
//! assert_eq!(rx.blocking_recv(), Ok(42));
//! ```

use crate::loom::cell::UnsafeCell;
use crate::loom::sync::atomic::{AtomicUsize, Ordering};
use crate::trace::{OpTrace, Resource, Source};
use crate::util::{block_on, AtomicWaker};
use eddy_core::coop;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::ptr::NonNull;
use std::task::{ready, Context, Poll};

const RX_CLOSED: usize = 0b0001;
const VALUE_SENT: usize = 0b0010;
const TX_DROPPED: usize = 0b0100;
/// The receiver registered a waker (then set this bit): the sender must wake it.
const RX_TASK_SET: usize = 0b1000;
/// The sender registered a waker for `closed` (then set this bit): closing must wake it.
const TX_TASK_SET: usize = 0b1_0000;
/// The sender will never touch the allocation again.
const TX_DONE: usize = 0b10_0000;
/// The receiver will never touch the allocation again.
const RX_DONE: usize = 0b100_0000;

/// The errors of the oneshot channel.
pub mod error {
    use std::fmt;

    /// The sender was dropped without sending a value.
    #[derive(Debug, PartialEq, Eq, Clone)]
    pub struct RecvError(pub(super) ());

    impl fmt::Display for RecvError {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "channel closed")
        }
    }

    impl std::error::Error for RecvError {}

    /// Why [`try_recv`](super::Receiver::try_recv) returned no value.
    #[derive(Debug, PartialEq, Eq, Clone)]
    pub enum TryRecvError {
        /// No value was sent yet.
        Empty,
        /// The sender is gone without sending, or the value was already received.
        Closed,
    }

    impl fmt::Display for TryRecvError {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            match self {
                TryRecvError::Empty => write!(f, "channel empty"),
                TryRecvError::Closed => write!(f, "channel closed"),
            }
        }
    }

    impl std::error::Error for TryRecvError {}
}

use error::{RecvError, TryRecvError};

struct Inner<T> {
    state: AtomicUsize,
    value: UnsafeCell<Option<T>>,
    rx_waker: AtomicWaker,
    tx_waker: AtomicWaker,
}

/// Creates a oneshot channel.
#[track_caller]
pub fn channel<T>() -> (Sender<T>, Receiver<T>) {
    let resource = Resource::oneshot();
    let inner = NonNull::from(Box::leak(Box::new(Inner {
        state: AtomicUsize::new(0),
        value: UnsafeCell::new(None),
        rx_waker: AtomicWaker::new(),
        tx_waker: AtomicWaker::new(),
    })));
    (
        Sender {
            inner: Some(inner),
            _owns: PhantomData,
            resource: resource.clone(),
        },
        Receiver {
            inner: Some(inner),
            _owns: PhantomData,
            op: OpTrace::start(&resource, Source::new("Receiver::await")),
            resource,
        },
    )
}

/// Sends one value to the [`Receiver`].
pub struct Sender<T> {
    /// The channel, held while `TX_DONE` is clear (module docs).
    inner: Option<NonNull<Inner<T>>>,
    _owns: PhantomData<Box<Inner<T>>>,
    /// The channel's `tracing` resource (zero-sized without the feature).
    resource: Resource,
}

/// Receives the value; `.await` it, or use [`try_recv`](Receiver::try_recv).
///
/// Cancel safety: awaiting the receiver is cancel safe: the value is only taken by the poll that
/// returns it, so `&mut receiver` may be awaited again (in a `select!` loop, say).
pub struct Receiver<T> {
    /// The channel, held while `RX_DONE` is clear (module docs).
    inner: Option<NonNull<Inner<T>>>,
    _owns: PhantomData<Box<Inner<T>>>,
    /// The channel's `tracing` resource, and awaiting as its async operation (zero-sized
    /// without the feature).
    resource: Resource,
    op: OpTrace,
}

// SAFETY: a handle is an exclusive share of the channel; the value moves from the sending thread
// to the receiving one (`T: Send`), the cell is never accessed by both sides and the allocation is
// freed by exactly one side, on whichever thread it runs (module docs).
unsafe impl<T: Send> Send for Sender<T> {}
// SAFETY: `&Sender` only loads the state word.
unsafe impl<T: Send> Sync for Sender<T> {}
// SAFETY: as for `Sender`.
unsafe impl<T: Send> Send for Receiver<T> {}
// SAFETY: `&Receiver` only loads the state word.
unsafe impl<T: Send> Sync for Receiver<T> {}

/// Frees the channel.
///
/// # Safety
///
/// The caller's side is finished and saw (`Acquire`) the other side's done bit, so nobody uses
/// `inner` again.
unsafe fn free<T>(inner: NonNull<Inner<T>>) {
    // SAFETY: `inner` came from `Box::leak` in `channel`, and per the contract no other access
    // follows, so this is the one free.
    drop(unsafe { Box::from_raw(inner.as_ptr()) });
}

/// Sets `bits`, which hold the caller's done bit, and frees the channel if the other side's done
/// bit was set already.
///
/// # Safety
///
/// The caller holds `inner` (its done bit is clear) and does not use it after this call.
unsafe fn set_done<T>(inner: NonNull<Inner<T>>, bits: usize) {
    let other = (TX_DONE | RX_DONE) & !bits;
    // SAFETY: our done bit is still clear, so the allocation is alive.
    let state = unsafe { inner.as_ref() }
        .state
        .fetch_or(bits, Ordering::AcqRel);
    if state & other != 0 {
        // SAFETY: we set the second done bit, and saw the first with `Acquire`.
        unsafe { free(inner) };
    }
}

/// The sender leaves without sending: sets `TX_DROPPED`, wakes a waiting receiver, and finishes.
///
/// # Safety
///
/// The caller is the sender, holds `inner`, and does not use it afterwards.
unsafe fn sender_leaves<T>(ptr: NonNull<Inner<T>>) {
    // SAFETY: `TX_DONE` is clear, so the allocation is alive until we set it.
    let inner = unsafe { ptr.as_ref() };
    let mut state = inner.state.load(Ordering::Acquire);
    loop {
        if state & RX_DONE != 0 {
            // SAFETY: the receiver is finished (seen with `Acquire`), and so are we.
            unsafe { free(ptr) };
            return;
        }
        let done = if state & RX_TASK_SET == 0 { TX_DONE } else { 0 };
        match inner.state.compare_exchange_weak(
            state,
            state | TX_DROPPED | done,
            Ordering::AcqRel,
            Ordering::Acquire,
        ) {
            Ok(_) => break,
            Err(actual) => state = actual,
        }
    }
    if state & RX_TASK_SET != 0 {
        inner.rx_waker.wake();
        // SAFETY: `TX_DONE` is still clear; we stop using `ptr` here.
        unsafe { set_done(ptr, TX_DONE) };
    }
}

impl<T> Sender<T> {
    fn inner(&self) -> &Inner<T> {
        let ptr = self.inner.expect("a sender is used before sending");
        // SAFETY: the sender holds the pointer, so `TX_DONE` is clear and the channel is alive.
        unsafe { ptr.as_ref() }
    }

    /// Sends `t`, or hands it back if the receiver is gone or closed.
    pub fn send(mut self, t: T) -> Result<(), T> {
        let ptr = self.inner.take().expect("a sender sends once");
        // SAFETY: `TX_DONE` is clear, so the channel is alive until we set it.
        let inner = unsafe { ptr.as_ref() };
        // SAFETY: before `VALUE_SENT` is set the receiver does not read the cell.
        inner.value.with_mut(|cell| unsafe { *cell = Some(t) });
        let mut state = inner.state.load(Ordering::Acquire);
        loop {
            if state & RX_CLOSED != 0 {
                // SAFETY: `VALUE_SENT` was never set, so the cell is still ours.
                let t = inner.value.with_mut(|cell| unsafe { (*cell).take() });
                // SAFETY: we are the sender, hold `ptr`, and stop using it here.
                unsafe { sender_leaves(ptr) };
                return Err(t.expect("the value was just written"));
            }
            // Without a waiting receiver this is our last access: finish in the same update.
            let done = if state & RX_TASK_SET == 0 { TX_DONE } else { 0 };
            match inner.state.compare_exchange_weak(
                state,
                state | VALUE_SENT | done,
                Ordering::AcqRel,
                Ordering::Acquire,
            ) {
                Ok(_) => break,
                Err(actual) => state = actual,
            }
        }
        self.resource.value_sent();
        // The exchange succeeded on a state without `RX_CLOSED`, hence without `RX_DONE` (the
        // receiver finishes early only by dropping, which closes): the receiver frees.
        if state & RX_TASK_SET != 0 {
            inner.rx_waker.wake();
            // SAFETY: `TX_DONE` is still clear; we stop using `ptr` here.
            unsafe { set_done(ptr, TX_DONE) };
        }
        Ok(())
    }

    /// Completes once the receiver is dropped or has called [`Receiver::close`].
    ///
    /// Cancel safety: cancel safe.
    pub async fn closed(&mut self) {
        std::future::poll_fn(|cx| self.poll_closed(cx)).await
    }

    /// Whether the receiver is dropped or closed.
    pub fn is_closed(&self) -> bool {
        self.inner().state.load(Ordering::Acquire) & RX_CLOSED != 0
    }

    /// Polls whether the receiver is dropped or closed; only the last waker is woken.
    pub fn poll_closed(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        let coop = ready!(coop::poll_proceed(cx));
        let inner = self.inner();
        if inner.state.load(Ordering::Acquire) & RX_CLOSED == 0 {
            inner.tx_waker.register(cx.waker());
            if inner.state.fetch_or(TX_TASK_SET, Ordering::AcqRel) & RX_CLOSED == 0 {
                return Poll::Pending;
            }
        }
        coop.made_progress();
        Poll::Ready(())
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        self.resource.tx_dropped();
        if let Some(ptr) = self.inner.take() {
            // SAFETY: we are the sender and held `ptr`; it is gone from the handle now.
            unsafe { sender_leaves(ptr) };
        }
    }
}

impl<T> fmt::Debug for Sender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sender").finish_non_exhaustive()
    }
}

impl<T> Receiver<T> {
    fn inner(&self) -> Option<&Inner<T>> {
        // SAFETY: the receiver holds the pointer, so `RX_DONE` is clear and the channel is alive.
        self.inner.map(|ptr| unsafe { ptr.as_ref() })
    }

    /// The outcome if there is one in `state` (seen with `Acquire`): the value, or closure by
    /// either side (once `RX_CLOSED` is set no value can come, so a closed receiver without a
    /// value is done). Then the receiver is finished and lets go of the channel (`slot` is its
    /// pointer).
    fn take_outcome(
        slot: &mut Option<NonNull<Inner<T>>>,
        state: usize,
    ) -> Option<Result<T, RecvError>> {
        if state & (VALUE_SENT | TX_DROPPED | RX_CLOSED) == 0 {
            return None;
        }
        let ptr = slot.take().expect("called after complete");
        let outcome = if state & VALUE_SENT != 0 {
            // SAFETY: we hold `ptr` (`RX_DONE` clear), saw `VALUE_SENT` with `Acquire`, and the
            // sender never touches the cell after setting it; the value is taken only here, and
            // only once since the handle lets go of `ptr`.
            let value = unsafe { ptr.as_ref() }
                .value
                .with_mut(|cell| unsafe { (*cell).take() });
            Ok(value.expect("a sent value is taken once"))
        } else {
            Err(RecvError(()))
        };
        if state & TX_DONE != 0 {
            // SAFETY: the sender is finished (seen with `Acquire`) and so are we.
            unsafe { free(ptr) };
        } else {
            // SAFETY: `RX_DONE` is clear; the handle let go of `ptr`.
            unsafe { set_done(ptr, RX_DONE) };
        }
        Some(outcome)
    }

    /// Stops the sender from sending; a value sent before still can be received.
    pub fn close(&mut self) {
        if let Some(inner) = self.inner() {
            let state = inner.state.fetch_or(RX_CLOSED, Ordering::AcqRel);
            if state & (VALUE_SENT | TX_DROPPED) == 0 && state & TX_TASK_SET != 0 {
                inner.tx_waker.wake();
            }
        }
    }

    /// Takes the value if it was sent.
    pub fn try_recv(&mut self) -> Result<T, TryRecvError> {
        let Some(inner) = self.inner() else {
            return Err(TryRecvError::Closed);
        };
        let state = inner.state.load(Ordering::Acquire);
        match Receiver::take_outcome(&mut self.inner, state) {
            Some(Ok(value)) => {
                self.resource.value_received();
                Ok(value)
            }
            Some(Err(_)) => Err(TryRecvError::Closed),
            None => Err(TryRecvError::Empty),
        }
    }

    /// Waits for the value from synchronous code, parking the thread meanwhile.
    ///
    /// # Panics
    ///
    /// When called from a thread that drives eddy's async tasks (inside a task or `block_on`):
    /// blocking there could deadlock. Call it from plain threads or `spawn_blocking`.
    #[track_caller]
    pub fn blocking_recv(self) -> Result<T, RecvError> {
        block_on(self)
    }

    /// Whether the future completed (with the value or the error); polling it again panics.
    pub fn is_terminated(&self) -> bool {
        self.inner.is_none()
    }

    /// Whether no value is waiting: none was sent, or it was received already.
    pub fn is_empty(&self) -> bool {
        match self.inner() {
            Some(inner) => inner.state.load(Ordering::Acquire) & VALUE_SENT == 0,
            None => true,
        }
    }
}

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        self.resource.rx_dropped();
        let Some(ptr) = self.inner.take() else {
            return;
        };
        // SAFETY: `RX_DONE` is clear, so the allocation is alive until we set it.
        let inner = unsafe { ptr.as_ref() };
        let mut state = inner.state.load(Ordering::Acquire);
        let wake_sender = loop {
            if state & TX_DONE != 0 {
                // SAFETY: the sender is finished (seen with `Acquire`), and so are we; an unreceived
                // value is dropped with the allocation.
                unsafe { free(ptr) };
                return;
            }
            let wake = state & (VALUE_SENT | TX_DROPPED) == 0 && state & TX_TASK_SET != 0;
            let done = if wake { 0 } else { RX_DONE };
            match inner.state.compare_exchange_weak(
                state,
                state | RX_CLOSED | done,
                Ordering::AcqRel,
                Ordering::Acquire,
            ) {
                Ok(_) => break wake,
                Err(actual) => state = actual,
            }
        };
        if wake_sender {
            inner.tx_waker.wake();
            // SAFETY: `RX_DONE` is still clear; we stop using `ptr` here.
            unsafe { set_done(ptr, RX_DONE) };
        }
    }
}

impl<T> Future for Receiver<T> {
    type Output = Result<T, RecvError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let outcome = this
            .op
            .in_poll(|| Receiver::poll_outcome(&mut this.inner, cx));
        if let Poll::Ready(Ok(_)) = outcome {
            this.resource.value_received();
        }
        outcome
    }
}

impl<T> Receiver<T> {
    /// Polls for the outcome, registering the waker while there is none; `slot` is the
    /// receiver's pointer to the channel.
    fn poll_outcome(
        slot: &mut Option<NonNull<Inner<T>>>,
        cx: &mut Context<'_>,
    ) -> Poll<Result<T, RecvError>> {
        let coop = ready!(coop::poll_proceed(cx));
        let ptr = slot.expect("called after complete");
        // SAFETY: the receiver holds the pointer, so `RX_DONE` is clear and the channel is alive.
        let inner = unsafe { ptr.as_ref() };
        let mut state = inner.state.load(Ordering::Acquire);
        if state & (VALUE_SENT | TX_DROPPED | RX_CLOSED) == 0 {
            inner.rx_waker.register(cx.waker());
            state = inner.state.fetch_or(RX_TASK_SET, Ordering::AcqRel);
        }
        match Receiver::take_outcome(slot, state) {
            Some(result) => {
                coop.made_progress();
                Poll::Ready(result)
            }
            None => Poll::Pending,
        }
    }
}

impl<T> fmt::Debug for Receiver<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver").finish_non_exhaustive()
    }
}
