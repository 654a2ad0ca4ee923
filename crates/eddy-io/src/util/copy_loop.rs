//! [`CopyBuffer`]: the read-then-write loop shared by `copy` and `copy_bidirectional`.
//!
//! The buffer holds `buf[pos..cap]`, bytes read and not yet written, in the order they were
//! read. When it is empty, the copy reads into it from the start. While the writer is not ready,
//! the copy keeps reading into the free room after `cap`, so the source is drained while the
//! destination is busy and a proxy keeps both directions moving. Once the room at the back is
//! used up, the pending bytes move to the front, but only if that frees at least half the buffer
//! (so moving costs at most one copy per byte). A read error or end of file met while reading
//! ahead is held back until the bytes read before it have been written: bytes arrive in order,
//! and none read before a failure is dropped.
//!
//! When the reader has nothing for now, bytes already written are flushed before waiting, so a
//! slow source never leaves data stuck in a buffered writer. Each step spends a unit of the
//! cooperative budget, so copying between two always-ready streams still lets other tasks run.

use super::interrupted::retry;
use super::write_all::write_zero;
use crate::{AsyncRead, AsyncWrite, ReadBuf};
use eddy_core::coop;
use std::io;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

#[derive(Debug)]
pub(crate) struct CopyBuffer {
    /// The reader reached end of file, or failed: no more reads.
    read_done: bool,
    /// Why the reader failed; reported once the bytes read before it are written.
    read_error: Option<io::Error>,
    need_flush: bool,
    pos: usize,
    cap: usize,
    amt: u64,
    buf: Box<[u8]>,
}

impl CopyBuffer {
    pub(crate) fn new(size: usize) -> CopyBuffer {
        assert!(size > 0, "the copy buffer size must be greater than zero");
        CopyBuffer {
            read_done: false,
            read_error: None,
            need_flush: false,
            pos: 0,
            cap: 0,
            amt: 0,
            buf: vec![0; size].into_boxed_slice(),
        }
    }

    /// Copies until the reader's end of file, then flushes; resolves to the bytes copied.
    pub(crate) fn poll_copy<R, W>(
        &mut self,
        cx: &mut Context<'_>,
        mut reader: Pin<&mut R>,
        mut writer: Pin<&mut W>,
    ) -> Poll<io::Result<u64>>
    where
        R: AsyncRead + ?Sized,
        W: AsyncWrite + ?Sized,
    {
        loop {
            let budget = ready!(coop::poll_proceed(cx));
            if self.is_empty() {
                if let Some(error) = self.read_error.take() {
                    return Poll::Ready(Err(error));
                }
                if self.read_done {
                    ready!(retry(|| writer.as_mut().poll_flush(cx)))?;
                    self.need_flush = false;
                    return Poll::Ready(Ok(self.amt));
                }
                self.pos = 0;
                self.cap = 0;
                if self.poll_fill(cx, reader.as_mut()).is_pending() {
                    if self.need_flush {
                        ready!(retry(|| writer.as_mut().poll_flush(cx)))?;
                        self.need_flush = false;
                    }
                    return Poll::Pending;
                }
                budget.made_progress();
            }
            while !self.is_empty() {
                let pending = &self.buf[self.pos..self.cap];
                let Poll::Ready(written) = retry(|| writer.as_mut().poll_write(cx, pending)) else {
                    // The writer will wake us; until then, drain the reader into the free room.
                    self.read_ahead(cx, reader.as_mut());
                    return Poll::Pending;
                };
                let n = written?;
                if n == 0 {
                    return Poll::Ready(Err(write_zero()));
                }
                budget.made_progress();
                self.pos += n;
                self.amt += n as u64;
                self.need_flush = true;
            }
        }
    }

    fn is_empty(&self) -> bool {
        self.pos == self.cap
    }

    /// Reads while the reader is ready and not done and there is room.
    fn read_ahead<R: AsyncRead + ?Sized>(&mut self, cx: &mut Context<'_>, mut reader: Pin<&mut R>) {
        while !self.read_done {
            if self.cap == self.buf.len() {
                // Moving the pending bytes costs as much as copying them; doing it only when it
                // frees at least half the buffer keeps that cost at most one copy per byte.
                if self.pos == 0 || self.pos < self.buf.len() / 2 {
                    return;
                }
                self.move_pending_to_front();
            }
            if self.poll_fill(cx, reader.as_mut()).is_pending() {
                return;
            }
        }
    }

    fn move_pending_to_front(&mut self) {
        self.buf.copy_within(self.pos..self.cap, 0);
        self.cap -= self.pos;
        self.pos = 0;
    }

    /// Reads once into `buf[cap..]` (which must not be empty), recording the bytes, the end of
    /// file or the error in `self`.
    fn poll_fill<R: AsyncRead + ?Sized>(
        &mut self,
        cx: &mut Context<'_>,
        mut reader: Pin<&mut R>,
    ) -> Poll<()> {
        let mut buf = ReadBuf::new(&mut self.buf[self.cap..]);
        match ready!(retry(|| reader.as_mut().poll_read(cx, &mut buf))) {
            Ok(()) if buf.filled().is_empty() => self.read_done = true,
            Ok(()) => self.cap += buf.filled().len(),
            Err(error) => {
                self.read_done = true;
                self.read_error = Some(error);
            }
        }
        Poll::Ready(())
    }
}
