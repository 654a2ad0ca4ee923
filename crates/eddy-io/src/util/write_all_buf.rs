//! The [`WriteAllBuf`] future behind
//! [`AsyncWriteExt::write_all_buf`](crate::AsyncWriteExt::write_all_buf).

use super::write_all::write_zero;
use crate::AsyncWrite;
use bytes::Buf;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

/// Writes everything a [`Buf`] holds, advancing it after every write.
#[derive(Debug)]
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct WriteAllBuf<'a, W: ?Sized, B: ?Sized> {
    writer: &'a mut W,
    buf: &'a mut B,
}

pub(crate) fn write_all_buf<'a, W, B>(writer: &'a mut W, buf: &'a mut B) -> WriteAllBuf<'a, W, B>
where
    W: AsyncWrite + Unpin + ?Sized,
    B: Buf + ?Sized,
{
    WriteAllBuf { writer, buf }
}

impl<W, B> Future for WriteAllBuf<'_, W, B>
where
    W: AsyncWrite + Unpin + ?Sized,
    B: Buf + ?Sized,
{
    type Output = io::Result<()>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        while this.buf.has_remaining() {
            let n = ready!(Pin::new(&mut *this.writer).poll_write(cx, this.buf.chunk()))?;
            if n == 0 {
                return Poll::Ready(Err(write_zero()));
            }
            this.buf.advance(n);
        }
        Poll::Ready(Ok(()))
    }
}
