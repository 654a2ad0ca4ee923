//! [`Buf`]: the bytes a [`File`](crate::File) sends to its blocking thread and gets back.
//!
//! A file owns one `Buf`. While an operation is in flight the `Buf` travels with it to the
//! blocking thread, so reads fill it and writes drain it without a copy on the way back, and the
//! allocation is reused from one operation to the next. Between operations it holds either
//! nothing or bytes a read brought that the caller has not taken yet (`data[pos..end]`); a write
//! or seek first gives those back to the file by moving the cursor back over them.
//!
//! The storage is kept initialized up to its length, which only grows: a read or write that
//! needs more room zeroes just the new part, so the buffer needs no `unsafe` and a steady stream
//! of reads pays for zeroing once.

use eddy_io::ReadBuf;
use std::fs::File as StdFile;
use std::io::{self, IoSlice, Read, Write};

#[derive(Default)]
pub(crate) struct Buf {
    /// Initialized storage; `data[pos..end]` are the bytes held.
    data: Vec<u8>,
    pos: usize,
    end: usize,
}

impl Buf {
    /// True when the buffer holds no bytes.
    pub(crate) fn is_empty(&self) -> bool {
        self.pos == self.end
    }

    /// Moves as many held bytes as fit into `dst`.
    pub(crate) fn copy_to(&mut self, dst: &mut ReadBuf<'_>) {
        let n = (self.end - self.pos).min(dst.remaining());
        dst.put_slice(&self.data[self.pos..self.pos + n]);
        self.pos += n;
        if self.pos == self.end {
            self.clear();
        }
    }

    /// Drops the held bytes and returns how far the file's cursor must move (back) to stand
    /// where the caller believes it is: zero or negative.
    pub(crate) fn discard(&mut self) -> i64 {
        let unread = self.end - self.pos;
        self.clear();
        // A buffer never holds more than `isize::MAX` bytes, so this cannot truncate.
        -(unread as i64)
    }

    /// Copies up to `max` bytes from `slices`, in order, into the empty buffer; returns how
    /// many it took.
    pub(crate) fn fill_from(&mut self, slices: &[IoSlice<'_>], max: usize) -> usize {
        debug_assert!(self.is_empty());
        let total = slices
            .iter()
            .map(|s| s.len())
            .fold(0usize, usize::saturating_add);
        let wanted = total.min(max);
        self.reserve_initialized(wanted);
        let mut filled = 0;
        for slice in slices {
            let n = slice.len().min(wanted - filled);
            self.data[filled..filled + n].copy_from_slice(&slice[..n]);
            filled += n;
            if filled == wanted {
                break;
            }
        }
        self.end = filled;
        filled
    }

    /// One read of at most `max` bytes from `file` into the empty buffer (on a blocking thread).
    pub(crate) fn read_from(&mut self, file: &StdFile, max: usize) -> io::Result<usize> {
        debug_assert!(self.is_empty());
        self.reserve_initialized(max);
        let n = loop {
            match (&*file).read(&mut self.data[..max]) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                result => break result?,
            }
        };
        self.end = n;
        Ok(n)
    }

    /// Writes every held byte to `file` (on a blocking thread); the buffer is empty afterwards,
    /// whatever the outcome.
    pub(crate) fn write_to(&mut self, file: &StdFile) -> io::Result<()> {
        let result = (&*file).write_all(&self.data[self.pos..self.end]);
        self.clear();
        result
    }

    fn clear(&mut self) {
        self.pos = 0;
        self.end = 0;
    }

    fn reserve_initialized(&mut self, len: usize) {
        if self.data.len() < len {
            self.data.resize(len, 0);
        }
    }
}
