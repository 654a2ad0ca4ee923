//! The multi-thread runtime: work spreads over the workers, deep spawn chains, `block_in_place`,
//! spawning from any thread, shutdown, fairness, ping-pong.
#![cfg(all(feature = "multi-thread", not(loom)))]

use eddy_executor::runtime::{Builder, Handle, Runtime, RuntimeFlavor};
use eddy_executor::task::{self, JoinHandle};
use eddy_test_support::panic_message;
use eddy_test_support::{CallCount, DropCount};
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Barrier, Mutex};
use std::task::{Context, Poll, Waker};

fn rt(workers: usize) -> Runtime {
    Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .build()
        .unwrap()
}

/// A one-shot channel carrying `()`: `send` completes the paired receiver future.
#[derive(Clone, Default)]
struct Signal(Arc<Mutex<(bool, Option<Waker>)>>);

impl Signal {
    fn send(&self) {
        let waker = {
            let mut state = self.0.lock().unwrap();
            state.0 = true;
            state.1.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

impl Future for Signal {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut state = self.0.lock().unwrap();
        if state.0 {
            return Poll::Ready(());
        }
        state.1 = Some(cx.waker().clone());
        Poll::Pending
    }
}

#[test]
fn runtime_new_is_multi_thread() {
    let rt = Runtime::new().unwrap();
    assert_eq!(rt.handle().runtime_flavor(), RuntimeFlavor::MultiThread);
    assert_eq!(
        rt.block_on(async { task::spawn(async { 7 }).await.unwrap() }),
        7
    );
}

#[test]
fn hundred_by_thousand_tasks_run_on_both_workers() {
    let rt = rt(2);
    // Two tasks that can only finish together prove that two workers run at once.
    let barrier = Arc::new(Barrier::new(2));
    let meet: Vec<JoinHandle<()>> = (0..2)
        .map(|_| {
            let barrier = barrier.clone();
            rt.spawn(async move {
                barrier.wait();
            })
        })
        .collect();
    let counter = Arc::new(AtomicUsize::new(0));
    let total = rt.block_on({
        let counter = counter.clone();
        async move {
            for handle in meet {
                handle.await.unwrap();
            }
            for _ in 0..100 {
                let handles: Vec<_> = (0..1_000)
                    .map(|_| {
                        let counter = counter.clone();
                        task::spawn(async move {
                            counter.fetch_add(1, Ordering::Relaxed);
                        })
                    })
                    .collect();
                for handle in handles {
                    handle.await.unwrap();
                }
            }
            counter.load(Ordering::Relaxed)
        }
    });
    assert_eq!(total, 100_000);
    let metrics = rt.metrics();
    assert_eq!(metrics.num_workers(), 2);
    for worker in 0..2 {
        assert!(
            metrics.worker_poll_count(worker) > 0,
            "worker {worker} polled nothing"
        );
    }
    let polls: u64 = (0..2).map(|worker| metrics.worker_poll_count(worker)).sum();
    assert!(polls >= 100_002);
}

fn chain(depth: usize, done: mpsc::Sender<usize>) {
    if depth == 0 {
        done.send(0).unwrap();
    } else {
        task::spawn(async move { chain(depth - 1, done) });
    }
}

#[test]
fn chained_spawns_ten_thousand_deep() {
    for workers in [1, 2] {
        let rt = rt(workers);
        let (done, wait) = mpsc::channel();
        rt.spawn(async move { chain(10_000, done) });
        assert_eq!(wait.recv().unwrap(), 0);
    }
}

#[test]
fn block_in_place_lets_the_worker_run_other_tasks() {
    // One worker: the blocked task waits for a task that needs a worker to run.
    let rt = rt(1);
    let answer = rt.block_on(async {
        let (tx, rx) = mpsc::channel();
        let blocker = task::spawn(async move { task::block_in_place(move || rx.recv().unwrap()) });
        task::spawn(async move { tx.send(42).unwrap() });
        blocker.await.unwrap()
    });
    assert_eq!(answer, 42);
    // The runtime still works after the hand-off.
    assert_eq!(
        rt.block_on(async { task::spawn(async { 1 }).await.unwrap() }),
        1
    );
}

#[test]
fn block_in_place_may_block_on_the_runtime() {
    let rt = rt(2);
    let value = rt.block_on(async {
        task::spawn(async {
            task::block_in_place(|| {
                Handle::current().block_on(async { task::spawn(async { 5 }).await.unwrap() })
            })
        })
        .await
        .unwrap()
    });
    assert_eq!(value, 5);
}

#[test]
fn block_in_place_does_not_strand_tasks_that_yielded() {
    // One worker: a task yielding in a loop must keep running on the new worker while another
    // task blocks in place waiting for it.
    let rt = rt(1);
    let go = Arc::new(AtomicBool::new(false));
    let (tx, rx) = mpsc::channel();
    let yielder = rt.spawn({
        let go = go.clone();
        async move {
            while !go.load(Ordering::SeqCst) {
                task::yield_now().await;
            }
            tx.send("yielder done").unwrap();
        }
    });
    let blocker = rt.spawn(async move {
        task::block_in_place(move || {
            go.store(true, Ordering::SeqCst);
            rx.recv().unwrap()
        })
    });
    let message = rt.block_on(async move {
        yielder.await.unwrap();
        blocker.await.unwrap()
    });
    assert_eq!(message, "yielder done");
}

#[test]
fn block_in_place_outside_a_runtime_just_runs() {
    assert_eq!(task::block_in_place(|| 3), 3);
}

#[test]
#[should_panic(expected = "can call blocking only when running on the multi-threaded runtime")]
fn block_in_place_panics_on_current_thread() {
    let rt = Builder::new_current_thread().build().unwrap();
    rt.block_on(async { task::block_in_place(|| ()) });
}

#[test]
fn handle_spawns_from_any_thread() {
    let rt = rt(2);
    let threads: Vec<_> = (0..4u64)
        .map(|thread| {
            let handle = rt.handle().clone();
            std::thread::spawn(move || {
                let handles: Vec<_> = (0..1_000u64)
                    .map(|i| handle.spawn(async move { thread * 1_000 + i }))
                    .collect();
                handle.block_on(async move {
                    let mut sum = 0;
                    for join in handles {
                        sum += join.await.unwrap();
                    }
                    sum
                })
            })
        })
        .collect();
    let sum: u64 = threads
        .into_iter()
        .map(|thread| thread.join().unwrap())
        .sum();
    assert_eq!(sum, (0..4_000).sum());
}

#[test]
fn shutdown_drops_every_task() {
    let drops = Arc::new(AtomicUsize::new(0));
    let rt = rt(2);
    let started = Arc::new(AtomicUsize::new(0));
    for i in 0..1_000 {
        let guard = DropCount(drops.clone());
        let started = started.clone();
        rt.spawn(async move {
            let _guard = guard;
            started.fetch_add(1, Ordering::SeqCst);
            if i % 2 == 0 {
                // Half wait forever, half never get polled again after yielding forever.
                std::future::pending::<()>().await;
            } else {
                loop {
                    task::yield_now().await;
                }
            }
        });
    }
    // Some that never start: spawned after the workers are busy or not, either way pending.
    for _ in 0..100 {
        let guard = DropCount(drops.clone());
        rt.spawn(async move {
            let _guard = guard;
            std::future::pending::<()>().await;
        });
    }
    drop(rt);
    assert_eq!(drops.load(Ordering::SeqCst), 1_100);
}

#[test]
fn shutdown_timeout_returns_while_a_task_blocks_its_worker() {
    let drops = Arc::new(AtomicUsize::new(0));
    let rt = rt(1);
    let (entered, wait_entered) = mpsc::channel();
    let (release, wait_release) = mpsc::channel::<()>();
    let guard = DropCount(drops.clone());
    rt.spawn(async move {
        let _guard = guard;
        entered.send(()).unwrap();
        wait_release.recv().unwrap();
        std::future::pending::<()>().await;
    });
    wait_entered.recv().unwrap();
    rt.shutdown_timeout(std::time::Duration::from_millis(1));
    // The worker is still stuck in the task; once released, it cancels the task on its own.
    release.send(()).unwrap();
    while drops.load(Ordering::SeqCst) == 0 {
        std::thread::yield_now();
    }
}

#[test]
fn dropping_the_runtime_inside_its_own_task_panics() {
    let rt = rt(1);
    let (send_rt, receive_rt) = mpsc::channel::<Runtime>();
    let task = rt.spawn(async move {
        drop(receive_rt.recv().unwrap());
    });
    let handle = rt.handle().clone();
    send_rt.send(rt).unwrap();
    let error = Handle::block_on(&handle, task).unwrap_err();
    let message = error.into_panic();
    let message = message.downcast_ref::<&str>().copied().unwrap_or_default();
    assert!(message.starts_with("Cannot drop a runtime"), "{message}");
}

#[test]
fn a_busy_task_does_not_starve_others() {
    // One worker: a task that always has work must still let another task run.
    let rt = rt(1);
    let stop = Arc::new(AtomicBool::new(false));
    let _spins = rt.block_on(async {
        let busy = task::spawn({
            let stop = stop.clone();
            async move {
                let mut spins = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    task::consume_budget().await;
                    spins += 1;
                }
                spins
            }
        });
        let stopper = task::spawn({
            let stop = stop.clone();
            async move { stop.store(true, Ordering::Relaxed) }
        });
        stopper.await.unwrap();
        busy.await.unwrap()
    });
    assert!(stop.load(Ordering::Relaxed));
}

#[test]
fn ping_pong_forever_does_not_starve_the_queue() {
    // One worker: two tasks wake each other through the LIFO slot; a third must still run.
    let rt = rt(1);
    let stop = Arc::new(AtomicBool::new(false));
    let rounds = rt.block_on(async {
        let (a, b) = (Signal::default(), Signal::default());
        let ping = task::spawn(ping_until_stopped(a.clone(), b.clone(), stop.clone()));
        let pong = task::spawn(ping_until_stopped(b, a.clone(), stop.clone()));
        a.send();
        let stopper = task::spawn({
            let stop = stop.clone();
            async move { stop.store(true, Ordering::Relaxed) }
        });
        stopper.await.unwrap();
        ping.await.unwrap() + pong.await.unwrap()
    });
    assert!(stop.load(Ordering::Relaxed));
    let _ = rounds;
}

/// Waits on `mine`, then re-arms it and fires `theirs`, until `stop`.
async fn ping_until_stopped(mine: Signal, theirs: Signal, stop: Arc<AtomicBool>) -> u64 {
    let mut rounds = 0;
    while !stop.load(Ordering::Relaxed) {
        mine.clone().await;
        mine.0.lock().unwrap().0 = false;
        rounds += 1;
        theirs.send();
    }
    // Release the partner, which may be waiting for us.
    theirs.send();
    rounds
}

#[test]
fn ping_pong_pairs_complete() {
    for workers in [1, 2] {
        let rt = rt(workers);
        let done = rt.block_on(async {
            let pairs: Vec<_> = (0..1_000)
                .map(|_| {
                    task::spawn(async {
                        let (ping, pong) = (Signal::default(), Signal::default());
                        let responder = task::spawn({
                            let (ping, pong) = (ping.clone(), pong.clone());
                            async move {
                                ping.await;
                                pong.send();
                            }
                        });
                        ping.send();
                        pong.await;
                        responder.await.unwrap();
                    })
                })
                .collect();
            let mut done = 0;
            for pair in pairs {
                pair.await.unwrap();
                done += 1;
            }
            done
        });
        assert_eq!(done, 1_000);
    }
}

#[test]
fn worker_threads_carry_the_thread_name_and_callbacks() {
    let (parks, unparks) = (CallCount::new(), CallCount::new());
    let rt = Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("mt-test-worker")
        .on_thread_park(parks.hook())
        .on_thread_unpark(unparks.hook())
        .build()
        .unwrap();
    let name = rt
        .block_on(async {
            task::spawn(async { std::thread::current().name().map(str::to_owned) }).await
        })
        .unwrap();
    assert_eq!(name.as_deref(), Some("mt-test-worker"));
    drop(rt);
    // Each worker parked at least once (it had nothing to do at first) and left each park.
    assert!(parks.get() >= 1);
    assert_eq!(parks.get(), unparks.get());
}

#[test]
#[should_panic(expected = "Worker threads cannot be set to 0")]
fn zero_worker_threads_is_refused() {
    Builder::new_multi_thread().worker_threads(0);
}

#[test]
fn custom_intervals_still_run_everything() {
    let rt = Builder::new_multi_thread()
        .worker_threads(2)
        .global_queue_interval(2)
        .event_interval(3)
        .build()
        .unwrap();
    let sum = rt.block_on(async {
        let handles: Vec<_> = (0..1_000u64)
            .map(|i| task::spawn(async move { i }))
            .collect();
        let mut sum = 0;
        for handle in handles {
            sum += handle.await.unwrap();
        }
        sum
    });
    assert_eq!(sum, (0..1_000).sum());
}

const NOT_ON_A_LOCAL_SET: &str =
    "can call blocking only when running on the multi-threaded runtime";

/// Runs `body` in `block_on` on a multi-thread runtime and returns its panic's message.
fn block_on_panic<F: Future>(rt: &Runtime, body: F) -> String {
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| rt.block_on(body)));
    match result {
        Ok(_) => String::from("no panic"),
        Err(payload) => panic_message(&*payload),
    }
}

#[test]
fn block_in_place_in_a_local_set_panics_and_the_runtime_carries_on() {
    let rt = rt(2);
    let set = task::LocalSet::new();
    let in_run_until = block_on_panic(&rt, set.run_until(async { task::block_in_place(|| ()) }));
    assert_eq!(in_run_until, NOT_ON_A_LOCAL_SET);

    let set = task::LocalSet::new();
    let local = set.spawn_local(async { task::block_in_place(|| ()) });
    rt.block_on(set);
    let error = rt.block_on(local).unwrap_err();
    assert_eq!(panic_message(&*error.into_panic()), NOT_ON_A_LOCAL_SET);

    // A local task that calls it from its destructor, cancelled when its set is dropped.
    struct BlockInPlaceOnDrop;
    impl Drop for BlockInPlaceOnDrop {
        fn drop(&mut self) {
            task::block_in_place(|| ());
        }
    }
    let set = task::LocalSet::new();
    let on_drop = BlockInPlaceOnDrop;
    let local = set.spawn_local(async move {
        let _on_drop = on_drop;
        std::future::pending::<()>().await;
    });
    rt.block_on(set.run_until(task::yield_now()));
    let error = rt
        .block_on(async move {
            drop(set);
            local.await
        })
        .unwrap_err();
    assert_eq!(panic_message(&*error.into_panic()), NOT_ON_A_LOCAL_SET);

    assert_eq!(rt.block_on(rt.spawn(async { 5 })).unwrap(), 5);
}

#[test]
fn the_budget_does_not_limit_block_in_place() {
    let rt = rt(1);
    let (tx, mut rx) = eddy_sync::mpsc::unbounded_channel();
    for value in 0..200 {
        tx.send(value).unwrap();
    }
    let received = rt.block_on(rt.spawn(async move {
        task::block_in_place(move || {
            // A hand-rolled executor that never yields back: each poll must be ready.
            let mut cx = Context::from_waker(Waker::noop());
            (0..200)
                .filter(|_| {
                    let mut recv = std::pin::pin!(rx.recv());
                    recv.as_mut().poll(&mut cx).is_ready()
                })
                .count()
        })
    }));
    assert_eq!(received.unwrap(), 200);
}

#[test]
fn shutdown_background_is_allowed_in_a_task_of_another_runtime() {
    let outer = rt(2);
    let shut_down = outer.block_on(outer.spawn(async {
        rt(1).shutdown_background();
        rt(1).shutdown_timeout(std::time::Duration::ZERO);
        let inner = rt(1);
        let pending = inner.spawn(std::future::pending::<()>());
        inner.shutdown_background();
        pending.await
    }));
    assert!(shut_down.unwrap().unwrap_err().is_cancelled());
}

#[test]
fn too_many_worker_threads_is_a_build_error() {
    let error = Builder::new_multi_thread()
        .worker_threads(65535)
        .build()
        .unwrap_err();
    assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput);
}

#[test]
fn block_in_place_is_allowed_in_handle_block_on_of_a_current_thread_runtime() {
    let rt = Builder::new_current_thread().build().unwrap();
    let _entered = rt.enter();
    let value = Handle::current().block_on(async {
        task::block_in_place(|| {
            Handle::current().block_on(async {
                task::yield_now().await;
                7
            })
        })
    });
    assert_eq!(value, 7);
}

#[test]
fn yield_now_in_block_on_inside_block_in_place_on_a_worker_completes() {
    let rt = rt(1);
    rt.block_on(rt.spawn(async {
        task::block_in_place(|| Handle::current().block_on(task::yield_now()));
    }))
    .unwrap();
}
