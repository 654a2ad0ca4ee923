//! A UDP echo server: every datagram goes back to its sender.
//!
//! `cargo run --example udp-echo [ADDR]` (default 127.0.0.1:8083).

use eddy::net::UdpSocket;

#[eddy::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8083".into());
    let socket = UdpSocket::bind(&addr).await?;
    println!("udp echo on {}", socket.local_addr()?);
    let mut buf = vec![0; 64 * 1024];
    loop {
        let (len, peer) = socket.recv_from(&mut buf).await?;
        socket.send_to(&buf[..len], peer).await?;
    }
}
