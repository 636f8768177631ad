//! The pack file: every cached result computed with one [`Fingerprint`], authenticated with
//! the secret key as a whole.
//!
//! ```text
//! magic     8 bytes   "CXCACHE1"
//! mac      32 bytes   BLAKE3 keyed by the secret, over everything after it
//! body                fingerprint (32 bytes), then entries until the end:
//!                     key (32) · day last used (u32 LE) · length (u32 LE) · value (postcard)
//! ```
//!
//! The outer layer is read by hand with checked slicing; a value is decoded (postcard) only
//! when a file asks for it, on the worker thread checking that file. Nothing is decoded before
//! the MAC is verified, so bytes the secret's holder did not write are never parsed.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};

use super::key::{Fingerprint, Key};
use super::place::Secret;

const MAGIC: &[u8; 8] = b"CXCACHE1";

/// Largest pack read: past it the file is ignored (and replaced by the next write).
pub(crate) const MAX_READ: u64 = 128 << 20;

/// Largest pack written: the entries used most recently are kept up to it.
pub(crate) const MAX_WRITE: usize = 64 << 20;

/// The bytes one entry takes besides its value.
const ENTRY_HEADER: usize = 32 + 4 + 4;

/// One stored result, as found in the pack.
#[derive(Debug)]
pub(crate) struct Slot {
    /// Where its value is in the pack's bytes.
    range: Range<usize>,
    /// The day (since 1970) it was last used, as stored.
    day: u32,
    /// Whether this run used it.
    used: AtomicBool,
}

/// A verified pack, read whole.
#[derive(Debug, Default)]
pub(crate) struct Pack {
    bytes: Vec<u8>,
    slots: HashMap<Key, Slot>,
}

impl Pack {
    /// Verifies and indexes `bytes`; `None` when they are not a pack of `fingerprint` written
    /// with `secret` (planted, corrupt, truncated, of another version or Codex).
    pub(crate) fn read(bytes: Vec<u8>, secret: &Secret, fingerprint: Fingerprint) -> Option<Pack> {
        let rest = bytes.strip_prefix(MAGIC)?;
        let (mac, body) = rest.split_at_checked(32)?;
        let mac: [u8; 32] = mac.try_into().ok()?;
        // `Hash` compares in constant time.
        if blake3::Hash::from_bytes(mac) != secret.mac(body) {
            return None;
        }
        let (stored, mut rest) = body.split_at_checked(32)?;
        if stored != fingerprint.as_bytes() {
            return None;
        }
        let mut slots = HashMap::new();
        let mut at = MAGIC.len() + 32 + 32;
        while !rest.is_empty() {
            let (key, tail) = rest.split_at_checked(32)?;
            let (day, tail) = tail.split_at_checked(4)?;
            let (len, tail) = tail.split_at_checked(4)?;
            let len = usize::try_from(u32::from_le_bytes(len.try_into().ok()?)).ok()?;
            let (_, tail) = tail.split_at_checked(len)?;
            let start = at + ENTRY_HEADER;
            let slot = Slot {
                range: start..start + len,
                day: u32::from_le_bytes(day.try_into().ok()?),
                used: AtomicBool::new(false),
            };
            slots.insert(Key::from_bytes(key.try_into().ok()?), slot);
            at = start + len;
            rest = tail;
        }
        Some(Pack { bytes, slots })
    }

    /// The value stored under `key`, marked as used by this run.
    pub(crate) fn get(&self, key: &Key) -> Option<&[u8]> {
        let slot = self.slots.get(key)?;
        slot.used.store(true, Ordering::Relaxed);
        self.bytes.get(slot.range.clone())
    }

    /// The value stored under `key`, not marked: a peek does not keep an entry alive.
    pub(crate) fn peek(&self, key: &Key) -> Option<&[u8]> {
        self.bytes.get(self.slots.get(key)?.range.clone())
    }

    /// Whether writing the pack back would change it on `today`: some entry used this run was
    /// last marked used on another day.
    pub(crate) fn needs_touch(&self, today: u32) -> bool {
        self.slots
            .values()
            .any(|slot| slot.day != today && slot.used.load(Ordering::Relaxed))
    }

    /// Every entry with the day it was last used, this run's use counting as `today`.
    pub(crate) fn entries(&self, today: u32) -> impl Iterator<Item = (Key, u32, &[u8])> {
        self.slots.iter().filter_map(move |(key, slot)| {
            let day = if slot.used.load(Ordering::Relaxed) {
                today
            } else {
                slot.day
            };
            Some((*key, day, self.bytes.get(slot.range.clone())?))
        })
    }

    /// How many entries it holds.
    pub(crate) fn len(&self) -> usize {
        self.slots.len()
    }
}

/// The bytes of a pack of `fingerprint` holding `entries`, authenticated with `secret`.
pub(crate) fn write<'a>(
    secret: &Secret,
    fingerprint: Fingerprint,
    entries: impl IntoIterator<Item = (Key, u32, &'a [u8])>,
) -> Vec<u8> {
    let mut body = fingerprint.as_bytes().to_vec();
    for (key, day, value) in entries {
        let Ok(len) = u32::try_from(value.len()) else {
            continue;
        };
        body.extend_from_slice(key.as_bytes());
        body.extend_from_slice(&day.to_le_bytes());
        body.extend_from_slice(&len.to_le_bytes());
        body.extend_from_slice(value);
    }
    let mut out = Vec::with_capacity(MAGIC.len() + 32 + body.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(secret.mac(&body).as_bytes());
    out.extend_from_slice(&body);
    out
}

/// The size an entry with a value of `len` bytes takes in a pack.
pub(crate) fn entry_size(len: usize) -> usize {
    ENTRY_HEADER + len
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> (Secret, Fingerprint, Key, Vec<u8>) {
        let secret = Secret::from_bytes([7; 32]);
        let fingerprint = Fingerprint::from_bytes([1; 32]);
        let key = Key::of(b"fn f() {}", 256);
        let bytes = write(&secret, fingerprint, [(key, 3, &b"value"[..])]);
        (secret, fingerprint, key, bytes)
    }

    #[test]
    fn a_pack_reads_back_what_was_written() {
        let (secret, fingerprint, key, bytes) = fixture();
        let pack = Pack::read(bytes, &secret, fingerprint).unwrap();
        assert_eq!(pack.peek(&key), Some(&b"value"[..]));
        assert!(!pack.needs_touch(3));
        assert_eq!(pack.get(&key), Some(&b"value"[..]));
        assert!(pack.needs_touch(4));
        let entries: Vec<_> = pack.entries(4).collect();
        assert_eq!(entries, vec![(key, 4, &b"value"[..])]);
    }

    #[test]
    fn a_pack_not_written_with_the_secret_is_refused() {
        let (secret, fingerprint, _, bytes) = fixture();
        // Another secret: a pack a repository planted.
        let other = Secret::from_bytes([8; 32]);
        assert!(Pack::read(bytes.clone(), &other, fingerprint).is_none());
        // Another fingerprint: a pack of another build or Codex, renamed.
        assert!(Pack::read(bytes.clone(), &secret, Fingerprint::from_bytes([2; 32])).is_none());
        // Any byte changed or cut.
        for at in 0..bytes.len() {
            let mut changed = bytes.clone();
            changed[at] ^= 1;
            assert!(Pack::read(changed, &secret, fingerprint).is_none(), "{at}");
            assert!(
                Pack::read(bytes[..at].to_vec(), &secret, fingerprint).is_none(),
                "{at}"
            );
        }
    }
}
