//! The [`Shutdown`] future behind [`AsyncWriteExt::shutdown`](crate::AsyncWriteExt::shutdown).

use crate::AsyncWrite;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Flushes a writer and closes its write side.
#[derive(Debug)]
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct Shutdown<'a, W: ?Sized> {
    writer: &'a mut W,
}

pub(crate) fn shutdown<W: AsyncWrite + Unpin + ?Sized>(writer: &mut W) -> Shutdown<'_, W> {
    Shutdown { writer }
}

impl<W: AsyncWrite + Unpin + ?Sized> Future for Shutdown<'_, W> {
    type Output = io::Result<()>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut *self.get_mut().writer).poll_shutdown(cx)
    }
}
