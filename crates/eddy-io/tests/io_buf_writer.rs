//! `BufWriter` and `BufStream`: buffering, bypassing, ordering, capacity edge cases.

mod support;

use eddy_io::{
    AsyncBufReadExt, AsyncReadExt, AsyncSeekExt, AsyncWriteExt, BufReader, BufStream, BufWriter,
    SeekFrom,
};
use eddy_test_support::executor::block_on;
use std::io::{Cursor, IoSlice};
use support::{pattern, Recorder, Trickle};

#[test]
fn small_writes_wait_for_flush() {
    block_on(async {
        let mut writer = BufWriter::with_capacity(16, Recorder::new(Vec::new()));
        writer.write_all(b"one ").await.unwrap();
        writer.write_all(b"two").await.unwrap();
        assert!(writer.get_ref().writes.is_empty());
        assert_eq!(writer.buffer(), b"one two");
        writer.flush().await.unwrap();
        assert_eq!(writer.get_ref().writes, [7]);
        assert_eq!(writer.get_ref().flushes, 1);
        assert_eq!(writer.get_ref().inner, b"one two");
    });
}

#[test]
fn a_full_buffer_is_written_before_more_is_buffered() {
    block_on(async {
        let mut writer = BufWriter::with_capacity(8, Recorder::new(Vec::new()));
        writer.write_all(b"12345").await.unwrap();
        writer.write_all(b"6789").await.unwrap();
        assert_eq!(writer.get_ref().writes, [5]);
        assert_eq!(writer.buffer(), b"6789");
    });
}

#[test]
fn large_writes_bypass_the_buffer_after_flushing_it() {
    block_on(async {
        let big = pattern(100);
        let mut writer = BufWriter::with_capacity(16, Recorder::new(Vec::new()));
        writer.write_all(b"head").await.unwrap();
        writer.write_all(&big).await.unwrap();
        assert_eq!(
            writer.get_ref().writes,
            [4, 100],
            "buffer first, then the big write"
        );
        assert!(writer.buffer().is_empty());
        let mut expected = b"head".to_vec();
        expected.extend_from_slice(&big);
        assert_eq!(writer.into_inner().inner, expected);
    });
}

#[test]
fn capacity_zero_writes_everything_through() {
    block_on(async {
        let mut writer = BufWriter::with_capacity(0, Recorder::new(Vec::new()));
        writer.write_all(b"a").await.unwrap();
        writer.write_all(b"bc").await.unwrap();
        assert_eq!(writer.get_ref().writes, [1, 2]);
        assert_eq!(writer.get_ref().inner, b"abc");
    });
}

#[test]
fn capacity_one_buffers_nothing_but_keeps_order() {
    block_on(async {
        let mut writer = BufWriter::with_capacity(1, Trickle::new(Vec::new()));
        for chunk in [&b"x"[..], b"yz", b"", b"w"] {
            writer.write_all(chunk).await.unwrap();
        }
        writer.shutdown().await.unwrap();
        assert_eq!(writer.into_inner().into_inner(), b"xyzw");
    });
}

#[test]
fn a_trickling_inner_writer_gets_every_byte_once_in_order() {
    block_on(async {
        let data = pattern(1000);
        let mut writer = BufWriter::with_capacity(64, Trickle::new(Vec::new()));
        for chunk in data.chunks(7) {
            writer.write_all(chunk).await.unwrap();
        }
        writer.flush().await.unwrap();
        assert_eq!(writer.into_inner().into_inner(), data);
    });
}

#[test]
fn vectored_writes_are_buffered_as_far_as_they_fit() {
    block_on(async {
        let mut writer = BufWriter::with_capacity(8, Recorder::new(Vec::new()));
        assert!(eddy_io::AsyncWrite::is_write_vectored(&writer));
        let small = [IoSlice::new(b"ab"), IoSlice::new(b"cd")];
        assert_eq!(writer.write_vectored(&small).await.unwrap(), 4);
        assert_eq!(writer.buffer(), b"abcd");
        // Ten more bytes do not fit: the buffer is written out, then as much as fits is
        // buffered (the inner writer does not gather, and no single slice fills the buffer).
        let big = [IoSlice::new(b"0123"), IoSlice::new(b"456789")];
        assert_eq!(writer.write_vectored(&big).await.unwrap(), 8);
        assert_eq!(writer.get_ref().writes, [4]);
        assert_eq!(writer.buffer(), b"01234567");
        // A slice as large as the buffer goes straight through after the buffer.
        let huge = [IoSlice::new(b""), IoSlice::new(b"ABCDEFGHIJ")];
        assert_eq!(writer.write_vectored(&huge).await.unwrap(), 10);
        assert_eq!(writer.get_ref().writes, [4, 8, 10]);
        assert_eq!(writer.get_ref().inner, b"abcd01234567ABCDEFGHIJ");
    });
}

#[test]
fn seeking_flushes_first() {
    block_on(async {
        let mut writer = BufWriter::with_capacity(16, Cursor::new(vec![0u8; 8]));
        writer.write_all(b"ab").await.unwrap();
        assert_eq!(
            writer.stream_position().await.unwrap(),
            2,
            "buffered bytes count"
        );
        assert_eq!(writer.seek(SeekFrom::Start(6)).await.unwrap(), 6);
        writer.write_all(b"yz").await.unwrap();
        writer.flush().await.unwrap();
        assert_eq!(writer.get_ref().get_ref(), b"ab\0\0\0\0yz");
    });
}

#[test]
fn dropping_without_flush_loses_only_the_buffer() {
    let mut out = Vec::new();
    block_on(async {
        let mut writer = BufWriter::with_capacity(4, &mut out);
        writer.write_all(b"abcdef").await.unwrap();
        writer.write_all(b"g").await.unwrap();
    });
    assert_eq!(out, b"abcdef", "the unflushed `g` was lost, as documented");
}

#[test]
fn buf_stream_buffers_both_directions() {
    block_on(async {
        let (a, mut b) = eddy_io::duplex(64);
        let mut stream = BufStream::with_capacity(8, 8, a);
        stream.write_all(b"hello\n").await.unwrap();
        let mut probe = [0u8; 1];
        b.write_all(b"line one\nline two\n").await.unwrap();
        let mut line = String::new();
        stream.read_line(&mut line).await.unwrap();
        assert_eq!(line, "line one\n");
        stream.flush().await.unwrap();
        b.read_exact(&mut probe).await.unwrap();
        assert_eq!(&probe, b"h");
        let mut rest = [0u8; 5];
        b.read_exact(&mut rest).await.unwrap();
        assert_eq!(&rest, b"ello\n");
        let _inner = stream.into_inner();
    });
}

#[test]
fn buf_stream_from_the_other_layering() {
    let reader = BufReader::with_capacity(3, Cursor::new(b"xyz".to_vec()));
    let stream = BufStream::from(BufWriter::with_capacity(5, reader));
    assert_eq!(stream.get_ref().get_ref(), b"xyz");
}
