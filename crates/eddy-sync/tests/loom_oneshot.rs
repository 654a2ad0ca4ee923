//! Loom models of the oneshot channel: send racing receive, drop and close.
#![cfg(loom)]

mod loom_support;

use loom_support::block_on;

use eddy_sync::oneshot;
use loom::sync::atomic::{AtomicUsize, Ordering};
use loom::sync::Arc;
use loom::thread;

#[test]
fn send_racing_recv() {
    loom::model(|| {
        let (tx, rx) = oneshot::channel();
        let sender = thread::spawn(move || tx.send(7).unwrap());
        assert_eq!(block_on(rx), Ok(7));
        sender.join().unwrap();
    });
}

#[test]
fn sender_drop_racing_recv() {
    loom::model(|| {
        let (tx, rx) = oneshot::channel::<u8>();
        let sender = thread::spawn(move || drop(tx));
        assert!(block_on(rx).is_err());
        sender.join().unwrap();
    });
}

struct Counted(Arc<AtomicUsize>);

impl Drop for Counted {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

#[test]
fn send_racing_receiver_drop_drops_the_value_once() {
    loom::model(|| {
        let drops = Arc::new(AtomicUsize::new(0));
        let (tx, rx) = oneshot::channel();
        let value = Counted(drops.clone());
        let sender = thread::spawn(move || {
            let _ = tx.send(value);
        });
        drop(rx);
        sender.join().unwrap();
        assert_eq!(drops.load(Ordering::SeqCst), 1);
    });
}

#[test]
fn close_wakes_closed() {
    loom::model(|| {
        let (mut tx, mut rx) = oneshot::channel::<u8>();
        let sender = thread::spawn(move || {
            block_on(tx.closed());
            tx.send(1)
        });
        rx.close();
        assert_eq!(sender.join().unwrap(), Err(1));
    });
}
