//! `task::LocalSet` and `task::spawn_local`: `!Send` tasks on the thread that drives the set,
//! on both runtime flavors; wakes from other threads; the set as a future; misuse.
#![cfg(not(loom))]

mod support;

use eddy_executor::runtime::Builder;
use eddy_executor::task::{self, LocalSet};
use eddy_test_support::panic_message;
use std::cell::{Cell, RefCell};
use std::future::{poll_fn, Future};
use std::panic::catch_unwind;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::task::{Poll, Waker};
use std::thread::{self, ThreadId};
use support::runtimes;

const MISUSE: &str =
    "`spawn_local` called from outside of a `task::LocalSet` or `runtime::LocalRuntime`";

#[test]
fn rc_shared_between_local_tasks() {
    for rt in runtimes() {
        let local = LocalSet::new();
        let log = Rc::new(RefCell::new(Vec::new()));
        let on_thread = thread::current().id();
        local.block_on(&rt, {
            let log = log.clone();
            async move {
                let handles: Vec<_> = (0..10)
                    .map(|i| {
                        let log = log.clone();
                        task::spawn_local(async move {
                            task::yield_now().await;
                            assert_eq!(thread::current().id(), on_thread);
                            log.borrow_mut().push(i);
                        })
                    })
                    .collect();
                for handle in handles {
                    handle.await.unwrap();
                }
            }
        });
        let mut log = log.borrow().clone();
        log.sort_unstable();
        assert_eq!(log, (0..10).collect::<Vec<_>>());
    }
}

#[test]
fn spawn_local_from_inside_local_tasks() {
    for rt in runtimes() {
        let local = LocalSet::new();
        let depth = local.block_on(&rt, async {
            let counter = Rc::new(Cell::new(0));
            let outer = counter.clone();
            task::spawn_local(async move {
                outer.set(outer.get() + 1);
                let inner = outer.clone();
                task::spawn_local(async move {
                    inner.set(inner.get() + 1);
                })
                .await
                .unwrap();
            })
            .await
            .unwrap();
            counter.get()
        });
        assert_eq!(depth, 2);
    }
}

/// Completes once another thread, handed its waker, sets the flag and wakes it.
fn woken_from_another_thread() -> impl Future<Output = ()> {
    let flag = Arc::new(AtomicBool::new(false));
    let mut sent = false;
    let not_send = Rc::new(());
    poll_fn(move |cx| {
        let _keep = &not_send;
        if flag.load(Ordering::SeqCst) {
            return Poll::Ready(());
        }
        if !sent {
            sent = true;
            let flag = flag.clone();
            let waker: Waker = cx.waker().clone();
            thread::spawn(move || {
                flag.store(true, Ordering::SeqCst);
                waker.wake();
            });
        }
        Poll::Pending
    })
}

#[test]
fn waker_sent_to_another_thread_wakes_a_local_task() {
    for rt in runtimes() {
        let local = LocalSet::new();
        local.block_on(&rt, async {
            let handles: Vec<_> = (0..4)
                .map(|_| task::spawn_local(woken_from_another_thread()))
                .collect();
            for handle in handles {
                handle.await.unwrap();
            }
        });
    }
}

#[test]
fn local_task_woken_by_a_runtime_task() {
    for rt in runtimes() {
        let local = LocalSet::new();
        local.block_on(&rt, async {
            let not_send = Rc::new(3);
            let doubled = task::spawn_local(async move {
                // The spawned task may run on a worker thread; its completion wakes us there.
                let sent = task::spawn(async { 2 }).await.unwrap();
                *not_send * sent
            });
            assert_eq!(doubled.await.unwrap(), 6);
        });
    }
}

#[test]
fn local_set_as_a_future_runs_every_task() {
    for rt in runtimes() {
        let local = LocalSet::new();
        let done = Rc::new(Cell::new(0));
        for _ in 0..5 {
            let done = done.clone();
            local.spawn_local(async move {
                task::yield_now().await;
                let done2 = done.clone();
                task::spawn_local(async move { done2.set(done2.get() + 1) });
                woken_from_another_thread().await;
                done.set(done.get() + 1);
            });
        }
        rt.block_on(local);
        assert_eq!(done.get(), 10);
    }
}

#[test]
fn run_until_leaves_unfinished_tasks_in_the_set() {
    let rt = Builder::new_current_thread().build().unwrap();
    let local = LocalSet::new();
    let finished = Rc::new(Cell::new(false));
    let (tx, rx) = mpsc::channel::<()>();
    let rx = Arc::new(Mutex::new(rx));
    let flag = finished.clone();
    local.spawn_local(async move {
        // Waits until the main thread allows it, polling between yields.
        while rx.lock().unwrap().try_recv().is_err() {
            task::yield_now().await;
        }
        flag.set(true);
    });
    local.block_on(&rt, task::yield_now());
    assert!(!finished.get());
    tx.send(()).unwrap();
    rt.block_on(local.run_until(async {}));
    rt.block_on(local);
    assert!(finished.get());
}

#[test]
fn spawn_local_outside_a_local_set_panics() {
    let outside = catch_unwind(|| task::spawn_local(async {}));
    assert_eq!(panic_message(&*outside.unwrap_err()), MISUSE);
    for rt in runtimes() {
        let inside_runtime = rt.block_on(async {
            catch_unwind(|| drop(task::spawn_local(async {})))
                .map_err(|payload| panic_message(&*payload))
        });
        assert_eq!(inside_runtime.unwrap_err(), MISUSE);
    }
}

#[test]
fn enter_guard_makes_spawn_local_work() {
    let rt = Builder::new_current_thread().build().unwrap();
    let local = LocalSet::new();
    let handle = {
        let _guard = local.enter();
        task::spawn_local(async { Rc::new(9) })
    };
    assert!(catch_unwind(|| task::spawn_local(async {})).is_err());
    let value = local.block_on(&rt, handle).unwrap();
    assert_eq!(*value, 9);
}

/// Records on which thread it is dropped.
struct DropWitness(Rc<Cell<Option<ThreadId>>>);

impl Drop for DropWitness {
    fn drop(&mut self) {
        self.0.set(Some(thread::current().id()));
    }
}

#[test]
fn dropping_the_set_drops_its_tasks_on_the_owning_thread() {
    for rt in runtimes() {
        let local = LocalSet::new();
        let dropped_on = Rc::new(Cell::new(None));
        let witness = DropWitness(dropped_on.clone());
        let handle = local.spawn_local(async move {
            let _witness = witness;
            std::future::pending::<()>().await
        });
        // Poll it once so it is idle in the set, waiting.
        local.block_on(&rt, task::yield_now());
        assert!(dropped_on.get().is_none());
        drop(local);
        assert_eq!(dropped_on.get(), Some(thread::current().id()));
        let error = rt.block_on(handle).unwrap_err();
        assert!(error.is_cancelled());
    }
}

#[test]
fn abort_from_another_thread_cancels_a_local_task() {
    for rt in runtimes() {
        let local = LocalSet::new();
        local.block_on(&rt, async {
            let not_send = Rc::new(());
            let handle = task::spawn_local(async move {
                let _keep = not_send;
                std::future::pending::<()>().await
            });
            task::yield_now().await;
            let abort = handle.abort_handle();
            thread::spawn(move || abort.abort()).join().unwrap();
            assert!(handle.await.unwrap_err().is_cancelled());
        });
    }
}

#[test]
fn local_task_panic_is_a_join_error() {
    for rt in runtimes() {
        let local = LocalSet::new();
        let error = local.block_on(&rt, async {
            task::spawn_local(async { panic!("local boom") })
                .await
                .unwrap_err()
        });
        assert!(error.is_panic());
    }
}

#[test]
fn many_remote_wakes_reach_the_set() {
    for rt in runtimes() {
        let local = LocalSet::new();
        let finished = Rc::new(Cell::new(0));
        local.block_on(&rt, async {
            let handles: Vec<_> = (0..50)
                .map(|_| {
                    let finished = finished.clone();
                    task::spawn_local(async move {
                        for _ in 0..4 {
                            woken_from_another_thread().await;
                            // A runtime task's completion wakes this local task too.
                            task::spawn(async {}).await.unwrap();
                        }
                        finished.set(finished.get() + 1);
                    })
                })
                .collect();
            for handle in handles {
                handle.await.unwrap();
            }
        });
        assert_eq!(finished.get(), 50);
    }
}

#[test]
fn a_set_in_a_thread_local_cancels_its_tasks_at_thread_exit() {
    thread_local! {
        static SET: LocalSet = LocalSet::new();
    }
    let rt = Builder::new_current_thread().enable_all().build().unwrap();
    let handle = rt.handle().clone();
    let cancelled = Arc::new(AtomicBool::new(false));
    let flag = cancelled.clone();
    thread::spawn(move || {
        // The set's slot is registered first, so eddy's own thread-locals are torn down before
        // the set is dropped.
        SET.with(|set| {
            struct SetOnDrop(Arc<AtomicBool>);
            impl Drop for SetOnDrop {
                fn drop(&mut self) {
                    self.0.store(true, Ordering::SeqCst);
                }
            }
            let on_drop = SetOnDrop(flag);
            set.spawn_local(async move {
                let _on_drop = on_drop;
                std::future::pending::<()>().await;
            });
            handle.block_on(set.run_until(task::yield_now()));
        });
    })
    .join()
    .unwrap();
    assert!(cancelled.load(Ordering::SeqCst));
    drop(rt);
}
