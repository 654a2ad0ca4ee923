//! The multi-thread scheduler at 1 and 2 workers: local and remote spawns, yields, ping-pong,
//! chained spawns.

use criterion::{criterion_group, criterion_main, Criterion};
use eddy_benches::{eddy_runtime, group, tokio_runtime};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};

const SPAWNS: usize = 10_000;
const YIELD_TASKS: usize = 1_000;
const YIELDS: usize = 200;
const PING_PAIRS: usize = 1_000;
const CHAIN_DEPTH: usize = 1_000;

/// A counter the last of `expected` tasks uses to signal completion over a std channel.
#[derive(Clone)]
struct Countdown {
    remaining: Arc<AtomicUsize>,
    done: mpsc::SyncSender<()>,
}

impl Countdown {
    fn new(expected: usize) -> (Countdown, mpsc::Receiver<()>) {
        let (done, wait) = mpsc::sync_channel(1);
        let remaining = Arc::new(AtomicUsize::new(expected));
        (Countdown { remaining, done }, wait)
    }

    fn tick(&self) {
        if self.remaining.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.done.send(()).unwrap();
        }
    }
}

/// One task spawns 10k tasks that each bump a counter, then waits for all.
macro_rules! spawn_many_local {
    ($krate:ident, $rt:expr, $b:expr) => {{
        let rt = $rt;
        $b.iter(|| {
            let (countdown, wait) = Countdown::new(SPAWNS);
            rt.spawn(async move {
                for _ in 0..SPAWNS {
                    let countdown = countdown.clone();
                    $krate::spawn(async move { countdown.tick() });
                }
            });
            wait.recv().unwrap();
        })
    }};
}

/// 10k tasks spawned from outside the runtime, which is otherwise idle.
macro_rules! spawn_many_remote_idle {
    ($krate:ident, $rt:expr, $b:expr) => {{
        let rt = $rt;
        $b.iter(|| {
            let handles: Vec<_> = (0..SPAWNS)
                .map(|i| rt.spawn(async move { black_box(i) }))
                .collect();
            rt.block_on(async {
                for handle in handles {
                    handle.await.unwrap();
                }
            })
        })
    }};
}

/// 10k tasks spawned from outside while every worker runs a task that keeps yielding.
macro_rules! spawn_many_remote_busy {
    ($krate:ident, $rt:expr, $workers:expr, $b:expr) => {{
        let rt = $rt;
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let busy: Vec<_> = (0..$workers)
            .map(|_| {
                let stop = stop.clone();
                rt.spawn(async move {
                    while !stop.load(Ordering::Relaxed) {
                        $krate::task::yield_now().await;
                    }
                })
            })
            .collect();
        $b.iter(|| {
            let handles: Vec<_> = (0..SPAWNS)
                .map(|i| rt.spawn(async move { black_box(i) }))
                .collect();
            rt.block_on(async {
                for handle in handles {
                    handle.await.unwrap();
                }
            })
        });
        stop.store(true, Ordering::Relaxed);
        rt.block_on(async {
            for task in busy {
                task.await.unwrap();
            }
        });
    }};
}

/// 1000 tasks x 200 yields.
macro_rules! yield_many {
    ($krate:ident, $rt:expr, $b:expr) => {{
        let rt = $rt;
        $b.iter(|| {
            let (countdown, wait) = Countdown::new(YIELD_TASKS);
            for _ in 0..YIELD_TASKS {
                let countdown = countdown.clone();
                rt.spawn(async move {
                    for _ in 0..YIELDS {
                        $krate::task::yield_now().await;
                    }
                    countdown.tick();
                });
            }
            wait.recv().unwrap();
        })
    }};
}

/// 1000 pairs of tasks, each pair passing a ping and a pong over oneshot channels.
macro_rules! ping_pong {
    ($krate:ident, $rt:expr, $b:expr) => {{
        let rt = $rt;
        $b.iter(|| {
            let (countdown, wait) = Countdown::new(PING_PAIRS);
            rt.spawn(async move {
                for _ in 0..PING_PAIRS {
                    let countdown = countdown.clone();
                    $krate::spawn(async move {
                        let (ping_tx, ping_rx) = $krate::sync::oneshot::channel::<()>();
                        let (pong_tx, pong_rx) = $krate::sync::oneshot::channel::<()>();
                        $krate::spawn(async move {
                            ping_rx.await.unwrap();
                            pong_tx.send(()).unwrap();
                        });
                        ping_tx.send(()).unwrap();
                        pong_rx.await.unwrap();
                        countdown.tick();
                    });
                }
            });
            wait.recv().unwrap();
        })
    }};
}

/// Each task spawns the next, 1000 deep.
macro_rules! chained_spawn {
    ($krate:ident, $rt:expr, $b:expr) => {{
        fn chain(depth: usize, done: mpsc::SyncSender<()>) {
            if depth == 0 {
                done.send(()).unwrap();
            } else {
                $krate::spawn(async move { chain(depth - 1, done) });
            }
        }
        let rt = $rt;
        $b.iter(|| {
            let (done, wait) = mpsc::sync_channel(1);
            rt.spawn(async move { chain(CHAIN_DEPTH, done) });
            wait.recv().unwrap();
        })
    }};
}

fn benches(c: &mut Criterion) {
    for workers in [1, 2] {
        let section = format!(
            "multi-thread, {workers} worker{}",
            if workers == 1 { "" } else { "s" }
        );

        let mut g = group(c, &section, "spawn_many_local (10k)");
        g.bench_function("eddy", |b| {
            spawn_many_local!(eddy, eddy_runtime(workers), b)
        });
        g.bench_function("tokio", |b| {
            spawn_many_local!(tokio, tokio_runtime(workers), b)
        });
        g.finish();

        let mut g = group(c, &section, "spawn_many_remote_idle (10k)");
        g.bench_function("eddy", |b| {
            spawn_many_remote_idle!(eddy, eddy_runtime(workers), b)
        });
        g.bench_function("tokio", |b| {
            spawn_many_remote_idle!(tokio, tokio_runtime(workers), b)
        });
        g.finish();

        let mut g = group(c, &section, "spawn_many_remote_busy (10k)");
        g.bench_function("eddy", |b| {
            spawn_many_remote_busy!(eddy, eddy_runtime(workers), workers, b)
        });
        g.bench_function("tokio", |b| {
            spawn_many_remote_busy!(tokio, tokio_runtime(workers), workers, b)
        });
        g.finish();

        let mut g = group(c, &section, "yield_many (1000 x 200)");
        g.bench_function("eddy", |b| yield_many!(eddy, eddy_runtime(workers), b));
        g.bench_function("tokio", |b| yield_many!(tokio, tokio_runtime(workers), b));
        g.finish();

        let mut g = group(c, &section, "ping_pong (1000 pairs)");
        g.bench_function("eddy", |b| ping_pong!(eddy, eddy_runtime(workers), b));
        g.bench_function("tokio", |b| ping_pong!(tokio, tokio_runtime(workers), b));
        g.finish();

        let mut g = group(c, &section, "chained_spawn (1000 deep)");
        g.bench_function("eddy", |b| chained_spawn!(eddy, eddy_runtime(workers), b));
        g.bench_function("tokio", |b| {
            chained_spawn!(tokio, tokio_runtime(workers), b)
        });
        g.finish();
    }
}

criterion_group! {
    name = multi_thread;
    config = eddy_benches::criterion();
    targets = benches
}
criterion_main!(multi_thread);
