//! [`ReadBuf`]: a byte buffer that may start out uninitialized.
//!
//! A reader fills a `ReadBuf` from the front. The buffer is three regions, in order:
//!
//! ```text
//! [ filled | initialized but not filled | uninitialized ]
//! 0        filled                       initialized      capacity
//! ```
//!
//! Invariants, kept by every method here:
//!
//! * `filled <= initialized <= buf.len()`;
//! * every byte in `buf[..initialized]` has been written, so it may be read as `u8`.
//!
//! The safe methods keep both invariants by construction. The `unsafe` ones
//! ([`ReadBuf::unfilled_mut`], [`ReadBuf::inner_mut`], [`ReadBuf::assume_init`]) hand the
//! obligation to the caller: never de-initialize a byte (not even one `ReadBuf` counts as
//! uninitialized, since the memory behind it may be initialized), and only claim bytes as
//! initialized after writing them. This module holds all of `ReadBuf`'s unsafe code.

use std::fmt;
use std::mem::MaybeUninit;

/// A borrowed byte buffer that tracks how much of it is filled and how much is initialized.
///
/// [`AsyncRead::poll_read`](crate::AsyncRead::poll_read) writes into the unfilled part and moves
/// the filled mark forward. Reading into uninitialized memory saves zeroing a buffer that is
/// about to be overwritten anyway.
///
/// ```
/// use eddy_io::ReadBuf;
///
/// let mut storage = [0u8; 8];
/// let mut buf = ReadBuf::new(&mut storage);
/// buf.put_slice(b"abc");
/// assert_eq!(buf.filled(), b"abc");
/// assert_eq!(buf.remaining(), 5);
/// ```
pub struct ReadBuf<'a> {
    buf: &'a mut [MaybeUninit<u8>],
    filled: usize,
    initialized: usize,
}

impl<'a> ReadBuf<'a> {
    /// Wraps a fully initialized buffer; nothing is filled yet.
    #[inline]
    pub fn new(buf: &'a mut [u8]) -> ReadBuf<'a> {
        let initialized = buf.len();
        // SAFETY: `[u8]` and `[MaybeUninit<u8>]` have the same layout, and every byte of `buf` is
        // initialized, which `initialized = len` records. The invariant (bytes below
        // `initialized` stay initialized) is upheld by every method of `ReadBuf`, so the caller's
        // `&mut [u8]` never observes an uninitialized byte after the borrow ends.
        let buf = unsafe { &mut *(buf as *mut [u8] as *mut [MaybeUninit<u8>]) };
        ReadBuf {
            buf,
            filled: 0,
            initialized,
        }
    }

    /// Wraps a buffer whose contents may be uninitialized; nothing is filled or initialized.
    #[inline]
    pub fn uninit(buf: &'a mut [MaybeUninit<u8>]) -> ReadBuf<'a> {
        ReadBuf {
            buf,
            filled: 0,
            initialized: 0,
        }
    }

    /// The total size of the buffer.
    #[inline]
    pub fn capacity(&self) -> usize {
        self.buf.len()
    }

    /// The filled part of the buffer.
    #[inline]
    pub fn filled(&self) -> &[u8] {
        // SAFETY: `filled <= initialized`, and the bytes below `initialized` are initialized.
        unsafe { slice_assume_init(&self.buf[..self.filled]) }
    }

    /// The filled part of the buffer, mutably.
    #[inline]
    pub fn filled_mut(&mut self) -> &mut [u8] {
        // SAFETY: as in `filled`; writing `u8`s keeps the bytes initialized.
        unsafe { slice_assume_init_mut(&mut self.buf[..self.filled]) }
    }

    /// A new `ReadBuf` over at most `n` bytes of this buffer's unfilled part.
    ///
    /// Bytes the new buffer fills are not counted as filled here: call [`advance`](Self::advance)
    /// (or [`assume_init`](Self::assume_init) and [`set_filled`](Self::set_filled)) afterwards.
    #[inline]
    pub fn take(&mut self, n: usize) -> ReadBuf<'_> {
        let len = n.min(self.remaining());
        let initialized = (self.initialized - self.filled).min(len);
        let filled = self.filled;
        ReadBuf {
            buf: &mut self.buf[filled..filled + len],
            filled: 0,
            // The sub-buffer shares our invariant: it may only ever add initialized bytes.
            initialized,
        }
    }

    /// The initialized part of the buffer (it includes the filled part).
    #[inline]
    pub fn initialized(&self) -> &[u8] {
        // SAFETY: the bytes below `initialized` are initialized.
        unsafe { slice_assume_init(&self.buf[..self.initialized]) }
    }

    /// The initialized part of the buffer, mutably (it includes the filled part).
    #[inline]
    pub fn initialized_mut(&mut self) -> &mut [u8] {
        // SAFETY: the bytes below `initialized` are initialized; writing `u8`s keeps them so.
        unsafe { slice_assume_init_mut(&mut self.buf[..self.initialized]) }
    }

    /// The whole buffer, filled or not, as possibly uninitialized bytes.
    ///
    /// # Safety
    ///
    /// The caller must not de-initialize any byte (for example by writing
    /// `MaybeUninit::uninit()` into it), not even past [`initialized`](Self::initialized): the
    /// memory there may be initialized without this `ReadBuf` knowing, as when it wraps the free
    /// room of a `bytes::BufMut`.
    #[inline]
    pub unsafe fn inner_mut(&mut self) -> &mut [MaybeUninit<u8>] {
        self.buf
    }

    /// The unfilled part of the buffer, as possibly uninitialized bytes.
    ///
    /// # Safety
    ///
    /// The caller must not de-initialize any byte, including those this `ReadBuf` counts as
    /// uninitialized (see [`inner_mut`](Self::inner_mut)).
    #[inline]
    pub unsafe fn unfilled_mut(&mut self) -> &mut [MaybeUninit<u8>] {
        &mut self.buf[self.filled..]
    }

    /// The unfilled part of the buffer, zeroing whatever of it was not yet initialized.
    #[inline]
    pub fn initialize_unfilled(&mut self) -> &mut [u8] {
        self.initialize_unfilled_to(self.remaining())
    }

    /// The first `n` bytes of the unfilled part, zeroing whatever of them was not initialized.
    ///
    /// # Panics
    ///
    /// Panics if `n` is more than [`remaining`](Self::remaining).
    #[inline]
    #[track_caller]
    pub fn initialize_unfilled_to(&mut self, n: usize) -> &mut [u8] {
        assert!(
            n <= self.remaining(),
            "n ({}) is more than the remaining capacity ({})",
            n,
            self.remaining()
        );
        let end = self.filled + n;
        if self.initialized < end {
            for byte in &mut self.buf[self.initialized..end] {
                byte.write(0);
            }
            self.initialized = end;
        }
        let start = self.filled;
        // SAFETY: `end <= initialized` now, so every byte in `start..end` is initialized.
        unsafe { slice_assume_init_mut(&mut self.buf[start..end]) }
    }

    /// How many bytes can still be filled.
    #[inline]
    pub fn remaining(&self) -> usize {
        self.capacity() - self.filled
    }

    /// Forgets the filled bytes (they stay initialized).
    #[inline]
    pub fn clear(&mut self) {
        self.filled = 0;
    }

    /// Marks `n` more bytes as filled.
    ///
    /// # Panics
    ///
    /// Panics if the filled part would overflow or grow past the initialized part.
    #[inline]
    #[track_caller]
    pub fn advance(&mut self, n: usize) {
        let filled = self
            .filled
            .checked_add(n)
            .expect("ReadBuf::advance: filled length overflowed");
        self.set_filled(filled);
    }

    /// Sets the filled length to `n`, which may shrink it.
    ///
    /// # Panics
    ///
    /// Panics if `n` is more than the initialized length.
    #[inline]
    #[track_caller]
    pub fn set_filled(&mut self, n: usize) {
        assert!(
            n <= self.initialized,
            "ReadBuf: filled ({}) must not become larger than initialized ({})",
            n,
            self.initialized
        );
        self.filled = n;
    }

    /// Records that the first `n` unfilled bytes are initialized.
    ///
    /// Claims below the current initialized mark change nothing.
    ///
    /// # Safety
    ///
    /// The caller must have initialized `buf[filled..filled + n]`.
    #[inline]
    pub unsafe fn assume_init(&mut self, n: usize) {
        let end = self.filled + n;
        if end > self.initialized {
            self.initialized = end;
        }
    }

    /// Copies `src` into the unfilled part and marks it filled.
    ///
    /// # Panics
    ///
    /// Panics if `src` is longer than [`remaining`](Self::remaining).
    #[inline]
    #[track_caller]
    pub fn put_slice(&mut self, src: &[u8]) {
        assert!(
            src.len() <= self.remaining(),
            "ReadBuf::put_slice: src.len() ({}) must fit in remaining() ({})",
            src.len(),
            self.remaining()
        );
        let start = self.filled;
        let end = start + src.len();
        for (slot, byte) in self.buf[start..end].iter_mut().zip(src) {
            slot.write(*byte);
        }
        if self.initialized < end {
            self.initialized = end;
        }
        self.filled = end;
    }
}

/// A `ReadBuf` is a `BufMut` over its unfilled part, as Tokio's is: `bytes`-based code (a
/// codec's `put_*` calls, `read_buf`) can fill it directly. Writing through the `BufMut`
/// methods fills and initializes exactly as [`put_slice`](ReadBuf::put_slice) does.
//
// SAFETY: `remaining_mut` is the length of the unfilled part, which is what `chunk_mut`
// exposes, and `advance_mut` moves `filled` forward over bytes the caller promises it wrote;
// nothing here can hand out initialized memory as uninitialized or move past the buffer
// without the caller breaking `advance_mut`'s contract.
#[cfg(feature = "util")]
unsafe impl bytes::BufMut for ReadBuf<'_> {
    fn remaining_mut(&self) -> usize {
        self.remaining()
    }

    unsafe fn advance_mut(&mut self, cnt: usize) {
        // SAFETY: `advance_mut`'s caller has initialized the first `cnt` unfilled bytes.
        unsafe { self.assume_init(cnt) };
        self.advance(cnt);
    }

    fn chunk_mut(&mut self) -> &mut bytes::buf::UninitSlice {
        // SAFETY: the unfilled memory is only exposed as an `UninitSlice`, whose API lets
        // callers write bytes but never de-initialize any.
        let unfilled = unsafe { self.unfilled_mut() };
        bytes::buf::UninitSlice::uninit(unfilled)
    }
}

impl fmt::Debug for ReadBuf<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReadBuf")
            .field("filled", &self.filled)
            .field("initialized", &self.initialized)
            .field("capacity", &self.capacity())
            .finish()
    }
}

/// # Safety
///
/// Every byte of `slice` must be initialized.
#[inline]
unsafe fn slice_assume_init(slice: &[MaybeUninit<u8>]) -> &[u8] {
    // SAFETY: same layout; the caller guarantees the bytes are initialized.
    unsafe { &*(slice as *const [MaybeUninit<u8>] as *const [u8]) }
}

/// # Safety
///
/// Every byte of `slice` must be initialized.
#[inline]
unsafe fn slice_assume_init_mut(slice: &mut [MaybeUninit<u8>]) -> &mut [u8] {
    // SAFETY: same layout; the caller guarantees the bytes are initialized, and writes through
    // the result store `u8`s, which keeps them initialized.
    unsafe { &mut *(slice as *mut [MaybeUninit<u8>] as *mut [u8]) }
}
