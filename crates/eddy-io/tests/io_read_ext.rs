//! `AsyncReadExt`: reads of every shape, over whole and trickling readers.

mod support;

use eddy_io::{AsyncReadExt, AsyncWriteExt, ReadBuf};
use eddy_test_support::executor::block_on;
use eddy_test_support::waker::with_noop_context;
use std::io::ErrorKind;
use std::pin::Pin;
use support::{pattern, Trickle};

#[test]
fn read_returns_what_is_available() {
    block_on(async {
        let mut reader: &[u8] = b"hello";
        let mut buf = [0u8; 3];
        assert_eq!(reader.read(&mut buf).await.unwrap(), 3);
        assert_eq!(&buf, b"hel");
        assert_eq!(reader.read(&mut buf).await.unwrap(), 2);
        assert_eq!(reader.read(&mut buf).await.unwrap(), 0, "end of file");
        assert_eq!(reader.read(&mut []).await.unwrap(), 0, "empty buffer");
    });
}

#[test]
fn read_exact_collects_partial_reads() {
    block_on(async {
        let data = pattern(100);
        let mut reader = Trickle::new(&data[..]);
        let mut buf = [0u8; 64];
        assert_eq!(reader.read_exact(&mut buf).await.unwrap(), 64);
        assert_eq!(&buf[..], &data[..64]);
    });
}

#[test]
fn read_exact_hitting_end_of_file_is_unexpected_eof() {
    block_on(async {
        let mut reader = Trickle::new(&b"short"[..]);
        let mut buf = [0u8; 10];
        let error = reader.read_exact(&mut buf).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::UnexpectedEof);
        assert_eq!(
            &buf[..5],
            b"short",
            "the bytes that did arrive are in the buffer"
        );
    });
}

#[test]
fn read_to_end_appends_and_counts() {
    block_on(async {
        let data = pattern(20_000);
        let mut out = b"prefix".to_vec();
        let mut reader = &data[..];
        assert_eq!(reader.read_to_end(&mut out).await.unwrap(), data.len());
        assert_eq!(&out[..6], b"prefix");
        assert_eq!(&out[6..], &data[..]);

        let mut out = Vec::new();
        let mut slow = Trickle::new(&data[..300]);
        assert_eq!(slow.read_to_end(&mut out).await.unwrap(), 300);
        assert_eq!(out, &data[..300]);
    });
}

#[test]
fn read_to_string_validates_utf8_and_keeps_the_original_on_error() {
    block_on(async {
        let mut text = String::from("é: ");
        let mut reader = Trickle::new("ünïcödé".as_bytes());
        let n = reader.read_to_string(&mut text).await.unwrap();
        assert_eq!(n, "ünïcödé".len());
        assert_eq!(text, "é: ünïcödé");

        let mut text = String::from("kept");
        let mut reader: &[u8] = &[b'o', b'k', 0xff, 0xfe];
        let error = reader.read_to_string(&mut text).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidData);
        assert_eq!(text, "kept");
    });
}

#[test]
fn dropped_read_to_string_keeps_complete_characters() {
    use std::future::Future;
    let mut text = String::from("a");
    {
        // "é" is two bytes. The trickle reader answers `Pending` every other call, so each
        // poll of the future reads one byte: after three polls it holds "b" and half of "é".
        let mut reader = Trickle::new("bé".as_bytes());
        let mut future = std::pin::pin!(reader.read_to_string(&mut text));
        with_noop_context(|cx| {
            for _ in 0..3 {
                assert!(future.as_mut().poll(cx).is_pending());
            }
        });
    }
    assert_eq!(
        text, "ab",
        "the completed character stays; the half character is dropped"
    );
}

#[test]
fn read_buf_grows_a_vector() {
    block_on(async {
        let data = pattern(1000);
        let mut reader = &data[..];
        let mut out = Vec::new();
        let n = reader.read_buf(&mut out).await.unwrap();
        assert!(n > 0, "an empty vector reserves room");
        assert_eq!(out, &data[..n]);
        while reader.read_buf(&mut out).await.unwrap() > 0 {}
        assert_eq!(out, data);
    });
}

#[test]
fn numbers_round_trip_in_both_byte_orders() {
    block_on(async {
        let (mut a, mut b) = eddy_io::duplex(7);
        let writer = std::thread::spawn(move || {
            block_on(async move {
                a.write_u8(0xab).await?;
                a.write_i8(-2).await?;
                a.write_u16(0x0102).await?;
                a.write_i16(-3).await?;
                a.write_u32(0x0102_0304).await?;
                a.write_i32(-4).await?;
                a.write_u64(0x0102_0304_0506_0708).await?;
                a.write_i64(-5).await?;
                a.write_u128(u128::MAX - 6).await?;
                a.write_i128(i128::MIN + 7).await?;
                a.write_f32(1.5).await?;
                a.write_f64(-2.25).await?;
                a.write_u16_le(0x0102).await?;
                a.write_i16_le(-3).await?;
                a.write_u32_le(0x0102_0304).await?;
                a.write_i32_le(-4).await?;
                a.write_u64_le(0x0102_0304_0506_0708).await?;
                a.write_i64_le(-5).await?;
                a.write_u128_le(u128::MAX - 6).await?;
                a.write_i128_le(i128::MIN + 7).await?;
                a.write_f32_le(1.5).await?;
                a.write_f64_le(-2.25).await?;
                std::io::Result::Ok(())
            })
        });
        assert_eq!(b.read_u8().await.unwrap(), 0xab);
        assert_eq!(b.read_i8().await.unwrap(), -2);
        assert_eq!(b.read_u16().await.unwrap(), 0x0102);
        assert_eq!(b.read_i16().await.unwrap(), -3);
        assert_eq!(b.read_u32().await.unwrap(), 0x0102_0304);
        assert_eq!(b.read_i32().await.unwrap(), -4);
        assert_eq!(b.read_u64().await.unwrap(), 0x0102_0304_0506_0708);
        assert_eq!(b.read_i64().await.unwrap(), -5);
        assert_eq!(b.read_u128().await.unwrap(), u128::MAX - 6);
        assert_eq!(b.read_i128().await.unwrap(), i128::MIN + 7);
        assert_eq!(b.read_f32().await.unwrap(), 1.5);
        assert_eq!(b.read_f64().await.unwrap(), -2.25);
        assert_eq!(b.read_u16_le().await.unwrap(), 0x0102);
        assert_eq!(b.read_i16_le().await.unwrap(), -3);
        assert_eq!(b.read_u32_le().await.unwrap(), 0x0102_0304);
        assert_eq!(b.read_i32_le().await.unwrap(), -4);
        assert_eq!(b.read_u64_le().await.unwrap(), 0x0102_0304_0506_0708);
        assert_eq!(b.read_i64_le().await.unwrap(), -5);
        assert_eq!(b.read_u128_le().await.unwrap(), u128::MAX - 6);
        assert_eq!(b.read_i128_le().await.unwrap(), i128::MIN + 7);
        assert_eq!(b.read_f32_le().await.unwrap(), 1.5);
        assert_eq!(b.read_f64_le().await.unwrap(), -2.25);
        writer.join().unwrap().unwrap();
        let mut rest = Vec::new();
        assert_eq!(
            b.read_to_end(&mut rest).await.unwrap(),
            0,
            "nothing extra was sent"
        );
    });
}

#[test]
fn numbers_use_the_documented_byte_order() {
    block_on(async {
        let mut reader: &[u8] = &[1, 2, 1, 2, 0, 0, 0x80, 0x3f];
        assert_eq!(reader.read_u16().await.unwrap(), 0x0102);
        assert_eq!(reader.read_u16_le().await.unwrap(), 0x0201);
        assert_eq!(reader.read_f32_le().await.unwrap(), 1.0);

        let mut out = Vec::new();
        out.write_u32(0x0a0b_0c0d).await.unwrap();
        out.write_u32_le(0x0a0b_0c0d).await.unwrap();
        assert_eq!(out, [0x0a, 0x0b, 0x0c, 0x0d, 0x0d, 0x0c, 0x0b, 0x0a]);
    });
}

#[test]
fn numbers_cut_short_are_unexpected_eof() {
    block_on(async {
        let mut reader = Trickle::new(&[1u8, 2, 3][..]);
        let error = reader.read_u32().await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::UnexpectedEof);
        let mut empty: &[u8] = &[];
        assert_eq!(
            empty.read_u8().await.unwrap_err().kind(),
            ErrorKind::UnexpectedEof
        );
    });
}

#[test]
fn take_stops_at_the_limit() {
    block_on(async {
        let data = pattern(50);
        let mut taken = (&data[..]).take(20);
        let mut out = Vec::new();
        taken.read_to_end(&mut out).await.unwrap();
        assert_eq!(out, &data[..20]);
        assert_eq!(taken.limit(), 0);
        taken.set_limit(5);
        let mut buf = [0u8; 10];
        assert_eq!(taken.read(&mut buf).await.unwrap(), 5);
        assert_eq!(&buf[..5], &data[20..25]);
        assert_eq!(taken.into_inner(), &data[25..]);
    });
}

#[test]
fn take_over_an_uninitialized_buffer() {
    use std::mem::MaybeUninit;
    let data = pattern(10);
    let mut taken = (&data[..]).take(4);
    let mut storage = [MaybeUninit::<u8>::uninit(); 8];
    let mut buf = ReadBuf::uninit(&mut storage);
    with_noop_context(|cx| {
        let polled = eddy_io::AsyncRead::poll_read(Pin::new(&mut taken), cx, &mut buf);
        assert!(polled.is_ready());
    });
    assert_eq!(buf.filled(), &data[..4]);
}

#[test]
fn chain_reads_the_second_after_the_first() {
    block_on(async {
        let mut chained = Trickle::new(&b"abc"[..]).chain(&b"def"[..]);
        let mut out = String::new();
        chained.read_to_string(&mut out).await.unwrap();
        assert_eq!(out, "abcdef");
        let (first, second) = chained.into_inner();
        assert!(first.into_inner().is_empty());
        assert!(second.is_empty());
    });
}
