//! A hyper server for tests: accepts on 127.0.0.1 with port 0, serves HTTP/1.1 (with upgrades)
//! and HTTP/2 (prior knowledge) on every connection through hyper-util's `auto` builder, counts
//! the connections it accepts, and shuts down gracefully.
//!
//! The accept loop runs in a spawned task. Every connection is watched by one
//! `GracefulShutdown`; [`TestServer::shutdown`] first stops the accept loop (which drops the
//! listener, so new connections are refused), then asks every live connection to finish what it
//! is serving and waits for them all.

use std::error::Error as StdError;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use hyper::body::{Body, Incoming};
use hyper::{Request, Response};
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

type BoxError = Box<dyn StdError + Send + Sync>;

/// A running server; dropping it without [`shutdown`](TestServer::shutdown) aborts the accept
/// loop and leaves the open connections to finish on their own.
#[derive(Debug)]
pub struct TestServer {
    addr: SocketAddr,
    connections: Arc<AtomicUsize>,
    stop: Option<oneshot::Sender<()>>,
    accept_loop: JoinHandle<GracefulShutdown>,
}

impl TestServer {
    /// Binds 127.0.0.1:0 and serves `service` on every accepted connection.
    pub async fn start<S, B>(service: S) -> TestServer
    where
        S: hyper::service::Service<Request<Incoming>, Response = Response<B>>
            + Clone
            + Send
            + 'static,
        S::Future: Send + 'static,
        S::Error: Into<BoxError>,
        B: Body + Send + 'static,
        B::Data: Send,
        B::Error: Into<BoxError>,
    {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("local address");
        let connections = Arc::new(AtomicUsize::new(0));
        let (stop, stopped) = oneshot::channel();
        let accept_loop = tokio::spawn(accept(listener, service, connections.clone(), stopped));
        TestServer {
            addr,
            connections,
            stop: Some(stop),
            accept_loop,
        }
    }

    /// The address the server listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT` followed by `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// How many connections the server has accepted so far.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    /// Stops accepting and closes the listener, lets every open connection finish the requests
    /// it is serving, and resolves once all of them have closed.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let graceful = (&mut self.accept_loop)
            .await
            .expect("the accept loop panicked");
        graceful.shutdown().await;
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.accept_loop.abort();
    }
}

/// Accepts until `stopped` fires, serving each connection in a task of its own under `graceful`,
/// and returns the `GracefulShutdown` watching them.
async fn accept<S, B>(
    listener: TcpListener,
    service: S,
    connections: Arc<AtomicUsize>,
    mut stopped: oneshot::Receiver<()>,
) -> GracefulShutdown
where
    S: hyper::service::Service<Request<Incoming>, Response = Response<B>> + Clone + Send + 'static,
    S::Future: Send + 'static,
    S::Error: Into<BoxError>,
    B: Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<BoxError>,
{
    let graceful = GracefulShutdown::new();
    loop {
        let stream = tokio::select! {
            _ = &mut stopped => return graceful,
            accepted = listener.accept() => match accepted {
                Ok((stream, _peer)) => stream,
                Err(_) => continue,
            },
        };
        connections.fetch_add(1, Ordering::SeqCst);
        let builder = auto::Builder::new(TokioExecutor::new());
        let conn = builder
            .serve_connection_with_upgrades(TokioIo::new(stream), service.clone())
            .into_owned();
        let watched = graceful.watch(conn);
        tokio::spawn(async move {
            // A client that goes away mid-request is not the server's failure.
            let _ = watched.await;
        });
    }
}
