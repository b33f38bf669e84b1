//! Data keys: what wraps each service's key — Microsoft's key, the legacy tenant key, or a
//! customer-managed key reached through `KeyAccess` as the policy's identity (the one step that
//! crosses to Azure) — and which environments a key version still protects. SPEC ENC-1, ENC-5,
//! ROT-2, DB-5.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use rand_core::CryptoRngCore;

use super::*;
use crate::crypto::{aes_gcm_open, aes_gcm_seal, rsa_decrypt, Algorithm};
use crate::error::{internal, Error, ErrorCode};
use crate::key_material::{KeyMaterial, SecretBytes};
use crate::powerplatform::{KeyAccess, PowerPlatform};
use crate::time::{SimDuration, SimTime};

impl PowerPlatform {
    /// The Microsoft-managed key, made on first use.
    pub(crate) fn microsoft_key(&mut self, rng: &mut dyn CryptoRngCore) -> [u8; 32] {
        if self.microsoft_key.is_none() {
            self.microsoft_key = Some(SecretBytes::random(rng, 32));
        }
        self.microsoft_key.as_ref().map(SecretBytes::key32).unwrap_or([0; 32])
    }

    /// Wraps a data key under Microsoft's key (AES-256-GCM key wrap).
    pub(crate) fn wrap_dek_microsoft(&mut self, dek: &[u8], rng: &mut dyn CryptoRngCore) -> WrappedDek {
        let mmk = self.microsoft_key(rng);
        WrappedDek { protector: Protector::Microsoft, blob: aes_gcm_seal(&mmk, dek, b"dek", rng) }
    }

    pub(crate) fn wrap_dek_byok(&mut self, dek: &[u8], rng: &mut dyn CryptoRngCore) -> Result<WrappedDek, Error> {
        if self.tenant_byok_key.is_none() {
            self.tenant_byok_key = Some(KeyMaterial::generate(rng, 2048)?);
        }
        let key = self.tenant_byok_key.as_ref().ok_or_else(|| internal("tenant key vanished"))?;
        let blob = crate::crypto::rsa_encrypt(key.private_key(), Algorithm::RsaOaep256, dek, rng)?;
        Ok(WrappedDek { protector: Protector::Byok, blob })
    }

    /// Unwraps a data key. For a customer-managed key this goes through Key Vault as
    /// `identity`, with every check the service makes (SPEC ROT-2, DB-5).
    pub(crate) fn unwrap_dek(
        &self,
        keys: &dyn KeyAccess,
        dek: &WrappedDek,
        identity: Option<&str>,
    ) -> Result<SecretBytes, Error> {
        let bytes = match &dek.protector {
            Protector::Microsoft => {
                let mmk = self.microsoft_key.as_ref().ok_or_else(|| internal("Microsoft-managed key missing"))?;
                aes_gcm_open(&mmk.key32(), &dek.blob, b"dek")?
            }
            Protector::Byok => {
                let key = self.tenant_byok_key.as_ref().ok_or_else(|| internal("tenant key missing"))?;
                rsa_decrypt(key.private_key(), Algorithm::RsaOaep256, &dek.blob)?
            }
            Protector::Cmk { kid } => {
                let identity = identity.ok_or_else(|| {
                    Error::new(ErrorCode::KeyAccessLost, format!("No enterprise policy identity can reach {kid}."))
                })?;
                keys.unwrap(identity, kid, &dek.blob)?
            }
        };
        Ok(SecretBytes(bytes))
    }

    /// The identity of the policy an environment is linked to.
    pub(crate) fn env_identity(keys: &dyn KeyAccess, env: &Environment) -> Option<String> {
        env.policy.as_deref().and_then(|p| keys.policy(p)).map(|p| p.identity)
    }

    /// The data key of a service, from the service's memory or unwrapped afresh.
    pub(crate) fn service_dek(
        &self,
        keys: &dyn KeyAccess,
        env: &Environment,
        service: Service,
    ) -> Result<SecretBytes, Error> {
        let s = env.services.get(&service).ok_or_else(|| internal("service missing"))?;
        if let Some(d) = &s.cached_dek {
            return Ok(d.clone());
        }
        self.unwrap_dek(keys, &s.dek, Self::env_identity(keys, env).as_deref())
    }

    /// SPEC ROT-2: which environments a key version (any of `kids`) still protects — their live
    /// data keys, or backups less than 28 days old — as the activity log's warning when one is
    /// disabled or deleted (`what`); none if nothing depends on it.
    pub(crate) fn versions_in_use_warning(&self, what: &str, kids: &[String], now: SimTime) -> Option<String> {
        let window = SimDuration::days(28);
        let wrapped_with_one =
            |p: &Protector| matches!(p, Protector::Cmk { kid } if kids.iter().any(|k| k.eq_ignore_ascii_case(kid)));
        let mut at_risk: Vec<String> = Vec::new();
        let (mut live_any, mut backups_any) = (false, false);
        for e in self.environments.values() {
            let mut reasons: Vec<String> = Vec::new();
            let live: Vec<&str> = e
                .services
                .iter()
                .filter(|(_, s)| wrapped_with_one(&s.dek.protector))
                .map(|(svc, _)| svc.as_str())
                .collect();
            if !live.is_empty() {
                live_any = true;
                reasons.push(format!("its {} data key(s) ({})", live.len(), live.join(", ")));
            }
            let backups = e
                .backups
                .iter()
                .filter(|b| now < b.taken.plus(window))
                .filter(|b| b.services.values().any(|(dek, _)| wrapped_with_one(&dek.protector)))
                .count();
            if backups > 0 {
                backups_any = true;
                reasons.push(format!("{backups} backup(s) from the last 28 days"));
            }
            if !reasons.is_empty() {
                at_risk.push(format!("'{}' ({})", e.name, reasons.join(" and ")));
            }
        }
        if at_risk.is_empty() {
            return None;
        }
        let mut effects: Vec<&str> = Vec::new();
        if live_any {
            effects.push("environments using it lock at the next health check");
        }
        if backups_any {
            effects.push("backups wrapped with it can no longer be restored");
        }
        Some(format!(
            "A key version was {what} while it still protects {}: {}. Keep previous versions enabled for at least 28 days.",
            at_risk.join("; "),
            effects.join(", and ")
        ))
    }
}
