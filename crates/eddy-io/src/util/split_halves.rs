//! [`split`]: one stream as an owned read half and an owned write half.
//!
//! Both halves share the stream behind a mutex; each operation locks it for the length of one
//! poll, so the halves can live in different tasks. The stream is boxed and pinned once, so
//! halves of a `!Unpin` stream need no unsafe code. `unsplit` checks that the halves belong
//! together and gives the stream back.

use crate::loom::sync::{Arc, Mutex};
use crate::{AsyncRead, AsyncWrite, ReadBuf};
use std::fmt;
use std::io::{self, IoSlice};
use std::pin::Pin;
use std::task::{Context, Poll};

struct Inner<T> {
    stream: Mutex<Pin<Box<T>>>,
    is_write_vectored: bool,
}

/// The read half of a stream split by [`split`].
pub struct ReadHalf<T> {
    inner: Arc<Inner<T>>,
}

/// The write half of a stream split by [`split`].
pub struct WriteHalf<T> {
    inner: Arc<Inner<T>>,
}

/// Splits a stream into a read half and a write half that may be used from different tasks.
///
/// [`ReadHalf::unsplit`] puts them back together. For a TCP stream prefer its own
/// `into_split`, which needs no lock.
///
/// ```
/// use eddy_io::{AsyncReadExt, AsyncWriteExt};
///
/// # eddy_core::block_on::block_on(&mut eddy_core::ParkThread::new(), async {
/// let (stream, mut peer) = eddy_io::duplex(64);
/// let (mut reader, mut writer) = eddy_io::split(stream);
/// writer.write_all(b"to peer").await?;
/// peer.write_all(b"back").await?;
/// let mut buf = [0; 4];
/// reader.read_exact(&mut buf).await?;
/// assert_eq!(&buf, b"back");
/// let _stream = reader.unsplit(writer);
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
pub fn split<T: AsyncRead + AsyncWrite>(stream: T) -> (ReadHalf<T>, WriteHalf<T>) {
    let is_write_vectored = stream.is_write_vectored();
    let inner = Arc::new(Inner {
        stream: Mutex::new(Box::pin(stream)),
        is_write_vectored,
    });
    (
        ReadHalf {
            inner: inner.clone(),
        },
        WriteHalf { inner },
    )
}

impl<T> ReadHalf<T> {
    /// Whether `other` is the write half split from the same stream.
    pub fn is_pair_of(&self, other: &WriteHalf<T>) -> bool {
        Arc::ptr_eq(&self.inner, &other.inner)
    }

    /// Puts the two halves back together and returns the stream.
    ///
    /// # Panics
    ///
    /// Panics if `write_half` was not split from the same stream.
    #[track_caller]
    pub fn unsplit(self, write_half: WriteHalf<T>) -> T
    where
        T: Unpin,
    {
        assert!(
            self.is_pair_of(&write_half),
            "unrelated `WriteHalf` passed to `ReadHalf::unsplit`"
        );
        drop(write_half);
        let inner = Arc::try_unwrap(self.inner)
            .ok()
            .expect("both halves were given, so no other reference exists");
        let stream = inner.stream.into_inner();
        *Pin::into_inner(stream)
    }
}

impl<T> WriteHalf<T> {
    /// Whether `other` is the read half split from the same stream.
    pub fn is_pair_of(&self, other: &ReadHalf<T>) -> bool {
        other.is_pair_of(self)
    }
}

impl<T: AsyncRead> AsyncRead for ReadHalf<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        self.inner.stream.lock().as_mut().poll_read(cx, buf)
    }
}

impl<T: AsyncWrite> AsyncWrite for WriteHalf<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.inner.stream.lock().as_mut().poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        self.inner
            .stream
            .lock()
            .as_mut()
            .poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.inner.stream.lock().as_mut().poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.inner.stream.lock().as_mut().poll_shutdown(cx)
    }
}

impl<T> fmt::Debug for ReadHalf<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReadHalf").finish_non_exhaustive()
    }
}

impl<T> fmt::Debug for WriteHalf<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WriteHalf").finish_non_exhaustive()
    }
}
