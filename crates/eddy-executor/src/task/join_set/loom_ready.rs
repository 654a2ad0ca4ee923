//! Loom models of the `JoinSet` ready list: a push from another thread is never lost by a
//! waiter that registers concurrently.

use super::ready::{Key, ReadyList};
use eddy_test_support::executor::NotifyWaker;
use loom::sync::Arc;
use std::task::Waker;

fn key(index: usize) -> Key {
    Key {
        index,
        generation: index as u64,
    }
}

#[test]
fn push_from_other_threads_wakes_the_waiter() {
    loom::model(|| {
        let list = Arc::new(ReadyList::new());
        let pushers: Vec<_> = (0..2)
            .map(|index| {
                let list = list.clone();
                loom::thread::spawn(move || list.push_and_wake(key(index)))
            })
            .collect();
        let flag = NotifyWaker::new();
        let waker = Waker::from(flag.clone());
        let mut seen = Vec::new();
        loop {
            while let Some(key) = list.pop_or_register(&waker) {
                seen.push(key.index);
            }
            if seen.len() == 2 {
                break;
            }
            // Registered with nothing queued: only a push can end this wait.
            flag.wait();
        }
        for pusher in pushers {
            pusher.join().unwrap();
        }
        seen.sort_unstable();
        assert_eq!(seen, [0, 1]);
    });
}

#[test]
fn quiet_push_and_clear() {
    loom::model(|| {
        let list = Arc::new(ReadyList::new());
        list.push_quiet(key(0));
        let pusher = {
            let list = list.clone();
            loom::thread::spawn(move || list.push_and_wake(key(1)))
        };
        let first = list.pop();
        assert!(first == Some(key(0)));
        pusher.join().unwrap();
        assert_eq!(list.pop(), Some(key(1)));
        list.push_quiet(key(2));
        list.clear();
        assert_eq!(list.pop(), None);
    });
}
