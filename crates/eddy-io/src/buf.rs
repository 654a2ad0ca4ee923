//! [`Buf`] and [`BufMut`]: the buffers [`read_buf`](crate::AsyncReadExt::read_buf),
//! [`write_buf`](crate::AsyncWriteExt::write_buf) and
//! [`write_all_buf`](crate::AsyncWriteExt::write_all_buf) work with.
//!
//! Tokio takes the `bytes` crate's traits here; eddy may not depend on `bytes`, so this module
//! defines the same core methods under the same names. `Vec<u8>` (the buffer almost every caller
//! passes), slices, cursors and `VecDeque<u8>` implement them.
//!
//! Invariant of [`BufMut`]: the bytes handed out by [`BufMut::chunk_mut`] become part of the
//! buffer only through [`BufMut::advance_mut`], whose caller promises to have initialized them.
//! `poll_read_buf` is the one place that makes that promise, and it checks that the reader
//! filled the very memory it was given before making it.

use crate::{AsyncRead, ReadBuf};
use std::collections::VecDeque;
use std::io;
use std::mem::MaybeUninit;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

/// A readable buffer: bytes waiting to be consumed from the front.
pub trait Buf {
    /// How many bytes are left.
    fn remaining(&self) -> usize;

    /// The next contiguous bytes (empty only if nothing remains).
    fn chunk(&self) -> &[u8];

    /// Consumes `cnt` bytes from the front.
    ///
    /// # Panics
    ///
    /// May panic if `cnt` is more than [`remaining`](Self::remaining).
    fn advance(&mut self, cnt: usize);

    /// Whether any bytes are left.
    fn has_remaining(&self) -> bool {
        self.remaining() > 0
    }
}

/// A writable buffer: room that grows at the back.
pub trait BufMut {
    /// How many more bytes fit.
    fn remaining_mut(&self) -> usize;

    /// The next contiguous free bytes, possibly uninitialized. A growable buffer reserves room
    /// here when it has none, so the slice is empty only if `remaining_mut() == 0`.
    fn chunk_mut(&mut self) -> &mut [MaybeUninit<u8>];

    /// Marks the first `cnt` bytes of [`chunk_mut`](Self::chunk_mut) as part of the buffer.
    ///
    /// # Safety
    ///
    /// The caller must have initialized those `cnt` bytes.
    unsafe fn advance_mut(&mut self, cnt: usize);

    /// Whether any more bytes fit.
    fn has_remaining_mut(&self) -> bool {
        self.remaining_mut() > 0
    }
}

impl Buf for &[u8] {
    fn remaining(&self) -> usize {
        self.len()
    }

    fn chunk(&self) -> &[u8] {
        self
    }

    fn advance(&mut self, cnt: usize) {
        *self = &self[cnt..];
    }
}

impl<T: AsRef<[u8]>> Buf for io::Cursor<T> {
    fn remaining(&self) -> usize {
        self.chunk().len()
    }

    fn chunk(&self) -> &[u8] {
        let data = self.get_ref().as_ref();
        let start = usize::try_from(self.position()).map_or(data.len(), |p| p.min(data.len()));
        &data[start..]
    }

    fn advance(&mut self, cnt: usize) {
        assert!(
            cnt <= self.remaining(),
            "cannot advance past the end of the cursor"
        );
        self.set_position(self.position() + cnt as u64);
    }
}

impl Buf for VecDeque<u8> {
    fn remaining(&self) -> usize {
        self.len()
    }

    fn chunk(&self) -> &[u8] {
        self.as_slices().0
    }

    fn advance(&mut self, cnt: usize) {
        self.drain(..cnt);
    }
}

impl<T: Buf + ?Sized> Buf for &mut T {
    fn remaining(&self) -> usize {
        (**self).remaining()
    }

    fn chunk(&self) -> &[u8] {
        (**self).chunk()
    }

    fn advance(&mut self, cnt: usize) {
        (**self).advance(cnt)
    }
}

impl<T: Buf + ?Sized> Buf for Box<T> {
    fn remaining(&self) -> usize {
        (**self).remaining()
    }

    fn chunk(&self) -> &[u8] {
        (**self).chunk()
    }

    fn advance(&mut self, cnt: usize) {
        (**self).advance(cnt)
    }
}

/// How much a full `Vec` reserves when asked for room, like `bytes` does.
const VEC_MIN_RESERVE: usize = 64;

impl BufMut for Vec<u8> {
    fn remaining_mut(&self) -> usize {
        isize::MAX as usize - self.len()
    }

    fn chunk_mut(&mut self) -> &mut [MaybeUninit<u8>] {
        if self.capacity() == self.len() {
            self.reserve(VEC_MIN_RESERVE);
        }
        self.spare_capacity_mut()
    }

    unsafe fn advance_mut(&mut self, cnt: usize) {
        let len = self.len() + cnt;
        assert!(
            len <= self.capacity(),
            "advance_mut past the vector's capacity"
        );
        // SAFETY: `len` is within the capacity (checked above) and the caller initialized the
        // `cnt` bytes after the old length, so every byte below `len` is initialized.
        unsafe { self.set_len(len) }
    }
}

impl<T: BufMut + ?Sized> BufMut for &mut T {
    fn remaining_mut(&self) -> usize {
        (**self).remaining_mut()
    }

    fn chunk_mut(&mut self) -> &mut [MaybeUninit<u8>] {
        (**self).chunk_mut()
    }

    unsafe fn advance_mut(&mut self, cnt: usize) {
        // SAFETY: the caller's promise is passed on unchanged.
        unsafe { (**self).advance_mut(cnt) }
    }
}

/// Reads once from `reader` into the free room of `buf` and grows `buf` by what was read.
///
/// Returns the number of bytes read (`0` at end of file or when `buf` is full).
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
        let mut read_buf = ReadBuf::uninit(buf.chunk_mut());
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
