//! Task dumps and slow-poll reports: what a stuck program's tasks are doing.
//!
//! Starts a few tasks (one waiting on a channel, one sleeping in a loop, one that blocks its
//! worker now and then), lets them run for a moment, then prints `Handle::dump()` from a plain
//! thread outside the runtime. The runtime reports polls longer than 20 ms on standard error.
//!
//! ```sh
//! cargo run -p eddy-examples --example task-dump
//! ```

use eddy::runtime::Builder;
use eddy::sync::mpsc;
use eddy::task;
use std::time::Duration;

fn main() {
    let rt = Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .slow_poll_threshold(Duration::from_millis(20))
        .on_slow_poll(|task, took| {
            let name = task.name().unwrap_or("unnamed");
            eprintln!("slow poll: {name} ({}) took {took:?}", task.spawned_at());
        })
        .build()
        .expect("build the runtime");

    let (tx, mut rx) = mpsc::channel::<String>(8);
    task::Builder::new()
        .name("inbox")
        .spawn_on(
            async move {
                while let Some(message) = rx.recv().await {
                    println!("inbox got {message:?}");
                }
            },
            rt.handle(),
        )
        .expect("spawn inbox");
    task::Builder::new()
        .name("ticker")
        .spawn_on(
            async {
                loop {
                    eddy::time::sleep(Duration::from_millis(10)).await;
                }
            },
            rt.handle(),
        )
        .expect("spawn ticker");
    task::Builder::new()
        .name("hog")
        .spawn_on(
            async {
                loop {
                    // Blocking the worker: exactly what slow-poll reports are for.
                    std::thread::sleep(Duration::from_millis(30));
                    eddy::time::sleep(Duration::from_millis(50)).await;
                }
            },
            rt.handle(),
        )
        .expect("spawn hog");
    rt.block_on(async {
        tx.send("hello".to_owned()).await.expect("inbox is open");
        eddy::time::sleep(Duration::from_millis(200)).await;
    });

    let handle = rt.handle().clone();
    let dump = std::thread::spawn(move || handle.dump())
        .join()
        .expect("dump thread");
    println!("\n{dump}");
    rt.shutdown_background();
}
