//! Polling a future by hand, with a waker that records whether it was woken.
//!
//! A test of a primitive's wake-ups wants to poll once, see `Pending`, act (send, release,
//! close), and then check that the waiting side was woken before polling it again. [`spawn`]
//! wraps a future in a [`TestTask`], which pins it, polls it with a counting waker and answers
//! [`is_woken`](TestTask::is_woken) (since the last poll began) and
//! [`wake_count`](TestTask::wake_count). The `assert_ready!` family turns a `Poll` into a
//! verdict with a message that says what was expected. There is no executor here: nothing runs
//! unless the test polls it.
//!
//! ```
//! use eddy_test_support::{assert_pending, assert_ready_eq, task};
//! use std::task::Poll;
//!
//! let mut woken_once = false;
//! let mut task = task::spawn(std::future::poll_fn(move |cx| {
//!     if woken_once {
//!         return Poll::Ready(7);
//!     }
//!     woken_once = true;
//!     cx.waker().wake_by_ref();
//!     Poll::Pending
//! }));
//! assert_pending!(task.poll());
//! assert!(task.is_woken());
//! assert_ready_eq!(task.poll(), 7);
//! assert_eq!(task.wake_count(), 1);
//! ```

use crate::waker::{self, CountWakes};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

/// A value (usually a future) owned by a test, polled by hand with a counting waker.
#[derive(Debug)]
pub struct TestTask<T> {
    value: Pin<Box<T>>,
    wakes: Arc<CountWakes>,
    waker: Waker,
    /// The wake count when the last poll began.
    wakes_at_poll: usize,
}

/// Wraps `value` for polling by hand.
pub fn spawn<T>(value: T) -> TestTask<T> {
    let (wakes, waker) = waker::counting();
    TestTask {
        value: Box::pin(value),
        wakes,
        waker,
        wakes_at_poll: 0,
    }
}

impl<T> TestTask<T> {
    /// Runs `f` with this task's context and the pinned value, for polls other than
    /// `Future::poll` (`poll_recv`, `poll_read`, ...); counts as a poll for [`is_woken`](Self::is_woken).
    pub fn enter<R>(&mut self, f: impl FnOnce(&mut Context<'_>, Pin<&mut T>) -> R) -> R {
        self.wakes_at_poll = self.wakes.count();
        f(&mut Context::from_waker(&self.waker), self.value.as_mut())
    }

    /// Whether the waker was woken since the last poll began.
    pub fn is_woken(&self) -> bool {
        self.wakes.count() > self.wakes_at_poll
    }

    /// How many times the waker was woken, in all.
    pub fn wake_count(&self) -> usize {
        self.wakes.count()
    }

    /// The value, pinned.
    pub fn as_mut(&mut self) -> Pin<&mut T> {
        self.value.as_mut()
    }

    /// The value.
    pub fn get_ref(&self) -> &T {
        &self.value
    }
}

impl<F: Future> TestTask<F> {
    /// Polls the future once with the task's waker.
    pub fn poll(&mut self) -> Poll<F::Output> {
        self.enter(|cx, future| future.poll(cx))
    }
}

/// Polls `future` once with `waker`, for tests that pick the waker themselves.
pub fn poll_once<F: Future + ?Sized>(future: Pin<&mut F>, waker: &Waker) -> Poll<F::Output> {
    future.poll(&mut Context::from_waker(waker))
}

/// The value of a `Poll::Ready`; fails the test on `Poll::Pending`.
///
/// A message (with format arguments) may follow the expression.
#[macro_export]
macro_rules! assert_ready {
    ($poll:expr $(,)?) => {
        match $poll {
            ::std::task::Poll::Ready(value) => value,
            ::std::task::Poll::Pending => panic!("expected Ready, got Pending"),
        }
    };
    ($poll:expr, $($message:tt)+) => {
        match $poll {
            ::std::task::Poll::Ready(value) => value,
            ::std::task::Poll::Pending => {
                panic!("expected Ready, got Pending: {}", format_args!($($message)+))
            }
        }
    };
}

/// Fails the test unless the expression is `Poll::Pending`.
///
/// A message (with format arguments) may follow the expression.
#[macro_export]
macro_rules! assert_pending {
    ($poll:expr $(,)?) => {
        if let ::std::task::Poll::Ready(_) = $poll {
            panic!("expected Pending, got Ready");
        }
    };
    ($poll:expr, $($message:tt)+) => {
        if let ::std::task::Poll::Ready(_) = $poll {
            panic!("expected Pending, got Ready: {}", format_args!($($message)+));
        }
    };
}

/// The `Ok` value of a `Poll::Ready(Ok(_))`; fails the test on `Pending` or an error.
#[macro_export]
macro_rules! assert_ready_ok {
    ($poll:expr $(, $($message:tt)+)?) => {
        match $crate::assert_ready!($poll $(, $($message)+)?) {
            Ok(value) => value,
            Err(error) => panic!("expected Ready(Ok(_)), got Ready(Err({:?}))", error),
        }
    };
}

/// The error of a `Poll::Ready(Err(_))`; fails the test on `Pending` or `Ok`.
#[macro_export]
macro_rules! assert_ready_err {
    ($poll:expr $(, $($message:tt)+)?) => {
        match $crate::assert_ready!($poll $(, $($message)+)?) {
            Ok(_) => panic!("expected Ready(Err(_)), got Ready(Ok(_))"),
            Err(error) => error,
        }
    };
}

/// Fails the test unless the expression is `Poll::Ready` of a value equal to the second.
#[macro_export]
macro_rules! assert_ready_eq {
    ($poll:expr, $expected:expr $(,)?) => {
        assert_eq!($crate::assert_ready!($poll), $expected)
    };
}
