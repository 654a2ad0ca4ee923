//! The blocking hook's future never drops a user's waker while it holds its slot's lock.
//!
//! The test's pool keeps the job instead of running it; the first waker, when it is dropped
//! (replaced by a second waker on the next poll), runs that job on the same thread. The job
//! delivers its result through the slot's lock, so a waker dropped under that lock would
//! deadlock the test rather than let it finish.

use eddy_core::blocking::{self, BlockingSpawner};
use eddy_test_support::task::poll_once;
use eddy_test_support::waker::{counting, on_drop};
use std::io;
use std::pin::pin;
use std::sync::{Arc, Mutex};
use std::task::Poll;

type Job = Box<dyn FnOnce() + Send>;

/// A pool that keeps the one job it is given until the test runs it.
#[derive(Default)]
struct HeldJob(Mutex<Option<Job>>);

impl HeldJob {
    fn run(&self) {
        let job = self.0.lock().unwrap().take().expect("the job was spawned");
        job();
    }
}

impl BlockingSpawner for HeldJob {
    fn spawn_blocking(&self, job: Job) -> io::Result<()> {
        *self.0.lock().unwrap() = Some(job);
        Ok(())
    }
}

#[test]
fn a_replaced_waker_is_dropped_outside_the_slot_lock() {
    let pool = Arc::new(HeldJob::default());
    let _pool = blocking::enter(pool.clone());
    let mut task = pin!(blocking::try_run(|| 7).unwrap());

    let pool_in_hook = pool.clone();
    let (first, dropped) = on_drop(move || pool_in_hook.run());
    assert!(poll_once(task.as_mut(), &first).is_pending());
    drop(first);
    assert!(!dropped.load(std::sync::atomic::Ordering::SeqCst));

    // The future replaces the first waker with this one; dropping the first runs the job,
    // whose result wakes the second.
    let (wakes, second) = counting();
    assert!(poll_once(task.as_mut(), &second).is_pending());
    assert!(dropped.load(std::sync::atomic::Ordering::SeqCst));
    assert_eq!(wakes.count(), 1);
    assert!(matches!(
        poll_once(task.as_mut(), &second),
        Poll::Ready(Ok(7))
    ));
}
