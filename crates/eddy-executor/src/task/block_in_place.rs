//! `block_in_place`: blocking code on a worker thread without stalling the worker's tasks.

use crate::runtime::context;
use crate::runtime::scheduler::{current_thread, multi_thread};

/// Runs the blocking closure `f` on the current thread, first handing this worker's tasks to a
/// new worker thread so they keep running meanwhile.
///
/// Unlike [`spawn_blocking`](super::spawn_blocking), `f` may borrow from the caller, and the
/// task that calls it is blocked until `f` returns. Inside `f`, the thread is no longer a worker,
/// so it may even block on the runtime with `Handle::block_on`. Outside any runtime, `f` just
/// runs.
///
/// The cooperative budget does not limit `f`: a nested executor in it runs freely.
///
/// # Panics
///
/// Panics when called from a current-thread runtime, which has no other thread to hand its tasks
/// to, and while a [`LocalSet`](super::LocalSet) is driven or dropped on the thread: its `!Send`
/// tasks could not follow the worker.
///
/// ```
/// use eddy_executor::runtime::Builder;
/// use eddy_executor::task;
///
/// let rt = Builder::new_multi_thread().worker_threads(1).build().unwrap();
/// let sum = rt.block_on(async {
///     task::spawn(async {
///         let numbers = vec![1, 2, 3];
///         task::block_in_place(|| numbers.iter().sum::<i32>())
///     })
///     .await
///     .unwrap()
/// });
/// assert_eq!(sum, 6);
/// ```
#[track_caller]
pub fn block_in_place<F, R>(f: F) -> R
where
    F: FnOnce() -> R,
{
    // Driving a current-thread runtime (its `block_on` or one of its tasks): no other thread
    // could take its tasks over. `Handle::block_on` drives nothing, so it may block in place.
    if context::is_in_runtime()
        && (context::is_block_in_place_disallowed() || current_thread::is_driving())
    {
        panic!("can call blocking only when running on the multi-threaded runtime");
    }
    // `f` is not a task poll: resources it uses through a nested executor must not run out of
    // the calling task's budget.
    multi_thread::block_in_place(|| eddy_core::coop::with_unconstrained(f))
}
