//! The I/O driver as a `Park`: waking, dispatching, counting, shutting down, and the
//! thread's current reactor.

use eddy_core::block_on::block_on;
use eddy_core::Park;
use eddy_reactor::driver::{self, Driver, Handle};
use eddy_reactor::{AsyncFd, Interest};
use std::io::Write;
use std::os::unix::net::UnixStream;
use std::time::Duration;

/// Registers `inner`, which owns its descriptor for as long as the `AsyncFd` owns it.
fn register<T: std::os::fd::AsRawFd>(inner: T) -> std::io::Result<AsyncFd<T>> {
    // SAFETY: `inner` owns its descriptor (a std socket or file) and the `AsyncFd` owns `inner`,
    // so the descriptor stays open and the same until the `AsyncFd` is dropped or unwrapped.
    Ok(unsafe { AsyncFd::register(inner) }?)
}

fn nonblocking_pair() -> (UnixStream, UnixStream) {
    let (a, b) = UnixStream::pair().unwrap();
    a.set_nonblocking(true).unwrap();
    b.set_nonblocking(true).unwrap();
    (a, b)
}

#[test]
fn an_unpark_from_another_thread_ends_a_park() {
    let (mut driver, _handle) = Driver::new().unwrap();
    let unparker = driver.unparker();
    let waker = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(20));
        unparker.unpark();
    });
    // Would block forever without the unpark.
    driver.park();
    waker.join().unwrap();
}

#[test]
fn an_unpark_before_the_park_is_remembered() {
    let (mut driver, handle) = Driver::new().unwrap();
    handle.unparker().unpark();
    handle.unparker().unpark();
    driver.park();
    // Both unparks were folded into one wake-up; a zero timeout returns regardless.
    driver.park_timeout(Duration::ZERO);
}

#[test]
fn park_timeout_returns_without_events() {
    let (mut driver, _handle) = Driver::new().unwrap();
    driver.park_timeout(Duration::from_millis(5));
    driver.park_timeout(Duration::ZERO);
}

#[test]
fn readiness_events_are_dispatched_and_counted() {
    let (mut driver, handle) = Driver::new().unwrap();
    let (a, mut b) = nonblocking_pair();
    let fd = AsyncFd::with_interest_and_handle(a, Interest::READABLE, handle.clone()).unwrap();
    let before = handle.ready_count();
    b.write_all(b"x").unwrap();
    let _reactor = driver::enter(Some(handle.clone()));
    block_on(&mut driver, async {
        let guard = fd.readable().await.unwrap();
        assert!(guard.ready().is_readable());
    });
    assert!(handle.ready_count() > before);
}

#[test]
fn dropping_sources_frees_their_slots() {
    let (_driver, handle) = Driver::new().unwrap();
    assert_eq!(handle.fd_registered_count(), 0);
    let fds: Vec<_> = (0..10)
        .map(|_| {
            let (a, _b) = nonblocking_pair();
            AsyncFd::with_interest_and_handle(a, Interest::READABLE, handle.clone()).unwrap()
        })
        .collect();
    assert_eq!(handle.registered_count(), 10);
    assert_eq!(handle.fd_registered_count(), 10);
    assert_eq!(handle.fd_deregistered_count(), 0);
    drop(fds);
    assert_eq!(handle.registered_count(), 0);
    assert_eq!(handle.fd_registered_count(), 10);
    assert_eq!(handle.fd_deregistered_count(), 10);
}

#[test]
fn shutdown_wakes_waiters_with_an_error_and_refuses_new_sources() {
    let (mut driver, handle) = Driver::new().unwrap();
    let (a, _b) = nonblocking_pair();
    let fd = AsyncFd::with_interest_and_handle(a, Interest::READABLE, handle.clone()).unwrap();
    let waiter = std::thread::spawn(move || {
        let mut park = eddy_core::ParkThread::new();
        block_on(&mut park, async { fd.readable().await.map(drop) })
    });
    // Let the waiter register (if it has not yet, it sees the shutdown when it does).
    std::thread::sleep(Duration::from_millis(20));
    driver.shutdown();
    let error = waiter.join().unwrap().unwrap_err();
    assert!(error.to_string().contains("shut"), "{error}");
    assert!(handle.is_shutdown());

    let (c, _d) = nonblocking_pair();
    assert!(AsyncFd::with_interest_and_handle(c, Interest::READABLE, handle).is_err());
}

#[test]
fn enter_sets_and_restores_the_current_reactor() {
    let (_driver, handle) = Driver::new().unwrap();
    let error = Handle::try_current().unwrap_err();
    assert!(!error.is_io_disabled());
    {
        let _outer = driver::enter(None);
        assert!(Handle::try_current().unwrap_err().is_io_disabled());
        {
            let _inner = driver::enter(Some(handle));
            assert!(Handle::try_current().is_ok());
        }
        assert!(Handle::try_current().unwrap_err().is_io_disabled());
    }
    assert!(!Handle::try_current().unwrap_err().is_io_disabled());
}

#[test]
#[should_panic = "there is no reactor running, must be called from the context of a Tokio 1.x runtime"]
fn no_reactor_panics_with_a_clear_message() {
    let (a, _b) = nonblocking_pair();
    let _ = register(a);
}

#[test]
#[should_panic = "A Tokio 1.x context was found, but IO is disabled. Call `enable_io` on the runtime builder to enable IO."]
fn io_disabled_panics_with_a_clear_message() {
    let _no_io = driver::enter(None);
    let (a, _b) = nonblocking_pair();
    let _ = register(a);
}

#[test]
fn a_driver_on_another_thread_wakes_this_one() {
    // The driver thread parks; this thread only writes. The task on the driver thread must
    // still see the data: the edge from the write reaches epoll and the waker.
    let (a, mut b) = nonblocking_pair();
    let worker = std::thread::spawn(move || {
        let (mut driver, handle) = Driver::new().unwrap();
        let _reactor = driver::enter(Some(handle));
        let fd = register(a).unwrap();
        block_on(&mut driver, async {
            let mut received = Vec::new();
            while received.len() < 3000 {
                let mut guard = fd.readable().await.unwrap();
                let mut buf = [0; 512];
                match guard.try_io(|fd| std::io::Read::read(&mut fd.get_ref(), &mut buf)) {
                    Ok(n) => received.extend_from_slice(&buf[..n.unwrap()]),
                    Err(_would_block) => {}
                }
            }
            received
        })
    });
    for chunk in 0..30u8 {
        b.write_all(&[chunk; 100]).unwrap();
        std::thread::yield_now();
    }
    let received = worker.join().unwrap();
    let expected: Vec<u8> = (0..30u8).flat_map(|c| [c; 100]).collect();
    assert_eq!(received, expected);
}

#[test]
fn try_io_after_shutdown_still_uses_the_readiness_seen_before() {
    use std::io::Read;

    let (mut driver, handle) = Driver::new().unwrap();
    let (a, mut b) = nonblocking_pair();
    let fd = AsyncFd::with_interest_and_handle(a, Interest::READABLE, handle).unwrap();
    b.write_all(b"hello").unwrap();
    driver.park_timeout(Duration::ZERO);
    driver.shutdown();

    // The bytes reported before the shutdown can still be read, as in Tokio.
    let mut buf = [0; 5];
    let read = fd.try_io(Interest::READABLE, |socket| (&*socket).read(&mut buf));
    assert_eq!(read.unwrap(), 5);
    // Nothing is left: `WouldBlock` clears the readiness but not the shutdown, which the
    // next wait reports instead of hanging.
    let read = fd.try_io(Interest::READABLE, |socket| (&*socket).read(&mut buf));
    assert_eq!(read.unwrap_err().kind(), std::io::ErrorKind::WouldBlock);
    let waker = std::task::Waker::noop();
    let polled = fd.poll_read_ready(&mut std::task::Context::from_waker(waker));
    assert!(matches!(polled, std::task::Poll::Ready(Err(_))));
}
