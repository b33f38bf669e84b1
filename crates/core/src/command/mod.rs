//! Commands: every change to the world is one of these, through `World::execute`.

use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

pub mod registry;

pub use crate::azure::requests::{
    CreateKey, CreateManagedHsm, CreateVault, CryptoOperation, ImportKey, KeyOperation, NetworkRule, SetKeyAttributes,
    UpdateVault,
};
use crate::time::SimDuration;

/// Externally tagged (`{"createKey": {…}}`), not internally (`{"command": "createKey", …}`):
/// every click crosses from the page to the worker as a `Command`, and an internally tagged
/// enum is decoded by buffering the whole message first, then decoding each variant from the
/// buffer — in the worker that was one 155 KB function; externally tagged, 61 KB (the dist
/// 32.7 KB gzip lighter). Nothing stores commands: the session keeps lines.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum Command {
    /// `az login --username UPN`: the signed-in persona for later commands of the host.
    SignIn {
        upn: String,
    },
    /// `az ad user show --id UPN|OID`.
    ShowUser {
        id: String,
    },
    /// `az provider register --namespace NS` (SPEC EP-1).
    RegisterProvider {
        namespace: String,
    },
    /// `az provider unregister --namespace NS`: refused while resources of it exist.
    UnregisterProvider {
        namespace: String,
    },
    /// `az group create` (again on an existing group: its tags become these, as ARM's PUT).
    CreateResourceGroup {
        name: String,
        location: String,
        /// SPEC KV-14.
        #[serde(default, skip_serializing_if = "alloc::collections::BTreeMap::is_empty")]
        tags: crate::view::Tags,
    },
    /// `az group update --tags` (SPEC KV-14): the group's tags become these.
    UpdateResourceGroup {
        name: String,
        tags: crate::view::Tags,
    },
    /// `az group delete`: the group and everything in it, as ARM does — vaults soft-deleted,
    /// enterprise policies and role assignments at or under it removed; refused, with nothing
    /// deleted, while one of its policies has linked environments (SPEC EP-6).
    DeleteResourceGroup {
        name: String,
    },
    /// `az keyvault create --name`.
    CreateVault(CreateVault),
    /// `az keyvault create --hsm-name`.
    CreateManagedHsm(CreateManagedHsm),
    /// Activating a Managed HSM (downloading its security domain).
    ActivateManagedHsm {
        name: String,
    },
    /// `az keyvault role assignment create --hsm-name` (Managed HSM local RBAC).
    CreateHsmRoleAssignment {
        hsm: String,
        role: String,
        assignee: String,
        scope: String,
    },
    /// `az keyvault update`.
    UpdateVault(UpdateVault),
    /// `az keyvault key backup`: the key, every version, as Key Vault's sealed blob.
    BackupKey {
        vault: String,
        name: String,
    },
    /// `az keyvault key restore --file`: a backup blob back into a vault.
    RestoreKey {
        vault: String,
        blob: String,
    },
    /// `az keyvault network-rule add` (SPEC KV-10).
    AddNetworkRule(NetworkRule),
    /// `az keyvault network-rule remove` (SPEC KV-10).
    RemoveNetworkRule(NetworkRule),
    /// `az keyvault show`.
    ShowVault {
        name: String,
    },
    /// `az keyvault delete|recover|purge`.
    DeleteVault {
        name: String,
    },
    RecoverVault {
        name: String,
    },
    PurgeVault {
        name: String,
    },
    /// `az keyvault set-policy` (key permissions replace the principal's previous ones).
    SetAccessPolicy {
        vault: String,
        object_id: String,
        permissions: Vec<String>,
    },
    /// `az keyvault delete-policy`.
    DeleteAccessPolicy {
        vault: String,
        object_id: String,
    },
    /// A private endpoint connection to a vault (`az network private-endpoint create`).
    CreatePrivateEndpoint {
        name: String,
        resource_group: String,
        vault: String,
    },
    /// `az keyvault key create`.
    CreateKey(CreateKey),
    /// `az keyvault key import`.
    ImportKey(ImportKey),
    /// `az keyvault key show`.
    ShowKey {
        vault: String,
        name: String,
        version: Option<String>,
    },
    /// `az keyvault key list-versions`.
    ListKeyVersions {
        vault: String,
        name: String,
    },
    /// `az keyvault key set-attributes`.
    SetKeyAttributes(SetKeyAttributes),
    /// `az keyvault key rotate` ("Rotate now").
    RotateKey {
        vault: String,
        name: String,
        /// The new version's key, made by the host (WebCrypto); absent: the core makes it.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pregenerated: Option<crate::key_material::PrivateKeyDer>,
    },
    /// `az keyvault key rotation-policy update` (Key Vault's policy JSON).
    SetRotationPolicy {
        vault: String,
        name: String,
        policy: String,
    },
    /// `az keyvault key rotation-policy show`.
    ShowRotationPolicy {
        vault: String,
        name: String,
    },
    /// `az keyvault key delete|recover|purge`.
    DeleteKey {
        vault: String,
        name: String,
    },
    RecoverKey {
        vault: String,
        name: String,
    },
    PurgeKey {
        vault: String,
        name: String,
    },
    /// `az keyvault key encrypt|decrypt` and the wrapKey / unwrapKey operations.
    KeyOperation(KeyOperation),
    /// `az role assignment create` / `New-AzRoleAssignment`.
    CreateRoleAssignment {
        assignee: String,
        role: String,
        scope: String,
    },
    /// `az role assignment delete`.
    DeleteRoleAssignment {
        assignee: String,
        role: String,
        scope: String,
    },
    /// `az role assignment list`: with a scope, those made at it, and with `include_inherited`
    /// those at the scopes above it too (as the real CLI).
    ListRoleAssignments {
        assignee: Option<String>,
        scope: Option<String>,
        #[serde(default, skip_serializing_if = "core::ops::Not::not")]
        include_inherited: bool,
        /// `--role`: only this role's, by name or definition id.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        role: Option<String>,
    },
    /// `az deployment group create --template-file` with the enterprise-policy template (SPEC EP-2).
    DeployTemplate {
        resource_group: String,
        template: String,
    },
    /// `az deployment group list`: the group's deployment history.
    ListDeployments {
        resource_group: String,
    },
    /// `az deployment group show`.
    ShowDeployment {
        resource_group: String,
        name: String,
    },
    /// `az resource show --ids ID`.
    ShowResource {
        id: String,
    },
    /// `az resource delete --ids ID` (enterprise policies; SPEC EP-6).
    DeleteResource {
        id: String,
    },
    /// `az graph query -q "resources | where type =~ '…'"` (SPEC EP-7).
    GraphQuery {
        query: String,
    },
    /// `az monitor activity-log list`: Azure's activity log as the persona may read it, newest
    /// first, within `offset` of now (SPEC PG-1).
    ListActivityLog {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        resource_group: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        resource_id: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        caller: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        status: Option<String>,
        /// How far back (`--offset`; 6 hours when not given, as the real CLI).
        offset: SimDuration,
        /// `--max-events` (50 when not given).
        max_events: u32,
    },
    /// `sim clock advance`: move the simulated clock forward, running what falls due.
    AdvanceClock {
        by: SimDuration,
    },
    /// `sim clock run`: until no operation is in progress (periodic checks don't count), 30 days at most.
    RunClock,
    /// `pp env create`.
    CreateEnvironment {
        name: String,
        region: String,
        env_type: String,
        byok: bool,
    },
    /// `pp env list`.
    ListEnvironments,
    /// `pp env show`.
    ShowEnvironment {
        environment: String,
    },
    /// `pp env enable-managed`.
    EnableManaged {
        environment: String,
    },
    /// `pp env history`.
    EnvironmentHistory {
        environment: String,
    },
    /// `pp env re-enable` (SPEC LOCK-2).
    ReEnableEnvironment {
        environment: String,
    },
    /// `pp env backup`.
    BackupEnvironment {
        environment: String,
        label: Option<String>,
    },
    /// `pp env restore`.
    RestoreBackup {
        source: String,
        backup: String,
        target: String,
    },
    /// `pp env copy`.
    CopyEnvironment {
        source: String,
        target: String,
    },
    /// `pp env reset`.
    ResetEnvironment {
        environment: String,
    },
    /// `pp env restore-targets` / `pp env copy-targets`: where the environment's backups may
    /// be restored (or where it may be copied), each refused one with the core's reason.
    ListTargets {
        environment: String,
        copy: bool,
    },
    /// `pp policy list`.
    ListPolicies,
    /// `pp policy show`.
    ShowPolicy {
        policy: String,
    },
    /// `pp policy add-environment` (Save + Confirm).
    AddEnvironmentToPolicy {
        policy: String,
        environment: String,
    },
    /// `pp policy remove-environment`.
    RemoveEnvironmentFromPolicy {
        policy: String,
        environment: String,
    },
    /// `pp rest`: a request to the Power Platform admin API (what the admin PowerShell
    /// module's `InvokeApi` sends): an environment, linking or unlinking its enterprise policy,
    /// the operation that follows.
    AdminApi {
        method: String,
        uri: String,
        body: Option<String>,
    },
    /// `sim data insert`.
    InsertRows {
        environment: String,
        table: String,
        rows: u64,
    },
    /// `sim data read`.
    ReadTable {
        environment: String,
        table: String,
    },
    /// `sim fail`: the next encryption step of that service fails.
    FailNextStep {
        environment: String,
        service: String,
    },
}

/// Key material a command wants the host to make before it runs (WebCrypto in the browser);
/// without it the core makes the key itself from the injected RNG.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HostKey {
    /// A new RSA key of this size (`az keyvault key create`).
    New { bits: u32 },
    /// The next version of an existing key, the size of its current one (`az keyvault key rotate`).
    Rotation { vault: String, name: String },
}

impl Command {
    /// The key the host may make for this command, `None` when it needs none or already
    /// carries one.
    pub fn host_key(&self) -> Option<HostKey> {
        if !self.entry().host_key {
            return None;
        }
        match self {
            Self::CreateKey(k) if k.pregenerated.is_none() => Some(HostKey::New { bits: k.size }),
            Self::RotateKey { vault, name, pregenerated: None } => {
                Some(HostKey::Rotation { vault: vault.clone(), name: name.clone() })
            }
            _ => None,
        }
    }

    /// The key material the host made for this command, if it carries any.
    pub fn key_material(&self) -> Option<&crate::key_material::PrivateKeyDer> {
        match self {
            Self::CreateKey(k) => k.pregenerated.as_ref(),
            Self::RotateKey { pregenerated, .. } => pregenerated.as_ref(),
            _ => None,
        }
    }

    /// Hands the command the key the host made; `false` (and nothing changes) for a command
    /// that takes none.
    pub fn supply_key(&mut self, der: crate::key_material::PrivateKeyDer) -> bool {
        match self {
            Self::CreateKey(k) => k.pregenerated = Some(der),
            Self::RotateKey { pregenerated, .. } => *pregenerated = Some(der),
            _ => return false,
        }
        true
    }

    /// The variant's name as it is serialized (its external tag); the registry's key. The
    /// match is exhaustive, so a new variant cannot be added without a name.
    pub fn name(&self) -> &'static str {
        match self {
            Self::SignIn { .. } => "signIn",
            Self::ShowUser { .. } => "showUser",
            Self::RegisterProvider { .. } => "registerProvider",
            Self::UnregisterProvider { .. } => "unregisterProvider",
            Self::CreateResourceGroup { .. } => "createResourceGroup",
            Self::UpdateResourceGroup { .. } => "updateResourceGroup",
            Self::DeleteResourceGroup { .. } => "deleteResourceGroup",
            Self::CreateVault { .. } => "createVault",
            Self::CreateManagedHsm { .. } => "createManagedHsm",
            Self::ActivateManagedHsm { .. } => "activateManagedHsm",
            Self::CreateHsmRoleAssignment { .. } => "createHsmRoleAssignment",
            Self::UpdateVault { .. } => "updateVault",
            Self::AddNetworkRule(_) => "addNetworkRule",
            Self::BackupKey { .. } => "backupKey",
            Self::RestoreKey { .. } => "restoreKey",
            Self::RemoveNetworkRule(_) => "removeNetworkRule",
            Self::ShowVault { .. } => "showVault",
            Self::DeleteVault { .. } => "deleteVault",
            Self::RecoverVault { .. } => "recoverVault",
            Self::PurgeVault { .. } => "purgeVault",
            Self::SetAccessPolicy { .. } => "setAccessPolicy",
            Self::DeleteAccessPolicy { .. } => "deleteAccessPolicy",
            Self::CreatePrivateEndpoint { .. } => "createPrivateEndpoint",
            Self::CreateKey { .. } => "createKey",
            Self::ImportKey { .. } => "importKey",
            Self::ShowKey { .. } => "showKey",
            Self::ListKeyVersions { .. } => "listKeyVersions",
            Self::SetKeyAttributes { .. } => "setKeyAttributes",
            Self::RotateKey { .. } => "rotateKey",
            Self::SetRotationPolicy { .. } => "setRotationPolicy",
            Self::ShowRotationPolicy { .. } => "showRotationPolicy",
            Self::DeleteKey { .. } => "deleteKey",
            Self::RecoverKey { .. } => "recoverKey",
            Self::PurgeKey { .. } => "purgeKey",
            Self::KeyOperation { .. } => "keyOperation",
            Self::CreateRoleAssignment { .. } => "createRoleAssignment",
            Self::DeleteRoleAssignment { .. } => "deleteRoleAssignment",
            Self::ListRoleAssignments { .. } => "listRoleAssignments",
            Self::DeployTemplate { .. } => "deployTemplate",
            Self::ListDeployments { .. } => "listDeployments",
            Self::ShowDeployment { .. } => "showDeployment",
            Self::ShowResource { .. } => "showResource",
            Self::DeleteResource { .. } => "deleteResource",
            Self::GraphQuery { .. } => "graphQuery",
            Self::ListActivityLog { .. } => "listActivityLog",
            Self::AdvanceClock { .. } => "advanceClock",
            Self::RunClock { .. } => "runClock",
            Self::CreateEnvironment { .. } => "createEnvironment",
            Self::ListEnvironments { .. } => "listEnvironments",
            Self::ShowEnvironment { .. } => "showEnvironment",
            Self::EnableManaged { .. } => "enableManaged",
            Self::EnvironmentHistory { .. } => "environmentHistory",
            Self::ReEnableEnvironment { .. } => "reEnableEnvironment",
            Self::BackupEnvironment { .. } => "backupEnvironment",
            Self::RestoreBackup { .. } => "restoreBackup",
            Self::CopyEnvironment { .. } => "copyEnvironment",
            Self::ResetEnvironment { .. } => "resetEnvironment",
            Self::ListTargets { .. } => "listTargets",
            Self::ListPolicies { .. } => "listPolicies",
            Self::ShowPolicy { .. } => "showPolicy",
            Self::AddEnvironmentToPolicy { .. } => "addEnvironmentToPolicy",
            Self::RemoveEnvironmentFromPolicy { .. } => "removeEnvironmentFromPolicy",
            Self::AdminApi { .. } => "adminApi",
            Self::InsertRows { .. } => "insertRows",
            Self::ReadTable { .. } => "readTable",
            Self::FailNextStep { .. } => "failNextStep",
        }
    }

    /// Its entry in the command registry: forms, label, render, effect.
    pub fn entry(&self) -> &'static registry::Entry {
        registry::entry(self)
    }

    /// A short label for progress messages and history ("Create key 'cmk'"). Kept as one
    /// exhaustive match beside the enum rather than in the registry: the page links labels, and
    /// reaching them through the registry links every parser and renderer into the page (+13 KB
    /// of page wasm, gzip, measured).
    pub fn label(&self) -> String {
        use alloc::format;
        match self {
            Self::SignIn { upn } => format!("Sign in as {upn}"),
            Self::ShowUser { id } => format!("Show user '{id}'"),
            Self::RegisterProvider { namespace } => format!("Register resource provider {namespace}"),
            Self::UnregisterProvider { namespace } => format!("Unregister resource provider {namespace}"),
            Self::CreateResourceGroup { name, .. } => format!("Create resource group '{name}'"),
            Self::UpdateResourceGroup { name, .. } => format!("Update resource group '{name}'"),
            Self::DeleteResourceGroup { name } => format!("Delete resource group '{name}'"),
            Self::CreateVault(v) => format!("Create key vault '{}'", v.name),
            Self::CreateManagedHsm(h) => format!("Create Managed HSM '{}'", h.name),
            Self::ActivateManagedHsm { name } => format!("Activate Managed HSM '{name}'"),
            Self::CreateHsmRoleAssignment { role, hsm, .. } => format!("Assign local role '{role}' in '{hsm}'"),
            Self::UpdateVault(v) => format!("Update key vault '{}'", v.name),
            Self::AddNetworkRule(r) => format!("Add a firewall rule to '{}'", r.vault),
            Self::BackupKey { vault, name } => format!("Back up key '{name}' of '{vault}'"),
            Self::RestoreKey { vault, .. } => format!("Restore a key backup into '{vault}'"),
            Self::RemoveNetworkRule(r) => format!("Remove a firewall rule from '{}'", r.vault),
            Self::ShowVault { name } => format!("Show key vault '{name}'"),
            Self::DeleteVault { name } => format!("Delete key vault '{name}'"),
            Self::RecoverVault { name } => format!("Recover key vault '{name}'"),
            Self::PurgeVault { name } => format!("Purge key vault '{name}'"),
            Self::SetAccessPolicy { vault, .. } => format!("Set access policy on '{vault}'"),
            Self::DeleteAccessPolicy { vault, .. } => format!("Delete access policy on '{vault}'"),
            Self::CreatePrivateEndpoint { name, vault, .. } => format!("Create private endpoint '{name}' to '{vault}'"),
            Self::CreateKey(k) => format!("Create key '{}' in '{}'", k.name, k.vault),
            Self::ImportKey(k) => format!("Import key '{}' into '{}'", k.name, k.vault),
            Self::ShowKey { name, .. } => format!("Show key '{name}'"),
            Self::ListKeyVersions { name, .. } => format!("List versions of key '{name}'"),
            Self::SetKeyAttributes(a) => format!("Update key '{}'", a.name),
            Self::RotateKey { name, .. } => format!("Rotate key '{name}'"),
            Self::SetRotationPolicy { name, .. } => format!("Set rotation policy of key '{name}'"),
            Self::ShowRotationPolicy { name, .. } => format!("Show rotation policy of key '{name}'"),
            Self::DeleteKey { name, .. } => format!("Delete key '{name}'"),
            Self::RecoverKey { name, .. } => format!("Recover key '{name}'"),
            Self::PurgeKey { name, .. } => format!("Purge key '{name}'"),
            Self::KeyOperation(op) => format!("{} with key '{}'", op.operation.as_str(), op.name),
            Self::CreateRoleAssignment { role, .. } => format!("Assign role '{role}'"),
            Self::DeleteRoleAssignment { role, .. } => format!("Remove role '{role}'"),
            Self::ListRoleAssignments { .. } => "List role assignments".into(),
            Self::DeployTemplate { resource_group, .. } => format!("Deploy template to '{resource_group}'"),
            Self::ListDeployments { resource_group } => format!("List the deployments of '{resource_group}'"),
            Self::ShowDeployment { name, .. } => format!("Show deployment '{name}'"),
            Self::ShowResource { .. } => "Show resource".into(),
            Self::DeleteResource { .. } => "Delete resource".into(),
            Self::GraphQuery { .. } => "Resource Graph query".into(),
            Self::ListActivityLog { .. } => "List the activity log".into(),
            Self::AdvanceClock { by } => format!("Advance the clock by {}", by.human()),
            Self::RunClock => "Run the clock until nothing is in progress".into(),
            Self::CreateEnvironment { name, .. } => format!("Create environment '{name}'"),
            Self::ListEnvironments => "List environments".into(),
            Self::ShowEnvironment { environment } => format!("Show environment '{environment}'"),
            Self::EnableManaged { environment } => format!("Enable Managed Environments on '{environment}'"),
            Self::EnvironmentHistory { environment } => format!("History of '{environment}'"),
            Self::ReEnableEnvironment { environment } => format!("Re-enable '{environment}'"),
            Self::BackupEnvironment { environment, .. } => format!("Back up '{environment}'"),
            Self::RestoreBackup { target, .. } => format!("Restore into '{target}'"),
            Self::CopyEnvironment { source, target } => format!("Copy '{source}' to '{target}'"),
            Self::ResetEnvironment { environment } => format!("Reset '{environment}'"),
            Self::ListTargets { environment, copy: false } => format!("Restore targets of '{environment}'"),
            Self::ListTargets { environment, copy: true } => format!("Copy targets of '{environment}'"),
            Self::ListPolicies => "List enterprise policies".into(),
            Self::ShowPolicy { policy } => format!("Show policy '{policy}'"),
            Self::AddEnvironmentToPolicy { policy, environment } => format!("Add '{environment}' to policy '{policy}'"),
            Self::RemoveEnvironmentFromPolicy { policy, environment } => {
                format!("Remove '{environment}' from policy '{policy}'")
            }
            Self::InsertRows { environment, table, rows } => format!("Insert {rows} rows into {environment}/{table}"),
            Self::ReadTable { environment, table } => format!("Read {environment}/{table}"),
            Self::FailNextStep { environment, service } => format!("Fail the next {service} step of '{environment}'"),
            Self::AdminApi { method, uri, .. } => format!("{} {uri}", method.to_ascii_uppercase()),
        }
    }

    /// Whether the command can change the world when it succeeds (reads never do; the clock
    /// moving to the command's time is counted apart).
    pub fn changes_world(&self) -> bool {
        self.entry().changes_world
    }
}
