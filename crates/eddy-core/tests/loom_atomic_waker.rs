//! Loom models of `AtomicWaker`: a wake that follows a registration is never lost, the cell
//! never sees two accesses at once (loom checks every `with_mut`), and a registration is
//! either kept in the slot or woken, exactly once.
#![cfg(loom)]

use eddy_core::atomic_waker::AtomicWaker;
use eddy_test_support::waker::counting;
use loom::sync::atomic::{AtomicBool, Ordering};
use loom::thread;
use std::task::Waker;

/// The owner registers, then checks `ready`; another thread sets `ready`, then wakes. Either
/// the owner sees `ready`, or its waker was woken: the wake cannot fall between the two.
fn wake_is_not_lost(register: impl Fn(&AtomicWaker, &Waker) + Send + Sync + 'static) {
    loom::model(move || {
        let slot = loom::sync::Arc::new(AtomicWaker::new());
        let ready = loom::sync::Arc::new(AtomicBool::new(false));
        let (counter, waker) = counting();

        let waking = {
            let (slot, ready) = (slot.clone(), ready.clone());
            thread::spawn(move || {
                ready.store(true, Ordering::Release);
                slot.wake();
            })
        };
        register(&slot, &waker);
        let saw_ready = ready.load(Ordering::Acquire);
        waking.join().unwrap();
        assert!(saw_ready || counter.count() > 0, "the wake was lost");
    });
}

#[test]
fn a_wake_racing_register_is_not_lost() {
    wake_is_not_lost(|slot, waker| slot.register(waker));
}

#[test]
fn a_wake_racing_register_under_lock_is_not_lost() {
    wake_is_not_lost(|slot, waker| drop(slot.register_under_lock(waker)));
}

#[test]
fn two_wakers_and_a_re_registration_share_the_cell_safely() {
    loom::model(|| {
        let slot = loom::sync::Arc::new(AtomicWaker::new());
        let (first, first_waker) = counting();
        let (second, second_waker) = counting();
        slot.register(&first_waker);

        let wakers: Vec<_> = (0..2)
            .map(|_| {
                let slot = slot.clone();
                thread::spawn(move || slot.wake())
            })
            .collect();
        slot.register(&second_waker);
        for waker in wakers {
            waker.join().unwrap();
        }
        // The first waker is woken at most once however the wakes and the registration meet.
        assert!(first.count() <= 1);
        // Whatever the second registration left in the slot is still wakeable.
        slot.wake();
        assert!(first.count() + second.count() >= 1);
    });
}

#[test]
fn a_registration_under_lock_is_either_kept_or_woken_once() {
    loom::model(|| {
        let slot = loom::sync::Arc::new(AtomicWaker::new());
        let (counter, waker) = counting();
        let waking = {
            let slot = slot.clone();
            thread::spawn(move || slot.wake())
        };
        // The wake owed when the other thread came mid-registration is delivered on drop.
        drop(slot.register_under_lock(&waker));
        waking.join().unwrap();
        let kept = usize::from(slot.take().is_some());
        assert_eq!(kept + counter.count(), 1, "lost, or woken and kept");
    });
}
