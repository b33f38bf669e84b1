//! What the admin center shows of an environment: `pp env show`, its history, and its backups
//! with whether each can still be restored. SPEC ENV-5, DB-1, DB-5.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::*;
use crate::error::{Error, ErrorCode};
use crate::powerplatform::{KeyAccess, PowerPlatform};
use crate::time::SimTime;
use crate::view::{
    BackupView, EnvironmentDetail, EnvironmentView, ErrorView, HistoryLine, HistoryView, LockView, OperationView,
    ServiceView,
};

impl PowerPlatform {
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
        let history: Vec<HistoryLine> = e
            .history
            .iter()
            .zip(Self::history_view(e))
            .map(|(h, entry)| HistoryLine { entry, initiated_by: h.initiated_by.clone() })
            .collect();
        // A Warning says why: the detail its last key operation recorded (ENV-4's kept flows).
        let encryption_note = (e.encryption == EncryptionStatus::Warning).then(|| {
            history
                .iter()
                .filter(|h| h.entry.operation == UPDATE_CMK && h.entry.detail.is_some() && h.entry.finished.is_some())
                .max_by(|a, b| a.entry.finished.cmp(&b.entry.finished))
                .and_then(|h| h.entry.detail.clone())
                .unwrap_or_else(|| "Some data stays encrypted with the Microsoft-managed key.".into())
        });
        Ok(EnvironmentDetail {
            summary,
            history,
            encryption_note,
            backup_list,
            lock: e.lock.as_ref().map(|l| LockView {
                at: l.at.to_iso(),
                code: l.reason.code().as_str().into(),
                message: l.reason.message().into(),
            }),
            deleted: e.deleted.map(SimTime::to_iso),
            expected_downtime_hours: downtime(e).as_seconds() / 3600,
            byok: e.byok,
            under_tenant_key: e.under_tenant_key(),
            key_group: Self::cmk_of(keys, e).map(|(vault, key)| format!("{vault}/{key}")),
        })
    }
}
