//! The blocking pool: threads for `spawn_blocking`.
//!
//! A blocking task is an unowned task (`task::BlockingTask`) whose `Notified` waits in the pool's
//! queue. Threads are started on demand up to `max_blocking_threads`, and an idle thread exits
//! after `thread_keep_alive`. At shutdown, tasks still queued are cancelled (their handles yield
//! a cancelled `JoinError`); tasks already running run to completion, and the runtime waits for
//! them as long as the shutdown mode says (forever on drop, at most the timeout with
//! `shutdown_timeout`, not at all with `shutdown_background`). While a blocking task is in
//! flight, a paused clock does not auto-advance (`auto_advance`).

mod auto_advance;
mod pool;

#[cfg(feature = "multi-thread")]
pub(crate) use pool::may_wait_for_shutdown;
pub(crate) use pool::{BlockingPool, Callback, Config, PoolRuntime, Spawner, ThreadNameFn};
