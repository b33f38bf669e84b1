//! Power Platform environments: their storage services, real envelope encryption of records,
//! history, and the admin-center commands that do not change encryption. SPEC ENV-1 .. ENV-5,
//! AUTH-2.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use rand_core::CryptoRngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::crypto::{aes_gcm_open, aes_gcm_seal, rsa_decrypt, Algorithm};
use crate::error::{internal, Error, ErrorCode};
use crate::ids;
use crate::key_material::{KeyMaterial, SecretBytes};
use crate::location::POLICY_LOCATIONS;
use crate::powerplatform::{Ctx, KeyAccess, PowerPlatform};
use crate::time::{SimDuration, SimTime};
use crate::view::{
    BackupView, EnvironmentDetail, EnvironmentView, ErrorView, HistoryLine, HistoryView, LockView, OperationView,
    ServiceView,
};

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
        self.services
            .iter()
            .map(|(svc, (dek, snap))| {
                let tables = match snap {
                    Snapshot::Copied(t) => t.clone(),
                    Snapshot::Lengths(lengths) => lengths
                        .iter()
                        .map(|(name, n)| {
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
                        })
                        .collect(),
                };
                (*svc, (dek.clone(), tables))
            })
            .collect()
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

/// Deterministic record content: row `i` of `table` in environment `env_id`.
pub fn record_plaintext(env_id: &str, table: &str, i: usize) -> Vec<u8> {
    let digest = Sha256::digest(format!("{env_id}/{table}/{i}").as_bytes());
    let mut text =
        format!("{{\"table\":\"{table}\",\"row\":{i},\"name\":\"Contoso record {i}\",\"data\":\"").into_bytes();
    for b in digest.iter().take(8 + (digest[0] as usize % 24)) {
        text.extend_from_slice(format!("{b:02x}").as_bytes());
    }
    text.extend_from_slice(b"\"}");
    text
}

/// The additional data that binds a record to its service and table.
pub(crate) fn record_aad(service: Service, table: &str) -> Vec<u8> {
    format!("{}/{table}", service.as_str()).into_bytes()
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

impl PowerPlatform {
    pub fn environment(&self, name_or_id: &str) -> Result<&Environment, Error> {
        self.environments
            .values()
            .find(|e| e.id.eq_ignore_ascii_case(name_or_id) || e.name.eq_ignore_ascii_case(name_or_id))
            .ok_or_else(|| {
                Error::new(ErrorCode::EnvironmentNotFound, format!("There is no environment '{name_or_id}'."))
            })
    }

    pub(crate) fn env_key(&self, name_or_id: &str) -> Result<String, Error> {
        let e = self.environment(name_or_id)?;
        Ok(e.id.clone())
    }

    pub(crate) fn env_mut(&mut self, id: &str) -> Result<&mut Environment, Error> {
        self.environments.get_mut(id).ok_or_else(|| internal("environment vanished"))
    }

    /// The Microsoft-managed key, made on first use.
    pub(crate) fn microsoft_key(&mut self, rng: &mut dyn CryptoRngCore) -> [u8; 32] {
        if self.microsoft_key.is_none() {
            self.microsoft_key = Some(SecretBytes::random(rng, 32));
        }
        self.microsoft_key.as_ref().map(SecretBytes::key32).unwrap_or([0; 32])
    }

    /// Wraps a data key under Microsoft's key (AES-256-GCM key wrap).
    pub(crate) fn wrap_dek_microsoft(&mut self, dek: &[u8], rng: &mut dyn CryptoRngCore) -> WrappedDek {
        let mmk = self.microsoft_key(rng);
        WrappedDek { protector: Protector::Microsoft, blob: aes_gcm_seal(&mmk, dek, b"dek", rng) }
    }

    pub(crate) fn wrap_dek_byok(&mut self, dek: &[u8], rng: &mut dyn CryptoRngCore) -> Result<WrappedDek, Error> {
        if self.tenant_byok_key.is_none() {
            self.tenant_byok_key = Some(KeyMaterial::generate(rng, 2048)?);
        }
        let key = self.tenant_byok_key.as_ref().ok_or_else(|| internal("tenant key vanished"))?;
        let blob = crate::crypto::rsa_encrypt(key.private_key(), Algorithm::RsaOaep256, dek, rng)?;
        Ok(WrappedDek { protector: Protector::Byok, blob })
    }

    /// Unwraps a data key. For a customer-managed key this goes through Key Vault as
    /// `identity`, with every check the service makes (SPEC ROT-2, DB-5).
    pub(crate) fn unwrap_dek(
        &self,
        keys: &dyn KeyAccess,
        dek: &WrappedDek,
        identity: Option<&str>,
    ) -> Result<SecretBytes, Error> {
        let bytes = match &dek.protector {
            Protector::Microsoft => {
                let mmk = self.microsoft_key.as_ref().ok_or_else(|| internal("Microsoft-managed key missing"))?;
                aes_gcm_open(&mmk.key32(), &dek.blob, b"dek")?
            }
            Protector::Byok => {
                let key = self.tenant_byok_key.as_ref().ok_or_else(|| internal("tenant key missing"))?;
                rsa_decrypt(key.private_key(), Algorithm::RsaOaep256, &dek.blob)?
            }
            Protector::Cmk { kid } => {
                let identity = identity.ok_or_else(|| {
                    Error::new(ErrorCode::KeyAccessLost, format!("No enterprise policy identity can reach {kid}."))
                })?;
                keys.unwrap(identity, kid, &dek.blob)?
            }
        };
        Ok(SecretBytes(bytes))
    }

    /// Links an environment to a policy, on both sides (EP-6 counts the policy's list).
    pub(crate) fn link_policy(&mut self, env_id: &str, policy: &str) -> Result<(), Error> {
        self.env_mut(env_id)?.policy = Some(policy.into());
        let linked = &mut self.links.entry(policy.into()).or_default().environments;
        if !linked.iter().any(|x| x == env_id) {
            linked.push(env_id.into());
        }
        Ok(())
    }

    /// Takes the environment off its policy, on both sides of the link. Callers record why in
    /// the environment's history.
    pub(crate) fn unlink_policy(&mut self, env_id: &str) {
        let policy = self.environments.get_mut(env_id).and_then(|e| e.policy.take());
        if let Some(link) = policy.and_then(|p| self.links.get_mut(&p)) {
            link.environments.retain(|x| x != env_id);
        }
    }

    /// The identity of the policy an environment is linked to.
    pub(crate) fn env_identity(keys: &dyn KeyAccess, env: &Environment) -> Option<String> {
        env.policy.as_deref().and_then(|p| keys.policy(p)).map(|p| p.identity)
    }

    /// `pp env create`.
    pub(crate) fn create_environment(
        &mut self,
        cx: &mut Ctx<'_>,
        name: &str,
        region: &str,
        env_type: &str,
        byok: bool,
    ) -> Result<EnvironmentView, Error> {
        let env_type = EnvironmentType::parse(env_type)?;
        let region = region.to_ascii_lowercase();
        if !POLICY_LOCATIONS.contains(&region.as_str()) {
            return Err(Error::new(
                ErrorCode::BadParameter,
                format!("'{region}' is not a Power Platform region ({}).", POLICY_LOCATIONS.join(", ")),
            ));
        }
        if name.trim().is_empty() || name.len() > 100 {
            return Err(Error::new(ErrorCode::BadParameter, "An environment needs a name of 1 to 100 characters."));
        }
        if self.environments.values().any(|e| e.name.eq_ignore_ascii_case(name) && e.state != EnvironmentState::Deleted)
        {
            return Err(Error::new(ErrorCode::Conflict, format!("An environment named '{name}' already exists.")));
        }
        let rng = &mut *cx.rng;
        let id = ids::new_guid(rng);
        let mut services = BTreeMap::new();
        for service in Service::ALL {
            let dek = SecretBytes::random(rng, 32);
            let wrapped = if byok { self.wrap_dek_byok(&dek.0, rng)? } else { self.wrap_dek_microsoft(&dek.0, rng) };
            let mut tables = BTreeMap::new();
            // Every service starts with a little content of its own, so each data key matters;
            // production and default environments come with existing flows (SPEC ENV-4).
            let has_flows = matches!(env_type, EnvironmentType::Production | EnvironmentType::Default);
            if service != Service::Flows || has_flows {
                let seed_table = format!("{}_content", service.as_str());
                let aad = record_aad(service, &seed_table);
                let records = Records::new(
                    (0..3)
                        .map(|i| aes_gcm_seal(&dek.key32(), &record_plaintext(&id, &seed_table, i), &aad, rng))
                        .collect(),
                );
                tables.insert(seed_table, Table::new(records));
            }
            services.insert(service, StorageService { dek: wrapped, tables, cached_dek: Some(dek) });
        }
        let mut env = Environment {
            name: name.into(),
            id: id.clone(),
            region,
            env_type,
            managed: false,
            state: EnvironmentState::Enabled,
            encryption: EncryptionStatus::MicrosoftManaged,
            policy: None,
            services,
            history: Vec::new(),
            job: None,
            deletion_due: None,
            lock: None,
            deleted: None,
            byok,
            backups: Vec::new(),
            last_system_backup: Some(cx.now),
            fail_next: Vec::new(),
        };
        env.record(
            "Create environment",
            OperationStatus::Succeeded,
            cx.now,
            byok.then(|| "Encrypted with the tenant key (BYOK)".into()),
        );
        self.environments.insert(id.clone(), env);
        self.env_view(cx.keys, &id)
    }

    /// `pp env enable-managed`: Enable Managed Environments.
    pub(crate) fn enable_managed(&mut self, cx: &mut Ctx<'_>, env: &str) -> Result<EnvironmentView, Error> {
        let id = self.env_key(env)?;
        let e = self.env_mut(&id)?;
        if e.state == EnvironmentState::Deleted {
            return Err(Error::new(ErrorCode::EnvironmentDeleted, format!("Environment '{}' was deleted.", e.name)));
        }
        if !e.managed {
            e.managed = true;
            e.record("Enable Managed Environments", OperationStatus::Succeeded, cx.now, None);
        }
        self.env_view(cx.keys, &id)
    }

    /// Checks an environment can be read or written right now.
    pub(crate) fn check_accessible(env: &Environment) -> Result<(), Error> {
        let (code, why) = match env.state {
            EnvironmentState::Enabled => return Ok(()),
            EnvironmentState::Disabled => (ErrorCode::EnvironmentDisabled, "is disabled while its encryption changes"),
            EnvironmentState::Locked => {
                (ErrorCode::EnvironmentLocked, "is locked: its key is not accessible. Environment disabled")
            }
            EnvironmentState::Deleted => (ErrorCode::EnvironmentDeleted, "was deleted"),
        };
        Err(Error::new(code, format!("Environment '{}' {why}.", env.name)))
    }

    /// The data key of a service, from the service's memory or unwrapped afresh.
    pub(crate) fn service_dek(
        &self,
        keys: &dyn KeyAccess,
        env: &Environment,
        service: Service,
    ) -> Result<SecretBytes, Error> {
        let s = env.services.get(&service).ok_or_else(|| internal("service missing"))?;
        if let Some(d) = &s.cached_dek {
            return Ok(d.clone());
        }
        self.unwrap_dek(keys, &s.dek, Self::env_identity(keys, env).as_deref())
    }

    /// `sim data insert`: N deterministic rows appended to a Dataverse table, each encrypted
    /// under the Dataverse data key; the search and Copilot indexes get an entry each.
    pub(crate) fn insert_rows(
        &mut self,
        cx: &mut Ctx<'_>,
        env: &str,
        table: &str,
        rows: usize,
    ) -> Result<serde_json::Value, Error> {
        if table.is_empty() || !table.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(Error::new(
                ErrorCode::BadParameter,
                format!("Table name '{table}' is not valid: letters, digits and '_'."),
            ));
        }
        let id = self.env_key(env)?;
        let e = self.environment(&id)?;
        check_rows(e.total_rows(), rows)?;
        Self::check_accessible(e)?;
        let dek = self.service_dek(cx.keys, e, Service::Dataverse)?;
        let start =
            e.services.get(&Service::Dataverse).and_then(|s| s.tables.get(table)).map(|t| t.records.len()).unwrap_or(0);
        let aad = record_aad(Service::Dataverse, table);
        let sealed: Vec<Vec<u8>> = (start..start + rows)
            .map(|i| aes_gcm_seal(&dek.key32(), &record_plaintext(&id, table, i), &aad, cx.rng))
            .collect();
        let mut index_entries = Vec::new();
        for service in [Service::Search, Service::Copilot] {
            let idx_dek = self.service_dek(cx.keys, e, service)?;
            let idx_table = format!("{table}_index");
            let n =
                e.services.get(&service).and_then(|s| s.tables.get(&idx_table)).map(|t| t.records.len()).unwrap_or(0);
            index_entries.push((
                service,
                idx_table.clone(),
                aes_gcm_seal(
                    &idx_dek.key32(),
                    &record_plaintext(&id, &idx_table, n),
                    &record_aad(service, &idx_table),
                    cx.rng,
                ),
            ));
        }
        let e = self.env_mut(&id)?;
        let total = {
            let t = e
                .services
                .get_mut(&Service::Dataverse)
                .ok_or_else(|| internal("dataverse"))?
                .tables
                .entry(table.into())
                .or_default();
            alloc::sync::Arc::make_mut(&mut t.records).extend(sealed);
            t.records.len()
        };
        for (service, idx_table, record) in index_entries {
            let t = e.services.get_mut(&service).ok_or_else(|| internal("index"))?.tables.entry(idx_table).or_default();
            alloc::sync::Arc::make_mut(&mut t.records).push(record);
        }
        Ok(serde_json::json!({ "environment": e.name, "table": table, "inserted": rows, "rows": total }))
    }

    /// Decrypts every record of a table; the row count and the SHA-256 of the plaintexts in order.
    pub fn read_table(
        &self,
        keys: &dyn KeyAccess,
        env: &str,
        service: Service,
        table: &str,
    ) -> Result<(usize, String), Error> {
        let e = self.environment(env)?;
        Self::check_accessible(e)?;
        let dek = self.service_dek(keys, e, service)?;
        let aad = record_aad(service, table);
        let records =
            e.services.get(&service).and_then(|s| s.tables.get(table)).map(|t| t.records.as_slice()).unwrap_or(&[]);
        let mut hasher = Sha256::new();
        for r in records {
            hasher.update(aes_gcm_open(&dek.key32(), r, &aad)?.as_slice());
        }
        Ok((records.len(), hex(&hasher.finalize())))
    }

    /// `sim fail`: the next encryption step of a service fails.
    pub(crate) fn sim_fail(&mut self, env: &str, service: &str) -> Result<serde_json::Value, Error> {
        let service = Service::parse(service)?;
        let id = self.env_key(env)?;
        let e = self.env_mut(&id)?;
        if !e.fail_next.contains(&service) {
            e.fail_next.push(service);
        }
        Ok(
            serde_json::json!({ "environment": e.name, "failNext": e.fail_next.iter().map(|s| s.as_str()).collect::<Vec<_>>() }),
        )
    }

    /// `pp env show`.
    pub(crate) fn env_view(&self, keys: &dyn KeyAccess, id: &str) -> Result<EnvironmentView, Error> {
        let e = self.environment(id)?;
        let policy = e.policy.as_deref().and_then(|p| keys.policy(p)).map(|p| p.id);
        Ok(EnvironmentView {
            name: e.name.clone(),
            id: e.id.clone(),
            region: e.region.clone(),
            env_type: e.env_type.as_str().into(),
            managed: e.managed,
            state: e.state.as_str().into(),
            encryption_status: e.encryption.as_str().into(),
            policy,
            key_version: e.key_version().map(String::from),
            deletion_due: e.deletion_due.map(SimTime::to_iso),
            operation: e.job.as_ref().map(|j| OperationView {
                operation: j.operation().into(),
                phase: j.phase,
                started: j.started.to_iso(),
                next_step: j.next_step.to_iso(),
            }),
            services: e
                .services
                .iter()
                .map(|(s, st)| ServiceView {
                    service: s.as_str().into(),
                    label: s.label().into(),
                    protector: st.dek.protector.label(),
                    rows: st.tables.values().map(Table::rows).sum(),
                })
                .collect(),
            backups: e.backups.len(),
            always_microsoft_managed: ALWAYS_MICROSOFT_MANAGED.iter().map(|s| String::from(*s)).collect(),
        })
    }

    /// `pp env history` (SPEC ENV-5).
    pub(crate) fn history_view(env: &Environment) -> Vec<HistoryView> {
        env.history
            .iter()
            .map(|h| HistoryView {
                operation: h.operation.clone(),
                status: h.status.as_str().into(),
                started: h.started.to_iso(),
                finished: h.finished.map(SimTime::to_iso),
                detail: h.detail.clone(),
            })
            .collect()
    }

    /// Everything the admin center shows of an environment.
    pub(crate) fn env_detail(&self, keys: &dyn KeyAccess, id: &str) -> Result<EnvironmentDetail, Error> {
        let summary = self.env_view(keys, id)?;
        let e = self.environment(id)?;
        let identity = Self::env_identity(keys, e);
        let backup_list = e
            .backups
            .iter()
            .map(|b| {
                let mut key_versions: Vec<String> = Vec::new();
                let mut blocked = None;
                for (dek, _) in b.services.values() {
                    if let Protector::Cmk { kid } = &dek.protector {
                        if !key_versions.contains(kid) {
                            key_versions.push(kid.clone());
                        }
                        if blocked.is_none() {
                            let check = match identity.as_deref() {
                                Some(who) => keys.check(who, kid),
                                None => Err(Error::new(
                                    ErrorCode::KeyAccessLost,
                                    format!("No enterprise policy identity can reach {kid}."),
                                )),
                            };
                            blocked = check.err().map(|err| ErrorView::of(&err));
                        }
                    }
                }
                BackupView {
                    backup_id: b.id.clone(),
                    label: b.label.clone(),
                    taken: b.taken.to_iso(),
                    backup_type: if b.system { "System" } else { "Manual" }.into(),
                    key_versions,
                    restore_blocked: blocked,
                }
            })
            .collect();
        Ok(EnvironmentDetail {
            summary,
            history: e
                .history
                .iter()
                .zip(Self::history_view(e))
                .map(|(h, entry)| HistoryLine { entry, initiated_by: h.initiated_by.clone() })
                .collect(),
            backup_list,
            lock: e.lock.as_ref().map(|l| LockView {
                at: l.at.to_iso(),
                code: l.reason.code().as_str().into(),
                message: l.reason.message().into(),
            }),
            deleted: e.deleted.map(SimTime::to_iso),
            expected_downtime_hours: downtime(e).as_seconds() / 3600,
            byok: e.byok,
            key_group: Self::cmk_of(keys, e).map(|(vault, key)| format!("{vault}/{key}")),
        })
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    use core::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// The most rows one insert adds, and the most records one environment holds (all services).
pub const MAX_ROWS_PER_INSERT: usize = 1_000_000;
pub const MAX_RECORDS_PER_ENVIRONMENT: usize = 2_000_000;

/// Refuses an insert over either limit, naming it.
pub(crate) fn check_rows(existing: usize, rows: usize) -> Result<(), Error> {
    if rows == 0 || rows > MAX_ROWS_PER_INSERT {
        return Err(Error::new(
            ErrorCode::BadParameter,
            format!("Insert 1 to {MAX_ROWS_PER_INSERT} rows at a time (the limit per insert)."),
        ));
    }
    if existing.saturating_add(rows) > MAX_RECORDS_PER_ENVIRONMENT {
        return Err(Error::new(
            ErrorCode::BadParameter,
            format!(
                "The environment holds {existing} records; {rows} more would pass the limit of {MAX_RECORDS_PER_ENVIRONMENT} records per environment."
            ),
        ));
    }
    Ok(())
}
