//! Owned halves of a [`TcpStream`], from [`TcpStream::into_split`].
//!
//! The splitting method is defined here rather than beside the stream's other methods, so that
//! the halves depend on the stream and not the other way round.

use crate::split_halves::owned_halves;
use crate::tcp::TcpStream;
use eddy_io::ReadBuf;
use std::io;
use std::net::SocketAddr;
use std::task::{Context, Poll};

owned_halves!(TcpStream, SocketAddr);

impl TcpStream {
    /// Splits the stream into halves that own it (behind an `Arc`), for use in two tasks.
    /// [`OwnedReadHalf::reunite`] puts them back together.
    pub fn into_split(self) -> (OwnedReadHalf, OwnedWriteHalf) {
        split_owned(self)
    }
}

impl OwnedReadHalf {
    /// Receives data without removing it from the queue.
    pub async fn peek(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.inner.peek(buf).await
    }

    /// Polls to peek into `buf`.
    pub fn poll_peek(
        &mut self,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<usize>> {
        self.inner.poll_peek(cx, buf)
    }
}
