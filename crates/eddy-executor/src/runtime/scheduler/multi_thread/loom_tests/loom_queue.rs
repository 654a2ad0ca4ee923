//! Loom models of the local run queue: owner push/pop and overflow racing a steal.

use super::super::inject::Inject;
use super::super::queue::{self, Local};
use loom::sync::Arc;
use loom::thread;

fn drain(local: &mut Local<usize>) -> Vec<usize> {
    std::iter::from_fn(|| local.pop()).collect()
}

/// Every task ends up with exactly one party: the owner, the thief or the injection queue.
fn assert_each_once(mut seen: Vec<usize>, count: usize) {
    seen.sort_unstable();
    assert_eq!(seen, (0..count).collect::<Vec<_>>());
}

#[test]
fn push_and_pop_racing_steal() {
    loom::model(|| {
        let inject = Arc::new(Inject::new());
        let (steal, mut local) = queue::local();
        let thief = thread::spawn(move || {
            let (_s, mut mine) = queue::local();
            let mut seen: Vec<usize> = steal.steal_into(&mut mine).into_iter().collect();
            seen.extend(drain(&mut mine));
            seen
        });
        local.push_back_or_overflow(0, &inject);
        local.push_back_or_overflow(1, &inject);
        let mut seen: Vec<usize> = local.pop().into_iter().collect();
        local.push_back_or_overflow(2, &inject);
        seen.extend(drain(&mut local));
        seen.extend(thief.join().unwrap());
        seen.extend(std::iter::from_fn(|| inject.pop()));
        assert_each_once(seen, 3);
    });
}

#[test]
fn overflow_racing_steal() {
    loom::model(|| {
        let inject = Arc::new(Inject::new());
        let (steal, mut local) = queue::local();
        // Fill the ring (capacity 4 under loom) before the thief starts.
        for task in 0..4 {
            local.push_back_or_overflow(task, &inject);
        }
        let thief = thread::spawn(move || {
            let (_s, mut mine) = queue::local();
            let mut seen: Vec<usize> = steal.steal_into(&mut mine).into_iter().collect();
            seen.extend(drain(&mut mine));
            seen
        });
        local.push_back_or_overflow(4, &inject);
        let mut seen = drain(&mut local);
        seen.extend(thief.join().unwrap());
        seen.extend(std::iter::from_fn(|| inject.pop()));
        assert_each_once(seen, 5);
    });
}

#[test]
fn two_thieves_racing_the_owner() {
    loom::model(|| {
        let inject = Arc::new(Inject::new());
        let (steal, mut local) = queue::local();
        for task in 0..3 {
            local.push_back_or_overflow(task, &inject);
        }
        let thieves: Vec<_> = (0..2)
            .map(|_| {
                let steal = steal.clone();
                thread::spawn(move || {
                    let (_s, mut mine) = queue::local();
                    let mut seen: Vec<usize> = steal.steal_into(&mut mine).into_iter().collect();
                    seen.extend(drain(&mut mine));
                    seen
                })
            })
            .collect();
        let mut seen: Vec<usize> = local.pop().into_iter().collect();
        for thief in thieves {
            seen.extend(thief.join().unwrap());
        }
        seen.extend(drain(&mut local));
        assert_each_once(seen, 3);
    });
}
