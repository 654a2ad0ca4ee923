//! tokio-util's I/O adapters on eddy: `simplex` (which spends the task budget through
//! `tokio::task::coop`), `ReaderStream`/`StreamReader` and `SyncIoBridge` over TCP,
//! `UdpFramed` over UDP, and the futures-io `compat` layer.

use bytes::Bytes;
use futures::{SinkExt, StreamExt};
use std::io::{Read, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream, UdpSocket};
use tokio_util::codec::BytesCodec;
use tokio_util::compat::{FuturesAsyncReadCompatExt, TokioAsyncReadCompatExt};
use tokio_util::io::{simplex, ReaderStream, StreamReader, SyncIoBridge};
use tokio_util::udp::UdpFramed;

async fn connected_pair() -> (TcpStream, TcpStream) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (client, accepted) = tokio::join!(TcpStream::connect(address), listener.accept());
    (client.unwrap(), accepted.unwrap().0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn simplex_carries_bytes_between_tasks_in_order() {
    let (mut sender, mut receiver) = simplex::new(64);
    let writer = tokio::spawn(async move {
        for chunk in 0..100u8 {
            sender.write_all(&[chunk; 37]).await.unwrap();
        }
        sender.shutdown().await.unwrap();
    });
    let mut received = Vec::new();
    receiver.read_to_end(&mut received).await.unwrap();
    writer.await.unwrap();
    let expected: Vec<u8> = (0..100u8).flat_map(|chunk| [chunk; 37]).collect();
    assert_eq!(received, expected);
}

/// A loop over a simplex pair is always ready; only the budget tokio-util spends through
/// `tokio::task::coop::poll_proceed` lets the other task of a one-thread runtime run.
#[tokio::test]
async fn simplex_spends_the_task_budget_so_a_busy_loop_yields() {
    let stop = Arc::new(AtomicBool::new(false));
    let busy = tokio::spawn({
        let stop = stop.clone();
        async move {
            let (mut sender, mut receiver) = simplex::new(16);
            let mut rounds = 0u64;
            let mut byte = [0u8; 1];
            while !stop.load(Ordering::SeqCst) {
                sender.write_all(b"x").await.unwrap();
                receiver.read_exact(&mut byte).await.unwrap();
                rounds += 1;
            }
            rounds
        }
    });
    let stopper = tokio::spawn(async move { stop.store(true, Ordering::SeqCst) });
    stopper.await.unwrap();
    assert!(busy.await.unwrap() > 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reader_stream_and_stream_reader_over_tcp() {
    let (client, server) = connected_pair().await;
    let payload: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    let sent = payload.clone();
    let writer = tokio::spawn(async move {
        // The bytes go out as a stream of chunks through `StreamReader`.
        let chunks = futures::stream::iter(
            sent.chunks(4096)
                .map(|chunk| Ok::<_, std::io::Error>(Bytes::copy_from_slice(chunk)))
                .collect::<Vec<_>>(),
        );
        let mut reader = StreamReader::new(chunks);
        let mut client = client;
        tokio::io::copy(&mut reader, &mut client).await.unwrap();
    });
    let chunks: Vec<Bytes> = ReaderStream::new(server)
        .map(Result::unwrap)
        .collect()
        .await;
    writer.await.unwrap();
    assert!(chunks.iter().all(|chunk| !chunk.is_empty()));
    assert_eq!(chunks.concat(), payload);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_io_bridge_lets_blocking_code_use_a_socket() {
    let (client, server) = connected_pair().await;
    let blocking = tokio::task::spawn_blocking(move || {
        let mut bridge = SyncIoBridge::new(client);
        bridge.write_all(b"ping from a blocking thread").unwrap();
        bridge.flush().unwrap();
        bridge.shutdown().unwrap();
        let mut reply = String::new();
        bridge.read_to_string(&mut reply).unwrap();
        reply
    });
    let mut server = server;
    let mut request = String::new();
    server.read_to_string(&mut request).await.unwrap();
    assert_eq!(request, "ping from a blocking thread");
    server.write_all(b"pong").await.unwrap();
    drop(server);
    assert_eq!(blocking.await.unwrap(), "pong");
}

#[tokio::test]
async fn udp_framed_sends_and_receives_datagrams() {
    let a = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let b = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let (a_address, b_address) = (a.local_addr().unwrap(), b.local_addr().unwrap());
    let mut a = UdpFramed::new(a, BytesCodec::new());
    let mut b = UdpFramed::new(b, BytesCodec::new());
    for message in ["one", "two", "three"] {
        a.send((Bytes::from(message), b_address)).await.unwrap();
        let (datagram, from) = b.next().await.unwrap().unwrap();
        assert_eq!(&datagram[..], message.as_bytes());
        assert_eq!(from, a_address);
        b.send((datagram.freeze(), from)).await.unwrap();
        let (echo, _) = a.next().await.unwrap().unwrap();
        assert_eq!(&echo[..], message.as_bytes());
    }
}

#[tokio::test]
async fn compat_turns_a_tcp_stream_into_a_futures_io_stream_and_back() {
    use futures::io::AsyncWriteExt as _;
    let (client, server) = connected_pair().await;
    let mut client = client.compat();
    client.write_all(b"through futures-io").await.unwrap();
    client.close().await.unwrap();
    // And back: the futures-io stream read through tokio's traits again.
    let mut server = server.compat().compat();
    let mut received = String::new();
    server.read_to_string(&mut received).await.unwrap();
    assert_eq!(received, "through futures-io");
}
