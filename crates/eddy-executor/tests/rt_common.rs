//! The core runtime tests, run on every scheduler flavor: current-thread, multi-thread with one
//! and with two workers, and `LocalRuntime` (the `rt_common!` macro in `rt_common/flavor.rs`).
//!
//! Spawning, `block_on`, wakes from other threads, the blocking pool, timers, sockets, join,
//! abort and panics, shutdown, `yield_now`, the cooperative budget, the runtime context and
//! nested `block_on`. A verdict never depends on timing: waits are on channels, and time is only
//! checked from below (a sleep lasts at least its duration).
#![cfg(not(loom))]
#![cfg(all(unix, feature = "time", feature = "io"))]

#[path = "rt_common/flavor.rs"]
mod flavor;

use eddy_executor::runtime::Handle;
use eddy_executor::task::{self, JoinSet};
use eddy_reactor::AsyncFd;
use eddy_sync::{mpsc, oneshot, Barrier, Notify};
use eddy_test_support::panic_message;
use eddy_time::{interval, sleep, timeout, Duration, Instant};
use flavor::{rt_common, Rt};
use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc as std_mpsc, Arc};
use std::thread;

/// Sets its flag when dropped (to see a task's future dropped).
struct SetOnDrop(Arc<AtomicBool>);

impl Drop for SetOnDrop {
    fn drop(&mut self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// A connected pair of non-blocking Unix stream sockets, registered with the current reactor.
fn socket_pair() -> (AsyncFd<UnixStream>, AsyncFd<UnixStream>) {
    let (a, b) = UnixStream::pair().unwrap();
    a.set_nonblocking(true).unwrap();
    b.set_nonblocking(true).unwrap();
    // SAFETY: each `AsyncFd` owns its `UnixStream`, which owns its descriptor.
    unsafe { (AsyncFd::register(a).unwrap(), AsyncFd::register(b).unwrap()) }
}

async fn write_all(socket: &AsyncFd<UnixStream>, mut bytes: &[u8]) {
    while !bytes.is_empty() {
        let mut guard = socket.writable().await.unwrap();
        if let Ok(written) = guard.try_io(|inner| inner.get_ref().write(bytes)) {
            bytes = &bytes[written.unwrap()..];
        }
    }
}

async fn read_exact(socket: &AsyncFd<UnixStream>, length: usize) -> Vec<u8> {
    let mut received = vec![0; length];
    let mut filled = 0;
    while filled < length {
        let mut guard = socket.readable().await.unwrap();
        if let Ok(read) = guard.try_io(|inner| inner.get_ref().read(&mut received[filled..])) {
            let read = read.unwrap();
            assert_ne!(read, 0, "the peer closed early");
            filled += read;
        }
    }
    received
}

async fn spend_budget(units: u32) {
    for _ in 0..units {
        task::consume_budget().await;
    }
}

/// How many polls `future` takes to complete.
async fn polls_to_complete(future: impl std::future::Future<Output = ()>) -> u32 {
    let mut future = std::pin::pin!(future);
    let mut polls = 0;
    std::future::poll_fn(|cx| {
        polls += 1;
        future.as_mut().poll(cx)
    })
    .await;
    polls
}

rt_common! {
    fn block_on_returns_the_futures_output(rt: Rt) {
        assert_eq!(rt.block_on(async { 40 + 2 }), 42);
    }

    fn block_on_runs_twice_on_one_runtime(rt: Rt) {
        let first = rt.block_on(async { task::spawn(async { 1 }).await.unwrap() });
        let second = rt.block_on(async { task::spawn(async { 2 }).await.unwrap() });
        assert_eq!((first, second), (1, 2));
    }

    fn spawned_task_output_reaches_its_join_handle(rt: Rt) {
        let output = rt.block_on(async { task::spawn(async { "done" }).await.unwrap() });
        assert_eq!(output, "done");
    }

    fn a_thousand_spawned_tasks_all_run(rt: Rt) {
        let counter = Arc::new(AtomicUsize::new(0));
        rt.block_on(async {
            let handles: Vec<_> = (0..1000)
                .map(|_| {
                    let counter = counter.clone();
                    task::spawn(async move {
                        counter.fetch_add(1, Ordering::SeqCst);
                    })
                })
                .collect();
            for handle in handles {
                handle.await.unwrap();
            }
        });
        assert_eq!(counter.load(Ordering::SeqCst), 1000);
    }

    fn tasks_spawn_tasks(rt: Rt) {
        let depth = rt.block_on(async {
            task::spawn(async {
                task::spawn(async { task::spawn(async { 3 }).await.unwrap() })
                    .await
                    .unwrap()
            })
            .await
            .unwrap()
        });
        assert_eq!(depth, 3);
    }

    fn spawn_through_the_handle_from_another_thread(rt: Rt) {
        let handle = rt.handle().clone();
        let from_thread = thread::spawn(move || handle.spawn(async { 7 }));
        let join = from_thread.join().unwrap();
        assert_eq!(rt.block_on(join).unwrap(), 7);
    }

    fn block_on_is_woken_from_another_thread(rt: Rt) {
        let (sender, receiver) = oneshot::channel();
        let (started, start) = std_mpsc::channel::<()>();
        let sending = thread::spawn(move || {
            start.recv().unwrap();
            sender.send(11).unwrap();
        });
        let value = rt.block_on(async move {
            started.send(()).unwrap();
            receiver.await.unwrap()
        });
        sending.join().unwrap();
        assert_eq!(value, 11);
    }

    fn a_task_is_woken_from_another_thread_many_times(rt: Rt) {
        let (to_task, mut task_inbox) = mpsc::unbounded_channel::<u32>();
        let (to_thread, thread_inbox) = std_mpsc::channel::<u32>();
        let echo = rt.handle().spawn(async move {
            let mut sum = 0;
            while let Some(value) = task_inbox.recv().await {
                sum += value;
                to_thread.send(value).unwrap();
            }
            sum
        });
        let pinging = thread::spawn(move || {
            for value in 0..100 {
                to_task.send(value).unwrap();
                assert_eq!(thread_inbox.recv().unwrap(), value);
            }
        });
        let sum = rt.block_on(echo).unwrap();
        pinging.join().unwrap();
        assert_eq!(sum, (0..100).sum::<u32>());
    }

    fn spawn_blocking_returns_its_value(rt: Rt) {
        let value = rt.block_on(async {
            task::spawn_blocking(|| thread::current().id()).await.unwrap()
        });
        assert_ne!(value, thread::current().id());
    }

    fn spawn_blocking_wakes_a_waiting_task(rt: Rt) {
        let received = rt.block_on(async {
            let (sender, receiver) = oneshot::channel();
            let waiting = task::spawn(receiver);
            task::spawn_blocking(move || sender.send(5).unwrap());
            waiting.await.unwrap().unwrap()
        });
        assert_eq!(received, 5);
    }

    fn handle_block_on_from_the_blocking_pool(rt: Rt) {
        let value = rt.block_on(async {
            task::spawn_blocking(|| {
                Handle::current().block_on(async { task::spawn(async { 9 }).await.unwrap() })
            })
            .await
            .unwrap()
        });
        assert_eq!(value, 9);
    }

    fn sleep_lasts_at_least_its_duration(rt: Rt) {
        let elapsed = rt.block_on(async {
            let start = Instant::now();
            sleep(Duration::from_millis(5)).await;
            start.elapsed()
        });
        assert!(elapsed >= Duration::from_millis(5), "{elapsed:?}");
    }

    fn sleeping_tasks_all_wake(rt: Rt) {
        rt.block_on(async {
            let mut set = JoinSet::new();
            for ms in 1..=20 {
                set.spawn(async move {
                    let start = Instant::now();
                    sleep(Duration::from_millis(ms)).await;
                    assert!(start.elapsed() >= Duration::from_millis(ms));
                });
            }
            let mut finished = 0;
            while let Some(result) = set.join_next().await {
                result.unwrap();
                finished += 1;
            }
            assert_eq!(finished, 20);
        });
    }

    fn timeout_fires_on_a_future_that_never_completes(rt: Rt) {
        let result = rt.block_on(async {
            timeout(Duration::from_millis(2), std::future::pending::<()>()).await
        });
        assert!(result.is_err());
    }

    fn timeout_passes_a_ready_output_through(rt: Rt) {
        let result = rt.block_on(async { timeout(Duration::from_secs(60), async { 4 }).await });
        assert_eq!(result.unwrap(), 4);
    }

    fn interval_ticks_in_a_task(rt: Rt) {
        let ticks = rt.block_on(async {
            task::spawn(async {
                let start = Instant::now();
                let mut ticker = interval(Duration::from_millis(1));
                for _ in 0..5 {
                    ticker.tick().await;
                }
                start.elapsed()
            })
            .await
            .unwrap()
        });
        // The first tick is immediate, the four others a period apart at least.
        assert!(ticks >= Duration::from_millis(4), "{ticks:?}");
    }

    fn a_socket_pair_echoes_between_two_tasks(rt: Rt) {
        let echoed = rt.block_on(async {
            let (client, server) = socket_pair();
            let echo = task::spawn(async move {
                let request = read_exact(&server, 5).await;
                write_all(&server, &request).await;
            });
            write_all(&client, b"hello").await;
            let reply = read_exact(&client, 5).await;
            echo.await.unwrap();
            reply
        });
        assert_eq!(echoed, b"hello");
    }

    fn many_socket_pairs_carry_data_concurrently(rt: Rt) {
        let total = rt.block_on(async {
            let mut set = JoinSet::new();
            for index in 0..20u8 {
                set.spawn(async move {
                    let (writer, reader) = socket_pair();
                    let payload = vec![index; 64 * 1024];
                    let reading = task::spawn(async move { read_exact(&reader, 64 * 1024).await });
                    write_all(&writer, &payload).await;
                    let received = reading.await.unwrap();
                    assert_eq!(received, payload);
                    received.len()
                });
            }
            let mut total = 0;
            while let Some(length) = set.join_next().await {
                total += length.unwrap();
            }
            total
        });
        assert_eq!(total, 20 * 64 * 1024);
    }

    fn a_reader_sees_the_peer_close(rt: Rt) {
        let read = rt.block_on(async {
            let (closing, reader) = socket_pair();
            let reading = task::spawn(async move {
                let mut buf = [0; 8];
                loop {
                    let mut guard = reader.readable().await.unwrap();
                    if let Ok(result) = guard.try_io(|inner| inner.get_ref().read(&mut buf)) {
                        return result;
                    }
                }
            });
            task::yield_now().await;
            drop(closing);
            reading.await.unwrap()
        });
        assert_eq!(read.unwrap(), 0);
    }

    fn abort_cancels_a_pending_task_and_drops_its_future(rt: Rt) {
        let dropped = Arc::new(AtomicBool::new(false));
        let error = rt.block_on(async {
            let guard = SetOnDrop(dropped.clone());
            let pending = task::spawn(async move {
                let _guard = guard;
                std::future::pending::<()>().await;
            });
            task::yield_now().await;
            pending.abort();
            pending.await.unwrap_err()
        });
        assert!(error.is_cancelled());
        assert!(dropped.load(Ordering::SeqCst));
    }

    fn abort_handle_from_another_task(rt: Rt) {
        let error = rt.block_on(async {
            let pending = task::spawn(std::future::pending::<()>());
            let abort = pending.abort_handle();
            task::spawn(async move { abort.abort() }).await.unwrap();
            pending.await.unwrap_err()
        });
        assert!(error.is_cancelled());
    }

    fn abort_after_completion_keeps_the_output(rt: Rt) {
        let output = rt.block_on(async {
            let (done, finished) = oneshot::channel();
            let join = task::spawn(async move {
                done.send(()).unwrap();
                8
            });
            finished.await.unwrap();
            // The task may still be finishing its poll; after it, abort changes nothing.
            while !join.is_finished() {
                task::yield_now().await;
            }
            join.abort();
            join.await
        });
        assert_eq!(output.unwrap(), 8);
    }

    fn a_panicking_task_reports_its_panic_and_the_runtime_goes_on(rt: Rt) {
        let (error, after) = rt.block_on(async {
            let error = task::spawn(async { panic!("boom") }).await.unwrap_err();
            let after = task::spawn(async { 1 }).await.unwrap();
            (error, after)
        });
        assert!(error.is_panic());
        assert_eq!(panic_message(&*error.into_panic()), "boom");
        assert_eq!(after, 1);
    }

    fn a_dropped_join_handle_detaches_its_task(rt: Rt) {
        let value = rt.block_on(async {
            let (sender, receiver) = oneshot::channel();
            let (go, wait) = oneshot::channel::<()>();
            drop(task::spawn(async move {
                wait.await.unwrap();
                sender.send(6).unwrap();
            }));
            go.send(()).unwrap();
            receiver.await.unwrap()
        });
        assert_eq!(value, 6);
    }

    fn join_set_joins_every_task(rt: Rt) {
        let mut outputs = rt.block_on(async {
            let mut set = JoinSet::new();
            for value in 0..50 {
                set.spawn(async move {
                    task::yield_now().await;
                    value
                });
            }
            let mut outputs = Vec::new();
            while let Some(output) = set.join_next().await {
                outputs.push(output.unwrap());
            }
            outputs
        });
        outputs.sort_unstable();
        assert_eq!(outputs, (0..50).collect::<Vec<_>>());
    }

    fn yield_now_lets_another_task_run(rt: Rt) {
        let yields = rt.block_on(async {
            let flag = Arc::new(AtomicBool::new(false));
            let setter = task::spawn({
                let flag = flag.clone();
                async move { flag.store(true, Ordering::SeqCst) }
            });
            let mut yields = 0;
            while !flag.load(Ordering::SeqCst) && yields < 1_000_000 {
                task::yield_now().await;
                yields += 1;
            }
            setter.await.unwrap();
            yields
        });
        assert!(yields < 1_000_000);
    }

    fn the_budget_makes_a_busy_task_yield_to_others(rt: Rt) {
        let notify = Arc::new(Notify::new());
        let rounds = rt.block_on(async {
            let flag = Arc::new(AtomicBool::new(false));
            let busy = task::spawn({
                let flag = flag.clone();
                async move {
                    let mut rounds = 0u64;
                    // Never pends on its own: only the budget makes it yield.
                    while !flag.load(Ordering::SeqCst) && rounds < 100_000_000 {
                        task::consume_budget().await;
                        rounds += 1;
                    }
                    rounds
                }
            });
            let setter = task::spawn({
                let notify = notify.clone();
                async move {
                    flag.store(true, Ordering::SeqCst);
                    notify.notify_one();
                }
            });
            notify.notified().await;
            setter.await.unwrap();
            busy.await.unwrap()
        });
        assert!(rounds < 100_000_000);
    }

    fn a_barrier_releases_tasks_together(rt: Rt) {
        let leaders = rt.block_on(async {
            let barrier = Arc::new(Barrier::new(10));
            let mut set = JoinSet::new();
            for _ in 0..10 {
                let barrier = barrier.clone();
                set.spawn(async move { barrier.wait().await.is_leader() });
            }
            let mut leaders = 0;
            while let Some(leader) = set.join_next().await {
                leaders += usize::from(leader.unwrap());
            }
            leaders
        });
        assert_eq!(leaders, 1);
    }

    fn the_handle_inside_is_the_runtimes(rt: Rt) {
        let id = rt.block_on(async { Handle::current().id() });
        let in_task = rt.block_on(async { task::spawn(async { Handle::current().id() }).await });
        assert_eq!(id, rt.handle().id());
        assert_eq!(in_task.unwrap(), rt.handle().id());
    }

    fn enter_lets_a_plain_thread_spawn(rt: Rt) {
        let join = {
            let _entered = rt.enter();
            task::spawn(async { 12 })
        };
        assert!(Handle::try_current().is_err());
        assert_eq!(rt.block_on(join).unwrap(), 12);
    }

    fn nested_block_on_panics_with_tokios_message(rt: Rt) {
        let inner = Rt::current_thread();
        let caught = rt.block_on(async {
            panic::catch_unwind(AssertUnwindSafe(|| inner.block_on(async {}))).unwrap_err()
        });
        let message = panic_message(&*caught);
        assert!(
            message.starts_with("Cannot start a runtime from within a runtime."),
            "{message}"
        );
        // The outer runtime still works.
        assert_eq!(rt.block_on(async { task::spawn(async { 2 }).await.unwrap() }), 2);
    }

    fn dropping_the_runtime_drops_pending_tasks(rt: Rt) {
        let dropped = Arc::new(AtomicBool::new(false));
        rt.block_on(async {
            let guard = SetOnDrop(dropped.clone());
            task::spawn(async move {
                let _guard = guard;
                sleep(Duration::from_secs(3600)).await;
            });
            task::yield_now().await;
        });
        assert!(!dropped.load(Ordering::SeqCst));
        drop(rt);
        assert!(dropped.load(Ordering::SeqCst));
    }

    fn shutdown_timeout_returns_while_blocking_work_runs(rt: Rt) {
        let (release, released) = std_mpsc::channel::<()>();
        let finished = Arc::new(AtomicBool::new(false));
        let (started, start) = std_mpsc::channel();
        rt.block_on(async {
            let finished = finished.clone();
            task::spawn_blocking(move || {
                started.send(()).unwrap();
                released.recv().unwrap();
                finished.store(true, Ordering::SeqCst);
            });
        });
        start.recv().unwrap();
        rt.shutdown_timeout(Duration::from_millis(1));
        assert!(!finished.load(Ordering::SeqCst));
        release.send(()).unwrap();
    }

    fn shutdown_background_returns_and_pending_tasks_are_dropped(rt: Rt) {
        let (dropped, drop_seen) = std_mpsc::channel::<()>();
        let (started, start) = std_mpsc::channel::<()>();
        let (release, released) = std_mpsc::channel::<()>();
        rt.handle().spawn(async move {
            let _sends_on_drop = dropped;
            std::future::pending::<()>().await;
        });
        rt.handle().spawn_blocking(move || {
            started.send(()).unwrap();
            released.recv().unwrap();
        });
        start.recv().unwrap();
        rt.shutdown_background();
        // Every sender dropped: the task's future was dropped (by now, or by a worker soon).
        assert!(drop_seen.recv().is_err());
        release.send(()).unwrap();
    }

    fn a_spawn_after_shutdown_is_cancelled(rt: Rt) {
        let handle = rt.handle().clone();
        drop(rt);
        let join = handle.spawn(async { 1 });
        let error = Rt::current_thread().block_on(join).unwrap_err();
        assert!(error.is_cancelled());
    }

    fn timers_keep_running_under_a_self_waking_block_on(rt: Rt) {
        rt.block_on(async {
            let sleeper = task::spawn(sleep(Duration::from_millis(1)));
            let mut polls = 0u64;
            let finished = std::future::poll_fn(|cx| {
                polls += 1;
                if sleeper.is_finished() || polls == 10_000_000 {
                    return std::task::Poll::Ready(sleeper.is_finished());
                }
                cx.waker().wake_by_ref();
                std::task::Poll::Pending
            })
            .await;
            assert!(finished, "the sleeping task never finished");
        });
    }

    fn a_runtime_in_a_thread_local_is_dropped_at_thread_exit(rt: Rt) {
        thread_local! {
            static KEPT: std::cell::RefCell<Option<Rt>> = const { std::cell::RefCell::new(None) };
        }
        let (dropped, drop_seen) = std_mpsc::channel::<()>();
        // The runtime moves to a thread of its own; a `LocalRuntime` is built there instead.
        let shared = match rt {
            Rt::Shared(runtime) => Some(runtime),
            Rt::Local(_) => None,
        };
        thread::spawn(move || {
            let rt = shared.map_or_else(Rt::local, Rt::Shared);
            rt.block_on(async {
                task::spawn(async move {
                    let _sends_on_drop = dropped;
                    std::future::pending::<()>().await;
                });
                task::yield_now().await;
            });
            KEPT.with(|kept| *kept.borrow_mut() = Some(rt));
        })
        .join()
        .unwrap();
        assert!(drop_seen.recv().is_err());
    }

    fn io_is_dispatched_while_a_task_keeps_waking_itself(rt: Rt) {
        let received = rt.block_on(async {
            let (writer, reader) = socket_pair();
            let stop = Arc::new(AtomicBool::new(false));
            // Wakes itself on every poll without `yield_now`, so the scheduler only looks at
            // its drivers between batches of tasks (`event_interval`).
            let spinner = task::spawn({
                let stop = stop.clone();
                std::future::poll_fn(move |cx| {
                    if stop.load(Ordering::SeqCst) {
                        return std::task::Poll::Ready(());
                    }
                    cx.waker().wake_by_ref();
                    std::task::Poll::Pending
                })
            });
            let reading = task::spawn(async move { read_exact(&reader, 3).await });
            task::yield_now().await;
            write_all(&writer, b"abc").await;
            let received = reading.await.unwrap();
            stop.store(true, Ordering::SeqCst);
            spinner.await.unwrap();
            received
        });
        assert_eq!(received, b"abc");
    }

    fn a_panic_in_block_on_reaches_the_caller_and_the_runtime_goes_on(rt: Rt) {
        let caught = panic::catch_unwind(AssertUnwindSafe(|| {
            rt.block_on(async { panic!("in block_on") })
        }))
        .unwrap_err();
        assert_eq!(panic_message(&*caught), "in block_on");
        assert_eq!(rt.block_on(async { task::spawn(async { 3 }).await.unwrap() }), 3);
    }

    fn unconstrained_code_never_runs_out_of_budget(rt: Rt) {
        let (constrained, unconstrained) = rt.block_on(async {
            task::spawn(async {
                let constrained = polls_to_complete(spend_budget(1000)).await;
                let unconstrained =
                    polls_to_complete(task::unconstrained(spend_budget(1000))).await;
                (constrained, unconstrained)
            })
            .await
            .unwrap()
        });
        // A thousand units are more than one budget: the constrained loop had to yield.
        assert!(constrained > 1, "{constrained}");
        assert_eq!(unconstrained, 1);
    }

    fn a_task_dropped_at_shutdown_may_wake_another(rt: Rt) {
        let (woken, wake_seen) = std_mpsc::channel::<u32>();
        rt.block_on(async {
            let (sender, receiver) = oneshot::channel::<u32>();
            task::spawn(async move {
                // Dropped at shutdown: its drop completes the other task's channel.
                let _sender = sender;
                std::future::pending::<()>().await;
            });
            task::spawn(async move {
                let outcome = receiver.await.map_or(0, |value| value);
                woken.send(outcome).unwrap();
            });
            task::yield_now().await;
        });
        drop(rt);
        // Either the woken task ran once more during shutdown or it was dropped unrun; both
        // are fine, a hang or a panic is not.
        assert!(matches!(wake_seen.recv(), Ok(0) | Err(_)));
    }

    fn tasks_spawned_from_another_thread_run_while_block_on_stays_busy(rt: Rt) {
        let counter = Arc::new(AtomicUsize::new(0));
        let handle = rt.handle().clone();
        let spawner = thread::spawn({
            let counter = counter.clone();
            move || {
                for _ in 0..100 {
                    let counter = counter.clone();
                    handle.spawn(async move { counter.fetch_add(1, Ordering::SeqCst) });
                }
            }
        });
        let yields = rt.block_on(async {
            let mut yields = 0u64;
            while counter.load(Ordering::SeqCst) < 100 && yields < 100_000_000 {
                task::yield_now().await;
                yields += 1;
            }
            yields
        });
        spawner.join().unwrap();
        assert_eq!(counter.load(Ordering::SeqCst), 100, "after {yields} yields");
    }
}
