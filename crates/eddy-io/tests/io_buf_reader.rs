//! `BufReader`: buffering, bypassing, capacity edge cases and seeking.

mod support;

use eddy_io::{AsyncBufReadExt, AsyncReadExt, AsyncSeekExt, AsyncWriteExt, BufReader, SeekFrom};
use eddy_test_support::executor::block_on;
use std::io::Cursor;
use support::{pattern, Recorder, Trickle};

#[test]
fn small_reads_are_served_from_one_inner_read() {
    block_on(async {
        let data = pattern(100);
        let mut reader = BufReader::with_capacity(64, Recorder::new(&data[..]));
        let mut byte = [0u8; 1];
        for expected in &data[..10] {
            assert_eq!(reader.read(&mut byte).await.unwrap(), 1);
            assert_eq!(byte[0], *expected);
        }
        assert_eq!(
            reader.get_ref().reads,
            [64],
            "ten small reads, one inner read"
        );
        assert_eq!(reader.buffer(), &data[10..64]);
    });
}

#[test]
fn large_reads_bypass_an_empty_buffer() {
    block_on(async {
        let data = pattern(100);
        let mut reader = BufReader::with_capacity(16, Recorder::new(&data[..]));
        let mut big = [0u8; 40];
        assert_eq!(reader.read(&mut big).await.unwrap(), 40);
        assert_eq!(&big[..], &data[..40]);
        assert!(reader.buffer().is_empty(), "nothing was buffered");
        // A small read fills the buffer; a big one then drains the buffer first.
        let mut small = [0u8; 2];
        reader.read_exact(&mut small).await.unwrap();
        assert_eq!(reader.buffer().len(), 14);
        assert_eq!(reader.read(&mut big).await.unwrap(), 14);
        assert_eq!(&big[..14], &data[42..56]);
        assert_eq!(reader.get_ref().reads, [40, 16]);
    });
}

#[test]
fn a_zero_capacity_is_refused_at_the_caller() {
    // A zero-sized buffer could only ever report end of file; Tokio 1.54 refuses it.
    for make in [
        (|| drop(BufReader::with_capacity(0, &b"data"[..]))) as fn(),
        || drop(eddy_io::BufStream::with_capacity(0, 8, eddy_io::empty())),
    ] {
        let panic = std::panic::catch_unwind(make).unwrap_err();
        let message = panic.downcast_ref::<&str>().copied().unwrap_or_default();
        assert_eq!(message, "capacity must be greater than zero");
    }
}

#[test]
fn capacity_one_still_reads_lines() {
    block_on(async {
        let mut reader = BufReader::with_capacity(1, Trickle::new(&b"ab\ncd\n"[..]));
        let mut line = String::new();
        assert_eq!(reader.read_line(&mut line).await.unwrap(), 3);
        assert_eq!(reader.read_line(&mut line).await.unwrap(), 3);
        assert_eq!(reader.read_line(&mut line).await.unwrap(), 0);
        assert_eq!(line, "ab\ncd\n");
    });
}

#[test]
fn fill_buf_and_consume() {
    block_on(async {
        let mut reader = BufReader::with_capacity(4, &b"abcdef"[..]);
        assert_eq!(reader.fill_buf().await.unwrap(), b"abcd");
        reader.consume(3);
        assert_eq!(reader.fill_buf().await.unwrap(), b"d");
        reader.consume(1);
        assert_eq!(reader.fill_buf().await.unwrap(), b"ef");
        reader.consume(2);
        assert!(reader.fill_buf().await.unwrap().is_empty());
    });
}

#[test]
fn seeking_accounts_for_buffered_bytes() {
    block_on(async {
        let data = pattern(100);
        let mut reader = BufReader::with_capacity(32, Cursor::new(data.clone()));
        assert_eq!(reader.read_u8().await.unwrap(), data[0]);
        // The inner cursor is at 32, the logical position at 1.
        assert_eq!(reader.stream_position().await.unwrap(), 1);
        assert_eq!(reader.seek(SeekFrom::Current(4)).await.unwrap(), 5);
        assert_eq!(reader.read_u8().await.unwrap(), data[5]);
        assert_eq!(reader.seek(SeekFrom::Start(50)).await.unwrap(), 50);
        assert_eq!(reader.read_u8().await.unwrap(), data[50]);
        assert_eq!(reader.seek(SeekFrom::End(-1)).await.unwrap(), 99);
        assert_eq!(reader.read_u8().await.unwrap(), data[99]);
        assert!(reader.seek(SeekFrom::Current(-1000)).await.is_err());
        assert_eq!(reader.rewind().await.unwrap(), 0);
        assert_eq!(reader.read_u8().await.unwrap(), data[0]);
    });
}

#[test]
fn seeking_back_by_more_than_i64_min_plus_buffer_takes_two_steps() {
    block_on(async {
        let data = pattern(64);
        let mut reader = BufReader::with_capacity(16, Cursor::new(data));
        reader.read_u8().await.unwrap();
        // i64::MIN minus 15 buffered bytes overflows; the reader steps back over the buffer
        // first, and the cursor then rejects the impossible position.
        assert!(reader.seek(SeekFrom::Current(i64::MIN)).await.is_err());
    });
}

#[test]
fn writes_pass_through() {
    block_on(async {
        let (a, mut b) = eddy_io::duplex(64);
        let mut reader = BufReader::new(a);
        reader.write_all(b"through").await.unwrap();
        let mut buf = [0u8; 7];
        b.read_exact(&mut buf).await.unwrap();
        assert_eq!(&buf, b"through");
        let _inner: eddy_io::DuplexStream = reader.into_inner();
    });
}
