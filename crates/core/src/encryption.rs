//! Applying, removing and rotating customer-managed keys on environments, on the clock; the
//! hourly health check that locks environments when access is lost, and their deletion.
//! SPEC ENC-1 .. ENC-7, ROT-1 .. ROT-3, LOCK-1 .. LOCK-4, AUTH-6, AUTH-7.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use rand_core::CryptoRngCore;
use serde::{Deserialize, Serialize};

use crate::environment::{
    EncryptionStatus, Environment, EnvironmentState, EnvironmentType, OperationStatus, Protector, Service, WrappedDek,
};
use crate::error::{Error, ErrorCode};
use crate::schedule::Event;
use crate::time::{SimDuration, SimTime};
use crate::world::{internal, World};

pub const UPDATE_CMK: &str = "Update Customer Managed Key";
pub const REVERT_CMK: &str = "Revert to Microsoft Managed Key";

/// How long a new key version waits before linked environments pick it up (SPEC ROT-1: within 24 h).
pub const PICKUP_DELAY: SimDuration = SimDuration::hours(12);
/// How long each index (search, Copilot) takes to re-wrap while the environment is online.
pub const INDEX_STEP: SimDuration = SimDuration::hours(6);

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
    pub fn describe(&self) -> serde_json::Value {
        let what = match self.kind {
            JobKind::Apply { .. } => UPDATE_CMK,
            JobKind::Revert { .. } => REVERT_CMK,
        };
        serde_json::json!({ "operation": what, "phase": self.phase, "started": self.started.to_iso(), "nextStep": self.next_step.to_iso() })
    }
}

/// ENC-1: downtime grows with the size of the database: 1 hour plus 1 hour per 20,000 rows, at most 48 hours.
pub fn downtime(env: &Environment) -> SimDuration {
    let hours = 1 + (env.total_rows() as u64) / 20_000;
    SimDuration::hours(hours.min(48))
}

fn phase_services(phase: u8) -> &'static [Service] {
    match phase {
        0 => &[Service::Dataverse, Service::Files, Service::Flows],
        1 => &[Service::Search],
        _ => &[Service::Copilot],
    }
}

impl World {
    fn policy_key_id(&self, name_or_id: &str) -> Result<String, Error> {
        self.find_policy(name_or_id).map(|p| p.id().to_ascii_lowercase()).ok_or_else(|| {
            Error::new(ErrorCode::ResourceNotFound, format!("There is no enterprise policy '{name_or_id}'."))
        })
    }

    /// What add and remove both check first: an admin-center role, Reader on the policy
    /// (SPEC AUTH-2, AUTH-7), and an environment that is not busy. Returns the policy's key in
    /// `policies`, the policy, and the environment id.
    fn policy_and_environment(
        &self,
        actor: &str,
        policy: &str,
        env: &str,
    ) -> Result<(String, crate::policy::EnterprisePolicy, String), Error> {
        self.require_pp_admin(actor)?;
        let pkey = self.policy_key_id(policy)?;
        let p = self.policies.get(&pkey).ok_or_else(|| internal("policy vanished"))?.clone();
        self.authorize(actor, "Microsoft.PowerPlatform/enterprisePolicies/read", &p.id())?;
        let id = self.env_key(env)?;
        Self::busy(self.environment(&id)?)?;
        Ok((pkey, p, id))
    }

    pub(crate) fn busy(env: &Environment) -> Result<(), Error> {
        match &env.job {
            None => Ok(()),
            Some(job) => Err(Error::new(
                ErrorCode::OperationInProgress,
                format!("Environment '{}' is busy: an operation started at {} is still running (next step at {}). Wait for it to finish.", env.name, job.started, job.next_step),
            )),
        }
    }

    /// `pp policy add-environment` (Save + Confirm): SPEC ENC-1, ENC-2 (resume), ENC-5 (BYOK).
    pub(crate) fn add_environment(&mut self, actor: &str, policy: &str, env: &str) -> Result<serde_json::Value, Error> {
        let (pkey, p, id) = self.policy_and_environment(actor, policy, env)?;
        let e = self.environment(&id)?;
        if e.state != EnvironmentState::Enabled {
            return Err(Error::new(
                ErrorCode::EnvironmentDisabled,
                format!("Environment '{}' is {} and cannot change its encryption now.", e.name, e.state.as_str()),
            ));
        }
        if matches!(e.env_type, EnvironmentType::Trial | EnvironmentType::Teams) {
            return Err(Error::new(
                ErrorCode::EnvironmentNotEligible,
                format!("{} environments cannot use a customer-managed key ('{}').", e.env_type.as_str(), e.name),
            ));
        }
        if !e.managed {
            return Err(Error::new(
                ErrorCode::EnvironmentNotEligible,
                format!("Environment '{}' is not a Managed Environment: enable Managed Environments first.", e.name),
            ));
        }
        if e.region != p.location {
            return Err(Error::new(ErrorCode::RegionMismatch, format!("Environment '{}' is in '{}' but policy '{}' is in '{}': only environments in the policy's region can be added.", e.name, e.region, p.name, p.location)));
        }
        match &e.policy {
            Some(other) if *other != pkey => {
                let other_name = self.policies.get(other).map(|o| o.name.clone()).unwrap_or_default();
                return Err(Error::new(ErrorCode::Conflict, format!("Environment '{}' uses policy '{other_name}'. Remove it from that policy first (the key change takes two steps).", e.name)));
            }
            Some(_) if e.encryption != EncryptionStatus::Failed => {
                return Err(Error::new(
                    ErrorCode::Conflict,
                    format!("Environment '{}' is already in policy '{}'.", e.name, p.name),
                ));
            }
            _ => {}
        }
        self.policy_cmk_eligibility(&p)?;
        let now = self.now;
        let resumed = e.policy.is_some();
        let due = now.plus(downtime(e));
        let job_id = self.next_job_id();
        let e = self.env_mut(&id)?;
        e.policy = Some(pkey.clone());
        e.state = EnvironmentState::Disabled;
        e.encryption = EncryptionStatus::Encrypting;
        e.job = Some(Job {
            id: job_id,
            kind: JobKind::Apply { policy: pkey.clone() },
            phase: 0,
            started: now,
            next_step: due,
        });
        e.record(
            UPDATE_CMK,
            OperationStatus::Running,
            now,
            Some(format!("{} policy {}", if resumed { "Resumed with" } else { "Added to" }, p.name)),
        );
        let env_id = e.id.clone();
        let linked = &mut self.policies.get_mut(&pkey).ok_or_else(|| internal("policy vanished"))?.linked_environments;
        if !linked.contains(&env_id) {
            linked.push(env_id.clone());
        }
        self.schedule(due, Event::JobStep { env: env_id.clone(), job: job_id });
        let name = self.environment(&env_id)?.name.clone();
        self.record("EncryptionStatus", &env_id, format!("Environment '{name}': Encrypting (disabled until {due})."));
        self.env_view(&env_id)
    }

    /// `pp policy remove-environment`: SPEC ENC-3.
    pub(crate) fn remove_environment(
        &mut self,
        actor: &str,
        policy: &str,
        env: &str,
    ) -> Result<serde_json::Value, Error> {
        let (pkey, p, id) = self.policy_and_environment(actor, policy, env)?;
        let e = self.environment(&id)?;
        if e.policy.as_deref() != Some(pkey.as_str()) {
            return Err(Error::new(
                ErrorCode::Conflict,
                format!("Environment '{}' is not in policy '{}'.", e.name, p.name),
            ));
        }
        if e.state != EnvironmentState::Enabled {
            return Err(Error::new(
                ErrorCode::EnvironmentDisabled,
                format!("Environment '{}' is {}: restore key access and re-enable it first.", e.name, e.state.as_str()),
            ));
        }
        let now = self.now;
        let due = now.plus(downtime(e));
        let job_id = self.next_job_id();
        let e = self.env_mut(&id)?;
        e.state = EnvironmentState::Disabled;
        e.encryption = EncryptionStatus::Reverting;
        e.job =
            Some(Job { id: job_id, kind: JobKind::Revert { policy: pkey }, phase: 0, started: now, next_step: due });
        e.record(REVERT_CMK, OperationStatus::Running, now, Some(format!("Removed from policy {}", p.name)));
        self.schedule(due, Event::JobStep { env: id.clone(), job: job_id });
        self.env_view(&id)
    }

    fn next_job_id(&mut self) -> u64 {
        self.job_counter += 1;
        self.job_counter
    }

    /// Re-wraps one service's data key under `target` (records untouched: ENC-7, ROT-1).
    fn rewrap(
        &mut self,
        env_id: &str,
        service: Service,
        target: &Target,
        rng: &mut dyn CryptoRngCore,
    ) -> Result<(), Error> {
        let e = self.environment(env_id)?;
        let dek = self.service_dek(e, service)?;
        let wrapped = match target {
            Target::Microsoft => self.wrap_dek_microsoft(&dek.0, rng),
            Target::Policy(pkey) => {
                let p = self
                    .policies
                    .get(pkey)
                    .ok_or_else(|| Error::new(ErrorCode::ResourceNotFound, "The enterprise policy no longer exists."))?
                    .clone();
                let (kid, blob) = self.service_wrap(&p, &dek.0, rng)?;
                WrappedDek { protector: Protector::Cmk { kid }, blob }
            }
        };
        let s = self.env_mut(env_id)?.services.get_mut(&service).ok_or_else(|| internal("service missing"))?;
        s.dek = wrapped;
        s.cached_dek = Some(dek);
        Ok(())
    }

    fn under_target(&self, env: &Environment, service: Service, target: &Target) -> bool {
        let Some(s) = env.services.get(&service) else { return false };
        match (target, &s.dek.protector) {
            (Target::Microsoft, Protector::Microsoft) => true,
            (Target::Policy(pkey), Protector::Cmk { kid }) => self
                .policies
                .get(pkey)
                .and_then(|p| self.policy_key(p).ok().map(|(v, k, kv)| v.kid(&k.name, &kv.version)))
                .is_some_and(|current| current.eq_ignore_ascii_case(kid)),
            _ => false,
        }
    }

    /// Runs the due step of an encryption job.
    pub(crate) fn job_step(&mut self, env_id: &str, job_id: u64, rng: &mut dyn CryptoRngCore) {
        let Ok(e) = self.environment(env_id) else { return };
        let Some(job) = e.job.clone().filter(|j| j.id == job_id) else { return };
        let (target, operation) = match &job.kind {
            JobKind::Apply { policy } => (Target::Policy(policy.clone()), UPDATE_CMK),
            JobKind::Revert { .. } => (Target::Microsoft, REVERT_CMK),
        };
        let mut kept_flows = false;
        for service in phase_services(job.phase) {
            let e = match self.environment(env_id) {
                Ok(e) => e,
                Err(_) => return,
            };
            if self.under_target(e, *service, &target) {
                continue;
            }
            // ENV-4: flows that existed when the key was applied stay under Microsoft's key.
            let has_flows = e.services.get(service).is_some_and(|s| s.tables.values().any(|t| !t.records.is_empty()));
            if *service == Service::Flows && matches!(target, Target::Policy(_)) && has_flows {
                kept_flows = true;
                continue;
            }
            let injected = e.fail_next.contains(service);
            let result = if injected {
                Err(Error::new(
                    ErrorCode::EncryptionStepFailed,
                    format!("The {} step failed (injected with sim fail).", service.label()),
                ))
            } else {
                self.rewrap(env_id, *service, &target, rng)
            };
            if let Err(err) = result {
                self.fail_job(env_id, operation, *service, &err);
                return;
            }
        }
        let now = self.now;
        let Ok(e) = self.env_mut(env_id) else { return };
        let apply = matches!(job.kind, JobKind::Apply { .. });
        if job.phase < 2 {
            let next = now.plus(INDEX_STEP);
            e.state = EnvironmentState::Enabled;
            e.encryption = if apply { EncryptionStatus::EncryptingOnline } else { EncryptionStatus::RevertingOnline };
            e.job = Some(Job { phase: job.phase + 1, next_step: next, ..job });
            let (name, status) = (e.name.clone(), e.encryption.as_str());
            let index = if job.phase == 0 { "search index" } else { "Copilot index" };
            self.schedule(next, Event::JobStep { env: env_id.into(), job: job_id });
            self.record(
                "EncryptionStatus",
                env_id,
                format!("Environment '{name}': {status} (online; {index} next, at {next})."),
            );
            return;
        }
        e.job = None;
        e.state = EnvironmentState::Enabled;
        let flows_on_microsoft = e.services.get(&Service::Flows).is_some_and(|s| {
            s.dek.protector == Protector::Microsoft && s.tables.values().any(|t| !t.records.is_empty())
        });
        let name = e.name.clone();
        if apply {
            e.encryption =
                if flows_on_microsoft || kept_flows { EncryptionStatus::Warning } else { EncryptionStatus::Encrypted };
            let detail = (e.encryption == EncryptionStatus::Warning)
                .then(|| String::from("Existing Power Automate flows stay encrypted with the Microsoft-managed key."));
            e.finish(UPDATE_CMK, OperationStatus::Succeeded, now, detail);
        } else {
            e.encryption = EncryptionStatus::MicrosoftManaged;
            e.finish(REVERT_CMK, OperationStatus::Succeeded, now, None);
            self.unlink_policy(env_id);
        }
        let status = self.environment(env_id).map(|e| e.encryption.as_str()).unwrap_or_default();
        self.record("EncryptionStatus", env_id, format!("Environment '{name}': {operation} finished: {status}."));
    }

    fn fail_job(&mut self, env_id: &str, operation: &str, service: Service, err: &Error) {
        let now = self.now;
        let Ok(e) = self.env_mut(env_id) else { return };
        e.job = None;
        e.state = EnvironmentState::Enabled;
        e.encryption = EncryptionStatus::Failed;
        e.fail_next.retain(|s| *s != service);
        e.finish(operation, OperationStatus::Failed, now, Some(format!("{}: {}", service.label(), err.message())));
        let name = e.name.clone();
        self.record(
            "EncryptionFailed",
            env_id,
            format!("Environment '{name}': {operation} failed at {}: {err}", service.label()),
        );
    }

    /// Can the environment's services still reach every key that protects them? (LOCK-1, ROT-2)
    pub(crate) fn env_key_access(&self, env: &Environment) -> Result<(), Error> {
        let Some(pkey) = &env.policy else { return Ok(()) };
        let p = self
            .policies
            .get(pkey)
            .ok_or_else(|| Error::new(ErrorCode::ResourceNotFound, "The enterprise policy was deleted."))?;
        self.policy_key(p)?;
        for s in env.services.values() {
            if let Protector::Cmk { kid } = &s.dek.protector {
                self.service_can_unwrap(&p.principal_id, kid)?;
            }
        }
        Ok(())
    }

    /// The hourly health check (SPEC LOCK-1, ROT-1, ROT-3, DB-1): locks environments whose key
    /// is out of reach, picks up new key versions, warns ahead of expiry, takes daily backups.
    pub(crate) fn health_check(&mut self, rng: &mut dyn CryptoRngCore) {
        self.last_health_check = Some(self.now);
        let now = self.now;
        let ids: Vec<String> = self.environments.keys().cloned().collect();
        for id in ids {
            let Ok(e) = self.environment(&id) else { continue };
            if e.state == EnvironmentState::Enabled && e.policy.is_some() && e.job.is_none() {
                match self.env_key_access(e) {
                    Err(reason) => self.lock(&id, &reason),
                    Ok(()) => self.pick_up_rotation(&id, rng),
                }
            }
            let Ok(e) = self.environment(&id) else { continue };
            let backup_due = e.state == EnvironmentState::Enabled
                && e.last_system_backup.is_none_or(|t| now >= t.plus(SimDuration::days(1)));
            let retention = SimDuration::days(e.env_type.backup_retention_days());
            if backup_due {
                let _ = self.take_backup(&id, None, rng);
            }
            if let Ok(e) = self.env_mut(&id) {
                e.backups.retain(|b| !b.system || now < b.taken.plus(retention));
            }
        }
        self.warn_expiry();
    }

    fn lock(&mut self, env_id: &str, reason: &Error) {
        let now = self.now;
        let Ok(e) = self.env_mut(env_id) else { return };
        let due = now.plus(SimDuration::days(e.env_type.locked_grace_days()));
        e.state = EnvironmentState::Locked;
        e.deletion_due = Some(due);
        for s in e.services.values_mut() {
            s.cached_dek = None;
        }
        e.record(
            "Environment disabled",
            OperationStatus::Succeeded,
            now,
            Some(format!("Locked: {}", reason.message())),
        );
        let name = e.name.clone();
        let days = e.env_type.locked_grace_days();
        self.schedule(due, Event::DeleteEnvironment { env: env_id.into() });
        self.record("EnvironmentLocked", env_id, format!("Environment '{name}' locked ({}): deleted with its data at {due} ({days} days) unless access is restored and it is re-enabled.", reason.code()));
    }

    /// ROT-1: re-wrap with the policy's new current version, no downtime, records untouched.
    fn pick_up_rotation(&mut self, env_id: &str, rng: &mut dyn CryptoRngCore) {
        let Ok(e) = self.environment(env_id) else { return };
        let Some(pkey) = e.policy.clone() else { return };
        if !matches!(e.encryption, EncryptionStatus::Encrypted | EncryptionStatus::Warning) {
            return;
        }
        let Some((current_kid, created)) = self
            .policies
            .get(&pkey)
            .and_then(|p| self.policy_key(p).ok())
            .map(|(v, k, kv)| (v.kid(&k.name, &kv.version), kv.created))
        else {
            return;
        };
        if self.now < created.plus(PICKUP_DELAY) {
            return;
        }
        let stale: Vec<Service> = e
            .services
            .iter()
            .filter(
                |(_, s)| matches!(&s.dek.protector, Protector::Cmk { kid } if !kid.eq_ignore_ascii_case(&current_kid)),
            )
            .map(|(svc, _)| *svc)
            .collect();
        if stale.is_empty() {
            return;
        }
        let target = Target::Policy(pkey);
        for service in &stale {
            if let Err(err) = self.rewrap(env_id, *service, &target, rng) {
                self.record("RotationPickupFailed", env_id, format!("Picking up {current_kid} failed: {err}"));
                return;
            }
        }
        let now = self.now;
        if let Ok(e) = self.env_mut(env_id) {
            e.record("Key rotation", OperationStatus::Succeeded, now, Some(format!("Now protected by {current_kid}")));
            let name = e.name.clone();
            self.record(
                "KeyVersionPickedUp",
                env_id,
                format!(
                    "Environment '{name}' re-wrapped {} data key(s) with {current_kid}, without downtime.",
                    stale.len()
                ),
            );
        }
    }

    /// ROT-3: warn 7 days and 1 day before the key that protects environments expires.
    fn warn_expiry(&mut self) {
        let now = self.now;
        let mut warnings = Vec::new();
        for (pkey, p) in &self.policies {
            if p.linked_environments.is_empty() {
                continue;
            }
            if let Ok((v, k, kv)) = self.policy_key(p) {
                if let Some(exp) = kv.expires {
                    for days in [7u64, 1] {
                        let at = SimTime::from_unix(exp.unix().saturating_sub(days * 86_400));
                        let mark = format!("{}:{days}", kv.version);
                        if now >= at && now < exp && !p.expiry_warnings.contains(&mark) {
                            warnings.push((
                                pkey.clone(),
                                mark,
                                v.kid(&k.name, &kv.version),
                                exp,
                                p.linked_environments.len(),
                            ));
                        }
                    }
                }
            }
        }
        for (pkey, mark, kid, exp, n) in warnings {
            if let Some(p) = self.policies.get_mut(&pkey) {
                p.expiry_warnings.push(mark);
            }
            self.record("KeyExpiresSoon", &kid, format!("The key protecting {n} environment(s) expires at {exp}: every one of them goes down then. Extend the expiry or rotate."));
        }
    }

    /// `pp env re-enable` (SPEC LOCK-2): only once access is back.
    pub(crate) fn re_enable(&mut self, actor: &str, env: &str) -> Result<serde_json::Value, Error> {
        self.require_pp_admin(actor)?;
        let id = self.env_key(env)?;
        let e = self.environment(&id)?;
        if e.state != EnvironmentState::Locked {
            return Err(Error::new(
                ErrorCode::Conflict,
                format!("Environment '{}' is {}, not locked.", e.name, e.state.as_str()),
            ));
        }
        self.env_key_access(e).map_err(|reason| {
            Error::new(
                ErrorCode::KeyAccessLost,
                format!(
                    "Environment '{}' stays locked: {} Restore the key and the policy's access first.",
                    e.name,
                    reason.message()
                ),
            )
        })?;
        // Warm the services' memory again, through the key.
        let identity = self.env_identity(e);
        let mut deks = Vec::new();
        for (svc, s) in &e.services {
            deks.push((*svc, self.unwrap_dek(&s.dek, identity.as_deref())?));
        }
        let now = self.now;
        let e = self.env_mut(&id)?;
        for (svc, dek) in deks {
            if let Some(s) = e.services.get_mut(&svc) {
                s.cached_dek = Some(dek);
            }
        }
        e.state = EnvironmentState::Enabled;
        e.deletion_due = None;
        e.record("Environment enabled", OperationStatus::Succeeded, now, Some("Key access restored".into()));
        self.env_view(&id)
    }

    /// LOCK-3: a locked environment not re-enabled in time is deleted with all its data.
    pub(crate) fn delete_locked(&mut self, env_id: &str, at: SimTime) {
        let now = self.now;
        let Ok(e) = self.env_mut(env_id) else { return };
        if e.state != EnvironmentState::Locked || e.deletion_due != Some(at) {
            return;
        }
        e.state = EnvironmentState::Deleted;
        e.services.clear();
        e.backups.clear();
        e.job = None;
        e.record(
            "Delete environment",
            OperationStatus::Succeeded,
            now,
            Some("Locked too long: deleted with its data and backups".into()),
        );
        let name = e.name.clone();
        self.unlink_policy(env_id);
        self.record(
            "EnvironmentDeleted",
            env_id,
            format!("Environment '{name}' stayed locked past its deadline and was deleted with all its data."),
        );
    }

    /// Whether an operation (not a periodic check) is in progress: what `sim clock run` waits for.
    pub fn operations_in_progress(&self) -> usize {
        self.environments.values().filter(|e| e.job.is_some()).count()
    }
}

/// Where a re-wrap goes.
#[derive(Clone, Debug)]
pub(crate) enum Target {
    Microsoft,
    Policy(String),
}
