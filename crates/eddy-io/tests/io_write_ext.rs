//! `AsyncWriteExt`: writes of every shape, over whole and trickling writers.

mod support;

use bytes::Buf;
use eddy_io::{AsyncReadExt, AsyncWrite, AsyncWriteExt};
use eddy_test_support::executor::block_on;
use std::collections::VecDeque;
use std::io::{self, Cursor, ErrorKind, IoSlice};
use std::pin::Pin;
use std::task::{Context, Poll};
use support::{pattern, Recorder, Trickle};

#[test]
fn write_takes_what_the_writer_accepts() {
    block_on(async {
        let mut writer = Trickle::new(Vec::new());
        assert_eq!(writer.write(b"abc").await.unwrap(), 1);
        assert_eq!(writer.write(b"").await.unwrap(), 0);
        assert_eq!(writer.into_inner(), b"a");
    });
}

#[test]
fn write_all_loops_over_partial_writes() {
    block_on(async {
        let data = pattern(500);
        let mut writer = Recorder::new(Trickle::new(Vec::new()));
        writer.write_all(&data).await.unwrap();
        assert_eq!(writer.writes.len(), 500, "one byte per write");
        assert_eq!(writer.inner.into_inner(), data);
    });
}

#[test]
fn write_all_into_a_full_writer_is_write_zero() {
    block_on(async {
        let mut storage = [0u8; 4];
        let mut writer = Cursor::new(&mut storage[..]);
        let error = writer.write_all(b"too long").await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::WriteZero);
        assert_eq!(&storage, b"too ");
    });
}

#[test]
fn write_buf_advances_by_what_was_written() {
    block_on(async {
        let mut writer = Trickle::new(Vec::new());
        let mut src = Cursor::new(b"xyz".to_vec());
        assert_eq!(writer.write_buf(&mut src).await.unwrap(), 1);
        assert_eq!(src.position(), 1);
        assert_eq!(src.remaining(), 2);
        let mut empty: &[u8] = &[];
        assert_eq!(writer.write_buf(&mut empty).await.unwrap(), 0);
    });
}

#[test]
fn write_all_buf_drains_a_ring_buffer() {
    block_on(async {
        let mut ring: VecDeque<u8> = VecDeque::with_capacity(8);
        ring.extend(b"123456");
        ring.drain(..4);
        ring.extend(b"789abc"); // Wraps around, so the data is in two slices.
        let mut writer = Trickle::new(Vec::new());
        writer.write_all_buf(&mut ring).await.unwrap();
        assert!(ring.is_empty());
        assert_eq!(writer.into_inner(), b"56789abc");
    });
}

#[test]
fn write_vectored_gathers_or_takes_the_first_buffer() {
    block_on(async {
        let bufs = [IoSlice::new(b"ab"), IoSlice::new(b"cd")];
        let mut vec = Vec::new();
        assert_eq!(vec.write_vectored(&bufs).await.unwrap(), 4);
        assert_eq!(vec, b"abcd");

        let mut slow = Trickle::new(Vec::new());
        assert_eq!(slow.write_vectored(&bufs).await.unwrap(), 1);
        assert_eq!(slow.into_inner(), b"a");
    });
}

#[test]
fn flush_and_shutdown_reach_the_inner_writer() {
    block_on(async {
        let mut writer = Recorder::new(Vec::new());
        writer.flush().await.unwrap();
        writer.shutdown().await.unwrap();
        assert_eq!((writer.flushes, writer.shutdowns), (1, 1));
    });
}

#[test]
fn numbers_over_a_trickling_writer_arrive_whole() {
    block_on(async {
        let mut writer = Trickle::new(Vec::new());
        writer.write_u64(0x1122_3344_5566_7788).await.unwrap();
        writer.write_i16_le(-2).await.unwrap();
        let bytes = writer.into_inner();
        let mut reader = &bytes[..];
        assert_eq!(reader.read_u64().await.unwrap(), 0x1122_3344_5566_7788);
        assert_eq!(reader.read_i16_le().await.unwrap(), -2);
    });
}

/// A writer that is closed: it accepts nothing.
struct Closed;

impl AsyncWrite for Closed {
    fn poll_write(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        _buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Poll::Ready(Ok(0))
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

#[test]
fn writers_that_accept_nothing_give_write_zero() {
    block_on(async {
        let mut closed = Closed;
        assert_eq!(
            closed.write_u32(1).await.unwrap_err().kind(),
            ErrorKind::WriteZero
        );
        let mut src: &[u8] = b"data";
        assert_eq!(
            closed.write_all_buf(&mut src).await.unwrap_err().kind(),
            ErrorKind::WriteZero
        );
        assert_eq!(src, b"data", "nothing was consumed");
    });
}
