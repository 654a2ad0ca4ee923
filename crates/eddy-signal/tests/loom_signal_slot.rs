//! Loom models of a signal slot: a delivery racing with listeners registering their wakers.
//! Every listener either sees the new version when it registers or is woken; none is missed.
#![cfg(loom)]

use eddy_signal::Slot;
use loom::sync::atomic::{AtomicBool, Ordering};
use loom::thread;
use std::sync::Arc;
use std::task::{Wake, Waker};

struct Flag(AtomicBool);

impl Wake for Flag {
    fn wake(self: Arc<Self>) {
        self.0.store(true, Ordering::SeqCst);
    }
}

fn flag_waker() -> (Arc<Flag>, Waker) {
    let flag = Arc::new(Flag(AtomicBool::new(false)));
    (flag.clone(), Waker::from(flag))
}

/// The handler marks, the pump delivers: on another thread than the listener.
fn deliver_on_a_thread(slot: &Arc<Slot>) -> thread::JoinHandle<()> {
    let slot = slot.clone();
    thread::spawn(move || {
        slot.mark_pending();
        slot.deliver();
    })
}

#[test]
fn a_registering_listener_sees_or_is_woken() {
    loom::model(|| {
        let slot = Arc::new(Slot::new());
        let seen = slot.version();
        let (woken, waker) = flag_waker();
        let delivery = deliver_on_a_thread(&slot);
        let version = slot.register(1, &waker);
        delivery.join().unwrap();
        assert!(version != seen || woken.0.load(Ordering::SeqCst));
        assert_eq!(slot.version(), seen + 1);
    });
}

#[test]
fn two_listeners_both_hear_one_delivery() {
    loom::model(|| {
        let slot = Arc::new(Slot::new());
        let seen = slot.version();
        let (first_woken, first) = flag_waker();
        let (second_woken, second) = flag_waker();
        let listener = {
            let slot = slot.clone();
            thread::spawn(move || slot.register(2, &second))
        };
        let delivery = deliver_on_a_thread(&slot);
        let first_version = slot.register(1, &first);
        let second_version = listener.join().unwrap();
        delivery.join().unwrap();
        assert!(first_version != seen || first_woken.0.load(Ordering::SeqCst));
        assert!(second_version != seen || second_woken.0.load(Ordering::SeqCst));
    });
}
