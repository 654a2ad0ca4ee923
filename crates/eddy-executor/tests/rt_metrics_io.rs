//! The I/O driver's metrics: readiness events and registered/deregistered sources, on a real
//! TCP connection over 127.0.0.1.
#![cfg(all(feature = "io", not(loom)))]

use eddy_executor::runtime::Builder;
use eddy_reactor::{AsyncFd, Interest};
use eddy_test_support::eventually;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};

fn connected_pair() -> (TcpStream, TcpStream) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
    let (server, _) = listener.accept().unwrap();
    server.set_nonblocking(true).unwrap();
    (server, client)
}

#[test]
fn a_tcp_read_counts_a_ready_event_and_the_socket_its_registrations() {
    let rt = Builder::new_current_thread().enable_io().build().unwrap();
    let metrics = rt.metrics();
    assert_eq!(metrics.io_driver_ready_count(), 0);
    assert_eq!(metrics.io_driver_fd_registered_count(), 0);
    let (server, mut client) = connected_pair();
    let writer = {
        let metrics = metrics.clone();
        std::thread::spawn(move || {
            // Write once the runtime sleeps waiting for the data, so that it arrives as an event.
            eventually("the runtime parks", || metrics.worker_park_count(0) >= 1);
            client.write_all(b"ping").unwrap();
            client
        })
    };
    let received = rt.block_on(async {
        // SAFETY: the `AsyncFd` owns `server`, which owns its descriptor.
        let socket = unsafe { AsyncFd::register(server) }.unwrap();
        let mut buf = [0; 4];
        let read = socket
            .async_io(Interest::READABLE, |mut stream| stream.read(&mut buf))
            .await
            .unwrap();
        assert_eq!(rt.metrics().io_driver_fd_registered_count(), 1);
        assert_eq!(rt.metrics().io_driver_fd_deregistered_count(), 0);
        drop(socket);
        buf[..read].to_vec()
    });
    drop(writer.join().unwrap());
    assert_eq!(received, b"ping");
    assert!(metrics.io_driver_ready_count() > 0);
    assert_eq!(metrics.io_driver_fd_registered_count(), 1);
    assert_eq!(metrics.io_driver_fd_deregistered_count(), 1);
}

#[test]
fn a_runtime_without_io_reports_zero() {
    let rt = Builder::new_current_thread().build().unwrap();
    let metrics = rt.metrics();
    assert_eq!(metrics.io_driver_ready_count(), 0);
    assert_eq!(metrics.io_driver_fd_registered_count(), 0);
    assert_eq!(metrics.io_driver_fd_deregistered_count(), 0);
}
