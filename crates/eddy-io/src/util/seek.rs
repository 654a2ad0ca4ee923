//! The [`Seek`] future behind [`AsyncSeekExt::seek`](crate::AsyncSeekExt::seek).

use crate::AsyncSeek;
use pin_project_lite::pin_project;
use std::future::Future;
use std::io::{self, SeekFrom};
use std::marker::PhantomPinned;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

pin_project! {
    /// Seeks to a position; resolves to the new position from the start of the stream.
    #[derive(Debug)]
    #[must_use = "futures do nothing unless you `.await` or poll them"]
    pub struct Seek<'a, S: ?Sized> {
        seek: &'a mut S,
        // `Some` until the seek is started.
        position: Option<SeekFrom>,
        // Makes the future `!Unpin`, as Tokio's is (see the `util` module docs).
        #[pin]
        _pin: PhantomPinned,
    }
}

pub(crate) fn seek<S: AsyncSeek + Unpin + ?Sized>(seek: &mut S, position: SeekFrom) -> Seek<'_, S> {
    Seek {
        seek,
        position: Some(position),
        _pin: PhantomPinned,
    }
}

impl<S: AsyncSeek + Unpin + ?Sized> Future for Seek<'_, S> {
    type Output = io::Result<u64>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<u64>> {
        let this = self.project();
        if let Some(position) = *this.position {
            // Finish any seek someone else left in flight before starting ours.
            ready!(Pin::new(&mut **this.seek).poll_complete(cx))?;
            *this.position = None;
            Pin::new(&mut **this.seek).start_seek(position)?;
        }
        Pin::new(&mut **this.seek).poll_complete(cx)
    }
}
