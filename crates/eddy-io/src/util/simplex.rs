//! [`SimplexStream`]: a bounded in-memory byte pipe, the building block of [`duplex`] and
//! [`simplex`].
//!
//! State, always accessed under one lock by whoever owns the pipe: the buffered bytes (at most
//! `max_buf_size`), one waker for a reader waiting on an empty pipe and one for a writer waiting
//! on a full one, and two flags. `write_closed` (set by shutdown or by dropping the write end)
//! means readers see end of file once the buffer is drained; `read_closed` (set by dropping the
//! read end) means writes fail with `BrokenPipe`. Every state change that could unblock the
//! other side wakes its waker, so no wake-up is lost. Reads and writes spend a unit of the
//! cooperative budget.
//!
//! Wakers are never woken or dropped inside the pipe's methods: a waker may run the peer's
//! code at once (a waker that polls inline), and the peer locks the same pipe when it is part
//! of a [`duplex`]. Each method instead moves the waker to wake, and the waker it replaced, into
//! a [`Deferred`] that the caller runs once it has released the lock.
//!
//! [`duplex`]: crate::duplex
//! [`simplex`]: crate::simplex

use super::budget::with_budget;
use super::split_halves::{split, ReadHalf, WriteHalf};
use crate::{AsyncRead, AsyncWrite, ReadBuf};
use std::collections::VecDeque;
use std::io::{self, IoSlice};
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

/// A unidirectional in-memory pipe: bytes written to it are read back from it, in order, with
/// at most `max_buf_size` bytes in flight.
///
/// Usually used split in two with [`simplex`]. Writing waits while the pipe is full; reading
/// waits while it is empty. After [`shutdown`](crate::AsyncWriteExt::shutdown) further writes
/// fail with `BrokenPipe` and reads see end of file once the buffered bytes are read.
#[derive(Debug)]
pub struct SimplexStream {
    buffer: VecDeque<u8>,
    max_buf_size: usize,
    write_closed: bool,
    read_closed: bool,
    read_waker: Option<Waker>,
    write_waker: Option<Waker>,
}

/// Creates a unidirectional pipe holding at most `max_buf_size` bytes, split into its read
/// and write halves.
///
/// As in Tokio, dropping the write half does not end the stream (the read half still shares
/// it): call [`shutdown`](crate::AsyncWriteExt::shutdown) on the write half so the reader sees
/// end of file.
///
/// # Panics
///
/// Panics if `max_buf_size` is zero (no byte could ever pass).
#[track_caller]
pub fn simplex(max_buf_size: usize) -> (ReadHalf<SimplexStream>, WriteHalf<SimplexStream>) {
    split(SimplexStream::new_unsplit(max_buf_size))
}

impl SimplexStream {
    /// Creates a pipe holding at most `max_buf_size` bytes, not split.
    ///
    /// # Panics
    ///
    /// Panics if `max_buf_size` is zero (no byte could ever pass).
    #[track_caller]
    pub fn new_unsplit(max_buf_size: usize) -> SimplexStream {
        assert!(max_buf_size > 0, "max_buf_size must be greater than zero");
        SimplexStream {
            buffer: VecDeque::new(),
            max_buf_size,
            write_closed: false,
            read_closed: false,
            read_waker: None,
            write_waker: None,
        }
    }

    /// Marks the write end closed: readers see end of file after the buffered bytes.
    pub(crate) fn close_write(&mut self, deferred: &mut Deferred) {
        self.write_closed = true;
        deferred.wake(&mut self.read_waker);
    }

    /// Marks the read end closed: writers get `BrokenPipe`.
    pub(crate) fn close_read(&mut self, deferred: &mut Deferred) {
        self.read_closed = true;
        deferred.wake(&mut self.write_waker);
    }

    fn poll_read_now(
        &mut self,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
        deferred: &mut Deferred,
    ) -> Poll<io::Result<()>> {
        if buf.remaining() == 0 {
            // Nothing can be read into no room: done at once, as a zero-length write is.
            return Poll::Ready(Ok(()));
        }
        if self.buffer.is_empty() {
            if self.write_closed {
                return Poll::Ready(Ok(()));
            }
            deferred.register(&mut self.read_waker, cx);
            return Poll::Pending;
        }
        let n = self.buffer.len().min(buf.remaining());
        let (front, back) = self.buffer.as_slices();
        let from_front = n.min(front.len());
        buf.put_slice(&front[..from_front]);
        buf.put_slice(&back[..n - from_front]);
        self.buffer.drain(..n);
        if n > 0 {
            deferred.wake(&mut self.write_waker);
        }
        Poll::Ready(Ok(()))
    }

    fn poll_write_now(
        &mut self,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
        deferred: &mut Deferred,
    ) -> Poll<io::Result<usize>> {
        if self.write_closed || self.read_closed {
            return Poll::Ready(Err(io::ErrorKind::BrokenPipe.into()));
        }
        let total: usize = bufs.iter().map(|buf| buf.len()).sum();
        if total == 0 {
            return Poll::Ready(Ok(0));
        }
        let room = self.max_buf_size - self.buffer.len();
        if room == 0 {
            deferred.register(&mut self.write_waker, cx);
            return Poll::Pending;
        }
        let mut written = 0;
        for buf in bufs {
            let n = (room - written).min(buf.len());
            self.buffer.extend(&buf[..n]);
            written += n;
            if written == room {
                break;
            }
        }
        deferred.wake(&mut self.read_waker);
        Poll::Ready(Ok(written))
    }
}

/// The wakers a pipe operation leaves to its caller: one to wake and one it replaced, both
/// to be handled after the pipe's lock is released ([`Deferred::run`]).
#[derive(Default)]
#[must_use = "the deferred wakers must be run once the lock is released"]
pub(crate) struct Deferred {
    wake: Vec<Waker>,
    replaced: Option<Waker>,
}

impl Deferred {
    /// Takes the waker in `slot`, to be woken later.
    fn wake(&mut self, slot: &mut Option<Waker>) {
        self.wake.extend(slot.take());
    }

    /// Stores the task's waker in `slot`; the waker it replaces is dropped later.
    fn register(&mut self, slot: &mut Option<Waker>, cx: &Context<'_>) {
        match slot {
            Some(waker) if waker.will_wake(cx.waker()) => {}
            _ => self.replaced = slot.replace(cx.waker().clone()),
        }
    }

    /// Wakes and drops the collected wakers. Call it with no lock held.
    pub(crate) fn run(self) {
        self.wake.into_iter().for_each(Waker::wake);
    }
}

impl SimplexStream {
    pub(crate) fn poll_read_budgeted(
        &mut self,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
        deferred: &mut Deferred,
    ) -> Poll<io::Result<()>> {
        with_budget(cx, |cx| self.poll_read_now(cx, buf, deferred))
    }

    pub(crate) fn poll_write_budgeted(
        &mut self,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
        deferred: &mut Deferred,
    ) -> Poll<io::Result<usize>> {
        with_budget(cx, |cx| self.poll_write_now(cx, bufs, deferred))
    }

    /// Runs one operation on the unshared pipe, then its deferred wakers.
    fn unshared<R>(&mut self, op: impl FnOnce(&mut SimplexStream, &mut Deferred) -> R) -> R {
        let mut deferred = Deferred::default();
        let result = op(self, &mut deferred);
        deferred.run();
        result
    }
}

impl AsyncRead for SimplexStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        self.get_mut()
            .unshared(|pipe, deferred| pipe.poll_read_budgeted(cx, buf, deferred))
    }
}

impl AsyncWrite for SimplexStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let bufs = &[IoSlice::new(buf)];
        self.get_mut()
            .unshared(|pipe, deferred| pipe.poll_write_budgeted(cx, bufs, deferred))
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        self.get_mut()
            .unshared(|pipe, deferred| pipe.poll_write_budgeted(cx, bufs, deferred))
    }

    fn is_write_vectored(&self) -> bool {
        true
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.get_mut()
            .unshared(|pipe, deferred| pipe.close_write(deferred));
        Poll::Ready(Ok(()))
    }
}
