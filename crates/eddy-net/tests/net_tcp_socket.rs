//! TcpSocket: options before connecting or listening.

mod support;

use eddy_io::{AsyncReadExt, AsyncWriteExt};
use eddy_net::{TcpSocket, TcpStream};
use std::net::SocketAddr;
use std::time::Duration;
use support::{join2, run};

#[test]
fn bind_listen_and_connect_v4() {
    run(async {
        let server = TcpSocket::new_v4().unwrap();
        server.set_reuseaddr(true).unwrap();
        assert!(server.reuseaddr().unwrap());
        server.bind("127.0.0.1:0".parse().unwrap()).unwrap();
        let addr = server.local_addr().unwrap();
        assert_ne!(addr.port(), 0);
        let listener = server.listen(128).unwrap();
        assert_eq!(listener.local_addr().unwrap(), addr);

        let client = TcpSocket::new_v4().unwrap();
        client.set_nodelay(true).unwrap();
        assert!(client.nodelay().unwrap());
        let (stream, accepted) = join2(client.connect(addr), listener.accept()).await;
        let mut stream: TcpStream = stream.unwrap();
        let (mut accepted, _) = accepted.unwrap();
        stream.write_all(b"via TcpSocket").await.unwrap();
        let mut got = [0; 13];
        accepted.read_exact(&mut got).await.unwrap();
        assert_eq!(&got, b"via TcpSocket");
    });
}

#[test]
fn reuseport_lets_two_listeners_share_a_port() {
    run(async {
        let first = TcpSocket::new_v4().unwrap();
        first.set_reuseport(true).unwrap();
        assert!(first.reuseport().unwrap());
        first.bind("127.0.0.1:0".parse().unwrap()).unwrap();
        let addr = first.local_addr().unwrap();
        let second = TcpSocket::new_v4().unwrap();
        second.set_reuseport(true).unwrap();
        second.bind(addr).unwrap();
        let _first = first.listen(16).unwrap();
        let _second = second.listen(16).unwrap();
    });
}

#[test]
fn buffer_sizes_keepalive_and_linger() {
    let socket = TcpSocket::new_v4().unwrap();
    socket.set_send_buffer_size(64 * 1024).unwrap();
    socket.set_recv_buffer_size(64 * 1024).unwrap();
    // Linux doubles the value it was given for its bookkeeping.
    assert!(socket.send_buffer_size().unwrap() >= 64 * 1024);
    assert!(socket.recv_buffer_size().unwrap() >= 64 * 1024);
    socket.set_keepalive(true).unwrap();
    assert!(socket.keepalive().unwrap());
    #[allow(deprecated)]
    socket.set_linger(Some(Duration::from_secs(1))).unwrap();
    assert_eq!(socket.linger().unwrap(), Some(Duration::from_secs(1)));
    socket.set_zero_linger().unwrap();
    assert_eq!(socket.linger().unwrap(), Some(Duration::ZERO));
    socket.set_tos_v4(0x10).unwrap();
    assert_eq!(socket.tos_v4().unwrap(), 0x10);
}

#[test]
fn ipv6_traffic_class() {
    let Ok(socket) = TcpSocket::new_v6() else {
        return; // No IPv6 on this machine: nothing to set.
    };
    socket.set_tclass_v6(0x20).unwrap();
    assert_eq!(socket.tclass_v6().unwrap(), 0x20);
}

#[test]
fn binding_a_taken_address_is_an_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let socket = TcpSocket::new_v4().unwrap();
    let error = socket.bind(taken.local_addr().unwrap()).unwrap_err();
    assert_eq!(error.kind(), std::io::ErrorKind::AddrInUse);
}

#[test]
fn connect_v6_when_available() {
    if !support::has_ipv6_loopback() {
        eprintln!("skipped: this machine has no IPv6 loopback");
        return;
    }
    run(async {
        let server = TcpSocket::new_v6().unwrap();
        server.bind("[::1]:0".parse().unwrap()).unwrap();
        let addr: SocketAddr = server.local_addr().unwrap();
        let listener = server.listen(8).unwrap();
        let client = TcpSocket::new_v6().unwrap();
        let (stream, accepted) = join2(client.connect(addr), listener.accept()).await;
        let (_accepted, peer) = accepted.unwrap();
        let stream = stream.unwrap();
        assert_eq!(stream.local_addr().unwrap(), peer);
    });
}

#[test]
fn connect_refused_via_socket() {
    run(async {
        let addr = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let error = TcpSocket::new_v4()
            .unwrap()
            .connect(addr)
            .await
            .unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::ConnectionRefused);
    });
}
