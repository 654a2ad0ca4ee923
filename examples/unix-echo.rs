//! An echo server on a Unix socket.
//!
//! `cargo run --example unix-echo [PATH]` (default /tmp/eddy-echo.sock).

use eddy::io::{AsyncReadExt, AsyncWriteExt};
use eddy::net::UnixListener;

#[eddy::main]
async fn main() -> std::io::Result<()> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "/tmp/eddy-echo.sock".into());
    let _ = std::fs::remove_file(&path);
    let listener = UnixListener::bind(&path)?;
    println!("unix echo on {path}");
    loop {
        let (mut socket, _) = listener.accept().await?;
        eddy::spawn(async move {
            let mut buf = vec![0; 4096];
            while let Ok(n) = socket.read(&mut buf).await {
                if n == 0 || socket.write_all(&buf[..n]).await.is_err() {
                    return;
                }
            }
        });
    }
}
