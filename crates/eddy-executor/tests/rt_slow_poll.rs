//! Slow-poll detection: a poll past the threshold is reported while it is still running
//! (once, by the watchdog, on both flavors) and again when it returns, with the task's identity
//! and its worker; and the reports reach standard error when nobody else takes them.

use eddy_executor::runtime::{Builder, SlowPoll};
use eddy_executor::task;
use eddy_test_support::eventually;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What a callback saw: the task's id, name and spawn line, and the report.
type Report = (task::Id, Option<String>, u32, SlowPoll);

/// A builder whose slow-poll reports go to the returned channel.
fn reporting(mut builder: Builder, threshold: Duration) -> (Builder, mpsc::Receiver<Report>) {
    let (tx, rx) = mpsc::channel();
    let tx = Mutex::new(tx);
    builder
        .slow_poll_threshold(threshold)
        .on_slow_poll(move |task, report| {
            let name = task.name().map(str::to_owned);
            let line = task.spawned_at().line();
            let _ = tx.lock().unwrap().send((task.id(), name, line, *report));
        });
    (builder, rx)
}

fn current_thread() -> Builder {
    Builder::new_current_thread()
}

#[cfg(feature = "multi-thread")]
fn multi_thread() -> Builder {
    let mut builder = Builder::new_multi_thread();
    builder.worker_threads(2);
    builder
}

/// The next report, failing the test if none comes for a long while (a generous bound, not a
/// verdict on speed).
fn next_report(reports: &mpsc::Receiver<Report>) -> Report {
    reports
        .recv_timeout(Duration::from_secs(60))
        .expect("a slow-poll report")
}

/// A task blocked inside its poll on a std channel is reported while blocked, once, naming its
/// worker; released, it is reported again as a finished slow poll at least as long.
fn a_stuck_poll_is_reported_while_stuck(builder: Builder, workers: usize) {
    let threshold = Duration::from_millis(20);
    let (mut builder, reports) = reporting(builder, threshold);
    let rt = Arc::new(builder.build().unwrap());
    let (release, released) = mpsc::channel::<()>();
    let line = line!() + 3;
    let stuck = task::Builder::new()
        .name("stuck")
        .spawn_on(async move { released.recv().unwrap() }, rt.handle())
        .unwrap();
    let id = stuck.id();
    let driver = {
        let rt = rt.clone();
        std::thread::spawn(move || rt.block_on(stuck).unwrap())
    };

    let (reported, name, reported_line, report) = next_report(&reports);
    assert_eq!(
        (reported, name.as_deref(), reported_line),
        (id, Some("stuck"), line)
    );
    assert!(report.is_stuck(), "{report:?}");
    assert!(report.duration() > threshold, "{report:?}");
    let worker = report.worker().expect("a worker ran the poll");
    assert!(worker < workers, "{report:?}");

    // Still stuck for several more watchdog ticks: no second report for the same poll.
    let handle = rt.handle().clone();
    eventually("the poll stays stuck for ten thresholds", || {
        let dump = handle.dump_now();
        let task = dump.tasks().iter().find(|task| task.id() == id).unwrap();
        task.since_last_poll().unwrap() > threshold * 10
    });
    release.send(()).unwrap();
    driver.join().unwrap();

    let (reported, _, _, finished) = next_report(&reports);
    assert_eq!(reported, id);
    assert!(
        !finished.is_stuck(),
        "one stuck report per poll: {finished:?}"
    );
    assert!(
        finished.duration() >= report.duration(),
        "{finished:?} {report:?}"
    );
    assert_eq!(finished.worker(), Some(worker));
    assert!(reports.try_recv().is_err(), "nothing more for this poll");
}

#[test]
fn a_stuck_poll_is_reported_while_stuck_on_a_current_thread_runtime() {
    a_stuck_poll_is_reported_while_stuck(current_thread(), 1);
}

#[cfg(feature = "multi-thread")]
#[test]
fn a_stuck_poll_is_reported_while_stuck_on_a_multi_thread_runtime() {
    a_stuck_poll_is_reported_while_stuck(multi_thread(), 2);
}

#[test]
fn polls_under_the_threshold_are_not_reported() {
    let (mut builder, reports) = reporting(current_thread(), Duration::from_secs(3600));
    let rt = builder.build().unwrap();
    rt.block_on(async {
        for _ in 0..10 {
            task::spawn(task::yield_now()).await.unwrap();
        }
    });
    drop(rt);
    assert!(reports.try_recv().is_err());
}

#[test]
fn without_a_threshold_nothing_is_timed_or_reported() {
    let (tx, reports) = mpsc::channel::<()>();
    let tx = Mutex::new(tx);
    let rt = Builder::new_current_thread()
        .on_slow_poll(move |_, _| tx.lock().unwrap().send(()).unwrap())
        .build()
        .unwrap();
    rt.block_on(async {
        task::spawn(async { std::thread::sleep(Duration::from_millis(10)) })
            .await
            .unwrap();
    });
    drop(rt);
    assert!(reports.try_recv().is_err());
}

/// Set in the child process of the standard-error test.
const CHILD: &str = "EDDY_SLOW_POLL_STDERR_CHILD";

/// Without a callback or a subscriber (with or without the `tracing` feature), both reports
/// are lines on standard error. The test runs itself as a child process whose task blocks
/// reading its standard input until the parent has seen the stuck-poll line.
#[test]
fn reports_reach_standard_error_when_nobody_else_takes_them() {
    if std::env::var_os(CHILD).is_some() {
        let rt = Builder::new_current_thread()
            .slow_poll_threshold(Duration::from_millis(10))
            .build()
            .unwrap();
        let reader = rt.spawn(async {
            let mut line = String::new();
            std::io::stdin().read_line(&mut line).unwrap();
        });
        rt.block_on(reader).unwrap();
        return;
    }
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "reports_reach_standard_error_when_nobody_else_takes_them",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD, "1")
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap()).lines();
    let stuck = stderr
        .by_ref()
        .map(Result::unwrap)
        .find(|line| line.starts_with("eddy: stuck poll: task"))
        .expect("a stuck-poll line");
    assert!(
        stuck.contains(file!()) && stuck.contains("worker 0"),
        "{stuck}"
    );
    writeln!(child.stdin.take().unwrap(), "go").unwrap();
    let slow = stderr
        .map(Result::unwrap)
        .find(|line| line.starts_with("eddy: slow poll: task"))
        .expect("a slow-poll line once the poll returned");
    assert!(slow.contains("ran for"), "{slow}");
    assert!(child.wait().unwrap().success());
}
