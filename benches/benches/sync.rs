//! Channels and locks: eddy's on eddy's runtime against Tokio's on Tokio's, same worker count.

use criterion::{criterion_group, criterion_main, Criterion};
use eddy_benches::{eddy_runtime, group, tokio_runtime};
use std::hint::black_box;
use std::sync::Arc;

const MESSAGES: usize = 1_000_000;
const LOCK_TASKS: usize = 8;
const LOCKS_PER_TASK: usize = 10_000;
const OPS: usize = 10_000;
const RECEIVERS: usize = 8;
const BROADCASTS: usize = 10_000;
const WATCH_UPDATES: usize = 1_000;

/// `producers` tasks share `MESSAGES` sends over a bounded mpsc channel; one task receives.
macro_rules! mpsc_bounded {
    ($krate:ident, $rt:expr, $producers:expr, $b:expr) => {{
        let rt = $rt;
        $b.iter(|| {
            rt.block_on(async {
                let (tx, mut rx) = $krate::sync::mpsc::channel::<usize>(1024);
                for _ in 0..$producers {
                    let tx = tx.clone();
                    $krate::spawn(async move {
                        for i in 0..MESSAGES / $producers {
                            tx.send(i).await.unwrap();
                        }
                    });
                }
                drop(tx);
                let mut received = 0;
                while let Some(value) = rx.recv().await {
                    black_box(value);
                    received += 1;
                }
                assert_eq!(received, MESSAGES);
            })
        })
    }};
}

macro_rules! mpsc_unbounded {
    ($krate:ident, $rt:expr, $producers:expr, $b:expr) => {{
        let rt = $rt;
        $b.iter(|| {
            rt.block_on(async {
                let (tx, mut rx) = $krate::sync::mpsc::unbounded_channel::<usize>();
                for _ in 0..$producers {
                    let tx = tx.clone();
                    $krate::spawn(async move {
                        for i in 0..MESSAGES / $producers {
                            tx.send(i).unwrap();
                        }
                    });
                }
                drop(tx);
                let mut received = 0;
                while let Some(value) = rx.recv().await {
                    black_box(value);
                    received += 1;
                }
                assert_eq!(received, MESSAGES);
            })
        })
    }};
}

/// 8 tasks x 10k lock/unlock of one async Mutex.
macro_rules! mutex_contended {
    ($krate:ident, $rt:expr, $b:expr) => {{
        let rt = $rt;
        $b.iter(|| {
            rt.block_on(async {
                let counter = Arc::new($krate::sync::Mutex::new(0usize));
                let tasks: Vec<_> = (0..LOCK_TASKS)
                    .map(|_| {
                        let counter = counter.clone();
                        $krate::spawn(async move {
                            for _ in 0..LOCKS_PER_TASK {
                                *counter.lock().await += 1;
                            }
                        })
                    })
                    .collect();
                for task in tasks {
                    task.await.unwrap();
                }
                assert_eq!(*counter.lock().await, LOCK_TASKS * LOCKS_PER_TASK);
            })
        })
    }};
}

/// 10k uncontended acquire/release pairs of one permit.
macro_rules! semaphore_uncontended {
    ($krate:ident, $rt:expr, $b:expr) => {{
        let rt = $rt;
        let semaphore = $krate::sync::Semaphore::new(1);
        $b.iter(|| {
            rt.block_on(async {
                for _ in 0..OPS {
                    let permit = semaphore.acquire().await.unwrap();
                    black_box(&permit);
                }
            })
        })
    }};
}

/// 10k oneshot channels created, sent on and received from.
macro_rules! oneshot_round_trip {
    ($krate:ident, $rt:expr, $b:expr) => {{
        let rt = $rt;
        $b.iter(|| {
            rt.block_on(async {
                for i in 0..OPS {
                    let (tx, rx) = $krate::sync::oneshot::channel();
                    tx.send(i).unwrap();
                    black_box(rx.await.unwrap());
                }
            })
        })
    }};
}

/// One sender broadcasts 10k messages to 8 receiving tasks.
macro_rules! broadcast_fan_out {
    ($krate:ident, $rt:expr, $b:expr) => {{
        let rt = $rt;
        $b.iter(|| {
            rt.block_on(async {
                let (tx, _) = $krate::sync::broadcast::channel::<usize>(BROADCASTS);
                let receivers: Vec<_> = (0..RECEIVERS)
                    .map(|_| {
                        let mut rx = tx.subscribe();
                        $krate::spawn(async move {
                            let mut count = 0;
                            while rx.recv().await.is_ok() {
                                count += 1;
                            }
                            count
                        })
                    })
                    .collect();
                for i in 0..BROADCASTS {
                    tx.send(i).unwrap();
                }
                drop(tx);
                for receiver in receivers {
                    assert_eq!(receiver.await.unwrap(), BROADCASTS);
                }
            })
        })
    }};
}

/// 1000 updates of a watch value observed by 8 receiving tasks.
macro_rules! watch_fan_out {
    ($krate:ident, $rt:expr, $b:expr) => {{
        let rt = $rt;
        $b.iter(|| {
            rt.block_on(async {
                let (tx, rx) = $krate::sync::watch::channel(0usize);
                let receivers: Vec<_> = (0..RECEIVERS)
                    .map(|_| {
                        let mut rx = rx.clone();
                        $krate::spawn(async move {
                            while rx.changed().await.is_ok() {
                                if *rx.borrow_and_update() == WATCH_UPDATES {
                                    break;
                                }
                            }
                        })
                    })
                    .collect();
                for i in 1..=WATCH_UPDATES {
                    tx.send(i).unwrap();
                    $krate::task::yield_now().await;
                }
                for receiver in receivers {
                    receiver.await.unwrap();
                }
            })
        })
    }};
}

fn benches(c: &mut Criterion) {
    for workers in [1, 2] {
        let section = format!(
            "sync, {workers} worker{}",
            if workers == 1 { "" } else { "s" }
        );
        for producers in [1, 8] {
            let mut g = group(
                c,
                &section,
                &format!("mpsc bounded, {producers} producer(s), 1M messages"),
            );
            g.sample_size(10);
            g.bench_function("eddy", |b| {
                mpsc_bounded!(eddy, eddy_runtime(workers), producers, b)
            });
            g.bench_function("tokio", |b| {
                mpsc_bounded!(tokio, tokio_runtime(workers), producers, b)
            });
            g.finish();

            let mut g = group(
                c,
                &section,
                &format!("mpsc unbounded, {producers} producer(s), 1M messages"),
            );
            g.sample_size(10);
            g.bench_function("eddy", |b| {
                mpsc_unbounded!(eddy, eddy_runtime(workers), producers, b)
            });
            g.bench_function("tokio", |b| {
                mpsc_unbounded!(tokio, tokio_runtime(workers), producers, b)
            });
            g.finish();
        }

        let mut g = group(c, &section, "Mutex contended, 8 tasks x 10k locks");
        g.bench_function("eddy", |b| mutex_contended!(eddy, eddy_runtime(workers), b));
        g.bench_function("tokio", |b| {
            mutex_contended!(tokio, tokio_runtime(workers), b)
        });
        g.finish();

        let mut g = group(c, &section, "Semaphore uncontended, 10k acquire+release");
        g.bench_function("eddy", |b| {
            semaphore_uncontended!(eddy, eddy_runtime(workers), b)
        });
        g.bench_function("tokio", |b| {
            semaphore_uncontended!(tokio, tokio_runtime(workers), b)
        });
        g.finish();

        let mut g = group(c, &section, "oneshot create+send+recv, 10k");
        g.bench_function("eddy", |b| {
            oneshot_round_trip!(eddy, eddy_runtime(workers), b)
        });
        g.bench_function("tokio", |b| {
            oneshot_round_trip!(tokio, tokio_runtime(workers), b)
        });
        g.finish();

        let mut g = group(c, &section, "broadcast 10k messages to 8 receivers");
        g.bench_function("eddy", |b| {
            broadcast_fan_out!(eddy, eddy_runtime(workers), b)
        });
        g.bench_function("tokio", |b| {
            broadcast_fan_out!(tokio, tokio_runtime(workers), b)
        });
        g.finish();

        let mut g = group(c, &section, "watch 1000 updates, 8 receivers");
        g.bench_function("eddy", |b| watch_fan_out!(eddy, eddy_runtime(workers), b));
        g.bench_function("tokio", |b| {
            watch_fan_out!(tokio, tokio_runtime(workers), b)
        });
        g.finish();
    }
}

criterion_group! {
    name = sync;
    config = eddy_benches::criterion();
    targets = benches
}
criterion_main!(sync);
