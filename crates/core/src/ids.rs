//! Identifiers: GUIDs for principals and resources, 32-hex key versions. All drawn from the injected RNG.

use alloc::string::String;
use core::fmt::Write;

use rand_core::CryptoRngCore;

/// A random (version 4) GUID in lower-case canonical form.
pub fn new_guid(rng: &mut dyn CryptoRngCore) -> String {
    let mut b = [0u8; 16];
    rng.fill_bytes(&mut b);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let mut s = String::with_capacity(36);
    for (i, byte) in b.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            s.push('-');
        }
        let _ = write!(s, "{byte:02x}");
    }
    s
}

/// A GUID drawn from `seed` (the first 16 bytes of its SHA-256): the same seed, the same GUID.
/// For identifiers the real service derives rather than stores (a policy's system id, an
/// operation of an environment's history).
pub fn guid_from(seed: &str) -> String {
    use sha2::{Digest, Sha256};
    let h = Sha256::digest(seed.as_bytes());
    let mut s = String::with_capacity(36);
    for (i, byte) in h[..16].iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            s.push('-');
        }
        let _ = write!(s, "{byte:02x}");
    }
    s
}

/// A Key Vault key version: 32 lower-case hex characters (SPEC KV-5).
pub fn new_key_version(rng: &mut dyn CryptoRngCore) -> String {
    let mut b = [0u8; 16];
    rng.fill_bytes(&mut b);
    let mut s = String::with_capacity(32);
    for byte in b {
        let _ = write!(s, "{byte:02x}");
    }
    s
}

/// True for a canonical GUID (any case).
pub fn is_guid(s: &str) -> bool {
    s.len() == 36
        && s.bytes().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_chacha::rand_core::SeedableRng;

    #[test]
    fn guids_and_versions_have_azure_shapes() {
        // SPEC KV-5: version = 32 lower-case hex characters.
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(7);
        let g = new_guid(&mut rng);
        assert!(is_guid(&g), "{g}");
        assert_eq!(&g[14..15], "4");
        let v = new_key_version(&mut rng);
        assert_eq!(v.len(), 32);
        assert!(v.bytes().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f')));
        assert_ne!(new_key_version(&mut rng), v);
    }
}
