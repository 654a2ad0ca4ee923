//! The timer error types.

use eddy_time::error::{Elapsed, Error};

#[test]
fn error_kinds_are_told_apart() {
    let kinds = [Error::shutdown(), Error::at_capacity(), Error::invalid()];
    let flags: Vec<[bool; 3]> = kinds
        .iter()
        .map(|e| [e.is_shutdown(), e.is_at_capacity(), e.is_invalid()])
        .collect();
    assert_eq!(
        flags,
        [
            [true, false, false],
            [false, true, false],
            [false, false, true]
        ]
    );
    assert!(kinds.iter().all(|e| !e.to_string().is_empty()));
    assert_ne!(Error::shutdown(), Error::invalid());
}

#[test]
fn errors_are_std_errors() {
    fn std_error<E: std::error::Error + Send + Sync + 'static>() {}
    std_error::<Error>();
    std_error::<Elapsed>();
}
