//! tokio-stream on eddy: the wrappers over channels, intervals and listeners
//! (`ReceiverStream`, `UnboundedReceiverStream`, `IntervalStream`, `TcpListenerStream`,
//! `BroadcastStream`, `WatchStream`) and `StreamExt::timeout`.

use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{broadcast, mpsc, watch};
use tokio::time::{self, Instant};
use tokio_stream::wrappers::errors::BroadcastStreamRecvError;
use tokio_stream::wrappers::{
    BroadcastStream, IntervalStream, ReceiverStream, TcpListenerStream, UnboundedReceiverStream,
    WatchStream,
};
use tokio_stream::StreamExt;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn receiver_stream_ends_when_every_sender_is_gone() {
    let (tx, rx) = mpsc::channel(4);
    let producers: Vec<_> = (0..4)
        .map(|p| {
            let tx = tx.clone();
            tokio::spawn(async move {
                for i in 0..25 {
                    tx.send(p * 100 + i).await.unwrap();
                }
            })
        })
        .collect();
    drop(tx);
    let mut values: Vec<u32> = ReceiverStream::new(rx).collect().await;
    for producer in producers {
        producer.await.unwrap();
    }
    values.sort_unstable();
    let expected: Vec<u32> = (0..4)
        .flat_map(|p| (0..25).map(move |i| p * 100 + i))
        .collect();
    assert_eq!(values, expected);
}

#[tokio::test]
async fn unbounded_receiver_stream_keeps_order_and_gives_the_receiver_back() {
    let (tx, rx) = mpsc::unbounded_channel();
    for i in 0..5 {
        tx.send(i).unwrap();
    }
    let mut stream = UnboundedReceiverStream::new(rx);
    let first: Vec<i32> = (&mut stream).take(3).collect().await;
    assert_eq!(first, [0, 1, 2]);
    let mut rx = stream.into_inner();
    assert_eq!(rx.recv().await, Some(3));
}

#[tokio::test(start_paused = true)]
async fn interval_stream_ticks_on_the_paused_clock() {
    let start = Instant::now();
    let ticks: Vec<Duration> = IntervalStream::new(time::interval(Duration::from_secs(5)))
        .take(4)
        .map(|tick| tick - start)
        .collect()
        .await;
    let expected: Vec<Duration> = (0..4).map(|i| Duration::from_secs(5 * i)).collect();
    assert_eq!(ticks, expected);
    assert_eq!(start.elapsed(), Duration::from_secs(15));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tcp_listener_stream_yields_each_connection() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        let mut incoming = TcpListenerStream::new(listener).take(3);
        let mut served = 0;
        while let Some(socket) = incoming.next().await {
            let mut socket = socket.unwrap();
            let mut byte = [0u8; 1];
            socket.read_exact(&mut byte).await.unwrap();
            socket.write_all(&[byte[0] + 1]).await.unwrap();
            served += 1;
        }
        served
    });
    for i in 0..3u8 {
        let mut client = TcpStream::connect(address).await.unwrap();
        client.write_all(&[i]).await.unwrap();
        let mut reply = [0u8; 1];
        client.read_exact(&mut reply).await.unwrap();
        assert_eq!(reply[0], i + 1);
    }
    assert_eq!(server.await.unwrap(), 3);
}

#[tokio::test]
async fn broadcast_stream_reports_lag_then_goes_on() {
    let (tx, rx) = broadcast::channel(2);
    let mut stream = BroadcastStream::new(rx);
    for i in 0..5 {
        tx.send(i).unwrap();
    }
    drop(tx);
    // Capacity 2: values 0, 1 and 2 were overwritten before the stream read anything.
    assert_eq!(
        stream.next().await,
        Some(Err(BroadcastStreamRecvError::Lagged(3)))
    );
    let rest: Vec<_> = stream.collect().await;
    assert_eq!(rest, [Ok(3), Ok(4)]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn broadcast_streams_on_other_tasks_see_every_value() {
    let (tx, _) = broadcast::channel(64);
    let readers: Vec<_> = (0..3)
        .map(|_| {
            let stream = BroadcastStream::new(tx.subscribe());
            tokio::spawn(stream.map(Result::unwrap).collect::<Vec<u32>>())
        })
        .collect();
    for i in 0..50 {
        tx.send(i).unwrap();
    }
    drop(tx);
    for reader in readers {
        assert_eq!(reader.await.unwrap(), (0..50).collect::<Vec<_>>());
    }
}

#[tokio::test]
async fn watch_stream_starts_with_the_current_value_unless_asked_for_changes() {
    let (tx, rx) = watch::channel("initial");
    let mut current = WatchStream::new(rx.clone());
    let mut changes = WatchStream::from_changes(rx);
    assert_eq!(current.next().await, Some("initial"));
    tx.send("second").unwrap();
    tx.send("third").unwrap();
    // A watch keeps only the latest value.
    assert_eq!(current.next().await, Some("third"));
    assert_eq!(changes.next().await, Some("third"));
    drop(tx);
    assert_eq!(current.next().await, None);
    assert_eq!(changes.next().await, None);
}

#[tokio::test(start_paused = true)]
async fn timeout_marks_slow_items_and_keeps_the_stream_going() {
    let (tx, rx) = mpsc::channel(1);
    tokio::spawn(async move {
        for delay in [1u64, 5, 1] {
            time::sleep(Duration::from_secs(delay)).await;
            tx.send(delay).await.unwrap();
        }
    });
    let stream = ReceiverStream::new(rx).timeout(Duration::from_secs(2));
    let outcome: Vec<Result<u64, ()>> = stream.map(|item| item.map_err(|_| ())).collect().await;
    // The 5-second gap elapses the 2-second timeout once, then the value still arrives.
    assert_eq!(outcome, [Ok(1), Err(()), Ok(5), Ok(1)]);
}

#[tokio::test]
async fn merge_and_chunks_timeout() {
    let evens = tokio_stream::iter([0, 2, 4]);
    let odds = tokio_stream::iter([1, 3, 5]);
    let mut merged: Vec<i32> = evens.merge(odds).collect().await;
    merged.sort_unstable();
    assert_eq!(merged, [0, 1, 2, 3, 4, 5]);
    let chunks: Vec<Vec<i32>> = tokio_stream::iter(0..5)
        .chunks_timeout(2, Duration::from_secs(1))
        .collect()
        .await;
    assert_eq!(chunks, [vec![0, 1], vec![2, 3], vec![4]]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stream_map_merges_keyed_channel_streams() {
    let mut map = tokio_stream::StreamMap::new();
    let mut senders = Vec::new();
    for key in ["a", "b", "c"] {
        let (tx, rx) = mpsc::channel(8);
        map.insert(key, ReceiverStream::new(rx));
        senders.push((key, tx));
    }
    let producers: Vec<_> = senders
        .into_iter()
        .map(|(key, tx)| {
            tokio::spawn(async move {
                for i in 0..10 {
                    tx.send(format!("{key}{i}")).await.unwrap();
                }
            })
        })
        .collect();
    let mut by_key: std::collections::HashMap<&str, Vec<String>> = Default::default();
    // The map ends when every stream in it has ended (every sender is gone).
    while let Some((key, value)) = map.next().await {
        by_key.entry(key).or_default().push(value);
    }
    for producer in producers {
        producer.await.unwrap();
    }
    for key in ["a", "b", "c"] {
        let expected: Vec<String> = (0..10).map(|i| format!("{key}{i}")).collect();
        assert_eq!(by_key[key], expected);
    }
}

#[tokio::test(start_paused = true)]
async fn throttle_spaces_items_on_the_paused_clock() {
    let start = Instant::now();
    let stamps: Vec<Duration> = tokio_stream::iter(0..4)
        .throttle(Duration::from_millis(250))
        .map(|_| start.elapsed())
        .collect()
        .await;
    let expected: Vec<Duration> = (0..4).map(|i| Duration::from_millis(250 * i)).collect();
    assert_eq!(stamps, expected);
}
