//! The I/O driver's counters (feature `io`): all zero on a runtime built without `enable_io`.

use super::RuntimeMetrics;

impl RuntimeMetrics {
    /// The number of readiness events the I/O driver dispatched to sockets and other sources.
    pub fn io_driver_ready_count(&self) -> u64 {
        self.io_driver()
            .map_or(0, eddy_reactor::driver::Handle::ready_count)
    }

    /// The number of sources (sockets, `AsyncFd`s) registered with the I/O driver so far.
    pub fn io_driver_fd_registered_count(&self) -> u64 {
        self.io_driver()
            .map_or(0, eddy_reactor::driver::Handle::fd_registered_count)
    }

    /// The number of sources whose registration with the I/O driver was released so far
    /// (dropped sockets). Registered minus deregistered is the number registered now.
    pub fn io_driver_fd_deregistered_count(&self) -> u64 {
        self.io_driver()
            .map_or(0, eddy_reactor::driver::Handle::fd_deregistered_count)
    }

    fn io_driver(&self) -> Option<&eddy_reactor::driver::Handle> {
        self.handle.driver().io()
    }
}
