//! What the outside sees: results shaped like the real services' JSON, and the `View` the page
//! renders. Nothing here carries private key material.

use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// The result of a successful command, serialized as the real service would answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Outcome {
    User(UserView),
    ResourceGroup(ResourceGroupView),
    Vault(VaultView),
    Key(KeyBundle),
    RoleAssignment(RoleAssignmentView),
    /// Any other service answer, already in the service's JSON shape.
    Json(serde_json::Value),
}

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

/// Everything the page shows, as the signed-in persona may see it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct View {
    pub now: String,
    pub tenant_domain: String,
    pub signed_in: UserView,
    pub personas: Vec<UserView>,
    pub subscription_id: String,
    pub subscription_name: String,
    pub registered_providers: Vec<String>,
    pub resource_groups: Vec<ResourceGroupView>,
    pub vaults: Vec<VaultListing>,
    pub role_assignments: Vec<RoleAssignmentView>,
    /// Enterprise policies the persona can read, as `az resource show` shows them.
    pub policies: Vec<serde_json::Value>,
    /// The newest things that happened on their own (rotations, notices, purges), newest first.
    pub activity: Vec<crate::schedule::Activity>,
    /// Environments, for a persona with a Power Platform admin role (as `pp env show` shows them).
    pub environments: Vec<serde_json::Value>,
    /// Operations waiting for the clock.
    pub pending: Vec<serde_json::Value>,
}

/// A vault as the portal lists it, with its keys if the persona may list them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VaultListing {
    pub vault: VaultView,
    /// The keys, or the data-plane refusal the portal shows in place of the list.
    pub keys: Result<Vec<KeySummary>, Error>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeySummary {
    pub name: String,
    pub kty: String,
    pub size: u32,
    pub versions: Vec<KeyVersionSummary>,
    pub rotation_policy: Option<serde_json::Value>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyVersionSummary {
    pub version: String,
    pub kid: String,
    pub enabled: bool,
    pub created: String,
    pub nbf: Option<String>,
    pub exp: Option<String>,
}
