//! The [`Read`] future behind [`AsyncReadExt::read`](crate::AsyncReadExt::read).

use crate::{AsyncRead, ReadBuf};
use pin_project_lite::pin_project;
use std::future::Future;
use std::io;
use std::marker::PhantomPinned;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

pin_project! {
    /// Reads once into a slice; resolves to the number of bytes read.
    #[derive(Debug)]
    #[must_use = "futures do nothing unless you `.await` or poll them"]
    pub struct Read<'a, R: ?Sized> {
        reader: &'a mut R,
        buf: &'a mut [u8],
        // Makes the future `!Unpin`, as Tokio's is (see the `util` module docs).
        #[pin]
        _pin: PhantomPinned,
    }
}

pub(crate) fn read<'a, R: AsyncRead + Unpin + ?Sized>(
    reader: &'a mut R,
    buf: &'a mut [u8],
) -> Read<'a, R> {
    Read {
        reader,
        buf,
        _pin: PhantomPinned,
    }
}

impl<R: AsyncRead + Unpin + ?Sized> Future for Read<'_, R> {
    type Output = io::Result<usize>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        let this = self.project();
        let mut buf = ReadBuf::new(this.buf);
        ready!(Pin::new(&mut **this.reader).poll_read(cx, &mut buf))?;
        Poll::Ready(Ok(buf.filled().len()))
    }
}
