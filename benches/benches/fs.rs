//! Files and directories on the blocking pool: many small files, one large file, a large
//! directory listing; eddy against Tokio, on real files under the system's temporary folder.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use eddy_benches::{eddy_runtime, group, tokio_runtime};
use std::path::{Path, PathBuf};

const SMALL_FILES: usize = 256;
const SMALL_SIZE: usize = 4 * 1024;
const LARGE_SIZE: usize = 32 * 1024 * 1024;
const DIR_ENTRIES: usize = 10_000;

/// A folder for one workload, removed with its contents on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let path =
            std::env::temp_dir().join(format!("eddy-bench-fs-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).unwrap();
        Scratch(path)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `SMALL_FILES` tasks at once, each writing its own small file with `fs::write` and reading it
/// back with `fs::read`: one trip to the blocking pool per call.
macro_rules! small_files_whole {
    ($krate:ident, $rt:expr, $dir:expr, $b:expr) => {{
        let rt = $rt;
        let dir: PathBuf = $dir.to_owned();
        $b.iter(|| {
            rt.block_on(async {
                let tasks: Vec<_> = (0..SMALL_FILES)
                    .map(|i| {
                        let path = dir.join(format!("whole{i}"));
                        $krate::spawn(async move {
                            $krate::fs::write(&path, vec![i as u8; SMALL_SIZE])
                                .await
                                .unwrap();
                            let back = $krate::fs::read(&path).await.unwrap();
                            assert_eq!(back.len(), SMALL_SIZE);
                        })
                    })
                    .collect();
                for task in tasks {
                    task.await.unwrap();
                }
            })
        })
    }};
}

/// `SMALL_FILES` tasks at once, each creating, writing and flushing its own small file through
/// `File`, then opening it again and reading it to the end.
macro_rules! small_files_file {
    ($krate:ident, $rt:expr, $dir:expr, $b:expr) => {{
        use $krate::io::{AsyncReadExt, AsyncWriteExt};
        let rt = $rt;
        let dir: PathBuf = $dir.to_owned();
        $b.iter(|| {
            rt.block_on(async {
                let tasks: Vec<_> = (0..SMALL_FILES)
                    .map(|i| {
                        let path = dir.join(format!("file{i}"));
                        $krate::spawn(async move {
                            let mut file = $krate::fs::File::create(&path).await.unwrap();
                            file.write_all(&[i as u8; SMALL_SIZE]).await.unwrap();
                            file.flush().await.unwrap();
                            let mut back = Vec::with_capacity(SMALL_SIZE);
                            let mut file = $krate::fs::File::open(&path).await.unwrap();
                            file.read_to_end(&mut back).await.unwrap();
                            assert_eq!(back.len(), SMALL_SIZE);
                        })
                    })
                    .collect();
                for task in tasks {
                    task.await.unwrap();
                }
            })
        })
    }};
}

/// One `LARGE_SIZE` file written through `File` in 256 KiB `write_all` calls, then flushed.
macro_rules! large_write {
    ($krate:ident, $rt:expr, $dir:expr, $b:expr) => {{
        use $krate::io::AsyncWriteExt;
        let rt = $rt;
        let path = $dir.join("large-write");
        let chunk = vec![7u8; 256 * 1024];
        $b.iter(|| {
            rt.block_on(async {
                let mut file = $krate::fs::File::create(&path).await.unwrap();
                for _ in 0..LARGE_SIZE / chunk.len() {
                    file.write_all(&chunk).await.unwrap();
                }
                file.flush().await.unwrap();
            })
        })
    }};
}

/// One `LARGE_SIZE` file read through `File` to the end into a 256 KiB buffer.
macro_rules! large_read {
    ($krate:ident, $rt:expr, $path:expr, $b:expr) => {{
        use $krate::io::AsyncReadExt;
        let rt = $rt;
        let path: PathBuf = $path.to_owned();
        $b.iter(|| {
            rt.block_on(async {
                let mut file = $krate::fs::File::open(&path).await.unwrap();
                let mut buf = vec![0u8; 256 * 1024];
                let mut total = 0;
                loop {
                    match file.read(&mut buf).await.unwrap() {
                        0 => break,
                        n => total += n,
                    }
                }
                assert_eq!(total, LARGE_SIZE);
            })
        })
    }};
}

/// Every entry of a `DIR_ENTRIES`-entry directory, with `read_dir` and `next_entry`.
macro_rules! list_dir {
    ($krate:ident, $rt:expr, $dir:expr, $b:expr) => {{
        let rt = $rt;
        let dir: PathBuf = $dir.to_owned();
        $b.iter(|| {
            rt.block_on(async {
                let mut entries = $krate::fs::read_dir(&dir).await.unwrap();
                let mut count = 0;
                while entries.next_entry().await.unwrap().is_some() {
                    count += 1;
                }
                assert_eq!(count, DIR_ENTRIES);
            })
        })
    }};
}

/// One benchmark group named `$name` in `$section`: `$workload` on eddy, then on Tokio, with
/// `workers` worker threads (0: the current-thread flavor), ten samples each.
macro_rules! eddy_vs_tokio {
    (
        $c:expr, $section:expr, $name:expr, $throughput:expr,
        $workload:ident($workers:expr, $arg:expr)
    ) => {{
        let mut g = group($c, $section, $name);
        g.sample_size(10);
        g.throughput($throughput);
        g.bench_function("eddy", |b| {
            $workload!(eddy, eddy_runtime($workers), $arg, b)
        });
        g.bench_function("tokio", |b| {
            $workload!(tokio, tokio_runtime($workers), $arg, b)
        });
        g.finish();
    }};
}

fn benches(c: &mut Criterion) {
    let scratch = Scratch::new("work");
    let dir = scratch.path();
    let listing = Scratch::new("listing");
    for i in 0..DIR_ENTRIES {
        std::fs::write(listing.path().join(format!("e{i}")), b"").unwrap();
    }
    let large = dir.join("large-read");
    std::fs::write(&large, vec![3u8; LARGE_SIZE]).unwrap();

    for workers in [0, 2] {
        let section = if workers == 0 {
            "fs, current-thread".to_owned()
        } else {
            format!("fs, {workers} workers")
        };
        let small = format!("{SMALL_FILES} files of 4 KiB at once");
        let files = Throughput::Elements(SMALL_FILES as u64);
        let large_bytes = Throughput::Bytes(LARGE_SIZE as u64);
        let entries = Throughput::Elements(DIR_ENTRIES as u64);

        let name = format!("{small}, fs::write + fs::read");
        eddy_vs_tokio!(
            c,
            &section,
            &name,
            files.clone(),
            small_files_whole(workers, dir)
        );
        let name = format!("{small}, File create/write/open/read");
        eddy_vs_tokio!(c, &section, &name, files, small_files_file(workers, dir));
        let name = "one 32 MiB file, File::write_all + flush";
        eddy_vs_tokio!(
            c,
            &section,
            name,
            large_bytes.clone(),
            large_write(workers, dir)
        );
        let name = "one 32 MiB file, File::read to the end";
        eddy_vs_tokio!(c, &section, name, large_bytes, large_read(workers, large));
        let name = "read_dir of 10k entries";
        eddy_vs_tokio!(
            c,
            &section,
            name,
            entries,
            list_dir(workers, listing.path())
        );
    }
}

criterion_group! {
    name = fs;
    config = eddy_benches::criterion();
    targets = benches
}
criterion_main!(fs);
