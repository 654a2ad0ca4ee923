//! eddy's child processes: [`Command`] spawns, [`Child`] waits, kills and pipes, on the reactor.
//!
//! [`Command`] wraps `std::process::Command` and keeps its builder methods; spawning is std's
//! `fork`/`exec`. What eddy adds is waiting without blocking: the child's exit is watched by a
//! pidfd registered with the current runtime's reactor (Linux 5.3 and later), or else by a
//! `SIGCHLD` listener from eddy-signal, and its piped standard streams are non-blocking pipes on
//! the same reactor ([`ChildStdin`], [`ChildStdout`], [`ChildStderr`]). A `Child` dropped
//! before it was waited for is killed if [`Command::kill_on_drop`] asked for it, and is always
//! reaped later by the reactor, so no zombie is left behind (see `orphan.rs`).
//!
//! Spawning must happen inside a runtime with I/O enabled (or after
//! `eddy_reactor::driver::enter`); outside one it panics, as Tokio's does.
//!
//! ```
//! use eddy_core::block_on::block_on;
//! use eddy_process::Command;
//! use eddy_reactor::driver::{self, Driver};
//!
//! let (mut driver, handle) = Driver::new().unwrap();
//! let _reactor = driver::enter(Some(handle));
//! let output = block_on(&mut driver, Command::new("echo").arg("hello").output()).unwrap();
//! assert!(output.status.success());
//! assert_eq!(output.stdout, b"hello\n");
//! ```
#![deny(missing_docs)]

mod child;
mod command;
mod exit;
use eddy_core::loom;
mod orphan;
mod stdio;
mod sys;

pub use child::Child;
pub use command::Command;
pub use stdio::{ChildStderr, ChildStdin, ChildStdout};
