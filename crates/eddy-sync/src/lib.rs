//! Channels and asynchronous locks for eddy, usable under any executor.
//!
//! The API follows `tokio::sync`: [`mpsc`], [`oneshot`], [`broadcast`] and [`watch`] channels,
//! and [`Mutex`], [`RwLock`], [`Semaphore`], [`Notify`], [`Barrier`], [`OnceCell`] and
//! [`SetOnce`]. Nothing
//! here depends on eddy's executor: a waiting operation stores its task's `Waker` and returns
//! `Pending`, whoever the executor is. Inside an eddy runtime, each operation also spends the
//! task's cooperative budget (through `eddy_core::coop`, a no-op elsewhere).
//!
//! Waiters queue in intrusive lists: each waiting future holds its own list node, so waiting
//! never allocates and a cancelled waiter unlinks itself in O(1), giving back anything it was
//! assigned. The locks and the bounded `mpsc` channel share one fair semaphore
//! (`batch_semaphore`), whose uncontended acquire and release are one compare-and-swap each; the
//! `mpsc` queue itself is a lock-free list of blocks.
//!
//! The `unsafe` code sits in a few places, each argued where it is: the primitives' use of
//! `eddy_core`'s intrusive list for their waiters (a one-line argument where each links, pops
//! or removes a waiter); the `mpsc` block list (`mpsc/list.rs`, with the single-receiver
//! contract discharged in `mpsc/chan.rs`); the oneshot value cell; and the dereferences of the
//! lock guards and of `OnceCell`. The waker cell every primitive parks its task in is
//! `eddy_core::atomic_waker`, shared with the timers.
//!
//! The `blocking_*` methods park the calling thread. Like Tokio's, they panic on a thread that
//! drives eddy's async tasks (where blocking could deadlock), which they learn from
//! `eddy_core::context`; under other executors they cannot tell, so call them from plain threads.
//!
//! ```
//! use eddy_sync::{mpsc, Mutex};
//! use std::sync::Arc;
//!
//! # eddy_core::block_on::block_on(&mut eddy_core::ParkThread::new(), async {
//! let total = Arc::new(Mutex::new(0));
//! let (tx, mut rx) = mpsc::unbounded_channel();
//! for i in 1..=4 {
//!     let tx = tx.clone();
//!     std::thread::spawn(move || tx.send(i).unwrap());
//! }
//! drop(tx);
//! while let Some(i) = rx.recv().await {
//!     *total.lock().await += i;
//! }
//! assert_eq!(*total.lock().await, 10);
//! # });
//! ```
//!
//! Feature `time` adds `mpsc::Sender::send_timeout` (it needs `eddy-time`).
//!
//! Feature `tracing` makes [`Mutex`], [`RwLock`], [`Semaphore`], [`Barrier`] and the [`oneshot`]
//! channel tokio-console *resources*: each is a `runtime.resource` span carrying the location of
//! the call that made it, each wait (`Mutex::lock`, `Semaphore::acquire`, awaiting a oneshot
//! `Receiver`, ...) is a `runtime.resource.async_op` span its polls run in, and state changes
//! (locked, permits, readers, arrivals, sent/received) are `runtime::resource::state_update`
//! events. Without a subscriber that wants them this costs a callsite check per primitive and a
//! pointer test per operation; without the feature, nothing. Primitives made by `const_new`
//! are not traced.
#![deny(missing_docs)]

mod barrier;
mod batch_semaphore;
mod error;
use eddy_core::loom;
mod mutex;
mod notify;
mod once_cell;
mod rwlock;
mod semaphore;
mod set_once;
mod trace;
mod util;

pub mod broadcast;
pub mod mpsc;
pub mod oneshot;
pub mod watch;

pub use barrier::{Barrier, BarrierWaitResult};
pub use error::{AcquireError, TryAcquireError, TryLockError};
pub use mutex::{MappedMutexGuard, Mutex, MutexGuard, OwnedMappedMutexGuard, OwnedMutexGuard};
pub use notify::Notify;
pub use once_cell::{OnceCell, SetError};
pub use rwlock::{
    OwnedRwLockMappedWriteGuard, OwnedRwLockReadGuard, OwnedRwLockWriteGuard, RwLock,
    RwLockMappedWriteGuard, RwLockReadGuard, RwLockWriteGuard,
};
pub use semaphore::{OwnedSemaphorePermit, Semaphore, SemaphorePermit};
pub use set_once::{SetOnce, SetOnceError};

/// Named future types, at Tokio's `tokio::sync::futures` path.
pub mod futures {
    pub use crate::notify::{Notified, OwnedNotified};
}
