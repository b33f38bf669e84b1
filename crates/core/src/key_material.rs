//! Private RSA key material. It lives only inside vault key versions, zeroizes on drop, and is
//! never shown: `Debug` is redacted and the only outward view is the public JWK.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine as _;
use rand_core::CryptoRngCore;
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use rsa::traits::PublicKeyParts;
use rsa::{BigUint, RsaPrivateKey};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use zeroize::Zeroizing;

use crate::error::{Error, ErrorCode};

/// RSA sizes Key Vault creates (SPEC KV-4).
pub const RSA_SIZES: [u32; 3] = [2048, 3072, 4096];

/// A private key held by the vault. `RsaPrivateKey` zeroizes its secret parts on drop.
#[derive(Clone, PartialEq, Eq)]
pub struct KeyMaterial(RsaPrivateKey);

impl KeyMaterial {
    /// Generates a fresh key of `bits` from the injected RNG.
    pub(crate) fn generate(rng: &mut dyn CryptoRngCore, bits: u32) -> Result<Self, Error> {
        check_size(bits)?;
        let mut rng = rng;
        RsaPrivateKey::new(&mut rng, bits as usize)
            .map(Self)
            .map_err(|e| {
                Error::new(
                    ErrorCode::InvalidKeyMaterial,
                    alloc::format!("RSA key generation failed: {e}"),
                )
            })
    }

    /// Accepts key material made elsewhere (e.g. WebCrypto in the browser) as PKCS#8 DER, after
    /// checking it is a consistent RSA key of exactly `bits` with public exponent 65537.
    pub(crate) fn from_pkcs8_der(der: &[u8], bits: u32) -> Result<Self, Error> {
        let key = RsaPrivateKey::from_pkcs8_der(der).map_err(|_| {
            Error::new(
                ErrorCode::InvalidKeyMaterial,
                "the key material is not a PKCS#8 RSA private key",
            )
        })?;
        key.validate().map_err(|_| {
            Error::new(
                ErrorCode::InvalidKeyMaterial,
                "the RSA key material is inconsistent (validation failed)",
            )
        })?;
        let actual = key.size() * 8;
        if actual != bits as usize {
            return Err(Error::new(
                ErrorCode::InvalidKeyMaterial,
                alloc::format!("the key material is {actual} bits but {bits} were requested"),
            ));
        }
        if key.e() != &BigUint::from(65_537u32) {
            return Err(Error::new(
                ErrorCode::InvalidKeyMaterial,
                "the public exponent must be 65537",
            ));
        }
        Ok(Self(key))
    }

    pub fn bits(&self) -> u32 {
        (self.0.size() * 8) as u32
    }

    /// Public modulus, base64url without padding (JWK `n`).
    pub fn jwk_n(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.0.n().to_bytes_be())
    }
    /// Public exponent, base64url without padding (JWK `e`).
    pub fn jwk_e(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.0.e().to_bytes_be())
    }

    #[cfg(test)]
    pub(crate) fn private(&self) -> &RsaPrivateKey {
        &self.0
    }
}

pub(crate) fn check_size(bits: u32) -> Result<(), Error> {
    if RSA_SIZES.contains(&bits) {
        Ok(())
    } else {
        Err(Error::new(
            ErrorCode::BadParameter,
            alloc::format!("RSA key size {bits} is not supported: use 2048, 3072 or 4096"),
        ))
    }
}

impl fmt::Debug for KeyMaterial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyMaterial(RSA-{}, private part redacted)", self.bits())
    }
}

/// Saved state stores the key as base64 PKCS#8 DER: the state file is the vault's storage.
impl Serialize for KeyMaterial {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let der = self.0.to_pkcs8_der().map_err(serde::ser::Error::custom)?;
        let text = Zeroizing::new(STANDARD.encode(der.as_bytes()));
        s.serialize_str(&text)
    }
}

impl<'de> Deserialize<'de> for KeyMaterial {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = Zeroizing::new(String::deserialize(d)?);
        let der: Zeroizing<Vec<u8>> = Zeroizing::new(
            STANDARD
                .decode(text.as_bytes())
                .map_err(serde::de::Error::custom)?,
        );
        let key = RsaPrivateKey::from_pkcs8_der(&der).map_err(serde::de::Error::custom)?;
        Ok(Self(key))
    }
}

/// PKCS#8 DER handed to `CreateKey` by a host that generated the key itself (for speed).
/// Zeroized on drop, redacted in `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct PrivateKeyDer(pub Zeroizing<Vec<u8>>);

impl fmt::Debug for PrivateKeyDer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PrivateKeyDer({} bytes, redacted)", self.0.len())
    }
}

impl Serialize for PrivateKeyDer {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&Zeroizing::new(STANDARD.encode(&*self.0)))
    }
}

impl<'de> Deserialize<'de> for PrivateKeyDer {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = Zeroizing::new(String::deserialize(d)?);
        let der = STANDARD
            .decode(text.as_bytes())
            .map_err(serde::de::Error::custom)?;
        Ok(Self(Zeroizing::new(der)))
    }
}
