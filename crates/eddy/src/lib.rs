//! eddy: an async runtime for Rust with Tokio's API.
//!
//! eddy runs async code on a multi-thread work-stealing scheduler (or a single thread), waits
//! for sockets with epoll through mio, keeps timers in a hierarchical wheel, and offers channels
//! and async-aware locks. Its public paths and signatures follow Tokio 1.x module by module, so a
//! program written for Tokio compiles against eddy after renaming the dependency:
//!
//! ```toml
//! [dependencies]
//! tokio = { package = "eddy", path = "...", features = ["full"] }
//! ```
//!
//! This crate is a facade: it holds no logic, only re-exports of eddy's sub-crates behind
//! features. Each sub-crate can also be used alone (`eddy-sync` under any executor, for one).
//!
//! ```
//! # #[cfg(all(feature = "rt", feature = "time"))]
//! # fn main() {
//! use std::time::Duration;
//!
//! let runtime = eddy::runtime::Builder::new_current_thread()
//!     .enable_all()
//!     .build()
//!     .unwrap();
//! let answer = runtime.block_on(async {
//!     let task = eddy::spawn(async {
//!         eddy::time::sleep(Duration::from_millis(1)).await;
//!         6 * 7
//!     });
//!     task.await.unwrap()
//! });
//! assert_eq!(answer, 42);
//! # }
//! # #[cfg(not(all(feature = "rt", feature = "time")))]
//! # fn main() {}
//! ```
//!
//! # Features
//!
//! | feature | what it enables | sub-crate |
//! | --- | --- | --- |
//! | `rt` | `runtime` (current-thread), `spawn`, `task`, the blocking pool | `eddy-executor` |
//! | `rt-multi-thread` | the multi-thread work-stealing scheduler | `eddy-executor` |
//! | `fs` | `fs`: `File`, `OpenOptions`, `read_dir`, `read`, `write`, `copy`, ... | `eddy-fs` |
//! | `io-util` (`io-std`) | `io`'s extension traits, buffers, `copy`, `duplex`, stdio | `eddy-io` |
//! | `net` | `net`: TCP, UDP, Unix sockets; `io::unix::AsyncFd` | `eddy-net`, `eddy-reactor` |
//! | `process` | `process`: `Command`, `Child` and its async pipes | `eddy-process` |
//! | `signal` | `signal`: `ctrl_c`, `unix::signal` | `eddy-signal` |
//! | `time` | `time`: `sleep`, `interval`, `timeout` | `eddy-time` |
//! | `sync` | `sync`: channels, `Mutex`, `RwLock`, `Semaphore`, `Notify`, ... | `eddy-sync` |
//! | `macros` | `#[eddy::main]`, `#[eddy::test]`, `select!`, `join!`, `try_join!`, `pin!` | `eddy-macros` |
//! | `test-util` | the paused clock: `time::pause`, `advance`, `start_paused` | `eddy-time` |
//! | `full` | all of the above but `test-util` and `tracing` | |
//! | `tracing` | task spans, waker events and timer/sync resource spans for tokio-console | `tracing` |
//!
//! Task dumps (`runtime::Handle::dump`), task hooks, slow-poll reports and runtime metrics need
//! no feature; `docs/observability.md` shows them all.
//!
//! The I/O traits (`io::AsyncRead`, `io::AsyncWrite`, ...) are always available.
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

/// Asynchronous I/O: the traits, and with `io-util` their extensions and utilities.
pub mod io {
    pub use eddy_io::*;

    #[cfg(feature = "net")]
    pub use eddy_reactor::{Interest, Ready};

    /// Readiness-based I/O on raw Unix file descriptors.
    #[cfg(feature = "net")]
    pub mod unix {
        #[doc(hidden)]
        #[allow(deprecated)]
        pub use eddy_reactor::AsyncFdTryNewError;
        pub use eddy_reactor::{
            AsyncFd, AsyncFdReadyGuard, AsyncFdReadyMutGuard, AsyncFdRegisterError, TryIoError,
        };
    }
}

/// The runtime: builders, handles and metrics.
#[cfg(feature = "rt")]
pub mod runtime {
    pub use eddy_executor::runtime::*;
}

/// Tasks: spawning, joining, aborting, yielding, the blocking pool.
#[cfg(feature = "rt")]
pub mod task {
    pub use eddy_executor::task::*;
}

#[cfg(feature = "rt")]
pub use eddy_executor::{spawn, task_local};

/// Files and directories, on the blocking pool.
#[cfg(feature = "fs")]
pub mod fs {
    pub use eddy_fs::*;
}

/// Networking: TCP, UDP and Unix sockets, and name resolution.
#[cfg(feature = "net")]
pub mod net {
    pub use eddy_net::*;
}

/// Child processes: `Command` spawns, `Child` waits, kills and pipes, on the I/O driver.
#[cfg(feature = "process")]
pub mod process {
    pub use eddy_process::*;
}

/// Signals: `ctrl_c`, and on Unix any signal through `unix::signal`.
#[cfg(feature = "signal")]
pub mod signal {
    pub use eddy_signal::*;
}

/// Utilities for tracking time: sleeping, intervals, timeouts.
#[cfg(feature = "time")]
pub mod time {
    #[cfg(feature = "test-util")]
    pub use eddy_time::{advance, pause, resume};
    pub use eddy_time::{error, Duration, Instant};
    pub use eddy_time::{interval, interval_at, Interval, MissedTickBehavior};
    pub use eddy_time::{sleep, sleep_until, Sleep};
    pub use eddy_time::{timeout, timeout_at, Timeout};
}

/// Channels and async-aware synchronisation primitives.
#[cfg(feature = "sync")]
pub mod sync {
    pub use eddy_sync::*;
}

#[cfg(feature = "macros")]
pub use eddy_macros::pin;

// `select!`, `join!` and `try_join!` (exported at the crate root).
#[cfg(feature = "macros")]
mod future_macros;

/// What the expansions of `join!`, `try_join!` and `select!` reach at run time, at Tokio's path
/// (`tokio::macros::support`), and the proc macros behind their wrappers; not public API.
#[doc(hidden)]
pub mod macros {
    pub use eddy_core::macro_support as support;
    #[cfg(feature = "macros")]
    pub use eddy_macros::{join, select, try_join};
}

// `main` and `test` are the entry points that match the runtime features: with only `rt`, a
// `multi_thread` flavor is rejected at compile time; with no runtime, they explain what is
// missing.
#[cfg(all(feature = "macros", feature = "rt-multi-thread"))]
pub use eddy_macros::{main, test};
#[cfg(all(feature = "macros", not(feature = "rt")))]
pub use eddy_macros::{main_fail as main, test_fail as test};
#[cfg(all(feature = "macros", feature = "rt", not(feature = "rt-multi-thread")))]
pub use eddy_macros::{main_rt as main, test_rt as test};
