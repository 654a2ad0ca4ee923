//! `AsyncSeekExt` over cursors, boxes and the buffered wrappers.

use eddy_io::{AsyncReadExt, AsyncSeek, AsyncSeekExt, AsyncWriteExt, BufStream, ReadBuf, SeekFrom};
use eddy_test_support::executor::block_on;
use std::io::{Cursor, ErrorKind};
use std::pin::Pin;
use std::task::{Context, Poll};

#[test]
fn seek_through_a_boxed_trait_object() {
    block_on(async {
        let mut boxed: Box<dyn AsyncSeek + Unpin> = Box::new(Cursor::new(vec![0u8; 10]));
        assert_eq!(boxed.seek(SeekFrom::Start(3)).await.unwrap(), 3);
        assert_eq!(boxed.seek(SeekFrom::Current(2)).await.unwrap(), 5);
        assert_eq!(boxed.stream_position().await.unwrap(), 5);
        assert_eq!(boxed.rewind().await.unwrap(), 0);
    });
}

#[test]
fn a_failed_seek_leaves_the_position() {
    block_on(async {
        let mut cursor = Cursor::new(vec![1u8, 2, 3]);
        cursor.seek(SeekFrom::Start(2)).await.unwrap();
        let error = cursor.seek(SeekFrom::Current(-5)).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidInput);
        assert_eq!(cursor.read_u8().await.unwrap(), 3);
    });
}

#[test]
fn buf_stream_seek_flushes_writes_and_drops_read_ahead() {
    block_on(async {
        let mut stream = BufStream::with_capacity(4, 4, Cursor::new(b"0123456789".to_vec()));
        assert_eq!(stream.read_u8().await.unwrap(), b'0');
        // Four bytes were read ahead; the logical position is still 1.
        assert_eq!(stream.stream_position().await.unwrap(), 1);
        stream.seek(SeekFrom::Start(8)).await.unwrap();
        stream.write_all(b"ab").await.unwrap();
        stream.seek(SeekFrom::Start(0)).await.unwrap();
        let mut all = Vec::new();
        stream.read_to_end(&mut all).await.unwrap();
        assert_eq!(all, b"01234567ab");
    });
}

/// A seekable stream whose seeks take one extra poll to complete, like a file whose seek runs
/// on another thread.
struct SlowSeek {
    cursor: Cursor<Vec<u8>>,
    in_flight: Option<SeekFrom>,
    polled_once: bool,
}

impl AsyncSeek for SlowSeek {
    fn start_seek(mut self: Pin<&mut Self>, position: SeekFrom) -> std::io::Result<()> {
        if self.in_flight.is_some() {
            return Err(std::io::Error::other("a seek is already in flight"));
        }
        self.in_flight = Some(position);
        self.polled_once = false;
        Ok(())
    }

    fn poll_complete(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<u64>> {
        let Some(position) = self.in_flight else {
            return Poll::Ready(Ok(self.cursor.position()));
        };
        if !self.polled_once {
            self.polled_once = true;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        self.in_flight = None;
        Poll::Ready(std::io::Seek::seek(&mut self.cursor, position))
    }
}

impl eddy_io::AsyncRead for SlowSeek {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.cursor).poll_read(cx, buf)
    }
}

#[test]
fn seeks_that_complete_later() {
    block_on(async {
        let mut slow = SlowSeek {
            cursor: Cursor::new(b"abcdef".to_vec()),
            in_flight: None,
            polled_once: false,
        };
        assert_eq!(slow.seek(SeekFrom::End(-1)).await.unwrap(), 5);
        assert_eq!(slow.read_u8().await.unwrap(), b'f');
        // Through a BufReader, whose relative seeks are corrected by its read-ahead.
        let mut reader = eddy_io::BufReader::with_capacity(2, slow);
        reader.rewind().await.unwrap();
        assert_eq!(reader.read_u8().await.unwrap(), b'a');
        assert_eq!(reader.seek(SeekFrom::Current(1)).await.unwrap(), 2);
        assert_eq!(reader.read_u8().await.unwrap(), b'c');
    });
}
