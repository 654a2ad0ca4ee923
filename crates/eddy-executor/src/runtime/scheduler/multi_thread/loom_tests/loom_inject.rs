//! Loom models of the injection queue: pushes and pops from several threads.

use super::super::inject::Inject;
use loom::sync::Arc;
use loom::thread;

#[test]
fn push_and_pop_from_two_threads() {
    loom::model(|| {
        let inject = Arc::new(Inject::new());
        let pusher = {
            let inject = inject.clone();
            thread::spawn(move || {
                inject.push(1).unwrap();
                inject.push_batch([2, 3].into_iter());
            })
        };
        let popper = {
            let inject = inject.clone();
            thread::spawn(move || inject.pop().into_iter().collect::<Vec<_>>())
        };
        inject.push(0).unwrap();
        pusher.join().unwrap();
        let mut seen = popper.join().unwrap();
        seen.extend(std::iter::from_fn(|| inject.pop()));
        seen.sort_unstable();
        assert_eq!(seen, vec![0, 1, 2, 3]);
        assert!(inject.is_empty());
    });
}

#[test]
fn close_racing_push_loses_nothing() {
    loom::model(|| {
        let inject = Arc::new(Inject::new());
        let pusher = {
            let inject = inject.clone();
            thread::spawn(move || inject.push(1).is_ok())
        };
        inject.close();
        let accepted = pusher.join().unwrap();
        // Accepted means it is in the queue for shutdown to drain; refused means the caller got
        // it back.
        assert_eq!(inject.pop().is_some(), accepted);
    });
}
