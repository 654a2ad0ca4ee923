//! TcpStream behaviour: half-close, reset, zero-byte reads, peek, try_*, halves, options.

mod support;

use eddy_io::{AsyncReadExt, AsyncWriteExt, ReadBuf};
use eddy_net::{TcpListener, TcpStream};
use eddy_reactor::Interest;
use std::io::{self, Read, Write};
use std::time::Duration;
use support::{enter_blocking_threads, run};

/// A connected pair: (eddy stream, std blocking peer).
async fn pair_with_std_peer() -> (TcpStream, std::net::TcpStream) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let stream = TcpStream::connect(addr).await.unwrap();
    let (peer, _) = listener.accept().unwrap();
    (stream, peer)
}

/// A connected pair of eddy streams.
async fn pair() -> (TcpStream, TcpStream) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let peer = std::thread::spawn(move || std::net::TcpStream::connect(addr).unwrap());
    let (server, _) = listener.accept().await.unwrap();
    let client = TcpStream::from_std(peer.join().unwrap()).unwrap();
    (client, server)
}

#[test]
fn half_close_lets_the_other_direction_go_on() {
    run(async {
        let (mut stream, mut peer) = pair_with_std_peer().await;
        stream.write_all(b"request").await.unwrap();
        stream.shutdown().await.unwrap();
        let mut request = Vec::new();
        peer.read_to_end(&mut request).unwrap();
        assert_eq!(request, b"request");
        // The read side is still open.
        peer.write_all(b"response").unwrap();
        drop(peer);
        let mut response = Vec::new();
        stream.read_to_end(&mut response).await.unwrap();
        assert_eq!(response, b"response");
        // Writing after our own shutdown fails with an error, not a panic.
        assert!(stream.write_all(b"more").await.is_err());
    });
}

#[test]
fn peer_reset_is_an_error() {
    run(async {
        let (mut stream, peer) = pair_with_std_peer().await;
        // Linger 0 makes the close send a reset instead of a FIN.
        let peer = TcpStream::from_std(peer).unwrap();
        peer.set_zero_linger().unwrap();
        assert_eq!(peer.linger().unwrap(), Some(Duration::ZERO));
        drop(peer);
        let mut buf = [0; 16];
        let error = stream.read(&mut buf).await.unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::ConnectionReset);
    });
}

#[test]
fn zero_byte_reads() {
    run(async {
        let (mut stream, mut peer) = pair_with_std_peer().await;
        peer.write_all(b"x").unwrap();
        // A read into an empty buffer returns 0 and consumes nothing.
        stream.readable().await.unwrap();
        assert_eq!(stream.read(&mut []).await.unwrap(), 0);
        let mut one = [0; 1];
        assert_eq!(stream.read(&mut one).await.unwrap(), 1);
        assert_eq!(&one, b"x");
        // End-of-file is a read of zero bytes into a non-empty buffer, every time.
        drop(peer);
        assert_eq!(stream.read(&mut one).await.unwrap(), 0);
        assert_eq!(stream.read(&mut one).await.unwrap(), 0);
    });
}

#[test]
fn peek_leaves_the_data_queued() {
    run(async {
        let (mut stream, mut peer) = pair_with_std_peer().await;
        peer.write_all(b"hello").unwrap();
        let mut buf = [0; 5];
        let mut peeked = 0;
        while peeked < 5 {
            peeked = stream.peek(&mut buf).await.unwrap();
        }
        assert_eq!(&buf, b"hello");
        let mut storage = [0; 5];
        let mut read_buf = ReadBuf::new(&mut storage);
        let n = std::future::poll_fn(|cx| stream.poll_peek(cx, &mut read_buf))
            .await
            .unwrap();
        assert_eq!(n, 5);
        assert_eq!(read_buf.filled(), b"hello");
        let mut read = [0; 5];
        stream.read_exact(&mut read).await.unwrap();
        assert_eq!(&read, b"hello");
    });
}

#[test]
fn try_read_and_try_write_after_readiness() {
    run(async {
        let (stream, mut peer) = pair_with_std_peer().await;
        let mut buf = [0; 8];
        assert_eq!(
            stream.try_read(&mut buf).unwrap_err().kind(),
            io::ErrorKind::WouldBlock
        );
        stream.writable().await.unwrap();
        assert_eq!(stream.try_write(b"abc").unwrap(), 3);
        let mut got = [0; 3];
        peer.read_exact(&mut got).unwrap();
        assert_eq!(&got, b"abc");

        peer.write_all(b"xyz").unwrap();
        let n = loop {
            let ready = stream.ready(Interest::READABLE).await.unwrap();
            assert!(ready.is_readable());
            match stream.try_read(&mut buf) {
                Ok(n) => break n,
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => continue,
                Err(error) => panic!("{error}"),
            }
        };
        assert_eq!(&buf[..n], b"xyz");

        peer.write_all(b"vector").unwrap();
        let (mut first, mut second) = ([0; 3], [0; 3]);
        let n = loop {
            stream.readable().await.unwrap();
            let mut bufs = [
                io::IoSliceMut::new(&mut first),
                io::IoSliceMut::new(&mut second),
            ];
            match stream.try_read_vectored(&mut bufs) {
                Ok(n) => break n,
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => continue,
                Err(error) => panic!("{error}"),
            }
        };
        assert_eq!(n, 6);
        assert_eq!((&first, &second), (b"vec", b"tor"));
    });
}

#[test]
fn filling_the_send_buffer_waits_for_the_peer() {
    run(async {
        let (mut stream, mut peer) = pair_with_std_peer().await;
        // Write until the kernel buffers are full, then let the peer drain on a thread.
        let chunk = vec![7u8; 64 * 1024];
        let mut written = 0;
        loop {
            match stream.try_write(&chunk) {
                Ok(n) => written += n,
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => break,
                Err(error) => panic!("{error}"),
            }
            if written > 64 << 20 {
                panic!("the send buffer never filled");
            }
        }
        let total = written + chunk.len();
        let reader = std::thread::spawn(move || {
            let mut received = vec![0; total];
            peer.read_exact(&mut received).unwrap();
            received.iter().all(|&b| b == 7)
        });
        stream.write_all(&chunk).await.unwrap();
        assert!(reader.join().unwrap());
    });
}

#[test]
fn borrowed_halves_work_at_once() {
    run(async {
        let (mut stream, mut peer) = pair_with_std_peer().await;
        let (mut read, mut write) = stream.split();
        assert_eq!(read.peer_addr().unwrap(), write.peer_addr().unwrap());
        write.write_all(b"ping").await.unwrap();
        let mut got = [0; 4];
        peer.read_exact(&mut got).unwrap();
        peer.write_all(b"pong").unwrap();
        read.read_exact(&mut got).await.unwrap();
        assert_eq!(&got, b"pong");
    });
}

#[test]
fn owned_halves_reunite() {
    run(async {
        let (a, b) = pair().await;
        let (a_read, a_write) = a.into_split();
        let (b_read, b_write) = b.into_split();
        let error = a_read.reunite(b_write).unwrap_err();
        assert!(error.to_string().contains("not from the same socket"));
        let eddy_net::tcp::ReuniteError(a_read, b_write) = error;
        let mut a = a_read.reunite(a_write).unwrap();
        let mut b = b_write.reunite(b_read).unwrap();
        a.write_all(b"whole again").await.unwrap();
        let mut got = [0; 11];
        b.read_exact(&mut got).await.unwrap();
        assert_eq!(&got, b"whole again");
    });
}

#[test]
fn dropping_the_owned_write_half_shuts_down_writes() {
    run(async {
        let (stream, mut peer) = pair_with_std_peer().await;
        let (mut read, mut write) = stream.into_split();
        write.write_all(b"last words").await.unwrap();
        drop(write);
        let mut got = Vec::new();
        peer.read_to_end(&mut got).unwrap();
        assert_eq!(got, b"last words");
        peer.write_all(b"reply").unwrap();
        let mut reply = [0; 5];
        read.read_exact(&mut reply).await.unwrap();
        assert_eq!(&reply, b"reply");
    });
}

#[test]
fn socket_options_round_trip() {
    run(async {
        let (stream, _peer) = pair_with_std_peer().await;
        stream.set_nodelay(true).unwrap();
        assert!(stream.nodelay().unwrap());
        stream.set_ttl(42).unwrap();
        assert_eq!(stream.ttl().unwrap(), 42);
        // Deprecated (a timeout blocks the dropping thread), still honoured.
        #[allow(deprecated)]
        stream.set_linger(Some(Duration::from_secs(3))).unwrap();
        assert_eq!(stream.linger().unwrap(), Some(Duration::from_secs(3)));
        #[allow(deprecated)]
        stream.set_linger(None).unwrap();
        assert_eq!(stream.linger().unwrap(), None);
        #[cfg(target_os = "linux")]
        {
            stream.set_quickack(true).unwrap();
            assert!(stream.quickack().unwrap());
            stream.set_quickack(false).unwrap();
            assert!(!stream.quickack().unwrap());
        }
        assert!(stream.take_error().unwrap().is_none());
    });
}

#[test]
fn std_round_trip_keeps_the_connection() {
    run(async {
        let (stream, mut peer) = pair_with_std_peer().await;
        let mut std_stream = stream.into_std().unwrap();
        std_stream.write_all(b"via std").unwrap();
        let mut got = [0; 7];
        peer.read_exact(&mut got).unwrap();
        assert_eq!(&got, b"via std");
        let mut stream = TcpStream::from_std(std_stream).unwrap();
        peer.write_all(b"back").unwrap();
        let mut back = [0; 4];
        stream.read_exact(&mut back).await.unwrap();
        assert_eq!(&back, b"back");
    });
}

#[test]
fn connection_refused_is_an_error() {
    run(async {
        // Bind then drop, so the port is (almost certainly) closed.
        let addr = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let error = TcpStream::connect(addr).await.unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::ConnectionRefused);
    });
}

#[test]
fn unresolvable_names_are_errors() {
    // Names resolve on the blocking pool, which a bare reactor lacks: install one.
    let _pool = enter_blocking_threads();
    run(async {
        let error = TcpStream::connect("this-host-does-not-exist.invalid:80")
            .await
            .unwrap_err();
        assert_ne!(error.kind(), io::ErrorKind::WouldBlock);
        assert!(TcpListener::bind("not an address").await.is_err());
    });
}

#[test]
fn sockets_are_close_on_exec() {
    run(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let (stream, _peer) = pair_with_std_peer().await;
        let socket = eddy_net::TcpSocket::new_v4().unwrap();
        for fd in [
            std::os::fd::AsRawFd::as_raw_fd(&listener),
            std::os::fd::AsRawFd::as_raw_fd(&stream),
            std::os::fd::AsRawFd::as_raw_fd(&socket),
        ] {
            let flags = std::fs::read_to_string(format!("/proc/self/fdinfo/{fd}")).unwrap();
            let flags = flags
                .lines()
                .find_map(|line| line.strip_prefix("flags:"))
                .map(|value| u32::from_str_radix(value.trim(), 8).unwrap())
                .unwrap();
            const O_NONBLOCK: u32 = 0o4000;
            const O_CLOEXEC: u32 = 0o2_000_000;
            assert_eq!(flags & O_NONBLOCK, O_NONBLOCK, "fd {fd} is blocking");
            assert_eq!(flags & O_CLOEXEC, O_CLOEXEC, "fd {fd} is not close-on-exec");
        }
    });
}

#[test]
fn an_accepted_stream_reads_queued_bytes_without_an_event() {
    run(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let mut client = std::net::TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        client.write_all(b"early").unwrap();
        let (stream, _) = listener.accept().await.unwrap();
        // Wait (without the reactor) until the bytes are queued on the accepted socket.
        let mut peek = [0; 5];
        let view = std_view(&stream);
        while view.peek(&mut peek).unwrap_or(0) < 5 {
            std::thread::yield_now();
        }
        // No event was dispatched for the new socket, yet `try_read` tries the syscall.
        let mut buf = [0; 16];
        let n = stream
            .try_read(&mut buf)
            .expect("assumed readable when accepted");
        assert_eq!(&buf[..n], b"early");
        assert_eq!(stream.try_write(b"late").unwrap(), 4);
    });
}

/// A std view of `stream`'s socket (a duplicate descriptor), for calls that bypass the reactor.
fn std_view(stream: &TcpStream) -> std::net::TcpStream {
    use std::os::fd::AsFd;
    std::net::TcpStream::from(stream.as_fd().try_clone_to_owned().unwrap())
}
