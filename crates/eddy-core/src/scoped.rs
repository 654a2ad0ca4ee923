//! Setting a thread-local value for a scope.
//!
//! Entering a runtime, a blocking pool, a budget or a task id all follow one pattern: put a new
//! value into a thread-local slot, keep the value it replaces, and put that one back when the
//! scope ends, on unwinding too, so that scopes nest like a stack. [`Scoped`] is that guard.
//!
//! The slot is named by a type implementing [`ThreadLocalSlot`], whose `swap` the caller writes
//! for its thread-local (a `Cell`, a `RefCell` or a field of a struct in one; `std`'s or loom's
//! `thread_local!`): it stores a value and returns the one it replaced, or `None` when the
//! thread-local is already destroyed because the thread is exiting. In that case there is nothing
//! to restore, and the guard does nothing on drop. The value the restore takes out is dropped
//! after the swap returned, so outside any borrow of the slot. The slot is a type, not a function
//! pointer, so that both swaps inline into the caller: a task id and a budget are set around
//! every poll.
//!
//! The guard adds no auto-trait bounds of its own: it is `Send`/`Sync` when the value is.
//! A guard that must stay on its thread says so with its own marker.
//!
//! ```
//! use eddy_core::scoped::{Scoped, ThreadLocalSlot};
//! use std::cell::Cell;
//!
//! thread_local! {
//!     static LEVEL: Cell<u32> = const { Cell::new(0) };
//! }
//!
//! struct Level;
//!
//! impl ThreadLocalSlot for Level {
//!     type Value = u32;
//!
//!     fn swap(level: u32) -> Option<u32> {
//!         LEVEL.try_with(|cell| cell.replace(level)).ok()
//!     }
//! }
//!
//! {
//!     let _outer = Scoped::<Level>::set(1);
//!     {
//!         let _inner = Scoped::<Level>::set(2);
//!         assert_eq!(LEVEL.get(), 2);
//!     }
//!     assert_eq!(LEVEL.get(), 1);
//! }
//! assert_eq!(LEVEL.get(), 0);
//! ```

use std::fmt;
use std::marker::PhantomData;

/// A thread-local place that a [`Scoped`] guard sets and restores.
pub trait ThreadLocalSlot: 'static {
    /// What the slot holds.
    type Value: 'static;

    /// Stores `value` in the slot and returns the value it replaced, or `None` if the slot is
    /// gone (the thread is exiting).
    fn swap(value: Self::Value) -> Option<Self::Value>;
}

/// Holds the value slot `S` had before [`Scoped::set`] and puts it back on drop.
#[must_use = "the previous value is restored when the guard is dropped"]
pub struct Scoped<S: ThreadLocalSlot> {
    /// `None` when the slot was already destroyed at `set`.
    previous: Option<S::Value>,
    /// Only names the slot: no auto-trait bounds beyond the value's.
    _slot: PhantomData<fn() -> S>,
}

impl<S: ThreadLocalSlot> Scoped<S> {
    /// Stores `value` in the slot until the guard is dropped.
    #[inline]
    pub fn set(value: S::Value) -> Scoped<S> {
        Scoped {
            previous: S::swap(value),
            _slot: PhantomData,
        }
    }

    /// The value that the drop will put back; `None` if the slot was gone at `set`.
    #[inline]
    pub fn previous(&self) -> Option<&S::Value> {
        self.previous.as_ref()
    }
}

impl<S: ThreadLocalSlot> Drop for Scoped<S> {
    #[inline]
    fn drop(&mut self) {
        if let Some(previous) = self.previous.take() {
            drop(S::swap(previous));
        }
    }
}

impl<S: ThreadLocalSlot> fmt::Debug for Scoped<S>
where
    S::Value: fmt::Debug,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scoped")
            .field("previous", &self.previous)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::{Scoped, ThreadLocalSlot};
    use std::cell::{Cell, RefCell};
    use std::panic::{self, AssertUnwindSafe};

    thread_local! {
        static NUMBER: Cell<u32> = const { Cell::new(0) };
        static NAME: RefCell<Option<String>> = const { RefCell::new(None) };
    }

    struct Number;

    impl ThreadLocalSlot for Number {
        type Value = u32;

        fn swap(number: u32) -> Option<u32> {
            NUMBER.try_with(|cell| cell.replace(number)).ok()
        }
    }

    struct Name;

    impl ThreadLocalSlot for Name {
        type Value = Option<String>;

        fn swap(name: Option<String>) -> Option<Option<String>> {
            NAME.try_with(|cell| cell.replace(name)).ok()
        }
    }

    fn name() -> Option<String> {
        NAME.with(|cell| cell.borrow().clone())
    }

    #[test]
    fn nested_scopes_restore_in_turn() {
        let outer = Scoped::<Name>::set(Some("outer".to_owned()));
        assert_eq!(outer.previous(), Some(&None));
        {
            let inner = Scoped::<Name>::set(Some("inner".to_owned()));
            assert_eq!(inner.previous(), Some(&Some("outer".to_owned())));
            assert_eq!(name().as_deref(), Some("inner"));
        }
        assert_eq!(name().as_deref(), Some("outer"));
        drop(outer);
        assert_eq!(name(), None);
    }

    #[test]
    fn a_panic_in_the_scope_restores_the_previous_value() {
        let _outer = Scoped::<Number>::set(1);
        let unwound = panic::catch_unwind(AssertUnwindSafe(|| {
            let _inner = Scoped::<Number>::set(2);
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
        struct Gone;
        impl ThreadLocalSlot for Gone {
            type Value = u32;
            fn swap(_: u32) -> Option<u32> {
                SWAPS.set(SWAPS.get() + 1);
                None
            }
        }
        let scope = Scoped::<Gone>::set(7);
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
        struct Holder;
        impl ThreadLocalSlot for Holder {
            type Value = Option<ReadsSlotOnDrop>;
            fn swap(value: Option<ReadsSlotOnDrop>) -> Option<Option<ReadsSlotOnDrop>> {
                SLOT.try_with(|slot| slot.replace(value)).ok()
            }
        }
        let scope = Scoped::<Holder>::set(Some(ReadsSlotOnDrop));
        drop(scope);
        SLOT.with(|slot| assert!(slot.borrow().is_none()));
    }
}
