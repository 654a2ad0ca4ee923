//! The ecosystem rows: axum's hello world under `wrk` and a tonic unary call under `grpc-load`,
//! with the servers built on eddy and on Tokio from the same source.
//!
//! The source is `ecosystem/servers`. The `ecosystem/` workspace builds it with `tokio` patched
//! onto eddy; `benches/ecosystem-tokio/` builds the same files (its targets point at them) with
//! the real Tokio, so the two builds differ only in the `tokio` they link. Both are release
//! builds with `debug = 1` (as in the main workspace, for `perf`), each into its own
//! workspace's target directory, so that a `CARGO_TARGET_DIR` cannot make the twin binaries
//! overwrite each other. The gRPC load comes from the Tokio-built `grpc-load` in every run, so
//! that only the server changes.
//!
//! For 1 and 2 server workers, each comparison runs [`RUNS`] times, eddy and Tokio taking turns
//! (and turns at going first), each run a fresh server process on a fresh port; the rows are
//! the medians. `wrk` runs through [`crate::wrk::load`], exactly as for the hello-http rows.
//! Besides throughput and latency, each run reads the server's CPU time (user and system, from
//! `/proc`) over the load and divides it by the requests served: where the load generator and
//! the rest of the machine compete with the server for two cores, that is the steadier measure
//! of what the runtime costs per request.

use crate::bench::{median_of, Row};
use crate::cmd::{cargo, Cmd};
use crate::server::{wait_for, Server};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

/// Runs per runtime and worker count; odd, so the median is one run's value.
const RUNS: usize = 7;

/// `grpc-load`'s arguments after the address: 10 connections x 10 streams (100 calls in
/// flight, as `wrk` keeps 100 requests in flight), 5 seconds, 2 client workers (as `wrk -t2`).
const LOAD: [&str; 4] = ["10", "10", "5", "2"];

/// The two builds of `ecosystem/servers`: the workspace manifest, cargo's package selection in
/// it, and the target directory the binaries land in.
const EDDY: (&str, &[&str], &str) = (
    "ecosystem/Cargo.toml",
    &["-p", "ecosystem-servers"],
    "ecosystem/target",
);
const TOKIO: (&str, &[&str], &str) = (
    "benches/ecosystem-tokio/Cargo.toml",
    &[],
    "benches/ecosystem-tokio/target",
);

/// Builds both, runs both comparisons at 1 and 2 workers, and returns their rows.
pub fn rows() -> Result<Vec<Row>, String> {
    let eddy = build(EDDY)?;
    let tokio = build(TOKIO)?;
    let load = tokio.join("grpc-load");
    let wrk = crate::wrk::installed();
    let mut rows = Vec::new();
    for workers in [1, 2] {
        if wrk {
            rows.extend(axum_rows(&eddy, &tokio, workers)?);
        }
        rows.extend(grpc_rows(&eddy, &tokio, &load, workers)?);
    }
    Ok(rows)
}

/// Builds a workspace's binaries in release mode; returns the directory they are in.
fn build((manifest, packages, target): (&str, &[&str], &str)) -> Result<PathBuf, String> {
    cargo(&[
        "build",
        "--release",
        "-q",
        "--bins",
        "--manifest-path",
        manifest,
    ])
    .args(packages)
    .args(&["--target-dir", target])
    .env("CARGO_PROFILE_RELEASE_DEBUG", "1")
    .run()?;
    Ok(Path::new(target).join("release"))
}

fn axum_rows(eddy: &Path, tokio: &Path, workers: usize) -> Result<Vec<Row>, String> {
    let binary = |dir: &Path| dir.join("axum-hello");
    let [eddy, tokio] = alternate(&binary(eddy), &binary(tokio), |server| {
        let ((rps, p99, seconds), cpu) = serve_and_load(server, workers, |addr| {
            let start = Instant::now();
            let (rps, p99) = crate::wrk::load(addr)?;
            Ok((rps, p99, start.elapsed().as_secs_f64()))
        })?;
        Ok([1e9 / rps, p99, cpu / (rps * seconds)])
    })?;
    let section = format!("axum hello world under wrk, {}", workers_label(workers));
    let workloads = [
        "time per request (1 / requests per second)",
        "p99 latency",
        "server CPU time per request",
    ];
    Ok(rows_of(&section, &workloads, eddy, tokio))
}

fn grpc_rows(eddy: &Path, tokio: &Path, load: &Path, workers: usize) -> Result<Vec<Row>, String> {
    let binary = |dir: &Path| dir.join("grpc-server");
    let [eddy, tokio] = alternate(&binary(eddy), &binary(tokio), |server| {
        let ([calls, rps, p50, p99], cpu) =
            serve_and_load(server, workers, |addr| grpc_load(load, addr))?;
        Ok([1e9 / rps, p50, p99, cpu / calls])
    })?;
    let section = format!(
        "tonic unary call under grpc-load, {}",
        workers_label(workers)
    );
    let workloads = [
        "time per call (1 / calls per second)",
        "p50 latency",
        "p99 latency",
        "server CPU time per call",
    ];
    Ok(rows_of(&section, &workloads, eddy, tokio))
}

/// One row per workload, the values in nanoseconds at the same index.
fn rows_of<const N: usize>(
    section: &str,
    workloads: &[&str; N],
    eddy: [f64; N],
    tokio: [f64; N],
) -> Vec<Row> {
    (0..N)
        .map(|i| Row::new(section, workloads[i], eddy[i], tokio[i], "time"))
        .collect()
}

/// Measures eddy's binary and Tokio's [`RUNS`] times each, taking turns and alternating which
/// goes first; returns the median of each measured value, eddy's then Tokio's. Each run's
/// values go to stderr (in ns), so that the spread behind a median can be read.
fn alternate<const N: usize>(
    eddy: &Path,
    tokio: &Path,
    mut measure: impl FnMut(&Path) -> Result<[f64; N], String>,
) -> Result<[[f64; N]; 2], String> {
    let mut samples = [vec![], vec![]];
    for run in 0..RUNS {
        let order = if run % 2 == 0 { [0, 1] } else { [1, 0] };
        for side in order {
            let server = [eddy, tokio][side];
            let values = measure(server)?;
            eprintln!("xtask: {} run {run}: {values:.0?}", server.display());
            samples[side].push(values);
        }
    }
    Ok(samples.map(|runs| {
        std::array::from_fn(|i| median_of(&runs.iter().map(|r| r[i]).collect::<Vec<_>>()))
    }))
}

/// Starts `server ADDR WORKERS` on a fresh port, runs `load` against it, and stops it; returns
/// what `load` returned and the CPU time (user and system, ns) the server spent meanwhile.
fn serve_and_load<T>(
    server: &Path,
    workers: usize,
    load: impl FnOnce(&str) -> Result<T, String>,
) -> Result<(T, f64), String> {
    let addr = format!("127.0.0.1:{}", free_port()?);
    let process = Server::start(
        Command::new(server)
            .args([&addr, &workers.to_string()])
            .stdout(Stdio::null()),
    )?;
    wait_for(&addr)?;
    let before = cpu_time(process.id())?;
    let result = load(&addr)?;
    Ok((result, cpu_time(process.id())? - before))
}

/// The CPU time, user and system, in ns, that process `pid` has used so far (all threads,
/// the exited ones included): fields 14 and 15 of `/proc/PID/stat`, in clock ticks.
fn cpu_time(pid: u32) -> Result<f64, String> {
    let path = format!("/proc/{pid}/stat");
    let stat = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
    // The command name (field 2) is in parentheses and may hold spaces: count after it.
    let fields: Vec<&str> = stat[stat.rfind(')').ok_or("no `)`")? + 1..]
        .split_whitespace()
        .collect();
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok());
    let (Some(user), Some(system)) = (ticks(11), ticks(12)) else {
        return Err(format!("{path}: no utime/stime in `{stat}`"));
    };
    Ok((user + system) * 1e9 / clock_ticks_per_second()?)
}

fn clock_ticks_per_second() -> Result<f64, String> {
    let output = Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .map_err(|e| format!("getconf: {e}"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    text.trim()
        .parse()
        .map_err(|e| format!("getconf CLK_TCK printed `{text}`: {e}"))
}

/// Runs the `load` client against `addr`: calls, calls per second, p50 and p99 in ns.
fn grpc_load(load: &Path, addr: &str) -> Result<[f64; 4], String> {
    // `output` fails on a non-zero exit, which `grpc-load` gives when any call failed.
    let output = Cmd::new(&load.to_string_lossy())
        .args(&[addr])
        .args(&LOAD)
        .output()?;
    let field = |name: &str| {
        output
            .split_whitespace()
            .find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
            .and_then(|value| value.parse::<f64>().ok())
            .ok_or_else(|| format!("grpc-load printed no {name} in `{}`", output.trim()))
    };
    Ok([
        field("calls")?,
        field("rps")?,
        field("p50_us")? * 1e3,
        field("p99_us")? * 1e3,
    ])
}

/// A port nothing listens on now: the kernel's pick for a socket bound and closed at once.
/// A fresh port per run keeps a server from meeting its predecessor's closing connections.
fn free_port() -> Result<u16, String> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|addr| addr.port())
        .map_err(|e| format!("binding 127.0.0.1:0: {e}"))
}

fn workers_label(workers: usize) -> String {
    match workers {
        1 => "1 worker".to_owned(),
        n => format!("{n} workers"),
    }
}
