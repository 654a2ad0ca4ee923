//! Shared set-up for the side-by-side benchmarks.
//!
//! Every workload is written once, as a macro over the runtime crate's name, and instantiated for
//! `eddy` and for `tokio`: the two measured bodies are the same tokens, so the comparison is fair
//! by construction. Each criterion group is named `"<section>: <workload>"` and holds two
//! functions, `eddy` and `tokio`, which `cargo xtask bench` reads back.

use criterion::{BenchmarkGroup, Criterion};
use std::time::Duration;

/// Criterion settings sized for a noisy 2-core machine: short runs, medians reported.
pub fn criterion() -> Criterion {
    Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(2))
        .without_plots()
        .configure_from_args()
}

/// Opens the group for one workload.
pub fn group<'c>(
    c: &'c mut Criterion,
    section: &str,
    workload: &str,
) -> BenchmarkGroup<'c, criterion::measurement::WallTime> {
    c.benchmark_group(format!("{section}: {workload}"))
}

/// An eddy runtime: current-thread when `workers` is 0, else multi-thread with that many workers.
pub fn eddy_runtime(workers: usize) -> eddy::runtime::Runtime {
    let mut builder = if workers == 0 {
        eddy::runtime::Builder::new_current_thread()
    } else {
        let mut builder = eddy::runtime::Builder::new_multi_thread();
        builder.worker_threads(workers);
        builder
    };
    builder.enable_all().build().expect("eddy runtime")
}

/// A Tokio runtime configured like [`eddy_runtime`].
pub fn tokio_runtime(workers: usize) -> tokio::runtime::Runtime {
    let mut builder = if workers == 0 {
        tokio::runtime::Builder::new_current_thread()
    } else {
        let mut builder = tokio::runtime::Builder::new_multi_thread();
        builder.worker_threads(workers);
        builder
    };
    builder.enable_all().build().expect("tokio runtime")
}
