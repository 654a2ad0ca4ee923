//! Sockets whose reactor is gone, and sockets made outside any reactor.

mod support;

use eddy_core::block_on::block_on;
use eddy_core::Park;
use eddy_io::AsyncReadExt;
use eddy_net::{TcpListener, TcpStream, UdpSocket};
use eddy_reactor::driver::{self, Driver};
use std::future::Future;
use std::io;

#[test]
fn a_read_pending_when_the_driver_shuts_down_fails() {
    let (mut driver, handle) = Driver::new().unwrap();
    let _reactor = driver::enter(Some(handle));
    let peer_listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = peer_listener.local_addr().unwrap();
    let mut stream = block_on(&mut driver, TcpStream::connect(addr)).unwrap();
    let _peer = peer_listener.accept().unwrap();

    // Start a read that has nothing to read, then shut the driver down under it.
    let mut buf = [0; 8];
    let mut read = Box::pin(stream.read(&mut buf));
    let waker = std::task::Waker::noop();
    let mut cx = std::task::Context::from_waker(waker);
    assert!(read.as_mut().poll(&mut cx).is_pending());
    driver.shutdown();
    match read.as_mut().poll(&mut cx) {
        std::task::Poll::Ready(Err(error)) => assert_eq!(error.kind(), io::ErrorKind::Other),
        other => panic!("expected an error after shutdown, got {other:?}"),
    }
}

#[test]
fn using_a_socket_after_its_driver_is_dropped_is_an_error() {
    let (mut driver, handle) = Driver::new().unwrap();
    let reactor = driver::enter(Some(handle));
    let listener = block_on(&mut driver, TcpListener::bind("127.0.0.1:0")).unwrap();
    let addr = listener.local_addr().unwrap();
    let _client = std::net::TcpStream::connect(addr).unwrap();
    drop(reactor);
    drop(driver);

    // No driver will ever poll again: accept must fail, not hang.
    let mut park = eddy_core::ParkThread::new();
    let error = block_on(&mut park, listener.accept()).unwrap_err();
    assert!(error.to_string().contains("shut"), "{error}");
    // Dropping the socket afterwards is fine too.
    drop(listener);
}

#[test]
fn new_sockets_on_a_shut_down_driver_are_errors() {
    let (mut driver, handle) = Driver::new().unwrap();
    let _reactor = driver::enter(Some(handle));
    driver.shutdown();
    let result = block_on(&mut driver, UdpSocket::bind("127.0.0.1:0"));
    assert!(result.is_err());
}

#[test]
#[should_panic = "there is no reactor running, must be called from the context of a Tokio 1.x runtime"]
fn sockets_outside_a_runtime_panic() {
    let mut park = eddy_core::ParkThread::new();
    let _ = block_on(&mut park, TcpListener::bind("127.0.0.1:0"));
}

#[test]
#[should_panic = "IO is disabled. Call `enable_io` on the runtime builder to enable IO."]
fn sockets_in_a_runtime_without_io_panic() {
    let _no_io = driver::enter(None);
    let std_socket = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let _ = UdpSocket::from_std(std_socket);
}
