//! `duplex`: wakers are woken and dropped after the pipe's lock is released.
//!
//! A waker may run the task it wakes right away (here: it polls the peer's future inline), and
//! dropping a waker may drop whatever it owns (here: the other end of the pipe). Both touch the
//! pipe's lock; run under it, they would deadlock the thread.

use eddy_io::{AsyncReadExt, AsyncWriteExt, DuplexStream};
use eddy_test_support::executor::block_on;
use eddy_test_support::task::poll_once;
use eddy_test_support::waker::{noop_context, on_drop};
use std::future::Future;
use std::io::IoSlice;
use std::pin::{pin, Pin};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};

type Task = Mutex<Pin<Box<dyn Future<Output = ()> + Send>>>;

/// A task whose waker polls it to completion on the waking thread.
struct PollsWhenWoken {
    task: Task,
    done: AtomicBool,
}

impl Wake for PollsWhenWoken {
    fn wake(self: Arc<Self>) {
        let polled = self.task.lock().unwrap().as_mut().poll(&mut noop_context());
        assert!(polled.is_ready(), "woken with what it waited for");
        self.done.store(true, Ordering::SeqCst);
    }
}

/// Polls `future` once (it must wait) with a waker that finishes it inline when woken.
fn park(future: impl Future<Output = ()> + Send + 'static) -> Arc<PollsWhenWoken> {
    let task = Arc::new(PollsWhenWoken {
        task: Mutex::new(Box::pin(future)),
        done: AtomicBool::new(false),
    });
    let waker = Waker::from(task.clone());
    let polled = task
        .task
        .lock()
        .unwrap()
        .as_mut()
        .poll(&mut Context::from_waker(&waker));
    assert!(polled.is_pending(), "the pipe was empty or full");
    task
}

#[test]
fn a_write_wakes_the_reader_outside_the_lock() {
    let (mut writer, mut reader) = eddy_io::duplex(1);
    let task = park(async move {
        assert_eq!(reader.read(&mut [0; 1]).await.unwrap(), 1);
    });
    block_on(async { assert_eq!(writer.write(b"x").await.unwrap(), 1) });
    assert!(task.done.load(Ordering::SeqCst));
}

#[test]
fn a_vectored_write_wakes_the_reader_outside_the_lock() {
    let (mut writer, mut reader) = eddy_io::duplex(1);
    let task = park(async move {
        assert_eq!(reader.read(&mut [0; 1]).await.unwrap(), 1);
    });
    let written = block_on(writer.write_vectored(&[IoSlice::new(b"x")])).unwrap();
    assert_eq!(written, 1);
    assert!(task.done.load(Ordering::SeqCst));
}

#[test]
fn a_read_wakes_the_writer_outside_the_lock() {
    let (mut writer, mut reader) = eddy_io::duplex(1);
    let task = park(async move { writer.write_all(b"xy").await.unwrap() });
    block_on(async { assert_eq!(reader.read(&mut [0; 1]).await.unwrap(), 1) });
    assert!(task.done.load(Ordering::SeqCst));
}

#[test]
fn shutdown_and_drop_wake_the_peer_outside_the_lock() {
    let (mut writer, mut reader) = eddy_io::duplex(1);
    let task = park(async move {
        assert_eq!(reader.read(&mut [0; 1]).await.unwrap(), 0);
    });
    block_on(writer.shutdown()).unwrap();
    assert!(task.done.load(Ordering::SeqCst));

    let (mut writer, reader) = eddy_io::duplex(1);
    let task = park(async move {
        writer.write_all(b"xy").await.unwrap_err();
    });
    drop(reader);
    assert!(task.done.load(Ordering::SeqCst));
}

/// Parks `future` with a waker owning `peer`, then polls it with another waker, which
/// replaces (and so drops) the first: the peer closes, and the future finishes.
fn replace_the_waker_owning(peer: DuplexStream, future: impl Future<Output = ()>) {
    let mut future = pin!(future);
    // Dropping this waker drops the peer, which locks the pipe.
    let (owner, dropped) = on_drop(move || drop(peer));
    assert!(poll_once(future.as_mut(), &owner).is_pending());
    drop(owner);
    let mut cx = noop_context();
    assert!(future.as_mut().poll(&mut cx).is_pending());
    assert!(
        dropped.load(Ordering::SeqCst),
        "the replaced waker was dropped"
    );
    assert_eq!(future.as_mut().poll(&mut cx), Poll::Ready(()));
}

#[test]
fn a_replaced_read_waker_is_dropped_outside_the_lock() {
    let (mut reader, peer) = eddy_io::duplex(1);
    replace_the_waker_owning(peer, async {
        assert_eq!(reader.read(&mut [0; 1]).await.unwrap(), 0);
    });
}

#[test]
fn a_replaced_write_waker_is_dropped_outside_the_lock() {
    let (mut writer, peer) = eddy_io::duplex(1);
    replace_the_waker_owning(peer, async {
        writer.write_all(b"xy").await.unwrap_err();
    });
}

#[test]
fn a_zero_sized_pipe_panics_at_the_caller() {
    for make in [
        (|| drop(eddy_io::duplex(0))) as fn(),
        || drop(eddy_io::simplex(0)),
        || drop(eddy_io::SimplexStream::new_unsplit(0)),
    ] {
        let location = Arc::new(Mutex::new(None));
        let seen = location.clone();
        std::panic::set_hook(Box::new(move |info| {
            *seen.lock().unwrap() = info.location().map(|at| at.file().to_owned());
        }));
        let panicked = std::panic::catch_unwind(make).is_err();
        let _ = std::panic::take_hook();
        assert!(panicked, "a pipe that holds no byte is refused");
        assert_eq!(location.lock().unwrap().as_deref(), Some(file!()));
    }
}
