//! AsyncFd: guards, clearing, several waiters, and giving the descriptor back.

use eddy_core::block_on::block_on;
use eddy_reactor::driver::{self, Driver};
use eddy_reactor::{AsyncFd, Interest, Ready};
use std::future::Future;
use std::io::{self, Read, Write};
use std::os::unix::net::UnixStream;
use std::pin::pin;
use std::task::{Context, Poll};

/// Registers `inner`, which owns its descriptor for as long as the `AsyncFd` owns it.
fn register<T: std::os::fd::AsRawFd>(inner: T) -> io::Result<AsyncFd<T>> {
    // SAFETY: `inner` owns its descriptor (a std socket or file) and the `AsyncFd` owns `inner`,
    // so the descriptor stays open and the same until the `AsyncFd` is dropped or unwrapped.
    Ok(unsafe { AsyncFd::register(inner) }?)
}

fn with_reactor<R>(f: impl FnOnce(&mut Driver) -> R) -> R {
    let (mut driver, handle) = Driver::new().unwrap();
    let _reactor = driver::enter(Some(handle));
    f(&mut driver)
}

fn nonblocking_pair() -> (UnixStream, UnixStream) {
    let (a, b) = UnixStream::pair().unwrap();
    a.set_nonblocking(true).unwrap();
    b.set_nonblocking(true).unwrap();
    (a, b)
}

#[test]
fn clear_ready_makes_the_next_wait_block_until_new_data() {
    with_reactor(|driver| {
        let (a, mut b) = nonblocking_pair();
        let fd = register(a).unwrap();
        b.write_all(b"one").unwrap();
        block_on(driver, async {
            let mut guard = fd.readable().await.unwrap();
            let mut buf = [0; 16];
            assert_eq!(guard.get_inner().read(&mut buf).unwrap(), 3);
            assert_eq!(
                guard.get_inner().read(&mut buf).unwrap_err().kind(),
                io::ErrorKind::WouldBlock
            );
            guard.clear_ready();
        });
        // Nothing new: polling once must be pending.
        let waker = std::task::Waker::noop();
        let mut cx = Context::from_waker(waker);
        {
            let mut readable = pin!(fd.readable());
            assert!(readable.as_mut().poll(&mut cx).is_pending());
        }
        b.write_all(b"two").unwrap();
        block_on(driver, async {
            let mut guard = fd.readable().await.unwrap();
            let mut buf = [0; 16];
            let n = guard
                .try_io(|fd| fd.get_ref().read(&mut buf))
                .expect("data is there")
                .unwrap();
            assert_eq!(&buf[..n], b"two");
        });
    });
}

#[test]
fn try_io_clears_on_would_block() {
    with_reactor(|driver| {
        let (a, _b) = nonblocking_pair();
        let fd = register(a).unwrap();
        block_on(driver, async {
            // A fresh socket pair is writable.
            let mut guard = fd.writable().await.unwrap();
            assert!(guard.ready().is_writable());
            let result = guard.try_io(|_| Err::<(), _>(io::ErrorKind::WouldBlock.into()));
            assert!(result.is_err());
            assert_eq!(guard.ready(), Ready::EMPTY);
        });
        // The socket is still writable in fact, but the readiness was cleared: `try_io` on the
        // AsyncFd reports WouldBlock without running the closure.
        let ran = fd.try_io(Interest::WRITABLE, |_| Ok(()));
        assert_eq!(ran.unwrap_err().kind(), io::ErrorKind::WouldBlock);
    });
}

#[test]
fn two_tasks_waiting_for_readable_are_both_woken() {
    with_reactor(|driver| {
        let (a, mut b) = nonblocking_pair();
        // SAFETY: the `AsyncFd` owns `a`, which owns its descriptor.
        let fd = unsafe { AsyncFd::register_with_interest(a, Interest::READABLE) }.unwrap();
        let waker = std::task::Waker::noop();
        let mut cx = Context::from_waker(waker);
        let mut first = pin!(fd.readable());
        let mut second = pin!(fd.ready(Interest::READABLE | Interest::WRITABLE));
        assert!(first.as_mut().poll(&mut cx).is_pending());
        assert!(second.as_mut().poll(&mut cx).is_pending());
        b.write_all(b"x").unwrap();
        block_on(driver, async {
            let (one, two) = std::future::poll_fn(|cx| {
                match (first.as_mut().poll(cx), second.as_mut().poll(cx)) {
                    (Poll::Ready(one), Poll::Ready(two)) => Poll::Ready((one, two)),
                    _ => Poll::Pending,
                }
            })
            .await;
            assert!(one.unwrap().ready().is_readable());
            assert!(two.unwrap().ready().is_readable());
        });
    });
}

#[test]
fn mut_guards_and_poll_methods() {
    with_reactor(|driver| {
        let (a, mut b) = nonblocking_pair();
        let mut fd = register(a).unwrap();
        b.write_all(b"abc").unwrap();
        block_on(driver, async {
            let mut guard = fd.readable_mut().await.unwrap();
            let mut buf = [0; 3];
            guard.get_inner_mut().read_exact(&mut buf).unwrap();
            assert_eq!(&buf, b"abc");
            guard.clear_ready_matching(Ready::READABLE);
            drop(guard);
            let guard = std::future::poll_fn(|cx| fd.poll_write_ready(cx))
                .await
                .unwrap();
            assert!(guard.ready().is_writable());
            drop(guard);
            let written = fd
                .async_io_mut(Interest::WRITABLE, |socket| socket.write(b"reply"))
                .await
                .unwrap();
            assert_eq!(written, 5);
        });
        let mut reply = [0; 5];
        b.set_nonblocking(false).unwrap();
        b.read_exact(&mut reply).unwrap();
        assert_eq!(&reply, b"reply");
    });
}

#[test]
fn into_inner_gives_the_descriptor_back_registered_nowhere() {
    let (mut driver, handle) = Driver::new().unwrap();
    let _reactor = driver::enter(Some(handle.clone()));
    let (a, mut b) = nonblocking_pair();
    let fd = register(a).unwrap();
    assert_eq!(handle.registered_count(), 1);
    let mut a = fd.into_inner();
    assert_eq!(handle.registered_count(), 0);
    b.write_all(b"still open").unwrap();
    let mut buf = [0; 10];
    a.set_nonblocking(false).unwrap();
    a.read_exact(&mut buf).unwrap();
    assert_eq!(&buf, b"still open");
    // Registering it again works.
    a.set_nonblocking(true).unwrap();
    let fd = register(a).unwrap();
    let got = block_on(
        &mut driver,
        fd.async_io(Interest::WRITABLE, |s| (&*s).write(b"!")),
    );
    assert_eq!(got.unwrap(), 1);
}

// epoll refuses regular files (EPERM); kqueue accepts them, so elsewhere nothing fails.
#[cfg(any(target_os = "linux", target_os = "android"))]
#[test]
fn register_gives_the_value_back_when_registration_fails() {
    use std::error::Error;
    use std::os::fd::AsRawFd;

    let (_driver, handle) = Driver::new().unwrap();
    let _reactor = driver::enter(Some(handle.clone()));
    let file = std::fs::File::open(std::env::current_exe().unwrap()).unwrap();
    let fd_before = file.as_raw_fd();
    // SAFETY: the `AsyncFd` would own `file`, which owns its descriptor.
    let error = unsafe { AsyncFd::register(file) }.unwrap_err();
    assert!(error.source().is_some(), "{error:?}");
    let (mut file, cause) = error.into_parts();
    assert_eq!(cause.kind(), io::ErrorKind::PermissionDenied, "{cause}");
    assert_eq!(handle.registered_count(), 0);
    // The very same descriptor came back, still open and usable.
    assert_eq!(file.as_raw_fd(), fd_before);
    let mut start = [0; 4];
    file.read_exact(&mut start).unwrap();
    assert_eq!(
        &start, b"\x7fELF",
        "the test binary reads back from its start"
    );

    // SAFETY: the `AsyncFd` would own `file`, which owns its descriptor.
    let converted: io::Error = unsafe { AsyncFd::register_with_interest(file, Interest::READABLE) }
        .unwrap_err()
        .into();
    assert_eq!(converted.kind(), io::ErrorKind::PermissionDenied);
}

#[test]
#[allow(deprecated)]
fn deprecated_try_with_interest_still_registers_a_socket() {
    with_reactor(|driver| {
        let (a, mut b) = nonblocking_pair();
        let fd = AsyncFd::try_with_interest(a, Interest::READABLE).unwrap();
        b.write_all(b"x").unwrap();
        let mut buf = [0; 1];
        let n = block_on(
            driver,
            fd.async_io(Interest::READABLE, |s| (&*s).read(&mut buf)),
        );
        assert_eq!(n.unwrap(), 1);
        assert_eq!(&buf, b"x");
    });
}

#[test]
fn clear_ready_matching_keeps_reporting_the_other_states() {
    with_reactor(|driver| {
        let (a, mut b) = nonblocking_pair();
        let fd = register(a).unwrap();
        b.write_all(b"0").unwrap();
        block_on(driver, async {
            // The first event reports both: data was written before the socket was registered.
            let interest = Interest::READABLE | Interest::WRITABLE;
            let mut guard = fd.ready(interest).await.unwrap();
            assert_eq!(guard.ready(), Ready::READABLE | Ready::WRITABLE);
            guard.clear_ready_matching(Ready::READABLE);
            assert_eq!(guard.ready(), Ready::WRITABLE);
            guard.clear_ready_matching(Ready::WRITABLE);
            assert_eq!(guard.ready(), Ready::EMPTY);
        });
    });
}

#[test]
fn readiness_futures_spend_no_budget_but_poll_ready_does() {
    with_reactor(|driver| {
        let (a, mut b) = nonblocking_pair();
        let fd = register(a).unwrap();
        b.write_all(b"x").unwrap();
        // Wait for the first event outside any budget.
        block_on(driver, async { drop(fd.readable().await.unwrap()) });
        let waker = std::task::Waker::noop();
        let mut cx = Context::from_waker(waker);
        eddy_core::coop::budget(|| {
            // Far more checks than a budget holds: a task that checks readiness before each
            // `try_*` call is not made to yield (Tokio's `readable()`/`writable()` are not
            // cooperative either).
            for _ in 0..1000 {
                let readable = pin!(fd.readable()).poll(&mut cx);
                assert!(matches!(readable, Poll::Ready(Ok(_))));
            }
            // The poll-based path is cooperative: it runs out.
            let spent = (0..1000).any(|_| fd.poll_read_ready(&mut cx).is_pending());
            assert!(spent, "poll_read_ready spends the budget");
        });
    });
}
