//! Owned halves of a [`TcpStream`], from [`TcpStream::into_split`].

use crate::split_halves::owned_halves;
use crate::tcp::TcpStream;
use eddy_io::ReadBuf;
use std::io;
use std::net::SocketAddr;
use std::task::{Context, Poll};

owned_halves!(TcpStream, SocketAddr);

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
