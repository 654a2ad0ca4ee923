//! [`AsyncWriteExt`]: the `async` methods every [`AsyncWrite`] gets.

use super::flush::{flush, Flush};
use super::shutdown::{shutdown, Shutdown};
use super::write::{write, Write};
use super::write_all::{write_all, WriteAll};
use super::write_all_buf::{write_all_buf, WriteAllBuf};
use super::write_buf::{write_buf, WriteBuf};
use super::write_int::{write_be, write_le, WriteInt};
use super::write_vectored::{write_vectored, WriteVectored};
use crate::AsyncWrite;
use bytes::Buf;
use std::io::IoSlice;

macro_rules! write_number {
    ($($name:ident, $ty:ty, $order:ident, $order_name:literal;)*) => {$(
        #[doc = concat!("Writes a `", stringify!($ty), "` in ", $order_name, " byte order.")]
        ///
        /// Equivalent to an `async fn` returning `io::Result<()>`.
        ///
        /// # Cancel safety
        ///
        /// Not cancel safe for numbers wider than one byte: if the future is dropped, part of
        /// the number may have been written.
        fn $name(&mut self, n: $ty) -> WriteInt<&mut Self>
        where
            Self: Unpin,
        {
            $order(self, n)
        }
    )*};
}

/// The `async` methods of an [`AsyncWrite`]: `write`, `write_all`, numbers, `flush`,
/// `shutdown`, ...
///
/// Implemented for every `AsyncWrite`; bring it into scope with `use eddy_io::AsyncWriteExt`.
///
/// ```
/// use eddy_io::AsyncWriteExt;
///
/// # eddy_core::block_on::block_on(&mut eddy_core::ParkThread::new(), async {
/// let mut out = Vec::new();
/// out.write_u16(1).await?;
/// out.write_u16_le(1).await?;
/// out.write_all(b"ok").await?;
/// out.flush().await?;
/// assert_eq!(out, [0, 1, 1, 0, b'o', b'k']);
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
pub trait AsyncWriteExt: AsyncWrite {
    /// Writes some bytes of `src`; resolves to how many (`0` usually means the writer is
    /// closed).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: if the future is dropped before it completes, nothing was written.
    fn write<'a>(&'a mut self, src: &'a [u8]) -> Write<'a, Self>
    where
        Self: Unpin,
    {
        write(self, src)
    }

    /// Writes some bytes from several buffers in order; resolves to how many.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: if the future is dropped before it completes, nothing was written.
    fn write_vectored<'a, 'b>(&'a mut self, bufs: &'a [IoSlice<'b>]) -> WriteVectored<'a, 'b, Self>
    where
        Self: Unpin,
    {
        write_vectored(self, bufs)
    }

    /// Writes some bytes from `src` (a `bytes::Buf`: `Bytes`, `BytesMut`, `&[u8]`,
    /// `io::Cursor`, ...) and advances it past them; resolves to how many.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: if the future is dropped before it completes, nothing was written.
    fn write_buf<'a, B>(&'a mut self, src: &'a mut B) -> WriteBuf<'a, Self, B>
    where
        Self: Sized + Unpin,
        B: Buf,
    {
        write_buf(self, src)
    }

    /// Writes all of `src` (a `bytes::Buf`), advancing it after every write.
    ///
    /// If the writer [prefers vectored writes](AsyncWrite::is_write_vectored), each write
    /// gathers several of `src`'s chunks (as a `Chain` of buffers has); otherwise each write
    /// takes one chunk.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe in the sense that matters: if the future is dropped, `src` has been advanced
    /// past exactly the bytes that were written, so calling again resumes where it stopped.
    fn write_all_buf<'a, B>(&'a mut self, src: &'a mut B) -> WriteAllBuf<'a, Self, B>
    where
        Self: Sized + Unpin,
        B: Buf,
    {
        write_all_buf(self, src)
    }

    /// Writes all of `src`; fails with `WriteZero` if the writer stops accepting bytes.
    ///
    /// # Cancel safety
    ///
    /// Not cancel safe: if the future is dropped, an unknown prefix of `src` may have been
    /// written. Use [`write_all_buf`](Self::write_all_buf) to keep track.
    fn write_all<'a>(&'a mut self, src: &'a [u8]) -> WriteAll<'a, Self>
    where
        Self: Unpin,
    {
        write_all(self, src)
    }

    /// Flushes buffered bytes to their destination.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: dropping the future loses no bytes; they stay buffered (or are already
    /// written), and a later flush finishes the job.
    fn flush(&mut self) -> Flush<'_, Self>
    where
        Self: Unpin,
    {
        flush(self)
    }

    /// Flushes and closes the write side (a TCP stream sends FIN, a duplex peer sees end of
    /// file).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: dropping the future loses no bytes, and calling it again resumes the
    /// shutdown.
    fn shutdown(&mut self) -> Shutdown<'_, Self>
    where
        Self: Unpin,
    {
        shutdown(self)
    }

    write_number! {
        write_u8, u8, write_be, "big-endian";
        write_i8, i8, write_be, "big-endian";
        write_u16, u16, write_be, "big-endian";
        write_i16, i16, write_be, "big-endian";
        write_u32, u32, write_be, "big-endian";
        write_i32, i32, write_be, "big-endian";
        write_u64, u64, write_be, "big-endian";
        write_i64, i64, write_be, "big-endian";
        write_u128, u128, write_be, "big-endian";
        write_i128, i128, write_be, "big-endian";
        write_f32, f32, write_be, "big-endian";
        write_f64, f64, write_be, "big-endian";
        write_u16_le, u16, write_le, "little-endian";
        write_i16_le, i16, write_le, "little-endian";
        write_u32_le, u32, write_le, "little-endian";
        write_i32_le, i32, write_le, "little-endian";
        write_u64_le, u64, write_le, "little-endian";
        write_i64_le, i64, write_le, "little-endian";
        write_u128_le, u128, write_le, "little-endian";
        write_i128_le, i128, write_le, "little-endian";
        write_f32_le, f32, write_le, "little-endian";
        write_f64_le, f64, write_le, "little-endian";
    }
}

impl<W: AsyncWrite + ?Sized> AsyncWriteExt for W {}
