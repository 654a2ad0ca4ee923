//! The command line the binaries share: positional arguments, each with a default, read in
//! order; and the multi-thread runtime they run on, with the worker count the command line
//! gave. (`#[tokio::main]` takes its worker count as a literal, so the binaries call the
//! builder it expands to instead.)
//!
//! Addresses must be loopback ones: these are benchmark fixtures, never meant to leave the
//! machine.

use std::fmt::Debug;
use std::net::SocketAddr;
use std::str::FromStr;

/// The arguments after the program name, consumed left to right.
#[derive(Debug)]
pub struct Args(std::iter::Skip<std::env::Args>);

impl Args {
    /// The process's arguments.
    pub fn from_env() -> Args {
        Args(std::env::args().skip(1))
    }

    /// The next argument as a loopback socket address, or `default` if there is none.
    ///
    /// # Panics
    ///
    /// If the argument is not a socket address on a loopback interface.
    pub fn addr(&mut self, default: &str) -> SocketAddr {
        let addr: SocketAddr = self.next_or("ADDR", default.parse().expect("a valid default"));
        assert!(
            addr.ip().is_loopback(),
            "ADDR must be a loopback address, not {addr}"
        );
        addr
    }

    /// The next argument as a value of `T`, or `default` if there is none.
    ///
    /// # Panics
    ///
    /// If the argument does not parse; the message names it `name`.
    pub fn next_or<T: FromStr>(&mut self, name: &str, default: T) -> T
    where
        T::Err: Debug,
    {
        match self.0.next() {
            Some(text) => text
                .parse()
                .unwrap_or_else(|e| panic!("{name}: cannot parse {text:?}: {e:?}")),
            None => default,
        }
    }

    /// The next argument as a worker count, or the number of CPUs if there is none.
    pub fn workers(&mut self) -> usize {
        let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
        self.next_or("WORKERS", cpus)
    }
}

/// A multi-thread runtime with `workers` workers and every driver enabled: what
/// `#[tokio::main(flavor = "multi_thread", worker_threads = N)]` builds.
pub fn runtime(workers: usize) -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .build()
}
