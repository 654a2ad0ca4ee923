//! Runs `examples/graceful-shutdown.rs` in a child process, sends it SIGTERM (then, in a
//! second run, SIGINT) while a client is connected, and checks that it stops accepting, lets the
//! connection finish and exits with status 0.
//!
//! The example's source is compiled into this test binary, which re-executes itself with
//! `EDDY_EXAMPLE_SERVER` set to run it as the child: no separate build of the example needed.

#[path = "../graceful-shutdown.rs"]
mod graceful_shutdown;

use eddy::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader, Lines};
use eddy::net::TcpStream;
use eddy::process::{ChildStdout, Command};
use std::process::Stdio;

const SERVER_ENV: &str = "EDDY_EXAMPLE_SERVER";

fn main() {
    if std::env::var_os(SERVER_ENV).is_some() {
        graceful_shutdown::main().unwrap();
        return;
    }
    for signum in [libc::SIGTERM, libc::SIGINT] {
        shuts_down_gracefully_on(signum);
        println!("graceful shutdown on signal {signum} ... ok");
    }
}

#[eddy::main(flavor = "current_thread")]
async fn shuts_down_gracefully_on(signum: libc::c_int) {
    let mut server = Command::new(std::env::current_exe().unwrap())
        .arg("127.0.0.1:0")
        .env(SERVER_ENV, "1")
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(server.stdout.take().unwrap()).lines();
    let first = next_line(&mut lines).await;
    let addr = first.strip_prefix("listening on ").unwrap().to_string();

    let mut client = TcpStream::connect(&addr).await.unwrap();
    client.write_all(b"before").await.unwrap();
    assert_eq!(read_n(&mut client, 6).await, b"before");

    let pid = libc::pid_t::try_from(server.id().unwrap()).unwrap();
    // SAFETY: `kill` sends a signal to our own child, which is still running (not reaped).
    assert_eq!(unsafe { libc::kill(pid, signum) }, 0);
    let stopped = next_line(&mut lines).await;
    assert!(
        stopped.contains("stopped accepting; waiting for 1 open connection(s)"),
        "{stopped}"
    );

    // New connections are refused; the open one still works.
    assert!(TcpStream::connect(&addr).await.is_err());
    client.write_all(b"after").await.unwrap();
    assert_eq!(read_n(&mut client, 5).await, b"after");
    assert!(
        server.try_wait().unwrap().is_none(),
        "exited with a connection open"
    );

    drop(client);
    assert_eq!(next_line(&mut lines).await, "all connections closed; bye");
    let status = server.wait().await.unwrap();
    assert_eq!(status.code(), Some(0));
}

async fn next_line(lines: &mut Lines<BufReader<ChildStdout>>) -> String {
    lines
        .next_line()
        .await
        .unwrap()
        .expect("the server closed its stdout")
}

async fn read_n(client: &mut TcpStream, n: usize) -> Vec<u8> {
    let mut buf = vec![0; n];
    client.read_exact(&mut buf).await.unwrap();
    buf
}
