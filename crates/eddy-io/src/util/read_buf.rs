//! The [`ReadBufFuture`] behind [`AsyncReadExt::read_buf`](crate::AsyncReadExt::read_buf).

use crate::buf::{poll_read_buf, BufMut};
use crate::AsyncRead;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Reads once into the free room of a [`BufMut`]; resolves to the number of bytes read.
#[derive(Debug)]
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct ReadBufFuture<'a, R: ?Sized, B: ?Sized> {
    reader: &'a mut R,
    buf: &'a mut B,
}

pub(crate) fn read_buf<'a, R, B>(reader: &'a mut R, buf: &'a mut B) -> ReadBufFuture<'a, R, B>
where
    R: AsyncRead + Unpin + ?Sized,
    B: BufMut + ?Sized,
{
    ReadBufFuture { reader, buf }
}

impl<R, B> Future for ReadBufFuture<'_, R, B>
where
    R: AsyncRead + Unpin + ?Sized,
    B: BufMut + ?Sized,
{
    type Output = io::Result<usize>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        poll_read_buf(Pin::new(&mut *this.reader), cx, this.buf)
    }
}
