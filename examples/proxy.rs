//! A TCP proxy: forwards every connection on the listen address to the server address.
//!
//! `cargo run --example proxy [LISTEN] [SERVER]` (defaults 127.0.0.1:8082 and 127.0.0.1:8080).

use eddy::net::{TcpListener, TcpStream};

#[eddy::main]
async fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let listen = args.next().unwrap_or_else(|| "127.0.0.1:8082".into());
    let server = args.next().unwrap_or_else(|| "127.0.0.1:8080".into());
    let listener = TcpListener::bind(&listen).await?;
    println!("proxying {} to {server}", listener.local_addr()?);
    loop {
        let (mut inbound, peer) = listener.accept().await?;
        let server = server.clone();
        eddy::spawn(async move {
            let result = async {
                let mut outbound = TcpStream::connect(&server).await?;
                eddy::io::copy_bidirectional(&mut inbound, &mut outbound).await
            }
            .await;
            match result {
                Ok((up, down)) => println!("{peer}: {up} bytes up, {down} bytes down"),
                Err(error) => eprintln!("{peer}: {error}"),
            }
        });
    }
}
