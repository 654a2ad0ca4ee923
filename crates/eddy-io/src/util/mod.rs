//! The utilities behind the `util` feature: extension traits and the futures they return,
//! buffered wrappers, copying, in-memory pipes, splitting and joining, and standard I/O.
//!
//! Every future here borrows its reader or writer and keeps its progress in its own fields, so
//! polling it again after `Pending` resumes where it stopped. Each extension method documents
//! what is lost if its future is dropped before it completes (its cancel safety).
//!
//! The futures of the extension methods (`read`, `write_all`, `read_u32`, `seek`, ...) are
//! `!Unpin`, like Tokio's, which keeps the freedom to let them borrow from themselves later
//! (Tokio's reason). None of them needs it today, but code written against eddy must keep
//! compiling against Tokio and back, so they pin exactly where Tokio's do: a caller who polls
//! one by hand pins it first (`pin!`, `Box::pin`), as with an `async fn`'s future.

pub(crate) mod async_buf_read_ext;
pub(crate) mod async_read_ext;
pub(crate) mod async_seek_ext;
pub(crate) mod async_write_ext;
pub(crate) mod blocking_reader;
pub(crate) mod blocking_writer;
pub(crate) mod budget;
pub(crate) mod buf_reader;
pub(crate) mod buf_stream;
pub(crate) mod buf_writer;
pub(crate) mod chain;
pub(crate) mod copy;
pub(crate) mod copy_bidirectional;
pub(crate) mod copy_buf;
pub(crate) mod copy_loop;
pub(crate) mod duplex;
pub(crate) mod empty;
pub(crate) mod fill_buf;
pub(crate) mod flush;
pub(crate) mod interrupted;
pub(crate) mod join;
pub(crate) mod lines;
pub(crate) mod number;
pub(crate) mod read;
pub(crate) mod read_buf;
pub(crate) mod read_exact;
pub(crate) mod read_int;
pub(crate) mod read_line;
pub(crate) mod read_to_end;
pub(crate) mod read_to_string;
pub(crate) mod read_until;
pub(crate) mod repeat;
pub(crate) mod seek;
pub(crate) mod shutdown;
pub(crate) mod simplex;
pub(crate) mod sink;
pub(crate) mod split;
pub(crate) mod split_halves;
pub(crate) mod std_output;
pub(crate) mod stdin;
pub(crate) mod take;
pub(crate) mod utf8_output;
pub(crate) mod write;
pub(crate) mod write_all;
pub(crate) mod write_all_buf;
pub(crate) mod write_buf;
pub(crate) mod write_int;
pub(crate) mod write_vectored;
