//! Every socket, half and future is `Send`/`Sync` where Tokio's is: checked at compile time,
//! and the check runs as a test so a regression fails the suite.

use eddy_net::tcp::{OwnedReadHalf, OwnedWriteHalf, ReadHalf, ReuniteError, WriteHalf};
use eddy_net::unix::{self, UCred};
use eddy_net::{
    TcpListener, TcpSocket, TcpStream, UdpSocket, UnixDatagram, UnixListener, UnixStream,
};
use eddy_reactor::{AsyncFd, Interest};
use std::os::unix::net::UnixStream as StdUnixStream;

fn send_sync<T: Send + Sync>() {}
fn send<T: Send>(_: &T) {}

#[test]
fn sockets_and_halves_are_send_and_sync() {
    send_sync::<TcpListener>();
    send_sync::<TcpStream>();
    send_sync::<TcpSocket>();
    send_sync::<UdpSocket>();
    send_sync::<UnixListener>();
    send_sync::<UnixStream>();
    send_sync::<UnixDatagram>();
    send_sync::<OwnedReadHalf>();
    send_sync::<OwnedWriteHalf>();
    send_sync::<ReadHalf<'static>>();
    send_sync::<WriteHalf<'static>>();
    send_sync::<ReuniteError>();
    send_sync::<unix::OwnedReadHalf>();
    send_sync::<unix::OwnedWriteHalf>();
    send_sync::<unix::SocketAddr>();
    send_sync::<UCred>();
    send_sync::<AsyncFd<StdUnixStream>>();
    send_sync::<eddy_reactor::driver::Handle>();
    send_sync::<eddy_reactor::driver::Driver>();
}

/// Never called: only compiled, so the futures' auto traits are checked.
#[allow(dead_code, unreachable_code, clippy::diverging_sub_expression)]
async fn futures_are_send(
    listener: TcpListener,
    stream: TcpStream,
    udp: UdpSocket,
    unix_listener: UnixListener,
    fd: AsyncFd<StdUnixStream>,
) {
    let mut buf = [0u8; 4];
    send(&TcpListener::bind("127.0.0.1:0"));
    send(&TcpStream::connect("127.0.0.1:0"));
    send(
        &TcpSocket::new_v4()
            .unwrap()
            .connect("127.0.0.1:0".parse().unwrap()),
    );
    send(&listener.accept());
    send(&stream.peek(&mut buf));
    send(&stream.ready(Interest::READABLE));
    send(&stream.readable());
    send(&udp.recv_from(&mut buf));
    send(&udp.send_to(b"x", "127.0.0.1:0"));
    send(&unix_listener.accept());
    send(&UnixStream::connect("/nonexistent"));
    send(&fd.readable());
    send(&eddy_net::lookup_host("localhost:0"));
}
