//! tokio-util's synchronisation tools on eddy: `CancellationToken` (trees of tokens, the
//! cancelled futures, drop guards, `run_until_cancelled`), `PollSemaphore` and `PollSender`.

use futures::future::poll_fn;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, Semaphore};
use tokio_util::sync::{CancellationToken, PollSemaphore, PollSender};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelling_a_parent_stops_every_child_task() {
    let root = CancellationToken::new();
    let stopped = Arc::new(AtomicUsize::new(0));
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            // Half the tasks hang on a child, half on a grandchild.
            let token = if i % 2 == 0 {
                root.child_token()
            } else {
                root.child_token().child_token()
            };
            let stopped = stopped.clone();
            tokio::spawn(async move {
                token.cancelled().await;
                stopped.fetch_add(1, Ordering::SeqCst);
            })
        })
        .collect();
    root.cancel();
    for task in tasks {
        task.await.unwrap();
    }
    assert_eq!(stopped.load(Ordering::SeqCst), 8);
}

#[tokio::test]
async fn cancelling_a_child_leaves_the_parent_and_siblings_alone() {
    let root = CancellationToken::new();
    let child = root.child_token();
    let sibling = root.child_token();
    let grandchild = child.child_token();
    child.cancel();
    assert!(child.is_cancelled());
    assert!(grandchild.is_cancelled());
    assert!(!root.is_cancelled());
    assert!(!sibling.is_cancelled());
    // A child of a cancelled token starts cancelled.
    assert!(child.child_token().is_cancelled());
    grandchild.cancelled().await;
}

#[tokio::test]
async fn run_until_cancelled_stops_a_server_loop() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let shutdown = CancellationToken::new();
    let (accepted_tx, mut accepted_rx) = mpsc::unbounded_channel();
    let server = tokio::spawn({
        let shutdown = shutdown.clone();
        async move {
            let mut accepted = 0;
            while let Some(result) = shutdown.run_until_cancelled(listener.accept()).await {
                let (socket, _) = result.unwrap();
                accepted += 1;
                accepted_tx.send(socket).unwrap();
            }
            accepted
        }
    });
    let mut clients = Vec::new();
    for _ in 0..3 {
        clients.push(TcpStream::connect(address).await.unwrap());
        accepted_rx.recv().await.unwrap();
    }
    // The server now waits in `accept`: cancelling ends its loop.
    shutdown.cancel();
    assert_eq!(server.await.unwrap(), 3);
}

#[tokio::test]
async fn drop_guard_cancels_unless_disarmed() {
    let token = CancellationToken::new();
    let waiter = tokio::spawn(token.clone().cancelled_owned());
    {
        let _guard = token.clone().drop_guard();
    }
    waiter.await.unwrap();
    assert!(token.is_cancelled());

    let kept = CancellationToken::new();
    let guard = kept.clone().drop_guard();
    let disarmed = guard.disarm();
    assert!(!disarmed.is_cancelled());
    assert!(!kept.is_cancelled());
}

#[tokio::test(start_paused = true)]
async fn cancelled_future_in_select_wins_over_a_long_sleep() {
    let token = CancellationToken::new();
    let canceller = tokio::spawn({
        let token = token.clone();
        async move {
            tokio::time::sleep(Duration::from_secs(1)).await;
            token.cancel();
        }
    });
    let start = tokio::time::Instant::now();
    let outcome = tokio::select! {
        _ = token.cancelled() => "cancelled",
        _ = tokio::time::sleep(Duration::from_secs(3600)) => "slept",
    };
    assert_eq!(outcome, "cancelled");
    assert_eq!(start.elapsed(), Duration::from_secs(1));
    canceller.await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn poll_semaphore_bounds_concurrency_and_wakes_waiters() {
    const PERMITS: usize = 3;
    let semaphore = Arc::new(Semaphore::new(PERMITS));
    let running = Arc::new(AtomicUsize::new(0));
    let peak = Arc::new(AtomicUsize::new(0));
    let tasks: Vec<_> = (0..12)
        .map(|_| {
            let mut poll_semaphore = PollSemaphore::new(semaphore.clone());
            let (running, peak) = (running.clone(), peak.clone());
            tokio::spawn(async move {
                let permit = poll_fn(|cx| poll_semaphore.poll_acquire(cx)).await.unwrap();
                let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                peak.fetch_max(now, Ordering::SeqCst);
                for _ in 0..5 {
                    tokio::task::yield_now().await;
                }
                running.fetch_sub(1, Ordering::SeqCst);
                drop(permit);
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    assert!(peak.load(Ordering::SeqCst) <= PERMITS);
    assert_eq!(semaphore.available_permits(), PERMITS);
}

#[tokio::test]
async fn poll_semaphore_reports_closing_and_many_permits() {
    let semaphore = Arc::new(Semaphore::new(4));
    let mut poll_semaphore = PollSemaphore::new(semaphore.clone());
    let three = poll_fn(|cx| poll_semaphore.poll_acquire_many(cx, 3))
        .await
        .unwrap();
    assert_eq!(three.num_permits(), 3);
    assert_eq!(poll_semaphore.available_permits(), 1);
    // Two more than there are: pending until the three come back.
    let waiter = tokio::spawn({
        let mut poll_semaphore = poll_semaphore.clone();
        async move {
            let permits = poll_fn(|cx| poll_semaphore.poll_acquire_many(cx, 2)).await;
            permits.map(|permits| permits.num_permits())
        }
    });
    tokio::task::yield_now().await;
    assert!(!waiter.is_finished());
    drop(three);
    assert_eq!(waiter.await.unwrap(), Some(2));
    poll_semaphore.close();
    assert!(poll_fn(|cx| poll_semaphore.poll_acquire(cx))
        .await
        .is_none());
}

#[tokio::test]
async fn poll_sender_reserves_before_sending() {
    let (tx, mut rx) = mpsc::channel::<u32>(1);
    let mut sender = PollSender::new(tx);
    poll_fn(|cx| sender.poll_reserve(cx)).await.unwrap();
    sender.send_item(1).unwrap();
    // The channel is full: reserving waits until the receiver takes a value.
    let receiver = tokio::spawn(async move {
        let mut got = Vec::new();
        while let Some(value) = rx.recv().await {
            got.push(value);
        }
        got
    });
    poll_fn(|cx| sender.poll_reserve(cx)).await.unwrap();
    sender.send_item(2).unwrap();
    sender.close();
    assert_eq!(receiver.await.unwrap(), vec![1, 2]);
}
