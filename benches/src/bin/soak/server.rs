//! `soak server`: a TCP echo server that keeps serving when it runs out of descriptors.
//!
//! An accept that fails (`EMFILE` under a low `--nofile`) is retried after a short sleep, the way
//! hyper's and axum's accept loops do: retrying at once would keep the listener's readiness and
//! spin. The first such failure prints `saturated`, so the driver knows when to start measuring
//! CPU time. A thread samples RSS every [`RSS_PERIOD`]; the server stops when its standard input
//! closes (the driver holds the other end), or after [`MAX_RUN`] in any case.

use crate::proc;
use crate::Options;
use eddy::io::{AsyncReadExt, AsyncWriteExt};
use eddy::net::{TcpListener, TcpSocket, TcpStream};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

const RSS_PERIOD: Duration = Duration::from_secs(5);
const MAX_RUN: Duration = Duration::from_secs(20 * 60);
const ACCEPT_BACKOFF: Duration = Duration::from_millis(10);

static ACCEPTED: AtomicU64 = AtomicU64::new(0);
static ACCEPT_ERRORS: AtomicU64 = AtomicU64::new(0);

/// Runs the server until its standard input closes.
pub fn run(options: &Options) {
    proc::set_nofile(options.text("nofile").map(|_| options.number("nofile", 0)));
    let runtime = crate::multi_thread_runtime();
    let stop = stdin_closed();
    runtime.block_on(async {
        let listener = listen().expect("listen on 127.0.0.1");
        println!("addr {}", listener.local_addr().expect("local address"));
        eddy::select! {
            _ = serve(listener) => {}
            _ = stop => {}
            _ = eddy::time::sleep(MAX_RUN) => {}
        }
    });
    drop(runtime);
    println!(
        "accepted {} accept_errors {}",
        ACCEPTED.load(Ordering::Relaxed),
        ACCEPT_ERRORS.load(Ordering::Relaxed)
    );
}

/// A listener with a backlog deep enough for 10,000 connections arriving at once.
fn listen() -> std::io::Result<TcpListener> {
    let socket = TcpSocket::new_v4()?;
    socket.bind("127.0.0.1:0".parse().expect("address"))?;
    socket.listen(4096)
}

/// Resolves once standard input reaches its end; a thread also samples RSS meanwhile.
fn stdin_closed() -> eddy::sync::oneshot::Receiver<()> {
    let (closed, receiver) = eddy::sync::oneshot::channel();
    std::thread::spawn(move || {
        let _ = std::io::copy(&mut std::io::stdin(), &mut std::io::sink());
        let _ = closed.send(());
    });
    let mut rss = proc::Rss::open();
    std::thread::spawn(move || {
        let start = Instant::now();
        loop {
            println!("rss {} {}", start.elapsed().as_secs(), rss.kb());
            std::thread::sleep(RSS_PERIOD);
        }
    });
    receiver
}

async fn serve(listener: TcpListener) {
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                ACCEPTED.fetch_add(1, Ordering::Relaxed);
                eddy::spawn(echo(stream));
            }
            Err(_) => {
                if ACCEPT_ERRORS.fetch_add(1, Ordering::Relaxed) == 0 {
                    println!("saturated");
                }
                eddy::time::sleep(ACCEPT_BACKOFF).await;
            }
        }
    }
}

async fn echo(mut stream: TcpStream) {
    let mut buf = vec![0; 4096];
    loop {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => {
                if stream.write_all(&buf[..n]).await.is_err() {
                    return;
                }
            }
        }
    }
}
