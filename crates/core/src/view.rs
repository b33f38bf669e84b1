//! What the outside sees: results shaped like the real services' JSON, and the `View` the page
//! renders. Nothing here carries private key material.

use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use crate::error::Error;
pub use crate::sim::Activity;

/// The result of a successful command, serialized as the real service would answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Outcome {
    User(UserView),
    ResourceGroup(ResourceGroupView),
    Vault(VaultView),
    Key(KeyBundle),
    RoleAssignment(RoleAssignmentView),
    Policy(PolicyView),
    Environment(EnvironmentView),
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
    #[serde(default)]
    pub tenant_id: String,
    pub signed_in: UserView,
    pub personas: Vec<UserView>,
    pub subscription_id: String,
    pub subscription_name: String,
    pub registered_providers: Vec<String>,
    pub resource_groups: Vec<ResourceGroupView>,
    pub vaults: Vec<VaultListing>,
    pub role_assignments: Vec<RoleAssignmentView>,
    /// Enterprise policies the persona can read, as `az resource show` shows them.
    pub policies: Vec<PolicyView>,
    /// The newest things that happened on their own (rotations, notices, purges), newest first.
    pub activity: Vec<Activity>,
    /// Environments, for a persona with a Power Platform admin role: `pp env show` and more.
    pub environments: Vec<EnvironmentDetail>,
    /// Operations waiting for the clock, soonest first.
    pub pending: Vec<PendingOperation>,
    /// Everything the clock will do, soonest first: `pending`, and the next health check, key
    /// rotations and expiries, rotation pickups (the clock bar's list and timeline).
    #[serde(default)]
    pub upcoming: Vec<PendingOperation>,
    /// Enterprise policies as the admin center lists them, for a persona with a Power Platform
    /// admin role: every policy, whether or not the persona may read it in Azure (SPEC AUTH-7).
    #[serde(default)]
    pub admin_policies: Vec<AdminPolicyView>,
    /// Soft-deleted vaults (Manage deleted vaults), for a persona who may read them.
    #[serde(default)]
    pub deleted_vaults: Vec<DeletedItemView>,
    /// Each enterprise policy's key hierarchy as the services see it (the playground's diagram).
    #[serde(default)]
    pub key_trees: Vec<KeyTreeView>,
    /// The playground session: its script, undo, and the guided scenario in progress (filled by
    /// the session; a bare world's view leaves it empty).
    #[serde(default)]
    pub session: SessionView,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionView {
    /// Steps recorded in the script.
    pub steps: usize,
    /// How many of them Undo can take back now.
    pub undo: usize,
    /// What Undo would take back.
    pub next_undo: Option<String>,
    /// Whether the exported script rebuilds the world from nothing (not after an import).
    pub replayable: bool,
    pub scenario: Option<ScenarioProgress>,
    /// Scenarios finished in this browser.
    pub completed: Vec<String>,
    /// Every guided scenario, for the Scenarios page.
    pub catalog: Vec<ScenarioSummary>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScenarioSummary {
    pub id: String,
    pub title: String,
    pub goal: String,
    /// Where the seed documents describe the flow.
    pub source: String,
    pub steps: usize,
}

/// A guided scenario's checklist, ticked from the world's state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScenarioProgress {
    pub id: String,
    pub title: String,
    pub goal: String,
    pub steps: Vec<ScenarioStepView>,
    pub complete: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScenarioStepView {
    pub text: String,
    /// The persona who does it (user principal name).
    pub persona: String,
    /// The step as Cloud Shell lines.
    pub show_me: String,
    pub done: bool,
}

/// An enterprise policy on the admin center's Enterprise policies page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdminPolicyView {
    pub id: String,
    pub name: String,
    pub location: String,
    pub key_vault_id: String,
    pub key_name: String,
    /// The version the policy is pinned to; none: it follows the current version (SPEC EP-5).
    pub key_version: Option<String>,
    /// The key version its identity reaches now, if any.
    pub current_key_version: Option<String>,
    pub health_status: String,
    pub health_reason: Option<ErrorView>,
    /// Whether the vault and key may back a customer-managed key (SPEC KV-3, KV-4).
    pub cmk_eligibility: Eligibility,
    /// Whether the signed-in admin holds read on it in Azure: without it, Add environments
    /// fails (SPEC AUTH-7).
    pub reader: bool,
    /// Environments with this policy.
    pub environments: Vec<LinkedEnvironmentView>,
    /// Every environment for Add environments, with the reason it cannot be added, if any.
    pub candidates: Vec<CandidateView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CandidateView {
    pub id: String,
    pub name: String,
    pub env_type: String,
    pub region: String,
    pub blocked: Option<ErrorView>,
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
    pub nbf: Option<String>,
    pub exp: Option<String>,
}

/// An error as services put it inside a resource: `{"code", "message"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorView {
    pub code: String,
    pub message: String,
}

impl ErrorView {
    pub fn of(e: &Error) -> Self {
        Self { code: e.code().as_str().into(), message: e.message().into() }
    }
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

/// A policy as the admin center's Enterprise policies page shows it: with its environments.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyWithEnvironments {
    #[serde(flatten)]
    pub policy: PolicyView,
    pub environments: Vec<LinkedEnvironmentView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LinkedEnvironmentView {
    pub name: String,
    pub id: String,
    pub state: String,
    pub encryption_status: String,
}

/// An environment as `pp env show` shows it (SPEC ENV-1 .. ENV-4, ENC-6).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnvironmentView {
    pub name: String,
    pub id: String,
    pub region: String,
    #[serde(rename = "type")]
    pub env_type: String,
    pub managed: bool,
    pub state: String,
    pub encryption_status: String,
    /// The ARM id of the enterprise policy it is linked to.
    pub policy: Option<String>,
    /// The key version (kid) that wraps the Dataverse data key, under a customer-managed key.
    pub key_version: Option<String>,
    /// When a locked environment is deleted unless re-enabled (SPEC LOCK-3).
    pub deletion_due: Option<String>,
    /// The encryption operation in progress.
    pub operation: Option<OperationView>,
    pub services: Vec<ServiceView>,
    /// How many backups it has.
    pub backups: usize,
    pub always_microsoft_managed: Vec<String>,
}

/// One storage service: what wraps its data key (SPEC ENV-3).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceView {
    pub service: String,
    pub label: String,
    /// "Microsoft-managed key", "Tenant key (BYOK)", or the kid of the key version.
    pub protector: String,
    pub rows: usize,
}

/// An encryption operation in progress: step 1 runs offline, steps 2 and 3 online.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OperationView {
    pub operation: String,
    pub phase: u8,
    pub started: String,
    pub next_step: String,
}

/// A line of an environment's history (SPEC ENV-5).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryView {
    pub operation: String,
    pub status: String,
    pub started: String,
    pub finished: Option<String>,
    pub detail: Option<String>,
}

/// A line of the admin center's History: the entry and who started it ("System" when none).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HistoryLine {
    #[serde(flatten)]
    pub entry: HistoryView,
    pub initiated_by: Option<String>,
}

/// A backup, and whether it can still be restored (SPEC DB-1, DB-5).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BackupView {
    pub backup_id: String,
    pub label: String,
    pub taken: String,
    #[serde(rename = "type")]
    pub backup_type: String,
    /// The customer-managed key versions its data keys are wrapped with.
    pub key_versions: Vec<String>,
    /// Why it cannot be restored now, if it cannot.
    pub restore_blocked: Option<ErrorView>,
}

/// Why an environment was locked, and when (SPEC LOCK-1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockView {
    pub at: String,
    pub code: String,
    pub message: String,
}

/// Everything the admin center shows of an environment: `pp env show`, its history, its
/// backups, and why it is locked or deleted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnvironmentDetail {
    #[serde(flatten)]
    pub summary: EnvironmentView,
    pub history: Vec<HistoryLine>,
    pub backup_list: Vec<BackupView>,
    /// Set from the lock on; kept after a deletion, which says when and why.
    pub lock: Option<LockView>,
    pub deleted: Option<String>,
    /// How long the environment would be down to apply or revert a key (SPEC ENC-1).
    pub expected_downtime_hours: u64,
    /// Created with the legacy tenant key (bring your own key), migrated or not (SPEC ENC-5).
    pub byok: bool,
    /// Which customer-managed key protects it ("vault id/key name", lower case); none under
    /// Microsoft's key or the tenant key. Restore and copy need the same value (SPEC DB-2, DB-3);
    /// the page greys targets with it, the core refuses the others.
    pub key_group: Option<String>,
}

/// Something waiting for the clock, with what the page needs to show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PendingOperation {
    /// When it falls due.
    pub at: String,
    /// What it is, in words.
    pub what: String,
    /// `EncryptionStep`, `DeleteEnvironment`, `PurgeVault` or `PurgeKey`.
    pub kind: String,
    /// The environment id, vault name or `vault/key` it acts on.
    pub target: String,
    /// For an encryption step: the operation's progress.
    pub progress: Option<Progress>,
}

/// How far an encryption operation has got (SPEC ENC-1, ENC-3).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    pub operation: String,
    /// The step running now (1 offline, 2 and 3 online) of `steps`.
    pub step: u8,
    pub steps: u8,
    pub started: String,
    /// Services whose data key is already under the target key.
    pub done: Vec<String>,
    /// Services the running step re-wraps.
    pub running: Vec<String>,
    /// When the environment is online again (the end of step 1).
    pub online_at: String,
    /// When the whole operation is expected to end.
    pub eta: String,
}

/// A line of `sim clock show`: when, and what.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingLine {
    pub at: String,
    pub what: String,
}

impl From<&PendingOperation> for PendingLine {
    fn from(p: &PendingOperation) -> Self {
        Self { at: p.at.clone(), what: p.what.clone() }
    }
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

/// `sim what-if` and the confirmation dialogs: what an action would do, found by running it on a
/// copy of the world and moving the copy's clock ahead (the real world is untouched).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WhatIfView {
    /// The action's own answer on the copy, or its refusal.
    pub result: Option<ErrorView>,
    /// How far the copy's clock was moved.
    pub until: String,
    /// Policies that turn Unhealthy at once, with why.
    pub unhealthy_policies: Vec<ConsequenceView>,
    /// Backups that could no longer be restored at once, with why.
    pub unrestorable_backups: Vec<ConsequenceView>,
    /// Environments locked during the horizon, when, and why.
    pub locks: Vec<ConsequenceView>,
    /// Environments deleted during the horizon, and when.
    pub deletions: Vec<ConsequenceView>,
    /// Everything that happened on its own on the copy, in order.
    pub events: Vec<Activity>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsequenceView {
    pub at: String,
    pub name: String,
    pub detail: String,
}

/// An enterprise policy's key hierarchy: vault → key → versions → identity → environments →
/// services. A `broken` field says why that link fails now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyTreeView {
    pub policy: String,
    pub policy_id: String,
    pub vault: String,
    pub managed_hsm: bool,
    pub key: String,
    /// The key is gone (deleted or purged).
    pub key_missing: bool,
    /// Newest first.
    pub versions: Vec<KeyTreeVersion>,
    pub identity: KeyTreeIdentity,
    pub environments: Vec<KeyTreeEnvironment>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyTreeVersion {
    pub version: String,
    /// Enabled, Disabled, Expired or Not yet active.
    pub status: String,
    pub current: bool,
    /// Some service's data key is wrapped with it.
    pub in_use: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyTreeIdentity {
    pub principal_id: String,
    /// Its ways to the keys (roles, access policy, HSM local roles).
    pub access: Vec<String>,
    pub network: String,
    /// Why the policy cannot reach its key now (Unhealthy), if it cannot.
    pub broken: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyTreeEnvironment {
    pub name: String,
    pub id: String,
    pub status: String,
    pub locked: bool,
    pub deleted: bool,
    pub services: Vec<KeyTreeService>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyTreeService {
    pub label: String,
    /// What wraps its data key ("RSA-OAEP-256 with version 4485bc7e…", "AES key wrap with Microsoft's key").
    pub wrap: String,
    pub kid: Option<String>,
    /// Why the service cannot unwrap its data key now, if it cannot.
    pub broken: Option<String>,
}
