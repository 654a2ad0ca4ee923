//! The [`ReadToString`] future behind
//! [`AsyncReadExt::read_to_string`](crate::AsyncReadExt::read_to_string).

use super::read_to_end::{poll_read_to_end, VecFill};
use super::utf8_output::Utf8Output;
use crate::AsyncRead;
use pin_project_lite::pin_project;
use std::future::Future;
use std::io;
use std::marker::PhantomPinned;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

pin_project! {
    /// Reads until end of file, appending to a string; resolves to the number of bytes appended.
    #[derive(Debug)]
    #[must_use = "futures do nothing unless you `.await` or poll them"]
    pub struct ReadToString<'a, R: ?Sized> {
        reader: &'a mut R,
        output: Utf8Output<'a>,
        fill: VecFill,
        // Makes the future `!Unpin`, as Tokio's is (see the `util` module docs).
        #[pin]
        _pin: PhantomPinned,
    }
}

pub(crate) fn read_to_string<'a, R: AsyncRead + Unpin + ?Sized>(
    reader: &'a mut R,
    output: &'a mut String,
) -> ReadToString<'a, R> {
    let output = Utf8Output::new(output);
    ReadToString {
        reader,
        fill: VecFill::new(output.capacity()),
        output,
        _pin: PhantomPinned,
    }
}

impl<R: AsyncRead + Unpin + ?Sized> Future for ReadToString<'_, R> {
    type Output = io::Result<usize>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        let this = self.project();
        let reader = Pin::new(&mut **this.reader);
        let bytes = this.output.bytes_mut();
        let read = ready!(poll_read_to_end(reader, cx, bytes, this.fill));
        // As in Tokio, a failed read leaves the string as it was: nothing half-read is kept.
        Poll::Ready(match read {
            Ok(_) => this.output.finish(),
            Err(error) => {
                this.output.discard();
                Err(error)
            }
        })
    }
}
