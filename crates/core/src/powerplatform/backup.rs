//! Backups, restore, copy and reset (SPEC DB-1 .. DB-5).

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::error::{internal, Error, ErrorCode};
use crate::ids;
use crate::key_material::SecretBytes;
use crate::powerplatform::environment::{
    EncryptionStatus, Environment, EnvironmentState, OperationStatus, Protector, Service, StorageService, Table,
    WrappedDek,
};
use crate::powerplatform::{Ctx, KeyAccess, PowerPlatform};
use crate::view::{CandidateView, EnvironmentView, ErrorView};

pub use crate::powerplatform::environment::{Backup, Snapshot};

pub(crate) type Content = BTreeMap<Service, (WrappedDek, BTreeMap<String, Table>)>;

impl PowerPlatform {
    pub(crate) fn take_backup(
        &mut self,
        env_id: &str,
        label: Option<String>,
        cx: &mut Ctx<'_>,
    ) -> Result<serde_json::Value, Error> {
        let now = cx.now;
        let id = ids::new_guid(cx.rng);
        let e = self.env_mut(env_id)?;
        let services = crate::map_from(e.services.iter().map(|(s, st)| {
            (
                *s,
                (
                    st.dek.clone(),
                    Snapshot::Lengths(crate::map_from(st.tables.iter().map(|(n, t)| (n.clone(), t.records.len())))),
                ),
            )
        }));
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
        cx: &mut Ctx<'_>,
        env: &str,
        label: Option<String>,
    ) -> Result<serde_json::Value, Error> {
        let id = self.env_key(env)?;
        Self::check_accessible(self.environment(&id)?)?;
        let label =
            label.filter(|l| !l.trim().is_empty()).unwrap_or_else(|| format!("Manual backup {}", cx.now.to_iso()));
        self.take_backup(&id, Some(label), cx)
    }

    /// The key identity of an environment's customer-managed key: (vault id, key name), if any.
    pub(crate) fn cmk_of(keys: &dyn KeyAccess, env: &Environment) -> Option<(String, String)> {
        keys.policy(env.policy.as_ref()?).map(|p| p.key_ref)
    }

    /// DB-2 / DB-3: the target must be the source, or use the same customer-managed key.
    fn check_same_key(
        keys: &dyn KeyAccess,
        source: &Environment,
        target: &Environment,
        what: &str,
    ) -> Result<(), Error> {
        if source.id == target.id {
            return Ok(());
        }
        let (s, t) = (Self::cmk_of(keys, source), Self::cmk_of(keys, target));
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

    /// `pp env restore-targets` / `copy-targets`: where `source`'s backups may be restored
    /// (`copy`: false) or where it may be copied, each with the reason `restore` /
    /// `copy_environment` would refuse that target (SPEC DB-2, DB-3): readable, not busy, and the
    /// source itself or on the same customer-managed key. A copy never lists the source; deleted
    /// environments are left out. Asked when the admin center's dialog opens, not kept in the
    /// view (50 environments would put 2,450 candidates in every view).
    pub(crate) fn targets(&self, keys: &dyn KeyAccess, source: &str, copy: bool) -> Result<Vec<CandidateView>, Error> {
        let source = self.environment(&self.env_key(source)?)?;
        let what = if copy { "copy" } else { "restore" };
        Ok(self
            .environments
            .values()
            .filter(|t| t.state != EnvironmentState::Deleted && !(copy && t.id == source.id))
            .map(|t| CandidateView {
                id: t.id.clone(),
                name: t.name.clone(),
                env_type: t.env_type.as_str().into(),
                region: t.region.clone(),
                blocked: Self::check_accessible(t)
                    .and_then(|()| Self::busy(t))
                    .and_then(|()| Self::check_same_key(keys, source, t, what))
                    .err()
                    .map(|err| ErrorView::of(&err)),
            })
            .collect())
    }

    /// Unwraps every data key of a set of services first; any failure stops before anything
    /// is overwritten (DB-5).
    fn unwrap_all(
        &self,
        keys: &dyn KeyAccess,
        services: &Content,
        identity: Option<&str>,
        what: &str,
    ) -> Result<Vec<(Service, SecretBytes)>, Error> {
        services
            .iter()
            .map(|(svc, (dek, _))| {
                self.unwrap_dek(keys, dek, identity).map(|d| (*svc, d)).map_err(|e| {
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
        cx: &mut Ctx<'_>,
    ) -> Result<(), Error> {
        // The target's own backups may point into its tables: copy them out first.
        let target = self.environment(target_id)?;
        let frozen: Vec<Backup> = target
            .backups
            .iter()
            .map(|b| Backup {
                services: crate::map_from(
                    b.content(target).into_iter().map(|(svc, (dek, t))| (svc, (dek, Snapshot::Copied(t)))),
                ),
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
                    cx.keys.policy(pkey).ok_or_else(|| internal("policy vanished"))?;
                    let (kid, blob) = cx.keys.wrap(pkey, &dek.0, cx.rng)?;
                    WrappedDek { protector: Protector::Cmk { kid }, blob }
                }
                _ => self.wrap_dek_microsoft(&dek.0, cx.rng),
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
        cx: &mut Ctx<'_>,
        source: &str,
        backup: &str,
        target: &str,
    ) -> Result<EnvironmentView, Error> {
        let sid = self.env_key(source)?;
        let tid = self.env_key(target)?;
        let s = self.environment(&sid)?;
        let t = self.environment(&tid)?;
        // By id, or by label (the newest backup with it).
        let b = s
            .backups
            .iter()
            .find(|b| b.id.eq_ignore_ascii_case(backup))
            .or_else(|| s.backups.iter().rev().find(|b| b.label.eq_ignore_ascii_case(backup)))
            .ok_or_else(|| {
                Error::new(ErrorCode::BackupNotFound, format!("Environment '{}' has no backup '{backup}'.", s.name))
            })?;
        Self::check_accessible(t)?;
        Self::busy(t)?;
        Self::check_same_key(cx.keys, s, t, "restore")?;
        let identity = Self::env_identity(cx.keys, t).or_else(|| Self::env_identity(cx.keys, s));
        let services = b.content(s);
        let deks = self.unwrap_all(cx.keys, &services, identity.as_deref(), "backup")?;
        let label = b.label.clone();
        let source_name = s.name.clone();
        self.overwrite(&tid, services, deks, cx)?;
        let now = cx.now;
        let e = self.env_mut(&tid)?;
        e.record("Restore", OperationStatus::Succeeded, now, Some(format!("From '{label}' of {source_name}")));
        self.env_view(cx.keys, &tid)
    }

    /// `pp env copy` (DB-3).
    pub(crate) fn copy_environment(
        &mut self,
        cx: &mut Ctx<'_>,
        source: &str,
        target: &str,
    ) -> Result<EnvironmentView, Error> {
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
        Self::check_same_key(cx.keys, s, t, "copy")?;
        let services: Content =
            crate::map_from(s.services.iter().map(|(k, v)| (*k, (v.dek.clone(), v.tables.clone()))));
        let identity = Self::env_identity(cx.keys, s);
        let deks = self.unwrap_all(cx.keys, &services, identity.as_deref(), "copy")?;
        let source_name = s.name.clone();
        self.overwrite(&tid, services, deks, cx)?;
        let now = cx.now;
        self.env_mut(&tid)?.record("Copy", OperationStatus::Succeeded, now, Some(format!("From {source_name}")));
        self.env_view(cx.keys, &tid)
    }

    /// `pp env reset` (DB-4): data and backups gone, back to the Microsoft-managed key.
    pub(crate) fn reset(&mut self, cx: &mut Ctx<'_>, env: &str) -> Result<EnvironmentView, Error> {
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
            let dek = SecretBytes::random(cx.rng, 32);
            let wrapped = self.wrap_dek_microsoft(&dek.0, cx.rng);
            services.insert(svc, StorageService { dek: wrapped, tables: BTreeMap::new(), cached_dek: Some(dek) });
        }
        let now = cx.now;
        let e = self.env_mut(&id)?;
        e.services = services;
        e.backups.clear();
        e.encryption = EncryptionStatus::MicrosoftManaged;
        e.state = EnvironmentState::Enabled;
        e.deletion_due = None;
        e.lock = None;
        e.record(
            "Reset",
            OperationStatus::Succeeded,
            now,
            Some("Data and backups deleted; Microsoft-managed key".into()),
        );
        self.unlink_policy(&id);
        self.env_view(cx.keys, &id)
    }
}
