use super::super::inject::Inject;
use super::super::queue::{self, CAPACITY};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

#[test]
fn pop_returns_tasks_in_push_order() {
    let inject = Inject::new();
    let (_steal, mut local) = queue::local();
    for value in 0..10 {
        local.push_back_or_overflow(value, &inject);
    }
    assert_eq!(local.len(), 10);
    let popped: Vec<i32> = std::iter::from_fn(|| local.pop()).collect();
    assert_eq!(popped, (0..10).collect::<Vec<_>>());
    assert!(inject.is_empty());
}

#[test]
fn overflow_moves_half_and_the_new_task_to_inject() {
    let inject = Inject::new();
    let (_steal, mut local) = queue::local();
    for value in 0..=CAPACITY {
        local.push_back_or_overflow(value, &inject);
    }
    assert_eq!(local.len(), CAPACITY / 2);
    assert_eq!(inject.len(), CAPACITY / 2 + 1);
    // The oldest half went out, in order, followed by the task that did not fit.
    let first = inject.pop_batch(usize::MAX, |tasks| tasks.for_each(drop));
    assert_eq!(first, Some(0));
    assert_eq!(local.pop(), Some(CAPACITY / 2));
}

#[test]
fn wraps_around_many_times() {
    let inject = Inject::new();
    let (_steal, mut local) = queue::local();
    for round in 0..(3 * CAPACITY) {
        local.push_back_or_overflow(round, &inject);
        local.push_back_or_overflow(round, &inject);
        assert_eq!(local.pop(), Some(round));
        assert_eq!(local.pop(), Some(round));
    }
    assert!(local.pop().is_none());
    assert!(inject.is_empty());
}

#[test]
fn steal_takes_half_rounded_up_and_returns_one() {
    let inject = Inject::new();
    let (steal, mut victim) = queue::local();
    let (_other, mut thief) = queue::local();
    for value in 0..9 {
        victim.push_back_or_overflow(value, &inject);
    }
    let task = steal.steal_into(&mut thief);
    // Five of nine were taken: four land in the thief's queue, the newest is returned.
    assert_eq!(task, Some(4));
    assert_eq!(thief.len(), 4);
    assert_eq!(victim.len(), 4);
    assert_eq!(thief.pop(), Some(0));
    assert_eq!(victim.pop(), Some(5));
}

#[test]
fn steal_from_empty_queue_finds_nothing() {
    let (steal, _victim) = queue::local::<u32>();
    let (_other, mut thief) = queue::local();
    assert!(steal.is_empty());
    assert_eq!(steal.steal_into(&mut thief), None);
}

#[test]
fn steal_refused_when_destination_more_than_half_full() {
    let inject = Inject::new();
    let (steal, mut victim) = queue::local();
    let (_other, mut thief) = queue::local();
    for value in 0..10 {
        victim.push_back_or_overflow(value, &inject);
    }
    for value in 0..=(CAPACITY / 2) {
        thief.push_back_or_overflow(value, &inject);
    }
    assert_eq!(steal.steal_into(&mut thief), None);
    assert_eq!(victim.len(), 10);
}

struct CountDrops(Arc<AtomicUsize>);

impl Drop for CountDrops {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

#[test]
fn dropping_the_queue_drops_queued_tasks() {
    let drops = Arc::new(AtomicUsize::new(0));
    let inject = Inject::new();
    let (steal, mut local) = queue::local();
    for _ in 0..7 {
        local.push_back_or_overflow(CountDrops(drops.clone()), &inject);
    }
    drop(local.pop());
    drop(local);
    assert_eq!(drops.load(Ordering::SeqCst), 1);
    drop(steal);
    assert_eq!(drops.load(Ordering::SeqCst), 7);
}

#[test]
fn concurrent_stealers_see_every_task_exactly_once() {
    const TASKS: usize = if cfg!(miri) { 300 } else { 100_000 };
    let inject = Arc::new(Inject::new());
    let (steal, mut local) = queue::local();
    let seen = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let thieves: Vec<_> = (0..2)
        .map(|_| {
            let steal = steal.clone();
            let seen = seen.clone();
            let done = done.clone();
            std::thread::spawn(move || {
                let (_s, mut mine) = queue::local::<usize>();
                let mut sum = 0;
                loop {
                    let finished = done.load(Ordering::Acquire);
                    if let Some(task) = steal.steal_into(&mut mine) {
                        sum += task;
                        seen.fetch_add(1, Ordering::Relaxed);
                    }
                    while let Some(task) = mine.pop() {
                        sum += task;
                        seen.fetch_add(1, Ordering::Relaxed);
                    }
                    if finished && steal.is_empty() {
                        return sum;
                    }
                }
            })
        })
        .collect();
    let mut sum = 0;
    for value in 0..TASKS {
        local.push_back_or_overflow(value, &inject);
        if value % 3 == 0 {
            if let Some(task) = local.pop() {
                sum += task;
                seen.fetch_add(1, Ordering::Relaxed);
            }
        }
    }
    done.store(true, Ordering::Release);
    while let Some(task) = local.pop() {
        sum += task;
        seen.fetch_add(1, Ordering::Relaxed);
    }
    for thief in thieves {
        sum += thief.join().unwrap();
    }
    while let Some(task) = inject.pop() {
        sum += task;
        seen.fetch_add(1, Ordering::Relaxed);
    }
    assert_eq!(seen.load(Ordering::Relaxed), TASKS);
    assert_eq!(sum, TASKS * (TASKS - 1) / 2);
}
