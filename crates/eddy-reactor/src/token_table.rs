//! The driver's table of registered sources: a slab of [`ScheduledIo`]s addressed by token.
//!
//! A token packs a slot index (low [`INDEX_BITS`] bits: 32 on 64-bit targets, 24 on 32-bit ones)
//! and the slot's generation (the bits above, short of the top one). A slot's
//! generation moves on every time its source is removed, so an event fetched from the OS for
//! a source that has since been deregistered (and whose slot now holds another source) carries
//! an old generation and is ignored instead of waking the wrong task.
//!
//! The table lives behind the driver's mutex: sources register from any thread, and the
//! driver locks it once per batch of events.

use crate::scheduled_io::ScheduledIo;
use std::sync::Arc;

/// The token of the driver's own `mio::Waker`; never a slot.
pub(crate) const WAKER_TOKEN: mio::Token = mio::Token(usize::MAX);

/// Bits of a token that hold the slot index. A 32-bit target keeps 7 bits of generation (more
/// slots than its descriptors can fill, 16M, still fit in 24 bits).
const INDEX_BITS: u32 = if usize::BITS >= 64 { 32 } else { 24 };
const INDEX_MASK: usize = (1 << INDEX_BITS) - 1;
/// Generations wrap within the bits above the index, below the top bit: no slot's token is ever
/// [`WAKER_TOKEN`].
const GENERATION_MASK: usize = usize::MAX >> INDEX_BITS >> 1;

#[derive(Default)]
pub(crate) struct Registrations {
    slots: Vec<Slot>,
    free: Vec<usize>,
    is_shutdown: bool,
}

#[derive(Default)]
struct Slot {
    generation: usize,
    io: Option<Arc<ScheduledIo>>,
}

fn token_of(index: usize, generation: usize) -> mio::Token {
    mio::Token((generation << INDEX_BITS) | index)
}

impl Registrations {
    pub(crate) fn is_shutdown(&self) -> bool {
        self.is_shutdown
    }

    /// Stores `io` in a free slot and returns its token, or `None` after shutdown.
    pub(crate) fn insert(&mut self, io: Arc<ScheduledIo>) -> Option<mio::Token> {
        if self.is_shutdown {
            return None;
        }
        let index = self.free.pop().unwrap_or_else(|| {
            self.slots.push(Slot::default());
            self.slots.len() - 1
        });
        let slot = &mut self.slots[index];
        slot.io = Some(io);
        Some(token_of(index, slot.generation))
    }

    /// Frees the slot of `token`, if it still holds that registration; returns whether it did.
    pub(crate) fn remove(&mut self, token: mio::Token) -> bool {
        let index = token.0 & INDEX_MASK;
        let Some(slot) = self.slots.get_mut(index) else {
            return false;
        };
        if slot.io.is_some() && token_of(index, slot.generation) == token {
            slot.io = None;
            slot.generation = (slot.generation + 1) & GENERATION_MASK;
            self.free.push(index);
            return true;
        }
        false
    }

    /// The source registered under `token`, unless the token is stale.
    pub(crate) fn get(&self, token: mio::Token) -> Option<&ScheduledIo> {
        let index = token.0 & INDEX_MASK;
        let slot = self.slots.get(index)?;
        let io = slot.io.as_deref()?;
        (token_of(index, slot.generation) == token).then_some(io)
    }

    /// Refuses new registrations and hands back every registered source.
    pub(crate) fn shutdown(&mut self) -> Vec<Arc<ScheduledIo>> {
        self.is_shutdown = true;
        self.free.clear();
        self.slots.drain(..).filter_map(|slot| slot.io).collect()
    }

    pub(crate) fn len(&self) -> usize {
        self.slots.len() - self.free.len()
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    #[test]
    fn a_reused_slot_ignores_the_old_token() {
        let mut registrations = Registrations::default();
        let old = registrations.insert(Arc::new(ScheduledIo::new())).unwrap();
        assert!(registrations.remove(old));
        assert!(registrations.get(old).is_none());
        let new = registrations.insert(Arc::new(ScheduledIo::new())).unwrap();
        // Same slot, new generation: an event still carrying the old token finds nothing.
        assert_eq!(old.0 & INDEX_MASK, new.0 & INDEX_MASK);
        assert_ne!(old, new);
        assert!(registrations.get(old).is_none());
        assert!(registrations.get(new).is_some());
        // Removing with the stale token leaves the new registration alone.
        assert!(!registrations.remove(old));
        assert!(registrations.get(new).is_some());
        assert_eq!(registrations.len(), 1);
    }

    #[test]
    fn tokens_keep_index_and_generation_apart_and_never_meet_the_waker() {
        let last = token_of(INDEX_MASK, GENERATION_MASK);
        assert_ne!(last, WAKER_TOKEN);
        assert_eq!(last.0 & INDEX_MASK, INDEX_MASK);
        assert_eq!(last.0 >> INDEX_BITS, GENERATION_MASK);
        assert_eq!(token_of(0, GENERATION_MASK).0 & INDEX_MASK, 0);
    }

    #[test]
    fn shutdown_hands_back_every_source_and_refuses_new_ones() {
        let mut registrations = Registrations::default();
        for _ in 0..3 {
            registrations.insert(Arc::new(ScheduledIo::new())).unwrap();
        }
        assert_eq!(registrations.shutdown().len(), 3);
        assert!(registrations.insert(Arc::new(ScheduledIo::new())).is_none());
        assert_eq!(registrations.len(), 0);
    }
}
