//! Timers: registering and cancelling, many short sleeps, intervals.

use criterion::{criterion_group, criterion_main, Criterion};
use eddy_benches::{eddy_runtime, group, tokio_runtime};
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Waker};
use std::time::Duration;

const CREATED: usize = 100_000;
const SLEEPERS: u64 = 10_000;
const TICKERS: usize = 1_000;
const TICKS: usize = 100;

/// A deterministic 1..=5 ms sleep length for task `i`, the same for both runtimes.
fn sleep_ms(i: u64) -> u64 {
    let mixed = i.wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(17);
    1 + mixed % 5
}

/// Polls a future once with a no-op waker, registering it with its driver.
fn poll_once<F: Future>(future: std::pin::Pin<&mut F>) {
    let mut cx = Context::from_waker(Waker::noop());
    assert!(future.poll(&mut cx).is_pending());
}

/// 100k `Sleep`s created, polled once (registered in the wheel), then dropped.
macro_rules! create_and_drop {
    ($krate:ident, $rt:expr, $b:expr) => {{
        let rt = $rt;
        $b.iter(|| {
            // Unconstrained: otherwise the coop budget would stop registering after 128 polls.
            rt.block_on($krate::task::unconstrained(async {
                for _ in 0..CREATED {
                    let sleep = pin!($krate::time::sleep(Duration::from_secs(60)));
                    poll_once(sleep);
                }
            }))
        })
    }};
}

/// 10k tasks each sleeping 1-5 ms, then once more.
macro_rules! many_sleepers {
    ($krate:ident, $rt:expr, $b:expr) => {{
        let rt = $rt;
        $b.iter(|| {
            rt.block_on(async {
                let tasks: Vec<_> = (0..SLEEPERS)
                    .map(|i| {
                        $krate::spawn(async move {
                            $krate::time::sleep(Duration::from_millis(sleep_ms(i))).await;
                            $krate::time::sleep(Duration::from_millis(sleep_ms(i + 7))).await;
                        })
                    })
                    .collect();
                for task in tasks {
                    task.await.unwrap();
                }
            })
        })
    }};
}

/// 1k tasks each ticking a 1 ms interval 100 times.
macro_rules! interval_tickers {
    ($krate:ident, $rt:expr, $b:expr) => {{
        let rt = $rt;
        $b.iter(|| {
            rt.block_on(async {
                let tasks: Vec<_> = (0..TICKERS)
                    .map(|_| {
                        $krate::spawn(async move {
                            let mut interval = $krate::time::interval(Duration::from_millis(1));
                            for _ in 0..TICKS {
                                interval.tick().await;
                            }
                        })
                    })
                    .collect();
                for task in tasks {
                    task.await.unwrap();
                }
            })
        })
    }};
}

fn benches(c: &mut Criterion) {
    for workers in [0, 2] {
        let section = if workers == 0 {
            "time, current-thread".to_owned()
        } else {
            format!("time, {workers} workers")
        };

        let mut g = group(c, &section, "create + poll once + drop 100k Sleeps");
        g.bench_function("eddy", |b| create_and_drop!(eddy, eddy_runtime(workers), b));
        g.bench_function("tokio", |b| {
            create_and_drop!(tokio, tokio_runtime(workers), b)
        });
        g.finish();

        let mut g = group(c, &section, "10k tasks sleep 1-5 ms twice");
        g.sample_size(10);
        g.bench_function("eddy", |b| many_sleepers!(eddy, eddy_runtime(workers), b));
        g.bench_function("tokio", |b| {
            many_sleepers!(tokio, tokio_runtime(workers), b)
        });
        g.finish();

        let mut g = group(c, &section, "1k tasks tick a 1 ms interval 100 times");
        g.sample_size(10);
        g.bench_function("eddy", |b| {
            interval_tickers!(eddy, eddy_runtime(workers), b)
        });
        g.bench_function("tokio", |b| {
            interval_tickers!(tokio, tokio_runtime(workers), b)
        });
        g.finish();
    }
}

criterion_group! {
    name = time;
    config = eddy_benches::criterion();
    targets = benches
}
criterion_main!(time);
