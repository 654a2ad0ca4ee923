//! What the expansions of `join!`, `try_join!` and `select!` call at run time; the facade shows it
//! as `eddy::macros::support` (Tokio's `tokio::macros::support`), hidden from the docs.
//!
//! The macros keep their futures in one value on the stack of the calling task, pinned once, so
//! that the future a `join!` or `select!` produces holds only that value, one pointer to it and a
//! few bytes of bookkeeping (a start index, a mask of disabled branches). Two shapes build it:
//!
//! * [`Slots`] chains any number of futures as `Slots { first, rest: Slots { .. , rest: () } }`,
//!   pinned as a whole; [`Slots::split`] hands out the pinned first item and the pinned rest, so
//!   an expansion reaches every future with no `unsafe` of its own, whatever their number. A
//!   chain has the layout of a tuple of its items unless their alignments differ.
//! * [`MaybeDone`] is one `join!` slot: the future, then its output, then nothing once the output
//!   was taken. It is `repr(C)`, so its state is a tag beside the future rather than a niche
//!   inside it: the tag is then never read through memory that a self-referential future may
//!   borrow from itself.
//!
//! [`poll_budget_available`] lets `select!` yield when the task's cooperative budget is spent
//! (see [`coop`](crate::coop)) before it polls any branch, as the leaf resources do; outside an
//! eddy task there is no budget and it always proceeds. [`thread_rng_n`] picks `select!`'s
//! starting branch.
//!
//! Nothing here is public API: the items exist for the macros and may change with them.

use crate::{coop, defer};
use pin_project_lite::pin_project;
use std::hash::BuildHasher;

pub use std::future::{poll_fn, Future, IntoFuture};
pub use std::pin::Pin;
pub use std::result::Result;
pub use std::task::{ready, Context, Poll};

pin_project! {
    /// A chain of pinned items: `first`, then the chain `rest` (`()` ends it).
    #[derive(Debug)]
    #[project = SlotsProjection]
    pub struct Slots<T, Rest> {
        #[pin]
        first: T,
        #[pin]
        rest: Rest,
    }
}

impl<T, Rest> Slots<T, Rest> {
    /// The chain of `first` then `rest`.
    #[inline]
    pub fn new(first: T, rest: Rest) -> Self {
        Slots { first, rest }
    }

    /// The pinned first item and the pinned rest of the chain.
    #[inline]
    pub fn split(self: Pin<&mut Self>) -> (Pin<&mut T>, Pin<&mut Rest>) {
        let projection = self.project();
        (projection.first, projection.rest)
    }
}

pin_project! {
    /// One future of a `join!`: running, finished with its output kept, or emptied.
    #[derive(Debug)]
    #[project = MaybeDoneProjection]
    #[project_replace = MaybeDoneReplaced]
    #[repr(C)]
    pub enum MaybeDone<F: Future> {
        /// Still running.
        Future {
            #[pin]
            future: F,
        },
        /// Finished; its output is waiting to be taken.
        Done {
            output: F::Output,
        },
        /// Finished, and its output was taken.
        Gone,
    }
}

/// A running slot for `future`.
pub fn maybe_done<F: IntoFuture>(future: F) -> MaybeDone<F::IntoFuture> {
    MaybeDone::Future {
        future: future.into_future(),
    }
}

impl<F: Future> MaybeDone<F> {
    /// The output, if the future finished and it was not taken yet.
    pub fn output_mut(self: Pin<&mut Self>) -> Option<&mut F::Output> {
        match self.project() {
            MaybeDoneProjection::Done { output } => Some(output),
            MaybeDoneProjection::Future { .. } | MaybeDoneProjection::Gone => None,
        }
    }

    /// Takes the output out, leaving the slot empty; `None` (and the slot untouched) unless the
    /// future finished and its output is still there.
    pub fn take_output(mut self: Pin<&mut Self>) -> Option<F::Output> {
        if !matches!(*self, MaybeDone::Done { .. }) {
            return None;
        }
        match self.as_mut().project_replace(MaybeDone::Gone) {
            MaybeDoneReplaced::Done { output } => Some(output),
            MaybeDoneReplaced::Future { .. } | MaybeDoneReplaced::Gone => {
                unreachable!("the slot was checked to be done")
            }
        }
    }
}

impl<F: Future> Future for MaybeDone<F> {
    type Output = ();

    /// Polls the future while it runs and keeps its output; `Ready` at once when done.
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let output = match self.as_mut().project() {
            MaybeDoneProjection::Future { future } => ready!(future.poll(cx)),
            MaybeDoneProjection::Done { .. } => return Poll::Ready(()),
            MaybeDoneProjection::Gone => panic!("MaybeDone polled after value taken"),
        };
        self.set(MaybeDone::Done { output });
        Poll::Ready(())
    }
}

/// `Ready` while the current task has cooperative budget left; otherwise arranges for the task
/// to be polled again once the scheduler has looked at its drivers, and returns `Pending`.
/// Spends nothing.
#[inline]
pub fn poll_budget_available(cx: &mut Context<'_>) -> Poll<()> {
    if coop::has_budget_remaining() {
        return Poll::Ready(());
    }
    defer::defer(cx.waker());
    Poll::Pending
}

/// A random number below `n` (which must not be zero), fresh on every call.
///
/// `RandomState::new()` draws new keys each time (random per thread, then incremented), and
/// hashing nothing with them is cheap.
pub fn thread_rng_n(n: u32) -> u32 {
    let hash = std::collections::hash_map::RandomState::new().hash_one(());
    (hash % u64::from(n)) as u32
}
