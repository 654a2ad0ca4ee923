//! tokio-tungstenite on eddy: a WebSocket server (`accept_async`, `accept_hdr_async`) and client
//! (`connect_async`) over 127.0.0.1, with echo, control frames, the closing handshake, large
//! messages, ordered server pushes, handshake rejection and many full-duplex clients at once.

use std::net::SocketAddr;

use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::handshake::server::{ErrorResponse, Request, Response};
use tokio_tungstenite::tungstenite::http::{HeaderValue, StatusCode};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::{Error, Message};
use tokio_tungstenite::{accept_async, accept_hdr_async, connect_async};

/// Serves `clients` connections, echoing every text and binary message back; returns how many
/// messages it echoed in all once every client has closed.
async fn echo_server(clients: usize) -> (SocketAddr, JoinHandle<usize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        let mut connections = Vec::new();
        for _ in 0..clients {
            let (stream, _) = listener.accept().await.unwrap();
            connections.push(tokio::spawn(async move {
                let mut ws = accept_async(stream).await.expect("handshake");
                let mut echoed = 0;
                while let Some(message) = ws.next().await {
                    let message = message.expect("a well-formed frame");
                    if message.is_text() || message.is_binary() {
                        ws.send(message).await.unwrap();
                        echoed += 1;
                    }
                }
                echoed
            }));
        }
        let mut total = 0;
        for connection in connections {
            total += connection.await.unwrap();
        }
        total
    });
    (addr, server)
}

/// Text and binary messages come back unchanged, a ping is answered with a pong carrying its
/// payload, and a close started by the client is acknowledged before the stream ends.
async fn echo_and_closing_handshake() {
    let (addr, server) = echo_server(1).await;
    // A host name: `connect_async` resolves it through eddy's `TcpStream::connect`.
    let url = format!("ws://localhost:{}/echo", addr.port());
    let (mut ws, response) = connect_async(url).await.unwrap();
    assert_eq!(response.status(), StatusCode::SWITCHING_PROTOCOLS);

    ws.send(Message::text("hello eddy")).await.unwrap();
    ws.send(Message::binary(vec![0u8, 1, 2, 255]))
        .await
        .unwrap();
    ws.send(Message::Ping(b"are you there".to_vec().into()))
        .await
        .unwrap();
    assert_eq!(
        ws.next().await.unwrap().unwrap(),
        Message::text("hello eddy")
    );
    assert_eq!(
        ws.next().await.unwrap().unwrap(),
        Message::binary(vec![0u8, 1, 2, 255])
    );
    assert_eq!(
        ws.next().await.unwrap().unwrap(),
        Message::Pong(b"are you there".to_vec().into())
    );

    let goodbye = CloseFrame {
        code: CloseCode::Normal,
        reason: "done".into(),
    };
    ws.close(Some(goodbye.clone())).await.unwrap();
    assert_eq!(
        ws.next().await.unwrap().unwrap(),
        Message::Close(Some(goodbye))
    );
    assert!(
        ws.next().await.is_none(),
        "the stream ends after the closing handshake"
    );
    assert_eq!(server.await.unwrap(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn echo_and_closing_handshake_multi_thread() {
    echo_and_closing_handshake().await;
}

#[tokio::test]
async fn echo_and_closing_handshake_current_thread() {
    echo_and_closing_handshake().await;
}

/// A 4 MiB binary message and a 1 MiB text message cross in one piece each, byte for byte,
/// while the server's echo of the first overlaps the client's sending of the second.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn large_messages_round_trip() {
    let (addr, server) = echo_server(1).await;
    let (mut ws, _) = connect_async(format!("ws://{addr}/")).await.unwrap();
    let binary: Vec<u8> = (0..4 << 20).map(|i: u32| (i % 253) as u8).collect();
    let text: String = (0..1 << 20)
        .map(|i: u32| char::from(b'a' + (i % 26) as u8))
        .collect();
    ws.send(Message::binary(binary.clone())).await.unwrap();
    ws.send(Message::text(text.clone())).await.unwrap();
    assert!(ws.next().await.unwrap().unwrap() == Message::binary(binary));
    assert!(ws.next().await.unwrap().unwrap() == Message::text(text));
    ws.close(None).await.unwrap();
    while let Some(message) = ws.next().await {
        assert!(message.unwrap().is_close());
    }
    assert_eq!(server.await.unwrap(), 2);
}

/// The server pushes 200 numbered messages and then closes with its own code and reason: the
/// client sees them all, in order, then the close frame.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_pushes_arrive_in_order_then_close() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        let mut ws = accept_async(stream).await.unwrap();
        for n in 0..200 {
            ws.feed(Message::text(format!("update {n}"))).await.unwrap();
        }
        let finished = CloseFrame {
            code: CloseCode::Library(4000),
            reason: "finished".into(),
        };
        ws.send(Message::Close(Some(finished))).await.unwrap();
        // Wait for the client's acknowledgement, as the closing handshake requires.
        while let Some(message) = ws.next().await {
            assert!(message.unwrap().is_close());
        }
    });

    let (mut ws, _) = connect_async(format!("ws://{addr}/feed")).await.unwrap();
    for n in 0..200 {
        assert_eq!(
            ws.next().await.unwrap().unwrap(),
            Message::text(format!("update {n}"))
        );
    }
    match ws.next().await.unwrap().unwrap() {
        Message::Close(Some(frame)) => {
            assert_eq!(frame.code, CloseCode::Library(4000));
            assert_eq!(frame.reason, "finished");
        }
        other => panic!("expected the close frame, got {other:?}"),
    }
    assert!(ws.next().await.is_none());
    server.await.unwrap();
}

/// Accepts only `/chat` with the right bearer token, and names the room in a response header.
#[allow(clippy::result_large_err)] // the callback's signature is tungstenite's
fn authorize(request: &Request, mut response: Response) -> Result<Response, ErrorResponse> {
    let token = request.headers().get("authorization");
    if request.uri().path() != "/chat" || token != Some(&HeaderValue::from_static("Bearer open")) {
        let mut refusal = ErrorResponse::new(Some("who are you?".into()));
        *refusal.status_mut() = StatusCode::UNAUTHORIZED;
        return Err(refusal);
    }
    response
        .headers_mut()
        .insert("x-room", HeaderValue::from_static("chat"));
    Ok(response)
}

/// `accept_hdr_async` refuses a client without the token with a plain HTTP 401 the client
/// reports as `Error::Http`, and lets one with the token in, adding its own header.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn handshake_callback_rejects_and_accepts() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        let refused = accept_hdr_async(stream, authorize).await;
        assert!(refused.is_err());
        let (stream, _) = listener.accept().await.unwrap();
        let mut ws = accept_hdr_async(stream, authorize)
            .await
            .expect("authorized");
        ws.send(Message::text("welcome")).await.unwrap();
        ws.close(None).await.unwrap();
    });

    match connect_async(format!("ws://{addr}/chat")).await {
        Err(Error::Http(response)) => {
            assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
            assert_eq!(response.body().as_deref(), Some(&b"who are you?"[..]));
        }
        other => panic!("expected an HTTP 401, got {other:?}"),
    }

    let mut request = format!("ws://{addr}/chat").into_client_request().unwrap();
    request
        .headers_mut()
        .insert("authorization", HeaderValue::from_static("Bearer open"));
    let (mut ws, response) = connect_async(request).await.unwrap();
    assert_eq!(response.headers()["x-room"], "chat");
    assert_eq!(ws.next().await.unwrap().unwrap(), Message::text("welcome"));
    server.await.unwrap();
}

/// Ten clients at once, each split into a writer task and a reader task: every client gets
/// exactly its own 50 messages back, in order.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_full_duplex_clients() {
    const CLIENTS: usize = 10;
    const MESSAGES: usize = 50;
    let (addr, server) = echo_server(CLIENTS).await;
    let clients = (0..CLIENTS).map(|client| {
        tokio::spawn(async move {
            let (ws, _) = connect_async(format!("ws://{addr}/")).await.unwrap();
            let (mut sink, mut stream) = ws.split();
            let writer = tokio::spawn(async move {
                for n in 0..MESSAGES {
                    sink.send(Message::text(format!("{client}:{n}")))
                        .await
                        .unwrap();
                }
                sink
            });
            for n in 0..MESSAGES {
                let echoed = stream.next().await.unwrap().unwrap();
                assert_eq!(echoed, Message::text(format!("{client}:{n}")));
            }
            let mut ws = writer.await.unwrap().reunite(stream).unwrap();
            ws.close(None).await.unwrap();
            while let Some(message) = ws.next().await {
                assert!(message.unwrap().is_close());
            }
        })
    });
    futures_util::future::try_join_all(clients).await.unwrap();
    assert_eq!(server.await.unwrap(), CLIENTS * MESSAGES);
}
