//! The state machine behind [`File`](crate::File): at most one blocking operation in flight.
//!
//! A file is either `Idle`, holding its [`Buf`] (empty, or with bytes a read brought that the
//! caller has not taken yet), or `Busy` with one job on the blocking pool that owns the `Buf`
//! until it returns. Every poll first finishes the job in flight ([`Inner::poll_done`]) and
//! folds its outcome in, then starts its own:
//!
//! * a read returns held bytes at once, or starts a read of up to the caller's room (capped by
//!   `max_buf_size`) and hands its bytes over when it returns;
//! * a write copies up to `max_buf_size` bytes into the `Buf`, starts a blocking `write_all` and
//!   reports the bytes written **at once**; the job is mandatory, so a runtime shutting down
//!   after accepting it still runs it. Its outcome is learnt by the next operation: a
//!   failed background write is returned by the next write or flush (a read or seek in between
//!   keeps it in `write_error` for them), so no write error is ever lost silently;
//! * a seek (`start_seek`, then `poll_complete`) moves the cursor on the pool and records the
//!   new position in `pos`.
//!
//! Held read-ahead bytes belong to the caller's view of the file, not the kernel's: before a
//! write, seek or `set_len`, the cursor is first moved back over them, so the file behaves as if
//! they had never been read.
//!
//! When a job cannot run or complete (the runtime shut down, the job panicked), the state goes
//! back to an empty `Idle` and the operation returns Tokio's "background task failed" error, so
//! the file stays usable rather than poisoned.

use crate::blocking::{self, Job};
use crate::buf::Buf;
use eddy_io::ReadBuf;
use std::fs::File as StdFile;
use std::future::{poll_fn, Future};
use std::io::{self, IoSlice, Seek, SeekFrom};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{ready, Context, Poll};

pub(crate) struct Inner {
    state: State,
    /// A background write's error, kept until a write or flush reports it.
    write_error: Option<io::Error>,
    /// Where the last completed seek left the cursor: what an idle `poll_complete` reports.
    pos: u64,
}

enum State {
    Idle(Buf),
    Busy(Job<(Op, Buf)>),
}

/// What the job in flight did.
enum Op {
    Read(io::Result<usize>),
    Write(io::Result<()>),
    Seek(io::Result<u64>),
    SetLen(io::Result<()>),
}

impl Inner {
    pub(crate) fn new() -> Inner {
        Inner {
            state: State::Idle(Buf::default()),
            write_error: None,
            pos: 0,
        }
    }

    /// Waits for the job in flight, if any; `None` when the file was already idle. The file is
    /// idle whenever this returns `Ready`.
    fn poll_done(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<Option<Op>>> {
        let State::Busy(job) = &mut self.state else {
            return Poll::Ready(Ok(None));
        };
        match ready!(Pin::new(job).poll(cx)) {
            Ok((op, buf)) => {
                self.state = State::Idle(buf);
                Poll::Ready(Ok(Some(op)))
            }
            Err(error) => {
                self.state = State::Idle(Buf::default());
                Poll::Ready(Err(error))
            }
        }
    }

    /// The idle file's buffer, taken out to travel with a new job.
    fn take_buf(&mut self) -> Buf {
        match &mut self.state {
            State::Idle(buf) => std::mem::take(buf),
            State::Busy(_) => unreachable!("a job is started only on an idle file"),
        }
    }

    fn keep_write_error(&mut self, error: io::Error) {
        self.write_error.get_or_insert(error);
    }

    pub(crate) fn poll_read(
        &mut self,
        cx: &mut Context<'_>,
        file: &Arc<StdFile>,
        max_buf_size: usize,
        dst: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        loop {
            let done = ready!(self.poll_done(cx))?;
            let read_returned = match done {
                Some(Op::Read(result)) => {
                    result?;
                    true
                }
                Some(Op::Write(Err(error))) => {
                    self.keep_write_error(error);
                    false
                }
                Some(Op::Seek(Ok(pos))) => {
                    self.pos = pos;
                    false
                }
                _ => false,
            };
            let State::Idle(buf) = &mut self.state else {
                unreachable!("poll_done leaves the file idle")
            };
            // A read that just returned hands over what it got, even nothing (end of file).
            if read_returned || !buf.is_empty() || dst.remaining() == 0 {
                buf.copy_to(dst);
                return Poll::Ready(Ok(()));
            }
            let mut buf = self.take_buf();
            let file = file.clone();
            let max = dst.remaining().min(max_buf_size);
            self.state = State::Busy(blocking::spawn(move || {
                let result = buf.read_from(&file, max);
                (Op::Read(result), buf)
            }));
        }
    }

    pub(crate) fn poll_write(
        &mut self,
        cx: &mut Context<'_>,
        file: &Arc<StdFile>,
        max_buf_size: usize,
        src: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        if let Some(error) = self.write_error.take() {
            return Poll::Ready(Err(error));
        }
        // A finished read or seek left the cursor where it should be; a failed write is this
        // write's error.
        if let Some(Op::Write(result)) = ready!(self.poll_done(cx))? {
            result?;
        }
        let mut buf = self.take_buf();
        let rewind = buf.discard();
        let n = buf.fill_from(src, max_buf_size);
        let file = file.clone();
        // Mandatory: the bytes are reported written, so a shutdown must not drop them.
        self.state = State::Busy(blocking::spawn_mandatory(move || {
            let result = move_cursor(&file, rewind).and_then(|()| buf.write_to(&file));
            (Op::Write(result), buf)
        }));
        Poll::Ready(Ok(n))
    }

    pub(crate) fn start_seek(&mut self, file: &Arc<StdFile>, target: SeekFrom) -> io::Result<()> {
        if let State::Busy(_) = self.state {
            return Err(io::Error::other(
                "other file operation is pending, call poll_complete before start_seek",
            ));
        }
        let mut buf = self.take_buf();
        let rewind = buf.discard();
        // A relative seek counts from the caller's position, which lags the kernel's by the
        // discarded bytes: fold them into the offset, or move back first if that overflows.
        let (first, target) = match target {
            SeekFrom::Current(offset) => match offset.checked_add(rewind) {
                Some(offset) => (0, SeekFrom::Current(offset)),
                None => (rewind, target),
            },
            absolute => (0, absolute),
        };
        let file = file.clone();
        self.state = State::Busy(blocking::spawn(move || {
            let result = move_cursor(&file, first).and_then(|()| (&*file).seek(target));
            (Op::Seek(result), buf)
        }));
        Ok(())
    }

    pub(crate) fn poll_complete(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<u64>> {
        loop {
            match ready!(self.poll_done(cx))? {
                None => return Poll::Ready(Ok(self.pos)),
                Some(Op::Seek(result)) => {
                    if let Ok(pos) = result {
                        self.pos = pos;
                    }
                    return Poll::Ready(result);
                }
                Some(Op::Write(Err(error))) => self.keep_write_error(error),
                Some(_) => {}
            }
        }
    }

    pub(crate) fn poll_flush(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if let Some(error) = self.write_error.take() {
            return Poll::Ready(Err(error));
        }
        match ready!(self.poll_done(cx))? {
            Some(Op::Write(result)) => Poll::Ready(result),
            _ => Poll::Ready(Ok(())),
        }
    }

    /// Waits until the file is idle. An error on the way (a failed write, a job that did not
    /// run) is kept for the next write or flush instead of being returned here.
    pub(crate) async fn settle(&mut self) {
        if let Err(error) = poll_fn(|cx| self.poll_flush(cx)).await {
            self.keep_write_error(error);
        }
    }

    /// Truncates or extends the file to `size` bytes, after the operation in flight.
    pub(crate) async fn set_len(&mut self, file: &Arc<StdFile>, size: u64) -> io::Result<()> {
        self.settle().await;
        let mut buf = self.take_buf();
        let rewind = buf.discard();
        let file = file.clone();
        self.state = State::Busy(blocking::spawn(move || {
            let result = move_cursor(&file, rewind).and_then(|()| file.set_len(size));
            (Op::SetLen(result), buf)
        }));
        match poll_fn(|cx| self.poll_done(cx)).await? {
            Some(Op::SetLen(result)) => result,
            _ => unreachable!("the file was busy with the job started above"),
        }
    }
}

/// Moves `file`'s cursor by `offset` bytes; nothing to do for zero.
fn move_cursor(mut file: &StdFile, offset: i64) -> io::Result<()> {
    if offset != 0 {
        file.seek(SeekFrom::Current(offset))?;
    }
    Ok(())
}
