//! [`DuplexStream`]: two connected in-memory streams, like a socket pair.
//!
//! Each direction is a [`SimplexStream`] behind a mutex shared by the two ends: one end writes
//! into the pipe the other reads from. Dropping an end closes both of its directions: the peer
//! reads end of file after the bytes already sent, and the peer's writes fail with
//! `BrokenPipe`.

use super::simplex::SimplexStream;
use crate::loom::lock;
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

impl AsyncRead for DuplexStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        lock(&self.read).poll_read_budgeted(cx, buf)
    }
}

impl AsyncWrite for DuplexStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        lock(&self.write).poll_write_budgeted(cx, &[IoSlice::new(buf)])
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        lock(&self.write).poll_write_budgeted(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        true
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        lock(&self.write).close_write();
        Poll::Ready(Ok(()))
    }
}

impl Drop for DuplexStream {
    fn drop(&mut self) {
        lock(&self.write).close_write();
        lock(&self.read).close_read();
    }
}
