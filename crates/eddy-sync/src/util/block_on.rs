//! The thread-parking executor behind the `blocking_*` methods.
//!
//! It drives one future on the calling thread with `eddy_core`'s `block_on` over a condition
//! variable. Blocking a thread that drives async tasks could deadlock it (the future may need
//! that thread to make progress), so, like Tokio, it first asks `eddy_core::context` and panics
//! there; eddy's executor marks its threads, and under a foreign executor the check passes.

use eddy_core::block_on::block_on as drive;
use eddy_core::{context, ParkThread};
use std::future::Future;

/// Runs `future` to completion on the current thread, parking while it is pending.
///
/// # Panics
///
/// If the current thread is driving async tasks.
#[track_caller]
pub(crate) fn block_on<F: Future>(future: F) -> F::Output {
    context::assert_may_block();
    drive(&mut ParkThread::new(), future)
}
