//! Commands: every change to the world is one of these, through `World::execute`.

use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use crate::key_material::PrivateKeyDer;
use crate::time::{SimDuration, SimTime};
use crate::vault::{KeyType, VaultSku};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "command", rename_all = "camelCase")]
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
    /// `az group create`.
    CreateResourceGroup {
        name: String,
        location: String,
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
    /// `az role assignment list`.
    ListRoleAssignments {
        assignee: Option<String>,
        scope: Option<String>,
    },
    /// `az deployment group create --template-file` with the enterprise-policy template (SPEC EP-2).
    DeployTemplate {
        resource_group: String,
        template: String,
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

impl Command {
    /// A short label for progress messages and history ("Create key 'cmk'").
    pub fn label(&self) -> String {
        use alloc::format;
        match self {
            Self::SignIn { upn } => format!("Sign in as {upn}"),
            Self::ShowUser { id } => format!("Show user '{id}'"),
            Self::RegisterProvider { namespace } => format!("Register resource provider {namespace}"),
            Self::CreateResourceGroup { name, .. } => format!("Create resource group '{name}'"),
            Self::CreateVault(v) => format!("Create key vault '{}'", v.name),
            Self::CreateManagedHsm(h) => format!("Create Managed HSM '{}'", h.name),
            Self::ActivateManagedHsm { name } => format!("Activate Managed HSM '{name}'"),
            Self::CreateHsmRoleAssignment { role, hsm, .. } => format!("Assign local role '{role}' in '{hsm}'"),
            Self::UpdateVault(v) => format!("Update key vault '{}'", v.name),
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
            Self::ShowResource { .. } => "Show resource".into(),
            Self::DeleteResource { .. } => "Delete resource".into(),
            Self::GraphQuery { .. } => "Resource Graph query".into(),
            Self::AdvanceClock { by } => format!("Advance the clock by {}", crate::rotation::format_days(*by)),
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
            Self::ListPolicies => "List enterprise policies".into(),
            Self::ShowPolicy { policy } => format!("Show policy '{policy}'"),
            Self::AddEnvironmentToPolicy { policy, environment } => format!("Add '{environment}' to policy '{policy}'"),
            Self::RemoveEnvironmentFromPolicy { policy, environment } => {
                format!("Remove '{environment}' from policy '{policy}'")
            }
            Self::InsertRows { environment, table, rows } => format!("Insert {rows} rows into {environment}/{table}"),
            Self::ReadTable { environment, table } => format!("Read {environment}/{table}"),
            Self::FailNextStep { environment, service } => format!("Fail the next {service} step of '{environment}'"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateVault {
    pub name: String,
    pub resource_group: String,
    pub location: String,
    pub sku: VaultSku,
    pub enable_rbac_authorization: bool,
    pub enable_soft_delete: bool,
    pub retention_days: u32,
    pub enable_purge_protection: bool,
    pub public_network_access: bool,
    pub bypass_azure_services: bool,
}

impl CreateVault {
    /// The defaults of `az keyvault create` (RBAC model, soft delete 90 days, public access on).
    pub fn new(name: impl Into<String>, resource_group: impl Into<String>, location: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            resource_group: resource_group.into(),
            location: location.into(),
            sku: VaultSku::Standard,
            enable_rbac_authorization: true,
            enable_soft_delete: true,
            retention_days: 90,
            enable_purge_protection: false,
            public_network_access: true,
            bypass_azure_services: true,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateManagedHsm {
    pub name: String,
    pub resource_group: String,
    pub location: String,
    /// Object ids that become Managed HSM Administrators.
    pub administrators: Vec<String>,
    pub retention_days: u32,
    pub enable_purge_protection: bool,
}

/// `az keyvault update`: every field is optional; `None` leaves it as it is.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateVault {
    pub name: String,
    pub enable_rbac_authorization: Option<bool>,
    pub enable_soft_delete: Option<bool>,
    pub retention_days: Option<u32>,
    pub enable_purge_protection: Option<bool>,
    pub public_network_access: Option<bool>,
    pub bypass_azure_services: Option<bool>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateKey {
    pub vault: String,
    pub name: String,
    pub kty: KeyType,
    pub size: u32,
    pub enabled: bool,
    pub not_before: Option<SimTime>,
    pub expires: Option<SimTime>,
    /// Key material generated by the host (e.g. WebCrypto in the worker, for speed). When
    /// absent, the core generates the key from the injected RNG (deterministic for a seed).
    pub pregenerated: Option<PrivateKeyDer>,
}

impl CreateKey {
    pub fn rsa(vault: impl Into<String>, name: impl Into<String>, size: u32) -> Self {
        Self {
            vault: vault.into(),
            name: name.into(),
            kty: KeyType::Rsa,
            size,
            enabled: true,
            not_before: None,
            expires: None,
            pregenerated: None,
        }
    }
}

/// `az keyvault key import`: a PEM (PKCS#1 or PKCS#8) or a private JWK, as text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ImportKey {
    pub vault: String,
    pub name: String,
    pub kty: KeyType,
    pub material: crate::key_material::SecretText,
    pub enabled: bool,
    pub not_before: Option<SimTime>,
    pub expires: Option<SimTime>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SetKeyAttributes {
    pub vault: String,
    pub name: String,
    /// `None`: the current version.
    pub version: Option<String>,
    pub enabled: Option<bool>,
    /// `Some(None)` clears the date.
    pub expires: Option<Option<SimTime>>,
    pub not_before: Option<Option<SimTime>>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CryptoOperation {
    Encrypt,
    Decrypt,
    WrapKey,
    UnwrapKey,
}

impl CryptoOperation {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Encrypt => "encrypt",
            Self::Decrypt => "decrypt",
            Self::WrapKey => "wrapKey",
            Self::UnwrapKey => "unwrapKey",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyOperation {
    pub vault: String,
    pub name: String,
    pub version: Option<String>,
    pub operation: CryptoOperation,
    pub algorithm: String,
    /// The input, base64 (standard or URL-safe).
    pub value: String,
}
