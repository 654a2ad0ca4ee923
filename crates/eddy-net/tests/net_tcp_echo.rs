//! TCP echo over loopback: one connection, many concurrent ones, IPv4 and IPv6.

mod support;

use eddy_io::{AsyncReadExt, AsyncWriteExt};
use eddy_net::{TcpListener, TcpStream};
use std::future::Future;
use std::io::{Read, Write};
use std::net::SocketAddr;
use std::pin::Pin;
use support::{enter_blocking_threads, join2, join_all, on_thread, run};

/// Echoes everything it reads until end-of-file.
async fn echo(mut stream: TcpStream) -> usize {
    let mut buf = vec![0; 4096];
    let mut total = 0;
    loop {
        let n = stream.read(&mut buf).await.unwrap();
        if n == 0 {
            return total;
        }
        stream.write_all(&buf[..n]).await.unwrap();
        total += n;
    }
}

/// A server thread accepting `connections` connections and echoing each on one task set.
fn echo_server(addr: &str, connections: usize) -> (SocketAddr, std::thread::JoinHandle<usize>) {
    let std_listener = std::net::TcpListener::bind(addr).unwrap();
    let local = std_listener.local_addr().unwrap();
    let server = on_thread(move || async move {
        let listener = TcpListener::from_std(std_listener).unwrap();
        let mut sessions: Vec<Pin<Box<dyn Future<Output = usize>>>> = Vec::new();
        for _ in 0..connections {
            let (stream, peer) = listener.accept().await.unwrap();
            assert_eq!(peer, stream.peer_addr().unwrap());
            sessions.push(Box::pin(echo(stream)));
        }
        join_all(sessions).await.into_iter().sum()
    });
    (local, server)
}

#[test]
fn echo_with_a_blocking_std_client() {
    let (addr, server) = echo_server("127.0.0.1:0", 1);
    let mut client = std::net::TcpStream::connect(addr).unwrap();
    let message: Vec<u8> = (0..100_000u32).map(|i| i as u8).collect();
    let writer = {
        let mut client = client.try_clone().unwrap();
        let message = message.clone();
        std::thread::spawn(move || {
            client.write_all(&message).unwrap();
            client.shutdown(std::net::Shutdown::Write).unwrap();
        })
    };
    let mut echoed = Vec::new();
    client.read_to_end(&mut echoed).unwrap();
    writer.join().unwrap();
    assert_eq!(echoed, message);
    assert_eq!(server.join().unwrap(), message.len());
}

async fn echo_client(addr: SocketAddr, id: usize, rounds: usize) {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.set_nodelay(true).unwrap();
    for round in 0..rounds {
        let message = format!("client {id} round {round}");
        stream.write_all(message.as_bytes()).await.unwrap();
        let mut reply = vec![0; message.len()];
        stream.read_exact(&mut reply).await.unwrap();
        assert_eq!(reply, message.as_bytes());
    }
    stream.shutdown().await.unwrap();
    let mut rest = Vec::new();
    assert_eq!(stream.read_to_end(&mut rest).await.unwrap(), 0);
}

#[test]
fn a_thousand_concurrent_connections() {
    const CLIENTS: usize = 1000;
    let (addr, server) = echo_server("127.0.0.1:0", CLIENTS);
    let clients = on_thread(move || async move {
        let clients = (0..CLIENTS)
            .map(|id| Box::pin(echo_client(addr, id, 3)) as Pin<Box<dyn Future<Output = ()>>>)
            .collect();
        join_all(clients).await;
    });
    clients.join().unwrap();
    let expected: usize = (0..CLIENTS)
        .map(|id| {
            (0..3)
                .map(|r| format!("client {id} round {r}").len())
                .sum::<usize>()
        })
        .sum();
    assert_eq!(server.join().unwrap(), expected);
}

#[test]
fn large_messages_both_ways_on_one_reactor() {
    run(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let message: Vec<u8> = (0..(1 << 20)).map(|i: u32| (i % 251) as u8).collect();
        let client = async {
            let mut stream = TcpStream::connect(addr).await.unwrap();
            let (mut read, mut write) = stream.split();
            let send = async {
                write.write_all(&message).await.unwrap();
                write.shutdown().await.unwrap();
            };
            let receive = async {
                let mut echoed = Vec::new();
                read.read_to_end(&mut echoed).await.unwrap();
                echoed
            };
            let (_, echoed) = join2(send, receive).await;
            echoed
        };
        let server = async {
            let (stream, _) = listener.accept().await.unwrap();
            echo(stream).await
        };
        let (echoed, served) = join2(client, server).await;
        assert_eq!(served, message.len());
        assert!(echoed == message, "the echo differs from what was sent");
    });
}

#[test]
fn echo_over_ipv6_loopback() {
    if !support::has_ipv6_loopback() {
        eprintln!("skipped: this machine has no IPv6 loopback");
        return;
    }
    let (addr, server) = echo_server("[::1]:0", 4);
    assert!(addr.is_ipv6());
    let clients = on_thread(move || async move {
        let clients = (0..4)
            .map(|id| Box::pin(echo_client(addr, id, 5)) as Pin<Box<dyn Future<Output = ()>>>)
            .collect();
        join_all(clients).await;
    });
    clients.join().unwrap();
    assert!(server.join().unwrap() > 0);
}

#[test]
fn connect_by_host_name_resolves_on_the_blocking_hook() {
    let _pool = enter_blocking_threads();
    run(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let connect = TcpStream::connect(("localhost", port));
        let accept = listener.accept();
        let (client, server) = join2(connect, accept).await;
        // `localhost` may resolve to ::1 first; only 127.0.0.1 listens, so the v4 address won.
        let client = client.unwrap();
        let (server, _) = server.unwrap();
        assert_eq!(client.local_addr().unwrap(), server.peer_addr().unwrap());
    });
}
