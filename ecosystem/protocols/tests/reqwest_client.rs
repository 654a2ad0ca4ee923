//! reqwest 0.12 (no TLS) on eddy: JSON bodies, query strings and headers, redirects, status
//! errors, name resolution, streamed bodies both ways, file bodies and multipart forms from
//! `tokio::fs`, whole-request timeouts on the paused clock, connection errors, its pool over
//! HTTP/1.1 and HTTP/2 prior knowledge, and `reqwest::blocking`. The server is an axum
//! router under the shared `TestServer`, which counts connections.

use std::collections::BTreeMap;
use std::convert::Infallible;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Multipart, Path, Query, Request};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Redirect;
use axum::routing::{get, post};
use axum::{Json, Router};
use ecosystem_protocols::connect_once::ConnectOnceLayer;
use ecosystem_protocols::server::TestServer;
use futures_util::StreamExt;
use hyper_util::service::TowerToHyperService;
use reqwest::redirect::Policy;
use reqwest::Version;
use serde_json::{json, Value};

/// Describes the request back to the client.
async fn describe(
    headers: HeaderMap,
    Query(query): Query<BTreeMap<String, String>>,
    Json(body): Json<Value>,
) -> Json<Value> {
    let agent = headers
        .get("x-client")
        .map(|value| value.to_str().unwrap().to_owned());
    Json(json!({ "body": body, "query": query, "client": agent }))
}

fn app() -> Router {
    Router::new()
        .route("/describe", post(describe))
        .route("/old", get(|| async { Redirect::to("/new") }))
        .route("/new", get(|| async { "moved here" }))
        .route("/loop", get(|| async { Redirect::to("/loop") }))
        .route(
            "/status/{code}",
            get(|Path(code): Path<u16>| async move { StatusCode::from_u16(code).unwrap() }),
        )
        .route("/never", get(std::future::pending::<()>))
        .route(
            "/version",
            get(|request: Request| async move { format!("{:?}", request.version()) }),
        )
        .route("/echo", post(|body: Bytes| async move { body }))
        .route("/chunks/{count}", get(chunks))
        .route("/form", post(form_fields))
}

/// `count` chunks, `chunk 0;` to `chunk {count - 1};`, each one its own frame.
async fn chunks(Path(count): Path<usize>) -> Body {
    let chunks = (0..count).map(|n| Ok::<_, Infallible>(Bytes::from(format!("chunk {n};"))));
    Body::from_stream(futures_util::stream::iter(chunks))
}

/// Each multipart field's name, file name and length, in order.
async fn form_fields(mut form: Multipart) -> Json<Vec<Value>> {
    let mut fields = Vec::new();
    while let Some(field) = form.next_field().await.unwrap() {
        let name = field.name().map(str::to_owned);
        let file_name = field.file_name().map(str::to_owned);
        let len = field.bytes().await.unwrap().len();
        fields.push(json!({ "name": name, "file_name": file_name, "len": len }));
    }
    Json(fields)
}

async fn start() -> TestServer {
    TestServer::start(TowerToHyperService::new(app())).await
}

fn builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder().no_proxy()
}

async fn json_query_and_headers_round_trip() {
    let server = start().await;
    let client = builder().build().unwrap();
    let response = client
        .post(server.url("/describe"))
        .query(&[("page", "2"), ("sort", "name")])
        .header("x-client", "reqwest-on-eddy")
        .json(&json!({ "name": "bolts", "sizes": [3, 5, 8] }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.version(), Version::HTTP_11);
    let described: Value = response.json().await.unwrap();
    let expected = json!({
        "body": { "name": "bolts", "sizes": [3, 5, 8] },
        "query": { "page": "2", "sort": "name" },
        "client": "reqwest-on-eddy",
    });
    assert_eq!(described, expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_query_and_headers_round_trip_multi_thread() {
    json_query_and_headers_round_trip().await;
}

#[tokio::test]
async fn json_query_and_headers_round_trip_current_thread() {
    json_query_and_headers_round_trip().await;
}

/// The default policy follows a redirect, `Policy::none` hands it back, and a redirect loop
/// ends in a redirect error.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redirects() {
    let server = start().await;
    let following = builder().build().unwrap();
    let response = following.get(server.url("/old")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.url().path(), "/new");
    assert_eq!(response.text().await.unwrap(), "moved here");

    let looping = following.get(server.url("/loop")).send().await.unwrap_err();
    assert!(looping.is_redirect(), "{looping:?}");

    let manual = builder().redirect(Policy::none()).build().unwrap();
    let response = manual.get(server.url("/old")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], "/new");
}

/// `error_for_status` turns a 4xx or 5xx answer into an error carrying the status.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn status_errors() {
    let server = start().await;
    let client = builder().build().unwrap();
    for code in [404u16, 503] {
        let response = client
            .get(server.url(&format!("/status/{code}")))
            .send()
            .await
            .unwrap();
        let error = response.error_for_status().unwrap_err();
        assert_eq!(error.status().map(|status| status.as_u16()), Some(code));
    }
    let fine = client.get(server.url("/status/204")).send().await.unwrap();
    assert_eq!(
        fine.error_for_status().unwrap().status(),
        StatusCode::NO_CONTENT
    );
}

/// The client-wide timeout and a per-request one both end a request the server never answers,
/// once that much time has passed on the paused clock.
#[tokio::test(start_paused = true)]
async fn timeouts_on_the_paused_clock() {
    let server = start().await;
    let client = builder().timeout(Duration::from_secs(30)).build().unwrap();

    let started = tokio::time::Instant::now();
    let error = client.get(server.url("/never")).send().await.unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    assert!(started.elapsed() >= Duration::from_secs(30));

    let started = tokio::time::Instant::now();
    let request = client
        .get(server.url("/never"))
        .timeout(Duration::from_secs(2));
    let error = request.send().await.unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    assert!(started.elapsed() >= Duration::from_secs(2));
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "the shorter timeout wins"
    );
}

/// A host name goes through hyper-util's resolver, which runs `getaddrinfo` on eddy's blocking
/// pool (`spawn_blocking`); `resolve` overrides a name without asking the system.
async fn names_resolve_on_the_blocking_pool() {
    let server = start().await;
    let port = server.addr().port();
    let client = builder()
        .resolve("ledger.internal", server.addr())
        .build()
        .unwrap();
    for host in ["localhost", "ledger.internal"] {
        let response = client
            .get(format!("http://{host}:{port}/version"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.text().await.unwrap(), "HTTP/1.1", "through {host}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn names_resolve_on_the_blocking_pool_multi_thread() {
    names_resolve_on_the_blocking_pool().await;
}

#[tokio::test]
async fn names_resolve_on_the_blocking_pool_current_thread() {
    names_resolve_on_the_blocking_pool().await;
}

/// A port nobody listens on gives a connect error.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connection_refused_is_a_connect_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let error = builder()
        .build()
        .unwrap()
        .get(format!("http://{addr}/"))
        .send()
        .await
        .unwrap_err();
    assert!(error.is_connect(), "{error:?}");
}

/// Ten requests in a row over HTTP/1.1 through a client that can open one connection: all are
/// answered, so all went through the pool.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http1_pool_reuses_the_connection() {
    let server = start().await;
    let once = ConnectOnceLayer::new();
    let client = builder().connector_layer(once.clone()).build().unwrap();
    for _ in 0..10 {
        let response = client.get(server.url("/version")).send().await.unwrap();
        assert_eq!(response.text().await.unwrap(), "HTTP/1.1");
    }
    assert!(
        once.attempts() >= 1,
        "the layer sits in the connector stack"
    );
    assert_eq!(server.connections(), 1);
}

/// HTTP/2 with prior knowledge: twenty requests at once share the one connection.
async fn http2_prior_knowledge_multiplexes() {
    let server = start().await;
    let once = ConnectOnceLayer::new();
    let client = builder()
        .http2_prior_knowledge()
        .connector_layer(once.clone())
        .build()
        .unwrap();
    let requests = (0..20).map(|_| {
        let request = client.get(server.url("/version")).send();
        async move {
            let response = request.await?;
            assert_eq!(response.version(), Version::HTTP_2);
            response.text().await
        }
    });
    let answers = futures_util::future::try_join_all(requests).await.unwrap();
    assert!(
        answers.iter().all(|answer| answer == "HTTP/2.0"),
        "{answers:?}"
    );
    assert!(
        once.attempts() >= 1,
        "the layer sits in the connector stack"
    );
    assert_eq!(server.connections(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http2_prior_knowledge_multiplexes_multi_thread() {
    http2_prior_knowledge_multiplexes().await;
}

#[tokio::test]
async fn http2_prior_knowledge_multiplexes_current_thread() {
    http2_prior_knowledge_multiplexes().await;
}

/// A pattern that catches reordered, lost or duplicated bytes.
fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8).collect()
}

/// `Body::wrap_stream` uploads a stream of 64 chunks; `bytes_stream` downloads the echo and a
/// 100-chunk response piece by piece, in order.
async fn streamed_upload_and_download() {
    let server = start().await;
    let client = builder().build().unwrap();
    let sent = pattern(64 << 14);
    let pieces: Vec<Result<Vec<u8>, Infallible>> = sent
        .chunks(1 << 14)
        .map(|piece| Ok(piece.to_vec()))
        .collect();
    let upload = reqwest::Body::wrap_stream(futures_util::stream::iter(pieces));
    let response = client
        .post(server.url("/echo"))
        .body(upload)
        .send()
        .await
        .unwrap();
    let mut echoed = Vec::new();
    let mut download = response.bytes_stream();
    while let Some(piece) = download.next().await {
        echoed.extend_from_slice(&piece.unwrap());
    }
    assert!(echoed == sent, "the echo differs ({} bytes)", echoed.len());

    let response = client.get(server.url("/chunks/100")).send().await.unwrap();
    let pieces: Vec<Bytes> = response.bytes_stream().map(Result::unwrap).collect().await;
    let text = String::from_utf8(pieces.concat()).unwrap();
    let expected: String = (0..100).map(|n| format!("chunk {n};")).collect();
    assert_eq!(text, expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streamed_upload_and_download_multi_thread() {
    streamed_upload_and_download().await;
}

#[tokio::test]
async fn streamed_upload_and_download_current_thread() {
    streamed_upload_and_download().await;
}

/// A `tokio::fs::File` (eddy's, on the blocking pool) as a request body, and a multipart form
/// whose file part reqwest reads from disk with `Form::file`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn file_bodies_from_tokio_fs() {
    let server = start().await;
    let client = builder().build().unwrap();
    let path = std::env::temp_dir().join(format!("eddy-reqwest-{}.bin", std::process::id()));
    let content = pattern(1 << 20);
    tokio::fs::write(&path, &content).await.unwrap();

    let file = tokio::fs::File::open(&path).await.unwrap();
    let response = client
        .post(server.url("/echo"))
        .body(file)
        .send()
        .await
        .unwrap();
    assert!(
        response.bytes().await.unwrap() == content,
        "the file came back changed"
    );

    let form = reqwest::multipart::Form::new()
        .text("owner", "eddy")
        .file("upload", &path)
        .await
        .unwrap();
    let response = client
        .post(server.url("/form"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    let fields: Value = response.json().await.unwrap();
    let file_name = path.file_name().unwrap().to_str().unwrap();
    let expected = json!([
        { "name": "owner", "file_name": null, "len": 4 },
        { "name": "upload", "file_name": file_name, "len": 1 << 20 },
    ]);
    assert_eq!(fields, expected);
    tokio::fs::remove_file(&path).await.unwrap();
}

/// Runs a `TestServer` for `app()` on a runtime of its own thread, until the returned sender
/// is dropped; for the blocking client, which must not be called from a runtime.
fn server_on_its_own_thread() -> (String, std::sync::mpsc::Sender<()>) {
    let (url_tx, url) = std::sync::mpsc::channel();
    let (stop, stopped) = std::sync::mpsc::channel::<()>();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Runtime::new().unwrap();
        let server = runtime.block_on(start());
        url_tx.send(server.url("")).unwrap();
        let _ = stopped.recv();
        drop(server);
    });
    (url.recv().unwrap(), stop)
}

/// `reqwest::blocking` runs its own current-thread eddy runtime on a background thread and
/// waits for it from plain threads: JSON, redirects and a timeout all behave as in async code.
#[test]
fn blocking_client_outside_any_runtime() {
    let (base, _stop) = server_on_its_own_thread();
    let client = reqwest::blocking::Client::builder()
        .no_proxy()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let described: Value = client
        .post(format!("{base}/describe"))
        .header("x-client", "blocking")
        .json(&json!([1, 2, 3]))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(
        described,
        json!({ "body": [1, 2, 3], "query": {}, "client": "blocking" })
    );
    let moved = client.get(format!("{base}/old")).send().unwrap();
    assert_eq!(moved.url().path(), "/new");
    assert_eq!(moved.text().unwrap(), "moved here");
    let error = client.get(format!("{base}/never")).send().unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
}

/// Building the blocking client inside a runtime panics with Tokio's message: it drops a
/// runtime where blocking is not allowed.
#[tokio::test]
async fn blocking_client_inside_a_runtime_panics() {
    let panic = std::panic::catch_unwind(reqwest::blocking::Client::new).unwrap_err();
    let message = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or_default();
    assert!(
        message.starts_with("Cannot drop a runtime in a context where blocking is not allowed"),
        "{message}"
    );
}
