//! The [`ReadToEnd`] future behind [`AsyncReadExt::read_to_end`](crate::AsyncReadExt::read_to_end).

use super::interrupted::retry;
use super::read_buf::poll_read_buf;
use crate::AsyncRead;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

/// Reads until end of file, appending to a vector; resolves to the number of bytes appended.
#[derive(Debug)]
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct ReadToEnd<'a, R: ?Sized> {
    reader: &'a mut R,
    buf: &'a mut Vec<u8>,
    read: usize,
}

pub(crate) fn read_to_end<'a, R: AsyncRead + Unpin + ?Sized>(
    reader: &'a mut R,
    buf: &'a mut Vec<u8>,
) -> ReadToEnd<'a, R> {
    ReadToEnd {
        reader,
        buf,
        read: 0,
    }
}

/// Appends everything `reader` yields until end of file to `buf`, counting into `read`.
///
/// Bytes land in `buf` as soon as they are read, so nothing is lost if the caller stops polling.
pub(crate) fn poll_read_to_end<R: AsyncRead + ?Sized>(
    mut reader: Pin<&mut R>,
    cx: &mut Context<'_>,
    buf: &mut Vec<u8>,
    read: &mut usize,
) -> Poll<io::Result<usize>> {
    loop {
        // `Vec`'s `BufMut` reserves more room whenever it is full, growing geometrically.
        let n = ready!(retry(|| poll_read_buf(reader.as_mut(), cx, buf)))?;
        if n == 0 {
            return Poll::Ready(Ok(std::mem::take(read)));
        }
        *read += n;
    }
}

impl<R: AsyncRead + Unpin + ?Sized> Future for ReadToEnd<'_, R> {
    type Output = io::Result<usize>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        poll_read_to_end(Pin::new(&mut *this.reader), cx, this.buf, &mut this.read)
    }
}
