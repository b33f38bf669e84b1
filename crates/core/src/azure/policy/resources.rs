//! The enterprise policy as an Azure resource: `az deployment group create` with its template,
//! `az resource show` and `delete` by id, and Resource Graph listing. SPEC EP-1, EP-4 .. EP-7.

use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use rand_core::CryptoRngCore;

use super::*;
use crate::azure::directory::ManagedIdentity;
use crate::azure::vault::Vault;
use crate::azure::{Azure, ResourceGroup};
use crate::error::{Error, ErrorCode};
use crate::ids;
use crate::sim::Log;
use crate::time::SimTime;
use crate::view::{DeploymentProperties, DeploymentView, ErrorView, Outcome, OutputResource};

impl Azure {
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
        if let Some(w) = &warning {
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
        }
        let made = id.clone();
        let answer = DeploymentView {
            id: deployment,
            name: t.name.clone(),
            resource_type: "Microsoft.Resources/deployments".into(),
            properties: DeploymentProperties {
                provisioning_state: "Succeeded".into(),
                timestamp: now.to_iso(),
                output_resources: vec![OutputResource { id, resource_group: resource_group.into() }],
                warnings: warning.iter().map(ErrorView::of).collect(),
            },
        };
        let same = |d: &crate::azure::Deployment| {
            d.resource_group.eq_ignore_ascii_case(resource_group) && d.name.eq_ignore_ascii_case(&t.name)
        };
        self.deployments.retain(|d| !same(d));
        self.deployments.push(crate::azure::Deployment {
            resource_group: resource_group.into(),
            name: t.name.clone(),
            at: now,
            made,
            template: template.into(),
        });
        Ok((Outcome::Deployment(answer), key))
    }

    /// The resource an ARM id names: a policy, a vault or Managed HSM, or a resource group.
    fn resource(&self, id: &str) -> Result<ArmResource<'_>, Error> {
        if let Some(p) = self.policy_by_id(id) {
            return Ok(ArmResource::Policy(p));
        }
        if let Some(v) = self.vault_by_id(id) {
            return Ok(ArmResource::Vault(v));
        }
        let id_trimmed = id.trim_end_matches('/');
        match self.resource_groups.values().find(|rg| self.rg_id(&rg.name).eq_ignore_ascii_case(id_trimmed)) {
            Some(rg) => Ok(ArmResource::Group(rg)),
            None => Err(resource_not_found(id)),
        }
    }

    /// `az resource show --ids`.
    pub(crate) fn show_resource(
        &self,
        actor: &str,
        id: &str,
        linked: Links<'_>,
        now: SimTime,
    ) -> Result<Outcome, Error> {
        match self.resource(id)? {
            ArmResource::Policy(p) => {
                self.authorize(actor, "Microsoft.PowerPlatform/enterprisePolicies/read", &p.id())?;
                Ok(Outcome::Policy(self.policy_view(p, &linked(&p.id().to_ascii_lowercase()), now)))
            }
            ArmResource::Vault(v) => {
                let kind = if v.is_hsm() { "managedHSMs" } else { "vaults" };
                self.authorize(actor, &format!("Microsoft.KeyVault/{kind}/read"), &v.id())?;
                Ok(Outcome::Vault(self.vault_view(v)))
            }
            ArmResource::Group(rg) => {
                self.authorize(actor, "Microsoft.Resources/subscriptions/resourceGroups/read", &self.rg_id(&rg.name))?;
                Ok(Outcome::ResourceGroup(self.rg_view(rg)))
            }
        }
    }

    /// `az resource delete`: a policy (not while in use, EP-6) or a vault.
    pub(crate) fn delete_resource(
        &mut self,
        actor: &str,
        id: &str,
        linked: Links<'_>,
        now: SimTime,
    ) -> Result<Outcome, Error> {
        let p = match self.resource(id)? {
            ArmResource::Policy(p) => p,
            ArmResource::Vault(v) => {
                let name = v.name.clone();
                return self.delete_vault(actor, &name, now);
            }
            // The playground deletes no resource group.
            ArmResource::Group(_) => return Err(resource_not_found(id)),
        };
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
        Ok(Outcome::Policy(view))
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
}

/// What an ARM id names, for `az resource show` and `delete`.
enum ArmResource<'a> {
    Policy(&'a EnterprisePolicy),
    Vault(&'a Vault),
    Group(&'a ResourceGroup),
}

fn resource_not_found(id: &str) -> Error {
    Error::new(ErrorCode::ResourceNotFound, format!("The resource '{id}' was not found."))
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
mod tests {
    use super::*;

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
