//! `soak clients`: many connections at once, every byte they get back checked.
//!
//! Each connection sends messages of varying length (1 to [`MAX_MESSAGE`] bytes) whose bytes
//! depend on the connection and on their offset in its stream, so a lost, repeated, reordered
//! or crossed byte shows up as a mismatch. It waits for each echo before the next message, runs
//! for `--secs` from its first echo (pausing `--pause-ms` between messages), then shuts down its
//! write half and expects the server's end of stream with nothing after the last echo.

use crate::Options;
use eddy::io::{AsyncReadExt, AsyncWriteExt};
use eddy::net::TcpStream;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

const MAX_MESSAGE: usize = 2048;
/// How many distinct failures are printed.
const ERRORS_SHOWN: usize = 5;

/// Runs every client and prints `conns N ok K failed F bytes B secs T`.
pub fn run(options: &Options) {
    crate::proc::set_nofile(None);
    let addr: SocketAddr = options
        .text("addr")
        .and_then(|addr| addr.parse().ok())
        .unwrap_or_else(|| crate::usage());
    let conns = options.number("conns", 1000);
    let session = Duration::from_secs(options.number("secs", 60));
    let pause = Duration::from_millis(options.number("pause-ms", 0));
    let timeout = Duration::from_secs(options.number("timeout", 300));
    let start = Instant::now();
    let results = crate::multi_thread_runtime().block_on(async move {
        let handles: Vec<_> = (0..conns)
            .map(|id| {
                let client = client(addr, id, session, pause);
                eddy::spawn(eddy::time::timeout(timeout, client))
            })
            .collect();
        let mut results = Vec::with_capacity(handles.len());
        for handle in handles {
            results.push(match handle.await.expect("client task") {
                Ok(result) => result,
                Err(_) => Err("timed out".to_owned()),
            });
        }
        results
    });
    report(&results, start.elapsed());
}

fn report(results: &[Result<u64, String>], elapsed: Duration) {
    let bytes: u64 = results
        .iter()
        .filter_map(|result| result.as_ref().ok())
        .sum();
    let failed: Vec<&String> = results.iter().filter_map(|r| r.as_ref().err()).collect();
    for error in failed.iter().take(ERRORS_SHOWN) {
        println!("error {error}");
    }
    println!(
        "conns {} ok {} failed {} bytes {bytes} secs {:.1}",
        results.len(),
        results.len() - failed.len(),
        failed.len(),
        elapsed.as_secs_f64()
    );
}

/// One connection's session; returns the bytes echoed and checked.
async fn client(
    addr: SocketAddr,
    id: u64,
    session: Duration,
    pause: Duration,
) -> Result<u64, String> {
    let fail = |what: &str, error: std::io::Error| format!("{what}: {error}");
    let mut stream = TcpStream::connect(addr)
        .await
        .map_err(|e| fail("connect", e))?;
    let mut message = Vec::with_capacity(MAX_MESSAGE);
    let mut echo = vec![0; MAX_MESSAGE];
    let mut offset = 0u64;
    let mut end = None;
    for exchange in 0u64.. {
        fill(&mut message, id, exchange, offset);
        let len = message.len();
        stream
            .write_all(&message)
            .await
            .map_err(|e| fail("write", e))?;
        stream
            .read_exact(&mut echo[..len])
            .await
            .map_err(|e| fail("read", e))?;
        if echo[..len] != message[..] {
            return Err(format!(
                "connection {id}: wrong bytes after offset {offset}"
            ));
        }
        offset += len as u64;
        if Instant::now() >= *end.get_or_insert_with(|| Instant::now() + session) {
            break;
        }
        if !pause.is_zero() {
            eddy::time::sleep(pause).await;
        }
    }
    stream.shutdown().await.map_err(|e| fail("shutdown", e))?;
    match stream.read(&mut echo).await {
        Ok(0) => Ok(offset),
        Ok(_) => Err(format!("connection {id}: bytes after the last echo")),
        Err(error) => Err(fail("read at end", error)),
    }
}

/// The next message of connection `id`: its length and bytes follow from the connection, the
/// exchange number and the stream offset.
fn fill(message: &mut Vec<u8>, id: u64, exchange: u64, offset: u64) {
    let len = 1 + (exchange.wrapping_mul(7919).wrapping_add(id) % MAX_MESSAGE as u64);
    message.clear();
    message.extend((offset..offset + len).map(|at| pattern(id, at)));
}

fn pattern(id: u64, at: u64) -> u8 {
    (at ^ (at >> 8) ^ (at >> 16) ^ id.wrapping_mul(131)) as u8
}
