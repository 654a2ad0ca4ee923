//! Compile-time checks that the public types are `Send`/`Sync` (and `Unpin`) where Tokio's are,
//! so that API drift shows up as a build error. The extension traits' futures are `!Unpin`, as
//! Tokio's are; that is checked too (a type lacks a trait when a call through a pair of
//! blanket impls, one of them for types with the trait, is not ambiguous).

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

trait LacksUnpin<Marker> {
    fn lacks_unpin(&self) {}
}
struct WithUnpin;
impl<T: ?Sized> LacksUnpin<()> for T {}
impl<T: ?Sized + Unpin> LacksUnpin<WithUnpin> for T {}

/// `Send + Sync + !Unpin`: does not compile for an `Unpin` value. (A macro: inside a generic
/// function the compiler cannot see the value's `Unpin`, and the check would always pass.)
macro_rules! send_sync_not_unpin {
    ($value:expr) => {{
        let value = $value;
        send(&value);
        sync(&value);
        LacksUnpin::lacks_unpin(&value);
    }};
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
fn futures_of_the_extension_traits_are_not_unpin() {
    let (mut stream, _peer) = duplex(8);
    let mut buf = [0u8; 4];
    send_sync_not_unpin!(stream.read(&mut buf));
    send_sync_not_unpin!(stream.read_exact(&mut buf));
    let mut vec = Vec::new();
    send_sync_not_unpin!(stream.read_to_end(&mut vec));
    send_sync_not_unpin!(stream.read_buf(&mut vec));
    let mut string = String::new();
    send_sync_not_unpin!(stream.read_to_string(&mut string));
    send_sync_not_unpin!(stream.read_u32());
    send_sync_not_unpin!(stream.write(b"x"));
    send_sync_not_unpin!(stream.write_all(b"x"));
    send_sync_not_unpin!(stream.write_u64_le(1));
    send_sync_not_unpin!(stream.write_vectored(&[]));
    let mut bytes = bytes::Bytes::new();
    send_sync_not_unpin!(stream.write_buf(&mut bytes));
    send_sync_not_unpin!(stream.write_all_buf(&mut bytes));
    send_sync_not_unpin!(stream.flush());
    send_sync_not_unpin!(stream.shutdown());
    let mut reader = BufReader::new(&b""[..]);
    send_sync_not_unpin!(reader.read_line(&mut string));
    send_sync_not_unpin!(reader.read_until(b'\n', &mut vec));
    send_sync_not_unpin!(reader.fill_buf());
    let mut cursor = Cursor::new(Vec::<u8>::new());
    send_sync_not_unpin!(cursor.seek(SeekFrom::Start(0)));
    send_sync_not_unpin!(cursor.stream_position());
    let (mut a, mut b) = (duplex(8).0, duplex(8).0);
    send(&copy(&mut a, &mut b));
    send(&copy_bidirectional(&mut a, &mut b));
}
