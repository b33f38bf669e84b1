//! Backups, restore, copy and reset (SPEC DB-1 .. DB-5).

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use rand_core::CryptoRngCore;
use serde::{Deserialize, Serialize};

use crate::environment::{
    EncryptionStatus, Environment, EnvironmentState, OperationStatus, Protector, Service, StorageService, Table,
    WrappedDek,
};
use crate::error::{Error, ErrorCode};
use crate::ids;
use crate::key_material::SecretBytes;
use crate::time::SimTime;
use crate::world::{internal, World};

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

type Content = BTreeMap<Service, (WrappedDek, BTreeMap<String, Table>)>;

impl Backup {
    /// The backup's full content, reading length snapshots from the environment's tables.
    fn content(&self, env: &Environment) -> Content {
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
                                .map(|t| t.records[..(*n).min(t.records.len())].to_vec())
                                .unwrap_or_default();
                            (name.clone(), Table { records })
                        })
                        .collect(),
                };
                (*svc, (dek.clone(), tables))
            })
            .collect()
    }
}

impl World {
    pub(crate) fn take_backup(
        &mut self,
        env_id: &str,
        label: Option<String>,
        rng: &mut dyn CryptoRngCore,
    ) -> Result<serde_json::Value, Error> {
        let now = self.now;
        let id = ids::new_guid(rng);
        let e = self.env_mut(env_id)?;
        let services = e
            .services
            .iter()
            .map(|(s, st)| {
                (
                    *s,
                    (
                        st.dek.clone(),
                        Snapshot::Lengths(st.tables.iter().map(|(n, t)| (n.clone(), t.records.len())).collect()),
                    ),
                )
            })
            .collect();
        let system = label.is_none();
        let label = label.unwrap_or_else(|| format!("System backup {}", now.to_iso()));
        e.backups.push(Backup { id: id.clone(), label: label.clone(), system, taken: now, services });
        if system {
            e.last_system_backup = Some(now);
        } else {
            e.record("Backup", OperationStatus::Succeeded, now, Some(label.clone()));
        }
        Ok(
            serde_json::json!({ "backupId": id, "label": label, "environment": e.name, "taken": now.to_iso(), "type": if system { "System" } else { "Manual" } }),
        )
    }

    /// `pp env backup` (manual backup).
    pub(crate) fn backup(
        &mut self,
        actor: &str,
        env: &str,
        label: Option<String>,
        rng: &mut dyn CryptoRngCore,
    ) -> Result<serde_json::Value, Error> {
        self.require_pp_admin(actor)?;
        let id = self.env_key(env)?;
        Self::check_accessible(self.environment(&id)?)?;
        let label =
            label.filter(|l| !l.trim().is_empty()).unwrap_or_else(|| format!("Manual backup {}", self.now.to_iso()));
        self.take_backup(&id, Some(label), rng)
    }

    /// The key identity of an environment's customer-managed key: (vault id, key name), if any.
    fn cmk_of(&self, env: &Environment) -> Option<(String, String)> {
        let p = self.policies.get(env.policy.as_ref()?)?;
        Some((p.key_vault_id.to_ascii_lowercase(), p.key_name.to_ascii_lowercase()))
    }

    /// DB-2 / DB-3: the target must be the source, or use the same customer-managed key.
    fn check_same_key(&self, source: &Environment, target: &Environment, what: &str) -> Result<(), Error> {
        if source.id == target.id {
            return Ok(());
        }
        let (s, t) = (self.cmk_of(source), self.cmk_of(target));
        if s.is_some() && s != t {
            return Err(Error::new(
                ErrorCode::RestoreNotAllowed,
                format!("'{}' is encrypted with a customer-managed key, so a {what} can only go to an environment encrypted with the same key; '{}' is not. Add it to a policy with that key first.", source.name, target.name),
            ));
        }
        if s.is_none() && t.is_some() {
            return Err(Error::new(
                ErrorCode::RestoreNotAllowed,
                format!("'{}' uses the Microsoft-managed key but '{}' uses a customer-managed key: a {what} must stay within one key.", source.name, target.name),
            ));
        }
        Ok(())
    }

    /// Unwraps every data key of a set of services first; any failure stops before anything
    /// is overwritten (DB-5).
    fn unwrap_all(
        &self,
        services: &Content,
        identity: Option<&str>,
        what: &str,
    ) -> Result<Vec<(Service, SecretBytes)>, Error> {
        services
            .iter()
            .map(|(svc, (dek, _))| {
                self.unwrap_dek(dek, identity).map(|d| (*svc, d)).map_err(|e| {
                    let kid = match &dek.protector {
                        Protector::Cmk { kid } => kid.clone(),
                        other => other.label(),
                    };
                    Error::new(
                        ErrorCode::KeyVersionUnavailable,
                        format!("The {what} cannot be used: the {} data key was wrapped with {kid}, which is no longer usable ({}: {}). Nothing was overwritten. Re-enable or recover that key version to restore it.", svc.label(), e.code(), e.message()),
                    )
                })
            })
            .collect()
    }

    /// Replaces the target's data with `services`, each data key re-wrapped under the target's key.
    fn overwrite(
        &mut self,
        target_id: &str,
        services: Content,
        deks: Vec<(Service, SecretBytes)>,
        rng: &mut dyn CryptoRngCore,
    ) -> Result<(), Error> {
        // The target's own backups may point into its tables: copy them out first.
        let target = self.environment(target_id)?;
        let frozen: Vec<Backup> = target
            .backups
            .iter()
            .map(|b| Backup {
                services: b
                    .content(target)
                    .into_iter()
                    .map(|(svc, (dek, t))| (svc, (dek, Snapshot::Copied(t))))
                    .collect(),
                ..b.clone()
            })
            .collect();
        let policy = target.policy.clone();
        let microsoft: Vec<Service> =
            target.services.iter().filter(|(_, s)| s.dek.protector == Protector::Microsoft).map(|(k, _)| *k).collect();
        let mut next = BTreeMap::new();
        for ((svc, (_, tables)), (_, dek)) in services.into_iter().zip(deks) {
            let keep_microsoft = microsoft.contains(&svc);
            let wrapped = match (&policy, keep_microsoft) {
                (Some(pkey), false) => {
                    let p = self.policies.get(pkey).ok_or_else(|| internal("policy vanished"))?.clone();
                    let (kid, blob) = self.service_wrap(&p, &dek.0, rng)?;
                    WrappedDek { protector: Protector::Cmk { kid }, blob }
                }
                _ => self.wrap_dek_microsoft(&dek.0, rng),
            };
            next.insert(svc, StorageService { dek: wrapped, tables, cached_dek: Some(dek) });
        }
        let e = self.env_mut(target_id)?;
        e.services = next;
        e.backups = frozen;
        Ok(())
    }

    /// `pp env restore`.
    pub(crate) fn restore(
        &mut self,
        actor: &str,
        source: &str,
        backup: &str,
        target: &str,
        rng: &mut dyn CryptoRngCore,
    ) -> Result<serde_json::Value, Error> {
        self.require_pp_admin(actor)?;
        let sid = self.env_key(source)?;
        let tid = self.env_key(target)?;
        let s = self.environment(&sid)?;
        let t = self.environment(&tid)?;
        let b = s.backups.iter().find(|b| b.id.eq_ignore_ascii_case(backup)).ok_or_else(|| {
            Error::new(ErrorCode::BackupNotFound, format!("Environment '{}' has no backup '{backup}'.", s.name))
        })?;
        Self::check_accessible(t)?;
        Self::busy(t)?;
        self.check_same_key(s, t, "restore")?;
        let identity = self.env_identity(t).or_else(|| self.env_identity(s));
        let services = b.content(s);
        let deks = self.unwrap_all(&services, identity.as_deref(), "backup")?;
        let label = b.label.clone();
        let source_name = s.name.clone();
        self.overwrite(&tid, services, deks, rng)?;
        let now = self.now;
        let e = self.env_mut(&tid)?;
        e.record("Restore", OperationStatus::Succeeded, now, Some(format!("From '{label}' of {source_name}")));
        self.env_view(&tid)
    }

    /// `pp env copy` (DB-3).
    pub(crate) fn copy_environment(
        &mut self,
        actor: &str,
        source: &str,
        target: &str,
        rng: &mut dyn CryptoRngCore,
    ) -> Result<serde_json::Value, Error> {
        self.require_pp_admin(actor)?;
        let sid = self.env_key(source)?;
        let tid = self.env_key(target)?;
        if sid == tid {
            return Err(Error::new(ErrorCode::BadParameter, "Copy needs two different environments."));
        }
        let s = self.environment(&sid)?;
        let t = self.environment(&tid)?;
        Self::check_accessible(s)?;
        Self::check_accessible(t)?;
        Self::busy(s)?;
        Self::busy(t)?;
        self.check_same_key(s, t, "copy")?;
        let services: Content = s.services.iter().map(|(k, v)| (*k, (v.dek.clone(), v.tables.clone()))).collect();
        let identity = self.env_identity(s);
        let deks = self.unwrap_all(&services, identity.as_deref(), "copy")?;
        let source_name = s.name.clone();
        self.overwrite(&tid, services, deks, rng)?;
        let now = self.now;
        self.env_mut(&tid)?.record("Copy", OperationStatus::Succeeded, now, Some(format!("From {source_name}")));
        self.env_view(&tid)
    }

    /// `pp env reset` (DB-4): data and backups gone, back to the Microsoft-managed key.
    pub(crate) fn reset(
        &mut self,
        actor: &str,
        env: &str,
        rng: &mut dyn CryptoRngCore,
    ) -> Result<serde_json::Value, Error> {
        self.require_pp_admin(actor)?;
        let id = self.env_key(env)?;
        let e = self.environment(&id)?;
        if matches!(e.state, EnvironmentState::Deleted | EnvironmentState::Disabled) || e.job.is_some() {
            return Err(Error::new(
                ErrorCode::OperationInProgress,
                format!("Environment '{}' cannot be reset while it is {}.", e.name, e.state.as_str()),
            ));
        }
        let mut services = BTreeMap::new();
        for svc in Service::ALL {
            let dek = SecretBytes::random(rng, 32);
            let wrapped = self.wrap_dek_microsoft(&dek.0, rng);
            services.insert(svc, StorageService { dek: wrapped, tables: BTreeMap::new(), cached_dek: Some(dek) });
        }
        let now = self.now;
        let e = self.env_mut(&id)?;
        e.services = services;
        e.backups.clear();
        e.encryption = EncryptionStatus::MicrosoftManaged;
        e.state = EnvironmentState::Enabled;
        e.deletion_due = None;
        e.record(
            "Reset",
            OperationStatus::Succeeded,
            now,
            Some("Data and backups deleted; Microsoft-managed key".into()),
        );
        self.unlink_policy(&id);
        self.env_view(&id)
    }
}
