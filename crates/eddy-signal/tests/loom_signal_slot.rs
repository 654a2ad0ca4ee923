//! Loom models of a signal slot: a delivery racing with listeners registering their wakers.
//! Every listener either sees the new version when it registers or is woken; none is missed.
#![cfg(loom)]

use eddy_signal::Slot;
use eddy_test_support::waker::counting;
use loom::thread;
use std::sync::Arc;

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
        let (woken, waker) = counting();
        let delivery = deliver_on_a_thread(&slot);
        let version = slot.register(1, &waker);
        delivery.join().unwrap();
        assert!(version != seen || (woken.count() > 0));
        assert_eq!(slot.version(), seen + 1);
    });
}

#[test]
fn two_listeners_both_hear_one_delivery() {
    loom::model(|| {
        let slot = Arc::new(Slot::new());
        let seen = slot.version();
        let (first_woken, first) = counting();
        let (second_woken, second) = counting();
        let listener = {
            let slot = slot.clone();
            thread::spawn(move || slot.register(2, &second))
        };
        let delivery = deliver_on_a_thread(&slot);
        let first_version = slot.register(1, &first);
        let second_version = listener.join().unwrap();
        delivery.join().unwrap();
        assert!(first_version != seen || (first_woken.count() > 0));
        assert!(second_version != seen || (second_woken.count() > 0));
    });
}
