//! Test support: a reactor per test and a join of many futures on one task.

#![allow(dead_code)]

use eddy_core::block_on::block_on;
use eddy_core::blocking::{self, BlockingSpawner};
use eddy_reactor::driver::{self, Driver};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

/// Runs `future` to completion on a fresh reactor entered on this thread.
pub fn run<F: Future>(future: F) -> F::Output {
    let (mut driver, handle) = Driver::new().expect("create a reactor");
    let _reactor = driver::enter(Some(handle));
    block_on(&mut driver, future)
}

/// A blocking pool that runs each job on a new thread: what a runtime lends resources that
/// must block (host-name resolution), for tests that run on a bare reactor.
pub struct ThreadPerJob;

impl BlockingSpawner for ThreadPerJob {
    fn spawn_blocking(&self, job: Box<dyn FnOnce() + Send>) -> std::io::Result<()> {
        std::thread::Builder::new().spawn(job).map(drop)
    }
}

/// Installs a [`ThreadPerJob`] pool on this thread until the guard is dropped.
pub fn enter_blocking_threads() -> blocking::EnterGuard {
    blocking::enter(Arc::new(ThreadPerJob))
}

/// Runs `make()`'s future on a new thread with its own reactor and returns its output.
pub fn on_thread<F, Fut>(make: F) -> std::thread::JoinHandle<Fut::Output>
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: Future,
    Fut::Output: Send + 'static,
{
    std::thread::spawn(move || run(make()))
}

/// Polls every future until all are done; outputs in order.
pub async fn join_all<T>(futures: Vec<Pin<Box<dyn Future<Output = T> + '_>>>) -> Vec<T> {
    JoinAll {
        futures: futures.into_iter().map(Some).collect(),
        outputs: Vec::new(),
    }
    .await
}

struct JoinAll<'a, T> {
    futures: Vec<Option<Pin<Box<dyn Future<Output = T> + 'a>>>>,
    outputs: Vec<Option<T>>,
}

impl<T> Unpin for JoinAll<'_, T> {}

impl<T> Future for JoinAll<'_, T> {
    type Output = Vec<T>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Vec<T>> {
        let this = self.get_mut();
        if this.outputs.is_empty() {
            this.outputs = this.futures.iter().map(|_| None).collect();
        }
        let mut pending = false;
        for (slot, output) in this.futures.iter_mut().zip(this.outputs.iter_mut()) {
            if let Some(future) = slot {
                match future.as_mut().poll(cx) {
                    Poll::Ready(value) => {
                        *output = Some(value);
                        *slot = None;
                    }
                    Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            Poll::Pending
        } else {
            Poll::Ready(this.outputs.iter_mut().map(|o| o.take().unwrap()).collect())
        }
    }
}

/// Whether this machine can bind an IPv6 loopback socket.
pub fn has_ipv6_loopback() -> bool {
    std::net::TcpListener::bind("[::1]:0").is_ok()
}

/// Polls two futures until both are done.
pub async fn join2<A: Future, B: Future>(a: A, b: B) -> (A::Output, B::Output) {
    let mut a = Box::pin(a);
    let mut b = Box::pin(b);
    let (mut out_a, mut out_b) = (None, None);
    std::future::poll_fn(|cx| {
        if out_a.is_none() {
            if let Poll::Ready(v) = a.as_mut().poll(cx) {
                out_a = Some(v);
            }
        }
        if out_b.is_none() {
            if let Poll::Ready(v) = b.as_mut().poll(cx) {
                out_b = Some(v);
            }
        }
        if out_a.is_some() && out_b.is_some() {
            Poll::Ready((out_a.take().unwrap(), out_b.take().unwrap()))
        } else {
            Poll::Pending
        }
    })
    .await
}
