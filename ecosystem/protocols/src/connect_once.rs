//! A connector wrapper that lets the first connection attempt through and holds every later one
//! pending forever, for tests of a client's connection pool.
//!
//! Counting the server's accepted connections alone cannot prove reuse deterministically:
//! hyper-util's pool races a checkout against a fresh connect, and an HTTP/1 connection goes
//! back to the pool from a spawned task, so a correct client may still open (and then park) a
//! second socket. Behind [`ConnectOnce`] that second attempt never completes, so every request
//! that gets an answer was served over the first connection: through the pool.
//!
//! It wraps any `tower_service::Service` connector: hyper-util's `HttpConnector` directly, or
//! reqwest's through [`ConnectOnceLayer`] and `ClientBuilder::connector_layer`.

use std::future::Pending;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use futures_util::future::Either;
use tower_layer::Layer;
use tower_service::Service;

/// A connector that connects once; see the module docs.
#[derive(Clone, Debug)]
pub struct ConnectOnce<S> {
    inner: S,
    attempts: Arc<AtomicUsize>,
}

impl<S> ConnectOnce<S> {
    /// Wraps `inner`, which makes the first connection.
    pub fn new(inner: S) -> Self {
        ConnectOnce {
            inner,
            attempts: Arc::default(),
        }
    }
}

impl<S: Service<R>, R> Service<R> for ConnectOnce<S> {
    type Response = S::Response;
    type Error = S::Error;
    type Future = Either<S::Future, Pending<Result<S::Response, S::Error>>>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, target: R) -> Self::Future {
        if self.attempts.fetch_add(1, Ordering::SeqCst) == 0 {
            Either::Left(self.inner.call(target))
        } else {
            Either::Right(std::future::pending())
        }
    }
}

/// Wraps a client's connector in a [`ConnectOnce`]; clones share one count, so a client that
/// builds its connector stack more than once still gets a single connection.
#[derive(Clone, Debug, Default)]
pub struct ConnectOnceLayer {
    attempts: Arc<AtomicUsize>,
}

impl ConnectOnceLayer {
    /// A layer whose connectors have made no attempt yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many connections the client has asked for, the held ones included.
    pub fn attempts(&self) -> usize {
        self.attempts.load(Ordering::SeqCst)
    }
}

impl<S> Layer<S> for ConnectOnceLayer {
    type Service = ConnectOnce<S>;

    fn layer(&self, inner: S) -> ConnectOnce<S> {
        ConnectOnce {
            inner,
            attempts: self.attempts.clone(),
        }
    }
}
