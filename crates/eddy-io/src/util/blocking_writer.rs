//! [`BlockingWriter`]: blocking `write_all`/`flush` functions turned into an [`AsyncWrite`]
//! by running them on the blocking pool (`eddy_core::blocking::try_run_mandatory`).
//!
//! A write copies the caller's bytes (up to 2 MiB) into the writer's own buffer, starts a
//! blocking `write_all` of them and reports them written at once; the next write, flush or
//! shutdown first waits for it. An error of that background write is returned by the next
//! operation. Writes stay in order because at most one operation is in flight.
//!
//! Because a write is reported done before it runs, it is a mandatory job: once the pool took
//! it, it runs even if the runtime starts shutting down. As with Tokio, an operation polled after
//! the shutdown fails at once with the runtime's shutdown error, and one polled outside any
//! runtime panics with Tokio's "there is no reactor running" message.
//!
//! [`AsyncWrite`]: crate::AsyncWrite

use eddy_core::blocking::{self, Blocking};
use std::fmt;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

/// The most bytes one blocking write takes.
const MAX_WRITE: usize = 2 * 1024 * 1024;

type WriteFn = fn(&[u8]) -> io::Result<()>;
type FlushFn = fn() -> io::Result<()>;

pub(crate) struct BlockingWriter {
    write_all: WriteFn,
    flush: FlushFn,
    need_flush: bool,
    state: State,
}

enum State {
    /// The buffer, empty, kept for the next write.
    Idle(Vec<u8>),
    Busy(Blocking<(io::Result<()>, Vec<u8>)>),
}

impl BlockingWriter {
    pub(crate) fn new(write_all: WriteFn, flush: FlushFn) -> BlockingWriter {
        BlockingWriter {
            write_all,
            flush,
            need_flush: false,
            state: State::Idle(Vec::new()),
        }
    }

    /// Waits for the operation in flight, if any, and returns its result.
    fn poll_idle(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        if let State::Busy(job) = &mut self.state {
            let (result, buf) = match ready!(Pin::new(job).poll(cx)) {
                Ok((result, buf)) => (result, buf),
                Err(pool_error) => (Err(pool_error), Vec::new()),
            };
            self.state = State::Idle(buf);
            return Poll::Ready(result);
        }
        Poll::Ready(Ok(()))
    }

    fn buffer(&mut self) -> Vec<u8> {
        match &mut self.state {
            State::Idle(buf) => std::mem::take(buf),
            State::Busy(_) => Vec::new(),
        }
    }

    pub(crate) fn poll_write(
        &mut self,
        cx: &mut Context<'_>,
        src: &[u8],
    ) -> Poll<io::Result<usize>> {
        ready!(self.poll_idle(cx))?;
        if src.is_empty() {
            return Poll::Ready(Ok(0));
        }
        let n = src.len().min(MAX_WRITE);
        let mut buf = self.buffer();
        buf.clear();
        buf.extend_from_slice(&src[..n]);
        let write_all = self.write_all;
        self.start(move || {
            let result = write_all(&buf);
            (result, buf)
        })?;
        self.need_flush = true;
        Poll::Ready(Ok(n))
    }

    pub(crate) fn poll_flush(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        loop {
            ready!(self.poll_idle(cx))?;
            if !self.need_flush {
                return Poll::Ready(Ok(()));
            }
            let buf = self.buffer();
            let flush = self.flush;
            self.start(move || (flush(), buf))?;
            self.need_flush = false;
        }
    }

    /// Hands `job` to the blocking pool; if the pool refuses it, the writer stays idle.
    fn start(
        &mut self,
        job: impl FnOnce() -> (io::Result<()>, Vec<u8>) + Send + 'static,
    ) -> io::Result<()> {
        self.state = State::Busy(blocking::try_run_mandatory(job)?);
        Ok(())
    }
}

impl fmt::Debug for BlockingWriter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let busy = matches!(self.state, State::Busy(_));
        f.debug_struct("BlockingWriter")
            .field("busy", &busy)
            .field("need_flush", &self.need_flush)
            .finish()
    }
}
