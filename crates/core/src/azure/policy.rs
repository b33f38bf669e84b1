//! Power Platform enterprise policies (kind Encryption): the policy, its system-assigned
//! identity's way to its key, its health and eligibility, and how `az resource show` shows it.
//! The template and the resource operations live in the parts below. SPEC EP-1 .. EP-8.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use crate::azure::authz::{Caller, KeyOp};
use crate::azure::keys::{check_validity, disabled, key_not_found, pick_version};
use crate::azure::vault::{KeyVersion, Vault};
use crate::azure::Azure;
use crate::error::{Error, ErrorCode};
use crate::time::SimTime;
use crate::view::{
    Eligibility, ErrorView, IdentityView, PolicyEncryption, PolicyKeyRef, PolicyKeyVault, PolicyProperties, PolicyView,
};

mod resources;
mod template;

pub use template::{first_placeholder, parse_template, PolicyTemplate, SEED_TEMPLATE};

pub const POLICY_TYPE: &str = "Microsoft.PowerPlatform/enterprisePolicies";
pub const POLICY_API_VERSION: &str = "2020-10-30";
/// The RSA sizes Power Platform accepts for a customer-managed key (SPEC KV-4); Key Vault
/// creates 4096 too.
pub const CMK_RSA_SIZES: [u32; 2] = [2048, 3072];

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EnterprisePolicy {
    pub name: String,
    pub subscription_id: String,
    pub resource_group: String,
    pub location: String,
    /// Object id of the policy's system-assigned managed identity (SPEC EP-4).
    pub principal_id: String,
    pub key_vault_id: String,
    pub key_name: String,
    /// `None`: follow the key's current version (SPEC EP-5).
    pub key_version: Option<String>,
    pub created: SimTime,
}

impl EnterprisePolicy {
    pub fn id(&self) -> String {
        format!(
            "/subscriptions/{}/resourceGroups/{}/providers/{POLICY_TYPE}/{}",
            self.subscription_id, self.resource_group, self.name
        )
    }

    /// `properties.systemId`: the identifier Power Platform knows the policy by (its scripts
    /// link environments with it), `/regions/{location}/providers/Microsoft.PowerPlatform/
    /// enterprisePolicies/{guid}`. The guid is drawn from the policy's own identity, so each
    /// deployment of a policy — even under the same name — has its own, and old saves keep theirs.
    pub fn system_id(&self) -> String {
        let guid = crate::ids::guid_from(&format!("systemId:{}", self.principal_id));
        format!("/regions/{}/providers/{POLICY_TYPE}/{guid}", self.location)
    }
}

/// Health of a policy (SPEC EP-8).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Health {
    Healthy,
    Unhealthy { reason: Error },
}

impl Azure {
    pub(crate) fn policy_by_id(&self, id: &str) -> Option<&EnterprisePolicy> {
        self.policies.get(&id.trim_end_matches('/').to_ascii_lowercase())
    }

    /// Finds a policy by ARM id or by name.
    pub fn find_policy(&self, name_or_id: &str) -> Option<&EnterprisePolicy> {
        self.policy_by_id(name_or_id)
            .or_else(|| self.policies.values().find(|p| p.name.eq_ignore_ascii_case(name_or_id)))
    }

    pub(crate) fn vault_by_id(&self, id: &str) -> Option<&Vault> {
        self.vaults.values().find(|v| v.id().eq_ignore_ascii_case(id.trim_end_matches('/')))
    }

    /// What the policy's identity reaches: the vault and the key version it would use right now,
    /// after every check the service makes (network, permissions, enabled, validity). This is
    /// the hook the Power Platform side wraps and unwraps through.
    pub fn policy_key(
        &self,
        policy: &EnterprisePolicy,
        now: SimTime,
    ) -> Result<(&Vault, &crate::azure::vault::Key, &KeyVersion), Error> {
        let vault = self.vault_by_id(&policy.key_vault_id).ok_or_else(|| {
            let deleted = self.deleted_vaults.values().any(|d| d.vault.id().eq_ignore_ascii_case(&policy.key_vault_id));
            Error::new(
                ErrorCode::VaultNotFound,
                format!(
                    "The key vault {} {}.",
                    policy.key_vault_id,
                    if deleted { "is deleted" } else { "does not exist" }
                ),
            )
        })?;
        for op in [KeyOp::Get, KeyOp::WrapKey, KeyOp::UnwrapKey] {
            self.authorize_key(&policy.principal_id, vault, Some(&policy.key_name), op, Caller::TrustedService)?;
        }
        let key = vault.key(&policy.key_name).ok_or_else(|| key_not_found(vault, &policy.key_name, None))?;
        let kv = pick_version(vault, key, policy.key_version.as_deref())?;
        if !kv.enabled {
            return Err(disabled(vault, &key.name, &kv.version, "wrapKey"));
        }
        check_validity(kv, &key.name, "wrapKey", now)?;
        // SPEC KV-13: Power Platform wraps and unwraps with it.
        for op in ["wrapKey", "unwrapKey"] {
            crate::azure::keys::check_permitted(vault, key, kv, op)?;
        }
        Ok((vault, key, kv))
    }

    /// Whether the policy's key may protect Power Platform data at all, beyond being reachable:
    /// the vault needs soft delete and purge protection (SPEC KV-3) and the key must be RSA
    /// 2048 or 3072 (SPEC KV-4). Adding an environment checks this first.
    pub fn policy_cmk_eligibility(&self, policy: &EnterprisePolicy, now: SimTime) -> Result<(), Error> {
        let (vault, key, version) = self.policy_key(policy, now)?;
        if !(vault.soft_delete && vault.purge_protection) {
            return Err(not_protected(vault));
        }
        let bits = version.material.bits();
        if !CMK_RSA_SIZES.contains(&bits) {
            return Err(wrong_size(&key.name, bits));
        }
        Ok(())
    }

    pub fn policy_health(&self, policy: &EnterprisePolicy, now: SimTime) -> Health {
        match self.policy_key(policy, now) {
            Ok(_) => Health::Healthy,
            Err(reason) => Health::Unhealthy { reason },
        }
    }

    /// KV-3 and KV-4 as far as the vault and key themselves decide them, whoever asks.
    fn vault_ineligibility(&self, policy: &EnterprisePolicy) -> Option<Error> {
        let vault = self.vault_by_id(&policy.key_vault_id)?;
        if !(vault.soft_delete && vault.purge_protection) {
            return Some(not_protected(vault));
        }
        let key = vault.key(&policy.key_name)?;
        let version = pick_version(vault, key, policy.key_version.as_deref()).ok()?;
        let bits = version.material.bits();
        (!CMK_RSA_SIZES.contains(&bits)).then(|| wrong_size(&key.name, bits))
    }

    /// The policy as `az resource show` shows it, with its health (EP-8) and eligibility (KV-3).
    pub(crate) fn policy_view(&self, p: &EnterprisePolicy, linked: &[String], now: SimTime) -> PolicyView {
        let (status, reason) = match self.policy_health(p, now) {
            Health::Healthy => ("Healthy", None),
            Health::Unhealthy { reason } => ("Unhealthy", Some(ErrorView::of(&reason))),
        };
        PolicyView {
            id: p.id(),
            name: p.name.clone(),
            resource_type: POLICY_TYPE.into(),
            location: p.location.clone(),
            kind: "Encryption".into(),
            resource_group: p.resource_group.clone(),
            subscription_id: p.subscription_id.clone(),
            identity: IdentityView {
                identity_type: "SystemAssigned".into(),
                principal_id: p.principal_id.clone(),
                tenant_id: self.tenant.id.clone(),
            },
            properties: PolicyProperties {
                encryption: PolicyEncryption {
                    state: "Enabled".into(),
                    key_vault: PolicyKeyVault {
                        id: p.key_vault_id.clone(),
                        key: PolicyKeyRef { name: p.key_name.clone(), version: p.key_version.clone() },
                    },
                },
                system_id: p.system_id(),
                lockbox: None,
                network_injection: None,
                health_status: status.into(),
                health_reason: reason,
                cmk_eligibility: match self.policy_cmk_eligibility(p, now) {
                    Ok(()) => Eligibility { eligible: true, code: None, message: None },
                    Err(e) => Eligibility {
                        eligible: false,
                        code: Some(e.code().as_str().into()),
                        message: Some(e.message().into()),
                    },
                },
                linked_environments: linked.to_vec(),
            },
            health_status: status.into(),
        }
    }
}

/// What Power Platform has linked to each policy (SPEC EP-6): the ids of the environments
/// linked to the policy with this lower-cased id. Azure only counts and shows them.
pub type Links<'a> = &'a dyn Fn(&str) -> Vec<String>;

fn not_protected(vault: &Vault) -> Error {
    Error::new(
        ErrorCode::VaultNotEligible,
        format!(
            "{} '{}' must have soft delete and purge protection enabled to hold a customer-managed key for Power Platform (soft delete: {}, purge protection: {}).",
            vault.kind_label(),
            vault.name,
            if vault.soft_delete { "on" } else { "off" },
            if vault.purge_protection { "on" } else { "off" }
        ),
    )
}

fn wrong_size(key: &str, bits: u32) -> Error {
    Error::new(
        ErrorCode::KeyNotEligible,
        format!("Key '{key}' is RSA {bits}; Power Platform accepts RSA keys of 2048 or 3072 bits only."),
    )
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub use super::SEED_TEMPLATE;

    pub fn filled(name: &str, location: &str, vault_id: &str, key: &str) -> String {
        SEED_TEMPLATE
            .replace("{EnterprisePolicyName}", &format!("\"{name}\""))
            .replace("{location where EnterprisePolicy needs to be created}", &format!("\"{location}\""))
            .replace("{keyVaultId}", &format!("\"{vault_id}\""))
            .replace("{keyName}", &format!("\"{key}\""))
    }
}
