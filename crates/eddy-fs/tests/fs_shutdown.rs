//! Dropping a runtime while its tasks have file operations in flight leaves no file descriptor
//! and no blocking thread behind. One test in its own process, so that descriptor and thread
//! counts are not disturbed by other tests.

mod support;

use eddy_executor::runtime::Builder;
use eddy_fs::File;
use eddy_io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt};
use eddy_sync::mpsc;
use std::io::SeekFrom;
use std::time::{Duration, Instant};
use support::TempDir;

fn open_descriptors() -> usize {
    std::fs::read_dir("/proc/self/fd").unwrap().count()
}

fn threads_named(name: &str) -> usize {
    std::fs::read_dir("/proc/self/task")
        .unwrap()
        .filter_map(|task| std::fs::read_to_string(task.ok()?.path().join("comm")).ok())
        .filter(|comm| comm.trim_end() == name)
        .count()
}

#[cfg(target_os = "linux")]
#[test]
fn nothing_outlives_a_dropped_runtime() {
    let dir = TempDir::new();
    let before = open_descriptors();
    for flavor in ["current-thread", "multi-thread"] {
        let mut builder = if flavor == "current-thread" {
            Builder::new_current_thread()
        } else {
            let mut builder = Builder::new_multi_thread();
            builder.worker_threads(2);
            builder
        };
        let runtime = builder
            .thread_name("eddy-fs-shutdown")
            .enable_all()
            .build()
            .unwrap();
        let (opened, mut all_open) = mpsc::unbounded_channel();
        for i in 0..16 {
            let path = dir.join(&format!("{flavor}-{i}"));
            let opened = opened.clone();
            // Each task writes, seeks and reads back in a loop that never ends, so operations
            // are queued or running on the pool when the runtime goes.
            runtime.spawn(async move {
                let mut file = File::options()
                    .read(true)
                    .write(true)
                    .create(true)
                    .truncate(true)
                    .open(&path)
                    .await
                    .unwrap();
                opened.send(()).unwrap();
                let mut buf = [0; 64];
                loop {
                    file.write_all(b"some bytes").await.unwrap();
                    file.seek(SeekFrom::Start(0)).await.unwrap();
                    let _ = file.read(&mut buf).await.unwrap();
                }
            });
        }
        // Run the tasks until every file is open (the current-thread runtime runs them only
        // inside `block_on`).
        runtime.block_on(async {
            for _ in 0..16 {
                all_open.recv().await.unwrap();
            }
        });
        assert!(
            open_descriptors() >= before + 16,
            "{flavor}: the files are open"
        );
        drop(runtime);

        assert_eq!(
            open_descriptors(),
            before,
            "{flavor}: a descriptor outlived the runtime"
        );
        // The pool's threads were joined; the kernel may list a joined thread for a moment
        // longer, so wait for the listing to catch up rather than sample it once.
        let deadline = Instant::now() + Duration::from_secs(10);
        while threads_named("eddy-fs-shutdow") > 0 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        assert_eq!(
            threads_named("eddy-fs-shutdow"),
            0,
            "{flavor}: a thread outlived it"
        );
    }
}
