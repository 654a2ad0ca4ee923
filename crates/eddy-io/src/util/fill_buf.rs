//! The [`FillBuf`] future behind [`AsyncBufReadExt::fill_buf`](crate::AsyncBufReadExt::fill_buf).

use crate::AsyncBufRead;
use pin_project_lite::pin_project;
use std::future::Future;
use std::io;
use std::marker::PhantomPinned;
use std::pin::Pin;
use std::task::{Context, Poll};

pin_project! {
    /// Waits for a reader's buffer to hold data (or end of file) and resolves to it.
    #[derive(Debug)]
    #[must_use = "futures do nothing unless you `.await` or poll them"]
    pub struct FillBuf<'a, R: ?Sized> {
        reader: Option<&'a mut R>,
        // Makes the future `!Unpin`, as Tokio's is (see the `util` module docs).
        #[pin]
        _pin: PhantomPinned,
    }
}

pub(crate) fn fill_buf<R: AsyncBufRead + Unpin + ?Sized>(reader: &mut R) -> FillBuf<'_, R> {
    FillBuf {
        reader: Some(reader),
        _pin: PhantomPinned,
    }
}

impl<'a, R: AsyncBufRead + Unpin + ?Sized> Future for FillBuf<'a, R> {
    type Output = io::Result<&'a [u8]>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<&'a [u8]>> {
        let this = self.project();
        let reader = this
            .reader
            .as_mut()
            .expect("`FillBuf` polled after it completed");
        // Poll with a short borrow first, so that on `Pending` the reader stays with us.
        match Pin::new(&mut **reader).poll_fill_buf(cx) {
            Poll::Pending => return Poll::Pending,
            Poll::Ready(Err(e)) => {
                *this.reader = None;
                return Poll::Ready(Err(e));
            }
            Poll::Ready(Ok([])) => {
                // End of file: answer without asking again, since asking an exhausted reader
                // again may start a new read (a file on the blocking pool does).
                *this.reader = None;
                return Poll::Ready(Ok(&[]));
            }
            Poll::Ready(Ok(_)) => {}
        }
        // The buffer holds data now; ask again, handing over the borrow for `'a`. A reader whose
        // buffer holds data answers at once.
        let reader = this.reader.take().expect("checked above");
        match Pin::new(reader).poll_fill_buf(cx) {
            Poll::Ready(result) => Poll::Ready(result),
            Poll::Pending => Poll::Ready(Err(io::Error::other(
                "poll_fill_buf returned Pending right after returning Ready",
            ))),
        }
    }
}
