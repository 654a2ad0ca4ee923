//! [`CopyBuffer`]: the read-then-write loop shared by `copy` and `copy_bidirectional`.
//!
//! The buffer holds `buf[pos..cap]`, bytes read and not yet written. It is refilled only once
//! empty. When the reader has nothing for now, bytes already written are flushed before waiting,
//! so a slow source never leaves data stuck in a buffered writer. Each step spends a unit of the
//! cooperative budget, so copying between two always-ready streams still lets other tasks run.

use super::write_all::write_zero;
use crate::{AsyncRead, AsyncWrite, ReadBuf};
use eddy_core::coop;
use std::io;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

#[derive(Debug)]
pub(crate) struct CopyBuffer {
    read_done: bool,
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
            let mut budget = ready!(coop::poll_proceed(cx));
            if self.pos == self.cap && !self.read_done {
                match self.poll_fill(cx, reader.as_mut()) {
                    Poll::Ready(result) => result?,
                    Poll::Pending => {
                        if self.need_flush {
                            ready!(writer.as_mut().poll_flush(cx))?;
                            self.need_flush = false;
                        }
                        return Poll::Pending;
                    }
                }
                budget.made_progress();
            }
            while self.pos < self.cap {
                let n = ready!(writer
                    .as_mut()
                    .poll_write(cx, &self.buf[self.pos..self.cap]))?;
                if n == 0 {
                    return Poll::Ready(Err(write_zero()));
                }
                budget.made_progress();
                self.pos += n;
                self.amt += n as u64;
                self.need_flush = true;
            }
            if self.read_done {
                ready!(writer.as_mut().poll_flush(cx))?;
                self.need_flush = false;
                return Poll::Ready(Ok(self.amt));
            }
        }
    }

    fn poll_fill<R: AsyncRead + ?Sized>(
        &mut self,
        cx: &mut Context<'_>,
        reader: Pin<&mut R>,
    ) -> Poll<io::Result<()>> {
        let mut buf = ReadBuf::new(&mut self.buf);
        ready!(reader.poll_read(cx, &mut buf))?;
        let n = buf.filled().len();
        self.pos = 0;
        self.cap = n;
        self.read_done = n == 0;
        Poll::Ready(Ok(()))
    }
}
