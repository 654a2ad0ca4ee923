//! Measurements criterion cannot make: sizes and memory, eddy against Tokio.
//!
//! Prints `row<TAB>section<TAB>workload<TAB>eddy<TAB>tokio<TAB>unit` lines for `cargo xtask bench`.
//! Memory is measured in a child process per runtime (`footprint idle-tasks eddy|tokio`), so
//! one runtime's freed-but-kept heap does not count against the other.

use std::process::Command;

const IDLE_TASKS: usize = 100_000;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let [_, mode, runtime] = args.as_slice() {
        if mode == "idle-tasks" {
            println!("{}", idle_task_bytes(runtime));
            return;
        }
    }
    row(
        "footprint",
        "size_of::<time::Sleep>()",
        std::mem::size_of::<eddy::time::Sleep>() as f64,
        std::mem::size_of::<tokio::time::Sleep>() as f64,
        "bytes",
    );
    row(
        "footprint",
        "memory per idle spawned task (RSS over 100k tasks)",
        child_measure("eddy"),
        child_measure("tokio"),
        "bytes",
    );
}

fn row(section: &str, workload: &str, eddy: f64, tokio: f64, unit: &str) {
    println!("row\t{section}\t{workload}\t{eddy}\t{tokio}\t{unit}");
}

fn child_measure(runtime: &str) -> f64 {
    let exe = std::env::current_exe().expect("own path");
    let output = Command::new(exe)
        .args(["idle-tasks", runtime])
        .output()
        .expect("child run");
    String::from_utf8_lossy(&output.stdout)
        .trim()
        .parse()
        .expect("child prints a number")
}

/// Resident set size of this process, in bytes.
fn rss_bytes() -> usize {
    let statm = std::fs::read_to_string("/proc/self/statm").expect("/proc/self/statm");
    let pages: usize = statm.split_whitespace().nth(1).unwrap().parse().unwrap();
    pages * 4096
}

/// Spawns `IDLE_TASKS` tasks that wait forever and returns the RSS growth per task.
fn idle_task_bytes(runtime: &str) -> f64 {
    macro_rules! measure {
        ($krate:ident) => {{
            let rt = $krate::runtime::Builder::new_current_thread()
                .build()
                .unwrap();
            rt.block_on(async {
                // Warm up the allocator and the runtime's structures first.
                let warm: Vec<_> = (0..1000)
                    .map(|_| $krate::spawn(std::future::pending::<()>()))
                    .collect();
                $krate::task::yield_now().await;
                let before = rss_bytes();
                let handles: Vec<_> = (0..IDLE_TASKS)
                    .map(|_| $krate::spawn(std::future::pending::<()>()))
                    .collect();
                $krate::task::yield_now().await;
                let after = rss_bytes();
                // The handles themselves are part of what a user holds; subtract their Vec.
                let handle_bytes = handles.capacity() * std::mem::size_of_val(&handles[0]);
                drop(warm);
                (after - before).saturating_sub(handle_bytes) as f64 / IDLE_TASKS as f64
            })
        }};
    }
    match runtime {
        "eddy" => measure!(eddy),
        _ => measure!(tokio),
    }
}
