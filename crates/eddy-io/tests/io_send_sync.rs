//! Compile-time checks that the public types are `Send`/`Sync` (and `Unpin`) where Tokio's are,
//! so that API drift shows up as a build error.

use eddy_io::*;
use std::io::Cursor;

fn send<T: Send>(_: &T) {}
fn sync<T: Sync>(_: &T) {}
fn unpin<T: Unpin>(_: &T) {}

fn send_sync_unpin<T: Send + Sync + Unpin>(value: &T) {
    send(value);
    sync(value);
    unpin(value);
}

#[test]
fn handles_and_wrappers() {
    let (a, _b) = duplex(8);
    send_sync_unpin(&a);
    let (reader, writer) = simplex(8);
    send_sync_unpin(&reader);
    send_sync_unpin(&writer);
    send_sync_unpin(&SimplexStream::new_unsplit(8));
    let (read_half, write_half) = split(duplex(8).0);
    send_sync_unpin(&read_half);
    send_sync_unpin(&write_half);
    send_sync_unpin(&BufReader::new(Cursor::new(Vec::<u8>::new())));
    send_sync_unpin(&BufWriter::new(Vec::<u8>::new()));
    send_sync_unpin(&BufStream::new(duplex(8).0));
    send_sync_unpin(&join(empty(), sink()));
    send_sync_unpin(&empty());
    send_sync_unpin(&sink());
    send_sync_unpin(&repeat(0));
    send_sync_unpin(&(&b""[..]).lines());
    send_sync_unpin(&(&b""[..]).chain(&b""[..]));
    send_sync_unpin(&(&b""[..]).take(1));
    send_sync_unpin(&AsyncBufReadExt::split(&b""[..], b','));
    send_sync_unpin(&stdin());
    send_sync_unpin(&stdout());
    send_sync_unpin(&stderr());
}

#[test]
fn futures_of_the_extension_traits() {
    let (mut stream, _peer) = duplex(8);
    let mut buf = [0u8; 4];
    send_sync_unpin(&stream.read(&mut buf));
    send_sync_unpin(&stream.read_exact(&mut buf));
    let mut vec = Vec::new();
    send_sync_unpin(&stream.read_to_end(&mut vec));
    send_sync_unpin(&stream.read_buf(&mut vec));
    let mut string = String::new();
    send_sync_unpin(&stream.read_to_string(&mut string));
    send_sync_unpin(&stream.read_u32());
    send_sync_unpin(&stream.write(b"x"));
    send_sync_unpin(&stream.write_all(b"x"));
    send_sync_unpin(&stream.write_u64_le(1));
    send_sync_unpin(&stream.flush());
    send_sync_unpin(&stream.shutdown());
    let mut reader = BufReader::new(&b""[..]);
    send_sync_unpin(&reader.read_line(&mut string));
    send_sync_unpin(&reader.read_until(b'\n', &mut vec));
    send_sync_unpin(&reader.fill_buf());
    let mut cursor = Cursor::new(Vec::<u8>::new());
    send_sync_unpin(&cursor.seek(SeekFrom::Start(0)));
    let (mut a, mut b) = (duplex(8).0, duplex(8).0);
    send(&copy(&mut a, &mut b));
    send(&copy_bidirectional(&mut a, &mut b));
}
