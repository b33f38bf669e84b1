//! What the Power Platform admin center and `pp` show: environments with their services,
//! operations, history and backups, and enterprise policies with the environments they may take.

use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use super::{Eligibility, ErrorView, PolicyView};

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
    /// Some service's data key is still wrapped with the legacy tenant key (not yet moved to a
    /// customer-managed key, SPEC ENC-5): the page says so from this, not from a label.
    #[serde(default)]
    pub under_tenant_key: bool,
    /// Which customer-managed key protects it ("vault id/key name", lower case); none under
    /// Microsoft's key or the tenant key. Restore and copy need the same value (SPEC DB-2, DB-3);
    /// the page greys targets with it, the core refuses the others.
    pub key_group: Option<String>,
    /// Why the encryption status is what it is when the word alone does not say (Warning: which
    /// data kept Microsoft's key), as the environment's History recorded it.
    #[serde(default)]
    pub encryption_note: Option<String>,
}

/// `sim data insert`: rows added to a table, and how many it holds now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowsInserted {
    pub environment: String,
    pub table: String,
    pub inserted: usize,
    pub rows: usize,
}

/// `sim data read`: every record of a table decrypted; their count and the SHA-256 of the
/// plaintexts in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableRead {
    pub rows: usize,
    pub sha256: String,
}
