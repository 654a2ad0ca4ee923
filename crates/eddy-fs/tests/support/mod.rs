//! Test support: a temporary folder per test, and one body run on both runtime flavors.

#![allow(dead_code)]

use eddy_executor::runtime::{Builder, Runtime};
use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A fresh folder under the system's temporary folder, removed with everything in it on drop.
pub struct TempDir {
    path: PathBuf,
}

impl TempDir {
    pub fn new() -> TempDir {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "eddy-fs-test-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let path = std::env::temp_dir().join(name);
        std::fs::create_dir_all(&path).unwrap();
        TempDir { path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn join(&self, name: &str) -> PathBuf {
        self.path.join(name)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// The two runtime flavors, each with at most `blocking_threads` blocking threads, with names
/// for failure messages.
pub fn runtimes(blocking_threads: usize) -> Vec<(&'static str, Runtime)> {
    let current = Builder::new_current_thread()
        .max_blocking_threads(blocking_threads)
        .enable_all()
        .build()
        .unwrap();
    let multi = Builder::new_multi_thread()
        .worker_threads(2)
        .max_blocking_threads(blocking_threads)
        .enable_all()
        .build()
        .unwrap();
    vec![("current-thread", current), ("multi-thread", multi)]
}

/// Runs the future `body` makes, in a fresh temporary folder, on each runtime flavor in turn
/// (as a spawned task, so it runs on a worker).
pub fn on_both_flavors<F, Fut>(body: F)
where
    F: Fn(TempDir) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    on_both_flavors_with(512, body);
}

/// [`on_both_flavors`] on runtimes with at most `blocking_threads` blocking threads.
pub fn on_both_flavors_with<F, Fut>(blocking_threads: usize, body: F)
where
    F: Fn(TempDir) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    for (flavor, runtime) in runtimes(blocking_threads) {
        let task = runtime.spawn(body(TempDir::new()));
        if let Err(error) = runtime.block_on(task) {
            eprintln!("failed on the {flavor} runtime");
            std::panic::resume_unwind(error.into_panic());
        }
    }
}
