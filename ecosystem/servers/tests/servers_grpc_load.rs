//! The load client against the tonic greeter, both on eddy: every caller makes at least one
//! call, none fails, and the printed line carries the fields `cargo xtask bench` reads; and the
//! percentiles are nearest-rank over the kept latencies.

use ecosystem_servers::greeter;
use ecosystem_servers::load::{self, Plan, Report};
use std::time::Duration;
use tokio::net::TcpListener;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn load_client_calls_the_greeter_without_errors() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(greeter::serve(listener));

    let plan = Plan {
        addr,
        connections: 2,
        streams: 3,
        duration: Duration::from_millis(200),
    };
    let report = load::run(&plan).await.unwrap();
    assert_eq!(report.errors(), 0);
    assert!(
        report.calls() >= plan.connections * plan.streams,
        "{report}"
    );
    assert!(report.percentile(50.0) <= report.percentile(99.0));

    let line = report.to_string();
    for field in [
        "calls=",
        "errors=0 ",
        "seconds=",
        "rps=",
        "p50_us=",
        "p99_us=",
    ] {
        assert!(line.contains(field), "{field} missing from {line}");
    }
    server.abort();
}

#[tokio::test]
async fn the_load_client_fails_to_connect_to_a_closed_port() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let plan = Plan {
        addr,
        connections: 1,
        streams: 1,
        duration: Duration::from_millis(10),
    };
    assert!(load::run(&plan).await.is_err());
}

#[test]
fn percentiles_are_nearest_rank() {
    let latencies: Vec<Duration> = (1..=100).rev().map(Duration::from_millis).collect();
    let report = Report::new(latencies, 3, Duration::from_secs(2));
    assert_eq!(report.calls(), 100);
    assert_eq!(report.errors(), 3);
    assert_eq!(report.calls_per_second(), 50.0);
    assert_eq!(report.percentile(50.0), Duration::from_millis(50));
    assert_eq!(report.percentile(99.0), Duration::from_millis(99));
    assert_eq!(report.percentile(100.0), Duration::from_millis(100));
    assert_eq!(report.percentile(0.0), Duration::from_millis(1));
}

#[test]
fn an_empty_report_has_zero_percentiles() {
    let report = Report::new(Vec::new(), 1, Duration::from_secs(1));
    assert_eq!(report.percentile(99.0), Duration::ZERO);
    assert_eq!(report.calls_per_second(), 0.0);
}
