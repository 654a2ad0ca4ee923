#![cfg(not(loom))]

use eddy_sync::mpsc::{self, error::TryRecvError, error::TrySendError};
use eddy_test_support::executor::{block_on, spawn_thread};
use eddy_test_support::task::poll_once;
use eddy_test_support::waker::{counting, hooked, PanicOnWake};
use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

#[test]
fn bounded_many_producers_deliver_every_message_in_per_producer_order() {
    const PRODUCERS: usize = 8;
    const EACH: usize = 10_000;
    let (tx, mut rx) = mpsc::channel(64);
    let producers: Vec<_> = (0..PRODUCERS)
        .map(|p| {
            let tx = tx.clone();
            spawn_thread(async move {
                for i in 0..EACH {
                    tx.send((p, i)).await.unwrap();
                }
            })
        })
        .collect();
    drop(tx);
    let mut next = [0usize; PRODUCERS];
    let total = block_on(async {
        let mut total = 0;
        while let Some((p, i)) = rx.recv().await {
            assert_eq!(next[p], i, "producer {p} out of order");
            next[p] += 1;
            total += 1;
        }
        total
    });
    for producer in producers {
        producer.join().unwrap();
    }
    assert_eq!(total, PRODUCERS * EACH);
}

#[test]
fn unbounded_many_producers_from_plain_threads() {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let producers: Vec<_> = (0..4)
        .map(|p| {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for i in 0..5_000 {
                    tx.send(p * 100_000 + i).unwrap();
                }
            })
        })
        .collect();
    drop(tx);
    let mut seen = HashSet::new();
    while let Some(v) = rx.blocking_recv() {
        assert!(seen.insert(v));
    }
    for producer in producers {
        producer.join().unwrap();
    }
    assert_eq!(seen.len(), 20_000);
}

#[test]
fn blocking_send_and_recv_across_threads() {
    let (tx, mut rx) = mpsc::channel(1);
    let sender = std::thread::spawn(move || {
        for i in 0..100 {
            tx.blocking_send(i).unwrap();
        }
    });
    let received: Vec<i32> = std::iter::from_fn(|| rx.blocking_recv()).collect();
    sender.join().unwrap();
    assert_eq!(received, (0..100).collect::<Vec<_>>());
}

#[test]
fn try_send_reports_full_and_closed() {
    let (tx, mut rx) = mpsc::channel(2);
    tx.try_send(1).unwrap();
    tx.try_send(2).unwrap();
    assert_eq!(tx.try_send(3), Err(TrySendError::Full(3)));
    assert_eq!(tx.capacity(), 0);
    assert_eq!(tx.max_capacity(), 2);
    assert_eq!(rx.try_recv(), Ok(1));
    assert_eq!(tx.capacity(), 1);
    drop(rx);
    assert!(tx.is_closed());
    assert_eq!(tx.try_send(4), Err(TrySendError::Closed(4)));
}

#[test]
fn try_recv_empty_then_disconnected() {
    let (tx, mut rx) = mpsc::channel::<u8>(4);
    assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
    tx.try_send(7).unwrap();
    drop(tx);
    assert_eq!(rx.try_recv(), Ok(7));
    assert_eq!(rx.try_recv(), Err(TryRecvError::Disconnected));
    assert!(rx.is_closed());
}

#[test]
fn close_keeps_queued_messages_and_fails_new_sends() {
    let (tx, mut rx) = mpsc::channel(4);
    tx.try_send(1).unwrap();
    let permit = tx.try_reserve().unwrap();
    rx.close();
    assert!(tx.is_closed());
    assert!(tx.try_send(2).is_err());
    permit.send(3);
    block_on(async {
        assert_eq!(rx.recv().await, Some(1));
        assert_eq!(rx.recv().await, Some(3));
        assert_eq!(rx.recv().await, None);
    });
}

#[test]
fn receiver_closed_with_outstanding_permit_ends_when_permit_is_dropped() {
    let (tx, mut rx) = mpsc::channel::<u8>(2);
    let permit = tx.try_reserve().unwrap();
    rx.close();
    let mut recv = Box::pin(async move { rx.recv().await });
    let (wakes, waker) = counting();
    assert!(poll_once(recv.as_mut(), &waker).is_pending());
    drop(permit);
    assert_eq!(wakes.count(), 1);
    assert_eq!(
        poll_once(recv.as_mut(), &waker),
        std::task::Poll::Ready(None)
    );
}

#[test]
fn full_channel_blocks_sender_until_receiver_takes_one() {
    let (tx, mut rx) = mpsc::channel(1);
    tx.try_send(1).unwrap();
    let (wakes, waker) = counting();
    let tx2 = tx.clone();
    let mut send = Box::pin(async move { tx2.send(2).await });
    assert!(poll_once(send.as_mut(), &waker).is_pending());
    assert_eq!(rx.try_recv(), Ok(1));
    assert_eq!(wakes.count(), 1);
    assert!(poll_once(send.as_mut(), &waker).is_ready());
    assert_eq!(rx.try_recv(), Ok(2));
}

#[test]
fn dropped_waiting_sender_hands_capacity_to_the_next() {
    let (tx, mut rx) = mpsc::channel(1);
    tx.try_send(0).unwrap();
    let (first_wakes, first_waker) = counting();
    let (second_wakes, second_waker) = counting();
    let (a, b) = (tx.clone(), tx.clone());
    let mut first = Box::pin(async move { a.send(1).await });
    let mut second = Box::pin(async move { b.send(2).await });
    assert!(poll_once(first.as_mut(), &first_waker).is_pending());
    assert!(poll_once(second.as_mut(), &second_waker).is_pending());
    assert_eq!(rx.try_recv(), Ok(0));
    assert_eq!(first_wakes.count(), 1);
    drop(first);
    assert_eq!(second_wakes.count(), 1);
    assert!(poll_once(second.as_mut(), &second_waker).is_ready());
    assert_eq!(rx.try_recv(), Ok(2));
    assert_eq!(tx.capacity(), 1);
}

#[test]
fn reserve_many_and_permit_iterator() {
    let (tx, mut rx) = mpsc::channel(4);
    block_on(async {
        let permits = tx.reserve_many(3).await.unwrap();
        assert_eq!(tx.capacity(), 1);
        for (i, permit) in permits.enumerate() {
            permit.send(i);
        }
        assert!(tx.reserve_many(5).await.is_err());
        let unused = tx.try_reserve_many(1).unwrap();
        assert_eq!(tx.capacity(), 0);
        drop(unused);
        assert_eq!(tx.capacity(), 1);
        let mut buffer = Vec::new();
        assert_eq!(rx.recv_many(&mut buffer, 10).await, 3);
        assert_eq!(buffer, vec![0, 1, 2]);
        assert_eq!(rx.recv_many(&mut buffer, 0).await, 0);
    });
}

#[test]
fn owned_permit_send_and_release() {
    let (tx, mut rx) = mpsc::channel(1);
    block_on(async {
        let permit = tx.reserve_owned().await.unwrap();
        let tx = permit.send(5);
        assert_eq!(rx.recv().await, Some(5));
        let permit = tx.try_reserve_owned().unwrap();
        assert_eq!(permit.release().capacity(), 1);
    });
}

#[test]
fn weak_sender_does_not_keep_channel_open() {
    let (tx, mut rx) = mpsc::channel::<u8>(1);
    let weak = tx.downgrade();
    assert_eq!(tx.strong_count(), 1);
    assert_eq!(tx.weak_count(), 1);
    let upgraded = weak.upgrade().unwrap();
    assert!(upgraded.same_channel(&tx));
    drop(upgraded);
    drop(tx);
    assert!(weak.upgrade().is_none());
    assert_eq!(block_on(rx.recv()), None);
    assert_eq!(rx.sender_weak_count(), 1);
}

#[test]
fn sender_closed_completes_when_receiver_drops() {
    let (tx, rx) = mpsc::unbounded_channel::<u8>();
    let tx2 = tx.clone();
    let waiter = spawn_thread(async move { tx2.closed().await });
    std::thread::sleep(std::time::Duration::from_millis(20));
    drop(rx);
    waiter.join().unwrap();
    assert!(tx.is_closed());
    assert!(tx.send(1).is_err());
}

#[test]
fn len_and_is_empty_count_queued_messages() {
    let (tx, mut rx) = mpsc::unbounded_channel();
    assert!(rx.is_empty());
    for i in 0..100 {
        tx.send(i).unwrap();
    }
    assert_eq!(rx.len(), 100);
    for _ in 0..40 {
        rx.try_recv().unwrap();
    }
    assert_eq!(rx.len(), 60);
}

#[test]
fn dropping_receiver_drops_queued_messages() {
    let value = Arc::new(());
    let (tx, rx) = mpsc::unbounded_channel();
    for _ in 0..70 {
        tx.send(value.clone()).unwrap();
    }
    drop(rx);
    assert_eq!(Arc::strong_count(&value), 1);
    let (tx2, rx2) = mpsc::channel(100);
    for _ in 0..70 {
        tx2.try_send(value.clone()).unwrap();
    }
    drop(tx2);
    drop(rx2);
    drop(tx);
    assert_eq!(Arc::strong_count(&value), 1);
}

#[test]
fn unbounded_send_after_receiver_drop_fails() {
    let (tx, rx) = mpsc::unbounded_channel();
    drop(rx);
    assert_eq!(tx.send(3).unwrap_err().0, 3);
}

#[test]
#[should_panic(expected = "mpsc bounded channel requires buffer > 0")]
fn zero_capacity_panics() {
    let _ = mpsc::channel::<u8>(0);
}

/// Regression: a reservation cancelled after `close()` gave its assigned slot back without
/// waking a receiver that waits for "closed and empty", which then waited forever.
#[test]
fn cancelled_reserve_wakes_a_receiver_waiting_for_the_end() {
    let (tx, mut rx) = mpsc::channel::<()>(1);
    let held = tx.try_reserve().unwrap();
    let (_, reserve_waker) = counting();
    let mut reserve = Box::pin(tx.reserve());
    assert!(poll_once(reserve.as_mut(), &reserve_waker).is_pending());
    drop(held); // assigned to the queued reservation
    rx.close();
    let (wakes, waker) = counting();
    let mut recv = Box::pin(rx.recv());
    assert!(poll_once(recv.as_mut(), &waker).is_pending());
    drop(reserve);
    assert_eq!(wakes.count(), 1);
    assert!(matches!(
        poll_once(recv.as_mut(), &waker),
        Poll::Ready(None)
    ));
}

/// Regression: a reservation that fails on the closed channel returns its slot and wakes the
/// receiver, even when the slot had already been assigned to it.
#[test]
fn failed_reserve_wakes_a_receiver_waiting_for_the_end() {
    let (tx, mut rx) = mpsc::channel::<()>(2);
    let held = tx.try_reserve().unwrap();
    let (_, reserve_waker) = counting();
    let mut reserve = Box::pin(tx.reserve_many(2));
    assert!(poll_once(reserve.as_mut(), &reserve_waker).is_pending());
    rx.close();
    let (wakes, waker) = counting();
    let mut recv = Box::pin(rx.recv());
    assert!(poll_once(recv.as_mut(), &waker).is_pending());
    drop(held);
    assert_eq!(wakes.count(), 0, "a slot is still held by the reservation");
    assert!(matches!(
        poll_once(reserve.as_mut(), &reserve_waker),
        Poll::Ready(Err(_))
    ));
    assert_eq!(wakes.count(), 1);
    assert!(matches!(
        poll_once(recv.as_mut(), &waker),
        Poll::Ready(None)
    ));
}

/// A waker that panics when woken: `Permit::send` still spends its slot and queues the value.
#[test]
fn permit_send_with_a_panicking_receiver_waker_keeps_the_value() {
    let (tx, mut rx) = mpsc::channel(1);
    let waker = hooked(Arc::new(PanicOnWake::default()));
    assert!(rx.poll_recv(&mut Context::from_waker(&waker)).is_pending());
    let permit = tx.try_reserve().unwrap();
    assert!(std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| permit.send(7))).is_err());
    assert_eq!(tx.capacity(), 0);
    assert_eq!(rx.try_recv(), Ok(7));
    assert_eq!(tx.capacity(), 1);
}

/// Dropping the receiver drops every queued message even if one destructor panics, and lets
/// go of the receiver's waker at once.
#[test]
fn dropping_the_receiver_drops_every_message_and_its_waker() {
    static DROPPED: AtomicUsize = AtomicUsize::new(0);
    struct Loud(bool);
    impl Drop for Loud {
        fn drop(&mut self) {
            DROPPED.fetch_add(1, Ordering::SeqCst);
            assert!(!self.0, "a panicking destructor");
        }
    }
    let (tx, mut rx) = mpsc::unbounded_channel();
    let (counter, waker) = counting();
    assert!(rx.poll_recv(&mut Context::from_waker(&waker)).is_pending());
    drop(waker);
    assert_eq!(Arc::strong_count(&counter), 2, "the receiver holds a waker");
    for panics in [true, false, false] {
        tx.send(Loud(panics)).unwrap();
    }
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| drop(rx)));
    assert!(outcome.is_err());
    assert_eq!(DROPPED.load(Ordering::SeqCst), 3);
    assert_eq!(
        Arc::strong_count(&counter),
        1,
        "the receiver kept its waker"
    );
    drop(tx);
}
