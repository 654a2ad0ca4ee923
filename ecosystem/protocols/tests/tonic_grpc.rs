//! tonic 0.14 on eddy: a generated `Ledger` service (see `proto/ledger.proto`) served by
//! `tonic::transport::Server` on a `TcpListenerStream`, called through a `Channel`. Unary calls
//! and their errors, concurrent calls on one channel, server-streaming order, timers inside a
//! handler on the paused clock, a client that walks away mid-stream, deadlines, and graceful
//! shutdown with a call in flight; tonic's own `TcpIncoming` and a Unix socket transport.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Mutex;
use std::time::Duration;

use ecosystem_protocols::ledger::ledger_client::LedgerClient;
use ecosystem_protocols::ledger::ledger_server::{Ledger, LedgerServer};
use ecosystem_protocols::ledger::{Balance, DepositRequest, Entry, HistoryRequest};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;
use tokio_stream::wrappers::{ReceiverStream, TcpListenerStream, UnixListenerStream};
use tokio_stream::{Stream, StreamExt};
use tonic::transport::server::TcpIncoming;
use tonic::transport::{Channel, Endpoint};
use tonic::{Code, Request, Response, Status};

/// A deposit to this account never finishes: for deadlines.
const STALLED: &str = "stalled";
/// A deposit to this account reports itself and waits for the test's go-ahead.
const HELD: &str = "held";

/// What a test can watch or steer in the service.
#[derive(Default)]
struct Hooks {
    /// Told when a deposit to [`HELD`] arrives; the deposit then waits for `release`.
    entered: Option<mpsc::Sender<()>>,
    release: Option<tokio::sync::Mutex<mpsc::Receiver<()>>>,
    /// Told the sequence number a `History` stream failed to send once its client left.
    abandoned: Option<mpsc::UnboundedSender<u32>>,
}

#[derive(Default)]
struct Bank {
    balances: Mutex<HashMap<String, i64>>,
    hooks: Hooks,
}

impl Bank {
    async fn hold(&self) {
        let (Some(entered), Some(release)) = (&self.hooks.entered, &self.hooks.release) else {
            return;
        };
        entered.send(()).await.unwrap();
        release.lock().await.recv().await;
    }
}

#[tonic::async_trait]
impl Ledger for Bank {
    async fn deposit(&self, request: Request<DepositRequest>) -> Result<Response<Balance>, Status> {
        let DepositRequest { account, amount } = request.into_inner();
        if amount <= 0 {
            return Err(Status::invalid_argument(format!("cannot deposit {amount}")));
        }
        match account.as_str() {
            STALLED => std::future::pending().await,
            HELD => self.hold().await,
            _ => {}
        }
        let mut balances = self.balances.lock().unwrap();
        let total = balances.entry(account.clone()).or_default();
        *total += amount;
        Ok(Response::new(Balance {
            account,
            total: *total,
        }))
    }

    type HistoryStream = Pin<Box<dyn Stream<Item = Result<Entry, Status>> + Send>>;

    async fn history(
        &self,
        request: Request<HistoryRequest>,
    ) -> Result<Response<Self::HistoryStream>, Status> {
        let HistoryRequest {
            account,
            count,
            interval_ms,
        } = request.into_inner();
        let (entries, stream) = mpsc::channel(1);
        let abandoned = self.hooks.abandoned.clone();
        tokio::spawn(async move {
            for seq in 1..=count {
                tokio::time::sleep(Duration::from_millis(interval_ms.into())).await;
                let entry = Entry {
                    seq,
                    memo: format!("{account} #{seq}"),
                };
                if entries.send(Ok(entry)).await.is_err() {
                    if let Some(abandoned) = abandoned {
                        abandoned.send(seq).unwrap();
                    }
                    return;
                }
            }
        });
        Ok(Response::new(Box::pin(ReceiverStream::new(stream))))
    }
}

/// A server for `bank` on 127.0.0.1:0 that shuts down gracefully when `stop` fires.
async fn serve(
    bank: Bank,
    stop: oneshot::Receiver<()>,
) -> (SocketAddr, JoinHandle<Result<(), tonic::transport::Error>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tonic::transport::Server::builder()
        .add_service(LedgerServer::new(bank))
        .serve_with_incoming_shutdown(TcpListenerStream::new(listener), async {
            let _ = stop.await;
        });
    (addr, tokio::spawn(server))
}

/// A server that runs until the test ends, and a client connected to it.
async fn connected(bank: Bank) -> (LedgerClient<Channel>, oneshot::Sender<()>) {
    let (stop, stopped) = oneshot::channel();
    let (addr, _server) = serve(bank, stopped).await;
    let client = LedgerClient::connect(format!("http://{addr}"))
        .await
        .unwrap();
    (client, stop)
}

fn deposit(account: &str, amount: i64) -> DepositRequest {
    DepositRequest {
        account: account.into(),
        amount,
    }
}

async fn unary_calls_and_errors() {
    let (mut client, _stop) = connected(Bank::default()).await;
    let mut totals = Vec::new();
    for (account, amount) in [("alice", 10), ("alice", 15), ("bob", 7), ("alice", 1)] {
        let balance = client
            .deposit(deposit(account, amount))
            .await
            .unwrap()
            .into_inner();
        assert_eq!(balance.account, account);
        totals.push(balance.total);
    }
    assert_eq!(totals, [10, 25, 7, 26]);

    let refused = client.deposit(deposit("alice", -5)).await.unwrap_err();
    assert_eq!(refused.code(), Code::InvalidArgument);
    assert_eq!(refused.message(), "cannot deposit -5");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unary_calls_and_errors_multi_thread() {
    unary_calls_and_errors().await;
}

#[tokio::test]
async fn unary_calls_and_errors_current_thread() {
    unary_calls_and_errors().await;
}

/// Fifty calls at once through clones of one channel all land.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_calls_on_one_channel() {
    let (client, _stop) = connected(Bank::default()).await;
    let calls = (0..50).map(|_| {
        let mut client = client.clone();
        tokio::spawn(async move {
            client
                .deposit(deposit("shared", 2))
                .await
                .map(Response::into_inner)
        })
    });
    let balances = futures_util::future::try_join_all(calls).await.unwrap();
    let mut totals: Vec<i64> = balances
        .into_iter()
        .map(|balance| balance.unwrap().total)
        .collect();
    totals.sort_unstable();
    assert_eq!(totals, (1..=50).map(|n| n * 2).collect::<Vec<_>>());
}

async fn history(client: &mut LedgerClient<Channel>, count: u32, interval_ms: u32) -> Vec<Entry> {
    let request = HistoryRequest {
        account: "alice".into(),
        count,
        interval_ms,
    };
    let mut stream = client.history(request).await.unwrap().into_inner();
    let mut entries = Vec::new();
    while let Some(entry) = stream.message().await.unwrap() {
        entries.push(entry);
    }
    entries
}

async fn server_streaming_in_order() {
    let (mut client, _stop) = connected(Bank::default()).await;
    let entries = history(&mut client, 100, 0).await;
    let expected: Vec<Entry> = (1..=100)
        .map(|seq| Entry {
            seq,
            memo: format!("alice #{seq}"),
        })
        .collect();
    assert_eq!(entries, expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_streaming_in_order_multi_thread() {
    server_streaming_in_order().await;
}

#[tokio::test]
async fn server_streaming_in_order_current_thread() {
    server_streaming_in_order().await;
}

/// A stream whose entries each wait a minute in the handler: on the paused clock all five
/// arrive, in order, after five minutes of virtual time.
#[tokio::test(start_paused = true)]
async fn server_streaming_with_timers_on_the_paused_clock() {
    let (mut client, _stop) = connected(Bank::default()).await;
    let started = tokio::time::Instant::now();
    let entries = history(&mut client, 5, 60_000).await;
    assert_eq!(
        entries.iter().map(|entry| entry.seq).collect::<Vec<_>>(),
        [1, 2, 3, 4, 5]
    );
    assert!(started.elapsed() >= Duration::from_secs(300));
}

/// A client that drops a long stream after three entries: the server's stream is dropped too,
/// so its producer's next send fails.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropping_the_stream_cancels_it_on_the_server() {
    let (abandoned, mut abandoned_at) = mpsc::unbounded_channel();
    let bank = Bank {
        hooks: Hooks {
            abandoned: Some(abandoned),
            ..Hooks::default()
        },
        ..Bank::default()
    };
    let (mut client, _stop) = connected(bank).await;
    let request = HistoryRequest {
        account: "alice".into(),
        count: u32::MAX,
        interval_ms: 0,
    };
    let mut stream = client.history(request).await.unwrap().into_inner();
    for seq in 1..=3 {
        assert_eq!(stream.message().await.unwrap().unwrap().seq, seq);
    }
    drop(stream);
    let seq = abandoned_at.recv().await.expect("the producer notices");
    assert!(seq > 3 && seq < u32::MAX, "stopped at {seq}");
}

/// A deadline sent with the call (`grpc-timeout`) ends a handler that never answers: tonic's
/// server answers `Cancelled` once the deadline has passed on the paused clock.
#[tokio::test(start_paused = true)]
async fn deadline_cancels_a_stalled_call() {
    let (mut client, _stop) = connected(Bank::default()).await;
    let mut request = Request::new(deposit(STALLED, 1));
    request.set_timeout(Duration::from_secs(10));
    let started = tokio::time::Instant::now();
    let status = client.deposit(request).await.unwrap_err();
    assert_eq!(status.code(), Code::Cancelled, "{status:?}");
    assert!(started.elapsed() >= Duration::from_secs(10));
}

/// Graceful shutdown while a call is in flight: the server waits for it, the client gets its
/// answer, then `serve_with_incoming_shutdown` returns `Ok` and the port is closed.
async fn graceful_shutdown_finishes_the_call_in_flight() {
    let (entered_tx, mut entered) = mpsc::channel(1);
    let (release, release_rx) = mpsc::channel(1);
    let hooks = Hooks {
        entered: Some(entered_tx),
        release: Some(tokio::sync::Mutex::new(release_rx)),
        abandoned: None,
    };
    let (stop, stopped) = oneshot::channel();
    let (addr, server) = serve(
        Bank {
            hooks,
            ..Bank::default()
        },
        stopped,
    )
    .await;
    let mut client = LedgerClient::connect(format!("http://{addr}"))
        .await
        .unwrap();
    let in_flight = tokio::spawn(async move { client.deposit(deposit(HELD, 42)).await });
    entered.recv().await.unwrap();

    stop.send(()).unwrap();
    for _ in 0..10 {
        tokio::task::yield_now().await;
    }
    assert!(
        !server.is_finished(),
        "the server must wait for the call in flight"
    );

    release.send(()).await.unwrap();
    let balance = in_flight
        .await
        .unwrap()
        .expect("the call in flight is answered");
    assert_eq!(balance.into_inner().total, 42);
    server
        .await
        .unwrap()
        .expect("a graceful shutdown returns Ok");
    let refused = TcpStream::connect(addr)
        .await
        .expect_err("the listener is closed");
    assert_eq!(refused.kind(), std::io::ErrorKind::ConnectionRefused);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn graceful_shutdown_finishes_the_call_in_flight_multi_thread() {
    graceful_shutdown_finishes_the_call_in_flight().await;
}

#[tokio::test]
async fn graceful_shutdown_finishes_the_call_in_flight_current_thread() {
    graceful_shutdown_finishes_the_call_in_flight().await;
}

/// tonic's own `TcpIncoming` (eddy's `TcpListener::from_std` underneath) sets `TCP_NODELAY`
/// through eddy's `TcpStream::set_nodelay` and keep-alive through socket2 on eddy's socket, and
/// an `Endpoint` with its own socket options connects to it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tonic_tcp_incoming_sets_socket_options() {
    let incoming = TcpIncoming::bind("127.0.0.1:0".parse().unwrap())
        .unwrap()
        .with_nodelay(Some(true))
        .with_keepalive(Some(Duration::from_secs(60)));
    let addr = incoming.local_addr().unwrap();
    let (options_tx, mut options) = mpsc::unbounded_channel();
    let incoming = incoming.map(move |accepted| {
        let stream = accepted.as_ref().unwrap();
        let keepalive = socket2::SockRef::from(stream).keepalive().unwrap();
        options_tx
            .send((stream.nodelay().unwrap(), keepalive))
            .unwrap();
        accepted
    });
    tokio::spawn(
        tonic::transport::Server::builder()
            .add_service(LedgerServer::new(Bank::default()))
            .serve_with_incoming(incoming),
    );

    let channel = Endpoint::from_shared(format!("http://{addr}"))
        .unwrap()
        .tcp_nodelay(true)
        .tcp_keepalive(Some(Duration::from_secs(30)))
        .connect()
        .await
        .unwrap();
    let balance = LedgerClient::new(channel)
        .deposit(deposit("carol", 5))
        .await
        .unwrap();
    assert_eq!(balance.into_inner().total, 5);
    assert_eq!(options.recv().await, Some((true, true)));
}

/// gRPC over a Unix socket: the server takes eddy's `UnixListener` through tokio-stream's
/// `UnixListenerStream`, the channel dials eddy's `UnixStream` through a custom connector.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unary_and_streaming_over_a_unix_socket() {
    let path = std::env::temp_dir().join(format!("eddy-tonic-{}.sock", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let listener = tokio::net::UnixListener::bind(&path).unwrap();
    tokio::spawn(
        tonic::transport::Server::builder()
            .add_service(LedgerServer::new(Bank::default()))
            .serve_with_incoming(UnixListenerStream::new(listener)),
    );

    let dial = path.clone();
    let connector = tower::service_fn(move |_: tonic::transport::Uri| {
        let dial = dial.clone();
        async move {
            let stream = tokio::net::UnixStream::connect(dial).await?;
            Ok::<_, std::io::Error>(hyper_util::rt::TokioIo::new(stream))
        }
    });
    let channel = Endpoint::from_static("http://unix.socket")
        .connect_with_connector(connector)
        .await
        .unwrap();
    let mut client = LedgerClient::new(channel);
    let balance = client
        .deposit(deposit("dave", 9))
        .await
        .unwrap()
        .into_inner();
    assert_eq!(balance.total, 9);
    let entries = history(&mut client, 10, 0).await;
    assert_eq!(
        entries.iter().map(|entry| entry.seq).collect::<Vec<_>>(),
        (1..=10).collect::<Vec<_>>()
    );
    std::fs::remove_file(&path).unwrap();
}
