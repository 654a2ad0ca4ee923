//! UdpSocket: datagrams over loopback.

mod support;

use eddy_io::ReadBuf;
use eddy_net::UdpSocket;
use std::io;
use std::net::Ipv4Addr;
use support::run;

#[test]
fn send_to_and_recv_from() {
    run(async {
        let a = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let b = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let b_addr = b.local_addr().unwrap();
        assert_eq!(a.send_to(b"datagram", b_addr).await.unwrap(), 8);
        let mut buf = [0; 32];
        let (n, from) = b.peek_from(&mut buf).await.unwrap();
        assert_eq!(
            (&buf[..n], from),
            (&b"datagram"[..], a.local_addr().unwrap())
        );
        assert_eq!(b.peek_sender().await.unwrap(), from);
        let (n, from) = b.recv_from(&mut buf).await.unwrap();
        assert_eq!(
            (&buf[..n], from),
            (&b"datagram"[..], a.local_addr().unwrap())
        );
        assert_eq!(
            b.try_recv_from(&mut buf).unwrap_err().kind(),
            io::ErrorKind::WouldBlock
        );
    });
}

#[test]
fn connected_send_and_recv() {
    run(async {
        let a = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let b = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        a.connect(b.local_addr().unwrap()).await.unwrap();
        b.connect(a.local_addr().unwrap()).await.unwrap();
        assert_eq!(a.peer_addr().unwrap(), b.local_addr().unwrap());
        for i in 0..100u8 {
            a.send(&[i; 10]).await.unwrap();
        }
        let mut buf = [0; 10];
        for i in 0..100u8 {
            assert_eq!(b.recv(&mut buf).await.unwrap(), 10);
            assert_eq!(buf, [i; 10]);
        }
        b.writable().await.unwrap();
        b.try_send(b"back").unwrap();
        a.readable().await.unwrap();
        let mut storage = [0; 8];
        let mut read_buf = ReadBuf::new(&mut storage);
        std::future::poll_fn(|cx| a.poll_recv(cx, &mut read_buf))
            .await
            .unwrap();
        assert_eq!(read_buf.filled(), b"back");
    });
}

#[test]
fn poll_send_to_and_poll_recv_from() {
    run(async {
        let a = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let b = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let to = b.local_addr().unwrap();
        std::future::poll_fn(|cx| a.poll_send_to(cx, b"polled", to))
            .await
            .unwrap();
        let mut storage = [0; 16];
        let mut read_buf = ReadBuf::new(&mut storage);
        let from = std::future::poll_fn(|cx| b.poll_recv_from(cx, &mut read_buf))
            .await
            .unwrap();
        assert_eq!(from, a.local_addr().unwrap());
        assert_eq!(read_buf.filled(), b"polled");
    });
}

#[test]
fn datagrams_from_another_thread_wake_the_receiver() {
    run(async {
        let socket = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let addr = socket.local_addr().unwrap();
        let sender = std::thread::spawn(move || {
            let std_socket = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
            for i in 0..50u8 {
                std_socket.send_to(&[i], addr).unwrap();
            }
        });
        let mut buf = [0; 1];
        for i in 0..50u8 {
            socket.recv_from(&mut buf).await.unwrap();
            assert_eq!(buf[0], i);
        }
        sender.join().unwrap();
    });
}

#[test]
fn options_broadcast_multicast_ttl() {
    run(async {
        let socket = UdpSocket::bind("0.0.0.0:0").await.unwrap();
        socket.set_broadcast(true).unwrap();
        assert!(socket.broadcast().unwrap());
        socket.set_ttl(17).unwrap();
        assert_eq!(socket.ttl().unwrap(), 17);
        socket.set_multicast_ttl_v4(3).unwrap();
        assert_eq!(socket.multicast_ttl_v4().unwrap(), 3);
        socket.set_multicast_loop_v4(false).unwrap();
        assert!(!socket.multicast_loop_v4().unwrap());
        let group = Ipv4Addr::new(239, 255, 0, 1);
        // Joining needs a multicast-capable interface; report the OS's answer either way.
        match socket.join_multicast_v4(group, Ipv4Addr::UNSPECIFIED) {
            Ok(()) => socket
                .leave_multicast_v4(group, Ipv4Addr::UNSPECIFIED)
                .unwrap(),
            Err(error) => assert_ne!(error.kind(), io::ErrorKind::WouldBlock),
        }
        assert!(socket.take_error().unwrap().is_none());
    });
}

#[test]
fn ipv6_when_available() {
    if !support::has_ipv6_loopback() {
        eprintln!("skipped: this machine has no IPv6 loopback");
        return;
    }
    run(async {
        let a = UdpSocket::bind("[::1]:0").await.unwrap();
        let b = UdpSocket::bind("[::1]:0").await.unwrap();
        a.send_to(b"v6", b.local_addr().unwrap()).await.unwrap();
        let mut buf = [0; 2];
        let (n, from) = b.recv_from(&mut buf).await.unwrap();
        assert_eq!((&buf[..n], from), (&b"v6"[..], a.local_addr().unwrap()));
    });
}

#[test]
fn std_round_trip() {
    run(async {
        let socket =
            UdpSocket::from_std(std::net::UdpSocket::bind("127.0.0.1:0").unwrap()).unwrap();
        let addr = socket.local_addr().unwrap();
        let std_socket = socket.into_std().unwrap();
        assert_eq!(std_socket.local_addr().unwrap(), addr);
    });
}

#[test]
fn recv_buf_peek_sender_and_try_peek() {
    run(async {
        let a = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let b = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let a_addr = a.local_addr().unwrap();
        b.connect(a_addr).await.unwrap();
        a.send_to(b"first", b.local_addr().unwrap()).await.unwrap();
        a.send_to(b"second", b.local_addr().unwrap()).await.unwrap();

        assert_eq!(b.peek_sender().await.unwrap(), a_addr);
        assert_eq!(
            std::future::poll_fn(|cx| b.poll_peek_sender(cx))
                .await
                .unwrap(),
            a_addr
        );
        assert_eq!(b.try_peek_sender().unwrap(), a_addr);
        let mut peeked = [0; 5];
        assert_eq!(b.try_peek(&mut peeked).unwrap(), 5);
        assert_eq!(&peeked, b"first");

        let mut buf = Vec::with_capacity(32);
        assert_eq!(b.recv_buf(&mut buf).await.unwrap(), 5);
        let (n, from) = b.try_recv_buf_from(&mut buf).unwrap();
        assert_eq!((n, from), (6, a_addr));
        assert_eq!(buf, b"firstsecond");
        assert_eq!(
            b.try_recv_buf(&mut buf).unwrap_err().kind(),
            io::ErrorKind::WouldBlock
        );
        b.set_tos_v4(0x10).unwrap();
        assert_eq!(b.tos_v4().unwrap(), 0x10);
    });
}

#[test]
fn recv_reports_the_error_of_a_send_to_a_closed_port() {
    run(async {
        let sender = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let receiver = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let closed = receiver.local_addr().unwrap();
        drop(receiver);
        sender.connect(closed).await.unwrap();
        sender.send(b"to nobody").await.unwrap();
        // The ICMP "port unreachable" comes back as a socket error with no data to read:
        // the receive must wake on it and report it rather than wait forever.
        let error = sender.recv(&mut [0; 16]).await.unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::ConnectionRefused);
    });
}

/// A loop of sends and receives on sockets that are always ready must still run out of the
/// task's cooperative budget, as Tokio's (`coop_budget::coop_budget_udp_send_recv`): each
/// completed operation spends one unit. A `Pending` with budget left is a readiness wait, which
/// the test awaits before trying again; the verdict is whether the budget ever ran out.
#[test]
fn send_and_recv_spend_the_cooperative_budget() {
    use std::future::{poll_fn, Future};
    use std::pin::pin;
    use std::task::Poll;

    enum Round {
        Exhausted,
        SendWaits,
        RecvWaits,
        NeverExhausted,
    }

    run(async {
        let tx = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let rx = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        tx.connect(rx.local_addr().unwrap()).await.unwrap();
        rx.connect(tx.local_addr().unwrap()).await.unwrap();
        let mut buf = [0; 5];
        for _ in 0..100 {
            let round = poll_fn(|cx| {
                Poll::Ready(eddy_core::coop::budget(|| {
                    for _ in 0..10_000 {
                        if pin!(tx.send(b"hello")).poll(cx).is_pending() {
                            return blocked_or_exhausted(Round::SendWaits);
                        }
                        if pin!(rx.recv(&mut buf)).poll(cx).is_pending() {
                            return blocked_or_exhausted(Round::RecvWaits);
                        }
                    }
                    Round::NeverExhausted
                }))
            })
            .await;
            match round {
                Round::Exhausted => return,
                Round::SendWaits => tx.writable().await.unwrap(),
                Round::RecvWaits => rx.readable().await.unwrap(),
                Round::NeverExhausted => break,
            }
        }
        panic!("send/recv never spent the cooperative budget");
    });

    fn blocked_or_exhausted(waiting: Round) -> Round {
        if eddy_core::coop::has_budget_remaining() {
            waiting
        } else {
            Round::Exhausted
        }
    }
}
