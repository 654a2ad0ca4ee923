//! Asynchronous green threads: spawning, joining and aborting tasks.
//!
//! This is the public task API, built over the runtime's task machinery
//! (`runtime/task/`: the task allocation, its state word, wakers, the owned-task list and the
//! [`JoinHandle`] / [`AbortHandle`] handles, re-exported here under their Tokio paths). The
//! dependency runs one way: this module uses the runtime; the runtime never uses it.
//!
//! * [`spawn`](fn@spawn) and [`spawn_blocking`] (`spawn.rs`) hand a future or a closure to the current
//!   runtime; [`block_in_place`](fn@block_in_place) (`block_in_place.rs`, feature `multi-thread`) runs blocking
//!   code on a worker after handing the worker's queue to another thread.
//! * [`JoinSet`] (`join_set.rs`) keeps handles in a slab and finds completed tasks through a
//!   ready list their join wakers push to, so `join_next` never scans.
//! * [`LocalSet`] (`local_set.rs`) is a scheduler of its own for `!Send` futures: the task cell
//!   accepts any future (`new_task` has no `Send` bound); only the set's entry points skip the
//!   `Send` requirement, and the set polls and drops those futures on its owner thread alone.
//! * [`task_local!`](crate::task_local) (`task_local.rs`) swaps a value into a thread-local slot
//!   for each poll of a scoped future.
//! * [`Builder`] (`builder.rs`) names tasks; the name sits in the task header.
//! * [`coop`] is the public face of the cooperative budget every task poll runs under
//!   (`poll_proceed`, `cooperative`, `unconstrained`, ...); the budget itself is
//!   `eddy_core::coop`, which the resources of every eddy crate spend. [`yield_now`](fn@yield_now)
//!   (`yield_now.rs`) gives the worker back to the scheduler once.
//!
//! (`TaskMeta`, the view of a task that task hooks receive, is exported from `runtime`, where
//! Tokio has it.)

#[cfg(feature = "multi-thread")]
mod block_in_place;
mod builder;
pub mod coop;
mod join_set;
mod local_set;
mod spawn;
mod task_local;
mod yield_now;

#[cfg(feature = "multi-thread")]
pub use block_in_place::block_in_place;
pub use builder::Builder;
pub use coop::{consume_budget, unconstrained, Unconstrained};
pub use join_set::JoinSet;
pub use local_set::{spawn_local, LocalEnterGuard, LocalSet};
pub use spawn::{spawn, spawn_blocking};
pub use task_local::{AccessError, LocalKey};
pub use yield_now::yield_now;

pub use crate::runtime::task::{id, try_id, AbortHandle, Id, JoinError, JoinHandle};

/// Futures of the task module that are named types.
pub mod futures {
    pub use super::task_local::TaskLocalFuture;
}
