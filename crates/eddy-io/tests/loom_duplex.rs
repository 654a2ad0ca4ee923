//! Loom models of the in-memory pipes: a reader and a writer on two threads never miss each
//! other's wake-ups, and closing one end always wakes the other.
#![cfg(loom)]

use eddy_io::{AsyncReadExt, AsyncWriteExt};
use loom::future::block_on;
use loom::thread;

#[test]
fn writer_waiting_for_room_is_woken_by_the_reader() {
    loom::model(|| {
        let (mut a, mut b) = eddy_io::duplex(1);
        let writer = thread::spawn(move || {
            block_on(async move {
                a.write_all(b"xy").await.unwrap();
            })
        });
        let mut got = Vec::new();
        block_on(b.read_to_end(&mut got)).unwrap();
        writer.join().unwrap();
        assert_eq!(got, b"xy");
    });
}

#[test]
fn reader_waiting_for_data_is_woken_by_a_drop() {
    loom::model(|| {
        let (a, mut b) = eddy_io::duplex(4);
        let dropper = thread::spawn(move || drop(a));
        let mut buf = [0u8; 1];
        assert_eq!(block_on(b.read(&mut buf)).unwrap(), 0);
        dropper.join().unwrap();
    });
}

#[test]
fn writer_waiting_for_room_is_woken_by_a_drop() {
    loom::model(|| {
        let (mut a, b) = eddy_io::duplex(1);
        let dropper = thread::spawn(move || drop(b));
        let result = block_on(a.write_all(b"xy"));
        dropper.join().unwrap();
        assert_eq!(result.unwrap_err().kind(), std::io::ErrorKind::BrokenPipe);
    });
}

#[test]
fn split_halves_of_a_simplex_on_two_threads() {
    loom::model(|| {
        let (mut reader, mut writer) = eddy_io::simplex(1);
        let producer = thread::spawn(move || {
            block_on(async move {
                writer.write_all(b"ab").await.unwrap();
                writer.shutdown().await.unwrap();
            })
        });
        let mut got = Vec::new();
        block_on(reader.read_to_end(&mut got)).unwrap();
        producer.join().unwrap();
        assert_eq!(got, b"ab");
    });
}
