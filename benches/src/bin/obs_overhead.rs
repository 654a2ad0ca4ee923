//! What eddy's observability costs when nobody is looking: eddy against itself.
//!
//! Criterion cannot compare two builds of the same code, and the `tracing` feature is a build
//! option, so this binary measures with a fixed number of repetitions instead. `cargo xtask
//! bench` builds it twice (with and without this crate's `tracing` feature, which forwards to
//! `eddy/tracing`), runs the two builds alternately, and compares their `plain` medians. The
//! runtime options (slow-poll detection, task hooks) need no second build: each process
//! measures them against a plain runtime, repetition by repetition, so drift on a busy machine
//! hits both sides alike.
//!
//! Prints one `build<TAB>tracing<TAB>on|off` line, then one
//! `obs<TAB>workload<TAB>config<TAB>nanoseconds per operation` line per workload and
//! configuration, where the value is the median over the repetitions.

use std::future::Future;
use std::hint::black_box;
use std::time::{Duration, Instant};

const SPAWNS: u64 = 10_000;
const YIELD_TASKS: u64 = 200;
const YIELDS: u64 = 200;
const WARM_UP: usize = 2;
const REPETITIONS: usize = 10;

/// How a runtime is configured for one column of the comparison.
#[derive(Clone, Copy)]
enum Config {
    /// No option set.
    Plain,
    /// `slow_poll_threshold(1 s)`: every poll is watched, none is reported.
    SlowPoll,
    /// The four task hooks, each a closure that does nothing.
    Hooks,
}

const CONFIGS: [Config; 3] = [Config::Plain, Config::SlowPoll, Config::Hooks];

impl Config {
    fn name(self) -> &'static str {
        match self {
            Config::Plain => "plain",
            Config::SlowPoll => "slow-poll",
            Config::Hooks => "hooks",
        }
    }
}

fn main() {
    let tracing = if cfg!(feature = "tracing") {
        "on"
    } else {
        "off"
    };
    println!("build\ttracing\t{tracing}");
    for (flavor, workers) in [("current-thread", 0), ("2 workers", 2)] {
        let runtimes: Vec<_> = CONFIGS
            .iter()
            .map(|&config| (config, runtime(workers, config)))
            .collect();
        measure(
            &format!("spawn + join a trivial task, {flavor} (per task)"),
            SPAWNS,
            &runtimes,
            spawn_and_join,
        );
        measure(
            &format!("poll a task that yields, {flavor} (per poll)"),
            YIELD_TASKS * YIELDS,
            &runtimes,
            yield_many,
        );
    }
}

/// Runs `workload` on every runtime in turn, repetition by repetition, and prints the median
/// time per operation for each configuration.
fn measure<F, Fut>(
    workload: &str,
    operations: u64,
    runtimes: &[(Config, eddy::runtime::Runtime)],
    workload_fn: F,
) where
    F: Fn() -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let mut samples = vec![Vec::with_capacity(REPETITIONS); runtimes.len()];
    for repetition in 0..WARM_UP + REPETITIONS {
        for ((_, rt), samples) in runtimes.iter().zip(&mut samples) {
            let task = workload_fn();
            let start = Instant::now();
            rt.block_on(async { eddy::spawn(task).await.expect("workload task") });
            let took = start.elapsed();
            if repetition >= WARM_UP {
                samples.push(took);
            }
        }
    }
    for ((config, _), samples) in runtimes.iter().zip(&mut samples) {
        let per_operation = median(samples).as_nanos() as f64 / operations as f64;
        println!("obs\t{workload}\t{}\t{per_operation}", config.name());
    }
}

fn median(samples: &mut [Duration]) -> Duration {
    samples.sort_unstable();
    samples[samples.len() / 2]
}

/// Spawns `SPAWNS` tasks that return at once, then joins them all.
async fn spawn_and_join() {
    let handles: Vec<_> = (0..SPAWNS)
        .map(|i| eddy::spawn(async move { black_box(i) }))
        .collect();
    let mut sum = 0;
    for handle in handles {
        sum += handle.await.expect("trivial task");
    }
    black_box(sum);
}

/// Spawns `YIELD_TASKS` tasks that each yield `YIELDS` times, then joins them.
async fn yield_many() {
    let handles: Vec<_> = (0..YIELD_TASKS)
        .map(|_| {
            eddy::spawn(async {
                for _ in 0..YIELDS {
                    eddy::task::yield_now().await;
                }
            })
        })
        .collect();
    for handle in handles {
        handle.await.expect("yielding task");
    }
}

/// A current-thread runtime when `workers` is 0, else a multi-thread one, set up as `config`.
fn runtime(workers: usize, config: Config) -> eddy::runtime::Runtime {
    let mut builder = if workers == 0 {
        eddy::runtime::Builder::new_current_thread()
    } else {
        let mut builder = eddy::runtime::Builder::new_multi_thread();
        builder.worker_threads(workers);
        builder
    };
    builder.enable_all();
    match config {
        Config::Plain => {}
        Config::SlowPoll => {
            builder.slow_poll_threshold(Duration::from_secs(1));
        }
        Config::Hooks => {
            builder
                .on_task_spawn(|_| {})
                .on_task_terminate(|_| {})
                .on_before_task_poll(|_| {})
                .on_after_task_poll(|_| {});
        }
    }
    builder.build().expect("eddy runtime")
}
