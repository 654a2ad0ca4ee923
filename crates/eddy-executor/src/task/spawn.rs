//! `spawn` and `spawn_blocking` on the current runtime.

use super::JoinHandle;
use crate::runtime::scheduler;
use crate::runtime::task::{SpawnMeta, TaskKind};
use std::future::Future;

/// Spawns a task on the current runtime and returns its [`JoinHandle`].
///
/// The task starts running in the background at once; awaiting the handle is not needed for
/// it to make progress. Dropping the handle detaches the task.
///
/// # Panics
///
/// Panics when called outside an eddy runtime.
///
/// ```
/// let rt = eddy_executor::runtime::Builder::new_current_thread().build().unwrap();
/// let answer = rt.block_on(async {
///     eddy_executor::task::spawn(async { 6 * 7 }).await.unwrap()
/// });
/// assert_eq!(answer, 42);
/// ```
#[track_caller]
pub fn spawn<F>(future: F) -> JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let meta = SpawnMeta::caller(TaskKind::Task);
    // A `match`, not a closure: the panic must point at the caller (`#[track_caller]`).
    match scheduler::with_current(|handle| handle.spawn(future, meta)) {
        Ok(join) => join,
        Err(error) => panic!("{error}"),
    }
}

/// Runs a blocking closure on the current runtime's blocking pool and returns a
/// [`JoinHandle`] of its result.
///
/// # Panics
///
/// Panics when called outside an eddy runtime.
#[track_caller]
pub fn spawn_blocking<F, R>(func: F) -> JoinHandle<R>
where
    F: FnOnce() -> R + Send + 'static,
    R: Send + 'static,
{
    let meta = SpawnMeta::caller(TaskKind::Blocking);
    match scheduler::with_current(|handle| handle.spawn_blocking(func, meta)) {
        Ok(join) => join,
        Err(error) => panic!("{error}"),
    }
}
