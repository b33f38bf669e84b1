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
            .map_err(|e| Error::new(ErrorCode::InvalidKeyMaterial, alloc::format!("RSA key generation failed: {e}")))
    }

    /// Accepts key material made elsewhere (e.g. WebCrypto in the browser) as PKCS#8 DER, after
    /// checking it is a consistent RSA key of exactly `bits` with public exponent 65537.
    pub(crate) fn from_pkcs8_der(der: &[u8], bits: u32) -> Result<Self, Error> {
        let key = RsaPrivateKey::from_pkcs8_der(der).map_err(|_| {
            Error::new(ErrorCode::InvalidKeyMaterial, "the key material is not a PKCS#8 RSA private key")
        })?;
        key.validate().map_err(|_| {
            Error::new(ErrorCode::InvalidKeyMaterial, "the RSA key material is inconsistent (validation failed)")
        })?;
        let actual = key.size() * 8;
        if actual != bits as usize {
            return Err(Error::new(
                ErrorCode::InvalidKeyMaterial,
                alloc::format!("the key material is {actual} bits but {bits} were requested"),
            ));
        }
        if key.e() != &BigUint::from(65_537u32) {
            return Err(Error::new(ErrorCode::InvalidKeyMaterial, "the public exponent must be 65537"));
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

    /// The private key, for the vault's own operations. Never leaves the core.
    pub(crate) fn private_key(&self) -> &RsaPrivateKey {
        &self.0
    }

    /// Accepts an imported key: consistent, and of a size Key Vault takes (SPEC KV-4, KV-12).
    pub(crate) fn from_private_key(mut key: RsaPrivateKey) -> Result<Self, Error> {
        key.validate().map_err(|_| {
            Error::new(ErrorCode::InvalidKeyMaterial, "the RSA key is inconsistent (validation failed)")
        })?;
        let bits = (key.size() * 8) as u32;
        if !RSA_SIZES.contains(&bits) {
            return Err(Error::new(
                ErrorCode::InvalidKeyMaterial,
                alloc::format!("the key is {bits} bits; Key Vault imports RSA 2048, 3072 or 4096"),
            ));
        }
        key.precompute().map_err(|_| Error::new(ErrorCode::InvalidKeyMaterial, "the RSA key could not be prepared"))?;
        Ok(Self(key))
    }
}

/// Parses a PEM private key: PKCS#8 (`BEGIN PRIVATE KEY`) or PKCS#1 (`BEGIN RSA PRIVATE KEY`).
pub(crate) fn rsa_from_pem(text: &str) -> Result<RsaPrivateKey, Error> {
    use rsa::pkcs1::DecodeRsaPrivateKey;
    let bad = |why: &str| Error::new(ErrorCode::InvalidKeyMaterial, alloc::format!("the PEM could not be read: {why}"));
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let header = lines.next().ok_or_else(|| bad("it is empty"))?;
    let label = header
        .strip_prefix("-----BEGIN ")
        .and_then(|h| h.strip_suffix("-----"))
        .ok_or_else(|| bad("it has no -----BEGIN ...----- line"))?;
    let mut body = Zeroizing::new(String::new());
    let mut ended = false;
    for line in lines {
        if line.starts_with("-----END ") {
            ended = true;
            break;
        }
        if line.contains(':') {
            return Err(bad("encrypted PEM keys are not supported: export the key without a password"));
        }
        body.push_str(line);
    }
    if !ended {
        return Err(bad("it has no -----END ...----- line"));
    }
    let der = Zeroizing::new(STANDARD.decode(body.as_bytes()).map_err(|_| bad("the body is not base64"))?);
    match label {
        "PRIVATE KEY" => RsaPrivateKey::from_pkcs8_der(&der).map_err(|_| bad("not a PKCS#8 RSA private key")),
        "RSA PRIVATE KEY" => RsaPrivateKey::from_pkcs1_der(&der).map_err(|_| bad("not a PKCS#1 RSA private key")),
        "PUBLIC KEY" | "RSA PUBLIC KEY" => Err(bad("it is a public key; import needs the private key")),
        other => Err(bad(&alloc::format!("'{other}' keys are not supported (use PRIVATE KEY or RSA PRIVATE KEY)"))),
    }
}

/// The public half of an RSA key, from its JWK `n` and `e`, as a PEM `PUBLIC KEY`
/// (SubjectPublicKeyInfo): what `az keyvault key download` writes.
pub(crate) fn public_pem(n: &str, e: &str) -> Result<String, Error> {
    use rsa::pkcs8::EncodePublicKey;
    let bad = || Error::new(ErrorCode::InternalError, "the key's public half could not be encoded");
    let int = |s: &str| URL_SAFE_NO_PAD.decode(s).map(|b| BigUint::from_bytes_be(&b)).map_err(|_| bad());
    let key = rsa::RsaPublicKey::new(int(n)?, int(e)?).map_err(|_| bad())?;
    let body = STANDARD.encode(key.to_public_key_der().map_err(|_| bad())?.as_bytes());
    let mut pem = String::from("-----BEGIN PUBLIC KEY-----\n");
    for line in body.as_bytes().chunks(64) {
        pem.push_str(core::str::from_utf8(line).map_err(|_| bad())?);
        pem.push('\n');
    }
    pem.push_str("-----END PUBLIC KEY-----\n");
    Ok(pem)
}

/// Parses a private RSA JWK (`kty`, `n`, `e`, `d`, `p`, `q`).
pub(crate) fn rsa_from_jwk(text: &str) -> Result<RsaPrivateKey, Error> {
    let bad = |why: &str| Error::new(ErrorCode::InvalidKeyMaterial, alloc::format!("the JWK could not be read: {why}"));
    let v: Zeroizing<String> = Zeroizing::new(text.into());
    let jwk: serde_json::Value = serde_json::from_str(&v).map_err(|_| bad("not valid JSON"))?;
    if !matches!(jwk.get("kty").and_then(|k| k.as_str()), Some("RSA" | "RSA-HSM")) {
        return Err(bad("kty must be RSA"));
    }
    let field = |name: &str| -> Result<BigUint, Error> {
        let s =
            jwk.get(name).and_then(|x| x.as_str()).ok_or_else(|| bad(&alloc::format!("field '{name}' is missing")))?;
        let bytes = Zeroizing::new(
            URL_SAFE_NO_PAD
                .decode(s.trim_end_matches('='))
                .map_err(|_| bad(&alloc::format!("field '{name}' is not base64url")))?,
        );
        Ok(BigUint::from_bytes_be(&bytes))
    };
    let (n, e, d, p, q) = (field("n")?, field("e")?, field("d")?, field("p")?, field("q")?);
    RsaPrivateKey::from_components(n, e, d, alloc::vec![p, q]).map_err(|_| bad("the numbers do not form an RSA key"))
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
        let der: Zeroizing<Vec<u8>> =
            Zeroizing::new(STANDARD.decode(text.as_bytes()).map_err(serde::de::Error::custom)?);
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
        let der = STANDARD.decode(text.as_bytes()).map_err(serde::de::Error::custom)?;
        Ok(Self(Zeroizing::new(der)))
    }
}

/// Secret text handed in by a person (a PEM or a private JWK to import). Zeroized on drop,
/// redacted in `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretText(pub Zeroizing<String>);

impl From<&str> for SecretText {
    fn from(s: &str) -> Self {
        Self(Zeroizing::new(s.into()))
    }
}

impl fmt::Debug for SecretText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretText({} bytes, redacted)", self.0.len())
    }
}

impl Serialize for SecretText {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for SecretText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Self(Zeroizing::new(String::deserialize(d)?)))
    }
}

/// Secret bytes kept by the simulated services (the Microsoft-managed key, cached data keys).
/// Zeroized on drop, redacted in `Debug`, base64 in saved state.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretBytes(pub Zeroizing<Vec<u8>>);

impl SecretBytes {
    pub fn random(rng: &mut dyn CryptoRngCore, len: usize) -> Self {
        let mut v = Zeroizing::new(alloc::vec![0u8; len]);
        rng.fill_bytes(&mut v);
        Self(v)
    }
    /// As a 32-byte AES key (zeros if the length is wrong, which saved state never has).
    pub fn key32(&self) -> [u8; 32] {
        let mut k = [0u8; 32];
        if self.0.len() == 32 {
            k.copy_from_slice(&self.0);
        }
        k
    }
}

impl fmt::Debug for SecretBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretBytes({} bytes, redacted)", self.0.len())
    }
}

impl Serialize for SecretBytes {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&Zeroizing::new(STANDARD.encode(&*self.0)))
    }
}

impl<'de> Deserialize<'de> for SecretBytes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = Zeroizing::new(String::deserialize(d)?);
        Ok(Self(Zeroizing::new(STANDARD.decode(text.as_bytes()).map_err(serde::de::Error::custom)?)))
    }
}
