//! Serde helpers: bytes as base64 text in saved state (ciphertexts, wrapped keys).

use alloc::string::String;
use alloc::vec::Vec;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde::{Deserialize, Deserializer, Serializer};

pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&STANDARD.encode(bytes))
}

pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
    let text = String::deserialize(d)?;
    STANDARD.decode(text.as_bytes()).map_err(serde::de::Error::custom)
}

/// A list of byte strings, each as base64.
pub mod list {
    use super::*;
    use serde::ser::SerializeSeq;

    pub fn serialize<S: Serializer>(items: &[Vec<u8>], s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(items.len()))?;
        for item in items {
            seq.serialize_element(&STANDARD.encode(item))?;
        }
        seq.end()
    }

    pub fn deserialize<'de, D: Deserializer<'de>, T: From<Vec<Vec<u8>>>>(d: D) -> Result<T, D::Error> {
        let texts = Vec::<String>::deserialize(d)?;
        let items: Result<Vec<Vec<u8>>, D::Error> =
            texts.iter().map(|t| STANDARD.decode(t.as_bytes()).map_err(serde::de::Error::custom)).collect();
        items.map(T::from)
    }
}
