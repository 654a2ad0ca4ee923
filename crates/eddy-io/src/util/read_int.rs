//! The [`ReadInt`] future behind `AsyncReadExt::read_u8` .. `read_f64_le`.

use super::interrupted::retry;
use super::number::{Number, MAX_NUMBER_SIZE};
use super::read_exact::early_eof;
use crate::{AsyncRead, ReadBuf};
use pin_project_lite::pin_project;
use std::fmt;
use std::future::Future;
use std::io;
use std::marker::PhantomPinned;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

pin_project! {
    /// Reads one fixed-size number in a given byte order.
    ///
    /// Resolves to `UnexpectedEof` if the reader ends before the number is complete.
    #[must_use = "futures do nothing unless you `.await` or poll them"]
    pub struct ReadInt<R, T> {
        reader: R,
        bytes: [u8; MAX_NUMBER_SIZE],
        filled: usize,
        size: usize,
        decode: fn(&[u8]) -> T,
        // Makes the future `!Unpin`, as Tokio's is (see the `util` module docs).
        #[pin]
        _pin: PhantomPinned,
    }
}

pub(crate) fn read_be<R, T: Number>(reader: R) -> ReadInt<R, T> {
    read_int(reader, T::from_be_slice)
}

pub(crate) fn read_le<R, T: Number>(reader: R) -> ReadInt<R, T> {
    read_int(reader, T::from_le_slice)
}

fn read_int<R, T: Number>(reader: R, decode: fn(&[u8]) -> T) -> ReadInt<R, T> {
    ReadInt {
        reader,
        bytes: [0; MAX_NUMBER_SIZE],
        filled: 0,
        size: T::SIZE,
        decode,
        _pin: PhantomPinned,
    }
}

impl<R: AsyncRead + Unpin, T> Future for ReadInt<R, T> {
    type Output = io::Result<T>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<T>> {
        let this = self.project();
        while *this.filled < *this.size {
            let mut buf = ReadBuf::new(&mut this.bytes[*this.filled..*this.size]);
            ready!(retry(|| Pin::new(&mut *this.reader).poll_read(cx, &mut buf)))?;
            let n = buf.filled().len();
            if n == 0 {
                return Poll::Ready(Err(early_eof()));
            }
            *this.filled += n;
        }
        Poll::Ready(Ok((this.decode)(&this.bytes[..*this.size])))
    }
}

impl<R: fmt::Debug, T> fmt::Debug for ReadInt<R, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReadInt")
            .field("reader", &self.reader)
            .field("filled", &self.filled)
            .field("size", &self.size)
            .finish()
    }
}
