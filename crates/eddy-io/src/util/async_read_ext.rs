//! [`AsyncReadExt`]: the `async` methods every [`AsyncRead`] gets.

use super::chain::{chain, Chain};
use super::read::{read, Read};
use super::read_buf::{read_buf, ReadBufFuture};
use super::read_exact::{read_exact, ReadExact};
use super::read_int::{read_be, read_le, ReadInt};
use super::read_to_end::{read_to_end, ReadToEnd};
use super::read_to_string::{read_to_string, ReadToString};
use super::take::{take, Take};
use crate::AsyncRead;
use bytes::BufMut;

macro_rules! read_number {
    ($($name:ident, $ty:ty, $order:ident, $order_name:literal;)*) => {$(
        #[doc = concat!("Reads a `", stringify!($ty), "` in ", $order_name, " byte order.")]
        ///
        /// Equivalent to an `async fn` returning `io::Result` of the number. Fails with
        /// `UnexpectedEof` if the reader ends first.
        ///
        /// # Cancel safety
        ///
        /// Not cancel safe for numbers wider than one byte: bytes already read are lost if the
        /// future is dropped. (`read_u8` and `read_i8` read one byte in one step, so they are.)
        fn $name(&mut self) -> ReadInt<&mut Self, $ty>
        where
            Self: Unpin,
        {
            $order(self)
        }
    )*};
}

/// The `async` methods of an [`AsyncRead`]: `read`, `read_exact`, `read_to_end`, numbers, ...
///
/// Implemented for every `AsyncRead`; bring it into scope with `use eddy_io::AsyncReadExt`.
///
/// ```
/// use eddy_io::AsyncReadExt;
///
/// # eddy_core::block_on::block_on(&mut eddy_core::ParkThread::new(), async {
/// let mut reader: &[u8] = &[0, 1, 0xff, b'h', b'i'];
/// assert_eq!(reader.read_u16().await?, 1);
/// assert_eq!(reader.read_u8().await?, 0xff);
/// let mut rest = String::new();
/// reader.read_to_string(&mut rest).await?;
/// assert_eq!(rest, "hi");
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
pub trait AsyncReadExt: AsyncRead {
    /// Reads from `self` until its end of file, then from `next`.
    fn chain<R: AsyncRead>(self, next: R) -> Chain<Self, R>
    where
        Self: Sized,
    {
        chain(self, next)
    }

    /// Reads some bytes into `buf`; resolves to how many (`0` at end of file or if `buf` is
    /// empty).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: if the future is dropped before it completes, no data was read.
    fn read<'a>(&'a mut self, buf: &'a mut [u8]) -> Read<'a, Self>
    where
        Self: Unpin,
    {
        read(self, buf)
    }

    /// Reads some bytes into the free room of `buf` (a `bytes::BufMut`: `Vec<u8>`, `BytesMut`,
    /// `&mut [u8]`, ...) and advances it past them; resolves to how many (`0` at end of file, or
    /// if `buf` has no room left).
    ///
    /// A full `Vec<u8>` or `BytesMut` reserves room first, so this reads at least a little into
    /// one unless the reader is at its end.
    ///
    /// ```
    /// use bytes::BytesMut;
    /// use eddy_io::AsyncReadExt;
    ///
    /// # eddy_core::block_on::block_on(&mut eddy_core::ParkThread::new(), async {
    /// let mut reader: &[u8] = b"frame";
    /// let mut buf = BytesMut::with_capacity(3);
    /// assert_eq!(reader.read_buf(&mut buf).await?, 3);
    /// while reader.read_buf(&mut buf).await? > 0 {}
    /// assert_eq!(&buf[..], b"frame");
    /// # std::io::Result::Ok(())
    /// # }).unwrap();
    /// ```
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: if the future is dropped before it completes, no data was read.
    fn read_buf<'a, B>(&'a mut self, buf: &'a mut B) -> ReadBufFuture<'a, Self, B>
    where
        Self: Unpin,
        B: BufMut + ?Sized,
    {
        read_buf(self, buf)
    }

    /// Reads exactly `buf.len()` bytes; fails with `UnexpectedEof` if the reader ends first.
    ///
    /// # Cancel safety
    ///
    /// Not cancel safe: bytes already read into `buf` are lost to the caller if the future is
    /// dropped (how many is unknown).
    fn read_exact<'a>(&'a mut self, buf: &'a mut [u8]) -> ReadExact<'a, Self>
    where
        Self: Unpin,
    {
        read_exact(self, buf)
    }

    /// Reads until end of file, appending to `buf`; resolves to how many bytes were appended.
    ///
    /// # Cancel safety
    ///
    /// Nothing is lost if the future is dropped: every byte read so far is already in `buf`.
    fn read_to_end<'a>(&'a mut self, buf: &'a mut Vec<u8>) -> ReadToEnd<'a, Self>
    where
        Self: Unpin,
    {
        read_to_end(self, buf)
    }

    /// Reads until end of file, appending to `dst`; resolves to how many bytes were appended.
    ///
    /// If the bytes are not valid UTF-8 the result is an `InvalidData` error and `dst` keeps
    /// its original contents.
    ///
    /// # Cancel safety
    ///
    /// Not fully cancel safe: if the future is dropped, `dst` keeps its original contents plus
    /// every complete character read so far; the bytes of a character cut in half are lost.
    fn read_to_string<'a>(&'a mut self, dst: &'a mut String) -> ReadToString<'a, Self>
    where
        Self: Unpin,
    {
        read_to_string(self, dst)
    }

    /// Reads at most `limit` bytes from `self`, then reports end of file.
    fn take(self, limit: u64) -> Take<Self>
    where
        Self: Sized,
    {
        take(self, limit)
    }

    read_number! {
        read_u8, u8, read_be, "big-endian";
        read_i8, i8, read_be, "big-endian";
        read_u16, u16, read_be, "big-endian";
        read_i16, i16, read_be, "big-endian";
        read_u32, u32, read_be, "big-endian";
        read_i32, i32, read_be, "big-endian";
        read_u64, u64, read_be, "big-endian";
        read_i64, i64, read_be, "big-endian";
        read_u128, u128, read_be, "big-endian";
        read_i128, i128, read_be, "big-endian";
        read_f32, f32, read_be, "big-endian";
        read_f64, f64, read_be, "big-endian";
        read_u16_le, u16, read_le, "little-endian";
        read_i16_le, i16, read_le, "little-endian";
        read_u32_le, u32, read_le, "little-endian";
        read_i32_le, i32, read_le, "little-endian";
        read_u64_le, u64, read_le, "little-endian";
        read_i64_le, i64, read_le, "little-endian";
        read_u128_le, u128, read_le, "little-endian";
        read_i128_le, i128, read_le, "little-endian";
        read_f32_le, f32, read_le, "little-endian";
        read_f64_le, f64, read_le, "little-endian";
    }
}

impl<R: AsyncRead + ?Sized> AsyncReadExt for R {}
