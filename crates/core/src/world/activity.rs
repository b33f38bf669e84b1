//! Azure's activity log: the management operations people make, with who made them (SPEC PG-1).
//! Only operations that succeeded and changed something are kept — a refused command changes
//! nothing, its log included — and only for 90 days, as Azure Monitor keeps them.

use super::*;
use crate::sim::Operation;

/// How long the activity log keeps an operation.
const RETENTION: SimDuration = SimDuration::days(90);

impl World {
    /// What `command` is in the activity log, and the ARM id it acts on; `None` for reads,
    /// the data plane (keys, Managed HSM local RBAC) and the Power Platform side.
    pub(super) fn arm_operation(&self, command: &Command) -> Option<(&'static str, String)> {
        let az = &self.azure;
        // A vault by name, whether it is live or soft-deleted (recover and purge).
        let vault_id = |name: &str| {
            let key = name.to_ascii_lowercase();
            az.vaults
                .get(&key)
                .or_else(|| az.deleted_vaults.get(&key).map(|d| &d.vault))
                .map(crate::azure::vault::Vault::id)
        };
        let vault_op = |name: &str, op: &'static str| {
            let id = vault_id(name)?;
            let hsm = id.contains("/managedHSMs/");
            Some((if hsm { hsm_name(op) } else { op }, id))
        };
        let provider = |ns: &str| format!("{}/providers/{ns}", az.subscription_scope());
        match command {
            Command::RegisterProvider { namespace } => Some(("Register resource provider", provider(namespace))),
            Command::UnregisterProvider { namespace } => Some(("Unregister resource provider", provider(namespace))),
            Command::CreateResourceGroup { name, .. } | Command::UpdateResourceGroup { name, .. } => {
                Some(("Update resource group", az.rg_id(name)))
            }
            Command::DeleteResourceGroup { name } => Some(("Delete resource group", az.rg_id(name))),
            Command::CreateVault(v) => Some((
                "Update Key Vault",
                format!("{}/providers/Microsoft.KeyVault/vaults/{}", az.rg_id(&v.resource_group), v.name),
            )),
            Command::CreateManagedHsm(h) => Some((
                "Create or Update Managed HSM",
                format!("{}/providers/Microsoft.KeyVault/managedHSMs/{}", az.rg_id(&h.resource_group), h.name),
            )),
            Command::UpdateVault(v) => vault_op(&v.name, "Update Key Vault"),
            Command::AddNetworkRule(r) | Command::RemoveNetworkRule(r) => vault_op(&r.vault, "Update Key Vault"),
            Command::SetAccessPolicy { vault, .. } | Command::DeleteAccessPolicy { vault, .. } => {
                vault_op(vault, "Update Access Policy")
            }
            Command::DeleteVault { name } => vault_op(name, "Delete Key Vault"),
            Command::RecoverVault { name } => vault_op(name, "Recover Key Vault"),
            Command::PurgeVault { name } => vault_op(name, "Purge Key Vault"),
            Command::CreatePrivateEndpoint { name, resource_group, .. } => Some((
                "Create or Update Private Endpoint",
                format!("{}/providers/Microsoft.Network/privateEndpoints/{name}", az.rg_id(resource_group)),
            )),
            Command::CreateRoleAssignment { scope, .. } => {
                Some(("Create role assignment", scope.trim_end_matches('/').into()))
            }
            Command::DeleteRoleAssignment { scope, .. } => {
                Some(("Delete role assignment", scope.trim_end_matches('/').into()))
            }
            Command::DeployTemplate { resource_group, .. } => Some(("Create Deployment", az.rg_id(resource_group))),
            Command::DeleteResource { id } => {
                let name = if id.to_ascii_lowercase().contains("/microsoft.powerplatform/") {
                    "Delete Enterprise Policy"
                } else {
                    "Delete Key Vault"
                };
                Some((name, id.clone()))
            }
            _ => None,
        }
    }

    /// Records an operation `actor` made, dropping what is older than the retention.
    pub(super) fn record_operation(
        &mut self,
        actor: &str,
        (name, resource): (&'static str, String),
        outcome: &Outcome,
    ) {
        // A deployment's entry names the deployment itself.
        let resource = match outcome {
            Outcome::Deployment(d) => d.id.clone(),
            _ => resource,
        };
        let caller = self.azure.user(actor).map(|u| u.upn.clone()).unwrap_or_else(|_| actor.into());
        let now = self.now;
        let ops = &mut self.azure.operations;
        ops.retain(|o| o.at.plus(RETENTION) > now);
        ops.push(Operation { at: now, name: name.into(), resource, caller });
    }

    /// The activity log as `actor` may read it (Reader on the resource), newest first.
    pub(super) fn operations_for(&self, actor: &str) -> Vec<Operation> {
        let az = &self.azure;
        az.operations
            .iter()
            .rev()
            .filter(|o| o.at.plus(RETENTION) > self.now)
            .filter(|o| az.has_action(actor, "Microsoft.Insights/eventtypes/values/read", &o.resource))
            .cloned()
            .collect()
    }
}

/// A Managed HSM's name for a vault operation.
fn hsm_name(op: &'static str) -> &'static str {
    match op {
        "Delete Key Vault" => "Delete Managed HSM",
        "Recover Key Vault" => "Recover Managed HSM",
        "Purge Key Vault" => "Purge Managed HSM",
        _ => "Create or Update Managed HSM",
    }
}
