//! Setting a thread-local value for a scope.
//!
//! Entering a runtime, a blocking pool, a budget or a task id all follow one pattern: put a new
//! value into a thread-local slot, keep the value it replaces, and put that one back when the
//! scope ends, on unwinding too, so that scopes nest like a stack. [`Scoped`] is that guard.
//!
//! The slot is reached through a `swap` function the caller writes for its thread-local (a
//! `Cell`, a `RefCell` or a field of a struct in one; `std`'s or loom's `thread_local!`): it
//! stores a value and returns the one it replaced, or `None` when the thread-local is already
//! destroyed because the thread is exiting. In that case there is nothing to restore, and the
//! guard does nothing on drop. The value the restore takes out is dropped after the swap
//! returned, so outside any borrow of the slot.
//!
//! The guard adds no auto-trait bounds of its own: it is `Send`/`Sync` when the value is.
//! A guard that must stay on its thread says so with its own marker.
//!
//! ```
//! use eddy_core::scoped::Scoped;
//! use std::cell::Cell;
//!
//! thread_local! {
//!     static LEVEL: Cell<u32> = const { Cell::new(0) };
//! }
//!
//! fn swap_level(level: u32) -> Option<u32> {
//!     LEVEL.try_with(|cell| cell.replace(level)).ok()
//! }
//!
//! {
//!     let _outer = Scoped::set(swap_level, 1);
//!     {
//!         let _inner = Scoped::set(swap_level, 2);
//!         assert_eq!(LEVEL.get(), 2);
//!     }
//!     assert_eq!(LEVEL.get(), 1);
//! }
//! assert_eq!(LEVEL.get(), 0);
//! ```

use std::fmt;

/// Holds the value a thread-local slot had before [`Scoped::set`] and puts it back on drop.
#[must_use = "the previous value is restored when the guard is dropped"]
pub struct Scoped<T: 'static> {
    /// `None` when the slot was already destroyed at `set`.
    previous: Option<T>,
    swap: fn(T) -> Option<T>,
}

impl<T: 'static> Scoped<T> {
    /// Stores `value` with `swap` until the guard is dropped.
    ///
    /// `swap` stores its argument in the slot and returns the value it replaced, or `None` if
    /// the slot is gone (the thread is exiting).
    #[inline]
    pub fn set(swap: fn(T) -> Option<T>, value: T) -> Scoped<T> {
        Scoped {
            previous: swap(value),
            swap,
        }
    }

    /// The value that the drop will put back; `None` if the slot was gone at `set`.
    #[inline]
    pub fn previous(&self) -> Option<&T> {
        self.previous.as_ref()
    }
}

impl<T: 'static> Drop for Scoped<T> {
    #[inline]
    fn drop(&mut self) {
        if let Some(previous) = self.previous.take() {
            drop((self.swap)(previous));
        }
    }
}

impl<T: fmt::Debug + 'static> fmt::Debug for Scoped<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scoped")
            .field("previous", &self.previous)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::Scoped;
    use std::cell::{Cell, RefCell};
    use std::panic::{self, AssertUnwindSafe};

    thread_local! {
        static NUMBER: Cell<u32> = const { Cell::new(0) };
        static NAME: RefCell<Option<String>> = const { RefCell::new(None) };
    }

    fn swap_number(number: u32) -> Option<u32> {
        NUMBER.try_with(|cell| cell.replace(number)).ok()
    }

    fn swap_name(name: Option<String>) -> Option<Option<String>> {
        NAME.try_with(|cell| cell.replace(name)).ok()
    }

    fn name() -> Option<String> {
        NAME.with(|cell| cell.borrow().clone())
    }

    #[test]
    fn nested_scopes_restore_in_turn() {
        let outer = Scoped::set(swap_name, Some("outer".to_owned()));
        assert_eq!(outer.previous(), Some(&None));
        {
            let inner = Scoped::set(swap_name, Some("inner".to_owned()));
            assert_eq!(inner.previous(), Some(&Some("outer".to_owned())));
            assert_eq!(name().as_deref(), Some("inner"));
        }
        assert_eq!(name().as_deref(), Some("outer"));
        drop(outer);
        assert_eq!(name(), None);
    }

    #[test]
    fn a_panic_in_the_scope_restores_the_previous_value() {
        let _outer = Scoped::set(swap_number, 1);
        let unwound = panic::catch_unwind(AssertUnwindSafe(|| {
            let _inner = Scoped::set(swap_number, 2);
            assert_eq!(NUMBER.get(), 2);
            panic!("inside the scope");
        }));
        assert!(unwound.is_err());
        assert_eq!(NUMBER.get(), 1);
    }

    #[test]
    fn a_scope_set_on_a_destroyed_slot_restores_nothing() {
        thread_local! {
            static SWAPS: Cell<u32> = const { Cell::new(0) };
        }
        fn swap_gone(_: u32) -> Option<u32> {
            SWAPS.set(SWAPS.get() + 1);
            None
        }
        let scope = Scoped::set(swap_gone, 7);
        assert_eq!(scope.previous(), None);
        drop(scope);
        assert_eq!(SWAPS.get(), 1, "the drop must not swap again");
    }

    #[test]
    fn the_replaced_value_is_dropped_outside_the_slot_borrow() {
        struct ReadsSlotOnDrop;
        impl Drop for ReadsSlotOnDrop {
            fn drop(&mut self) {
                // Would panic with "already mutably borrowed" if dropped inside the swap.
                SLOT.with(|slot| assert!(slot.borrow().is_none()));
            }
        }
        thread_local! {
            static SLOT: RefCell<Option<ReadsSlotOnDrop>> = const { RefCell::new(None) };
        }
        fn swap_slot(value: Option<ReadsSlotOnDrop>) -> Option<Option<ReadsSlotOnDrop>> {
            SLOT.try_with(|slot| slot.replace(value)).ok()
        }
        let scope = Scoped::set(swap_slot, Some(ReadsSlotOnDrop));
        drop(scope);
        SLOT.with(|slot| assert!(slot.borrow().is_none()));
    }
}
