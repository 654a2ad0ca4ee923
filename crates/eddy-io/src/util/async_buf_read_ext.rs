//! [`AsyncBufReadExt`]: the `async` methods every [`AsyncBufRead`] gets.

use super::fill_buf::{fill_buf, FillBuf};
use super::lines::{lines, Lines};
use super::read_line::{read_line, ReadLine};
use super::read_until::{read_until, ReadUntil};
use super::split::{split, Split};
use crate::AsyncBufRead;
use std::pin::Pin;

/// The `async` methods of an [`AsyncBufRead`]: lines, delimiters and the buffer itself.
///
/// Implemented for every `AsyncBufRead`; bring it into scope with
/// `use eddy_io::AsyncBufReadExt`.
///
/// ```
/// use eddy_io::AsyncBufReadExt;
///
/// # eddy_core::block_on::block_on(&mut eddy_core::ParkThread::new(), async {
/// let mut lines = (&b"one\r\ntwo\nthree"[..]).lines();
/// assert_eq!(lines.next_line().await?.as_deref(), Some("one"));
/// assert_eq!(lines.next_line().await?.as_deref(), Some("two"));
/// assert_eq!(lines.next_line().await?.as_deref(), Some("three"));
/// assert_eq!(lines.next_line().await?, None);
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
pub trait AsyncBufReadExt: AsyncBufRead {
    /// Reads up to and including `byte` (or to end of file), appending to `buf`; resolves to
    /// how many bytes were appended (`0` at end of file).
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: bytes read before the future is dropped are already in `buf`, and calling
    /// again continues the same search.
    fn read_until<'a>(&'a mut self, byte: u8, buf: &'a mut Vec<u8>) -> ReadUntil<'a, Self>
    where
        Self: Unpin,
    {
        read_until(self, byte, buf)
    }

    /// Reads up to and including a `\n` (or to end of file), appending to `buf`; resolves to
    /// how many bytes were appended (`0` at end of file).
    ///
    /// If the line is not valid UTF-8 the result is an `InvalidData` error and `buf` keeps its
    /// original contents.
    ///
    /// # Cancel safety
    ///
    /// Not fully cancel safe: if the future is dropped, `buf` keeps its original contents plus
    /// every complete character read so far, and only the bytes of a character cut in half
    /// are lost. Prefer [`lines`](Self::lines), which is cancel safe.
    fn read_line<'a>(&'a mut self, buf: &'a mut String) -> ReadLine<'a, Self>
    where
        Self: Unpin,
    {
        read_line(self, buf)
    }

    /// Turns `self` into a reader of the segments between occurrences of `byte`.
    fn split(self, byte: u8) -> Split<Self>
    where
        Self: Sized,
    {
        split(self, byte)
    }

    /// Waits for the internal buffer to hold data and returns it (empty at end of file).
    ///
    /// Call [`consume`](Self::consume) to mark bytes as read.
    ///
    /// # Cancel safety
    ///
    /// Cancel safe: nothing is consumed until `consume` is called.
    fn fill_buf(&mut self) -> FillBuf<'_, Self>
    where
        Self: Unpin,
    {
        fill_buf(self)
    }

    /// Marks `amt` buffered bytes as read.
    fn consume(&mut self, amt: usize)
    where
        Self: Unpin,
    {
        Pin::new(self).consume(amt)
    }

    /// Turns `self` into a reader of lines (without their `\n` or `\r\n`).
    fn lines(self) -> Lines<Self>
    where
        Self: Sized,
    {
        lines(self)
    }
}

impl<R: AsyncBufRead + ?Sized> AsyncBufReadExt for R {}
