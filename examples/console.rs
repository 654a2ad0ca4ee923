//! A small program to watch in tokio-console: named long-lived tasks that sleep, talk over a
//! channel, share a mutex and wake themselves, plus short jobs, a blocking thread that drives
//! async code with `Handle::block_on`, and a task that waits for shutdown the whole time.
//!
//! Run it (console-subscriber needs the cfg flag, so the feature is not in the default build):
//!
//! ```text
//! RUSTFLAGS="--cfg console_without_tokio_unstable" \
//!     cargo run -p eddy-examples --example console --features console [-- SECONDS]
//! ```
//!
//! and in another terminal `tokio-console` (it connects to 127.0.0.1:6669). The program runs
//! for 60 seconds unless given another number; Ctrl-C stops it earlier.
//! docs/observability.md shows what the console displays.

use eddy::sync::{mpsc, Mutex, Notify};
use eddy::task::Builder;
use eddy::time::{interval, sleep};
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

/// Counts shared by the tasks, behind eddy's async mutex.
#[derive(Debug, Default)]
struct Totals {
    ticks_received: u64,
    jobs_done: u64,
    checksums: u64,
}

#[eddy::main]
async fn main() {
    console_subscriber::init();
    let seconds = run_time_from_args();
    println!("eddy console example: running for {seconds} s; connect with `tokio-console`");

    let totals = Arc::new(Mutex::new(Totals::default()));
    let shutdown = Arc::new(Notify::new());
    let stopping = Arc::new(AtomicBool::new(false));
    let (ticks, tick_receiver) = mpsc::channel(16);

    spawn_named("ticker", ticker(ticks));
    spawn_named("consumer", consumer(tick_receiver, totals.clone()));
    spawn_named("checksummer", checksummer(totals.clone()));
    spawn_named("slicer", slicer());
    spawn_named("dispatcher", dispatcher(totals.clone()));
    spawn_named("shutdown-listener", shutdown_listener(shutdown.clone()));
    let bridge_stopping = stopping.clone();
    let bridge = Builder::new()
        .name("sync-bridge")
        .spawn_blocking(move || sync_bridge(&bridge_stopping))
        .expect("spawning the blocking task");

    sleep(Duration::from_secs(seconds)).await;
    stopping.store(true, Ordering::Relaxed);
    shutdown.notify_one();
    bridge.await.expect("the blocking task finished");
    println!("done: {:?}", *totals.lock().await);
}

/// The run time in seconds: the first argument, or 60.
fn run_time_from_args() -> u64 {
    match std::env::args().nth(1) {
        Some(arg) => arg.parse().expect("the argument is a number of seconds"),
        None => 60,
    }
}

/// Spawns `future` as a task the console lists under `name`.
#[track_caller]
fn spawn_named<F>(name: &str, future: F)
where
    F: Future<Output = ()> + Send + 'static,
{
    Builder::new()
        .name(name)
        .spawn(future)
        .expect("spawning a named task");
}

/// Sends a number ten times a second: woken by the timer.
async fn ticker(ticks: mpsc::Sender<u64>) {
    let mut every_100ms = interval(Duration::from_millis(100));
    for tick in 0.. {
        every_100ms.tick().await;
        if ticks.send(tick).await.is_err() {
            return;
        }
    }
}

/// Receives the ticks: woken by the channel.
async fn consumer(mut ticks: mpsc::Receiver<u64>, totals: Arc<Mutex<Totals>>) {
    while ticks.recv().await.is_some() {
        totals.lock().await.ticks_received += 1;
    }
}

/// Sums a batch of numbers, yielding every 1,000 so that it wakes itself, then rests.
async fn checksummer(totals: Arc<Mutex<Totals>>) {
    loop {
        let mut sum = 0u64;
        for n in 0..20_000u64 {
            sum = sum.wrapping_add(n.wrapping_mul(n));
            if n % 1_000 == 0 {
                eddy::task::yield_now().await;
            }
        }
        totals.lock().await.checksums = sum;
        sleep(Duration::from_millis(500)).await;
    }
}

/// Every second does fifty slices of work, one per poll, waking itself between them.
async fn slicer() {
    loop {
        Slices { left: 50 }.await;
        sleep(Duration::from_secs(1)).await;
    }
}

/// A hand-written future that asks to be polled again by waking its own task: the console
/// counts these as self-wakes (unlike `yield_now`, whose wake the runtime defers until the
/// poll is over).
struct Slices {
    left: u32,
}

impl Future for Slices {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.left == 0 {
            return Poll::Ready(());
        }
        self.left -= 1;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

/// Every two seconds spawns three short jobs that queue on the shared mutex.
async fn dispatcher(totals: Arc<Mutex<Totals>>) {
    loop {
        sleep(Duration::from_secs(2)).await;
        for _ in 0..3 {
            spawn_named("job", job(totals.clone()));
        }
    }
}

/// Holds the mutex across a short sleep, so the other jobs wait for it.
async fn job(totals: Arc<Mutex<Totals>>) {
    let mut totals = totals.lock().await;
    sleep(Duration::from_millis(50)).await;
    totals.jobs_done += 1;
}

/// Idle the whole run: one poll at the start, one wake at the end.
async fn shutdown_listener(shutdown: Arc<Notify>) {
    shutdown.notified().await;
    println!("shutdown-listener: notified");
}

/// Synchronous code on the blocking pool that calls into async code once a second until told
/// to stop; each call shows up in the console as a task of kind `block_on`.
fn sync_bridge(stopping: &AtomicBool) {
    let handle = eddy::runtime::Handle::current();
    while !stopping.load(Ordering::Relaxed) {
        handle.block_on(sleep(Duration::from_secs(1)));
    }
}
