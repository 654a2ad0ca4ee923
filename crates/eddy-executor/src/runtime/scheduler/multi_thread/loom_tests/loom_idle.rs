//! Loom model of the search/park protocol: work pushed while workers go to sleep is never left
//! behind with every worker asleep.

use super::super::idle::Idle;
use super::super::inject::Inject;
use loom::sync::atomic::{AtomicBool, Ordering};
use loom::sync::{Arc, Condvar, Mutex};
use loom::thread;

/// A worker's private sleeping place: a flag under a mutex, and a condvar.
#[derive(Default)]
struct Sleeper {
    woken: Mutex<bool>,
    condvar: Condvar,
}

impl Sleeper {
    fn sleep(&self) {
        let mut woken = self.woken.lock().unwrap();
        while !*woken {
            woken = self.condvar.wait(woken).unwrap();
        }
        *woken = false;
    }

    fn wake(&self) {
        *self.woken.lock().unwrap() = true;
        self.condvar.notify_one();
    }
}

struct Runtime {
    idle: Idle,
    inject: Inject<u32>,
    sleepers: Vec<Sleeper>,
    done: AtomicBool,
}

impl Runtime {
    fn new(workers: usize) -> Runtime {
        Runtime {
            idle: Idle::new(workers),
            inject: Inject::new(),
            sleepers: (0..workers).map(|_| Sleeper::default()).collect(),
            done: AtomicBool::new(false),
        }
    }

    /// Spawning from outside: push, then wake one sleeper if nobody searches.
    fn spawn(&self, task: u32) {
        self.inject.push(task).unwrap();
        self.notify();
    }

    fn notify(&self) {
        if let Some(worker) = self.idle.worker_to_notify() {
            self.sleepers[worker].wake();
        }
    }

    /// The worker loop, reduced to the injection queue: run what is there, else search, else
    /// sleep after the re-check. Returns once the one task has run.
    fn run_worker(&self, me: usize) {
        let mut searching = false;
        loop {
            if self.done.load(Ordering::Acquire) {
                return;
            }
            if self.inject.pop().is_some() {
                if searching && self.idle.transition_worker_from_searching() {
                    self.notify();
                }
                self.done.store(true, Ordering::Release);
                self.wake_everyone();
                return;
            }
            if !searching {
                searching = self.idle.transition_worker_to_searching();
                if searching {
                    continue;
                }
            }
            // The real worker re-checks every local queue too when it was the last searcher;
            // here the injection queue is the only queue.
            self.idle.transition_worker_to_parked(me, searching);
            if !self.inject.is_empty() {
                // Work arrived while we were going to sleep: wake a sleeper (possibly ourselves,
                // in which case the sleep below returns at once).
                self.notify();
            }
            self.sleepers[me].sleep();
            // Woken by a notifier (counted as searching), or by `wake_everyone` at the end.
            searching = !self.idle.unpark_worker_by_id(me);
        }
    }

    fn wake_everyone(&self) {
        for (worker, sleeper) in self.sleepers.iter().enumerate() {
            self.idle.unpark_worker_by_id(worker);
            sleeper.wake();
        }
    }
}

#[test]
fn spawn_racing_one_worker_going_to_sleep() {
    loom::model(|| {
        let rt = Arc::new(Runtime::new(1));
        let worker = {
            let rt = rt.clone();
            thread::spawn(move || rt.run_worker(0))
        };
        rt.spawn(7);
        worker.join().unwrap();
        assert!(rt.inject.is_empty());
    });
}

#[test]
fn spawn_racing_two_workers_going_to_sleep() {
    loom::model(|| {
        let rt = Arc::new(Runtime::new(2));
        let workers: Vec<_> = (0..2)
            .map(|me| {
                let rt = rt.clone();
                thread::spawn(move || rt.run_worker(me))
            })
            .collect();
        rt.spawn(7);
        for worker in workers {
            worker.join().unwrap();
        }
        assert!(rt.inject.is_empty());
    });
}
