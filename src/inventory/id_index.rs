//! Site ids to positions, holding positions only: the ids stay in the
//! sites (one copy of each), and the table is 8 bytes a slot (16 MB for a
//! million sites, where a map of owned ids took about 100 MB and an
//! allocation per site).

use std::hash::BuildHasher;

/// The hash of a site id as the index uses it (reading threads work it
/// out beside the rest of a row).
pub(crate) fn hash_id(id: &str) -> u64 {
    rustc_hash::FxBuildHasher.hash_one(id)
}

/// An open-addressing table (linear probing, at most half full) of the
/// positions of sites, found by their ids. Each slot holds the high half
/// of the id's hash and the position plus one (0: empty); the slot an id
/// goes to follows from that half alone, so growing needs no ids.
#[derive(Clone, Default)]
pub(crate) struct IdIndex {
    slots: Vec<u64>,
    len: usize,
}

impl std::fmt::Debug for IdIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "IdIndex({} ids)", self.len)
    }
}

/// The stored half of a hash.
fn tag(hash: u64) -> u32 {
    (hash >> 32) as u32
}

impl IdIndex {
    /// Room for `n` ids.
    pub(crate) fn with_capacity(n: usize) -> Self {
        let mut index = IdIndex::default();
        index.reserve(n);
        index
    }

    /// Number of ids.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// The first slot for a tag: Fibonacci hashing spreads ids that
    /// differ in a few characters.
    fn home(&self, tag: u32) -> usize {
        let bits = self.slots.len().trailing_zeros();
        ((u64::from(tag).wrapping_mul(0x9E37_79B9_7F4A_7C15)) >> (64 - bits)) as usize
    }

    /// Makes room for `more` ids without growing.
    pub(crate) fn reserve(&mut self, more: usize) {
        let want = (self.len + more)
            .saturating_mul(2)
            .max(16)
            .next_power_of_two();
        if want <= self.slots.len() {
            return;
        }
        let old = std::mem::replace(&mut self.slots, vec![0; want]);
        let mask = want - 1;
        for slot in old.into_iter().filter(|&s| s != 0) {
            let mut at = self.home((slot >> 32) as u32);
            while self.slots[at] != 0 {
                at = (at + 1) & mask;
            }
            self.slots[at] = slot;
        }
    }

    /// The first slot an id of hash `hash` is looked for in, as it is
    /// now: loading the slots of many ids one after another, before they
    /// are inserted, lets the loads overlap (the table is too large for the
    /// cache, and each insert alone waits for its slot).
    pub(crate) fn first_slot(&self, hash: u64) -> u64 {
        if self.slots.is_empty() {
            return 0;
        }
        self.slots[self.home(tag(hash))]
    }

    /// The position of `id` (whose hash is `hash`), with `id_at` giving
    /// the id of a position.
    pub(crate) fn find<'a>(
        &self,
        id: &str,
        hash: u64,
        id_at: impl Fn(usize) -> &'a str,
    ) -> Option<usize> {
        if self.slots.is_empty() {
            return None;
        }
        let t = tag(hash);
        let mask = self.slots.len() - 1;
        let mut at = self.home(t);
        loop {
            let slot = self.slots[at];
            if slot == 0 {
                return None;
            }
            if (slot >> 32) as u32 == t {
                let pos = (slot as u32 - 1) as usize;
                if id_at(pos) == id {
                    return Some(pos);
                }
            }
            at = (at + 1) & mask;
        }
    }

    /// Adds `id` (hash `hash`) at position `pos`, unless it is there
    /// already: then the position it has.
    pub(crate) fn insert<'a>(
        &mut self,
        id: &str,
        hash: u64,
        pos: usize,
        id_at: impl Fn(usize) -> &'a str,
    ) -> Result<(), usize> {
        self.reserve(1);
        let t = tag(hash);
        let mask = self.slots.len() - 1;
        let mut at = self.home(t);
        loop {
            let slot = self.slots[at];
            if slot == 0 {
                break;
            }
            if (slot >> 32) as u32 == t {
                let found = (slot as u32 - 1) as usize;
                if id_at(found) == id {
                    return Err(found);
                }
            }
            at = (at + 1) & mask;
        }
        // Positions fit in 32 bits: an inventory has at most MAX_ROWS sites.
        let stored = u32::try_from(pos + 1).unwrap_or(u32::MAX);
        self.slots[at] = (u64::from(t) << 32) | u64::from(stored);
        self.len += 1;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_id_and_keeps_the_first_of_two() {
        let ids: Vec<String> = (0..5000).map(|i| format!("S{i:06}")).collect();
        let mut index = IdIndex::default();
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(index.insert(id, hash_id(id), i, |p| &ids[p]), Ok(()));
        }
        assert_eq!(index.len(), ids.len());
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(index.find(id, hash_id(id), |p| &ids[p]), Some(i));
        }
        assert_eq!(index.find("S999999", hash_id("S999999"), |p| &ids[p]), None);
        let again = "S000042";
        assert_eq!(
            index.insert(again, hash_id(again), 9999, |p| &ids[p]),
            Err(42)
        );
        assert_eq!(index.len(), ids.len());
    }

    #[test]
    fn the_first_slot_of_an_id_holds_it_or_another_once_inserted() {
        let ids: Vec<String> = (0..100).map(|i| format!("S{i}")).collect();
        let mut index = IdIndex::default();
        assert_eq!(index.first_slot(hash_id("S1")), 0);
        index.reserve(ids.len());
        assert_eq!(index.first_slot(hash_id("S1")), 0);
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(index.insert(id, hash_id(id), i, |p| &ids[p]), Ok(()));
            assert_ne!(index.first_slot(hash_id(id)), 0);
        }
    }

    #[test]
    fn ids_with_one_hash_are_told_apart_by_their_text() {
        // Every id given the same hash: found by comparing the ids.
        let ids = ["a", "b", "c", "d"];
        let mut index = IdIndex::with_capacity(2);
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(index.insert(id, 7 << 32, i, |p| ids[p]), Ok(()));
        }
        for (i, id) in ids.iter().enumerate() {
            assert_eq!(index.find(id, 7 << 32, |p| ids[p]), Some(i));
        }
        assert_eq!(index.find("e", 7 << 32, |p| ids[p]), None);
    }
}
