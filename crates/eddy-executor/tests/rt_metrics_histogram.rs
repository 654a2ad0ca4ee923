//! The opt-in poll-time histogram: layouts, contiguous bucket ranges, and counts that add up
//! to the workers' polls.
#![cfg(not(loom))]

use eddy_executor::runtime::{
    Builder, HistogramConfiguration, LogHistogram, Runtime, RuntimeMetrics,
};
use eddy_executor::task;
#[cfg(feature = "multi-thread")]
use eddy_test_support::eventually;
use std::time::Duration;

fn current_thread_with(configuration: Option<HistogramConfiguration>) -> Runtime {
    let mut builder = Builder::new_current_thread();
    builder.enable_metrics_poll_time_histogram();
    if let Some(configuration) = configuration {
        builder.metrics_poll_time_histogram_configuration(configuration);
    }
    builder.build().unwrap()
}

fn histogram_total(metrics: &RuntimeMetrics, worker: usize) -> u64 {
    (0..metrics.poll_time_histogram_num_buckets())
        .map(|bucket| metrics.poll_time_histogram_bucket_count(worker, bucket))
        .sum()
}

fn assert_ranges_contiguous(metrics: &RuntimeMetrics) {
    let buckets = metrics.poll_time_histogram_num_buckets();
    assert_eq!(
        metrics.poll_time_histogram_bucket_range(0).start,
        Duration::ZERO
    );
    for bucket in 1..buckets {
        let previous = metrics.poll_time_histogram_bucket_range(bucket - 1);
        let range = metrics.poll_time_histogram_bucket_range(bucket);
        assert_eq!(previous.end, range.start, "gap before bucket {bucket}");
        assert!(range.start < range.end, "empty bucket {bucket}");
    }
    let last = metrics.poll_time_histogram_bucket_range(buckets - 1);
    assert_eq!(last.end, Duration::from_nanos(u64::MAX));
}

fn run_tasks(rt: &Runtime, count: usize) {
    rt.block_on(async {
        let handles: Vec<_> = (0..count)
            .map(|_| {
                task::spawn(async {
                    task::yield_now().await;
                })
            })
            .collect();
        for handle in handles {
            handle.await.unwrap();
        }
    });
}

#[test]
fn enabled_without_a_layout_uses_ten_linear_buckets_of_100us() {
    let rt = current_thread_with(None);
    let metrics = rt.metrics();
    assert!(metrics.poll_time_histogram_enabled());
    assert_eq!(metrics.poll_time_histogram_num_buckets(), 10);
    assert_eq!(
        metrics.poll_time_histogram_bucket_range(1),
        Duration::from_micros(100)..Duration::from_micros(200)
    );
    assert_ranges_contiguous(&metrics);
}

#[test]
fn current_thread_bucket_counts_add_up_to_the_polls() {
    let rt = current_thread_with(Some(HistogramConfiguration::linear(
        Duration::from_micros(50),
        20,
    )));
    run_tasks(&rt, 100);
    let metrics = rt.metrics();
    // Each task is polled twice: once to yield, once to finish.
    assert_eq!(metrics.worker_poll_count(0), 200);
    assert_eq!(histogram_total(&metrics, 0), 200);
}

#[test]
fn a_slow_poll_lands_in_the_last_linear_bucket() {
    let rt = current_thread_with(Some(HistogramConfiguration::linear(
        Duration::from_millis(1),
        5,
    )));
    rt.block_on(async {
        // At least 10 ms: past the last bucket's start (4 ms).
        task::spawn(async { std::thread::sleep(Duration::from_millis(10)) })
            .await
            .unwrap();
    });
    let metrics = rt.metrics();
    assert_eq!(metrics.poll_time_histogram_bucket_count(0, 4), 1);
    assert_eq!(histogram_total(&metrics, 0), 1);
}

#[test]
fn log_layout_ranges_are_contiguous_and_bounded() {
    let layout = LogHistogram::builder()
        .max_error(0.1)
        .min_value(Duration::from_micros(1))
        .max_value(Duration::from_millis(100))
        .max_buckets(300)
        .unwrap();
    let rt = current_thread_with(Some(HistogramConfiguration::log(layout)));
    let metrics = rt.metrics();
    let buckets = metrics.poll_time_histogram_num_buckets();
    assert!(buckets > 2 && buckets <= 300, "{buckets} buckets");
    assert_ranges_contiguous(&metrics);
    // The first bucket ends near the minimum, the last starts near the maximum.
    assert!(metrics.poll_time_histogram_bucket_range(0).end <= Duration::from_micros(2));
    let last = metrics.poll_time_histogram_bucket_range(buckets - 1);
    assert!(last.start <= Duration::from_millis(100));
    assert!(last.start >= Duration::from_millis(80));
}

#[test]
fn a_layout_with_too_many_buckets_is_refused() {
    let error = LogHistogram::builder()
        .precision_exact(10)
        .max_buckets(64)
        .unwrap_err();
    assert!(error.to_string().contains("64"), "{error}");
}

#[cfg(feature = "multi-thread")]
#[test]
fn multi_thread_bucket_counts_add_up_to_each_workers_polls() {
    let rt = Builder::new_multi_thread()
        .worker_threads(2)
        .enable_metrics_poll_time_histogram()
        .metrics_poll_time_histogram_configuration(HistogramConfiguration::log(
            LogHistogram::default(),
        ))
        .build()
        .unwrap();
    run_tasks(&rt, 500);
    let metrics = rt.metrics();
    assert_ranges_contiguous(&metrics);
    eventually("every worker's histogram matches its polls", || {
        (0..2).all(|worker| histogram_total(&metrics, worker) == metrics.worker_poll_count(worker))
    });
    let polls: u64 = (0..2).map(|worker| metrics.worker_poll_count(worker)).sum();
    assert!(polls >= 1_000, "{polls} polls");
}

#[test]
#[should_panic(expected = "out of range")]
fn a_bucket_past_the_last_panics() {
    let rt = current_thread_with(None);
    rt.metrics().poll_time_histogram_bucket_range(10);
}
