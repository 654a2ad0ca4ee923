//! One program using every primitive at once, on several threads: 8 producers x 10k messages,
//! a broadcast with a lagging receiver, a watch, a contended Mutex, a Semaphore bounding
//! concurrency, Notify, Barrier and OnceCell.
#![cfg(not(loom))]

use eddy_sync::broadcast::error::RecvError;
use eddy_sync::{broadcast, mpsc, oneshot, watch, Barrier, Mutex, Notify, OnceCell, Semaphore};
use eddy_test_support::executor::{block_on, spawn_thread};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

const PRODUCERS: usize = 8;
const MESSAGES: usize = 10_000;

static CONFIG: OnceCell<usize> = OnceCell::const_new();

#[test]
fn everything_together() {
    let (tx, mut rx) = mpsc::channel::<usize>(128);
    let (progress_tx, progress_rx) = watch::channel(0usize);
    let (events, mut lagging) = broadcast::channel::<usize>(16);
    let total = Arc::new(Mutex::new(0usize));
    let limit = Arc::new(Semaphore::new(3));
    let inside = Arc::new(AtomicUsize::new(0));
    let start = Arc::new(Barrier::new(PRODUCERS));
    let done = Arc::new(Notify::new());

    let producers: Vec<_> = (0..PRODUCERS)
        .map(|p| {
            let (tx, total, limit, inside, start) = (
                tx.clone(),
                total.clone(),
                limit.clone(),
                inside.clone(),
                start.clone(),
            );
            spawn_thread(async move {
                let step = *CONFIG.get_or_init(|| async { 1 }).await;
                start.wait().await;
                for i in 0..MESSAGES {
                    tx.send(p * MESSAGES + i).await.unwrap();
                    if i % 1_000 == 0 {
                        let _permit = limit.acquire().await.unwrap();
                        assert!(
                            inside.fetch_add(1, Ordering::SeqCst) < 3,
                            "semaphore let 4 in"
                        );
                        *total.lock().await += step;
                        inside.fetch_sub(1, Ordering::SeqCst);
                    }
                }
            })
        })
        .collect();
    drop(tx);

    let watcher = {
        let mut progress = progress_rx.clone();
        let done = done.clone();
        spawn_thread(async move {
            let notified = done.notified();
            progress
                .wait_for(|n| *n == PRODUCERS * MESSAGES)
                .await
                .unwrap();
            notified.await;
        })
    };

    let mut fast = events.subscribe();
    let fast_reader = spawn_thread(async move {
        let mut seen = 0;
        loop {
            match fast.recv().await {
                Ok(_) => seen += 1,
                Err(RecvError::Lagged(n)) => seen += n as usize,
                Err(RecvError::Closed) => return seen,
            }
        }
    });

    let received = block_on(async {
        let mut seen = vec![false; PRODUCERS * MESSAGES];
        let mut count = 0;
        while let Some(v) = rx.recv().await {
            assert!(!std::mem::replace(&mut seen[v], true), "duplicate {v}");
            count += 1;
            if count % 100 == 0 {
                events.send(count).unwrap();
                progress_tx.send_replace(count);
            }
        }
        progress_tx.send_replace(count);
        count
    });
    drop(events);
    done.notify_one();

    for producer in producers {
        producer.join().unwrap();
    }
    watcher.join().unwrap();
    assert_eq!(received, PRODUCERS * MESSAGES);
    assert_eq!(fast_reader.join().unwrap(), PRODUCERS * MESSAGES / 100);
    assert_eq!(*total.blocking_lock(), PRODUCERS * (MESSAGES / 1_000));
    assert_eq!(limit.available_permits(), 3);
    assert_eq!(CONFIG.get(), Some(&1));

    // The receiver that never read lags: it learns how much it missed, then reads the rest.
    match lagging.try_recv() {
        Err(broadcast::error::TryRecvError::Lagged(missed)) => {
            assert_eq!(missed as usize, PRODUCERS * MESSAGES / 100 - 16)
        }
        other => panic!("expected a lag, got {other:?}"),
    }
    let mut rest = 0;
    while lagging.try_recv().is_ok() {
        rest += 1;
    }
    assert_eq!(rest, 16);

    let (reply_tx, reply_rx) = oneshot::channel();
    std::thread::spawn(move || reply_tx.send(received).unwrap());
    assert_eq!(reply_rx.blocking_recv(), Ok(PRODUCERS * MESSAGES));
}
