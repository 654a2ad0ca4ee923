//! Loom models of `RwLock` and its guards: a writer never overlaps a reader or another writer,
//! a downgrade lets waiting readers in at once but no writer in between, and every guard —
//! mapped, owned, downgraded — gives all its permits back (no waiter is left asleep, and the
//! lock is free again at the end).
//!
//! Each holder records itself in an [`Occupancy`] word while it holds its guard; a writer that
//! meets anyone there, or a reader that meets a writer, fails the model.
#![cfg(loom)]

use eddy_sync::{OwnedRwLockWriteGuard, RwLock, RwLockReadGuard, RwLockWriteGuard};
use eddy_test_support::executor::block_on;
use loom::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use loom::sync::Arc;
use loom::thread;

/// Who holds the lock right now: readers count in the low bits, a writer adds [`WRITER`].
#[derive(Default)]
struct Occupancy(AtomicUsize);

const WRITER: usize = 1 << 16;

impl Occupancy {
    fn enter_write(&self) {
        let before = self.0.fetch_add(WRITER, Ordering::SeqCst);
        assert_eq!(before, 0, "a writer got in beside another holder");
    }

    fn leave_write(&self) {
        self.0.fetch_sub(WRITER, Ordering::SeqCst);
    }

    fn enter_read(&self) {
        let before = self.0.fetch_add(1, Ordering::SeqCst);
        assert!(before < WRITER, "a reader got in beside a writer");
    }

    fn leave_read(&self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The lock is free: no guard kept a permit.
fn assert_unlocked<T>(lock: &RwLock<T>) {
    assert!(lock.try_write().is_ok(), "a guard kept its permits");
}

#[test]
fn a_writer_and_a_reader_exclude_each_other() {
    loom::model(|| {
        let lock = Arc::new(RwLock::new([0usize; 2]));
        let occupancy = Arc::new(Occupancy::default());
        let writer = {
            let (lock, occupancy) = (lock.clone(), occupancy.clone());
            thread::spawn(move || {
                let mut guard = block_on(lock.write());
                occupancy.enter_write();
                guard[0] = 1;
                thread::yield_now();
                guard[1] = 1;
                occupancy.leave_write();
            })
        };
        let guard = block_on(lock.read());
        occupancy.enter_read();
        assert_eq!(guard[0], guard[1], "a reader saw half a write");
        occupancy.leave_read();
        drop(guard);
        writer.join().unwrap();
        assert_eq!(*block_on(lock.read()), [1, 1]);
        assert_unlocked(&lock);
    });
}

#[test]
fn a_downgrade_lets_a_waiting_reader_in_at_once() {
    loom::model(|| {
        let lock = Arc::new(RwLock::new(0usize));
        let mut guard = block_on(lock.write());
        *guard = 1;
        let reader_in = Arc::new(AtomicBool::new(false));
        let reader = {
            let (lock, reader_in) = (lock.clone(), reader_in.clone());
            thread::spawn(move || {
                let guard = block_on(lock.read());
                reader_in.store(true, Ordering::SeqCst);
                *guard
            })
        };
        let guard = RwLockWriteGuard::downgrade(guard);
        // The reader gets in while the downgraded guard is still held; if the downgrade kept
        // its permits or forgot to wake the reader, this loop never ends and loom reports it.
        while !reader_in.load(Ordering::SeqCst) {
            thread::yield_now();
        }
        assert_eq!(*guard, 1);
        drop(guard);
        assert_eq!(
            reader.join().unwrap(),
            1,
            "the reader saw the write before the downgrade"
        );
        assert_unlocked(&lock);
    });
}

#[test]
fn no_writer_gets_in_between_a_write_and_its_downgrade() {
    loom::model(|| {
        let lock = Arc::new(RwLock::new(0usize));
        let occupancy = Arc::new(Occupancy::default());
        let mut guard = block_on(lock.write());
        *guard = 1;
        let writer = {
            let (lock, occupancy) = (lock.clone(), occupancy.clone());
            thread::spawn(move || {
                let mut guard = block_on(lock.write());
                occupancy.enter_write();
                *guard = 2;
                occupancy.leave_write();
            })
        };
        let guard = RwLockWriteGuard::downgrade(guard);
        occupancy.enter_read();
        assert_eq!(*guard, 1, "another writer got in during the downgrade");
        occupancy.leave_read();
        drop(guard);
        writer.join().unwrap();
        assert_eq!(*block_on(lock.read()), 2);
        assert_unlocked(&lock);
    });
}

#[test]
fn mapped_and_owned_guards_give_back_every_permit() {
    loom::model(|| {
        // A std `Arc`: that is what `write_owned` takes.
        let lock = std::sync::Arc::new(RwLock::new([0usize; 2]));
        let occupancy = Arc::new(Occupancy::default());
        let writer = {
            let (lock, occupancy) = (lock.clone(), occupancy.clone());
            thread::spawn(move || {
                let guard = block_on(lock.write_owned());
                let mut first = OwnedRwLockWriteGuard::map(guard, |data| &mut data[0]);
                occupancy.enter_write();
                *first = 1;
                occupancy.leave_write();
            })
        };
        let second = RwLockReadGuard::map(block_on(lock.read()), |data| &data[1]);
        occupancy.enter_read();
        assert_eq!(*second, 0);
        occupancy.leave_read();
        drop(second);
        let guard = block_on(lock.write());
        let first = RwLockWriteGuard::downgrade_map(guard, |data| &data[0]);
        occupancy.enter_read();
        assert!(*first <= 1);
        occupancy.leave_read();
        drop(first);
        writer.join().unwrap();
        assert_eq!(*block_on(lock.read()), [1, 0]);
        assert_unlocked(&lock);
    });
}
