//! Loom models of the task state machine.
//!
//! Run with `RUSTFLAGS="--cfg loom" LOOM_MAX_PREEMPTIONS=2 cargo test --release -p eddy-executor
//! --lib`. Each model spawns one task on a minimal scheduler (an owned list and a queue) and
//! races one other thread against the polling thread.

use super::list::OwnedTasks;
use super::{Id, JoinError, JoinHandle, Notified, Schedule, SpawnMeta, Task, TaskKind};
use crate::loom::sync::atomic::{AtomicUsize, Ordering};
use crate::loom::sync::Mutex;
use crate::loom::thread;
use eddy_test_support::executor::block_on;
use eddy_test_support::future::Gate;
use eddy_test_support::waker::with_noop_context;
use eddy_test_support::DropCount;
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::Poll;

/// A scheduler with nothing but an owned list and a FIFO queue, run by the model's main thread.
struct TestScheduler {
    owned: OwnedTasks<Arc<TestScheduler>>,
    queue: Mutex<VecDeque<Notified<Arc<TestScheduler>>>>,
}

impl Schedule for Arc<TestScheduler> {
    fn release(&self, task: &Task<Self>) -> Option<Task<Self>> {
        self.owned.remove(task)
    }

    fn schedule(&self, task: Notified<Self>) -> Result<(), Notified<Self>> {
        self.queue.lock().push_back(task);
        Ok(())
    }
}

impl TestScheduler {
    fn new() -> Arc<TestScheduler> {
        Arc::new(TestScheduler {
            owned: OwnedTasks::new(),
            queue: Mutex::new(VecDeque::new()),
        })
    }

    fn spawn<F>(self: &Arc<Self>, future: F) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let meta = SpawnMeta::caller(TaskKind::Task);
        let (join, notified) = self.owned.bind(future, self.clone(), Id::next(), &meta);
        self.schedule(notified.expect("the list is open"))
            .expect("the test scheduler accepts every task");
        join
    }

    /// Runs queued tasks until `done` holds, yielding to the other threads while idle.
    fn run_until(&self, done: impl Fn() -> bool) {
        while !done() {
            let task = self.queue.lock().pop_front();
            match task {
                Some(task) => task.run(),
                None => thread::yield_now(),
            }
        }
    }

    /// Cancels what is left and drops queued references, as a runtime shutdown does.
    fn shutdown(&self) {
        self.owned.close_and_shutdown_all();
        let queued = std::mem::take(&mut *self.queue.lock());
        drop(queued);
    }
}

fn poll_join<T>(join: &mut JoinHandle<T>) -> Poll<Result<T, JoinError>> {
    with_noop_context(|cx| Pin::new(join).poll(cx))
}

#[test]
fn wake_while_running() {
    loom::model(|| {
        let scheduler = TestScheduler::new();
        let gate = Gate::new();
        let join = scheduler.spawn(gate.clone());
        let opener = thread::spawn(move || gate.open());
        scheduler.run_until(|| join.is_finished());
        opener.join().unwrap();
        let mut join = join;
        assert!(matches!(poll_join(&mut join), Poll::Ready(Ok(()))));
        scheduler.shutdown();
    });
}

#[test]
fn abort_while_polling() {
    loom::model(|| {
        let scheduler = TestScheduler::new();
        let drops = crate::loom::sync::Arc::new(AtomicUsize::new(0));
        let counted = DropCount(drops.clone());
        let gate = Gate::new();
        let gate2 = gate.clone();
        let mut join = scheduler.spawn(async move {
            let _counted = counted;
            gate2.await;
        });
        let abort = join.abort_handle();
        let aborter = thread::spawn(move || abort.abort());
        scheduler.run_until(|| join.is_finished());
        aborter.join().unwrap();
        match poll_join(&mut join) {
            Poll::Ready(Err(error)) => assert!(error.is_cancelled()),
            _ => panic!("the never-opened task must be cancelled"),
        }
        assert_eq!(drops.load(Ordering::SeqCst), 1);
        drop(gate);
        scheduler.shutdown();
    });
}

#[test]
fn join_handle_dropped_while_task_completes() {
    loom::model(|| {
        let scheduler = TestScheduler::new();
        let drops = crate::loom::sync::Arc::new(AtomicUsize::new(0));
        let output = DropCount(drops.clone());
        let mut join = scheduler.spawn(async move { output });
        let abort = join.abort_handle();
        let dropper = thread::spawn(move || {
            // Register a join waker if the task is not done yet, then detach.
            let polled = poll_join(&mut join);
            drop(polled);
            drop(join);
        });
        scheduler.run_until(|| abort.is_finished());
        dropper.join().unwrap();
        // The output was dropped exactly once, by whichever side owned it.
        assert_eq!(drops.load(Ordering::SeqCst), 1);
        scheduler.shutdown();
    });
}

#[test]
fn waker_cloned_across_threads() {
    loom::model(|| {
        let scheduler = TestScheduler::new();
        let gate = Gate::new();
        let join = scheduler.spawn(gate.clone());
        let gate2 = gate.clone();
        let opener = thread::spawn(move || gate2.open_waking_a_clone());
        scheduler.run_until(|| join.is_finished());
        opener.join().unwrap();
        // The original waker outlives the task's completion and is dropped last.
        drop(gate);
        drop(join);
        scheduler.shutdown();
    });
}

#[test]
fn shutdown_while_woken_from_another_thread() {
    loom::model(|| {
        let scheduler = TestScheduler::new();
        let gate = Gate::new();
        let mut join = scheduler.spawn(gate.clone());
        // Poll once so the waker is stored, then race a remote wake against shutdown.
        let task = scheduler.queue.lock().pop_front().unwrap();
        task.run();
        let opener = thread::spawn(move || gate.open());
        scheduler.shutdown();
        opener.join().unwrap();
        scheduler.shutdown();
        assert!(matches!(poll_join(&mut join), Poll::Ready(_)));
    });
}

#[test]
fn join_waker_swapped_while_the_task_completes() {
    loom::model(|| {
        let scheduler = TestScheduler::new();
        let mut join = scheduler.spawn(async { 5 });
        let abort = join.abort_handle();
        let joiner = thread::spawn(move || {
            // The first poll may store a waker that is then replaced by `block_on`'s while the
            // task completes: the completion must wake the new one.
            match poll_join(&mut join) {
                Poll::Ready(output) => output,
                Poll::Pending => block_on(&mut join),
            }
        });
        scheduler.run_until(|| abort.is_finished());
        assert_eq!(joiner.join().unwrap().unwrap(), 5);
        scheduler.shutdown();
    });
}

#[test]
fn join_waker_swapped_while_the_task_is_aborted() {
    loom::model(|| {
        let scheduler = TestScheduler::new();
        let gate = Gate::new();
        let mut join = scheduler.spawn(gate.clone());
        let abort = join.abort_handle();
        let task = scheduler.queue.lock().pop_front().unwrap();
        task.run();
        let joiner = thread::spawn(move || match poll_join(&mut join) {
            Poll::Ready(output) => output,
            Poll::Pending => block_on(&mut join),
        });
        abort.abort();
        scheduler.run_until(|| abort.is_finished());
        assert!(joiner.join().unwrap().unwrap_err().is_cancelled());
        drop(gate);
        scheduler.shutdown();
    });
}
