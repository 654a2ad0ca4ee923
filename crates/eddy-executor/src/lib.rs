//! Tasks, schedulers and the runtime API of eddy.
//!
//! A [`runtime::Runtime`] owns a scheduler, the driver stack it parks on when idle (a time
//! driver over an I/O driver or a plain thread parker, see `docs/architecture.md`) and a pool of
//! threads for blocking work. Futures become tasks with [`spawn`]: each task is one allocation
//! whose state is a single atomic word, woken through a waker that is just the task pointer, and
//! polled inside a cooperative budget so a busy task cannot starve its neighbours. This crate
//! provides two schedulers: the current-thread one, where every task runs on the thread that
//! calls [`block_on`](runtime::Runtime::block_on), and (feature `multi-thread`) a work-stealing
//! one, where worker threads each run tasks from their own lock-free queue and idle workers
//! steal half of a busy worker's queue at a time. Paths follow Tokio's (`runtime::Builder`,
//! `task::JoinHandle`, ...), so the `eddy` facade re-exports them where Tokio has them.
//!
//! ```
//! use eddy_executor::runtime::Builder;
//! use eddy_executor::task;
//!
//! let rt = Builder::new_current_thread().enable_all().build().unwrap();
//! let sum = rt.block_on(async {
//!     let handles: Vec<_> = (0..10u64).map(|i| eddy_executor::spawn(async move { i * i })).collect();
//!     let blocking = task::spawn_blocking(|| 100u64);
//!     let mut sum = blocking.await.unwrap();
//!     for handle in handles {
//!         sum += handle.await.unwrap();
//!     }
//!     sum
//! });
//! assert_eq!(sum, 385);
//! ```
//!
//! Around tasks, [`task`] has Tokio's toolkit: `JoinSet` (join tasks in completion order),
//! `LocalSet` and `spawn_local` (`!Send` futures on the thread that drives the set),
//! [`task_local!`] and `task::Builder` (named tasks).
//!
//! Features: `time` and `io` compile in the time driver (`eddy-time`) and the I/O driver
//! (`eddy-reactor`) and add `Builder::enable_time` / `Builder::enable_io`; `test-util` adds
//! `Builder::start_paused`; `multi-thread` adds the work-stealing scheduler
//! (`Builder::new_multi_thread`, `Runtime::new`, `task::block_in_place`).
#![deny(missing_docs)]

use eddy_core::loom;
pub mod runtime;
pub mod task;

pub use task::spawn;
