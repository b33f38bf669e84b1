//! The policy's managed identity: the Power Platform side's one way to Key Vault
//! ([`KeyAccess`]), checked through the vault's trusted-services path.

use super::*;

/// The Power Platform service's way to Key Vault at one moment: every call is checked as the
/// policy's managed identity, through the vault's trusted-services path.
#[derive(Debug)]
pub struct PolicyIdentity<'a> {
    pub(super) azure: &'a Azure,
    pub(super) now: SimTime,
}

pub(super) fn policy_info(p: &EnterprisePolicy) -> PolicyInfo {
    let id = p.id();
    PolicyInfo {
        key: id.to_ascii_lowercase(),
        id,
        name: p.name.clone(),
        location: p.location.clone(),
        identity: p.principal_id.clone(),
        key_ref: (p.key_vault_id.to_ascii_lowercase(), p.key_name.to_ascii_lowercase()),
    }
}

impl PolicyIdentity<'_> {
    fn existing(&self, policy: &str) -> Result<&EnterprisePolicy, Error> {
        self.azure
            .policy_by_id(policy)
            .ok_or_else(|| Error::new(ErrorCode::ResourceNotFound, "The enterprise policy was deleted."))
    }
}

impl KeyAccess for PolicyIdentity<'_> {
    fn policy(&self, name_or_id: &str) -> Option<PolicyInfo> {
        self.azure.find_policy(name_or_id).map(policy_info)
    }

    fn current_version(&self, policy: &str) -> Result<KeyVersionInfo, Error> {
        let (vault, key, kv) = self.azure.policy_key(self.existing(policy)?, self.now)?;
        Ok(KeyVersionInfo { kid: vault.kid(&key.name, &kv.version), created: kv.created, expires: kv.expires })
    }

    fn eligible(&self, policy: &str) -> Result<(), Error> {
        self.azure.policy_cmk_eligibility(self.existing(policy)?, self.now)
    }

    fn wrap(&self, policy: &str, dek: &[u8], rng: &mut dyn CryptoRngCore) -> Result<(String, Vec<u8>), Error> {
        self.azure.service_wrap(self.existing(policy)?, dek, self.now, rng)
    }

    fn check(&self, identity: &str, kid: &str) -> Result<(), Error> {
        self.azure.service_can_unwrap(identity, kid)
    }

    fn unwrap(&self, identity: &str, kid: &str, blob: &[u8]) -> Result<Zeroizing<Vec<u8>>, Error> {
        self.azure.service_unwrap(identity, kid, blob)
    }
}
