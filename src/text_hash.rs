//! A fast non-cryptographic hash of short texts, for tables that find a text by its
//! hash first and compare texts only on a match (never for anything stored or shown).

/// A hash of `bytes` (eight bytes at a step), continuing from `hash`.
pub(crate) fn text_hash(bytes: &[u8], mut hash: u64) -> u64 {
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        hash = word_hash(
            <[u8; 8]>::try_from(word).map_or(0, u64::from_le_bytes),
            hash,
        );
    }
    let mut last = [0u8; 8];
    for (slot, byte) in last.iter_mut().zip(words.remainder()) {
        *slot = *byte;
    }
    word_hash(u64::from_le_bytes(last) ^ (bytes.len() as u64) << 56, hash)
}

/// A hash of the number `word`, continuing from `hash` (one step of [`text_hash`]).
pub(crate) fn word_hash(word: u64, hash: u64) -> u64 {
    const MULTIPLIER: u64 = 0x517c_c1b7_2722_0a95;
    (hash.rotate_left(5) ^ word).wrapping_mul(MULTIPLIER)
}
