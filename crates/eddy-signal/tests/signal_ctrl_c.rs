//! `ctrl_c` wakes on a SIGINT raised on the test process (in a test binary of its own: the
//! handler stays installed for the life of the process).

use eddy_executor::runtime::Builder;
use std::future::{poll_fn, Future};
use std::pin::pin;
use std::task::Poll;

#[test]
fn ctrl_c_wakes_on_sigint() {
    let rt = Builder::new_multi_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let mut ctrl_c = pin!(eddy_signal::ctrl_c());
        // The first poll installs the handler and registers the listener: only then is it
        // safe to send SIGINT, whose default action would end the test process.
        let waiting = poll_fn(|cx| Poll::Ready(ctrl_c.as_mut().poll(cx).is_pending())).await;
        assert!(waiting, "no SIGINT was sent yet");
        eddy_executor::spawn(async {
            // SAFETY: `kill` on our own pid; eddy's SIGINT handler is installed above.
            assert_eq!(unsafe { libc::kill(libc::getpid(), libc::SIGINT) }, 0);
        });
        ctrl_c.await.unwrap();
    });
}
