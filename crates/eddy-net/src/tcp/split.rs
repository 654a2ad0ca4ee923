//! Borrowed halves of a [`TcpStream`], from [`TcpStream::split`].
//!
//! The splitting method is defined here rather than beside the stream's other methods, so that
//! the halves depend on the stream and not the other way round.

use crate::split_halves::borrowed_halves;
use crate::tcp::TcpStream;
use eddy_io::ReadBuf;
use std::io;
use std::net::SocketAddr;
use std::task::{Context, Poll};

borrowed_halves!(TcpStream, SocketAddr);

impl TcpStream {
    /// Borrows the stream as a read half and a write half, usable from one task concurrently.
    pub fn split(&mut self) -> (ReadHalf<'_>, WriteHalf<'_>) {
        split(self)
    }
}

impl ReadHalf<'_> {
    /// Receives data without removing it from the queue.
    pub async fn peek(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.peek(buf).await
    }

    /// Polls to peek into `buf`.
    pub fn poll_peek(
        &mut self,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<usize>> {
        self.0.poll_peek(cx, buf)
    }
}
