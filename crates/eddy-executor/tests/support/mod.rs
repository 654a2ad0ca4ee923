//! Shared setup of the task-toolkit tests.

use eddy_executor::runtime::{Builder, Runtime};

/// A current-thread runtime and, with the `multi-thread` feature, a 2-worker one: the toolkit
/// tests run every case on each flavor.
pub fn runtimes() -> Vec<Runtime> {
    let current_thread = Builder::new_current_thread().enable_all().build().unwrap();
    #[cfg(feature = "multi-thread")]
    let multi_thread = Some(
        Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap(),
    );
    #[cfg(not(feature = "multi-thread"))]
    let multi_thread = None;
    std::iter::once(current_thread)
        .chain(multi_thread)
        .collect()
}
