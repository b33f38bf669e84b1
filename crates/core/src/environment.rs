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
use crate::directory::EntraRole;
use crate::error::{Error, ErrorCode};
use crate::ids;
use crate::key_material::{KeyMaterial, SecretBytes};
use crate::policy::POLICY_LOCATIONS;
use crate::time::SimTime;
use crate::world::{internal, World};

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
    pub records: Vec<Vec<u8>>,
}

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
    pub job: Option<crate::encryption::Job>,
    pub deletion_due: Option<SimTime>,
    pub backups: Vec<crate::backup::Backup>,
    pub last_system_backup: Option<SimTime>,
    /// Services whose next encryption step fails (`sim fail`).
    pub fail_next: Vec<Service>,
}

impl Environment {
    pub fn total_rows(&self) -> usize {
        self.services.values().flat_map(|s| s.tables.values()).map(|t| t.records.len()).sum()
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
        self.history.push(HistoryEntry { operation: operation.into(), status, started: now, finished, detail });
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

impl World {
    pub(crate) fn require_pp_admin(&self, actor: &str) -> Result<(), Error> {
        let user = self.user(actor)?;
        let ok = user.entra_roles.iter().any(|r| {
            matches!(
                r,
                EntraRole::GlobalAdministrator
                    | EntraRole::PowerPlatformAdministrator
                    | EntraRole::Dynamics365Administrator
            )
        });
        if ok {
            return Ok(());
        }
        Err(Error::new(
            ErrorCode::PowerPlatformAdminRequired,
            format!("'{}' has no Power Platform administration role. The Power Platform admin center needs Global Administrator, Power Platform Administrator or Dynamics 365 Administrator in Entra ID.", user.upn),
        ))
    }

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

    /// Wraps a data key under `protector` (the caller has checked access for CMK).
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
    pub(crate) fn unwrap_dek(&self, dek: &WrappedDek, identity: Option<&str>) -> Result<SecretBytes, Error> {
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
                self.service_unwrap(identity, kid, &dek.blob)?
            }
        };
        Ok(SecretBytes(bytes))
    }

    /// Takes the environment off its policy, on both sides of the link (EP-6 counts the
    /// policy's list). Callers record why in the environment's history.
    pub(crate) fn unlink_policy(&mut self, env_id: &str) {
        let policy = self.environments.get_mut(env_id).and_then(|e| e.policy.take());
        if let Some(p) = policy.and_then(|p| self.policies.get_mut(&p)) {
            p.linked_environments.retain(|x| x != env_id);
        }
    }

    /// The identity of the policy an environment is linked to.
    pub(crate) fn env_identity(&self, env: &Environment) -> Option<String> {
        env.policy.as_ref().and_then(|p| self.policies.get(p)).map(|p| p.principal_id.clone())
    }

    pub(crate) fn create_environment(
        &mut self,
        actor: &str,
        name: &str,
        region: &str,
        env_type: &str,
        byok: bool,
        rng: &mut dyn CryptoRngCore,
    ) -> Result<serde_json::Value, Error> {
        self.require_pp_admin(actor)?;
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
                let records = (0..3)
                    .map(|i| aes_gcm_seal(&dek.key32(), &record_plaintext(&id, &seed_table, i), &aad, rng))
                    .collect();
                tables.insert(seed_table, Table { records });
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
            backups: Vec::new(),
            last_system_backup: Some(self.now),
            fail_next: Vec::new(),
        };
        env.record(
            "Create environment",
            OperationStatus::Succeeded,
            self.now,
            byok.then(|| "Encrypted with the tenant key (BYOK)".into()),
        );
        self.environments.insert(id.clone(), env);
        self.env_view(&id)
    }

    pub(crate) fn enable_managed(&mut self, actor: &str, env: &str) -> Result<serde_json::Value, Error> {
        self.require_pp_admin(actor)?;
        let id = self.env_key(env)?;
        let e = self.env_mut(&id)?;
        if e.state == EnvironmentState::Deleted {
            return Err(Error::new(ErrorCode::EnvironmentDeleted, format!("Environment '{}' was deleted.", e.name)));
        }
        if !e.managed {
            e.managed = true;
            let now = self.now;
            self.env_mut(&id)?.record("Enable Managed Environments", OperationStatus::Succeeded, now, None);
        }
        self.env_view(&id)
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
    pub(crate) fn service_dek(&self, env: &Environment, service: Service) -> Result<SecretBytes, Error> {
        let s = env.services.get(&service).ok_or_else(|| internal("service missing"))?;
        if let Some(d) = &s.cached_dek {
            return Ok(d.clone());
        }
        self.unwrap_dek(&s.dek, self.env_identity(env).as_deref())
    }

    /// `sim data insert`: N deterministic rows appended to a Dataverse table, each encrypted
    /// under the Dataverse data key; the search and Copilot indexes get an entry each.
    pub(crate) fn insert_rows(
        &mut self,
        env: &str,
        table: &str,
        rows: usize,
        rng: &mut dyn CryptoRngCore,
    ) -> Result<serde_json::Value, Error> {
        if table.is_empty() || !table.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(Error::new(
                ErrorCode::BadParameter,
                format!("Table name '{table}' is not valid: letters, digits and '_'."),
            ));
        }
        if rows == 0 || rows > 1_000_000 {
            return Err(Error::new(ErrorCode::BadParameter, "Insert 1 to 1,000,000 rows at a time."));
        }
        let id = self.env_key(env)?;
        let e = self.environment(&id)?;
        Self::check_accessible(e)?;
        let dek = self.service_dek(e, Service::Dataverse)?;
        let start =
            e.services.get(&Service::Dataverse).and_then(|s| s.tables.get(table)).map(|t| t.records.len()).unwrap_or(0);
        let aad = record_aad(Service::Dataverse, table);
        let sealed: Vec<Vec<u8>> = (start..start + rows)
            .map(|i| aes_gcm_seal(&dek.key32(), &record_plaintext(&id, table, i), &aad, rng))
            .collect();
        let mut index_entries = Vec::new();
        for service in [Service::Search, Service::Copilot] {
            let idx_dek = self.service_dek(e, service)?;
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
                    rng,
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
            t.records.extend(sealed);
            t.records.len()
        };
        for (service, idx_table, record) in index_entries {
            e.services
                .get_mut(&service)
                .ok_or_else(|| internal("index"))?
                .tables
                .entry(idx_table)
                .or_default()
                .records
                .push(record);
        }
        Ok(serde_json::json!({ "environment": e.name, "table": table, "inserted": rows, "rows": total }))
    }

    /// Decrypts every record of a table; `{"rows", "sha256"}` of the plaintexts in order.
    pub fn read_table(&self, env: &str, service: Service, table: &str) -> Result<(usize, String), Error> {
        let e = self.environment(env)?;
        Self::check_accessible(e)?;
        let dek = self.service_dek(e, service)?;
        let aad = record_aad(service, table);
        let records =
            e.services.get(&service).and_then(|s| s.tables.get(table)).map(|t| t.records.as_slice()).unwrap_or(&[]);
        let mut hasher = Sha256::new();
        for r in records {
            hasher.update(aes_gcm_open(&dek.key32(), r, &aad)?.as_slice());
        }
        Ok((records.len(), hex(&hasher.finalize())))
    }

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

    pub(crate) fn env_view(&self, id: &str) -> Result<serde_json::Value, Error> {
        let e = self.environment(id)?;
        let policy = e.policy.as_ref().and_then(|p| self.policies.get(p)).map(|p| p.id());
        let services: Vec<serde_json::Value> = e
            .services
            .iter()
            .map(|(s, st)| serde_json::json!({ "service": s.as_str(), "label": s.label(), "protector": st.dek.protector.label(), "rows": st.tables.values().map(|t| t.records.len()).sum::<usize>() }))
            .collect();
        Ok(serde_json::json!({
            "name": e.name,
            "id": e.id,
            "region": e.region,
            "type": e.env_type.as_str(),
            "managed": e.managed,
            "state": e.state.as_str(),
            "encryptionStatus": e.encryption.as_str(),
            "policy": policy,
            "keyVersion": e.key_version(),
            "deletionDue": e.deletion_due.map(SimTime::to_iso),
            "operation": e.job.as_ref().map(|j| j.describe()),
            "services": services,
            "backups": e.backups.len(),
            "alwaysMicrosoftManaged": ALWAYS_MICROSOFT_MANAGED,
        }))
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
