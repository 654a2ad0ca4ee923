//! Task dumps and slow-poll reports: what a stuck program's tasks are doing.
//!
//! Starts a few tasks (one waiting on a channel, one sleeping in a loop, one that blocks its
//! worker now and then, one stuck in a blocking call until the end), lets them run for a
//! moment, then prints a dump taken with `Handle::dump_now` from a plain thread outside the
//! runtime, the way a watchdog of your own would, and a dump awaited inside the runtime with
//! Tokio's `Handle::dump().await`. The runtime reports polls longer than 20 ms on standard
//! error: the stuck one while it is stuck, and each slow one when it returns.
//!
//! ```sh
//! cargo run -p eddy-examples --example task-dump
//! ```

use eddy::runtime::{Builder, Handle};
use eddy::sync::mpsc;
use eddy::task;
use std::time::Duration;

fn main() {
    let rt = Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .slow_poll_threshold(Duration::from_millis(20))
        .on_slow_poll(|task, report| {
            let name = task.name().unwrap_or("unnamed");
            let worker = report.worker().map_or("-".to_owned(), |w| w.to_string());
            let what = if report.is_stuck() {
                "stuck for"
            } else {
                "took"
            };
            let (took, at) = (report.duration(), task.spawned_at());
            eprintln!("slow poll on worker {worker}: {name} ({at}) {what} {took:?}");
        })
        .build()
        .expect("build the runtime");

    let (tx, mut rx) = mpsc::channel::<String>(8);
    let (release, released) = std::sync::mpsc::channel::<()>();
    spawn_named(&rt, "inbox", async move {
        while let Some(message) = rx.recv().await {
            println!("inbox got {message:?}");
        }
    });
    spawn_named(&rt, "ticker", async {
        loop {
            eddy::time::sleep(Duration::from_millis(10)).await;
        }
    });
    spawn_named(&rt, "hog", async {
        loop {
            // Blocking the worker: exactly what slow-poll reports are for.
            std::thread::sleep(Duration::from_millis(30));
            eddy::time::sleep(Duration::from_millis(50)).await;
        }
    });
    spawn_named(&rt, "stuck", async move {
        // A blocking call that does not return until `main` says so: a deadlock in miniature.
        let _ = released.recv();
    });
    rt.block_on(async {
        tx.send("hello".to_owned()).await.expect("inbox is open");
        eddy::time::sleep(Duration::from_millis(200)).await;
    });

    let handle = rt.handle().clone();
    let dump = std::thread::spawn(move || handle.dump_now())
        .join()
        .expect("dump thread");
    println!("\n{dump}");

    rt.block_on(async {
        let dump = Handle::current().dump().await;
        for task in dump.tasks().iter() {
            println!("task {}: {}", task.id(), task.trace());
        }
    });
    let _ = release.send(());
    rt.shutdown_background();
}

/// Spawns `future` as a task named `name`; the spawn location is the caller's.
#[track_caller]
fn spawn_named<F>(rt: &eddy::runtime::Runtime, name: &str, future: F)
where
    F: std::future::Future<Output = ()> + Send + 'static,
{
    task::Builder::new()
        .name(name)
        .spawn_on(future, rt.handle())
        .expect("spawn a task");
}
