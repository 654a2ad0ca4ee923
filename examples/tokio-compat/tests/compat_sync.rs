//! The sync issue's acceptance program, as a Tokio user writes it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tokio::sync::{broadcast, mpsc, watch, Barrier, Mutex, Notify, OnceCell, Semaphore};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eight_producers_ten_thousand_messages_each() {
    let (tx, mut rx) = mpsc::channel::<(usize, usize)>(64);
    for producer in 0..8 {
        let tx = tx.clone();
        tokio::spawn(async move {
            for n in 0..10_000 {
                tx.send((producer, n)).await.unwrap();
            }
        });
    }
    drop(tx);
    let mut next = [0usize; 8];
    while let Some((producer, n)) = rx.recv().await {
        assert_eq!(
            next[producer], n,
            "messages from one producer arrive in order"
        );
        next[producer] += 1;
    }
    assert!(next.iter().all(|&count| count == 10_000));
}

#[tokio::test]
async fn a_lagging_broadcast_receiver_is_told_how_far_it_fell() {
    let (tx, mut slow) = broadcast::channel(4);
    for n in 0..10 {
        tx.send(n).unwrap();
    }
    assert_eq!(
        slow.recv().await,
        Err(broadcast::error::RecvError::Lagged(6))
    );
    assert_eq!(slow.recv().await.unwrap(), 6);
}

#[tokio::test]
async fn watch_sees_the_latest_value() {
    let (tx, mut rx) = watch::channel("start");
    let waiter =
        tokio::spawn(async move { rx.wait_for(|value| *value == "done").await.map(|v| *v) });
    tx.send("middle").unwrap();
    tx.send("done").unwrap();
    assert_eq!(waiter.await.unwrap().unwrap(), "done");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn contended_mutex_and_bounded_concurrency() {
    let counter = Arc::new(Mutex::new(0));
    let semaphore = Arc::new(Semaphore::new(3));
    let running = Arc::new(AtomicUsize::new(0));
    let peak = Arc::new(AtomicUsize::new(0));
    let tasks: Vec<_> = (0..32)
        .map(|_| {
            let (counter, semaphore) = (counter.clone(), semaphore.clone());
            let (running, peak) = (running.clone(), peak.clone());
            tokio::spawn(async move {
                let _permit = semaphore.acquire().await.unwrap();
                let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                peak.fetch_max(now, Ordering::SeqCst);
                for _ in 0..100 {
                    *counter.lock().await += 1;
                    tokio::task::yield_now().await;
                }
                running.fetch_sub(1, Ordering::SeqCst);
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    assert_eq!(*counter.lock().await, 3200);
    assert!(peak.load(Ordering::SeqCst) <= 3);
}

#[tokio::test]
async fn notify_barrier_and_once_cell() {
    let notify = Arc::new(Notify::new());
    let waiter = {
        let notify = notify.clone();
        tokio::spawn(async move { notify.notified().await })
    };
    tokio::task::yield_now().await;
    notify.notify_one();
    waiter.await.unwrap();

    let barrier = Arc::new(Barrier::new(4));
    let waiters: Vec<_> = (0..4)
        .map(|_| {
            let barrier = barrier.clone();
            tokio::spawn(async move { barrier.wait().await.is_leader() })
        })
        .collect();
    let mut leaders = 0;
    for waiter in waiters {
        leaders += usize::from(waiter.await.unwrap());
    }
    assert_eq!(leaders, 1);

    static CELL: OnceCell<u32> = OnceCell::const_new();
    let value = CELL.get_or_init(|| async { 42 }).await;
    assert_eq!(*value, 42);
    assert_eq!(CELL.get(), Some(&42));
}
