//! A multi-thread runtime whose worker threads cannot all be started: `build` fails (with the
//! error, or the panic of a user's `thread_name_fn`) and leaves no thread and no descriptor
//! behind, not even those of the workers it had already started.
#![cfg(all(feature = "multi-thread", feature = "io", feature = "time", not(loom)))]

use eddy_executor::runtime::Builder;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The tests count the process's threads and descriptors: one at a time.
static SERIAL: Mutex<()> = Mutex::new(());

/// A generous bound on how long exiting threads take to leave `/proc/self/task`.
const NO_HANG: Duration = Duration::from_secs(60);

/// The name the runtimes under test give their threads (the test harness has threads of its
/// own, which come and go).
const NAME: &str = "rt-faults-start";

fn descriptors() -> usize {
    std::fs::read_dir("/proc/self/fd").unwrap().count()
}

/// The process's threads named [`NAME`].
fn named_threads() -> usize {
    std::fs::read_dir("/proc/self/task")
        .unwrap()
        .filter_map(|task| std::fs::read_to_string(task.ok()?.path().join("comm")).ok())
        .filter(|comm| comm.trim_end() == NAME)
        .count()
}

/// Runs `fail` (a failing build) and checks the process has as many threads and descriptors
/// afterwards as before.
fn assert_leaves_nothing(fail: impl FnOnce()) {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let fds = descriptors();
    fail();
    assert_eq!(descriptors(), fds, "descriptors leaked");
    let begin = Instant::now();
    while named_threads() > 0 && begin.elapsed() < NO_HANG {
        std::thread::sleep(Duration::from_millis(1));
    }
    assert_eq!(named_threads(), 0, "threads leaked");
}

#[test]
fn a_panicking_thread_name_fn_for_the_second_worker_leaves_nothing() {
    assert_leaves_nothing(|| {
        let names = AtomicUsize::new(0);
        let built = panic::catch_unwind(AssertUnwindSafe(|| {
            Builder::new_multi_thread()
                .worker_threads(3)
                .enable_all()
                .thread_name_fn(move || {
                    if names.fetch_add(1, Ordering::SeqCst) == 1 {
                        panic!("fault injected in thread_name_fn");
                    }
                    NAME.to_string()
                })
                .build()
        }));
        assert!(
            built.is_err(),
            "the name function's panic reaches build's caller"
        );
    });
}

#[test]
fn a_worker_that_cannot_start_fails_build_and_leaves_nothing() {
    assert_leaves_nothing(|| {
        let built = Builder::new_multi_thread()
            .worker_threads(3)
            .enable_all()
            .thread_name(NAME)
            .thread_stack_size(usize::MAX)
            .build();
        assert!(built.is_err(), "build returns the spawn error");
    });
}
