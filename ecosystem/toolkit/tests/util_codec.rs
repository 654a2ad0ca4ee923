//! tokio-util's codecs over TCP on eddy: `Framed` with `LinesCodec` and
//! `LengthDelimitedCodec`, and `FramedRead`/`FramedWrite` over the halves of a split stream.

use bytes::{Bytes, BytesMut};
use futures::{SinkExt, StreamExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_util::codec::{
    Framed, FramedRead, FramedWrite, LengthDelimitedCodec, LinesCodec, LinesCodecError,
};

/// A listener on 127.0.0.1 with an OS-chosen port, and a client connected to it.
async fn connected_pair() -> (TcpStream, TcpStream) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (client, accepted) = tokio::join!(TcpStream::connect(address), listener.accept());
    (client.unwrap(), accepted.unwrap().0)
}

async fn line_server(listener: TcpListener) {
    loop {
        let (socket, _) = listener.accept().await.unwrap();
        tokio::spawn(async move {
            let mut lines = Framed::new(socket, LinesCodec::new());
            while let Some(line) = lines.next().await {
                let reply = line.unwrap().to_uppercase();
                lines.send(reply).await.unwrap();
            }
        });
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lines_round_trip_between_several_clients_and_a_server() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let server = tokio::spawn(line_server(listener));
    let clients: Vec<_> = (0..4)
        .map(|client| {
            tokio::spawn(async move {
                let socket = TcpStream::connect(address).await.unwrap();
                let mut lines = Framed::new(socket, LinesCodec::new());
                let mut replies = Vec::new();
                for i in 0..20 {
                    lines
                        .send(format!("client {client} line {i}"))
                        .await
                        .unwrap();
                    replies.push(lines.next().await.unwrap().unwrap());
                }
                replies
            })
        })
        .collect();
    for (client, handle) in clients.into_iter().enumerate() {
        let replies = handle.await.unwrap();
        let expected: Vec<_> = (0..20)
            .map(|i| format!("CLIENT {client} LINE {i}"))
            .collect();
        assert_eq!(replies, expected);
    }
    server.abort();
}

#[tokio::test]
async fn lines_split_across_writes_and_an_unterminated_last_line() {
    let (client, server) = connected_pair().await;
    let writer = tokio::spawn(async move {
        use tokio::io::AsyncWriteExt;
        let mut client = client;
        for chunk in ["hel", "lo\nwor", "ld\r\n\nla", "st"] {
            client.write_all(chunk.as_bytes()).await.unwrap();
            client.flush().await.unwrap();
            tokio::task::yield_now().await;
        }
        // Closing the stream makes the codec hand out the unterminated tail.
    });
    let lines: Vec<String> = FramedRead::new(server, LinesCodec::new())
        .map(Result::unwrap)
        .collect()
        .await;
    writer.await.unwrap();
    assert_eq!(lines, ["hello", "world", "", "last"]);
}

#[tokio::test]
async fn a_line_over_the_limit_is_an_error() {
    let (client, server) = connected_pair().await;
    let mut sender = FramedWrite::new(client, LinesCodec::new());
    sender.send("x".repeat(100)).await.unwrap();
    sender.send("short").await.unwrap();
    drop(sender);
    let mut reader = FramedRead::new(server, LinesCodec::new_with_max_length(16));
    assert!(matches!(
        reader.next().await,
        Some(Err(LinesCodecError::MaxLineLengthExceeded))
    ));
    // After an error the stream ends once; polled again, it reads on (here up to the end of
    // the stream), and the codec has discarded the rest of the long line.
    assert!(reader.next().await.is_none());
    assert_eq!(reader.next().await.unwrap().unwrap(), "short");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn length_delimited_frames_of_every_size_arrive_whole() {
    let (client, server) = connected_pair().await;
    let sizes = [0usize, 1, 7, 1_000, 65_536, 1 << 20];
    let frames: Vec<Bytes> = sizes
        .iter()
        .enumerate()
        .map(|(i, &size)| Bytes::from(vec![i as u8; size]))
        .collect();
    let to_send = frames.clone();
    let sender = tokio::spawn(async move {
        let (_read, write) = client.into_split();
        let mut sink = FramedWrite::new(write, LengthDelimitedCodec::new());
        for frame in to_send {
            sink.send(frame).await.unwrap();
        }
    });
    let (read, _write) = server.into_split();
    let received: Vec<BytesMut> = FramedRead::new(read, LengthDelimitedCodec::new())
        .map(Result::unwrap)
        .collect()
        .await;
    sender.await.unwrap();
    assert_eq!(received.len(), frames.len());
    for (got, sent) in received.iter().zip(&frames) {
        assert_eq!(&got[..], &sent[..]);
    }
}

#[tokio::test]
async fn length_delimited_echo_through_framed() {
    let (client, server) = connected_pair().await;
    let echo = tokio::spawn(async move {
        let mut framed = Framed::new(server, LengthDelimitedCodec::new());
        while let Some(frame) = framed.next().await {
            let mut frame = frame.unwrap();
            frame.reverse();
            framed.send(frame.freeze()).await.unwrap();
        }
    });
    let mut framed = Framed::new(client, LengthDelimitedCodec::new());
    for message in ["abc", "eddy", "length delimited"] {
        framed.send(Bytes::from(message)).await.unwrap();
        let reply = framed.next().await.unwrap().unwrap();
        let expected: String = message.chars().rev().collect();
        assert_eq!(&reply[..], expected.as_bytes());
    }
    drop(framed);
    echo.await.unwrap();
}

#[tokio::test]
async fn length_delimited_rejects_a_frame_over_the_limit() {
    let (client, server) = connected_pair().await;
    let mut sink = FramedWrite::new(client, LengthDelimitedCodec::new());
    sink.send(Bytes::from(vec![0u8; 2048])).await.unwrap();
    let codec = LengthDelimitedCodec::builder()
        .max_frame_length(1024)
        .new_codec();
    let mut reader = FramedRead::new(server, codec);
    let error = reader.next().await.unwrap().unwrap_err();
    assert_eq!(error.kind(), std::io::ErrorKind::InvalidData);
}
