//! axum 0.8 on eddy: routing with path and query extractors, shared state, `Json` in and out
//! with serde (and axum's rejections for bad JSON), a `from_fn` middleware, `ConnectInfo` from
//! eddy's `TcpListener`, a WebSocket route, and graceful shutdown that lets an in-flight request
//! finish. The clients are reqwest and tokio-tungstenite.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::extract::ws::{self, WebSocket, WebSocketUpgrade};
use axum::extract::{ConnectInfo, Path, Query, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use futures_util::{SinkExt, StreamExt};
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Item {
    id: u64,
    name: String,
    quantity: u32,
}

#[derive(Serialize, Deserialize)]
struct NewItem {
    name: String,
    quantity: u32,
}

#[derive(Deserialize)]
struct Search {
    min_quantity: u32,
}

type Store = Arc<Mutex<Vec<Item>>>;

async fn create(State(store): State<Store>, Json(new): Json<NewItem>) -> impl IntoResponse {
    let mut items = store.lock().unwrap();
    let item = Item {
        id: items.len() as u64 + 1,
        name: new.name,
        quantity: new.quantity,
    };
    items.push(item.clone());
    (StatusCode::CREATED, Json(item))
}

async fn list(State(store): State<Store>) -> Json<Vec<Item>> {
    Json(store.lock().unwrap().clone())
}

async fn fetch(State(store): State<Store>, Path(id): Path<u64>) -> Result<Json<Item>, StatusCode> {
    let items = store.lock().unwrap();
    items
        .iter()
        .find(|item| item.id == id)
        .cloned()
        .map(Json)
        .ok_or(StatusCode::NOT_FOUND)
}

async fn search(State(store): State<Store>, Query(search): Query<Search>) -> Json<Vec<String>> {
    let items = store.lock().unwrap();
    let names = items
        .iter()
        .filter(|item| item.quantity >= search.min_quantity);
    Json(names.map(|item| item.name.clone()).collect())
}

/// Tags every response, so the tests can see the middleware ran.
async fn tag(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    response
        .headers_mut()
        .insert("x-served-by", "axum-on-eddy".parse().unwrap());
    response
}

fn app() -> Router {
    Router::new()
        .route("/health", get(|| async { "ok" }))
        .route("/items", get(list).post(create))
        .route("/items/{id}", get(fetch))
        .route("/search", get(search))
        .with_state(Store::default())
        .layer(middleware::from_fn(tag))
}

/// Serves `router` on 127.0.0.1:0 until the test ends; returns `http://127.0.0.1:PORT`.
async fn serve(router: Router) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    base
}

fn client() -> reqwest::Client {
    reqwest::Client::builder().no_proxy().build().unwrap()
}

async fn routes_state_and_json() {
    let base = serve(app()).await;
    let client = client();

    let health = client.get(format!("{base}/health")).send().await.unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    assert_eq!(health.headers()["x-served-by"], "axum-on-eddy");
    assert_eq!(health.text().await.unwrap(), "ok");

    for (name, quantity) in [("bolts", 40), ("nuts", 3), ("washers", 12)] {
        let created = client
            .post(format!("{base}/items"))
            .json(&NewItem {
                name: name.into(),
                quantity,
            })
            .send()
            .await
            .unwrap();
        assert_eq!(created.status(), StatusCode::CREATED);
        let item: Item = created.json().await.unwrap();
        assert_eq!((item.name.as_str(), item.quantity), (name, quantity));
    }

    let second: Item = client
        .get(format!("{base}/items/2"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        second,
        Item {
            id: 2,
            name: "nuts".into(),
            quantity: 3
        }
    );
    let all: Vec<Item> = client
        .get(format!("{base}/items"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        all.iter().map(|item| item.id).collect::<Vec<_>>(),
        [1, 2, 3]
    );
    let url = format!("{base}/search?min_quantity=10");
    let found: Vec<String> = client.get(url).send().await.unwrap().json().await.unwrap();
    assert_eq!(found, ["bolts", "washers"]);

    let missing = client.get(format!("{base}/items/99")).send().await.unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    let unrouted = client.get(format!("{base}/nowhere")).send().await.unwrap();
    assert_eq!(unrouted.status(), StatusCode::NOT_FOUND);
    let wrong_method = client
        .delete(format!("{base}/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_method.status(), StatusCode::METHOD_NOT_ALLOWED);
    let bad_path = client
        .get(format!("{base}/items/seven"))
        .send()
        .await
        .unwrap();
    assert_eq!(bad_path.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn routes_state_and_json_multi_thread() {
    routes_state_and_json().await;
}

#[tokio::test]
async fn routes_state_and_json_current_thread() {
    routes_state_and_json().await;
}

/// axum's `Json` extractor answers malformed JSON with 400, JSON of the wrong shape with 422 and
/// a body that does not say it is JSON with 415; the handler never runs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_rejections() {
    let base = serve(app()).await;
    let client = client();
    let post = |body: &'static str, content_type: Option<&'static str>| {
        let mut request = client.post(format!("{base}/items")).body(body);
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        request.send()
    };
    let json = Some("application/json");
    assert_eq!(
        post("{not json", json).await.unwrap().status(),
        StatusCode::BAD_REQUEST
    );
    let wrong_shape = post(r#"{"name": "bolts"}"#, json).await.unwrap();
    assert_eq!(wrong_shape.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let untyped = post(r#"{"name": "bolts", "quantity": 1}"#, None)
        .await
        .unwrap();
    assert_eq!(untyped.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let all: Vec<Item> = client
        .get(format!("{base}/items"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(all.is_empty());
}

/// `into_make_service_with_connect_info` hands each handler the peer address that eddy's
/// `TcpListener::accept` returned: the client's own local address.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connect_info_is_the_peer_address() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = Router::new().route(
        "/whoami",
        get(|ConnectInfo(peer): ConnectInfo<SocketAddr>| async move { peer.to_string() }),
    );
    let service = router.into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, service).await.unwrap() });

    let mut stream = TcpStream::connect(addr).await.unwrap();
    let local = stream.local_addr().unwrap();
    stream
        .write_all(b"GET /whoami HTTP/1.1\r\nhost: test\r\nconnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer:?}");
    assert!(answer.ends_with(&format!("\r\n\r\n{local}")), "{answer:?}");
}

/// `with_graceful_shutdown`: once the signal fires the server stops accepting, waits for the
/// request in flight, which gets its whole response, and only then does `serve` return `Ok`.
async fn graceful_shutdown_finishes_the_request_in_flight() {
    let (entered_tx, mut entered) = mpsc::channel::<()>(1);
    let (release, release_rx) = mpsc::channel::<()>(1);
    let release_rx = Arc::new(tokio::sync::Mutex::new(release_rx));
    let router = Router::new().route(
        "/slow",
        get(move || async move {
            entered_tx.send(()).await.unwrap();
            release_rx.lock().await.recv().await;
            "finished after the signal"
        }),
    );
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (signal, signalled) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        let shutdown = async move { signalled.await.unwrap() };
        axum::serve(listener, router)
            .with_graceful_shutdown(shutdown)
            .await
    });

    let in_flight = tokio::spawn(client().get(format!("http://{addr}/slow")).send());
    entered.recv().await.unwrap();
    signal.send(()).unwrap();
    for _ in 0..10 {
        tokio::task::yield_now().await;
    }
    assert!(
        !server.is_finished(),
        "serve must wait for the request in flight"
    );

    release.send(()).await.unwrap();
    let response = in_flight
        .await
        .unwrap()
        .expect("the in-flight request is answered");
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.text().await.unwrap(), "finished after the signal");
    server
        .await
        .unwrap()
        .expect("serve returns Ok after a graceful shutdown");
    let refused = TcpStream::connect(addr)
        .await
        .expect_err("the listener is closed");
    assert_eq!(refused.kind(), std::io::ErrorKind::ConnectionRefused);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graceful_shutdown_finishes_the_request_in_flight_multi_thread() {
    graceful_shutdown_finishes_the_request_in_flight().await;
}

#[tokio::test]
async fn graceful_shutdown_finishes_the_request_in_flight_current_thread() {
    graceful_shutdown_finishes_the_request_in_flight().await;
}

/// A WebSocket route (`WebSocketUpgrade`, over hyper's HTTP/1 upgrade on eddy's socket) that
/// echoes text in upper case, with a tokio-tungstenite client: messages come back in order, and
/// the client's close is answered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn websocket_route() {
    let router = Router::new().route(
        "/shout",
        get(|upgrade: WebSocketUpgrade| async move {
            upgrade.on_upgrade(|mut socket: WebSocket| async move {
                while let Some(Ok(message)) = socket.recv().await {
                    if let ws::Message::Text(text) = message {
                        let loud = ws::Message::Text(text.to_uppercase().into());
                        socket.send(loud).await.unwrap();
                    }
                }
            })
        }),
    );
    let base = serve(router).await;
    let url = base.replace("http://", "ws://") + "/shout";
    let (mut client, response) = tokio_tungstenite::connect_async(url).await.unwrap();
    assert_eq!(response.status(), StatusCode::SWITCHING_PROTOCOLS);
    for word in ["hello", "eddy", "websocket"] {
        client.send(Message::text(word)).await.unwrap();
    }
    for word in ["HELLO", "EDDY", "WEBSOCKET"] {
        assert_eq!(client.next().await.unwrap().unwrap(), Message::text(word));
    }
    client.close(None).await.unwrap();
    while let Some(message) = client.next().await {
        assert!(message.unwrap().is_close());
    }
}
