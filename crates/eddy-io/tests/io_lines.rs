//! Lines, segments, `read_line` and `read_until`, including cancellation and the `Stream` impls.

mod support;

use eddy_io::{AsyncBufReadExt, BufReader};
use eddy_test_support::executor::block_on;
use eddy_test_support::waker::with_noop_context;
use futures_core::Stream;
use std::future::{poll_fn, Future};
use std::io::ErrorKind;
use std::pin::pin;
use support::Trickle;

#[test]
fn lines_strip_both_endings_and_keep_a_last_partial_line() {
    block_on(async {
        let mut lines = BufReader::new(&b"unix\nwindows\r\n\nlast"[..]).lines();
        let mut seen = Vec::new();
        while let Some(line) = lines.next_line().await.unwrap() {
            seen.push(line);
        }
        assert_eq!(seen, ["unix", "windows", "", "last"]);
        assert_eq!(lines.next_line().await.unwrap(), None, "end of file stays");
    });
}

#[test]
fn a_line_of_invalid_utf8_is_an_error_and_reading_goes_on() {
    block_on(async {
        let mut lines = (&b"ok\n\xff\xfe\nafter\n"[..]).lines();
        assert_eq!(lines.next_line().await.unwrap().as_deref(), Some("ok"));
        let error = lines.next_line().await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidData);
        assert_eq!(lines.next_line().await.unwrap().as_deref(), Some("after"));
    });
}

#[test]
fn next_line_is_cancel_safe() {
    let mut lines = BufReader::with_capacity(2, Trickle::new(&b"hello\nworld\n"[..])).lines();
    with_noop_context(|cx| {
        // Start a line, then give up on the future halfway through it.
        let mut future = pin!(lines.next_line());
        for _ in 0..3 {
            assert!(future.as_mut().poll(cx).is_pending());
        }
    });
    block_on(async {
        assert_eq!(lines.next_line().await.unwrap().as_deref(), Some("hello"));
        assert_eq!(lines.next_line().await.unwrap().as_deref(), Some("world"));
        assert_eq!(lines.next_line().await.unwrap(), None);
    });
}

#[test]
fn lines_and_split_are_streams() {
    block_on(async {
        let mut lines = pin!((&b"a\nb\n"[..]).lines());
        let mut seen = Vec::new();
        while let Some(line) = poll_fn(|cx| lines.as_mut().poll_next(cx)).await {
            seen.push(line.unwrap());
        }
        assert_eq!(seen, ["a", "b"]);

        let mut segments = pin!(AsyncBufReadExt::split(&b"1,22,,333"[..], b','));
        let mut seen = Vec::new();
        while let Some(segment) = poll_fn(|cx| segments.as_mut().poll_next(cx)).await {
            seen.push(segment.unwrap());
        }
        assert_eq!(seen, [&b"1"[..], b"22", b"", b"333"]);
    });
}

#[test]
fn next_segment_over_a_trickling_reader() {
    block_on(async {
        let reader = BufReader::with_capacity(3, Trickle::new(&b"ab|cde|"[..]));
        let mut segments = reader.split(b'|');
        assert_eq!(segments.next_segment().await.unwrap().unwrap(), b"ab");
        assert_eq!(segments.next_segment().await.unwrap().unwrap(), b"cde");
        assert_eq!(segments.next_segment().await.unwrap(), None);
    });
}

#[test]
fn read_until_keeps_the_delimiter_and_appends() {
    block_on(async {
        let mut reader = Trickle::new(&b"key=value;rest"[..]);
        let mut reader = BufReader::with_capacity(4, &mut reader);
        let mut buf = b">".to_vec();
        assert_eq!(reader.read_until(b'=', &mut buf).await.unwrap(), 4);
        assert_eq!(reader.read_until(b';', &mut buf).await.unwrap(), 6);
        assert_eq!(reader.read_until(b';', &mut buf).await.unwrap(), 4);
        assert_eq!(reader.read_until(b';', &mut buf).await.unwrap(), 0);
        assert_eq!(buf, b">key=value;rest");
    });
}

#[test]
fn read_until_keeps_partial_data_when_cancelled() {
    let mut reader = BufReader::with_capacity(1, Trickle::new(&b"abc\n"[..]));
    let mut buf = Vec::new();
    with_noop_context(|cx| {
        let mut future = pin!(reader.read_until(b'\n', &mut buf));
        for _ in 0..2 {
            assert!(future.as_mut().poll(cx).is_pending());
        }
    });
    assert_eq!(buf, b"a", "what was read is in the buffer");
    block_on(async {
        reader.read_until(b'\n', &mut buf).await.unwrap();
    });
    assert_eq!(buf, b"abc\n");
}

#[test]
fn read_line_appends_and_rejects_invalid_utf8() {
    block_on(async {
        let mut reader = &b"first\nsecond\n\xc3\n"[..];
        let mut line = String::from("> ");
        assert_eq!(reader.read_line(&mut line).await.unwrap(), 6);
        assert_eq!(reader.read_line(&mut line).await.unwrap(), 7);
        assert_eq!(line, "> first\nsecond\n");
        let error = reader.read_line(&mut line).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidData);
        assert_eq!(line, "> first\nsecond\n", "the string is unchanged");
        assert_eq!(reader.read_line(&mut line).await.unwrap(), 0);
    });
}

#[test]
fn lines_accessors() {
    let mut lines = (&b"x\ny"[..]).lines();
    assert_eq!(*lines.get_ref(), b"x\ny");
    let _ = lines.get_mut();
    assert_eq!(lines.into_inner(), b"x\ny");
}
