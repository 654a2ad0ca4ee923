//! SIGUSR1 and SIGUSR2 raised on the test process: delivery, coalescing, several listeners,
//! several runtimes, refused signals.

use eddy_executor::runtime::{Builder, Runtime};
use eddy_signal::unix::{signal, SignalKind};
use std::future::poll_fn;
use std::task::Poll;

fn rt() -> Runtime {
    Builder::new_current_thread().enable_all().build().unwrap()
}

/// Sends `signum` to the calling thread: the handler has run when this returns.
fn raise(signum: libc::c_int) {
    // SAFETY: `raise` with a signal whose handler eddy installed beforehand.
    let sent = unsafe { libc::raise(signum) };
    assert_eq!(sent, 0, "{}", std::io::Error::last_os_error());
}

/// Signals sent while nobody polls are remembered once, then the listener waits again.
///
/// The runtime is current-thread and `raise` runs the handler before it returns, so all three
/// signals are pending before the reactor (on this same thread) can drain the pipe.
#[test]
fn deliveries_while_not_polled_are_remembered_once() {
    rt().block_on(async {
        let mut usr1 = signal(SignalKind::user_defined1()).unwrap();
        raise(libc::SIGUSR1);
        raise(libc::SIGUSR1);
        raise(libc::SIGUSR1);
        assert_eq!(usr1.recv().await, Some(()));
        let pending = poll_fn(|cx| Poll::Ready(usr1.poll_recv(cx).is_pending())).await;
        assert!(pending, "a coalesced delivery must not be reported twice");
        raise(libc::SIGUSR1);
        assert_eq!(usr1.recv().await, Some(()));
    });
}

/// Every listener of a kind wakes, and a listener of another kind does not.
#[test]
fn all_listeners_of_a_kind_wake() {
    rt().block_on(async {
        let mut first = signal(SignalKind::user_defined2()).unwrap();
        let mut second = signal(SignalKind::user_defined2()).unwrap();
        let mut other = signal(SignalKind::window_change()).unwrap();
        raise(libc::SIGUSR2);
        let both = async {
            first.recv().await;
            second.recv().await;
        };
        both.await;
        let quiet = poll_fn(|cx| Poll::Ready(other.poll_recv(cx).is_pending())).await;
        assert!(quiet, "SIGWINCH listener woke for SIGUSR2");
    });
}

/// Listeners in two runtimes on two threads both see one signal, and dropping one runtime
/// does not starve the other.
#[test]
fn listeners_in_several_runtimes() {
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let threads: Vec<_> = (0..2)
        .map(|_| {
            let ready_tx = ready_tx.clone();
            std::thread::spawn(move || {
                rt().block_on(async {
                    let mut quit = signal(SignalKind::from_raw(libc::SIGRTMIN() + 3)).unwrap();
                    ready_tx.send(()).unwrap();
                    quit.recv().await
                })
            })
        })
        .collect();
    ready_rx.recv().unwrap();
    ready_rx.recv().unwrap();
    raise(libc::SIGRTMIN() + 3);
    for thread in threads {
        assert_eq!(thread.join().unwrap(), Some(()));
    }

    let first = rt();
    let second = rt();
    let kind = SignalKind::from_raw(libc::SIGRTMIN() + 4);
    let mut in_first = first.block_on(async { signal(kind).unwrap() });
    let mut in_second = second.block_on(async { signal(kind).unwrap() });
    drop(first);
    raise(kind.as_raw_value());
    assert_eq!(second.block_on(in_second.recv()), Some(()));
    drop(in_first.recv());
}

/// Signals that cannot be handled are refused with an error, not a panic.
#[test]
fn unhandleable_signals_are_refused() {
    rt().block_on(async {
        for signum in [libc::SIGKILL, libc::SIGSTOP, libc::SIGSEGV, -1] {
            let error = signal(SignalKind::from_raw(signum)).unwrap_err();
            assert!(error.to_string().contains("Refusing"), "{error}");
        }
        let error = signal(SignalKind::from_raw(10_000)).unwrap_err();
        assert_eq!(error.to_string(), "signal too large");
    });
}

/// Creating a listener outside a runtime panics with the reactor's message.
#[test]
#[should_panic(expected = "there is no reactor running")]
fn outside_a_runtime_panics() {
    let _ = signal(SignalKind::hangup());
}

/// The types and futures are `Send` and `Sync` (and the types `Unpin`), as Tokio's are.
#[test]
fn types_and_futures_are_send_and_sync() {
    fn send_sync_unpin<T: Send + Sync + Unpin>() {}
    fn send_sync<T: Send + Sync>(_: &T) {}
    send_sync_unpin::<eddy_signal::unix::Signal>();
    send_sync_unpin::<SignalKind>();
    send_sync(&eddy_signal::ctrl_c());
    rt().block_on(async {
        let mut alarm = signal(SignalKind::alarm()).unwrap();
        send_sync(&alarm.recv());
    });
}
