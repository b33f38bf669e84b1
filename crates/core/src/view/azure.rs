//! What the Azure portal and `az` show: users, resource groups, vaults and their keys (public
//! parts only), role assignments, enterprise policies and rotation policies.

use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use super::ErrorView;
use crate::error::Error;

/// `az ad user show` shape.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserView {
    pub id: String,
    pub user_principal_name: String,
    pub display_name: String,
    pub description: String,
    pub entra_roles: Vec<String>,
    pub azure_roles: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceGroupView {
    pub id: String,
    pub name: String,
    pub location: String,
    #[serde(rename = "type")]
    pub resource_type: String,
    pub properties: ProvisioningState,
    /// SPEC KV-14.
    #[serde(default, skip_serializing_if = "alloc::collections::BTreeMap::is_empty")]
    pub tags: super::Tags,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProvisioningState {
    pub provisioning_state: String,
}

/// `az keyvault show` shape (the subset the playground models).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VaultView {
    pub id: String,
    pub name: String,
    pub location: String,
    pub resource_group: String,
    #[serde(rename = "type")]
    pub resource_type: String,
    pub properties: VaultProperties,
    /// SPEC KV-14.
    #[serde(default, skip_serializing_if = "alloc::collections::BTreeMap::is_empty")]
    pub tags: super::Tags,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VaultProperties {
    pub vault_uri: String,
    pub tenant_id: String,
    pub sku: VaultSkuView,
    pub enable_rbac_authorization: bool,
    pub enable_soft_delete: bool,
    pub soft_delete_retention_in_days: u32,
    /// `null` until turned on, as Azure shows it.
    pub enable_purge_protection: Option<bool>,
    pub public_network_access: String,
    pub network_acls: NetworkAcls,
    pub access_policies: Vec<AccessPolicyView>,
    pub private_endpoint_connections: Vec<String>,
    /// Managed HSM only: `Active` once the security domain was downloaded.
    pub activation_state: Option<String>,
    /// Managed HSM only: "FIPS 140-2 Level 3" (SPEC KV-11).
    pub security_level: Option<String>,
    pub provisioning_state: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VaultSkuView {
    pub family: String,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NetworkAcls {
    pub bypass: String,
    pub default_action: String,
    #[serde(default)]
    pub ip_rules: Vec<IpRuleView>,
    #[serde(default)]
    pub virtual_network_rules: Vec<VirtualNetworkRuleView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IpRuleView {
    pub value: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VirtualNetworkRuleView {
    pub id: String,
    pub ignore_missing_vnet_service_endpoint: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccessPolicyView {
    pub object_id: String,
    pub tenant_id: String,
    pub permissions: KeyPermissionsView,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyPermissionsView {
    pub keys: Vec<String>,
}

/// Key Vault's KeyBundle: the public JWK and the attributes (SPEC KV-5).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyBundle {
    pub key: JsonWebKey,
    pub attributes: KeyAttributes,
    /// SPEC KV-14: the version's tags.
    #[serde(default, skip_serializing_if = "alloc::collections::BTreeMap::is_empty")]
    pub tags: super::Tags,
}

/// The public half of a key as a JWK; there is no field that could hold a private part.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JsonWebKey {
    pub kid: String,
    pub kty: String,
    pub key_ops: Vec<String>,
    pub n: String,
    pub e: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyAttributes {
    pub enabled: bool,
    pub exp: Option<String>,
    pub nbf: Option<String>,
    pub created: String,
    pub updated: String,
    pub recovery_level: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleAssignmentView {
    pub id: String,
    pub name: String,
    pub principal_id: String,
    pub principal_name: Option<String>,
    pub role_definition_id: String,
    pub role_definition_name: String,
    pub scope: String,
    #[serde(rename = "type")]
    pub resource_type: String,
}

/// A vault as the portal lists it, with its keys if the persona may list them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VaultListing {
    pub vault: VaultView,
    /// The keys, or the data-plane refusal the portal shows in place of the list.
    pub keys: Result<Vec<KeySummary>, Error>,
    /// Soft-deleted keys (Manage deleted keys), when the keys can be listed.
    #[serde(default)]
    pub deleted_keys: Vec<DeletedItemView>,
    /// Managed HSM only: its local RBAC role assignments (SPEC KV-11).
    #[serde(default)]
    pub local_assignments: Vec<LocalAssignmentView>,
    /// The key types the vault accepts ("RSA", "RSA-HSM"), as the core checks them.
    #[serde(default)]
    pub key_types: Vec<String>,
    /// The RSA sizes a key can be created with there (2048, 3072, 4096), as the core checks them.
    #[serde(default)]
    pub key_sizes: Vec<u32>,
}

/// A Managed HSM local role assignment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LocalAssignmentView {
    pub role: String,
    pub principal_id: String,
    /// `/` (everything), `/keys` (All keys) or `/keys/NAME`.
    pub scope: String,
}

/// A soft-deleted vault or key: when it was deleted and when it is purged (SPEC KV-9).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeletedItemView {
    pub name: String,
    pub location: String,
    pub deleted: String,
    pub scheduled_purge: String,
    pub purge_protection: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeySummary {
    pub name: String,
    pub kty: String,
    pub size: u32,
    pub versions: Vec<KeyVersionSummary>,
    pub rotation_policy: Option<RotationPolicyView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyVersionSummary {
    pub version: String,
    pub kid: String,
    pub enabled: bool,
    pub created: String,
    /// When its attributes last changed (dates, enabled, tags, operations).
    #[serde(default)]
    pub updated: String,
    pub nbf: Option<String>,
    pub exp: Option<String>,
    /// Its status when the view was made, as the core decides it (`KeyVersion::status`).
    #[serde(default)]
    pub status: VersionStatus,
}

/// A key version's status as the portal lists it (SPEC KV-6).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum VersionStatus {
    #[default]
    Enabled,
    Disabled,
    Expired,
    #[serde(rename = "Not yet active")]
    NotYetActive,
}

impl VersionStatus {
    /// The words the portal shows: Enabled, Disabled, Expired or Not yet active.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Enabled => "Enabled",
            Self::Disabled => "Disabled",
            Self::Expired => "Expired",
            Self::NotYetActive => "Not yet active",
        }
    }
}

/// `az deployment group create`'s answer (the part the playground models).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeploymentView {
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub resource_type: String,
    pub properties: DeploymentProperties,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeploymentProperties {
    pub provisioning_state: String,
    pub timestamp: String,
    pub output_resources: Vec<OutputResource>,
    /// What was deployed but cannot be used yet (SPEC KV-3, KV-4): absent when all is well.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<ErrorView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OutputResource {
    pub id: String,
    pub resource_group: String,
}

/// An enterprise policy as `az resource show` shows it (SPEC EP-4, EP-8).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyView {
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub resource_type: String,
    pub location: String,
    pub kind: String,
    pub resource_group: String,
    pub subscription_id: String,
    pub identity: IdentityView,
    pub properties: PolicyProperties,
    pub health_status: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IdentityView {
    #[serde(rename = "type")]
    pub identity_type: String,
    pub principal_id: String,
    pub tenant_id: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyProperties {
    pub encryption: PolicyEncryption,
    /// The identifier Power Platform knows the policy by: `/regions/{location}/providers/
    /// Microsoft.PowerPlatform/enterprisePolicies/{guid}` (Microsoft's CMK scripts link by it).
    #[serde(default)]
    pub system_id: String,
    pub lockbox: Option<String>,
    pub network_injection: Option<String>,
    pub health_status: String,
    /// Why the policy is Unhealthy: the check its identity fails.
    pub health_reason: Option<ErrorView>,
    /// Whether the vault and key may back a customer-managed key at all (SPEC KV-3, KV-4).
    pub cmk_eligibility: Eligibility,
    /// Ids of the environments using the policy (SPEC EP-6).
    pub linked_environments: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyEncryption {
    pub state: String,
    pub key_vault: PolicyKeyVault,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyKeyVault {
    pub id: String,
    pub key: PolicyKeyRef,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyKeyRef {
    pub name: String,
    /// Absent: the policy follows the key's current version (SPEC EP-5).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Eligibility {
    pub eligible: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// A key's rotation policy as Key Vault shows it (SPEC KV-8).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RotationPolicyView {
    pub lifetime_actions: Vec<LifetimeActionView>,
    pub attributes: RotationAttributesView,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LifetimeActionView {
    pub trigger: TriggerView,
    pub action: ActionView,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TriggerView {
    pub time_after_create: Option<String>,
    pub time_before_expiry: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionView {
    #[serde(rename = "type")]
    pub action_type: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RotationAttributesView {
    pub expiry_time: Option<String>,
}

/// `az keyvault key encrypt` / `decrypt` / wrap / unwrap: the version used, the algorithm, and
/// the result in base64.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyOperationResult {
    pub kid: String,
    pub result: String,
    pub algorithm: String,
}
