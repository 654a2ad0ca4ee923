// The seed program: a task that sleeps then reports, and a TCP echo server on 127.0.0.1:8080
// that spawns a task per connection.
//
// `cargo run --example echo`, then `cargo run --example echo-client` (or `nc 127.0.0.1 8080`).
//
// The accept loop survives running out of file descriptors. `accept` then fails at once with
// `EMFILE` (or `ENFILE`), while the connection stays queued in the kernel and the listener
// stays ready: retrying at once would spin, and returning the error would stop the server. So
// the loop logs, sleeps a little and tries again; once connections close and descriptors are
// free, the queued clients are accepted and served. Errors that concern one connection only
// (it was reset before we took it) are skipped.

use eddy::io::{AsyncReadExt, AsyncWriteExt};
use eddy::net::{TcpListener, TcpStream};
use std::io;
use std::net::SocketAddr;
use std::time::Duration;

#[eddy::main]
pub async fn main() -> std::io::Result<()> {
    eddy::spawn(async {
        eddy::time::sleep(Duration::from_millis(500)).await;
        println!("Task done");
    });

    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8080".into());
    let listener = TcpListener::bind(&addr).await?;
    println!("echo server listening on {}", listener.local_addr()?);
    loop {
        let (socket, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(error) if is_out_of_resources(&error) => {
                eprintln!("accept: {error}; retrying in 100 ms");
                eddy::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
            Err(error) if is_per_connection(&error) => continue,
            Err(error) => return Err(error),
        };
        eddy::spawn(echo(socket, peer));
    }
}

/// The process or the system has no descriptors (or memory) left: wait for some to be freed.
fn is_out_of_resources(error: &io::Error) -> bool {
    matches!(
        error.raw_os_error(),
        Some(libc::EMFILE | libc::ENFILE | libc::ENOBUFS | libc::ENOMEM)
    )
}

/// The failure concerns the one connection being accepted, not the listener.
fn is_per_connection(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::ConnectionAborted | io::ErrorKind::ConnectionReset
    )
}

async fn echo(mut socket: TcpStream, peer: SocketAddr) {
    let mut buf = vec![0; 4096];
    loop {
        match socket.read(&mut buf).await {
            Ok(0) => return,
            Ok(n) => {
                if let Err(error) = socket.write_all(&buf[..n]).await {
                    eprintln!("{peer}: write failed: {error}");
                    return;
                }
            }
            Err(error) => {
                eprintln!("{peer}: read failed: {error}");
                return;
            }
        }
    }
}
