//! Key Vault as a trusted Microsoft service reaches it: with an enterprise policy's managed
//! identity, through the vault's firewall exception, with every check of the data plane. This
//! is all the Power Platform side ever gets from Azure (the world hands it over as
//! [`crate::powerplatform::KeyAccess`]).

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use rand_core::CryptoRngCore;

use crate::azure::authz::{Caller, KeyOp};
use crate::azure::keys::{disabled, key_not_found};
use crate::azure::policy::EnterprisePolicy;
use crate::azure::vault::{Key, KeyVersion, Vault};
use crate::azure::Azure;
use crate::error::{Error, ErrorCode};
use crate::time::SimTime;

impl Azure {
    /// Wraps a data key with the policy's current key version, as Power Platform does through
    /// Key Vault: returns the versioned kid and the RSA-OAEP-256 ciphertext.
    pub(crate) fn service_wrap(
        &self,
        policy: &EnterprisePolicy,
        dek: &[u8],
        now: SimTime,
        rng: &mut dyn CryptoRngCore,
    ) -> Result<(String, Vec<u8>), Error> {
        let (vault, key, kv) = self.policy_key(policy, now)?;
        crate::azure::keys::run_crypto(
            vault,
            key,
            kv,
            crate::azure::requests::CryptoOperation::WrapKey,
            crate::crypto::Algorithm::RsaOaep256,
            dek,
            now,
            rng,
        )
    }

    /// Finds the vault, key and version a kid names.
    fn resolve_kid(&self, kid: &str) -> Result<(&Vault, &Key, &KeyVersion), Error> {
        let bad = || Error::new(ErrorCode::KeyNotFound, format!("'{kid}' does not name a key version."));
        let rest = kid.strip_prefix("https://").ok_or_else(bad)?;
        let (host, path) = rest.split_once('/').ok_or_else(bad)?;
        let vault_name = host.split('.').next().ok_or_else(bad)?;
        let mut parts = path.split('/');
        let (Some("keys"), Some(key_name), Some(version)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(bad());
        };
        let vault = self.vault(vault_name)?;
        let key = vault.key(key_name).ok_or_else(|| key_not_found(vault, key_name, Some(version)))?;
        let kv = key.version(version).ok_or_else(|| key_not_found(vault, key_name, Some(version)))?;
        Ok((vault, key, kv))
    }

    /// Whether `identity` can still unwrap with the version `kid` names (ROT-2, LOCK-1).
    pub(crate) fn service_can_unwrap(&self, identity: &str, kid: &str) -> Result<(), Error> {
        let (vault, key, kv) = self.resolve_kid(kid)?;
        self.authorize_key(identity, vault, Some(&key.name), KeyOp::UnwrapKey, Caller::TrustedService)?;
        if !kv.enabled {
            return Err(disabled(vault, &key.name, &kv.version, "unwrapKey"));
        }
        crate::azure::keys::check_permitted(vault, key, kv, "unwrapKey")
    }

    /// Unwraps a data key with the version `kid` names, as `identity`, through every check.
    pub(crate) fn service_unwrap(
        &self,
        identity: &str,
        kid: &str,
        blob: &[u8],
    ) -> Result<zeroize::Zeroizing<Vec<u8>>, Error> {
        self.service_can_unwrap(identity, kid)?;
        let (_, _, kv) = self.resolve_kid(kid)?;
        crate::crypto::rsa_decrypt(kv.material.private_key(), crate::crypto::Algorithm::RsaOaep256, blob)
    }
}
