//! `stdin`, `stdout` and `stderr`, in a child process with piped standard streams.
//!
//! The test binary runs itself again with `EDDY_IO_STDIO_CHILD` set; in that mode the test
//! below acts as the child: it copies its standard input to standard output and writes a
//! marker to standard error, all through eddy's handles. The parent checks what came out.
//!
//! The handles run their blocking calls on the blocking pool `eddy_core::blocking` finds on the
//! thread. These tests install small pools of their own (a thread per job, or one that refuses
//! every job as a shut-down runtime's does) to check what the handles make of each.

mod support;

use eddy_core::blocking::BlockingSpawner;
use eddy_io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use std::future::Future;
use std::io::{self, Read, Write};
use std::process::{Command, Stdio};
use std::sync::Arc;
use support::pattern;

/// A blocking pool that runs each job on a new thread; with `mandatory_only`, it refuses
/// ordinary jobs and takes only the mandatory ones.
struct ThreadPerJob {
    mandatory_only: bool,
}

impl BlockingSpawner for ThreadPerJob {
    fn spawn_blocking(&self, job: Box<dyn FnOnce() + Send>) -> io::Result<()> {
        if self.mandatory_only {
            return Err(io::Error::other("this pool takes mandatory jobs only"));
        }
        self.spawn_mandatory(job)
    }

    fn spawn_mandatory(&self, job: Box<dyn FnOnce() + Send>) -> io::Result<()> {
        std::thread::spawn(job);
        Ok(())
    }
}

/// The pool of a runtime that has shut down: it refuses every job with the shutdown error.
struct ShutDown;

impl BlockingSpawner for ShutDown {
    fn spawn_blocking(&self, _job: Box<dyn FnOnce() + Send>) -> io::Result<()> {
        Err(eddy_core::context::shutdown_error())
    }
}

/// Runs `future` to completion on this thread with `pool` as the thread's blocking pool.
fn block_on_with<F: Future>(pool: impl BlockingSpawner, future: F) -> F::Output {
    let _pool = eddy_core::blocking::enter(Arc::new(pool));
    eddy_test_support::executor::block_on(future)
}

fn block_on<F: Future>(future: F) -> F::Output {
    block_on_with(
        ThreadPerJob {
            mandatory_only: false,
        },
        future,
    )
}

const CHILD_ENV: &str = "EDDY_IO_STDIO_CHILD";
const BEGIN: &str = "<<begin>>";
const END: &str = "<<end>>";

fn run_child(mode: &str, input: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "stdio_through_a_child_process", "--nocapture"])
        .env(CHILD_ENV, mode)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let feeder = std::thread::spawn(move || {
        stdin.write_all(&input).unwrap();
    });
    let mut stdout = Vec::new();
    let mut stderr = Vec::new();
    let mut out_pipe = child.stdout.take().unwrap();
    let mut err_pipe = child.stderr.take().unwrap();
    let err_reader = std::thread::spawn(move || {
        err_pipe.read_to_end(&mut stderr).unwrap();
        stderr
    });
    out_pipe.read_to_end(&mut stdout).unwrap();
    feeder.join().unwrap();
    let stderr = err_reader.join().unwrap();
    assert!(
        child.wait().unwrap().success(),
        "the child failed: {}",
        String::from_utf8_lossy(&stderr)
    );
    (stdout, stderr)
}

/// The bytes between the markers (the test harness prints its own lines around them).
fn between_markers(output: &[u8]) -> &[u8] {
    let text_start = find(output, BEGIN.as_bytes()).expect("begin marker") + BEGIN.len();
    let text_end = find(output, END.as_bytes()).expect("end marker");
    &output[text_start..text_end]
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

async fn child_copy_stdin_to_stdout() -> std::io::Result<()> {
    let mut stdout = eddy_io::stdout();
    let mut stderr = eddy_io::stderr();
    stdout.write_all(BEGIN.as_bytes()).await?;
    let copied = eddy_io::copy(&mut eddy_io::stdin(), &mut stdout).await?;
    stdout.write_all(END.as_bytes()).await?;
    stdout.flush().await?;
    stderr
        .write_all(format!("{BEGIN}copied {copied}{END}").as_bytes())
        .await?;
    stderr.shutdown().await
}

async fn child_echo_lines() -> std::io::Result<()> {
    let mut stdout = eddy_io::stdout();
    stdout.write_all(BEGIN.as_bytes()).await?;
    let mut lines = BufReader::new(eddy_io::stdin()).lines();
    while let Some(line) = lines.next_line().await? {
        stdout.write_all(line.to_uppercase().as_bytes()).await?;
        stdout.write_u8(b'\n').await?;
    }
    stdout.write_all(END.as_bytes()).await?;
    stdout.flush().await
}

#[test]
fn stdio_through_a_child_process() {
    match std::env::var(CHILD_ENV).as_deref() {
        Ok("copy") => return block_on(child_copy_stdin_to_stdout()).unwrap(),
        Ok("lines") => return block_on(child_echo_lines()).unwrap(),
        _ => {}
    }
    let input = pattern(300_000);
    let (stdout, stderr) = run_child("copy", &input);
    assert_eq!(between_markers(&stdout), &input[..]);
    assert_eq!(
        between_markers(&stderr),
        format!("copied {}", input.len()).as_bytes()
    );

    let (stdout, _) = run_child("lines", b"one\ntwo\nthree");
    assert_eq!(between_markers(&stdout), b"ONE\nTWO\nTHREE\n");
}

#[test]
fn creating_handles_does_no_io_and_an_idle_flush_succeeds() {
    // Creating handles does no I/O; only reads and writes reach the blocking pool.
    let _stdin = eddy_io::stdin();
    let mut stdout = eddy_io::stdout();
    block_on(async { stdout.flush().await }).unwrap();
    let mut stderr = eddy_io::stderr();
    block_on(async { stderr.shutdown().await }).unwrap();
}

#[test]
fn writes_are_mandatory_jobs() {
    // A write is reported done before it runs, so it must not be dropped by a pool that starts
    // shutting down after taking it: it goes to the pool as a mandatory job. (The flush reports
    // the write's failure, if the pool refused it.)
    let pool = ThreadPerJob {
        mandatory_only: true,
    };
    block_on_with(pool, async {
        let mut stderr = eddy_io::stderr();
        stderr.write_all(b"\n").await?;
        stderr.flush().await
    })
    .unwrap();
}

#[test]
fn a_write_after_shutdown_fails_at_once_with_the_shutdown_error() {
    let error =
        block_on_with(ShutDown, async { eddy_io::stdout().write_all(b"x").await }).unwrap_err();
    assert!(eddy_core::context::is_shutdown_error(&error), "{error:?}");
    let error =
        block_on_with(ShutDown, async { eddy_io::stderr().write_all(b"x").await }).unwrap_err();
    assert!(eddy_core::context::is_shutdown_error(&error), "{error:?}");
}

#[test]
fn a_read_after_shutdown_fails_at_once_with_the_shutdown_error() {
    let error =
        block_on_with(ShutDown, async { eddy_io::stdin().read(&mut [0; 8]).await }).unwrap_err();
    assert!(eddy_core::context::is_shutdown_error(&error), "{error:?}");
}

#[test]
#[should_panic(
    expected = "there is no reactor running, must be called from the context of a Tokio 1.x runtime"
)]
fn a_write_outside_a_runtime_panics() {
    let _ = eddy_test_support::executor::block_on(eddy_io::stdout().write_all(b"hello\n"));
}

#[test]
#[should_panic(
    expected = "there is no reactor running, must be called from the context of a Tokio 1.x runtime"
)]
fn a_read_outside_a_runtime_panics() {
    let _ = eddy_test_support::executor::block_on(eddy_io::stdin().read(&mut [0; 8]));
}
