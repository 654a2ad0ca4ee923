//! The current-thread scheduler: spawning, yielding, the blocking pool, `block_on`.

use criterion::{criterion_group, criterion_main, Criterion};
use eddy_benches::{eddy_runtime, group, tokio_runtime};
use std::hint::black_box;

const SECTION: &str = "current-thread";

/// Spawns 10k tasks from inside the runtime and joins them all.
macro_rules! spawn_10k {
    ($krate:ident, $rt:expr, $b:expr) => {{
        let rt = $rt;
        $b.iter(|| {
            rt.block_on(async {
                let handles: Vec<_> = (0..10_000u64)
                    .map(|i| $krate::spawn(async move { black_box(i) }))
                    .collect();
                let mut sum = 0;
                for handle in handles {
                    sum += handle.await.unwrap();
                }
                black_box(sum)
            })
        })
    }};
}

/// 200 tasks each yielding 200 times.
macro_rules! yield_200x200 {
    ($krate:ident, $rt:expr, $b:expr) => {{
        let rt = $rt;
        $b.iter(|| {
            rt.block_on(async {
                let handles: Vec<_> = (0..200)
                    .map(|_| {
                        $krate::spawn(async {
                            for _ in 0..200 {
                                $krate::task::yield_now().await;
                            }
                        })
                    })
                    .collect();
                for handle in handles {
                    handle.await.unwrap();
                }
            })
        })
    }};
}

/// One `spawn_blocking` round trip.
macro_rules! blocking_round_trip {
    ($krate:ident, $rt:expr, $b:expr) => {{
        let rt = $rt;
        $b.iter(|| {
            rt.block_on(async {
                black_box($krate::task::spawn_blocking(|| black_box(1)).await.unwrap())
            })
        })
    }};
}

/// `block_on` of a future that is ready at once.
macro_rules! block_on_ready {
    ($krate:ident, $rt:expr, $b:expr) => {{
        let rt = $rt;
        $b.iter(|| rt.block_on(async { black_box(1) }))
    }};
}

fn benches(c: &mut Criterion) {
    let mut g = group(c, SECTION, "spawn 10k tasks and join them");
    g.bench_function("eddy", |b| spawn_10k!(eddy, eddy_runtime(0), b));
    g.bench_function("tokio", |b| spawn_10k!(tokio, tokio_runtime(0), b));
    g.finish();

    let mut g = group(c, SECTION, "200 tasks x 200 yields");
    g.bench_function("eddy", |b| yield_200x200!(eddy, eddy_runtime(0), b));
    g.bench_function("tokio", |b| yield_200x200!(tokio, tokio_runtime(0), b));
    g.finish();

    let mut g = group(c, SECTION, "spawn_blocking round trip");
    g.bench_function("eddy", |b| blocking_round_trip!(eddy, eddy_runtime(0), b));
    g.bench_function("tokio", |b| {
        blocking_round_trip!(tokio, tokio_runtime(0), b)
    });
    g.finish();

    let mut g = group(c, SECTION, "block_on a ready future");
    g.bench_function("eddy", |b| block_on_ready!(eddy, eddy_runtime(0), b));
    g.bench_function("tokio", |b| block_on_ready!(tokio, tokio_runtime(0), b));
    g.finish();
}

criterion_group! {
    name = current_thread;
    config = eddy_benches::criterion();
    targets = benches
}
criterion_main!(current_thread);
