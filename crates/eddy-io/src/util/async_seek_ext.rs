//! [`AsyncSeekExt`]: the `async` methods every [`AsyncSeek`] gets.

use super::seek::{seek, Seek};
use crate::AsyncSeek;
use std::io::SeekFrom;

/// The `async` methods of an [`AsyncSeek`].
///
/// Implemented for every `AsyncSeek`; bring it into scope with `use eddy_io::AsyncSeekExt`.
///
/// ```
/// use eddy_io::{AsyncReadExt, AsyncSeekExt, SeekFrom};
/// use std::io::Cursor;
///
/// # eddy_core::block_on::block_on(&mut eddy_core::ParkThread::new(), async {
/// let mut cursor = Cursor::new(b"abcdef".to_vec());
/// assert_eq!(cursor.seek(SeekFrom::End(-2)).await?, 4);
/// assert_eq!(cursor.read_u8().await?, b'e');
/// assert_eq!(cursor.stream_position().await?, 5);
/// cursor.rewind().await?;
/// assert_eq!(cursor.read_u8().await?, b'a');
/// # std::io::Result::Ok(())
/// # }).unwrap();
/// ```
pub trait AsyncSeekExt: AsyncSeek {
    /// Seeks to `position`; resolves to the new position from the start.
    ///
    /// # Cancel safety
    ///
    /// Not cancel safe: if the future is dropped after starting the seek, the position may or
    /// may not have moved.
    fn seek(&mut self, position: SeekFrom) -> Seek<'_, Self>
    where
        Self: Unpin,
    {
        seek(self, position)
    }

    /// Seeks to the start; resolves to `0`.
    fn rewind(&mut self) -> Seek<'_, Self>
    where
        Self: Unpin,
    {
        seek(self, SeekFrom::Start(0))
    }

    /// Resolves to the current position from the start, without moving it.
    fn stream_position(&mut self) -> Seek<'_, Self>
    where
        Self: Unpin,
    {
        seek(self, SeekFrom::Current(0))
    }
}

impl<S: AsyncSeek + ?Sized> AsyncSeekExt for S {}
