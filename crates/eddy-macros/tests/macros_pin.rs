//! `pin!`: both of Tokio's forms pin to the stack and give `Pin<&mut T>` bindings that can be
//! polled repeatedly, including for `!Unpin` futures such as async blocks.

mod support;

use eddy_macros::{pin, select};
use eddy_test_support::executor::block_on;
use std::future::Future;
use std::pin::Pin;
use std::task::Poll;
use support::after;

#[test]
fn pinned_variables_become_pin_mut_of_the_value() {
    let first = async { 1 };
    let second = after(2, 2);
    pin!(first, second);
    let _: &Pin<&mut _> = &first;
    let total = block_on(async { first.as_mut().await + second.as_mut().await });
    assert_eq!(total, 3);
}

#[test]
fn let_form_declares_pinned_futures() {
    pin! {
        let sleepy = after(3, "woke");
        let blocky = async { 5 };
    }
    let outputs = block_on(async { (sleepy.as_mut().await, blocky.await) });
    assert_eq!(outputs, ("woke", 5));
}

#[test]
fn a_pinned_async_block_is_polled_by_hand_until_ready() {
    let future = async {
        after(2, ()).await;
        "finished"
    };
    pin!(future);
    let polls = block_on(std::future::poll_fn(|cx| {
        let mut polls = 0;
        loop {
            polls += 1;
            if let Poll::Ready(value) = future.as_mut().poll(cx) {
                assert_eq!(value, "finished");
                return Poll::Ready(polls);
            }
        }
    }));
    assert_eq!(polls, 3);
}

#[test]
fn a_pinned_async_block_survives_select_loops() {
    let future = async {
        after(3, ()).await;
        7
    };
    pin!(future);
    let (value, iterations) = block_on(async {
        let mut iterations = 0;
        loop {
            iterations += 1;
            select! {
                biased;
                value = &mut future => break (value, iterations),
                () = std::future::ready(()) => {}
            }
        }
    });
    assert_eq!((value, iterations), (7, 4));
}
