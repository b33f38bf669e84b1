//! Power Platform enterprise policies (kind Encryption): the ARM template of the seeds, the
//! system-assigned identity, health, Resource Graph listing. SPEC EP-1 .. EP-8.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use rand_core::CryptoRngCore;
use serde::{Deserialize, Serialize};

use crate::azure::authz::{Caller, KeyOp};
use crate::azure::directory::ManagedIdentity;
use crate::azure::keys::{check_validity, disabled, key_not_found, pick_version};
use crate::azure::vault::{KeyVersion, Vault};
use crate::azure::Azure;
use crate::error::{Error, ErrorCode};
use crate::ids;
use crate::location::POLICY_LOCATIONS;
use crate::sim::Log;
use crate::time::SimTime;
use crate::view::{
    Eligibility, ErrorView, IdentityView, Outcome, PolicyEncryption, PolicyKeyRef, PolicyKeyVault, PolicyProperties,
    PolicyView,
};

pub const POLICY_TYPE: &str = "Microsoft.PowerPlatform/enterprisePolicies";
pub const POLICY_API_VERSION: &str = "2020-10-30";
const SCHEMA_PREFIX: &str = "https://schema.management.azure.com/schemas/";
const SCHEMA_SUFFIX: &str = "/deploymentTemplate.json#";

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
}

/// The enterprise-policy template of the seeds ("Create enterprise policy"), placeholders and all:
/// what the portal's template editor starts with.
pub const SEED_TEMPLATE: &str = r#"{
    "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
    "contentVersion": "1.0.0.0",
    "parameters": {},
    "resources": [
        {
            "type": "Microsoft.PowerPlatform/enterprisePolicies",
            "apiVersion": "2020-10-30",
            "name": {EnterprisePolicyName},
            "location": {location where EnterprisePolicy needs to be created},
            "kind": "Encryption",
            "identity": {
                "type": "SystemAssigned"
            },
            "properties": {
                "lockbox": null,
                "encryption": {
                    "state": "Enabled",
                    "keyVault": {
                        "id": {keyVaultId},
                        "key": {
                            "name": {keyName}
                        }
                    }
                },
                "networkInjection": null
            }
        }
    ]
   }"#;

/// What the template asks for, once validated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyTemplate {
    pub name: String,
    pub location: String,
    pub key_vault_id: String,
    pub key_name: String,
    pub key_version: Option<String>,
}

fn invalid(message: String) -> Error {
    Error::new(ErrorCode::InvalidTemplate, message)
}

/// Finds `{Something}` placeholders left in the template (quoted or not), as the seeds' template
/// has them: `{EnterprisePolicyName}`, `{keyVaultId}`, `{keyName}`, `{location where …}`.
fn placeholders(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'{' {
            if let Some(len) = text[i + 1..].find('}') {
                let inner = &text[i + 1..i + 1 + len];
                let looks_like_name = inner.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                    && !inner.contains(['"', ':', '{', '\n', ','])
                    && inner.len() <= 80;
                if looks_like_name {
                    found.push(format!("{{{inner}}}"));
                }
            }
        }
        i += 1;
    }
    found
}

fn hint(placeholder: &str) -> &'static str {
    let p = placeholder.to_ascii_lowercase();
    if p.contains("policyname") {
        "the policy's name, in quotes"
    } else if p.contains("location") {
        "one of the Power Platform regions in quotes, e.g. \"europe\""
    } else if p.contains("keyvaultid") {
        "the vault's resource ID in quotes (Key vault > Overview > JSON View)"
    } else if p.contains("keyname") {
        "the key's name in quotes"
    } else {
        "a real value in quotes"
    }
}

/// Validates the enterprise-policy ARM template field by field (SPEC EP-2, EP-3).
pub fn parse_template(text: &str) -> Result<PolicyTemplate, Error> {
    if let Some(p) = placeholders(text).first() {
        return Err(invalid(format!("The template still contains the placeholder {p}: replace it with {}.", hint(p))));
    }
    let doc: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        invalid(format!(
            "The template is not valid JSON: {e}. Check quotes and commas around the values you filled in."
        ))
    })?;
    let schema = doc.get("$schema").and_then(|s| s.as_str()).ok_or_else(|| {
        invalid("'$schema' is missing: it should be https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#".into())
    })?;
    if !(schema.starts_with(SCHEMA_PREFIX) && schema.ends_with(SCHEMA_SUFFIX)) {
        return Err(invalid(format!(
            "'$schema' is '{schema}', which is not a resource-group deployment template schema."
        )));
    }
    let resources = doc
        .get("resources")
        .and_then(|r| r.as_array())
        .ok_or_else(|| invalid("'resources' must be an array with the enterprise policy in it.".into()))?;
    let [resource] = resources.as_slice() else {
        return Err(invalid(format!(
            "'resources' has {} entries; this template deploys exactly one enterprise policy.",
            resources.len()
        )));
    };
    let field = |path: &str| resource.pointer(path);
    let string = |path: &str, what: &str| -> Result<String, Error> {
        match field(path) {
            Some(serde_json::Value::String(s)) if !s.trim().is_empty() => Ok(s.trim().into()),
            Some(serde_json::Value::String(_)) => {
                Err(invalid(format!("resources[0]{} ({what}) is empty.", path.replace('/', "."))))
            }
            Some(other) => {
                Err(invalid(format!("resources[0]{} ({what}) must be a string, not {other}.", path.replace('/', "."))))
            }
            None => Err(invalid(format!("resources[0]{} ({what}) is missing.", path.replace('/', ".")))),
        }
    };
    let rtype = string("/type", "resource type")?;
    if !rtype.eq_ignore_ascii_case(POLICY_TYPE) {
        return Err(invalid(format!("resources[0].type is '{rtype}'; it must be {POLICY_TYPE}.")));
    }
    let api = string("/apiVersion", "API version")?;
    if api != POLICY_API_VERSION {
        return Err(invalid(format!(
            "resources[0].apiVersion is '{api}'; enterprise policies use {POLICY_API_VERSION}."
        )));
    }
    let name = string("/name", "policy name")?;
    if name.len() > 64 || !name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')) {
        return Err(invalid(format!(
            "resources[0].name '{name}' is not valid: up to 64 letters, digits, '-', '_' or '.'."
        )));
    }
    let location = string("/location", "location")?.to_ascii_lowercase();
    if !POLICY_LOCATIONS.contains(&location.as_str()) {
        return Err(invalid(format!(
            "resources[0].location '{location}' is not a Power Platform region. Use one of: {}.",
            POLICY_LOCATIONS.join(", ")
        )));
    }
    let kind = string("/kind", "kind")?;
    if kind != "Encryption" {
        return Err(invalid(format!(
            "resources[0].kind is '{kind}'; a customer-managed key policy is kind Encryption."
        )));
    }
    let identity = string("/identity/type", "identity type")?;
    if identity != "SystemAssigned" {
        return Err(invalid(format!("resources[0].identity.type is '{identity}'; it must be SystemAssigned.")));
    }
    let state = string("/properties/encryption/state", "encryption state")?;
    if state != "Enabled" {
        return Err(invalid(format!("resources[0].properties.encryption.state is '{state}'; it must be Enabled.")));
    }
    let key_vault_id = string("/properties/encryption/keyVault/id", "key vault resource ID")?;
    check_vault_id(&key_vault_id)?;
    let key_name = string("/properties/encryption/keyVault/key/name", "key name")?;
    crate::azure::vault::check_key_name(&key_name).map_err(|e| invalid(e.message().into()))?;
    let key_version = match field("/properties/encryption/keyVault/key/version") {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(v)) if v.is_empty() => None,
        Some(serde_json::Value::String(v)) => {
            if v.len() != 32 || !v.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(invalid(format!("resources[0].properties.encryption.keyVault.key.version '{v}' is not a key version (32 hex characters); leave it out to follow the current version.")));
            }
            Some(v.to_ascii_lowercase())
        }
        Some(other) => {
            return Err(invalid(format!(
                "resources[0].properties.encryption.keyVault.key.version must be a string, not {other}."
            )))
        }
    };
    Ok(PolicyTemplate { name, location, key_vault_id, key_name, key_version })
}

/// `/subscriptions/{guid}/resourceGroups/{rg}/providers/Microsoft.KeyVault/(vaults|managedHSMs)/{name}`.
fn check_vault_id(id: &str) -> Result<(), Error> {
    let parts: Vec<&str> = id.trim_end_matches('/').split('/').collect();
    let ok = matches!(
        parts.as_slice(),
        ["", s, sub, r, rg, p, ns, kind, name]
            if s.eq_ignore_ascii_case("subscriptions") && ids::is_guid(sub) && r.eq_ignore_ascii_case("resourceGroups")
                && !rg.is_empty() && p.eq_ignore_ascii_case("providers") && ns.eq_ignore_ascii_case("Microsoft.KeyVault")
                && (kind.eq_ignore_ascii_case("vaults") || kind.eq_ignore_ascii_case("managedHSMs"))
                && crate::azure::vault::check_vault_name(name).is_ok()
    );
    if ok {
        Ok(())
    } else {
        Err(invalid(format!(
            "keyVault.id '{id}' is not a Key Vault resource ID. It looks like /subscriptions/<guid>/resourceGroups/<group>/providers/Microsoft.KeyVault/vaults/<name>: copy it from the vault's JSON View."
        )))
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
        if !matches!(bits, 2048 | 3072) {
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

    /// `az deployment group create` with the enterprise-policy template (SPEC EP-1 .. EP-5).
    /// `linked` counts the environments Power Platform has linked to a policy (EP-6: a policy
    /// in use cannot be redeployed). A vault that could not back a customer-managed key (KV-3,
    /// KV-4) does not stop the deployment — Azure Resource Manager does not look inside the
    /// vault — but the deployment answer carries a warning and the activity log records it.
    /// Returns the answer and the lower-cased id of the policy deployed.
    #[allow(clippy::too_many_arguments)] // the command's three fields plus the world's context
    pub(crate) fn deploy_template(
        &mut self,
        actor: &str,
        resource_group: &str,
        template: &str,
        linked: Links<'_>,
        (now, log): (SimTime, &mut Log),
        rng: &mut dyn CryptoRngCore,
    ) -> Result<(Outcome, String), Error> {
        let rg = self.resource_group(resource_group)?.name.clone();
        let t = parse_template(template)?;
        let id = format!("{}/providers/{POLICY_TYPE}/{}", self.rg_id(&rg), t.name);
        let deployment = format!("{}/providers/Microsoft.Resources/deployments/{}", self.rg_id(&rg), t.name);
        self.authorize(actor, "Microsoft.Resources/deployments/write", &deployment)?;
        self.authorize(actor, "Microsoft.PowerPlatform/enterprisePolicies/write", &id)?;
        if !self.subscription.registered_providers.iter().any(|p| p == "Microsoft.PowerPlatform") {
            return Err(Error::new(
                ErrorCode::MissingSubscriptionRegistration,
                format!("The subscription '{}' is not registered to use namespace 'Microsoft.PowerPlatform'. Register it once: az provider register --namespace Microsoft.PowerPlatform.", self.subscription.id),
            ));
        }
        let key = id.to_ascii_lowercase();
        if let Some(existing) = self.policies.get(&key) {
            let in_use = linked(&key).len();
            if in_use > 0 {
                return Err(Error::new(
                    ErrorCode::PolicyInUse,
                    format!("Enterprise policy '{}' has {in_use} linked environment(s) and cannot be updated. Remove them from the policy first.", existing.name),
                ));
            }
            if existing.location != t.location {
                return Err(Error::new(
                    ErrorCode::BadParameter,
                    format!(
                        "Enterprise policy '{}' is in '{}'; its location cannot change.",
                        existing.name, existing.location
                    ),
                ));
            }
        }
        let principal_id = match self.policies.get(&key) {
            Some(existing) => existing.principal_id.clone(),
            None => {
                let oid = ids::new_guid(rng);
                self.identities.push(ManagedIdentity {
                    object_id: oid.clone(),
                    resource_id: id.clone(),
                    display_name: t.name.clone(),
                });
                oid
            }
        };
        let created = self.policies.get(&key).map(|p| p.created).unwrap_or(now);
        let policy = EnterprisePolicy {
            name: t.name.clone(),
            subscription_id: self.subscription.id.clone(),
            resource_group: rg,
            location: t.location,
            principal_id,
            key_vault_id: t.key_vault_id,
            key_name: t.key_name,
            key_version: t.key_version,
            created,
        };
        // KV-3 / KV-4, told at creation. Only what the vault itself makes ineligible is
        // reported here: the new identity has no access yet, which is the next step, not a fault.
        let warning = self.vault_ineligibility(&policy);
        self.policies.insert(key.clone(), policy);
        let mut answer = serde_json::json!({
            "id": deployment,
            "name": t.name,
            "type": "Microsoft.Resources/deployments",
            "properties": {
                "provisioningState": "Succeeded",
                "timestamp": now.to_iso(),
                "outputResources": [{ "id": id, "resourceGroup": resource_group }],
            },
        });
        if let Some(w) = warning {
            log.record(
                now,
                "PolicyKeyNotEligible",
                &id,
                format!(
                    "Enterprise policy '{}' was created, but no environment can be added to it yet: {}",
                    t.name,
                    w.message()
                ),
            );
            if let Some(props) = answer.get_mut("properties").and_then(|p| p.as_object_mut()) {
                props.insert(
                    "warnings".into(),
                    serde_json::json!([{ "code": w.code().as_str(), "message": w.message() }]),
                );
            }
        }
        Ok((Outcome::Json(answer), key))
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
        (!matches!(bits, 2048 | 3072)).then(|| wrong_size(&key.name, bits))
    }

    pub(crate) fn show_resource(
        &self,
        actor: &str,
        id: &str,
        linked: Links<'_>,
        now: SimTime,
    ) -> Result<Outcome, Error> {
        if let Some(p) = self.policy_by_id(id) {
            self.authorize(actor, "Microsoft.PowerPlatform/enterprisePolicies/read", &p.id())?;
            return Ok(Outcome::Policy(self.policy_view(p, &linked(&p.id().to_ascii_lowercase()), now)));
        }
        if let Some(v) = self.vault_by_id(id) {
            let kind = if v.is_hsm() { "managedHSMs" } else { "vaults" };
            self.authorize(actor, &format!("Microsoft.KeyVault/{kind}/read"), &v.id())?;
            return Ok(Outcome::Vault(self.vault_view(v)));
        }
        if let Some(rg) =
            self.resource_groups.values().find(|rg| self.rg_id(&rg.name).eq_ignore_ascii_case(id.trim_end_matches('/')))
        {
            self.authorize(actor, "Microsoft.Resources/subscriptions/resourceGroups/read", &self.rg_id(&rg.name))?;
            return Ok(Outcome::ResourceGroup(self.rg_view(rg)));
        }
        Err(Error::new(ErrorCode::ResourceNotFound, format!("The resource '{id}' was not found.")))
    }

    /// `az resource delete`: a policy (not while in use, EP-6) or a vault.
    pub(crate) fn delete_resource(
        &mut self,
        actor: &str,
        id: &str,
        linked: Links<'_>,
        now: SimTime,
    ) -> Result<Outcome, Error> {
        if let Some(p) = self.policy_by_id(id) {
            self.authorize(actor, "Microsoft.PowerPlatform/enterprisePolicies/delete", &p.id())?;
            let key = p.id().to_ascii_lowercase();
            let in_use = linked(&key);
            if !in_use.is_empty() {
                return Err(Error::new(
                    ErrorCode::PolicyInUse,
                    format!("Enterprise policy '{}' has {} linked environment(s) and cannot be deleted. Remove them from the policy first.", p.name, in_use.len()),
                ));
            }
            let view = self.policy_view(p, &in_use, now);
            let principal = p.principal_id.clone();
            self.policies.remove(&key);
            // The system-assigned identity goes with its resource; role assignments to it stay
            // behind, orphaned, as in Azure.
            self.identities.retain(|m| m.object_id != principal);
            return Ok(Outcome::Policy(view));
        }
        if let Some(v) = self.vault_by_id(id) {
            let name = v.name.clone();
            return self.delete_vault(actor, &name, now);
        }
        Err(Error::new(ErrorCode::ResourceNotFound, format!("The resource '{id}' was not found.")))
    }

    /// `resources | where type =~ 'microsoft.powerplatform/enterprisepolicies'` (SPEC EP-7), and
    /// the same for key vaults and Managed HSMs. Only what the caller may read is listed.
    pub(crate) fn graph_query(
        &self,
        actor: &str,
        query: &str,
        linked: Links<'_>,
        now: SimTime,
    ) -> Result<Outcome, Error> {
        let wanted = parse_type_query(query)?;
        let mut data = Vec::new();
        if wanted.eq_ignore_ascii_case(POLICY_TYPE) {
            for p in self.policies.values() {
                if self.has_action(actor, "Microsoft.PowerPlatform/enterprisePolicies/read", &p.id()) {
                    let view = self.policy_view(p, &linked(&p.id().to_ascii_lowercase()), now);
                    data.push(serde_json::to_value(view).unwrap_or_default());
                }
            }
        } else if wanted.eq_ignore_ascii_case("Microsoft.KeyVault/vaults")
            || wanted.eq_ignore_ascii_case("Microsoft.KeyVault/managedHSMs")
        {
            let hsm = wanted.eq_ignore_ascii_case("Microsoft.KeyVault/managedHSMs");
            for v in self.vaults.values().filter(|v| v.is_hsm() == hsm) {
                let kind = if hsm { "managedHSMs" } else { "vaults" };
                if self.has_action(actor, &format!("Microsoft.KeyVault/{kind}/read"), &v.id()) {
                    data.push(serde_json::to_value(self.vault_view(v)).unwrap_or_default());
                }
            }
        }
        let n = data.len();
        Ok(Outcome::Json(serde_json::json!({ "count": n, "data": data, "skip_token": null, "total_records": n })))
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

/// Reads `resources | where type =~ 'x'` (or `==`), the one query shape the portal's Resource
/// Graph Explorer search produces.
fn parse_type_query(query: &str) -> Result<String, Error> {
    let bad = || {
        Error::new(
            ErrorCode::InvalidQuery,
            format!("This playground answers queries of the form: resources | where type =~ 'microsoft.powerplatform/enterprisepolicies' (got: {query})."),
        )
    };
    let q = query.trim();
    let rest = q.strip_prefix("resources").or_else(|| q.strip_prefix("Resources")).ok_or_else(bad)?.trim_start();
    let rest = rest.strip_prefix('|').ok_or_else(bad)?.trim_start();
    let rest = rest.strip_prefix("where").ok_or_else(bad)?.trim_start();
    let rest = rest.strip_prefix("type").ok_or_else(bad)?.trim_start();
    let rest = rest.strip_prefix("=~").or_else(|| rest.strip_prefix("==")).ok_or_else(bad)?.trim();
    let quote = rest.chars().next().filter(|c| *c == '\'' || *c == '"').ok_or_else(bad)?;
    let inner = &rest[1..];
    let end = inner.find(quote).ok_or_else(bad)?;
    if !inner[end + 1..].trim().is_empty() {
        return Err(bad());
    }
    Ok(inner[..end].into())
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

    const VAULT: &str = "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-cmk/providers/Microsoft.KeyVault/vaults/kv-cmk";

    #[test]
    fn the_seed_template_with_values_filled_in_is_accepted() {
        // SPEC EP-2
        let t = parse_template(&filled("ep-cmk", "europe", VAULT, "cmk")).expect("valid");
        assert_eq!(
            (t.name.as_str(), t.location.as_str(), t.key_name.as_str(), t.key_version),
            ("ep-cmk", "europe", "cmk", None)
        );
    }

    #[test]
    fn placeholders_left_in_are_named() {
        // SPEC EP-2: placeholders left in are errors.
        let err = parse_template(SEED_TEMPLATE).expect_err("placeholders");
        assert_eq!(err.code(), ErrorCode::InvalidTemplate);
        assert!(err.message().contains("{EnterprisePolicyName}"), "{}", err.message());
        let half = filled("ep", "europe", VAULT, "cmk").replace("\"cmk\"", "\"{keyName}\"");
        let err = parse_template(&half).expect_err("quoted placeholder");
        assert!(err.message().contains("{keyName}") && err.message().contains("key's name"), "{}", err.message());
    }

    #[test]
    fn each_field_has_its_own_error() {
        // SPEC EP-2 (field by field) and EP-3 (location).
        let good = filled("ep-cmk", "europe", VAULT, "cmk");
        let cases: [(String, &str); 13] = [
            (
                good.replace("2019-04-01/deploymentTemplate.json#", "2019-04-01/subscriptionDeploymentTemplate.jsonx"),
                "$schema",
            ),
            (good.replace("\"$schema\"", "\"$schemaX\""), "$schema' is missing"),
            (
                good.replace("Microsoft.PowerPlatform/enterprisePolicies", "Microsoft.PowerPlatform/accounts"),
                "resources[0].type",
            ),
            (good.replace("2020-10-30", "2021-01-01"), "apiVersion"),
            (good.replace("\"europe\"", "\"westeurope\""), "not a Power Platform region"),
            (good.replace("\"Encryption\"", "\"Lockbox\""), "kind"),
            (good.replace("\"SystemAssigned\"", "\"UserAssigned\""), "identity.type"),
            (good.replace("\"Enabled\"", "\"Disabled\""), "encryption.state"),
            (good.replace(VAULT, "kv-cmk"), "not a Key Vault resource ID"),
            (good.replace("\"cmk\"", "\"\""), "key name) is empty"),
            (good.replace("\"name\": \"cmk\"", "\"name\": \"cmk\", \"version\": \"v1\""), "32 hex"),
            (good.replace("\"ep-cmk\"", "42"), "must be a string"),
            (good.replacen("\"lockbox\": null,", "\"lockbox\": null", 1), "not valid JSON"),
        ];
        for (text, needle) in cases {
            let err = parse_template(&text).expect_err(needle);
            assert_eq!(err.code(), ErrorCode::InvalidTemplate, "{needle}");
            assert!(err.message().contains(needle), "expected '{needle}' in: {}", err.message());
        }
        let two = good.replace("\"resources\": [", "\"resources\": [ {\"type\": \"x\"},");
        assert!(parse_template(&two).expect_err("two").message().contains("2 entries"));
    }

    #[test]
    fn graph_queries() {
        // SPEC EP-7
        assert_eq!(
            parse_type_query("resources | where type =~ 'microsoft.powerplatform/enterprisepolicies'").as_deref(),
            Ok("microsoft.powerplatform/enterprisepolicies")
        );
        assert_eq!(
            parse_type_query("Resources|where type == \"Microsoft.KeyVault/vaults\"").as_deref(),
            Ok("Microsoft.KeyVault/vaults")
        );
        for bad in [
            "",
            "resources",
            "resources | where name =~ 'x'",
            "resources | where type =~ 'x' | project id",
            "securityresources | where type =~ 'x'",
        ] {
            assert_eq!(parse_type_query(bad).map_err(|e| e.code()), Err(ErrorCode::InvalidQuery), "{bad}");
        }
    }
}
