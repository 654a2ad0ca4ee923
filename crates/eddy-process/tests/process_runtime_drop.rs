//! Dropping a runtime leaves nothing behind: no descriptor (pipes, pidfds, the signal
//! pump's duplicate of the self-pipe) and no thread, once the children it spawned have exited.
//!
//! One test in this binary: it counts the whole process's descriptors and threads.

mod support;

use eddy_io::AsyncWriteExt;
use eddy_process::Command;
use eddy_signal::unix::{signal, SignalKind};
use eddy_test_support::eventually;
use std::process::Stdio;
use support::{multi_rt, rt};

fn open_fds() -> usize {
    std::fs::read_dir("/proc/self/fd").unwrap().count()
}

fn threads() -> usize {
    std::fs::read_dir("/proc/self/task").unwrap().count()
}

#[test]
fn runtimes_leave_no_descriptor_or_thread() {
    // The self-pipe of eddy-signal is process-wide and lives as long as the process: it is
    // created here, before the baseline is taken.
    rt().block_on(async { drop(signal(SignalKind::child()).unwrap()) });
    let (fds, thread_count) = (open_fds(), threads());
    for runtime in [rt(), multi_rt()] {
        let (mut waited, dropped) = runtime.block_on(async {
            let sigchld = signal(SignalKind::child()).unwrap();
            let output = Command::new("echo").arg("hi").output().await.unwrap();
            assert_eq!(output.stdout, b"hi\n");
            let mut waited = Command::new("cat")
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()
                .unwrap();
            waited
                .stdin
                .as_mut()
                .unwrap()
                .write_all(b"x")
                .await
                .unwrap();
            let dropped = Command::new("sleep")
                .arg("0.1")
                .stdout(Stdio::piped())
                .spawn()
                .unwrap();
            drop(sigchld);
            (waited, dropped)
        });
        drop(dropped);
        drop(runtime);
        drop(waited.stdin.take());
        drop(waited);
    }
    eventually("descriptors back to the count before the runtimes", || {
        open_fds() == fds
    });
    eventually("threads back to the count before the runtimes", || {
        threads() == thread_count
    });
}
