//! The futures `join!`, `try_join!` and `select!` produce hold their futures in one pinned value,
//! one pointer to it and a few bytes of state, so on 64-bit targets their sizes are Tokio's (its
//! `join_size`, `try_join_size` and `select!` `struct_size_*` tests hold it to the same numbers).
#![cfg(target_pointer_width = "64")]

use eddy_macros::{join, select, try_join};
use std::future::ready;
use std::mem::size_of_val;

#[test]
fn join_keeps_a_start_index_and_one_slot_per_future() {
    let one = async {
        let first = ready(0_i32);
        join!(first)
    };
    assert_eq!(size_of_val(&one), 32);
    let two = async {
        let (first, second) = (ready(0_i32), ready(0_i32));
        join!(first, second)
    };
    assert_eq!(size_of_val(&two), 48);
}

#[test]
fn a_biased_join_keeps_no_start_index() {
    let one = async {
        let first = ready(0_i32);
        join!(biased; first)
    };
    assert_eq!(size_of_val(&one), 24);
    let two = async {
        let (first, second) = (ready(0_i32), ready(0_i32));
        join!(biased; first, second)
    };
    assert_eq!(size_of_val(&two), 40);
}

#[test]
fn try_join_is_as_small_as_join() {
    let one = async {
        let first = ready(Ok::<i32, ()>(0));
        try_join!(first)
    };
    assert_eq!(size_of_val(&one), 32);
    let two = async {
        let (first, second) = (ready(Ok::<i32, ()>(0)), ready(Ok::<i32, ()>(0)));
        try_join!(first, second)
    };
    assert_eq!(size_of_val(&two), 48);
    let biased = async {
        let (first, second) = (ready(Ok::<i32, ()>(0)), ready(Ok::<i32, ()>(0)));
        try_join!(biased; first, second)
    };
    assert_eq!(size_of_val(&biased), 40);
}

#[test]
fn select_keeps_its_futures_and_a_one_byte_mask() {
    let one = async {
        let first = ready(0_i32);
        select! {
            _ = first => {},
        }
    };
    assert_eq!(size_of_val(&one), 32);
    let two = async {
        let (first, second) = (ready(0_i32), ready(0_i32));
        select! {
            _ = first => {},
            _ = second => {},
        }
    };
    assert_eq!(size_of_val(&two), 40);
    let three = async {
        let (first, second, third) = (ready(0_i32), ready(0_i32), ready(0_i32));
        select! {
            _ = first => {},
            _ = second => {},
            _ = third => {},
        }
    };
    assert_eq!(size_of_val(&three), 48);
}
