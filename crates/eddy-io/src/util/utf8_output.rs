//! Appending bytes to a `String` that must stay valid UTF-8, even if the reader stops halfway.
//!
//! `read_line` and `read_to_string` read bytes, not characters. [`Utf8Output`] takes the string's
//! bytes out so that new bytes can be appended directly, and gives a valid string back in every
//! case: the whole result when the appended bytes are UTF-8; the original contents (and an
//! `InvalidData` error) when they are not, or when the reader failed and the caller discards
//! them; and, if the future is dropped before finishing, the original contents plus every
//! complete character read so far.

use std::io;
use std::mem;

pub(crate) struct Utf8Output<'a> {
    output: &'a mut String,
    bytes: Vec<u8>,
    original_len: usize,
    finished: bool,
}

impl<'a> Utf8Output<'a> {
    pub(crate) fn new(output: &'a mut String) -> Utf8Output<'a> {
        let bytes = mem::take(output).into_bytes();
        Utf8Output {
            original_len: bytes.len(),
            output,
            bytes,
            finished: false,
        }
    }

    /// The capacity of the string's bytes.
    pub(crate) fn capacity(&self) -> usize {
        self.bytes.capacity()
    }

    /// The string's bytes, to append to.
    ///
    /// # Panics
    ///
    /// Panics after [`finish`](Self::finish): the future owning this was polled after it
    /// completed.
    pub(crate) fn bytes_mut(&mut self) -> &mut Vec<u8> {
        assert!(
            !self.finished,
            "a string-reading future was polled after it completed"
        );
        &mut self.bytes
    }

    /// Puts the bytes back as a string; returns how many bytes were appended.
    ///
    /// If the appended bytes are not UTF-8, the string gets its original contents back.
    pub(crate) fn finish(&mut self) -> io::Result<usize> {
        self.finished = true;
        let appended = self.bytes.len() - self.original_len;
        // The error (a `Utf8Error` over the whole string, as Tokio's) is the inner error.
        let result = match std::str::from_utf8(&self.bytes) {
            Ok(_) => Ok(appended),
            Err(error) => {
                self.bytes.truncate(self.original_len);
                Err(io::Error::new(io::ErrorKind::InvalidData, error))
            }
        };
        self.restore_valid_prefix();
        result
    }

    /// Gives the string its original contents back, dropping what was appended (after the
    /// reader failed).
    pub(crate) fn discard(&mut self) {
        self.finished = true;
        self.bytes.truncate(self.original_len);
        self.restore_valid_prefix();
    }

    /// Moves the longest valid UTF-8 prefix of the bytes back into the string.
    fn restore_valid_prefix(&mut self) {
        let mut bytes = mem::take(&mut self.bytes);
        if let Err(error) = std::str::from_utf8(&bytes) {
            bytes.truncate(error.valid_up_to());
        }
        if let Ok(string) = String::from_utf8(bytes) {
            *self.output = string;
        }
    }
}

impl Drop for Utf8Output<'_> {
    fn drop(&mut self) {
        if !self.finished {
            self.restore_valid_prefix();
        }
    }
}

impl std::fmt::Debug for Utf8Output<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Utf8Output")
            .field("original_len", &self.original_len)
            .field("held", &self.bytes.len())
            .finish()
    }
}
