//! The [`WriteInt`] future behind `AsyncWriteExt::write_u8` .. `write_f64_le`.

use super::interrupted::retry;
use super::number::{Number, MAX_NUMBER_SIZE};
use super::write_all::write_zero;
use crate::AsyncWrite;
use pin_project_lite::pin_project;
use std::future::Future;
use std::io;
use std::marker::PhantomPinned;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

pin_project! {
    /// Writes one fixed-size number in a given byte order.
    #[derive(Debug)]
    #[must_use = "futures do nothing unless you `.await` or poll them"]
    pub struct WriteInt<W> {
        writer: W,
        bytes: [u8; MAX_NUMBER_SIZE],
        written: usize,
        size: usize,
        // Makes the future `!Unpin`, as Tokio's is (see the `util` module docs).
        #[pin]
        _pin: PhantomPinned,
    }
}

pub(crate) fn write_be<W, T: Number>(writer: W, value: T) -> WriteInt<W> {
    let mut bytes = [0; MAX_NUMBER_SIZE];
    value.write_be(&mut bytes);
    WriteInt {
        writer,
        bytes,
        written: 0,
        size: T::SIZE,
        _pin: PhantomPinned,
    }
}

pub(crate) fn write_le<W, T: Number>(writer: W, value: T) -> WriteInt<W> {
    let mut bytes = [0; MAX_NUMBER_SIZE];
    value.write_le(&mut bytes);
    WriteInt {
        writer,
        bytes,
        written: 0,
        size: T::SIZE,
        _pin: PhantomPinned,
    }
}

impl<W: AsyncWrite + Unpin> Future for WriteInt<W> {
    type Output = io::Result<()>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.project();
        while *this.written < *this.size {
            let rest = &this.bytes[*this.written..*this.size];
            let n = ready!(retry(|| Pin::new(&mut *this.writer).poll_write(cx, rest)))?;
            if n == 0 {
                return Poll::Ready(Err(write_zero()));
            }
            *this.written += n;
        }
        Poll::Ready(Ok(()))
    }
}
