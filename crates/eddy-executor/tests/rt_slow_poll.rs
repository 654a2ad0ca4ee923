//! Slow-poll detection: a poll longer than the threshold is reported with the task's identity.

use eddy_executor::runtime::Builder;
use eddy_executor::task;
use std::sync::{Arc, Mutex};
use std::time::Duration;

type Reports = Arc<Mutex<Vec<(task::Id, Option<String>, u32, Duration)>>>;

fn runtime_reporting_to(reports: &Reports, threshold: Duration) -> eddy_executor::runtime::Runtime {
    let reports = reports.clone();
    Builder::new_current_thread()
        .slow_poll_threshold(threshold)
        .on_slow_poll(move |task, took| {
            let name = task.name().map(str::to_owned);
            let line = task.spawned_at().line();
            reports.lock().unwrap().push((task.id(), name, line, took));
        })
        .build()
        .unwrap()
}

#[test]
fn a_blocking_poll_is_reported_with_the_spawn_location() {
    let reports = Reports::default();
    let rt = runtime_reporting_to(&reports, Duration::from_millis(5));
    let (id, line) = rt.block_on(async {
        let builder = task::Builder::new().name("sleepy");
        let line = line!() + 1;
        let handle = builder.spawn(async { std::thread::sleep(Duration::from_millis(30)) });
        let handle = handle.unwrap();
        let id = handle.id();
        handle.await.unwrap();
        (id, line)
    });
    let reports = reports.lock().unwrap();
    let (reported, name, reported_line, took) = reports
        .iter()
        .find(|report| report.0 == id)
        .cloned()
        .expect("the slow poll was reported");
    assert_eq!(reported, id);
    assert_eq!(name.as_deref(), Some("sleepy"));
    assert_eq!(reported_line, line);
    assert!(took >= Duration::from_millis(30));
}

#[test]
fn polls_under_the_threshold_are_not_reported() {
    let reports = Reports::default();
    let rt = runtime_reporting_to(&reports, Duration::from_secs(3600));
    rt.block_on(async {
        for _ in 0..10 {
            task::spawn(task::yield_now()).await.unwrap();
        }
    });
    assert!(reports.lock().unwrap().is_empty());
}

#[test]
fn without_a_threshold_nothing_is_timed_or_reported() {
    let reports = Reports::default();
    let reports_clone = reports.clone();
    let rt = Builder::new_current_thread()
        .on_slow_poll(move |task, took| {
            reports_clone
                .lock()
                .unwrap()
                .push((task.id(), None, 0, took));
        })
        .build()
        .unwrap();
    rt.block_on(async {
        task::spawn(async { std::thread::sleep(Duration::from_millis(10)) })
            .await
            .unwrap();
    });
    assert!(reports.lock().unwrap().is_empty());
}
