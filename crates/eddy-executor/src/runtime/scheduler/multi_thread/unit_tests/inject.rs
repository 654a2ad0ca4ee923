use super::super::inject::{
    is_global_tick, tuned_global_queue_interval, Inject, MULTI_THREAD_INITIAL_GLOBAL_QUEUE_INTERVAL,
};

#[test]
fn fifo_order_and_len() {
    let inject = Inject::new();
    inject.push(1).unwrap();
    inject.push_batch([2, 3, 4].into_iter());
    assert_eq!(inject.len(), 4);
    assert_eq!(inject.pop(), Some(1));
    let mut rest = Vec::new();
    assert_eq!(inject.pop_batch(2, |tasks| rest.extend(tasks)), Some(2));
    assert_eq!(rest, vec![3]);
    assert_eq!(inject.len(), 1);
    assert_eq!(inject.pop(), Some(4));
    assert_eq!(inject.pop(), None);
    assert!(inject.is_empty());
}

#[test]
fn closed_queue_refuses_tasks() {
    let inject = Inject::new();
    assert!(!inject.is_closed());
    assert!(inject.close());
    assert!(!inject.close());
    assert!(inject.is_closed());
    assert_eq!(inject.push(7), Err(7));
    // Workers' overflow is still accepted; shutdown drains it.
    inject.push_batch([1, 2].into_iter());
    assert_eq!(inject.len(), 2);
}

#[test]
fn global_tick_every_interval() {
    let ticks: Vec<u32> = (1..=200)
        .filter(|&tick| is_global_tick(tick, MULTI_THREAD_INITIAL_GLOBAL_QUEUE_INTERVAL))
        .collect();
    assert_eq!(ticks, vec![61, 122, 183]);
}

#[test]
fn the_tuned_interval_fits_the_target_latency_within_its_bounds() {
    // 200 µs of polls between two looks at the injection queue.
    assert_eq!(tuned_global_queue_interval(5_000.0), 40);
    assert_eq!(tuned_global_queue_interval(2_000.0), 100);
    // Slow polls: still two ticks at least; fast ones: 127 at most.
    assert_eq!(tuned_global_queue_interval(1_000_000.0), 2);
    assert_eq!(tuned_global_queue_interval(50.0), 127);
    assert_eq!(tuned_global_queue_interval(0.0), 127);
}
