//! The [`ReadUntil`] future behind
//! [`AsyncBufReadExt::read_until`](crate::AsyncBufReadExt::read_until), and the delimiter search
//! that lines and segments share.

use crate::AsyncBufRead;
use pin_project_lite::pin_project;
use std::future::Future;
use std::io;
use std::marker::PhantomPinned;
use std::pin::Pin;
use std::task::{Context, Poll};

pin_project! {
    /// Reads up to and including a delimiter (or to end of file), appending to a vector; resolves
    /// to the number of bytes appended.
    #[derive(Debug)]
    #[must_use = "futures do nothing unless you `.await` or poll them"]
    pub struct ReadUntil<'a, R: ?Sized> {
        reader: &'a mut R,
        delimiter: u8,
        buf: &'a mut Vec<u8>,
        read: usize,
        // Makes the future `!Unpin`, as Tokio's is (see the `util` module docs).
        #[pin]
        _pin: PhantomPinned,
    }
}

pub(crate) fn read_until<'a, R: AsyncBufRead + Unpin + ?Sized>(
    reader: &'a mut R,
    delimiter: u8,
    buf: &'a mut Vec<u8>,
) -> ReadUntil<'a, R> {
    ReadUntil {
        reader,
        delimiter,
        buf,
        read: 0,
        _pin: PhantomPinned,
    }
}

/// Moves bytes from `reader` into `buf` until `delimiter` (included) or end of file.
///
/// Bytes are appended and consumed from the reader together, so stopping between polls loses
/// nothing: they are in `buf`, and `read` counts them. Returns (and resets) the count when done.
/// `Interrupted` errors are retried.
pub(crate) fn poll_read_until<R: AsyncBufRead + ?Sized>(
    mut reader: Pin<&mut R>,
    cx: &mut Context<'_>,
    delimiter: u8,
    buf: &mut Vec<u8>,
    read: &mut usize,
) -> Poll<io::Result<usize>> {
    loop {
        let (found, used) = match reader.as_mut().poll_fill_buf(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(Err(e)) if e.kind() == io::ErrorKind::Interrupted => continue,
            Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
            Poll::Ready(Ok(available)) => match available.iter().position(|&b| b == delimiter) {
                Some(index) => {
                    buf.extend_from_slice(&available[..=index]);
                    (true, index + 1)
                }
                None => {
                    buf.extend_from_slice(available);
                    (available.is_empty(), available.len())
                }
            },
        };
        reader.as_mut().consume(used);
        *read += used;
        if found {
            return Poll::Ready(Ok(std::mem::take(read)));
        }
    }
}

impl<R: AsyncBufRead + Unpin + ?Sized> Future for ReadUntil<'_, R> {
    type Output = io::Result<usize>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        let this = self.project();
        let reader = Pin::new(&mut **this.reader);
        poll_read_until(reader, cx, *this.delimiter, this.buf, this.read)
    }
}
