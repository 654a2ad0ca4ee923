//! `stdin`, `stdout` and `stderr`, in a child process with piped standard streams.
//!
//! The test binary runs itself again with `EDDY_IO_STDIO_CHILD` set; in that mode the test
//! below acts as the child: it copies its standard input to standard output and writes a
//! marker to standard error, all through eddy's handles. The parent checks what came out.

mod support;

use eddy_io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use std::io::{Read, Write};
use std::process::{Command, Stdio};
use support::{block_on, pattern};

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
