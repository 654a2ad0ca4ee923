//! `on_thread_park`, `on_thread_unpark` and `event_interval` on the current-thread runtime: the
//! callbacks run around every sleep of the thread that drives it, work they make runs before
//! the thread sleeps, timers keep firing when they wake the `block_on` future, and the drivers
//! are polled every `event_interval` tasks while tasks keep coming.
#![cfg(all(feature = "time", not(loom)))]

use eddy_executor::runtime::{Builder, Runtime};
use eddy_executor::task;
use eddy_sync::Notify;
use eddy_test_support::CallCount;
use std::future::poll_fn;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::Poll;
use std::time::Duration;

/// A generous bound on futures that complete at once when the runtime behaves: it only turns a
/// hang into a failure.
const NO_HANG: Duration = Duration::from_secs(10);

fn with_park_callback(callback: impl Fn() + Send + Sync + 'static) -> Runtime {
    Builder::new_current_thread()
        .enable_all()
        .on_thread_park(callback)
        .build()
        .unwrap()
}

#[test]
fn park_and_unpark_callbacks_run_around_each_sleep() {
    let (parks, unparks) = (CallCount::new(), CallCount::new());
    let rt = Builder::new_current_thread()
        .enable_all()
        .on_thread_park(parks.hook())
        .on_thread_unpark(unparks.hook())
        .build()
        .unwrap();
    rt.block_on(async { eddy_time::sleep(Duration::from_millis(5)).await });
    assert!(parks.get() >= 1);
    assert_eq!(parks.get(), unparks.get());
}

#[test]
fn a_park_callback_that_wakes_block_on_keeps_the_thread_awake() {
    let notify = Arc::new(Notify::new());
    let woke = Arc::new(AtomicBool::new(false));
    let rt = with_park_callback({
        let (notify, woke) = (notify.clone(), woke.clone());
        move || {
            if !woke.swap(true, Ordering::SeqCst) {
                notify.notify_one();
            }
        }
    });
    let notified = rt.block_on(async { eddy_time::timeout(NO_HANG, notify.notified()).await });
    assert!(notified.is_ok());
}

#[test]
fn a_task_spawned_by_the_park_callback_runs_before_the_thread_sleeps() {
    let notify = Arc::new(Notify::new());
    let spawned = Arc::new(AtomicBool::new(false));
    let rt = with_park_callback({
        let (notify, spawned) = (notify.clone(), spawned.clone());
        move || {
            if !spawned.swap(true, Ordering::SeqCst) {
                let notify = notify.clone();
                task::spawn(async move { notify.notify_one() });
            }
        }
    });
    let notified = rt.block_on(async { eddy_time::timeout(NO_HANG, notify.notified()).await });
    assert!(notified.is_ok());
}

#[test]
fn timers_fire_while_the_park_callback_wakes_block_on() {
    let notify = Arc::new(Notify::new());
    let rt = with_park_callback({
        let notify = notify.clone();
        move || notify.notify_waiters()
    });
    let fired = Arc::new(AtomicBool::new(false));
    rt.spawn({
        let fired = fired.clone();
        async move {
            eddy_time::sleep(Duration::from_millis(1)).await;
            fired.store(true, Ordering::SeqCst);
        }
    });
    rt.block_on(task::yield_now());
    // Each `block_on` ends as soon as the thread would park; the timer must still be driven.
    let deadline = std::time::Instant::now() + NO_HANG;
    while !fired.load(Ordering::SeqCst) && std::time::Instant::now() < deadline {
        rt.block_on(notify.notified());
        std::thread::sleep(Duration::from_millis(1));
    }
    assert!(fired.load(Ordering::SeqCst));
}

/// How many polls of a task that keeps itself queued happen while another task sits in one
/// `yield_now`: a yielding task waits for the next look at the drivers, which comes every
/// `event_interval` tasks while the queue never runs dry.
fn polls_during_a_yield(builder: &mut Builder) -> usize {
    let rt = builder.enable_all().build().unwrap();
    let polls = Arc::new(AtomicUsize::new(0));
    let spinning = Arc::new(AtomicBool::new(true));
    rt.spawn({
        let (polls, spinning) = (polls.clone(), spinning.clone());
        poll_fn(move |cx| {
            polls.fetch_add(1, Ordering::SeqCst);
            if spinning.load(Ordering::SeqCst) {
                cx.waker().wake_by_ref();
                Poll::Pending
            } else {
                Poll::Ready(())
            }
        })
    });
    rt.block_on(async {
        let measured = task::spawn({
            let polls = polls.clone();
            async move {
                let before = polls.load(Ordering::SeqCst);
                task::yield_now().await;
                polls.load(Ordering::SeqCst) - before
            }
        });
        let measured = measured.await.unwrap();
        spinning.store(false, Ordering::SeqCst);
        measured
    })
}

#[test]
fn the_drivers_are_looked_at_every_event_interval_tasks() {
    let short = polls_during_a_yield(Builder::new_current_thread().event_interval(2));
    let default = polls_during_a_yield(&mut Builder::new_current_thread());
    assert!(short <= 2, "{short} polls with an event interval of 2");
    assert!(
        default > 2 * short,
        "{default} polls with the default interval of 61"
    );
}

#[test]
fn a_wake_the_park_callback_defers_runs_before_the_thread_sleeps() {
    use std::future::Future;
    use std::task::{Context, Wake, Waker};

    /// Notifies when woken.
    struct NotifyOnWake(Notify);
    impl Wake for NotifyOnWake {
        fn wake(self: Arc<Self>) {
            self.0.notify_one();
        }
    }

    let notify = Arc::new(NotifyOnWake(Notify::new()));
    let yielded = Arc::new(AtomicBool::new(false));
    let rt = with_park_callback({
        let (waker, yielded) = (Waker::from(notify.clone()), yielded.clone());
        move || {
            if !yielded.swap(true, Ordering::SeqCst) {
                // `yield_now` only defers the waker: the scheduler must wake it before sleeping.
                let mut cx = Context::from_waker(&waker);
                let _ = std::pin::pin!(task::yield_now()).poll(&mut cx);
            }
        }
    });
    let notified = rt.block_on(async { eddy_time::timeout(NO_HANG, notify.0.notified()).await });
    assert!(notified.is_ok());
}
