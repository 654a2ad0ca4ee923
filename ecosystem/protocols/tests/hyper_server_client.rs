//! hyper 1 with hyper-util on eddy: the `auto` server (HTTP/1.1 and HTTP/2 prior knowledge on
//! one port), the legacy client with its connection pool, streamed bodies, graceful shutdown,
//! automatic error responses and the HTTP/1 header-read timeout on the paused clock.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use ecosystem_protocols::connect_once::ConnectOnce;
use ecosystem_protocols::server::TestServer;
use http_body_util::{BodyExt, Empty, Full, StreamBody};
use hyper::body::{Frame, Incoming};
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode, Version};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, Mutex};

/// Answers with the request's body, its `x-n` header, and the protocol it came over.
async fn echo(req: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    let n = req.headers().get("x-n").cloned();
    let version = format!("{:?}", req.version());
    let body = req
        .into_body()
        .collect()
        .await
        .expect("request body")
        .to_bytes();
    let mut response = Response::builder().header("x-version", version);
    if let Some(n) = n {
        response = response.header("x-n", n);
    }
    Ok(response.body(Full::new(body)).expect("response"))
}

/// A client that can open one connection only, so every answered request went through its pool.
fn pooled_client(http2: bool) -> Client<ConnectOnce<HttpConnector>, Full<Bytes>> {
    let connector = ConnectOnce::new(HttpConnector::new());
    Client::builder(TokioExecutor::new())
        .http2_only(http2)
        .build(connector)
}

fn version(http2: bool) -> Version {
    if http2 {
        Version::HTTP_2
    } else {
        Version::HTTP_11
    }
}

/// Five requests one after another: every one is answered in full, over the one pooled
/// connection.
async fn sequential_requests_reuse_the_pooled_connection(http2: bool) {
    let server = TestServer::start(service_fn(echo)).await;
    let client = pooled_client(http2);
    for n in 0..5 {
        let body = format!("request number {n}");
        let request = Request::post(server.url("/echo"))
            .header("x-n", n)
            .body(Full::from(body.clone()))
            .unwrap();
        let response = client.request(request).await.expect("response");
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.version(), version(http2));
        assert_eq!(response.headers()["x-n"], n.to_string().as_str());
        assert_eq!(
            response.headers()["x-version"],
            format!("{:?}", version(http2)).as_str()
        );
        let received = response.into_body().collect().await.unwrap().to_bytes();
        assert_eq!(received, body.as_bytes());
    }
    assert_eq!(server.connections(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http1_requests_reuse_the_pooled_connection_multi_thread() {
    sequential_requests_reuse_the_pooled_connection(false).await;
}

#[tokio::test]
async fn http1_requests_reuse_the_pooled_connection_current_thread() {
    sequential_requests_reuse_the_pooled_connection(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http2_requests_reuse_the_pooled_connection_multi_thread() {
    sequential_requests_reuse_the_pooled_connection(true).await;
}

#[tokio::test]
async fn http2_requests_reuse_the_pooled_connection_current_thread() {
    sequential_requests_reuse_the_pooled_connection(true).await;
}

/// Twenty requests at once over HTTP/2 are multiplexed on a single connection.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http2_concurrent_requests_share_one_connection() {
    let server = TestServer::start(service_fn(echo)).await;
    let client = pooled_client(true);
    let requests = (0..20).map(|n| {
        let client = client.clone();
        let url = server.url("/echo");
        tokio::spawn(async move {
            let request = Request::post(url)
                .header("x-n", n)
                .body(Full::from(format!("{n}")));
            let response = client.request(request.unwrap()).await.expect("response");
            assert_eq!(response.headers()["x-n"], n.to_string().as_str());
            response.into_body().collect().await.unwrap().to_bytes()
        })
    });
    let bodies: Vec<Bytes> = futures_util::future::try_join_all(requests).await.unwrap();
    for (n, body) in bodies.iter().enumerate() {
        assert_eq!(body, n.to_string().as_bytes());
    }
    assert_eq!(server.connections(), 1);
}

/// With hyper-util's timer set to `TokioTimer`, the pool reads eddy's paused clock: an idle
/// connection is reused ten seconds later, but not once its 30-second idle timeout has passed.
#[tokio::test(start_paused = true)]
async fn http1_pool_idle_timeout_on_the_paused_clock() {
    let server = TestServer::start(service_fn(echo)).await;
    let client = Client::builder(TokioExecutor::new())
        .pool_timer(TokioTimer::new())
        .pool_idle_timeout(Duration::from_secs(30))
        .build_http::<Full<Bytes>>();
    let get = || async {
        let response = client
            .get(server.url("/echo").parse().unwrap())
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        response.into_body().collect().await.unwrap();
    };
    get().await;
    tokio::time::sleep(Duration::from_secs(10)).await;
    get().await;
    assert_eq!(server.connections(), 1, "reused within the idle timeout");
    tokio::time::sleep(Duration::from_secs(31)).await;
    get().await;
    assert_eq!(
        server.connections(),
        2,
        "a fresh connection after the idle timeout"
    );
}

/// A response body produced chunk by chunk: the server sends chunk `i + 1` only after the
/// client has acknowledged chunk `i`, so the whole exchange finishes only if every chunk
/// reaches the client on its own, in order.
async fn chunks_stream_in_lockstep(http2: bool) {
    let (ack_tx, ack_rx) = mpsc::channel::<usize>(1);
    let ack_rx = Arc::new(Mutex::new(ack_rx));
    let service = service_fn(move |_req: Request<Incoming>| {
        let acks = ack_rx.clone();
        async move {
            let (chunk_tx, chunk_rx) = mpsc::channel::<Result<Frame<Bytes>, Infallible>>(1);
            tokio::spawn(async move {
                let mut acks = acks.lock().await;
                for i in 0..5usize {
                    let chunk = Frame::data(Bytes::from(format!("chunk {i};")));
                    chunk_tx.send(Ok(chunk)).await.expect("client went away");
                    assert_eq!(acks.recv().await, Some(i));
                }
            });
            let body = StreamBody::new(tokio_stream::wrappers::ReceiverStream::new(chunk_rx));
            Ok::<_, Infallible>(Response::new(body))
        }
    });
    let server = TestServer::start(service).await;
    let client = Client::builder(TokioExecutor::new())
        .http2_only(http2)
        .build_http::<Full<Bytes>>();
    let response = client
        .get(server.url("/stream").parse().unwrap())
        .await
        .unwrap();
    assert_eq!(response.version(), version(http2));
    let mut body = response.into_body();
    let mut received = Vec::new();
    while let Some(frame) = body.frame().await {
        let data = frame.unwrap().into_data().expect("only data frames");
        if data.is_empty() {
            // HTTP/2 ends the stream with an empty DATA frame carrying END_STREAM.
            continue;
        }
        received.push(String::from_utf8(data.to_vec()).unwrap());
        ack_tx.send(received.len() - 1).await.unwrap();
    }
    assert_eq!(
        received,
        ["chunk 0;", "chunk 1;", "chunk 2;", "chunk 3;", "chunk 4;"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http1_response_chunks_stream_in_order() {
    chunks_stream_in_lockstep(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http2_response_chunks_stream_in_order() {
    chunks_stream_in_lockstep(true).await;
}

#[tokio::test]
async fn http1_response_chunks_stream_in_order_current_thread() {
    chunks_stream_in_lockstep(false).await;
}

/// Graceful shutdown while a request is in flight: the server stops accepting at once, the
/// shutdown waits for the request, the client gets the whole response, and only then does the
/// shutdown finish.
async fn graceful_shutdown_finishes_the_request_in_flight(http2: bool) {
    let (entered_tx, mut entered) = mpsc::channel::<()>(1);
    let (release, release_rx) = mpsc::channel::<()>(1);
    let release_rx = Arc::new(Mutex::new(release_rx));
    let service = service_fn(move |_req: Request<Incoming>| {
        let entered_tx = entered_tx.clone();
        let release_rx = release_rx.clone();
        async move {
            entered_tx.send(()).await.unwrap();
            release_rx.lock().await.recv().await;
            Ok::<_, Infallible>(Response::new(Full::<Bytes>::from(
                "finished after shutdown began",
            )))
        }
    });
    let server = TestServer::start(service).await;
    let addr = server.addr();
    let client = Client::builder(TokioExecutor::new())
        .http2_only(http2)
        .build_http::<Full<Bytes>>();
    let in_flight = tokio::spawn(client.get(server.url("/slow").parse().unwrap()));
    entered.recv().await.unwrap();

    let shutdown = tokio::spawn(server.shutdown());
    for _ in 0..10 {
        tokio::task::yield_now().await;
    }
    assert!(
        !shutdown.is_finished(),
        "shutdown must wait for the request in flight"
    );

    release.send(()).await.unwrap();
    let response = in_flight
        .await
        .unwrap()
        .expect("the in-flight request is answered");
    assert_eq!(response.status(), StatusCode::OK);
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(body, "finished after shutdown began");
    shutdown.await.unwrap();
    let refused = TcpStream::connect(addr)
        .await
        .expect_err("the listener is closed");
    assert_eq!(refused.kind(), std::io::ErrorKind::ConnectionRefused);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http1_graceful_shutdown_finishes_the_request_in_flight() {
    graceful_shutdown_finishes_the_request_in_flight(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http2_graceful_shutdown_finishes_the_request_in_flight() {
    graceful_shutdown_finishes_the_request_in_flight(true).await;
}

#[tokio::test]
async fn http1_graceful_shutdown_finishes_the_request_in_flight_current_thread() {
    graceful_shutdown_finishes_the_request_in_flight(false).await;
}

/// A request line hyper cannot parse gets hyper's automatic `400 Bad Request`, then the
/// connection closes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_request_gets_bad_request() {
    let server = TestServer::start(service_fn(echo)).await;
    let mut stream = TcpStream::connect(server.addr()).await.unwrap();
    stream.write_all(b"NOT A REQUEST\r\n\r\n").await.unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    assert!(
        answer.starts_with("HTTP/1.1 400 Bad Request\r\n"),
        "got {answer:?}"
    );
}

/// With a timer (hyper-util's `TokioTimer`, i.e. eddy's `sleep`) and a header-read timeout,
/// a client that sends half a request head is dropped once the timeout has passed on the paused
/// clock, after a complete request on the same connection was served normally.
#[tokio::test(start_paused = true)]
async fn http1_header_read_timeout_on_the_paused_clock() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(Duration::from_secs(5))
            .serve_connection(TokioIo::new(stream), service_fn(echo))
            .await
    });

    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(b"POST /echo HTTP/1.1\r\nhost: test\r\ncontent-length: 2\r\n\r\nhi")
        .await
        .unwrap();
    let mut head = [0u8; 17];
    stream.read_exact(&mut head).await.unwrap();
    assert_eq!(&head, b"HTTP/1.1 200 OK\r\n");

    let started = tokio::time::Instant::now();
    stream
        .write_all(b"GET /echo HTTP/1.1\r\nhost: te")
        .await
        .unwrap();
    let mut rest = Vec::new();
    stream.read_to_end(&mut rest).await.unwrap();
    let rest = String::from_utf8(rest).unwrap();
    assert!(
        rest.ends_with("hi"),
        "only the first response was written: {rest:?}"
    );
    assert!(started.elapsed() >= Duration::from_secs(5));

    let error = server
        .await
        .unwrap()
        .expect_err("the connection ends in a timeout");
    assert!(error.is_timeout(), "{error:?}");
}

/// A pattern that catches reordered, lost or duplicated bytes.
fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8).collect()
}

/// An 8 MiB body each way: hyper's HTTP/1 framing or HTTP/2 flow control over eddy's partial
/// reads and writes delivers every byte in order.
async fn large_bodies_round_trip(http2: bool) {
    let server = TestServer::start(service_fn(echo)).await;
    let client = pooled_client(http2);
    let body = Bytes::from(pattern(8 << 20));
    let request = Request::post(server.url("/echo"))
        .body(Full::new(body.clone()))
        .unwrap();
    let response = client.request(request).await.unwrap();
    assert_eq!(response.version(), version(http2));
    let received = response.into_body().collect().await.unwrap().to_bytes();
    assert!(
        received == body,
        "the echoed body differs ({} bytes)",
        received.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http1_large_bodies_round_trip() {
    large_bodies_round_trip(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http2_large_bodies_round_trip() {
    large_bodies_round_trip(true).await;
}

/// Many requests with 256 KiB bodies in flight at once, each body tagged with its request's
/// number: over HTTP/2 they share one connection and its flow-control windows, over HTTP/1.1
/// the pool opens a connection per request in flight. Every body comes back whole, to the
/// request that sent it.
async fn many_large_requests_at_once(http2: bool, requests: usize) {
    let server = TestServer::start(service_fn(echo)).await;
    let client = Client::builder(TokioExecutor::new())
        .http2_only(http2)
        .build_http::<Full<Bytes>>();
    let calls = (0..requests).map(|n| {
        let client = client.clone();
        let url = server.url("/echo");
        tokio::spawn(async move {
            let mut body = pattern(256 << 10);
            body[..8].copy_from_slice(&(n as u64).to_be_bytes());
            let body = Bytes::from(body);
            let request = Request::post(url).body(Full::new(body.clone())).unwrap();
            let response = client.request(request).await.unwrap();
            let received = response.into_body().collect().await.unwrap().to_bytes();
            assert!(received == body, "request {n} got another body back");
        })
    });
    futures_util::future::try_join_all(calls).await.unwrap();
    if http2 {
        assert_eq!(server.connections(), 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http2_many_large_requests_at_once() {
    many_large_requests_at_once(true, 64).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http1_many_large_requests_at_once() {
    many_large_requests_at_once(false, 16).await;
}

#[tokio::test]
async fn http2_many_large_requests_at_once_current_thread() {
    many_large_requests_at_once(true, 64).await;
}

/// Echoes one connection until its client shuts down writing, then closes it.
async fn echo_backend() -> std::net::SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut stream, _) = listener.accept().await.unwrap();
        let (mut from, mut to) = stream.split();
        tokio::io::copy(&mut from, &mut to).await.unwrap();
    });
    addr
}

/// An HTTP/1 upgrade turned into a tunnel: the server joins the upgraded connection to a TCP
/// echo backend with `copy_bidirectional`; the client writes 1 MiB through it from one half of
/// an `io::split` while reading the echo from the other, then shuts down writing. The EOF
/// travels through the tunnel and back, and both directions report every byte.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upgrade_tunnel_with_copy_bidirectional() {
    let backend = echo_backend().await;
    let (report, mut copied) = mpsc::channel::<(u64, u64)>(1);
    let service = service_fn(move |request: Request<Incoming>| {
        let report = report.clone();
        async move {
            let on_upgrade = hyper::upgrade::on(request);
            tokio::spawn(async move {
                let mut tunnel = TokioIo::new(on_upgrade.await.expect("upgraded"));
                let mut backend = TcpStream::connect(backend).await.unwrap();
                let both = tokio::io::copy_bidirectional(&mut tunnel, &mut backend).await;
                report.send(both.unwrap()).await.unwrap();
            });
            let switching = Response::builder()
                .status(StatusCode::SWITCHING_PROTOCOLS)
                .header("connection", "upgrade")
                .header("upgrade", "tunnel")
                .body(Empty::<Bytes>::new());
            Ok::<_, Infallible>(switching.unwrap())
        }
    });
    let server = TestServer::start(service).await;

    let stream = TcpStream::connect(server.addr()).await.unwrap();
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .unwrap();
    tokio::spawn(connection.with_upgrades());
    let request = Request::get("/tunnel")
        .header("host", "test")
        .header("connection", "upgrade")
        .header("upgrade", "tunnel")
        .body(Empty::<Bytes>::new())
        .unwrap();
    let response = sender.send_request(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::SWITCHING_PROTOCOLS);
    let tunnel = TokioIo::new(hyper::upgrade::on(response).await.unwrap());

    let payload = pattern(1 << 20);
    let (mut reader, mut writer) = tokio::io::split(tunnel);
    let sent = payload.clone();
    let writing = tokio::spawn(async move {
        writer.write_all(&sent).await.unwrap();
        writer.shutdown().await.unwrap();
    });
    let mut echoed = Vec::new();
    reader.read_to_end(&mut echoed).await.unwrap();
    writing.await.unwrap();
    assert!(
        echoed == payload,
        "the tunnel changed the bytes ({} back)",
        echoed.len()
    );
    let len = payload.len() as u64;
    assert_eq!(copied.recv().await, Some((len, len)));
}

/// Sends once when dropped.
struct DropSignal(std::sync::mpsc::Sender<()>);

impl Drop for DropSignal {
    fn drop(&mut self) {
        let _ = self.0.send(());
    }
}

/// Dropping a runtime while a hyper connection waits on a handler that never answers returns,
/// and drops the handler's future (and with it everything it owns), as Tokio's shutdown does.
fn dropping_the_runtime_drops_open_connections(runtime: tokio::runtime::Runtime) {
    let (dropped, handler_dropped) = std::sync::mpsc::channel();
    let (entered_tx, mut entered) = mpsc::channel::<()>(1);
    let service = service_fn(move |_request: Request<Incoming>| {
        let guard = DropSignal(dropped.clone());
        let entered_tx = entered_tx.clone();
        async move {
            let _guard = guard;
            entered_tx.send(()).await.unwrap();
            std::future::pending::<Result<Response<Empty<Bytes>>, Infallible>>().await
        }
    });
    runtime.block_on(async {
        let server = TestServer::start(service).await;
        let client = Client::builder(TokioExecutor::new()).build_http::<Empty<Bytes>>();
        tokio::spawn(client.get(server.url("/forever").parse().unwrap()));
        entered.recv().await.unwrap();
    });
    assert!(
        handler_dropped.try_recv().is_err(),
        "the handler is still pending"
    );
    drop(runtime);
    assert!(
        handler_dropped.try_recv().is_ok(),
        "shutdown dropped the handler"
    );
}

#[test]
fn dropping_the_multi_thread_runtime_drops_open_connections() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    dropping_the_runtime_drops_open_connections(runtime);
}

#[test]
fn dropping_the_current_thread_runtime_drops_open_connections() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    dropping_the_runtime_drops_open_connections(runtime);
}
