//! Child processes: spawning and waiting for 1k `true` processes.

use criterion::{criterion_group, criterion_main, Criterion};
use eddy_benches::{eddy_runtime, group, tokio_runtime};

const PROCESSES: usize = 1_000;
const TASKS: usize = 10;

/// 1k `true` processes spawned and waited for one after another.
macro_rules! one_at_a_time {
    ($krate:ident, $rt:expr, $b:expr) => {{
        let rt = $rt;
        $b.iter(|| {
            rt.block_on(async {
                for _ in 0..PROCESSES {
                    let status = $krate::process::Command::new("true")
                        .spawn()
                        .unwrap()
                        .wait()
                        .await
                        .unwrap();
                    assert!(status.success());
                }
            })
        })
    }};
}

/// 1k `true` processes, spawned and waited for by 10 tasks at once (100 each).
macro_rules! ten_tasks {
    ($krate:ident, $rt:expr, $b:expr) => {{
        let rt = $rt;
        $b.iter(|| {
            rt.block_on(async {
                let tasks: Vec<_> = (0..TASKS)
                    .map(|_| {
                        $krate::spawn(async {
                            for _ in 0..PROCESSES / TASKS {
                                let mut child =
                                    $krate::process::Command::new("true").spawn().unwrap();
                                assert!(child.wait().await.unwrap().success());
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
    let workers = 2;
    let section = format!("process, {workers} workers");

    let mut g = group(c, &section, "spawn + wait 1k `true`, one at a time");
    g.sample_size(10);
    g.bench_function("eddy", |b| one_at_a_time!(eddy, eddy_runtime(workers), b));
    g.bench_function("tokio", |b| {
        one_at_a_time!(tokio, tokio_runtime(workers), b)
    });
    g.finish();

    let mut g = group(c, &section, "spawn + wait 1k `true`, 10 tasks at once");
    g.sample_size(10);
    g.bench_function("eddy", |b| ten_tasks!(eddy, eddy_runtime(workers), b));
    g.bench_function("tokio", |b| ten_tasks!(tokio, tokio_runtime(workers), b));
    g.finish();
}

criterion_group! {
    name = process;
    config = eddy_benches::criterion();
    targets = benches
}
criterion_main!(process);
