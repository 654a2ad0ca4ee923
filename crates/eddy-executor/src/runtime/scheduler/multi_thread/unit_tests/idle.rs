use super::super::idle::Idle;

#[test]
fn one_wake_up_per_idle_runtime() {
    let idle = Idle::new(4);
    for worker in 0..4 {
        assert!(!idle.transition_worker_to_parked(worker, false));
    }
    assert_eq!(idle.num_unparked(), 0);
    let woken = idle.worker_to_notify();
    assert!(woken.is_some());
    // The woken worker is searching: further notifications wake nobody.
    assert_eq!(idle.worker_to_notify(), None);
    assert_eq!(idle.num_searching(), 1);
    assert_eq!(idle.num_unparked(), 1);
    assert!(!idle.is_parked(woken.unwrap()));
}

#[test]
fn at_most_half_search() {
    let idle = Idle::new(4);
    assert!(idle.transition_worker_to_searching());
    assert!(idle.transition_worker_to_searching());
    assert!(!idle.transition_worker_to_searching());
    assert!(!idle.transition_worker_from_searching());
    assert!(idle.transition_worker_from_searching());
    assert_eq!(idle.num_searching(), 0);
}

#[test]
fn last_searcher_to_park_must_recheck() {
    let idle = Idle::new(2);
    assert!(idle.transition_worker_to_searching());
    assert!(idle.transition_worker_to_parked(0, true));
    assert!(idle.is_parked(0));
    assert!(idle.unpark_worker_by_id(0));
    assert!(!idle.unpark_worker_by_id(0));
    assert_eq!(idle.num_unparked(), 2);
}

#[test]
fn no_wake_up_while_every_worker_is_awake() {
    let idle = Idle::new(2);
    assert_eq!(idle.worker_to_notify(), None);
}
