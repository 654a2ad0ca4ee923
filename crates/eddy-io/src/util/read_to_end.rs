//! The [`ReadToEnd`] future behind [`AsyncReadExt::read_to_end`](crate::AsyncReadExt::read_to_end).
//!
//! Bytes are read straight into the vector's spare capacity, and [`VecFill`] remembers across
//! reads how much of that spare room the reader has initialized already, so a reader that
//! initializes ahead is never handed the same memory as uninitialized twice (that count resets
//! whenever the vector reallocates). The vector grows by at least 32 bytes at a time, except
//! while it still has the caller's capacity and less than 32 bytes to spare: then a small read
//! into a stack buffer probes first, so a vector sized exactly for the data never reallocates
//! just to learn that the reader is at end of file.

use super::interrupted::retry;
use crate::{AsyncRead, ReadBuf};
use pin_project_lite::pin_project;
use std::future::Future;
use std::io;
use std::marker::PhantomPinned;
use std::mem::MaybeUninit;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

/// The least room a read is given, and the size of the probe read.
const STEP: usize = 32;

pin_project! {
    /// Reads until end of file, appending to a vector; resolves to the number of bytes appended.
    #[derive(Debug)]
    #[must_use = "futures do nothing unless you `.await` or poll them"]
    pub struct ReadToEnd<'a, R: ?Sized> {
        reader: &'a mut R,
        buf: &'a mut Vec<u8>,
        fill: VecFill,
        // Makes the future `!Unpin`, as Tokio's is (see the `util` module docs).
        #[pin]
        _pin: PhantomPinned,
    }
}

pub(crate) fn read_to_end<'a, R: AsyncRead + Unpin + ?Sized>(
    reader: &'a mut R,
    buf: &'a mut Vec<u8>,
) -> ReadToEnd<'a, R> {
    ReadToEnd {
        fill: VecFill::new(buf.capacity()),
        reader,
        buf,
        _pin: PhantomPinned,
    }
}

/// The progress of reading to the end into one vector.
#[derive(Debug)]
pub(crate) struct VecFill {
    /// Bytes appended so far.
    read: usize,
    /// Bytes of spare capacity (just past the vector's length) known to be initialized.
    initialized: usize,
    /// The vector's capacity when the read began.
    starting_capacity: usize,
}

impl VecFill {
    /// The progress of a read into a vector whose capacity is `starting_capacity`.
    pub(crate) fn new(starting_capacity: usize) -> VecFill {
        VecFill {
            read: 0,
            initialized: 0,
            starting_capacity,
        }
    }
}

/// Appends everything `reader` yields until end of file to `buf`, counting into `fill`.
///
/// Bytes land in `buf` as soon as they are read, so nothing is lost if the caller stops polling.
pub(crate) fn poll_read_to_end<R: AsyncRead + ?Sized>(
    mut reader: Pin<&mut R>,
    cx: &mut Context<'_>,
    buf: &mut Vec<u8>,
    fill: &mut VecFill,
) -> Poll<io::Result<usize>> {
    loop {
        let n = ready!(retry(|| fill.poll_once(reader.as_mut(), cx, buf)))?;
        if n == 0 {
            return Poll::Ready(Ok(std::mem::take(&mut fill.read)));
        }
        fill.read += n;
    }
}

impl VecFill {
    /// One read: a probe into the stack while the caller's capacity is nearly used up, else
    /// straight into the spare capacity (grown to at least [`STEP`] bytes).
    fn poll_once<R: AsyncRead + ?Sized>(
        &mut self,
        reader: Pin<&mut R>,
        cx: &mut Context<'_>,
        buf: &mut Vec<u8>,
    ) -> Poll<io::Result<usize>> {
        let spare = buf.capacity() - buf.len();
        if spare < STEP && buf.capacity() == self.starting_capacity && buf.capacity() >= STEP {
            return self.poll_probe(reader, cx, buf);
        }
        self.reserve(buf, STEP);
        self.poll_into_spare(reader, cx, buf)
    }

    /// Grows `buf` to have `additional` bytes to spare; a reallocation forgets what was
    /// initialized past the end.
    fn reserve(&mut self, buf: &mut Vec<u8>, additional: usize) {
        if buf.capacity() - buf.len() < additional {
            buf.reserve(additional);
            self.initialized = 0;
        }
    }

    fn poll_probe<R: AsyncRead + ?Sized>(
        &mut self,
        reader: Pin<&mut R>,
        cx: &mut Context<'_>,
        buf: &mut Vec<u8>,
    ) -> Poll<io::Result<usize>> {
        let mut storage = [MaybeUninit::<u8>::uninit(); STEP];
        let mut probe = ReadBuf::uninit(&mut storage);
        ready!(reader.poll_read(cx, &mut probe))?;
        let bytes = probe.filled();
        self.reserve(buf, bytes.len());
        // The copied bytes overwrite the start of the spare room, initialized or not.
        self.initialized = self.initialized.saturating_sub(bytes.len());
        buf.extend_from_slice(bytes);
        Poll::Ready(Ok(bytes.len()))
    }

    fn poll_into_spare<R: AsyncRead + ?Sized>(
        &mut self,
        reader: Pin<&mut R>,
        cx: &mut Context<'_>,
        buf: &mut Vec<u8>,
    ) -> Poll<io::Result<usize>> {
        let len = buf.len();
        let mut spare = ReadBuf::uninit(buf.spare_capacity_mut());
        // SAFETY: the first `initialized` spare bytes were initialized by earlier reads into
        // this same allocation (`reserve` resets the count when the vector reallocates, and
        // appending moves it along).
        unsafe { spare.assume_init(self.initialized) };
        let start = spare.filled().as_ptr();
        let polled = reader.poll_read(cx, &mut spare);
        assert_eq!(
            spare.filled().as_ptr(),
            start,
            "the reader replaced the ReadBuf it was given"
        );
        let n = spare.filled().len();
        self.initialized = spare.initialized().len() - n;
        // SAFETY: the reader filled (so initialized) the first `n` spare bytes of `buf`'s own
        // allocation: the assertion above rules out a swapped buffer.
        unsafe { buf.set_len(len + n) };
        ready!(polled)?;
        Poll::Ready(Ok(n))
    }
}

impl<R: AsyncRead + Unpin + ?Sized> Future for ReadToEnd<'_, R> {
    type Output = io::Result<usize>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<usize>> {
        let this = self.project();
        poll_read_to_end(Pin::new(&mut **this.reader), cx, this.buf, this.fill)
    }
}
