//! tokio-util's `DelayQueue` on eddy's paused clock: expiry order, `reset`, `remove`, and
//! waking a task that waits on an empty queue.

use futures::future::poll_fn;
use futures::StreamExt;
use std::time::Duration;
use tokio::time::Instant;
use tokio_util::time::DelayQueue;

#[tokio::test(start_paused = true)]
async fn items_expire_in_deadline_order_at_their_deadline() {
    let start = Instant::now();
    let mut queue = DelayQueue::new();
    queue.insert("third", Duration::from_secs(30));
    queue.insert("first", Duration::from_secs(10));
    queue.insert("second", Duration::from_secs(20));
    let mut expired = Vec::new();
    while let Some(item) = queue.next().await {
        expired.push((item.into_inner(), start.elapsed()));
    }
    assert_eq!(
        expired,
        [
            ("first", Duration::from_secs(10)),
            ("second", Duration::from_secs(20)),
            ("third", Duration::from_secs(30)),
        ]
    );
}

#[tokio::test(start_paused = true)]
async fn reset_and_remove_change_what_expires() {
    let start = Instant::now();
    let mut queue = DelayQueue::new();
    let soon = queue.insert("soon", Duration::from_secs(5));
    let gone = queue.insert("gone", Duration::from_secs(1));
    queue.insert("later", Duration::from_secs(10));
    // "soon" now expires last, and "gone" never.
    queue.reset(&soon, Duration::from_secs(60));
    assert_eq!(queue.remove(&gone).into_inner(), "gone");
    assert_eq!(queue.len(), 2);
    let first = queue.next().await.unwrap();
    assert_eq!(
        (first.into_inner(), start.elapsed()),
        ("later", Duration::from_secs(10))
    );
    let second = queue.next().await.unwrap();
    assert_eq!(
        (second.into_inner(), start.elapsed()),
        ("soon", Duration::from_secs(60))
    );
    assert!(queue.is_empty());
}

#[tokio::test(start_paused = true)]
async fn an_insert_from_the_same_task_wakes_a_pending_poll() {
    let start = Instant::now();
    let mut queue: DelayQueue<u32> = DelayQueue::new();
    // Empty: `poll_expired` says the queue has nothing (`Ready(None)`).
    assert!(poll_fn(|cx| queue.poll_expired(cx)).await.is_none());
    queue.insert_at(7, start + Duration::from_millis(1500));
    let item = queue.next().await.unwrap();
    assert_eq!(*item.get_ref(), 7);
    assert_eq!(item.deadline(), start + Duration::from_millis(1500));
    assert_eq!(start.elapsed(), Duration::from_millis(1500));
}

#[tokio::test(start_paused = true)]
async fn many_items_with_the_same_deadline_all_expire_together() {
    let start = Instant::now();
    let mut queue = DelayQueue::with_capacity(100);
    for i in 0..100 {
        queue.insert(i, Duration::from_secs(2));
    }
    let mut items: Vec<u32> = (&mut queue).map(|item| item.into_inner()).collect().await;
    items.sort_unstable();
    assert_eq!(items, (0..100).collect::<Vec<_>>());
    assert_eq!(start.elapsed(), Duration::from_secs(2));
}

#[tokio::test(start_paused = true)]
async fn future_ext_timeout_and_cancellation() {
    use tokio_util::future::FutureExt;
    use tokio_util::sync::CancellationToken;
    let start = Instant::now();
    let quick = tokio::time::sleep(Duration::from_secs(1)).timeout(Duration::from_secs(2));
    assert!(quick.await.is_ok());
    let slow = std::future::pending::<()>().timeout_at(start + Duration::from_secs(5));
    assert!(slow.await.is_err());
    assert_eq!(start.elapsed(), Duration::from_secs(5));
    let token = CancellationToken::new();
    let canceller = tokio::spawn({
        let token = token.clone();
        async move {
            tokio::time::sleep(Duration::from_secs(3)).await;
            token.cancel();
        }
    });
    let cancelled = std::future::pending::<()>()
        .with_cancellation_token(&token)
        .await;
    assert_eq!(cancelled, None);
    assert_eq!(start.elapsed(), Duration::from_secs(8));
    canceller.await.unwrap();
}
