//! `copy`, `copy_buf` and `copy_bidirectional`: every byte arrives, ends propagate, the budget
//! is respected.

mod support;

use eddy_io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader, ReadBuf};
use eddy_test_support::executor::block_on;
use eddy_test_support::waker::with_noop_context;
use std::future::Future;
use std::io::{self, ErrorKind};
use std::pin::{pin, Pin};
use std::task::{Context, Poll};
use std::thread;
use support::{pattern, Recorder, Trickle};

#[test]
fn copy_moves_everything_and_flushes() {
    block_on(async {
        let data = pattern(50_000);
        let mut reader = &data[..];
        let mut writer = Recorder::new(Vec::new());
        let n = eddy_io::copy(&mut reader, &mut writer).await.unwrap();
        assert_eq!(n, data.len() as u64);
        assert_eq!(writer.inner, data);
        assert!(writer.flushes >= 1, "the writer was flushed at the end");
    });
}

#[test]
fn copy_between_trickling_ends() {
    block_on(async {
        let data = pattern(2_000);
        let mut reader = Trickle::new(&data[..]);
        let mut writer = Trickle::new(Vec::new());
        let n = eddy_io::copy(&mut reader, &mut writer).await.unwrap();
        assert_eq!(n, 2_000);
        assert_eq!(writer.into_inner(), data);
    });
}

#[test]
fn copy_into_a_closed_writer_is_an_error() {
    block_on(async {
        let (mut a, b) = eddy_io::duplex(8);
        drop(b);
        let mut reader = &b"some data"[..];
        let error = eddy_io::copy(&mut reader, &mut a).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::BrokenPipe);
    });
}

#[test]
fn copy_buf_writes_from_the_readers_buffer() {
    block_on(async {
        let data = pattern(10_000);
        let mut reader = BufReader::with_capacity(100, Trickle::new(&data[..]));
        let mut writer = Vec::new();
        let n = eddy_io::copy_buf(&mut reader, &mut writer).await.unwrap();
        assert_eq!(n, 10_000);
        assert_eq!(writer, data);
    });
}

#[test]
fn copy_yields_when_the_budget_is_spent() {
    // `repeat` and `sink` are always ready, so only the budget makes the copy yield.
    let mut reader = eddy_io::repeat(7).take(10 << 20);
    let mut writer = eddy_io::sink();
    let mut copy = pin!(eddy_io::copy(&mut reader, &mut writer));
    let mut polls = 0;
    let copied = loop {
        polls += 1;
        let polled = with_noop_context(|cx| eddy_core::coop::budget(|| copy.as_mut().poll(cx)));
        if let std::task::Poll::Ready(result) = polled {
            break result.unwrap();
        }
    };
    assert_eq!(copied, 10 << 20);
    assert!(polls > 1, "the copy gave the thread back at least once");
}

#[test]
fn copy_bidirectional_proxies_and_propagates_shutdown() {
    // client <-> (proxy_client_side | proxy_server_side) <-> server
    let (mut client, mut proxy_client_side) = eddy_io::duplex(64);
    let (mut proxy_server_side, mut server) = eddy_io::duplex(64);
    let request = pattern(20_000);
    let response = pattern(30_000);

    let proxy = thread::spawn(move || {
        block_on(eddy_io::copy_bidirectional(
            &mut proxy_client_side,
            &mut proxy_server_side,
        ))
    });
    let expected_request = request.clone();
    let server_response = response.clone();
    let server = thread::spawn(move || {
        block_on(async move {
            let mut got = Vec::new();
            // Ends only if the client's shutdown travelled through the proxy.
            server.read_to_end(&mut got).await.unwrap();
            assert_eq!(got, expected_request);
            server.write_all(&server_response).await.unwrap();
            server.shutdown().await.unwrap();
        })
    });
    block_on(async {
        client.write_all(&request).await.unwrap();
        client.shutdown().await.unwrap();
        let mut got = Vec::new();
        client.read_to_end(&mut got).await.unwrap();
        assert_eq!(got, response);
    });
    server.join().unwrap();
    let (a_to_b, b_to_a) = proxy.join().unwrap().unwrap();
    assert_eq!((a_to_b, b_to_a), (20_000, 30_000));
}

#[test]
fn copy_bidirectional_with_small_buffers() {
    let (mut left, mut proxy_left) = eddy_io::duplex(3);
    let (mut proxy_right, mut right) = eddy_io::duplex(5);
    let proxy = thread::spawn(move || {
        block_on(eddy_io::copy_bidirectional_with_sizes(
            &mut proxy_left,
            &mut proxy_right,
            1,
            2,
        ))
    });
    // With buffers this small neither side may write everything before reading (that would
    // deadlock over any transport), so the right side answers only after the left side's end.
    let right_side = thread::spawn(move || {
        block_on(async move {
            let mut got = String::new();
            right.read_to_string(&mut got).await.unwrap();
            right.write_all(b"from the right").await.unwrap();
            right.shutdown().await.unwrap();
            got
        })
    });
    block_on(async {
        left.write_all(b"from the left").await.unwrap();
        left.shutdown().await.unwrap();
        let mut got = String::new();
        left.read_to_string(&mut got).await.unwrap();
        assert_eq!(got, "from the right");
    });
    assert_eq!(right_side.join().unwrap(), "from the left");
    assert_eq!(proxy.join().unwrap().unwrap(), (13, 14));
}

#[test]
fn copy_bidirectional_reports_a_broken_side() {
    block_on(async {
        let (mut a, a_peer) = eddy_io::duplex(8);
        let (mut b, b_peer) = eddy_io::duplex(8);
        drop(b_peer);
        // `a`'s peer sends data that can no longer be delivered to `b`.
        let mut a_peer = a_peer;
        a_peer.write_all(b"lost").await.unwrap();
        let error = eddy_io::copy_bidirectional(&mut a, &mut b)
            .await
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::BrokenPipe);
    });
}

#[test]
fn copy_flushes_a_buffered_writer_while_the_reader_waits() {
    // The client waits for its bytes to come back before it sends more (or ends), so the copy
    // must flush its `BufWriter` as soon as the reader has nothing for now.
    let (mut client_out, mut source) = eddy_io::duplex(64);
    let (sink_side, mut client_in) = eddy_io::duplex(64);
    let client = thread::spawn(move || {
        block_on(async move {
            for message in [&b"ping"[..], b"pong"] {
                client_out.write_all(message).await.unwrap();
                let mut back = [0u8; 4];
                client_in.read_exact(&mut back).await.unwrap();
                assert_eq!(&back, message);
            }
            client_out.shutdown().await.unwrap();
        })
    });
    let mut writer = eddy_io::BufWriter::new(sink_side);
    let copied = block_on(eddy_io::copy(&mut source, &mut writer)).unwrap();
    assert_eq!(copied, 8);
    client.join().unwrap();
}

#[test]
fn copy_buf_flushes_a_buffered_writer_while_the_reader_waits() {
    // The same loop as above through `copy_buf`: without the flush the echo never comes back
    // and both threads wait forever.
    let (mut client_out, source) = eddy_io::duplex(64);
    let (sink_side, mut client_in) = eddy_io::duplex(64);
    let client = thread::spawn(move || {
        block_on(async move {
            for message in [&b"ping"[..], b"pong"] {
                client_out.write_all(message).await.unwrap();
                let mut back = [0u8; 4];
                client_in.read_exact(&mut back).await.unwrap();
                assert_eq!(&back, message);
            }
            client_out.shutdown().await.unwrap();
        })
    });
    let mut reader = BufReader::new(source);
    let mut writer = eddy_io::BufWriter::new(sink_side);
    let copied = block_on(eddy_io::copy_buf(&mut reader, &mut writer)).unwrap();
    assert_eq!(copied, 8);
    client.join().unwrap();
}

#[test]
fn copy_reads_ahead_while_the_writer_is_busy() {
    let data = pattern(1_224);
    let (mut source_tx, mut source_rx) = eddy_io::duplex(1_024);
    let (mut sink_tx, mut sink_rx) = eddy_io::duplex(16);
    let write_now = |tx: &mut eddy_io::DuplexStream, bytes: &[u8]| {
        with_noop_context(|cx| match Pin::new(tx).poll_write(cx, bytes) {
            Poll::Ready(Ok(n)) => n,
            other => panic!("the source pipe should take bytes at once: {other:?}"),
        })
    };
    assert_eq!(write_now(&mut source_tx, &data[..100]), 100);
    let mut copy = pin!(eddy_io::copy(&mut source_rx, &mut sink_tx));
    let polled = with_noop_context(|cx| copy.as_mut().poll(cx));
    assert!(
        polled.is_pending(),
        "the sink holds 16 bytes and nobody reads it"
    );
    assert_eq!(write_now(&mut source_tx, &data[100..200]), 100);
    let polled = with_noop_context(|cx| copy.as_mut().poll(cx));
    assert!(polled.is_pending(), "the sink is still full");
    // The copy took those 100 bytes while its writer was stuck, so the source pipe is empty
    // again and takes a whole pipe's worth.
    assert_eq!(write_now(&mut source_tx, &data[200..]), 1_024);

    let consumer = thread::spawn(move || {
        block_on(async move {
            let mut got = vec![0u8; 1_224];
            sink_rx.read_exact(&mut got).await.unwrap();
            got
        })
    });
    block_on(source_tx.shutdown()).unwrap();
    assert_eq!(block_on(copy).unwrap(), 1_224);
    assert_eq!(consumer.join().unwrap(), data);
}

#[test]
fn copy_from_a_fast_reader_into_a_slow_writer_keeps_every_byte_in_order() {
    // The reader hands over all it can at once; the writer takes one byte every other poll. The
    // copy reads ahead while the writer waits, moving pending bytes to the front of its buffer
    // again and again.
    block_on(async {
        let data = pattern(40_000);
        let mut reader = &data[..];
        let mut writer = Trickle::new(Vec::new());
        let n = eddy_io::copy(&mut reader, &mut writer).await.unwrap();
        assert_eq!(n, 40_000);
        assert_eq!(writer.into_inner(), data);
    });
}

#[test]
fn copy_between_threads_with_a_slow_consumer_keeps_every_byte_in_order() {
    let data = pattern(100_000);
    let (mut producer, mut proxy_in) = eddy_io::duplex(4_096);
    let (mut proxy_out, consumer) = eddy_io::duplex(64);
    let sent = data.clone();
    let producer = thread::spawn(move || {
        block_on(async move {
            producer.write_all(&sent).await.unwrap();
            producer.shutdown().await.unwrap();
        })
    });
    let consumer = thread::spawn(move || {
        block_on(async move {
            // Small reads, every other one answered `Pending`: the slow side.
            let mut slow = BufReader::with_capacity(7, Trickle::new(consumer));
            let mut got = Vec::new();
            slow.read_to_end(&mut got).await.unwrap();
            got
        })
    });
    block_on(async {
        let n = eddy_io::copy(&mut proxy_in, &mut proxy_out).await.unwrap();
        assert_eq!(n, 100_000);
        proxy_out.shutdown().await.unwrap();
    });
    producer.join().unwrap();
    assert_eq!(consumer.join().unwrap(), data);
}

#[test]
fn copy_bidirectional_with_slow_writers_and_small_buffers_keeps_order_both_ways() {
    block_on(async {
        let a_data = pattern(3_000);
        let b_data = pattern(2_000);
        let mut a = eddy_io::join(&a_data[..], Trickle::new(Vec::new()));
        let mut b = eddy_io::join(&b_data[..], Trickle::new(Vec::new()));
        let counts = eddy_io::copy_bidirectional_with_sizes(&mut a, &mut b, 7, 5)
            .await
            .unwrap();
        assert_eq!(counts, (3_000, 2_000));
        assert_eq!(b.writer().get_ref(), &a_data, "a to b");
        assert_eq!(a.writer().get_ref(), &b_data, "b to a");
    });
}

/// Yields its bytes, then fails.
struct FailsAfter<'a> {
    data: &'a [u8],
}

impl AsyncRead for FailsAfter<'_> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        if self.data.is_empty() {
            return Poll::Ready(Err(io::Error::new(ErrorKind::ConnectionReset, "gone")));
        }
        Pin::new(&mut self.data).poll_read(cx, buf)
    }
}

#[test]
fn copy_writes_what_was_read_before_a_read_error_then_reports_it() {
    block_on(async {
        let data = pattern(3_000);
        let mut reader = FailsAfter { data: &data };
        // The slow writer makes the copy meet the error while reading ahead.
        let mut writer = Trickle::new(Vec::new());
        let error = eddy_io::copy(&mut reader, &mut writer).await.unwrap_err();
        assert_eq!(error.kind(), ErrorKind::ConnectionReset);
        assert_eq!(
            writer.into_inner(),
            data,
            "every byte read before the error"
        );
    });
}
