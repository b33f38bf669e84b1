//! Power Platform environments: what an environment is — its type, state and encryption
//! status, its storage services with their wrapped data keys and records, its history, jobs and
//! backups. What is done with them lives in the parts below. SPEC ENV-1 .. ENV-5, AUTH-2.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorCode};
use crate::key_material::SecretBytes;
use crate::time::{SimDuration, SimTime};

mod keys;
mod lifecycle;
mod projection;
mod records;

pub use lifecycle::check_environment_name;
pub(crate) use records::record_aad;
#[cfg(test)] // the tests read tables and check limits as the records part does
pub(crate) use records::{check_rows, hex};
pub use records::{record_plaintext, MAX_RECORDS_PER_ENVIRONMENT, MAX_ROWS_PER_INSERT};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum EnvironmentType {
    Production,
    Sandbox,
    Developer,
    Default,
    Trial,
    Teams,
    SupportInvestigation,
}

impl EnvironmentType {
    pub const ALL: [EnvironmentType; 7] = [
        Self::Production,
        Self::Sandbox,
        Self::Developer,
        Self::Default,
        Self::Trial,
        Self::Teams,
        Self::SupportInvestigation,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Production => "Production",
            Self::Sandbox => "Sandbox",
            Self::Developer => "Developer",
            Self::Default => "Default",
            Self::Trial => "Trial",
            Self::Teams => "Teams",
            Self::SupportInvestigation => "Support Investigation",
        }
    }
    pub fn parse(text: &str) -> Result<Self, Error> {
        let squashed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        Self::ALL.into_iter().find(|t| t.as_str().replace(' ', "").eq_ignore_ascii_case(&squashed)).ok_or_else(|| {
            Error::new(ErrorCode::BadParameter, format!("'{text}' is not an environment type (Production, Sandbox, Developer, Default, Trial, Teams, SupportInvestigation)."))
        })
    }
    /// Days a locked environment survives before it is deleted (SPEC LOCK-3).
    pub fn locked_grace_days(self) -> u64 {
        match self {
            Self::Production | Self::Default => 30,
            _ => 7,
        }
    }
    /// Days system backups are kept.
    pub fn backup_retention_days(self) -> u64 {
        match self {
            Self::Production | Self::Default => 28,
            _ => 7,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EnvironmentState {
    Enabled,
    Disabled,
    Locked,
    Deleted,
}

impl EnvironmentState {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Enabled => "Enabled",
            Self::Disabled => "Disabled",
            Self::Locked => "Locked",
            Self::Deleted => "Deleted",
        }
    }
}

/// SPEC ENC-6: every encryption status the admin center shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EncryptionStatus {
    MicrosoftManaged,
    Encrypting,
    EncryptingOnline,
    Encrypted,
    Reverting,
    RevertingOnline,
    Failed,
    Warning,
}

impl EncryptionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::MicrosoftManaged => "Microsoft Managed key",
            Self::Encrypting => "Encrypting",
            Self::EncryptingOnline => "Encrypting - online",
            Self::Encrypted => "Encrypted",
            Self::Reverting => "Reverting",
            Self::RevertingOnline => "Reverting - online",
            Self::Failed => "Failed",
            Self::Warning => "Warning",
        }
    }
}

/// The storage services of an environment, each with its own data key (SPEC ENV-3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Service {
    Dataverse,
    Files,
    Search,
    Copilot,
    Flows,
}

impl Service {
    pub const ALL: [Service; 5] = [Self::Dataverse, Self::Files, Self::Search, Self::Copilot, Self::Flows];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Dataverse => "dataverse",
            Self::Files => "files",
            Self::Search => "search",
            Self::Copilot => "copilot",
            Self::Flows => "flows",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Dataverse => "Dataverse database",
            Self::Files => "File storage",
            Self::Search => "Search index",
            Self::Copilot => "Copilot index",
            Self::Flows => "Power Automate flows",
        }
    }
    pub fn parse(text: &str) -> Result<Self, Error> {
        Self::ALL.into_iter().find(|s| s.as_str().eq_ignore_ascii_case(text)).ok_or_else(|| {
            Error::new(
                ErrorCode::BadParameter,
                format!("'{text}' is not a service (dataverse, files, search, copilot, flows)."),
            )
        })
    }
}

/// What wraps a data key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Protector {
    /// Microsoft's internal key (AES-256-GCM key wrap).
    Microsoft,
    /// The legacy tenant key of bring-your-own-key (RSA-OAEP-256).
    Byok,
    /// A customer-managed key version in Key Vault (RSA-OAEP-256), by its kid.
    Cmk { kid: String },
}

impl Protector {
    pub fn label(&self) -> String {
        match self {
            Self::Microsoft => "Microsoft-managed key".into(),
            Self::Byok => "Tenant key (BYOK)".into(),
            Self::Cmk { kid } => kid.clone(),
        }
    }

    /// The protector a [`Protector::label`] names (the view carries the label).
    pub fn from_label(label: &str) -> Self {
        match label {
            "Microsoft-managed key" => Self::Microsoft,
            "Tenant key (BYOK)" => Self::Byok,
            kid => Self::Cmk { kid: kid.into() },
        }
    }

    /// How the data key is wrapped, as the key hierarchy says it.
    pub fn wrap(&self) -> String {
        match self {
            Self::Microsoft => "AES key wrap with Microsoft's key".into(),
            Self::Byok => "RSA-OAEP-256 with the tenant's legacy key".into(),
            Self::Cmk { kid } => alloc::format!(
                "RSA-OAEP-256 with version {}",
                kid.rsplit('/').next().unwrap_or_default().chars().take(8).collect::<String>()
            ),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WrappedDek {
    pub protector: Protector,
    #[serde(with = "crate::b64")]
    pub blob: Vec<u8>,
}

/// One storage service: a wrapped data key and records encrypted under it, table by table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StorageService {
    pub dek: WrappedDek,
    /// Tables of records, each record `nonce || ciphertext || tag` under the data key.
    pub tables: BTreeMap<String, Table>,
    /// The unwrapped data key as the running service holds it in memory; dropped on lock.
    pub cached_dek: Option<SecretBytes>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    #[serde(with = "crate::b64::list")]
    pub records: Records,
    /// The records are not read yet, only counted: a world loaded in parts shows its view while
    /// the records are still coming (`stored::decode_without_records`); the host runs no command
    /// until they are attached. `None` everywhere else.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unread: Option<usize>,
}

impl Table {
    pub fn new(records: Records) -> Self {
        Self { records, unread: None }
    }
    /// How many records the table has (counted even before they are read).
    pub fn rows(&self) -> usize {
        self.unread.unwrap_or(self.records.len())
    }
}

/// A table's records, shared by every copy of the world (a what-if's, undo's checkpoint, the
/// host's last save) until one of them writes: `Arc::make_mut` copies then. Two tables hold the
/// same records when their `Arc`s are the same (what a save compares to skip what did not change).
pub type Records = alloc::sync::Arc<Vec<Vec<u8>>>;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OperationStatus {
    Running,
    Succeeded,
    Failed,
}

impl OperationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Running => "Running",
            Self::Succeeded => "Succeeded",
            Self::Failed => "Failed",
        }
    }
}

/// SPEC ENV-5: an operation in the environment's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    pub operation: String,
    pub status: OperationStatus,
    pub started: SimTime,
    pub finished: Option<SimTime>,
    pub detail: Option<String>,
    /// Who started it (their UPN); none for what the service did on its own.
    #[serde(default)]
    pub initiated_by: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Environment {
    pub name: String,
    pub id: String,
    pub region: String,
    pub env_type: EnvironmentType,
    pub managed: bool,
    pub state: EnvironmentState,
    pub encryption: EncryptionStatus,
    /// Lower-cased ARM id of the enterprise policy it is linked to.
    pub policy: Option<String>,
    pub services: BTreeMap<Service, StorageService>,
    pub history: Vec<HistoryEntry>,
    pub job: Option<Job>,
    pub deletion_due: Option<SimTime>,
    /// Why and when it was locked (SPEC LOCK-1); kept once deleted.
    #[serde(default)]
    pub lock: Option<Lock>,
    /// When it was deleted for staying locked (SPEC LOCK-3).
    #[serde(default)]
    pub deleted: Option<SimTime>,
    /// Created with the legacy tenant key (SPEC ENC-5).
    #[serde(default)]
    pub byok: bool,
    pub backups: Vec<Backup>,
    pub last_system_backup: Option<SimTime>,
    /// Services whose next encryption step fails (`sim fail`).
    pub fail_next: Vec<Service>,
}

impl Environment {
    pub fn total_rows(&self) -> usize {
        self.services.values().flat_map(|s| s.tables.values()).map(Table::rows).sum()
    }
    /// Some service's data key is still wrapped with the legacy tenant key (SPEC ENC-5).
    pub fn under_tenant_key(&self) -> bool {
        self.services.values().any(|s| s.dek.protector == Protector::Byok)
    }
    /// The kid protecting the Dataverse data key, if it is a customer-managed key.
    pub fn key_version(&self) -> Option<&str> {
        match &self.services.get(&Service::Dataverse)?.dek.protector {
            Protector::Cmk { kid } => Some(kid),
            _ => None,
        }
    }
    pub(crate) fn record(&mut self, operation: &str, status: OperationStatus, now: SimTime, detail: Option<String>) {
        let finished = (status != OperationStatus::Running).then_some(now);
        self.history.push(HistoryEntry {
            operation: operation.into(),
            status,
            started: now,
            finished,
            detail,
            initiated_by: None,
        });
    }
    /// Closes the newest running entry of `operation`.
    pub(crate) fn finish(&mut self, operation: &str, status: OperationStatus, now: SimTime, detail: Option<String>) {
        if let Some(h) =
            self.history.iter_mut().rev().find(|h| h.operation == operation && h.status == OperationStatus::Running)
        {
            h.status = status;
            h.finished = Some(now);
            h.detail = detail;
        }
    }
}

pub const UPDATE_CMK: &str = "Update Customer Managed Key";
pub const REVERT_CMK: &str = "Revert to Microsoft Managed Key";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum JobKind {
    Apply { policy: String },
    Revert { policy: String },
}

/// One encryption operation in progress. Phase 0 runs with the environment down (core data),
/// phases 1 and 2 online (search index, then Copilot index).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Job {
    pub id: u64,
    pub kind: JobKind,
    pub phase: u8,
    pub started: SimTime,
    pub next_step: SimTime,
}

impl Job {
    /// The operation's name in the environment's history (SPEC ENV-5).
    pub fn operation(&self) -> &'static str {
        match self.kind {
            JobKind::Apply { .. } => UPDATE_CMK,
            JobKind::Revert { .. } => REVERT_CMK,
        }
    }
}

/// What a backup holds for one service's tables.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Snapshot {
    /// Row counts: tables only ever grow and records are never re-encrypted (the data key of a
    /// service only changes when the environment is overwritten), so the first N records of
    /// the environment's table are exactly the records at backup time. Cheap for daily backups.
    Lengths(BTreeMap<String, usize>),
    /// The records themselves, copied when the environment is about to be overwritten.
    Copied(BTreeMap<String, Table>),
}

/// DB-1: the records and the wrapped data keys exactly as they were.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Backup {
    pub id: String,
    pub label: String,
    pub system: bool,
    pub taken: SimTime,
    pub services: BTreeMap<Service, (WrappedDek, Snapshot)>,
}

impl Backup {
    /// The backup's full content, reading length snapshots from the environment's tables.
    pub(crate) fn content(&self, env: &Environment) -> BTreeMap<Service, (WrappedDek, BTreeMap<String, Table>)> {
        crate::map_from(self.services.iter().map(|(svc, (dek, snap))| {
            let tables = match snap {
                Snapshot::Copied(t) => t.clone(),
                Snapshot::Lengths(lengths) => crate::map_from(lengths.iter().map(|(name, n)| {
                    let records = env
                        .services
                        .get(svc)
                        .and_then(|s| s.tables.get(name))
                        .map(|t| match *n >= t.records.len() {
                            // All of them: share the table's records.
                            true => t.records.clone(),
                            false => Records::new(t.records[..*n].to_vec()),
                        })
                        .unwrap_or_default();
                    (name.clone(), Table::new(records))
                })),
            };
            (*svc, (dek.clone(), tables))
        }))
    }
}

/// ENC-1: downtime grows with the size of the database: 1 hour plus 1 hour per 20,000 rows, at most 48 hours.
pub fn downtime(env: &Environment) -> SimDuration {
    let hours = 1 + (env.total_rows() as u64) / 20_000;
    SimDuration::hours(hours.min(48))
}

/// Why an environment was locked: the check its policy's identity failed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lock {
    pub at: SimTime,
    pub reason: Error,
}

/// ENV-4: what stays under the Microsoft-managed key whatever happens.
pub const ALWAYS_MICROSOFT_MANAGED: [&str; 6] = [
    "Connector connection settings",
    "App display names, descriptions and connection metadata",
    "Canvas app sources and icons",
    "Solution checker results",
    "Maker welcome content",
    "Power Automate flows that existed when the customer-managed key was applied",
];
