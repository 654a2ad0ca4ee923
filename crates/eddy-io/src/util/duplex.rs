//! [`DuplexStream`]: two connected in-memory streams, like a socket pair.
//!
//! Each direction is a [`SimplexStream`] behind a mutex shared by the two ends: one end writes
//! into the pipe the other reads from. Dropping an end closes both of its directions: the peer
//! reads end of file after the bytes already sent, and the peer's writes fail with
//! `BrokenPipe`.
//!
//! Every operation locks one pipe, collects the wakers it must wake or drop into a
//! [`Deferred`], releases the lock and only then runs them: a waker may poll the peer at once,
//! and the peer locks the same pipe.

use super::simplex::{Deferred, SimplexStream};
use crate::loom::sync::{Arc, Mutex};
use crate::{AsyncRead, AsyncWrite, ReadBuf};
use std::io::{self, IoSlice};
use std::pin::Pin;
use std::task::{Context, Poll};

/// One end of an in-memory bidirectional stream, made by [`duplex`].
///
/// Bytes written to one end are read from the other. Each direction buffers at most
/// `max_buf_size` bytes; a writer waits while its direction is full.
/// [`shutdown`](crate::AsyncWriteExt::shutdown) closes this end's sending direction (the peer
/// reads end of file) while reading goes on.
#[derive(Debug)]
pub struct DuplexStream {
    read: Arc<Mutex<SimplexStream>>,
    write: Arc<Mutex<SimplexStream>>,
}

/// Creates a pair of connected in-memory streams, each direction holding at most
/// `max_buf_size` bytes.
///
/// # Panics
///
/// Panics if `max_buf_size` is zero (no byte could ever pass).
///
/// ```
/// use eddy_io::{AsyncReadExt, AsyncWriteExt};
///
/// # eddy_core::block_on::block_on(&mut eddy_core::ParkThread::new(), async {
/// let (mut client, mut server) = eddy_io::duplex(64);
/// client.write_all(b"ping").await?;
/// let mut buf = [0; 4];
/// server.read_exact(&mut buf).await?;
/// assert_eq!(&buf, b"ping");
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
#[track_caller]
pub fn duplex(max_buf_size: usize) -> (DuplexStream, DuplexStream) {
    let one = Arc::new(Mutex::new(SimplexStream::new_unsplit(max_buf_size)));
    let two = Arc::new(Mutex::new(SimplexStream::new_unsplit(max_buf_size)));
    (
        DuplexStream {
            read: one.clone(),
            write: two.clone(),
        },
        DuplexStream {
            read: two,
            write: one,
        },
    )
}

/// Runs `op` on the pipe behind `pipe`'s lock, then the wakers it deferred, unlocked.
fn locked<R>(
    pipe: &Mutex<SimplexStream>,
    op: impl FnOnce(&mut SimplexStream, &mut Deferred) -> R,
) -> R {
    let mut deferred = Deferred::default();
    let result = op(&mut pipe.lock(), &mut deferred);
    deferred.run();
    result
}

impl AsyncRead for DuplexStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        locked(&self.read, |pipe, deferred| {
            pipe.poll_read_budgeted(cx, buf, deferred)
        })
    }
}

impl AsyncWrite for DuplexStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let bufs = &[IoSlice::new(buf)];
        locked(&self.write, |pipe, deferred| {
            pipe.poll_write_budgeted(cx, bufs, deferred)
        })
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        locked(&self.write, |pipe, deferred| {
            pipe.poll_write_budgeted(cx, bufs, deferred)
        })
    }

    fn is_write_vectored(&self) -> bool {
        true
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        locked(&self.write, SimplexStream::close_write);
        Poll::Ready(Ok(()))
    }
}

impl Drop for DuplexStream {
    fn drop(&mut self) {
        locked(&self.write, SimplexStream::close_write);
        locked(&self.read, SimplexStream::close_read);
    }
}
