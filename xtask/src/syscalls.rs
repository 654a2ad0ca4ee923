//! System calls per echoed message: `strace -c -f` attached to `examples/echo.rs` on eddy and the
//! same source on Tokio, while a blocking client echoes `MESSAGES` messages over one connection.
//!
//! The floor is one read and one write per message on the server; anything above that is
//! readiness polling (`epoll_wait`), wake-ups between threads (`futex`, eventfd writes) or
//! retries. Start-up calls are spread over the messages and add well under 0.01 per message.

use crate::bench::Row;
use crate::cmd::cargo;
use crate::server::{wait_for, Server};
use std::collections::BTreeMap;
use std::process::{Command, Stdio};

const MESSAGES: &str = "20000";
const SIZE: &str = "64";

pub fn rows() -> Result<Vec<Row>, String> {
    if Command::new("strace").arg("-V").output().is_err() {
        eprintln!("xtask: strace not found (apt-get install strace); skipping the syscall rows");
        return Ok(Vec::new());
    }
    cargo(&[
        "build",
        "--release",
        "-q",
        "-p",
        "eddy-examples",
        "--example",
        "echo",
    ])
    .run()?;
    cargo(&[
        "build",
        "--release",
        "-q",
        "-p",
        "eddy-benches",
        "--bin",
        "echo_tokio",
        "--bin",
        "echo_load",
    ])
    .run()?;
    let target = std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into());
    let eddy = count(&format!("{target}/release/examples/echo"), 18090, &target)?;
    let tokio = count(&format!("{target}/release/echo_tokio"), 18091, &target)?;
    let messages: f64 = MESSAGES.parse().unwrap_or(1.0);
    let per_message = |counts: &BTreeMap<String, f64>, names: &[&str]| -> f64 {
        names
            .iter()
            .map(|name| counts.get(*name).copied().unwrap_or(0.0))
            .sum::<f64>()
            / messages
    };
    let section = "tcp echo server, system calls per echoed 64 B message (strace -c -f)";
    let groups: [(&str, &[&str]); 4] = [
        (
            "reads (read, recvfrom, readv, recvmsg)",
            &["read", "recvfrom", "readv", "recvmsg"],
        ),
        (
            "writes (write, sendto, writev, sendmsg)",
            &["write", "sendto", "writev", "sendmsg"],
        ),
        (
            "readiness waits (epoll_wait, epoll_pwait)",
            &["epoll_wait", "epoll_pwait"],
        ),
        ("thread wake-ups (futex)", &["futex"]),
    ];
    let mut rows: Vec<Row> = groups
        .iter()
        .map(|(label, names)| {
            Row::new(
                section,
                label,
                per_message(&eddy, names),
                per_message(&tokio, names),
                "calls",
            )
        })
        .collect();
    let total = |counts: &BTreeMap<String, f64>| counts.values().sum::<f64>() / messages;
    rows.push(Row::new(
        section,
        "all system calls",
        total(&eddy),
        total(&tokio),
        "calls",
    ));
    Ok(rows)
}

/// Attaches strace to every thread of `server` while the load client echoes; returns calls per
/// syscall name. Attaching (rather than starting the server under strace) lets a SIGINT detach
/// strace cleanly and print its summary while the server keeps running.
fn count(server: &str, port: u16, target: &str) -> Result<BTreeMap<String, f64>, String> {
    let addr = format!("127.0.0.1:{port}");
    let summary = format!("{target}/strace-{port}.txt");
    let server = Server::start(Command::new(server).arg(&addr).stdout(Stdio::null()))?;
    wait_for(&addr)?;
    let mut strace = Command::new("strace");
    strace.args(["-f", "-c", "-o", &summary]);
    for thread in threads(server.id())? {
        strace.args(["-p", &thread]);
    }
    let tracer = Server::start(strace.stderr(Stdio::null()))?;
    std::thread::sleep(std::time::Duration::from_millis(500));
    let status = Command::new(format!("{target}/release/echo_load"))
        .args([&addr, MESSAGES, SIZE])
        .status()
        .map_err(|e| format!("echo_load: {e}"))?;
    if !status.success() {
        return Err(format!("echo_load failed ({status})"));
    }
    tracer.interrupt()?;
    drop(server);
    let text = std::fs::read_to_string(&summary).map_err(|e| format!("{summary}: {e}"))?;
    Ok(parse_summary(&text))
}

/// The thread ids of process `pid`.
fn threads(pid: u32) -> Result<Vec<String>, String> {
    let dir = format!("/proc/{pid}/task");
    let entries = std::fs::read_dir(&dir).map_err(|e| format!("{dir}: {e}"))?;
    Ok(entries
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .collect())
}

/// Parses strace's `-c` table: `% time  seconds  usecs/call  calls  [errors]  syscall`.
fn parse_summary(text: &str) -> BTreeMap<String, f64> {
    text.lines()
        .filter_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            if fields.len() < 5 || fields[0].parse::<f64>().is_err() {
                return None;
            }
            let name = *fields.last()?;
            if name == "total" {
                return None;
            }
            Some((name.to_owned(), fields[3].parse().ok()?))
        })
        .collect()
}
