//! A channel for sending exactly one value between tasks.
//!
//! The channel is one allocation: a state word, the value's cell and two waker slots (the
//! receiver's, and the sender's for [`Sender::closed`]).
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
//! * `TX_DROPPED`: the sender went away without sending.
//! * `RX_CLOSED`: the receiver closed or was dropped. The sender sets `VALUE_SENT` with a
//!   compare-and-swap that fails once `RX_CLOSED` is set; it then takes its value back, which is
//!   safe since the receiver never reads a cell without `VALUE_SENT`.
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
use crate::util::{block_on, AtomicWaker};
use eddy_core::coop;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{ready, Context, Poll};

const RX_CLOSED: usize = 0b0001;
const VALUE_SENT: usize = 0b0010;
const TX_DROPPED: usize = 0b0100;
/// The receiver registered a waker (then set this bit): the sender must wake it.
const RX_TASK_SET: usize = 0b1000;
/// The sender registered a waker for `closed` (then set this bit): closing must wake it.
const TX_TASK_SET: usize = 0b1_0000;

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

// SAFETY: the value moves from the sending thread to the receiving one (`T: Send`); the cell is
// never accessed by both sides (module docs).
unsafe impl<T: Send> Send for Inner<T> {}
// SAFETY: as above.
unsafe impl<T: Send> Sync for Inner<T> {}

/// Creates a oneshot channel.
pub fn channel<T>() -> (Sender<T>, Receiver<T>) {
    let inner = Arc::new(Inner {
        state: AtomicUsize::new(0),
        value: UnsafeCell::new(None),
        rx_waker: AtomicWaker::new(),
        tx_waker: AtomicWaker::new(),
    });
    (
        Sender {
            inner: Some(inner.clone()),
        },
        Receiver { inner: Some(inner) },
    )
}

/// Sends one value to the [`Receiver`].
pub struct Sender<T> {
    inner: Option<Arc<Inner<T>>>,
}

/// Receives the value; `.await` it, or use [`try_recv`](Receiver::try_recv).
///
/// Cancel safety: awaiting the receiver is cancel safe: the value is only taken by the poll that
/// returns it, so `&mut receiver` may be awaited again (in a `select!` loop, say).
pub struct Receiver<T> {
    inner: Option<Arc<Inner<T>>>,
}

impl<T> Inner<T> {
    /// Takes the value.
    ///
    /// # Safety
    ///
    /// The caller saw `VALUE_SENT` (with `Acquire`) and is the receiver.
    unsafe fn take_value(&self) -> Option<T> {
        // SAFETY: the sender is done with the cell (module docs), the receiver is us.
        self.value.with_mut(|cell| unsafe { (*cell).take() })
    }

    /// What the receiver can get now: `Some(Ok)` value, `Some(Err)` closed, `None` wait.
    fn try_take(&self) -> Option<Result<T, RecvError>> {
        let state = self.state.load(Ordering::Acquire);
        if state & VALUE_SENT != 0 {
            // SAFETY: `VALUE_SENT` seen with `Acquire`; only the receiver calls `try_take`.
            return Some(unsafe { self.take_value() }.ok_or(RecvError(())));
        }
        if state & TX_DROPPED != 0 {
            return Some(Err(RecvError(())));
        }
        None
    }
}

impl<T> Sender<T> {
    /// Sends `t`, or hands it back if the receiver is gone or closed.
    pub fn send(mut self, t: T) -> Result<(), T> {
        let inner = self.inner.take().expect("a sender sends once");
        // SAFETY: before `VALUE_SENT` is set the receiver does not read the cell.
        inner.value.with_mut(|cell| unsafe { *cell = Some(t) });
        let mut state = inner.state.load(Ordering::Acquire);
        loop {
            if state & RX_CLOSED != 0 {
                // SAFETY: `VALUE_SENT` was never set, so the cell is still ours.
                let t = inner.value.with_mut(|cell| unsafe { (*cell).take() });
                return Err(t.expect("the value was just written"));
            }
            match inner.state.compare_exchange_weak(
                state,
                state | VALUE_SENT,
                Ordering::AcqRel,
                Ordering::Acquire,
            ) {
                Ok(_) => break,
                Err(actual) => state = actual,
            }
        }
        if state & RX_TASK_SET != 0 {
            inner.rx_waker.wake();
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
        let inner = self
            .inner
            .as_ref()
            .expect("a sender is used before sending");
        inner.state.load(Ordering::Acquire) & RX_CLOSED != 0
    }

    /// Polls whether the receiver is dropped or closed; only the last waker is woken.
    pub fn poll_closed(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        let mut coop = ready!(coop::poll_proceed(cx));
        let inner = self
            .inner
            .as_ref()
            .expect("a sender is used before sending");
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
        if let Some(inner) = self.inner.take() {
            if inner.state.fetch_or(TX_DROPPED, Ordering::AcqRel) & RX_TASK_SET != 0 {
                inner.rx_waker.wake();
            }
        }
    }
}

impl<T> fmt::Debug for Sender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sender").finish_non_exhaustive()
    }
}

impl<T> Receiver<T> {
    /// Stops the sender from sending; a value sent before still can be received.
    pub fn close(&mut self) {
        if let Some(inner) = &self.inner {
            let state = inner.state.fetch_or(RX_CLOSED, Ordering::AcqRel);
            if state & (VALUE_SENT | TX_DROPPED) == 0 && state & TX_TASK_SET != 0 {
                inner.tx_waker.wake();
            }
        }
    }

    /// Takes the value if it was sent.
    pub fn try_recv(&mut self) -> Result<T, TryRecvError> {
        let Some(inner) = &self.inner else {
            return Err(TryRecvError::Closed);
        };
        match inner.try_take() {
            Some(Ok(value)) => {
                self.inner = None;
                Ok(value)
            }
            Some(Err(_)) => {
                self.inner = None;
                Err(TryRecvError::Closed)
            }
            None if inner.state.load(Ordering::Acquire) & RX_CLOSED != 0 => {
                Err(TryRecvError::Closed)
            }
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
        match &self.inner {
            Some(inner) => inner.state.load(Ordering::Acquire) & VALUE_SENT == 0,
            None => true,
        }
    }
}

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        self.close();
    }
}

impl<T> Future for Receiver<T> {
    type Output = Result<T, RecvError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut coop = ready!(coop::poll_proceed(cx));
        let inner = self.inner.as_ref().expect("called after complete");
        let result = match inner.try_take() {
            Some(result) => result,
            None => {
                inner.rx_waker.register(cx.waker());
                inner.state.fetch_or(RX_TASK_SET, Ordering::AcqRel);
                match inner.try_take() {
                    Some(result) => result,
                    None => return Poll::Pending,
                }
            }
        };
        self.inner = None;
        coop.made_progress();
        Poll::Ready(result)
    }
}

impl<T> fmt::Debug for Receiver<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver").finish_non_exhaustive()
    }
}
