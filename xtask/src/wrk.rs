//! `wrk` against `examples/hello-http` on eddy and the same source on Tokio.
//!
//! Each server runs as its own process (release build) at 1 and 2 workers; `wrk` runs with 100
//! connections for a few seconds. Rows: requests per second (higher is better, so the ratio is
//! tokio/eddy inverted into eddy/tokio of *time per request*) and p99 latency.

use crate::bench::Row;
use crate::cmd::cargo;
use crate::server::{wait_for, Server};
use std::process::{Command, Stdio};

const CONNECTIONS: &str = "100";
const SECONDS: &str = "5s";

pub fn rows() -> Result<Vec<Row>, String> {
    if !installed() {
        return Ok(Vec::new());
    }
    cargo(&[
        "build",
        "--release",
        "-q",
        "-p",
        "eddy-examples",
        "--example",
        "hello-http",
    ])
    .run()?;
    cargo(&[
        "build",
        "--release",
        "-q",
        "-p",
        "eddy-benches",
        "--bin",
        "hello_http_tokio",
    ])
    .run()?;
    let target = std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into());
    let eddy_bin = format!("{target}/release/examples/hello-http");
    let tokio_bin = format!("{target}/release/hello_http_tokio");
    let mut rows = Vec::new();
    for (workers, port) in [(1, 18084), (2, 18085)] {
        let eddy = measure(&eddy_bin, port, workers)?;
        let tokio = measure(&tokio_bin, port + 10, workers)?;
        let section = format!(
            "hello-http under wrk, {workers} worker{}",
            if workers == 1 { "" } else { "s" }
        );
        rows.push(Row::new(
            &section,
            "time per request (1 / requests per second)",
            1e9 / eddy.0,
            1e9 / tokio.0,
            "time",
        ));
        rows.push(Row::new(&section, "p99 latency", eddy.1, tokio.1, "time"));
    }
    Ok(rows)
}

/// Whether `wrk` can be run; if not, says so and that its rows are skipped.
pub fn installed() -> bool {
    let found = Command::new("wrk").arg("--version").output().is_ok();
    if !found {
        eprintln!("xtask: wrk not found (apt-get install wrk); skipping the HTTP rows");
    }
    found
}

/// Runs `binary ADDR WORKERS` on 127.0.0.1:`port` and `wrk` against it; returns (requests per
/// second, p99 latency in ns).
fn measure(binary: &str, port: u16, workers: usize) -> Result<(f64, f64), String> {
    let addr = format!("127.0.0.1:{port}");
    let _server = Server::start(
        Command::new(binary)
            .args([&addr, &workers.to_string()])
            .stdout(Stdio::null()),
    )?;
    wait_for(&addr)?;
    load(&addr)
}

/// Runs `wrk` against `http://ADDR/`; returns (requests per second, p99 latency in ns).
pub fn load(addr: &str) -> Result<(f64, f64), String> {
    let output = Command::new("wrk")
        .args([
            "-t2",
            "-c",
            CONNECTIONS,
            "-d",
            SECONDS,
            "--latency",
            &format!("http://{addr}/"),
        ])
        .output()
        .map_err(|e| format!("wrk: {e}"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    let rps = field(&text, "Requests/sec:").ok_or("wrk printed no Requests/sec")?;
    let p99 = text
        .lines()
        .find(|l| l.trim_start().starts_with("99%"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(parse_latency)
        .ok_or("wrk printed no 99% latency")?;
    Ok((rps, p99))
}

fn field(text: &str, name: &str) -> Option<f64> {
    let line = text.lines().find(|l| l.starts_with(name))?;
    line[name.len()..].trim().parse().ok()
}

/// Parses wrk's latency ("512.00us", "1.20ms", "2.00s") into nanoseconds.
fn parse_latency(text: &str) -> Option<f64> {
    let (number, scale) = if let Some(n) = text.strip_suffix("us") {
        (n, 1e3)
    } else if let Some(n) = text.strip_suffix("ms") {
        (n, 1e6)
    } else if let Some(n) = text.strip_suffix('s') {
        (n, 1e9)
    } else {
        return None;
    };
    number.parse::<f64>().ok().map(|v| v * scale)
}
