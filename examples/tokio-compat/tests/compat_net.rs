//! The networking issue's acceptance program: the seed echo server, unchanged Tokio code, with
//! 200 concurrent clients.

use std::net::SocketAddr;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

async fn seed_server(listener: TcpListener) {
    tokio::spawn(async {
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        println!("Task done");
    });
    loop {
        let (mut socket, _) = listener.accept().await.unwrap();
        tokio::spawn(async move {
            let mut buf = vec![0; 1024];
            loop {
                let n = match socket.read(&mut buf).await {
                    Ok(0) => return,
                    Ok(n) => n,
                    Err(_) => return,
                };
                if socket.write_all(&buf[0..n]).await.is_err() {
                    return;
                }
            }
        });
    }
}

async fn client(addr: SocketAddr, id: usize) {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    for round in 0..10 {
        let message = format!("client {id} round {round}");
        stream.write_all(message.as_bytes()).await.unwrap();
        let mut echo = vec![0; message.len()];
        stream.read_exact(&mut echo).await.unwrap();
        assert_eq!(echo, message.as_bytes());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_clients_echo_correctly() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(seed_server(listener));
    let clients: Vec<_> = (0..200).map(|id| tokio::spawn(client(addr, id))).collect();
    for client in clients {
        client.await.unwrap();
    }
}
