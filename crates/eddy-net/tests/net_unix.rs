//! Unix domain sockets: streams, pairs, credentials, halves and datagrams.

mod support;

use eddy_io::{AsyncReadExt, AsyncWriteExt};
use eddy_net::{UnixDatagram, UnixListener, UnixStream};
use std::io::{Read, Write};
use std::path::PathBuf;
use support::{join2, run};

/// A fresh socket path in the temp directory, removed when dropped.
struct SocketPath(PathBuf);

impl SocketPath {
    fn new(name: &str) -> SocketPath {
        let path = std::env::temp_dir().join(format!("eddy-{}-{name}.sock", std::process::id()));
        let _ = std::fs::remove_file(&path);
        SocketPath(path)
    }
}

impl Drop for SocketPath {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[test]
fn listener_accepts_and_echoes() {
    let path = SocketPath::new("echo");
    run(async {
        let listener = UnixListener::bind(&path.0).unwrap();
        assert_eq!(
            listener.local_addr().unwrap().as_pathname(),
            Some(path.0.as_path())
        );
        let (client, accepted) = join2(UnixStream::connect(&path.0), listener.accept()).await;
        let mut client = client.unwrap();
        let (mut server, addr) = accepted.unwrap();
        assert!(addr.is_unnamed());
        client.write_all(b"over unix").await.unwrap();
        client.shutdown().await.unwrap();
        let mut got = Vec::new();
        server.read_to_end(&mut got).await.unwrap();
        assert_eq!(got, b"over unix");
        server.write_all(b"bye").await.unwrap();
        drop(server);
        let mut reply = Vec::new();
        client.read_to_end(&mut reply).await.unwrap();
        assert_eq!(reply, b"bye");
    });
}

#[test]
fn pair_peer_cred_and_halves() {
    run(async {
        let (a, mut b) = UnixStream::pair().unwrap();
        let cred = a.peer_cred().unwrap();
        assert_eq!(cred.pid(), Some(std::process::id() as i32));
        // Our own user id, as /proc reports it.
        let status = std::fs::read_to_string("/proc/self/status").unwrap();
        let uid: u32 = status
            .lines()
            .find_map(|line| line.strip_prefix("Uid:"))
            .and_then(|ids| ids.split_whitespace().nth(1))
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(cred.uid(), uid);

        let (mut read, mut write) = a.into_split();
        write.write_all(b"to b").await.unwrap();
        let mut got = [0; 4];
        b.read_exact(&mut got).await.unwrap();
        assert_eq!(&got, b"to b");
        b.write_all(b"to a").await.unwrap();
        read.read_exact(&mut got).await.unwrap();
        assert_eq!(&got, b"to a");
        let mut a = read.reunite(write).unwrap();
        let (mut r, mut w) = a.split();
        w.write_all(b"x").await.unwrap();
        b.read_exact(&mut got[..1]).await.unwrap();
        b.write_all(b"y").await.unwrap();
        r.read_exact(&mut got[..1]).await.unwrap();
        assert_eq!(got[0], b'y');
    });
}

#[test]
fn std_peer_on_a_socketpair() {
    run(async {
        let (ours, mut theirs) = std::os::unix::net::UnixStream::pair().unwrap();
        let mut ours = UnixStream::from_std(ours).unwrap();
        let writer = std::thread::spawn(move || {
            for i in 0..1000u32 {
                theirs.write_all(&i.to_le_bytes()).unwrap();
            }
            let mut ack = [0; 3];
            theirs.read_exact(&mut ack).unwrap();
            ack
        });
        for i in 0..1000u32 {
            let mut word = [0; 4];
            ours.read_exact(&mut word).await.unwrap();
            assert_eq!(u32::from_le_bytes(word), i);
        }
        ours.write_all(b"ack").await.unwrap();
        assert_eq!(&writer.join().unwrap(), b"ack");
    });
}

#[test]
fn connecting_to_a_missing_path_is_an_error() {
    run(async {
        let path = SocketPath::new("missing");
        let error = UnixStream::connect(&path.0).await.unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::NotFound);
    });
}

#[test]
fn datagrams_by_path_and_by_pair() {
    let a_path = SocketPath::new("dgram-a");
    let b_path = SocketPath::new("dgram-b");
    run(async {
        let a = UnixDatagram::bind(&a_path.0).unwrap();
        let b = UnixDatagram::bind(&b_path.0).unwrap();
        a.send_to(b"hello b", &b_path.0).await.unwrap();
        let mut buf = [0; 16];
        let (n, from) = b.recv_from(&mut buf).await.unwrap();
        assert_eq!(&buf[..n], b"hello b");
        assert_eq!(from.as_pathname(), Some(a_path.0.as_path()));

        let (x, y) = UnixDatagram::pair().unwrap();
        x.send(b"paired").await.unwrap();
        let n = y.recv(&mut buf).await.unwrap();
        assert_eq!(&buf[..n], b"paired");

        let unbound = UnixDatagram::unbound().unwrap();
        unbound.connect(&b_path.0).unwrap();
        unbound.send(b"from unbound").await.unwrap();
        let (n, from) = b.recv_from(&mut buf).await.unwrap();
        assert_eq!(&buf[..n], b"from unbound");
        assert!(from.is_unnamed());
    });
}

#[test]
fn unix_socket_becomes_a_listener_a_stream_or_a_datagram() {
    use eddy_net::UnixSocket;

    run(async {
        let path = SocketPath::new("unix-socket");
        let socket = UnixSocket::new_stream().unwrap();
        socket.bind(&path.0).unwrap();
        let listener = socket.listen(8).unwrap();
        let client = UnixSocket::new_stream().unwrap().connect(&path.0);
        let (client, accepted) = join2(client, listener.accept()).await;
        let (mut client, (mut server, _)) = (client.unwrap(), accepted.unwrap());
        client.write_all(b"via UnixSocket").await.unwrap();
        let mut buf = [0; 14];
        server.read_exact(&mut buf).await.unwrap();
        assert_eq!(&buf, b"via UnixSocket");

        // A stream socket is not a datagram socket, nor the reverse.
        let error = UnixSocket::new_stream().unwrap().datagram().unwrap_err();
        assert_eq!(
            error.to_string(),
            "datagram cannot be called on a stream socket"
        );
        let error = UnixSocket::new_datagram().unwrap().listen(1).unwrap_err();
        assert_eq!(
            error.to_string(),
            "listen cannot be called on a datagram socket"
        );

        let path = SocketPath::new("unix-socket-datagram");
        let socket = UnixSocket::new_datagram().unwrap();
        socket.bind(&path.0).unwrap();
        let receiver = socket.datagram().unwrap();
        let sender = UnixDatagram::unbound().unwrap();
        sender.send_to(b"dgram", &path.0).await.unwrap();
        let mut buf = Vec::with_capacity(16);
        let (n, _) = receiver.recv_buf_from(&mut buf).await.unwrap();
        assert_eq!((n, &buf[..]), (5, &b"dgram"[..]));
    });
}

#[cfg(target_os = "linux")]
#[test]
fn abstract_addresses_bind_and_connect() {
    use std::os::linux::net::SocketAddrExt;

    run(async {
        let name = format!("eddy-abstract-{}", std::process::id());
        let addr = std::os::unix::net::SocketAddr::from_abstract_name(name.as_bytes()).unwrap();
        let listener = UnixListener::bind_addr(&addr).unwrap();
        let local = listener.local_addr().unwrap();
        assert_eq!(local.as_abstract_name(), Some(name.as_bytes()));
        let (client, accepted) = join2(UnixStream::connect_addr(&addr), listener.accept()).await;
        let (client, (mut server, _)) = (client.unwrap(), accepted.unwrap());
        server.write_all(b"abstract").await.unwrap();
        let mut buf = Vec::with_capacity(8);
        while buf.len() < 8 {
            client.readable().await.unwrap();
            match client.try_read_buf(&mut buf) {
                Ok(n) => assert!(n > 0),
                Err(error) => assert_eq!(error.kind(), std::io::ErrorKind::WouldBlock),
            }
        }
        assert_eq!(buf, b"abstract");

        // A path starting with a NUL byte names the same namespace.
        let path = format!("\0{name}-by-path");
        let listener = UnixListener::bind(&path).unwrap();
        let (client, accepted) = join2(UnixStream::connect(&path), listener.accept()).await;
        client.unwrap();
        let (_, peer) = accepted.unwrap();
        assert!(peer.is_unnamed());
        let local = listener.local_addr().unwrap();
        let expected = format!("{name}-by-path");
        assert_eq!(local.as_abstract_name(), Some(expected.as_bytes()));
    });
}

#[test]
fn datagram_recv_buf_and_readiness_polls() {
    run(async {
        let (a, b) = UnixDatagram::pair().unwrap();
        std::future::poll_fn(|cx| a.poll_send_ready(cx))
            .await
            .unwrap();
        a.send(b"one").await.unwrap();
        a.send(b"two").await.unwrap();
        std::future::poll_fn(|cx| b.poll_recv_ready(cx))
            .await
            .unwrap();
        let mut buf = Vec::with_capacity(8);
        assert_eq!(b.try_recv_buf(&mut buf).unwrap(), 3);
        assert_eq!(b.recv_buf(&mut buf).await.unwrap(), 3);
        assert_eq!(buf, b"onetwo");
        let error = b.try_recv_buf(&mut buf).unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::WouldBlock);
    });
}

#[test]
fn a_fresh_pair_is_writable_at_once() {
    run(async {
        let (a, _b) = UnixStream::pair().unwrap();
        assert_eq!(a.try_write(b"now").unwrap(), 3);
        let (a, _b) = UnixDatagram::pair().unwrap();
        assert_eq!(a.try_send(b"now").unwrap(), 3);
    });
}
