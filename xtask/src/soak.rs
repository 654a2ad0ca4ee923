//! `cargo xtask soak`: the long reliability runs (not part of CI), whose figures go into
//! `docs/reliability.md`.
//!
//! It builds `benches`' `soak` binary in release mode and runs it in three set-ups, all on
//! 127.0.0.1 and all bounded in time:
//!
//! * **echo**: a server process and a clients process, 10,000 connections for 60 s, every byte
//!   checked; the server's RSS samples after a warm-up show whether memory stays flat.
//! * **tasks**: a million tasks, half aborted, the runtime dropped, on each flavor; the heap
//!   bytes and descriptors left behind must be zero.
//! * **fd-limit**: the server with `RLIMIT_NOFILE` at 256 and 1,000 clients holding their
//!   connections for 5 s each; all must be served in the end, and the server's CPU time while it
//!   is out of descriptors (read from `/proc/<pid>/stat`) shows whether it spins.
//!
//! A lost byte, a leak or an unserved client fails the run; the figures are printed as Markdown.

use crate::cmd::cargo;
use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

const SOAK: &str = "target/release/soak";
/// Server RSS samples from before this many seconds are warm-up.
const WARM_UP_SECS: u64 = 20;
/// How long the server's CPU time is measured once it is out of descriptors.
const CPU_WINDOW: Duration = Duration::from_secs(3);
/// How long the driver waits for a line from the server before giving up.
const LINE_TIMEOUT: Duration = Duration::from_secs(60);

/// Runs every soak and prints the figures.
pub fn run() -> Result<(), String> {
    cargo(&["build", "--release", "-p", "eddy-benches", "--bin", "soak"]).run()?;
    println!("| soak | figure |\n| --- | --- |");
    let show = |rows: Vec<String>| println!("{}", rows.join("\n"));
    show(echo()?);
    for flavor in ["current", "multi"] {
        show(tasks(flavor)?);
    }
    show(fd_limit()?);
    Ok(())
}

fn echo() -> Result<Vec<String>, String> {
    let server = Server::start(&[])?;
    let clients = run_clients(&server.addr, &["--conns", "10000", "--secs", "60"])?;
    let lines = server.stop()?;
    let rss: Vec<(u64, u64)> = lines
        .iter()
        .filter_map(|line| match line.as_slice() {
            [key, secs, kb] if key == "rss" => Some((secs.parse().ok()?, kb.parse().ok()?)),
            _ => None,
        })
        .filter(|&(secs, _)| secs >= WARM_UP_SECS)
        .collect();
    let (min, max) = rss
        .iter()
        .fold((u64::MAX, 0), |(lo, hi), &(_, kb)| (lo.min(kb), hi.max(kb)));
    let samples: Vec<String> = rss.iter().map(|(s, kb)| format!("{s}s: {kb}")).collect();
    Ok(vec![
        row("echo: clients", &clients),
        row(
            "echo: server nofile (soft before, after, hard)",
            &nofile(&lines),
        ),
        format!(
            "| echo: server RSS after {WARM_UP_SECS} s warm-up (kB) | min {min}, max {max} ({}) |",
            samples.join(", ")
        ),
    ])
}

fn tasks(flavor: &str) -> Result<Vec<String>, String> {
    let out = Command::new(SOAK)
        .args(["tasks", "--flavor", flavor, "--count", "1000000"])
        .output()
        .map_err(|error| format!("could not start {SOAK}: {error}"))?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    if !out.status.success() {
        return Err(format!("soak tasks --flavor {flavor} failed:\n{text}"));
    }
    let values = key_values(&text);
    let get = |key: &str| values.get(key).cloned().unwrap_or_default();
    if get("leaked_bytes") != "0" || values.get("fds_before") != values.get("fds_after") {
        return Err(format!(
            "soak tasks --flavor {flavor} left something:\n{text}"
        ));
    }
    Ok(vec![
        row(&format!("tasks ({flavor}-thread)"), &get("tasks")),
        row(
            &format!("tasks ({flavor}-thread): live heap bytes before"),
            &get("heap_before"),
        ),
        row(
            &format!("tasks ({flavor}-thread): leaked bytes"),
            &get("leaked_bytes"),
        ),
        row(
            &format!("tasks ({flavor}-thread): fds before"),
            &get("fds_before"),
        ),
    ])
}

fn fd_limit() -> Result<Vec<String>, String> {
    let mut server = Server::start(&["--nofile", "256"])?;
    let clients = Command::new(SOAK)
        .args(["clients", "--addr", &server.addr])
        .args(["--conns", "1000", "--secs", "5", "--pause-ms", "250"])
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|error| format!("could not start the clients: {error}"))?;
    server.wait_for("saturated")?;
    let before = cpu_ticks(server.child.id())?;
    std::thread::sleep(CPU_WINDOW);
    let ticks = cpu_ticks(server.child.id())? - before;
    let clients = finish_clients(clients)?;
    let lines = server.stop()?;
    let cpu = ticks as f64 / clock_ticks_per_second() / CPU_WINDOW.as_secs_f64();
    Ok(vec![
        row("fd-limit: clients", &clients),
        row(
            "fd-limit: server nofile (soft before, after, hard)",
            &nofile(&lines),
        ),
        row(
            "fd-limit: server CPU while out of descriptors",
            &format!(
                "{:.1}% of a core over {} s",
                cpu * 100.0,
                CPU_WINDOW.as_secs()
            ),
        ),
        row("fd-limit: server", &find(&lines, "accepted").join(" ")),
    ])
}

fn row(name: &str, value: &str) -> String {
    format!("| {name} | {value} |")
}

fn nofile(lines: &[Vec<String>]) -> String {
    find(lines, "nofile")[1..].join(", ")
}

fn find(lines: &[Vec<String>], key: &str) -> Vec<String> {
    lines
        .iter()
        .find(|line| line.first().is_some_and(|first| first == key))
        .cloned()
        .unwrap_or_else(|| vec![key.to_owned(), "?".to_owned()])
}

/// `key value...` lines as a map from the key to the rest of the line.
fn key_values(text: &str) -> HashMap<String, String> {
    text.lines()
        .filter_map(|line| line.split_once(' '))
        .map(|(key, rest)| (key.to_owned(), rest.to_owned()))
        .collect()
}

fn run_clients(addr: &str, args: &[&str]) -> Result<String, String> {
    let clients = Command::new(SOAK)
        .args(["clients", "--addr", addr])
        .args(args)
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|error| format!("could not start the clients: {error}"))?;
    finish_clients(clients)
}

/// Waits for the clients and returns their summary; any failed connection is an error.
fn finish_clients(clients: Child) -> Result<String, String> {
    let out = clients
        .wait_with_output()
        .map_err(|error| format!("clients: {error}"))?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let summary = key_values(&text).remove("conns").unwrap_or_default();
    if !out.status.success() || !summary.contains("failed 0 ") {
        return Err(format!("the clients failed:\n{text}"));
    }
    Ok(format!("conns {summary}"))
}

/// A `soak server` child, its standard input held open and its output read line by line.
struct Server {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<Vec<String>>,
    seen: Vec<Vec<String>>,
    addr: String,
}

impl Server {
    fn start(args: &[&str]) -> Result<Server, String> {
        let mut child = Command::new(SOAK)
            .arg("server")
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|error| format!("could not start {SOAK} server: {error}"))?;
        let stdout = child.stdout.take().expect("piped stdout");
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let words = line.split_whitespace().map(str::to_owned).collect();
                if sender.send(words).is_err() {
                    return;
                }
            }
        });
        let mut server = Server {
            stdin: child.stdin.take(),
            child,
            lines,
            seen: Vec::new(),
            addr: String::new(),
        };
        server.addr = server.wait_for("addr")?[1].clone();
        Ok(server)
    }

    /// Reads lines until one starts with `key`, and returns it.
    fn wait_for(&mut self, key: &str) -> Result<Vec<String>, String> {
        loop {
            let line = self
                .lines
                .recv_timeout(LINE_TIMEOUT)
                .map_err(|_| format!("the server never printed `{key}`"))?;
            self.seen.push(line.clone());
            if line.first().is_some_and(|first| first == key) {
                return Ok(line);
            }
        }
    }

    /// Closes the server's standard input (its signal to stop) and returns all it printed.
    fn stop(mut self) -> Result<Vec<Vec<String>>, String> {
        drop(self.stdin.take());
        let status = self.child.wait().map_err(|error| error.to_string())?;
        self.seen.extend(self.lines.iter());
        if !status.success() {
            return Err(format!("the server failed ({status})"));
        }
        Ok(self.seen)
    }
}

/// User plus system CPU time of process `pid`, in clock ticks (`/proc/<pid>/stat`).
fn cpu_ticks(pid: u32) -> Result<u64, String> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).map_err(|e| e.to_string())?;
    // The command name, in parentheses, may hold spaces: count fields after its closing one.
    let after_name = &stat[stat.rfind(')').ok_or("malformed stat")? + 2..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the line; field 3 is the first after the name.
    let field = |index: usize| fields.get(index).and_then(|f| f.parse::<u64>().ok());
    Ok(field(11).ok_or("no utime")? + field(12).ok_or("no stime")?)
}

fn clock_ticks_per_second() -> f64 {
    // SAFETY: sysconf only reads a configuration value.
    unsafe { libc::sysconf(libc::_SC_CLK_TCK) as f64 }
}
