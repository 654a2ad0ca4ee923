//! The [`ReadBufFuture`] behind [`AsyncReadExt::read_buf`](crate::AsyncReadExt::read_buf), and
//! [`poll_read_buf`], which reads into the free room of a [`BufMut`].
//!
//! Invariant: bytes of [`BufMut::chunk_mut`] become part of the buffer only through
//! [`BufMut::advance_mut`], and only after the reader has filled them. `poll_read_buf` wraps the
//! chunk in a [`ReadBuf`] and checks that the reader filled that very memory (not a `ReadBuf` it
//! swapped in) before advancing. This file holds the crate's only unsafe code outside
//! `ReadBuf` itself.

use crate::{AsyncRead, ReadBuf};
use bytes::BufMut;
use pin_project_lite::pin_project;
use std::future::Future;
use std::io;
use std::marker::PhantomPinned;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

pin_project! {
    /// Reads once into the free room of a [`BufMut`]; resolves to the number of bytes read.
    #[derive(Debug)]
    #[must_use = "futures do nothing unless you `.await` or poll them"]
    pub struct ReadBufFuture<'a, R: ?Sized, B: ?Sized> {
        reader: &'a mut R,
        buf: &'a mut B,
        // Makes the future `!Unpin`, as Tokio's is (see the `util` module docs).
        #[pin]
        _pin: PhantomPinned,
    }
}

pub(crate) fn read_buf<'a, R, B>(reader: &'a mut R, buf: &'a mut B) -> ReadBufFuture<'a, R, B>
where
    R: AsyncRead + Unpin + ?Sized,
    B: BufMut + ?Sized,
{
    ReadBufFuture {
        reader,
        buf,
        _pin: PhantomPinned,
    }
}

impl<R, B> Future for ReadBufFuture<'_, R, B>
where
    R: AsyncRead + Unpin + ?Sized,
    B: BufMut + ?Sized,
{
    type Output = io::Result<usize>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        let this = self.project();
        poll_read_buf(Pin::new(&mut **this.reader), cx, this.buf)
    }
}

/// Reads once from `reader` into the free room of `buf` and grows `buf` by what was read.
///
/// Returns the number of bytes read (`0` at end of file or when `buf` is full). Growable
/// buffers (`Vec<u8>`, `BytesMut`) reserve room when they are full, so they are never full.
///
/// # Panics
///
/// Panics if the reader swaps the [`ReadBuf`] it was given for another one.
pub(crate) fn poll_read_buf<R, B>(
    reader: Pin<&mut R>,
    cx: &mut Context<'_>,
    buf: &mut B,
) -> Poll<io::Result<usize>>
where
    R: AsyncRead + ?Sized,
    B: BufMut + ?Sized,
{
    if !buf.has_remaining_mut() {
        return Poll::Ready(Ok(0));
    }
    let n = {
        // SAFETY: `as_uninit_slice_mut` forbids reading the memory and writing uninitialized
        // bytes into it. The slice is reachable only through the `ReadBuf` below, which starts
        // with nothing initialized (so it never reads it as `u8` before it is written), whose
        // safe methods write only initialized bytes, and whose unsafe accessors forbid their
        // callers to de-initialize any byte, even one it counts as uninitialized.
        let free = unsafe { buf.chunk_mut().as_uninit_slice_mut() };
        let mut read_buf = ReadBuf::uninit(free);
        let start = read_buf.filled().as_ptr();
        ready!(reader.poll_read(cx, &mut read_buf))?;
        assert_eq!(
            start,
            read_buf.filled().as_ptr(),
            "the reader replaced the ReadBuf it was given"
        );
        read_buf.filled().len()
    };
    // SAFETY: the ReadBuf above wrapped the front of `buf.chunk_mut()` (the pointer check rules
    // out a swapped ReadBuf), and a ReadBuf's filled bytes are initialized, so the first `n`
    // bytes of the chunk are initialized.
    unsafe { buf.advance_mut(n) };
    Poll::Ready(Ok(n))
}
