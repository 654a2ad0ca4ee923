//! tower's middleware on eddy: `Timeout`, `ConcurrencyLimit`, `RateLimit` and `Buffer` around
//! `service_fn` services, alone and stacked with `ServiceBuilder` in front of a TCP backend.

use futures::future::poll_fn;
use std::convert::Infallible;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::time::Instant;
use tower::buffer::Buffer;
use tower::limit::rate::Rate;
use tower::limit::{ConcurrencyLimit, RateLimit};
use tower::timeout::error::Elapsed;
use tower::timeout::Timeout;
use tower::{service_fn, BoxError, Service, ServiceBuilder, ServiceExt};

/// A service that answers after sleeping for the number of milliseconds it is asked for.
fn sleeper() -> impl Service<u64, Response = u64, Error = Infallible, Future: Send> + Clone {
    service_fn(|millis: u64| async move {
        tokio::time::sleep(Duration::from_millis(millis)).await;
        Ok::<_, Infallible>(millis)
    })
}

#[tokio::test(start_paused = true)]
async fn timeout_passes_fast_responses_and_fails_slow_ones_at_the_deadline() {
    let mut service = Timeout::new(sleeper(), Duration::from_secs(1));
    let start = Instant::now();
    assert_eq!(service.ready().await.unwrap().call(400).await.unwrap(), 400);
    assert_eq!(start.elapsed(), Duration::from_millis(400));
    let error = service
        .ready()
        .await
        .unwrap()
        .call(5_000)
        .await
        .unwrap_err();
    assert!(error.is::<Elapsed>(), "{error}");
    assert_eq!(start.elapsed(), Duration::from_millis(1_400));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrency_limit_holds_extra_callers_until_a_response() {
    let in_flight = Arc::new(AtomicUsize::new(0));
    let peak = Arc::new(AtomicUsize::new(0));
    let (open, gate) = watch::channel(false);
    let inner = service_fn({
        let (in_flight, peak) = (in_flight.clone(), peak.clone());
        move |request: u32| {
            let (in_flight, peak, mut gate) = (in_flight.clone(), peak.clone(), gate.clone());
            async move {
                let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                peak.fetch_max(now, Ordering::SeqCst);
                gate.wait_for(|open| *open).await.unwrap();
                in_flight.fetch_sub(1, Ordering::SeqCst);
                Ok::<_, Infallible>(request * 2)
            }
        }
    });
    let limited = ConcurrencyLimit::new(inner, 2);
    let callers: Vec<_> = (0..8u32)
        .map(|request| {
            let service = limited.clone();
            tokio::spawn(async move { service.oneshot(request).await.unwrap() })
        })
        .collect();
    while in_flight.load(Ordering::SeqCst) < 2 {
        tokio::task::yield_now().await;
    }
    // Both permits are out: a ninth caller is not ready.
    let mut ninth = limited.clone();
    let ready = poll_fn(|cx| std::task::Poll::Ready(ninth.poll_ready(cx))).await;
    assert!(ready.is_pending());
    open.send(true).unwrap();
    let mut responses = Vec::new();
    for caller in callers {
        responses.push(caller.await.unwrap());
    }
    assert_eq!(responses, (0..8).map(|r| r * 2).collect::<Vec<_>>());
    assert_eq!(peak.load(Ordering::SeqCst), 2);
    assert!(ninth.ready().await.is_ok());
}

#[tokio::test(start_paused = true)]
async fn rate_limit_spaces_calls_by_its_period() {
    let start = Instant::now();
    let stamp = service_fn(move |_: ()| async move { Ok::<_, Infallible>(start.elapsed()) });
    let mut limited = RateLimit::new(stamp, Rate::new(2, Duration::from_secs(1)));
    let mut stamps = Vec::new();
    for _ in 0..5 {
        stamps.push(limited.ready().await.unwrap().call(()).await.unwrap());
    }
    // Two calls per second: the third waits for the next period, and so on.
    let seconds = |s| Duration::from_secs(s);
    assert_eq!(
        stamps,
        [seconds(0), seconds(0), seconds(1), seconds(1), seconds(2)]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn buffer_shares_one_service_between_tasks() {
    // Not `Clone`, and `&mut` state: only the buffer's worker task ever calls it.
    let mut served = 0u32;
    let counter = service_fn(move |name: String| {
        served += 1;
        let response = format!("{name} is request {served}");
        async move { Ok::<_, Infallible>(response) }
    });
    let buffer = Buffer::new(counter, 4);
    let callers: Vec<_> = (0..10)
        .map(|i| {
            let buffer = buffer.clone();
            tokio::spawn(async move { buffer.oneshot(format!("caller {i}")).await.unwrap() })
        })
        .collect();
    let mut numbers = Vec::new();
    for (i, caller) in callers.into_iter().enumerate() {
        let response = caller.await.unwrap();
        let prefix = format!("caller {i} is request ");
        let number: u32 = response.strip_prefix(&prefix).unwrap().parse().unwrap();
        numbers.push(number);
    }
    numbers.sort_unstable();
    assert_eq!(numbers, (1..=10).collect::<Vec<_>>());
}

#[tokio::test]
async fn buffer_reports_the_inner_error_to_every_caller() {
    let failing = service_fn(|_: ()| async { Err::<(), BoxError>("backend down".into()) });
    let buffer = Buffer::new(failing, 1);
    for _ in 0..3 {
        let error = buffer.clone().oneshot(()).await.unwrap_err();
        assert_eq!(error.to_string(), "backend down");
    }
}

async fn uppercase_backend(listener: TcpListener) {
    loop {
        let (socket, _) = listener.accept().await.unwrap();
        tokio::spawn(async move {
            let (read, mut write) = socket.into_split();
            let mut lines = BufReader::new(read).lines();
            while let Some(line) = lines.next_line().await.unwrap() {
                let reply = format!("{}\n", line.to_uppercase());
                write.write_all(reply.as_bytes()).await.unwrap();
            }
        });
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stack_of_layers_in_front_of_a_tcp_backend() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let backend = tokio::spawn(uppercase_backend(listener));
    let connections = Arc::new(AtomicUsize::new(0));
    let client = service_fn({
        let connections = connections.clone();
        move |line: String| {
            connections.fetch_add(1, Ordering::SeqCst);
            async move {
                let mut socket = TcpStream::connect(address).await?;
                socket.write_all(format!("{line}\n").as_bytes()).await?;
                let mut reply = String::new();
                BufReader::new(socket).read_line(&mut reply).await?;
                Ok::<_, std::io::Error>(reply.trim_end().to_owned())
            }
        }
    });
    let service = ServiceBuilder::new()
        .buffer(8)
        .concurrency_limit(3)
        .timeout(Duration::from_secs(30))
        .service(client);
    let callers: Vec<_> = (0..12)
        .map(|i| {
            let service = service.clone();
            tokio::spawn(async move { service.oneshot(format!("request {i}")).await })
        })
        .collect();
    for (i, caller) in callers.into_iter().enumerate() {
        assert_eq!(caller.await.unwrap().unwrap(), format!("REQUEST {i}"));
    }
    assert_eq!(connections.load(Ordering::SeqCst), 12);
    backend.abort();
}
