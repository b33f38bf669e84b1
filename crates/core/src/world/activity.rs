//! Azure's activity log: the management operations people make, with who made them (SPEC PG-1).
//! Only operations that succeeded and changed something are kept — a refused command changes
//! nothing, its log included — and only for 90 days, as Azure Monitor keeps them.

use super::*;
use crate::sim::Operation;

/// How long the activity log keeps an operation.
const RETENTION: SimDuration = SimDuration::days(90);

impl World {
    /// What `command` is in the activity log — its name as the portal shows it, the ARM action
    /// (`operationName.value`) and the ARM id it acts on; `None` for reads, the data plane
    /// (keys, Managed HSM local RBAC) and the Power Platform side.
    pub(super) fn arm_operation(&self, command: &Command) -> Option<ArmOperation> {
        let az = &self.azure;
        let op = |name: &'static str, action: &str, resource: String| Some((name, String::from(action), resource));
        // A vault by name, whether it is live or soft-deleted (recover and purge).
        let vault_op = |name: &str, vault: &'static str, hsm: &'static str, action: &str| {
            let key = name.to_ascii_lowercase();
            let v = az.vaults.get(&key).or_else(|| az.deleted_vaults.get(&key).map(|d| &d.vault))?;
            let (label, kind) = if v.is_hsm() { (hsm, "managedHSMs") } else { (vault, "vaults") };
            op(label, &action.replace("{kind}", kind), v.id())
        };
        let provider = |ns: &str| format!("{}/providers/{ns}", az.subscription_scope());
        let rg_action = "Microsoft.Resources/subscriptions/resourceGroups";
        match command {
            Command::RegisterProvider { namespace } => {
                op("Register resource provider", &format!("{namespace}/register/action"), provider(namespace))
            }
            Command::UnregisterProvider { namespace } => {
                op("Unregister resource provider", &format!("{namespace}/unregister/action"), provider(namespace))
            }
            Command::CreateResourceGroup { name, .. } | Command::UpdateResourceGroup { name, .. } => {
                op("Update resource group", &format!("{rg_action}/write"), az.rg_id(name))
            }
            Command::DeleteResourceGroup { name } => {
                op("Delete resource group", &format!("{rg_action}/delete"), az.rg_id(name))
            }
            Command::CreateVault(v) => op(
                "Update Key Vault",
                "Microsoft.KeyVault/vaults/write",
                format!("{}/providers/Microsoft.KeyVault/vaults/{}", az.rg_id(&v.resource_group), v.name),
            ),
            Command::CreateManagedHsm(h) => op(
                "Create or Update Managed HSM",
                "Microsoft.KeyVault/managedHSMs/write",
                format!("{}/providers/Microsoft.KeyVault/managedHSMs/{}", az.rg_id(&h.resource_group), h.name),
            ),
            Command::UpdateVault(v) => {
                vault_op(&v.name, "Update Key Vault", "Create or Update Managed HSM", "Microsoft.KeyVault/{kind}/write")
            }
            Command::AddNetworkRule(r) | Command::RemoveNetworkRule(r) => vault_op(
                &r.vault,
                "Update Key Vault",
                "Create or Update Managed HSM",
                "Microsoft.KeyVault/{kind}/write",
            ),
            Command::SetAccessPolicy { vault, .. } | Command::DeleteAccessPolicy { vault, .. } => vault_op(
                vault,
                "Update Access Policy",
                "Update Access Policy",
                "Microsoft.KeyVault/vaults/accessPolicies/write",
            ),
            Command::DeleteVault { name } => {
                vault_op(name, "Delete Key Vault", "Delete Managed HSM", "Microsoft.KeyVault/{kind}/delete")
            }
            Command::RecoverVault { name } => {
                vault_op(name, "Recover Key Vault", "Recover Managed HSM", "Microsoft.KeyVault/{kind}/write")
            }
            Command::PurgeVault { name } => vault_op(
                name,
                "Purge Key Vault",
                "Purge Managed HSM",
                "Microsoft.KeyVault/locations/deleted{kind}/purge/action",
            ),
            Command::CreatePrivateEndpoint { name, resource_group, .. } => op(
                "Create or Update Private Endpoint",
                "Microsoft.Network/privateEndpoints/write",
                format!("{}/providers/Microsoft.Network/privateEndpoints/{name}", az.rg_id(resource_group)),
            ),
            Command::CreateRoleAssignment { scope, .. } => op(
                "Create role assignment",
                "Microsoft.Authorization/roleAssignments/write",
                scope.trim_end_matches('/').into(),
            ),
            Command::DeleteRoleAssignment { scope, .. } => op(
                "Delete role assignment",
                "Microsoft.Authorization/roleAssignments/delete",
                scope.trim_end_matches('/').into(),
            ),
            Command::DeployTemplate { resource_group, .. } => {
                op("Create Deployment", "Microsoft.Resources/deployments/write", az.rg_id(resource_group))
            }
            Command::DeleteResource { id } if id.to_ascii_lowercase().contains("/microsoft.powerplatform/") => {
                op("Delete Enterprise Policy", "Microsoft.PowerPlatform/enterprisePolicies/delete", id.clone())
            }
            Command::DeleteResource { id } => {
                let name = id.rsplit('/').next().unwrap_or(id);
                vault_op(name, "Delete Key Vault", "Delete Managed HSM", "Microsoft.KeyVault/{kind}/delete")
            }
            _ => None,
        }
    }

    /// Records an operation `actor` made, dropping what is older than the retention.
    pub(super) fn record_operation(&mut self, actor: &str, (name, action, resource): ArmOperation, outcome: &Outcome) {
        // A deployment's entry names the deployment itself.
        let resource = match outcome {
            Outcome::Deployment(d) => d.id.clone(),
            _ => resource,
        };
        let caller = self.azure.user(actor).map(|u| u.upn.clone()).unwrap_or_else(|_| actor.into());
        let now = self.now;
        let ops = &mut self.azure.operations;
        ops.retain(|o| o.at.plus(RETENTION) > now);
        ops.push(Operation { at: now, name: name.into(), action, resource, caller });
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

/// `az monitor activity-log list`'s filters.
pub(crate) struct Filter<'a> {
    pub resource_group: Option<&'a str>,
    pub resource_id: Option<&'a str>,
    pub caller: Option<&'a str>,
    pub status: Option<&'a str>,
    pub offset: SimDuration,
    pub max_events: u32,
}

impl World {
    /// `az monitor activity-log list`: the persona's readable events that pass the filters,
    /// newest first.
    pub(super) fn activity_log(&self, actor: &str, f: &Filter<'_>) -> Outcome {
        let from = SimTime::from_unix(self.now.unix().saturating_sub(f.offset.as_seconds()));
        let group = f.resource_group.map(|g| self.azure.rg_id(g));
        let events: Vec<serde_json::Value> = self
            .operations_for(actor)
            .iter()
            .filter(|o| o.at >= from)
            .filter(|o| group.as_ref().is_none_or(|g| o.is_under(g)))
            .filter(|o| f.resource_id.is_none_or(|id| o.resource.eq_ignore_ascii_case(id.trim_end_matches('/'))))
            .filter(|o| f.caller.is_none_or(|c| o.caller.eq_ignore_ascii_case(c)))
            // Every recorded operation succeeded: a refused one changes nothing, its log included.
            .filter(|_| f.status.is_none_or(|s| s.eq_ignore_ascii_case("Succeeded")))
            .take(f.max_events as usize)
            .map(|o| o.event(&self.azure.subscription.id))
            .collect();
        Outcome::Json(serde_json::Value::Array(events))
    }
}

/// An operation's portal name, ARM action and resource id.
pub(super) type ArmOperation = (&'static str, String, String);
