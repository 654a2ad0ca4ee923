//! The programs behind `cargo xtask soak`: long, bounded runs that look for lost bytes, leaks and
//! spinning, whose figures go into `docs/reliability.md`.
//!
//! Each mode is one process, so that a descriptor limit, an RSS sample or a CPU-time reading
//! belongs to one role only:
//!
//! * `soak server [--nofile N]`: a TCP echo server on 127.0.0.1 (multi-thread runtime). It prints
//!   `addr A`, samples its own RSS, and stops when its standard input closes.
//! * `soak clients --addr A --conns N --secs S [--pause-ms P] [--timeout S]`: N connections at
//!   once, each exchanging checked messages for S seconds from its first echo.
//! * `soak tasks --flavor current|multi [--count N]`: spawns N tasks, aborts half, drops the
//!   runtime and compares the live heap bytes and open descriptors with those before.
//!
//! Every mode prints `key value...` lines on standard output for the driver to read. The heap is
//! counted by [`alloc::Counting`], this binary's global allocator.

mod alloc;
mod clients;
mod proc;
mod server;
mod tasks;

use std::collections::HashMap;

#[global_allocator]
static ALLOCATOR: alloc::Counting = alloc::Counting;

const USAGE: &str = "usage: soak server [--nofile N]
       soak clients --addr A --conns N --secs S [--pause-ms P] [--timeout S]
       soak tasks --flavor current|multi [--count N]";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((mode, rest)) = args.split_first() else {
        usage();
    };
    let options = Options::parse(rest);
    match mode.as_str() {
        "server" => server::run(&options),
        "clients" => clients::run(&options),
        "tasks" => tasks::run(&options),
        _ => usage(),
    }
}

fn usage() -> ! {
    eprintln!("{USAGE}");
    std::process::exit(2);
}

/// `--name value` pairs from the command line.
#[derive(Debug)]
pub struct Options(HashMap<String, String>);

impl Options {
    fn parse(args: &[String]) -> Options {
        let mut map = HashMap::new();
        for pair in args.chunks(2) {
            match pair {
                [name, value] if name.starts_with("--") => {
                    map.insert(name[2..].to_owned(), value.clone());
                }
                _ => usage(),
            }
        }
        Options(map)
    }

    /// The option's value as a string, if given.
    pub fn text(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    /// The option's value parsed as a number, or `default`.
    pub fn number(&self, name: &str, default: u64) -> u64 {
        self.text(name)
            .map_or(default, |value| value.parse().unwrap_or_else(|_| usage()))
    }
}

/// A multi-thread runtime with both drivers, as a server in production would use.
pub fn multi_thread_runtime() -> eddy::runtime::Runtime {
    eddy::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("multi-thread runtime")
}
