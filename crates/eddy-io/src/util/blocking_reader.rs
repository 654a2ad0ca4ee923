//! [`BlockingReader`]: a blocking `read` function turned into an
//! [`AsyncRead`](crate::AsyncRead) by running each read on the blocking pool
//! (`eddy_core::blocking::try_run`).
//!
//! As with Tokio, a read polled outside a runtime panics with Tokio's "there is no reactor
//! running" message, and one polled after the runtime shut down fails with its shutdown error.
//!
//! At most one read is in flight. Its buffer travels to the blocking thread and back; bytes it
//! brought that did not fit the caller's buffer stay in `buffered` for the next read. If the
//! caller stops polling, the read in flight is kept and its bytes are handed out next time, so
//! nothing is lost.

use crate::ReadBuf;
use eddy_core::blocking::{self, Blocking};
use std::fmt;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

/// The most bytes one blocking read asks for.
const MAX_READ: usize = 2 * 1024 * 1024;

type ReadFn = fn(&mut [u8]) -> io::Result<usize>;

pub(crate) struct BlockingReader {
    read: ReadFn,
    state: State,
}

enum State {
    /// `bytes[pos..]` were read and not yet handed out.
    Idle {
        bytes: Vec<u8>,
        pos: usize,
    },
    Busy(Blocking<(io::Result<usize>, Vec<u8>)>),
}

impl BlockingReader {
    pub(crate) fn new(read: ReadFn) -> BlockingReader {
        BlockingReader {
            read,
            state: State::Idle {
                bytes: Vec::new(),
                pos: 0,
            },
        }
    }

    pub(crate) fn poll_read(
        &mut self,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        loop {
            match &mut self.state {
                State::Idle { bytes, pos } if *pos < bytes.len() => {
                    let n = (bytes.len() - *pos).min(buf.remaining());
                    buf.put_slice(&bytes[*pos..*pos + n]);
                    *pos += n;
                    return Poll::Ready(Ok(()));
                }
                State::Idle { bytes, .. } => {
                    if buf.remaining() == 0 {
                        return Poll::Ready(Ok(()));
                    }
                    let bytes = std::mem::take(bytes);
                    let wanted = buf.remaining().min(MAX_READ);
                    self.start_read(bytes, wanted)?;
                }
                State::Busy(job) => {
                    let outcome = ready!(Pin::new(job).poll(cx));
                    let (result, bytes) = match outcome {
                        Ok((result, bytes)) => (result, bytes),
                        Err(pool_error) => (Err(pool_error), Vec::new()),
                    };
                    self.state = State::Idle { bytes, pos: 0 };
                    if let Err(e) = result {
                        return Poll::Ready(Err(e));
                    }
                    if let State::Idle { bytes, .. } = &self.state {
                        if bytes.is_empty() {
                            // End of file.
                            return Poll::Ready(Ok(()));
                        }
                    }
                }
            }
        }
    }
}

impl BlockingReader {
    /// Starts a read of up to `wanted` bytes into `bytes` on the blocking pool. If the pool
    /// refuses it, the reader stays idle and empty.
    fn start_read(&mut self, mut bytes: Vec<u8>, wanted: usize) -> io::Result<()> {
        let read = self.read;
        let job = blocking::try_run(move || {
            bytes.clear();
            bytes.resize(wanted, 0);
            let result = read(&mut bytes);
            bytes.truncate(*result.as_ref().unwrap_or(&0));
            (result, bytes)
        });
        match job {
            Ok(job) => {
                self.state = State::Busy(job);
                Ok(())
            }
            Err(refused) => {
                self.state = State::Idle {
                    bytes: Vec::new(),
                    pos: 0,
                };
                Err(refused)
            }
        }
    }
}

impl fmt::Debug for BlockingReader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let busy = matches!(self.state, State::Busy(_));
        f.debug_struct("BlockingReader")
            .field("busy", &busy)
            .finish()
    }
}
