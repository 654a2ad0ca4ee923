//! The [`WriteAllBuf`] future behind
//! [`AsyncWriteExt::write_all_buf`](crate::AsyncWriteExt::write_all_buf).
//!
//! A writer that says it handles vectored writes well gets up to [`MAX_SLICES`] chunks of the
//! buffer in one `poll_write_vectored`; any other writer gets one chunk per `poll_write`.

use super::interrupted::retry;
use super::write_all::write_zero;
use crate::AsyncWrite;
use bytes::Buf;
use pin_project_lite::pin_project;
use std::future::Future;
use std::io::{self, IoSlice};
use std::marker::PhantomPinned;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

/// The most chunks gathered into one vectored write.
const MAX_SLICES: usize = 64;

pin_project! {
    /// Writes everything a [`Buf`] holds, advancing it after every write.
    #[derive(Debug)]
    #[must_use = "futures do nothing unless you `.await` or poll them"]
    pub struct WriteAllBuf<'a, W: ?Sized, B: ?Sized> {
        writer: &'a mut W,
        buf: &'a mut B,
        // Makes the future `!Unpin`, as Tokio's is (see the `util` module docs).
        #[pin]
        _pin: PhantomPinned,
    }
}

pub(crate) fn write_all_buf<'a, W, B>(writer: &'a mut W, buf: &'a mut B) -> WriteAllBuf<'a, W, B>
where
    W: AsyncWrite + Unpin + ?Sized,
    B: Buf + ?Sized,
{
    WriteAllBuf {
        writer,
        buf,
        _pin: PhantomPinned,
    }
}

impl<W, B> Future for WriteAllBuf<'_, W, B>
where
    W: AsyncWrite + Unpin + ?Sized,
    B: Buf + ?Sized,
{
    type Output = io::Result<()>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.project();
        while this.buf.has_remaining() {
            let n = ready!(retry(|| poll_write_chunks(
                Pin::new(&mut **this.writer),
                cx,
                &*this.buf
            )))?;
            if n == 0 {
                return Poll::Ready(Err(write_zero()));
            }
            this.buf.advance(n);
        }
        Poll::Ready(Ok(()))
    }
}

/// Writes once from the front of `buf`: several chunks if the writer prefers vectored writes,
/// else the first chunk.
pub(crate) fn poll_write_chunks<W, B>(
    writer: Pin<&mut W>,
    cx: &mut Context<'_>,
    buf: &B,
) -> Poll<io::Result<usize>>
where
    W: AsyncWrite + ?Sized,
    B: Buf + ?Sized,
{
    if !writer.is_write_vectored() {
        return writer.poll_write(cx, buf.chunk());
    }
    let mut slices = [IoSlice::new(&[]); MAX_SLICES];
    let count = buf.chunks_vectored(&mut slices);
    writer.poll_write_vectored(cx, &slices[..count])
}
