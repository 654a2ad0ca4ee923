#![cfg(not(loom))]

use eddy_sync::{
    OwnedRwLockReadGuard, OwnedRwLockWriteGuard, RwLock, RwLockReadGuard, RwLockWriteGuard,
};
use eddy_test_support::executor::{block_on, spawn_thread};
use eddy_test_support::future::yield_now;
use eddy_test_support::task::poll_once;
use eddy_test_support::waker::counting;
use std::sync::Arc;

#[test]
fn many_readers_share_one_writer_excludes() {
    let lock = RwLock::new(1);
    let r1 = lock.try_read().unwrap();
    let r2 = lock.try_read().unwrap();
    assert!(lock.try_write().is_err());
    assert_eq!(*r1 + *r2, 2);
    drop((r1, r2));
    let mut w = lock.try_write().unwrap();
    *w = 5;
    assert!(lock.try_read().is_err());
    drop(w);
    assert_eq!(*lock.try_read().unwrap(), 5);
}

#[test]
fn queued_writer_blocks_new_readers() {
    let lock = Arc::new(RwLock::new(0));
    let reader = lock.clone().try_read_owned().unwrap();
    let l = lock.clone();
    let (writer_wakes, writer_waker) = counting();
    let mut writer = Box::pin(async move { *l.write().await += 1 });
    assert!(poll_once(writer.as_mut(), &writer_waker).is_pending());
    assert!(
        lock.try_read().is_err(),
        "write-preferring: a waiting writer holds readers back"
    );
    drop(reader);
    assert_eq!(writer_wakes.count(), 1);
    assert!(poll_once(writer.as_mut(), &writer_waker).is_ready());
    assert_eq!(*lock.try_read().unwrap(), 1);
}

#[test]
fn max_readers_is_enforced() {
    let lock = RwLock::with_max_readers((), 2);
    let _a = lock.try_read().unwrap();
    let _b = lock.try_read().unwrap();
    assert!(lock.try_read().is_err());
}

#[test]
#[should_panic]
fn zero_max_readers_panics() {
    let _ = RwLock::with_max_readers((), 0);
}

#[test]
fn downgrade_lets_readers_in_but_not_writers() {
    let lock = RwLock::new(String::from("a"));
    let mut w = lock.try_write().unwrap();
    w.push('b');
    let r = w.downgrade();
    assert!(lock.try_write().is_err());
    let r2 = lock.try_read().unwrap();
    assert_eq!((r.as_str(), r2.as_str()), ("ab", "ab"));
    drop((r, r2));
    assert!(lock.try_write().is_ok());
}

#[test]
fn mapped_guards() {
    let lock = RwLock::new((1, vec![2]));
    let r = RwLockReadGuard::map(lock.try_read().unwrap(), |pair| &pair.1);
    assert_eq!(*r, vec![2]);
    drop(r);
    let w = lock.try_write().unwrap();
    let mut v = RwLockWriteGuard::map(w, |pair| &mut pair.1);
    v.push(3);
    assert!(lock.try_read().is_err());
    drop(v);
    assert_eq!(lock.try_read().unwrap().1, vec![2, 3]);
}

#[test]
fn owned_guards_map_and_downgrade() {
    let lock = Arc::new(RwLock::new((1, 2)));
    let w = block_on(lock.clone().write_owned());
    let mut second = OwnedRwLockWriteGuard::map(w, |pair| &mut pair.1);
    *second = 20;
    drop(second);
    let w = lock.clone().try_write_owned().unwrap();
    let r = w.downgrade();
    let first = OwnedRwLockReadGuard::map(r, |pair| &pair.0);
    assert_eq!(*first, 1);
    assert!(Arc::ptr_eq(OwnedRwLockReadGuard::rwlock(&first), &lock));
    drop(first);
    assert_eq!(*block_on(lock.clone().read_owned()), (1, 20));
}

#[test]
fn readers_and_writers_on_threads_keep_the_invariant() {
    let lock = Arc::new(RwLock::new((0u64, 0u64)));
    let workers: Vec<_> = (0..4)
        .map(|i| {
            let lock = lock.clone();
            spawn_thread(async move {
                for _ in 0..500 {
                    if i % 2 == 0 {
                        let mut w = lock.write().await;
                        w.0 += 1;
                        yield_now().await;
                        w.1 += 1;
                    } else {
                        let r = lock.read().await;
                        assert_eq!(r.0, r.1, "a reader saw a half-done write");
                    }
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().unwrap();
    }
    assert_eq!(*lock.blocking_read(), (1000, 1000));
    *lock.blocking_write() = (0, 0);
}

#[test]
fn get_mut_into_inner_const() {
    static LOCK: RwLock<u8> = RwLock::const_new(7);
    assert_eq!(*LOCK.try_read().unwrap(), 7);
    let mut lock = RwLock::new(1);
    *lock.get_mut() += 1;
    assert_eq!(lock.into_inner(), 2);
}

#[test]
fn downgrade_map_reads_a_part_and_lets_readers_in() {
    let lock = RwLock::new((1, String::from("b")));
    let w = lock.try_write().unwrap();
    let w = match RwLockWriteGuard::try_downgrade_map(w, |_| None::<&u8>) {
        Err(w) => w,
        Ok(_) => panic!("nothing was found"),
    };
    assert!(lock.try_read().is_err());
    let part = RwLockWriteGuard::downgrade_map(w, |pair| &pair.1);
    assert_eq!(*part, "b");
    assert_eq!(lock.try_read().unwrap().0, 1);
    assert!(lock.try_write().is_err());
    drop(part);
    assert!(lock.try_write().is_ok());

    let lock = Arc::new(RwLock::new(vec![1, 2]));
    let w = lock.clone().try_write_owned().unwrap();
    let part = OwnedRwLockWriteGuard::try_downgrade_map(w, |v| v.get(1)).unwrap();
    assert_eq!(*part, 2);
    assert!(lock.try_read().is_ok());
    assert!(lock.try_write().is_err());
    drop(part);
    assert!(lock.try_write().is_ok());
}
