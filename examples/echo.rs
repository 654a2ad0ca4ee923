// The seed program: a task that sleeps then reports, and a TCP echo server on 127.0.0.1:8080
// that spawns a task per connection.
//
// `cargo run --example echo`, then `cargo run --example echo-client` (or `nc 127.0.0.1 8080`).

use eddy::io::{AsyncReadExt, AsyncWriteExt};
use eddy::net::TcpListener;
use std::time::Duration;

#[eddy::main]
async fn main() -> std::io::Result<()> {
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
        let (mut socket, peer) = listener.accept().await?;
        eddy::spawn(async move {
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
        });
    }
}
