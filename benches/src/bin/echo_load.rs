//! A blocking echo client for `cargo xtask bench`'s system-call count: one connection, N
//! messages of SIZE bytes, each awaited before the next is sent.
//!
//! `echo_load ADDR MESSAGES SIZE`

use std::io::{Read, Write};
use std::net::TcpStream;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, addr, messages, size] = args.as_slice() else {
        eprintln!("usage: echo_load ADDR MESSAGES SIZE");
        std::process::exit(2);
    };
    let messages: usize = messages.parse().expect("MESSAGES is a number");
    let size: usize = size.parse().expect("SIZE is a number");
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_nodelay(true).expect("nodelay");
    let message = vec![0x5a; size];
    let mut echo = vec![0; size];
    for _ in 0..messages {
        stream.write_all(&message).expect("write");
        stream.read_exact(&mut echo).expect("read");
        assert_eq!(echo, message);
    }
}
