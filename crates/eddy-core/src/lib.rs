//! The seam between eddy's schedulers and the things they drive.
//!
//! eddy is split into small crates that must not depend on one another in a cycle: the executor
//! runs tasks, the reactor waits for I/O, the timer wheel waits for deadlines, and the channels
//! and locks in `eddy-sync` run under any executor at all. This crate is the little they all
//! agree on, and nothing else:
//!
//! * [`park`]: the [`Park`] trait a scheduler parks its thread on when it has nothing to run. An
//!   I/O driver, a time driver or a plain condition variable ([`ParkThread`]) implement it, and
//!   drivers stack: the time driver wraps the I/O driver, which is the bottom of the stack. The
//!   matching [`Unparker`] wakes a parked driver from any thread.
//! * [`coop`]: the cooperative budget. The executor gives each task poll a budget; eddy's
//!   resources spend one unit per operation and return `Pending` once it is spent, so one busy
//!   task cannot starve its neighbours. Outside an eddy executor the budget is unlimited and the
//!   hook costs one thread-local read.
//! * [`defer`]: wakes held back until the scheduler has polled its drivers (`yield_now`, and
//!   resources whose budget is spent), so a yielding task cannot starve I/O and timers.
//! * [`block_on`]: the smallest executor, one future on one driver, so a driver crate can be
//!   used and tested without a scheduler.
//! * [`context`]: whether this thread drives async tasks, so that blocking calls from crates
//!   that do not know the executor can refuse to block there.
//! * [`blocking`]: how a resource that must block (name resolution, standard input) reaches the
//!   current runtime's blocking pool without depending on the executor.
//! * [`wake`]: waking the wakers a driver collected, all of them even if one panics.
//! * [`atomic_waker`]: the lock-free waker slot the channels, locks and timers of the other
//!   crates park their one task in.
//! * [`scoped`]: a guard that sets a thread-local value for a scope and restores the previous
//!   one on drop, the shape of every "enter" above and in the other crates.
//! * `loom` (hidden, no semver promise): the one shim through which every eddy crate's
//!   concurrent code reaches atomics, locks, cells and threads, swapped for loom's models
//!   under `--cfg loom`; its locks ignore poisoning.
//!
//! The crate is eddy's internals, not Tokio's API: it may change in any minor release, and the
//! eddy crates depend on one another at exactly one version so they always agree on it (see
//! "What is public and stable" in eddy's `docs/architecture.md`).
//!
//! Hidden, and internal to the eddy crates (no semver promise): `linked_list`, the intrusive
//! list that holds the waiter queues of `eddy-sync`, the timer wheel's slots and the tasks a
//! runtime owns.
//!
//! ```
//! use eddy_core::park::{Park, ParkThread};
//! use std::time::Duration;
//!
//! let mut park = ParkThread::new();
//! let unparker = park.unparker();
//! std::thread::spawn(move || unparker.unpark());
//! // Returns once the other thread unparks us (or after the timeout, whichever comes first).
//! park.park_timeout(Duration::from_secs(5));
//! ```
#![deny(missing_docs)]

pub mod atomic_waker;
pub mod block_on;
pub mod blocking;
pub mod context;
pub mod coop;
pub mod defer;
#[doc(hidden)]
pub mod linked_list;
#[doc(hidden)]
pub mod loom;
#[doc(hidden)]
pub mod macro_support;
pub mod park;
pub mod scoped;
pub mod wake;

pub use atomic_waker::AtomicWaker;
pub use park::{Park, ParkThread, Unpark, Unparker};
