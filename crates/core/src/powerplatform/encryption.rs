//! Applying, removing and rotating customer-managed keys on environments, on the clock; the
//! hourly health check that locks environments when access is lost, and their deletion.
//! SPEC ENC-1 .. ENC-7, ROT-1 .. ROT-3, LOCK-1 .. LOCK-4, AUTH-6, AUTH-7.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::error::{internal, Error, ErrorCode};
use crate::powerplatform::environment::{
    EncryptionStatus, Environment, EnvironmentState, EnvironmentType, Lock, OperationStatus, Protector, Service,
    WrappedDek,
};
use crate::powerplatform::schedule::Event;
use crate::powerplatform::{Ctx, KeyAccess, KeyVersionInfo, PolicyInfo, PowerPlatform};
use crate::time::{SimDuration, SimTime};
use crate::view::{CandidateView, EnvironmentView, ErrorView, PendingOperation, Progress};

/// How long a new key version waits before linked environments pick it up (SPEC ROT-1: within 24 h).
pub const PICKUP_DELAY: SimDuration = SimDuration::hours(12);

/// How long each index (search, Copilot) takes to re-wrap while the environment is online.
pub const INDEX_STEP: SimDuration = SimDuration::hours(6);

pub use crate::powerplatform::environment::{Job, JobKind, REVERT_CMK, UPDATE_CMK};

pub use crate::powerplatform::environment::downtime;

/// The services each step re-wraps: step 1 (offline) the core data, then each index online.
pub(crate) fn phase_services(phase: u8) -> &'static [Service] {
    match phase {
        0 => &[Service::Dataverse, Service::Files, Service::Flows],
        1 => &[Service::Search],
        _ => &[Service::Copilot],
    }
}

/// What the health check asks Azure for an environment: its policy and the key versions that
/// wrap its data keys.
type AccessQuestion = (String, Vec<String>);

impl PowerPlatform {
    /// An environment by name or id, with no operation running (what add and remove need).
    fn idle_environment(&self, env: &str) -> Result<(String, &Environment), Error> {
        let e = self.environment(env)?;
        Self::busy(e)?;
        Ok((e.id.clone(), e))
    }

    pub(crate) fn busy(env: &Environment) -> Result<(), Error> {
        match &env.job {
            None => Ok(()),
            Some(job) => Err(Error::new(
                ErrorCode::OperationInProgress,
                format!("Environment '{}' is busy: an operation started at {} is still running (next step at {}). Wait for it to finish.", env.name, job.started.words(), job.next_step.words()),
            )),
        }
    }

    /// Whether an environment may be added to a policy, the key aside (SPEC ENC-1, ENC-5): enabled,
    /// not Trial or Teams, a Managed Environment, in the policy's region, and on no other policy
    /// (a re-run after Failed is allowed). The admin center greys the others with this reason.
    pub(crate) fn check_can_add(keys: &dyn KeyAccess, e: &Environment, p: &PolicyInfo) -> Result<(), Error> {
        if e.state != EnvironmentState::Enabled {
            return Err(Error::new(
                ErrorCode::EnvironmentDisabled,
                format!("Environment '{}' is {} and cannot change its encryption now.", e.name, e.state.as_str()),
            ));
        }
        if e.region != p.location {
            return Err(Error::new(ErrorCode::RegionMismatch, format!("Environment '{}' is in '{}' but policy '{}' is in '{}': only environments in the policy's region can be added.", e.name, e.region, p.name, p.location)));
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
        match &e.policy {
            Some(other) if *other != p.key => {
                let other_name = keys.policy(other).map(|o| o.name).unwrap_or_default();
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
        Ok(())
    }

    /// Every environment, with why it cannot be added to the policy now (busy, or `check_can_add`).
    pub(crate) fn candidates(&self, keys: &dyn KeyAccess, p: &PolicyInfo) -> Vec<CandidateView> {
        self.environments
            .values()
            .filter(|e| e.state != EnvironmentState::Deleted)
            .map(|e| CandidateView {
                id: e.id.clone(),
                name: e.name.clone(),
                env_type: e.env_type.as_str().into(),
                region: e.region.clone(),
                blocked: Self::busy(e)
                    .and_then(|()| Self::check_can_add(keys, e, p))
                    .err()
                    .map(|err| ErrorView::of(&err)),
            })
            .collect()
    }

    /// `pp policy add-environment` (Save + Confirm): SPEC ENC-1, ENC-2 (resume), ENC-5 (BYOK).
    /// The admin's roles and Reader on the policy (AUTH-2, AUTH-7) were checked by the caller.
    pub(crate) fn add_environment(
        &mut self,
        cx: &mut Ctx<'_>,
        p: &PolicyInfo,
        env: &str,
    ) -> Result<EnvironmentView, Error> {
        let (id, e) = self.idle_environment(env)?;
        Self::check_can_add(cx.keys, e, p)?;
        cx.keys.eligible(&p.key)?;
        let now = cx.now;
        let resumed = e.policy.is_some();
        // ENC-2: a re-run resumes where the failed run stopped. When the core data is already
        // under the key, only indexes are left: they re-wrap online, with no second downtime.
        let target = Target::Policy(p.key.clone());
        let first_phase = if resumed {
            (0..3u8)
                .find(|phase| !phase_services(*phase).iter().all(|svc| self.step_done(cx.keys, e, *svc, &target)))
                .unwrap_or(2)
        } else {
            0
        };
        let due = if first_phase == 0 { now.plus(downtime(e)) } else { now.plus(INDEX_STEP) };
        self.link_policy(&id, &p.key)?;
        let e = self.env_mut(&id)?;
        if first_phase == 0 {
            e.state = EnvironmentState::Disabled;
            e.encryption = EncryptionStatus::Encrypting;
        } else {
            e.encryption = EncryptionStatus::EncryptingOnline;
        }
        let name = e.name.clone();
        let detail = format!("{} policy {}", if resumed { "Resumed with" } else { "Added to" }, p.name);
        self.start_job(&id, JobKind::Apply { policy: p.key.clone() }, first_phase, (now, due), detail)?;
        if first_phase == 0 {
            cx.record(
                "EncryptionStatus",
                &id,
                format!("Environment '{name}': Encrypting (disabled until {}).", due.words()),
            );
        } else {
            cx.record(
                "EncryptionStatus",
                &id,
                format!(
                    "Environment '{name}': Encrypting - online (resumed without downtime; next step at {}).",
                    due.words()
                ),
            );
        }
        self.env_view(cx.keys, &id)
    }

    /// `pp policy remove-environment`: SPEC ENC-3.
    pub(crate) fn remove_environment(
        &mut self,
        cx: &mut Ctx<'_>,
        p: &PolicyInfo,
        env: &str,
    ) -> Result<EnvironmentView, Error> {
        let (id, e) = self.idle_environment(env)?;
        if e.policy.as_deref() != Some(p.key.as_str()) {
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
        let now = cx.now;
        let due = now.plus(downtime(e));
        let e = self.env_mut(&id)?;
        e.state = EnvironmentState::Disabled;
        e.encryption = EncryptionStatus::Reverting;
        let detail = format!("Removed from policy {}", p.name);
        self.start_job(&id, JobKind::Revert { policy: p.key.clone() }, 0, (now, due), detail)?;
        self.env_view(cx.keys, &id)
    }

    /// Starts an encryption operation on environment `id` at `now`: the job under a new id, its
    /// Running line in the history (SPEC ENV-5) and its first step on the queue at `due`.
    fn start_job(
        &mut self,
        id: &str,
        kind: JobKind,
        phase: u8,
        (now, due): (SimTime, SimTime),
        detail: String,
    ) -> Result<(), Error> {
        self.job_counter += 1;
        let job = Job { id: self.job_counter, kind, phase, started: now, next_step: due };
        let step = Event::JobStep { env: id.into(), job: job.id };
        let e = self.env_mut(id)?;
        e.record(job.operation(), OperationStatus::Running, now, Some(detail));
        e.job = Some(job);
        self.queue.push(due, step);
        Ok(())
    }

    /// Re-wraps one service's data key under `target` (records untouched: ENC-7, ROT-1).
    fn rewrap(&mut self, cx: &mut Ctx<'_>, env_id: &str, service: Service, target: &Target) -> Result<(), Error> {
        let e = self.environment(env_id)?;
        let dek = self.service_dek(cx.keys, e, service)?;
        let wrapped = match target {
            Target::Microsoft => self.wrap_dek_microsoft(&dek.0, cx.rng),
            Target::Policy(pkey) => {
                if cx.keys.policy(pkey).is_none() {
                    return Err(Error::new(ErrorCode::ResourceNotFound, "The enterprise policy no longer exists."));
                }
                let (kid, blob) = cx.keys.wrap(pkey, &dek.0, cx.rng)?;
                WrappedDek { protector: Protector::Cmk { kid }, blob }
            }
        };
        let s = self.env_mut(env_id)?.services.get_mut(&service).ok_or_else(|| internal("service missing"))?;
        s.dek = wrapped;
        s.cached_dek = Some(dek);
        Ok(())
    }

    /// Whether a service's data key is already wrapped the way `target` wants.
    pub(crate) fn under_target(
        &self,
        keys: &dyn KeyAccess,
        env: &Environment,
        service: Service,
        target: &Target,
    ) -> bool {
        let Some(s) = env.services.get(&service) else { return false };
        match (target, &s.dek.protector) {
            (Target::Microsoft, Protector::Microsoft) => true,
            (Target::Policy(pkey), Protector::Cmk { kid }) => {
                keys.current_version(pkey).is_ok_and(|current| current.kid.eq_ignore_ascii_case(kid))
            }
            _ => false,
        }
    }

    /// Whether an apply or revert step has nothing left to do for a service: it is under the
    /// target, or it is a flows store that stays with Microsoft (ENV-4).
    fn step_done(&self, keys: &dyn KeyAccess, env: &Environment, service: Service, target: &Target) -> bool {
        self.under_target(keys, env, service, target)
            || (service == Service::Flows && matches!(target, Target::Policy(_)) && has_records(env, service))
    }

    /// Where a job re-wraps to.
    pub(crate) fn job_target(&self, job: &Job) -> Target {
        match &job.kind {
            JobKind::Apply { policy } => Target::Policy(policy.clone()),
            JobKind::Revert { .. } => Target::Microsoft,
        }
    }

    /// Runs the due step of an encryption job.
    pub(crate) fn job_step(&mut self, env_id: &str, job_id: u64, cx: &mut Ctx<'_>) {
        let Ok(e) = self.environment(env_id) else { return };
        let Some(job) = e.job.clone().filter(|j| j.id == job_id) else { return };
        let target = self.job_target(&job);
        let operation = job.operation();
        let mut kept_flows = false;
        for service in phase_services(job.phase) {
            let e = match self.environment(env_id) {
                Ok(e) => e,
                Err(_) => return,
            };
            if self.under_target(cx.keys, e, *service, &target) {
                continue;
            }
            // ENV-4: flows that existed when the key was applied stay under Microsoft's key.
            if *service == Service::Flows && matches!(target, Target::Policy(_)) && has_records(e, *service) {
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
                self.rewrap(cx, env_id, *service, &target)
            };
            if let Err(err) = result {
                self.fail_job(cx, env_id, operation, *service, &err);
                return;
            }
        }
        let now = cx.now;
        let Ok(e) = self.env_mut(env_id) else { return };
        let apply = matches!(job.kind, JobKind::Apply { .. });
        if job.phase < 2 {
            let next = now.plus(INDEX_STEP);
            e.state = EnvironmentState::Enabled;
            e.encryption = if apply { EncryptionStatus::EncryptingOnline } else { EncryptionStatus::RevertingOnline };
            e.job = Some(Job { phase: job.phase + 1, next_step: next, ..job });
            let (name, status) = (e.name.clone(), e.encryption.as_str());
            let index = if job.phase == 0 { "search index" } else { "Copilot index" };
            self.queue.push(next, Event::JobStep { env: env_id.into(), job: job_id });
            cx.record(
                "EncryptionStatus",
                env_id,
                format!("Environment '{name}': {status} (online; {index} next, at {}).", next.words()),
            );
            return;
        }
        e.job = None;
        e.state = EnvironmentState::Enabled;
        let flows_on_microsoft = e
            .services
            .get(&Service::Flows)
            .is_some_and(|s| s.dek.protector == Protector::Microsoft && s.tables.values().any(|t| t.rows() > 0));
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
        cx.record("EncryptionStatus", env_id, format!("Environment '{name}': {operation} finished: {status}."));
    }

    fn fail_job(&mut self, cx: &mut Ctx<'_>, env_id: &str, operation: &str, service: Service, err: &Error) {
        let now = cx.now;
        let Ok(e) = self.env_mut(env_id) else { return };
        e.job = None;
        e.state = EnvironmentState::Enabled;
        e.encryption = EncryptionStatus::Failed;
        e.fail_next.retain(|s| *s != service);
        e.finish(operation, OperationStatus::Failed, now, Some(format!("{}: {}", service.label(), err.message())));
        let name = e.name.clone();
        cx.record(
            "EncryptionFailed",
            env_id,
            format!("Environment '{name}': {operation} failed at {}: {err}", service.label()),
        );
    }

    /// Can the environment's services still reach every key that protects them? (LOCK-1, ROT-2)
    pub(crate) fn env_key_access(keys: &dyn KeyAccess, env: &Environment) -> Result<(), Error> {
        let Some(pkey) = &env.policy else { return Ok(()) };
        let p = keys
            .policy(pkey)
            .ok_or_else(|| Error::new(ErrorCode::ResourceNotFound, "The enterprise policy was deleted."))?;
        keys.current_version(pkey)?;
        for s in env.services.values() {
            if let Protector::Cmk { kid } = &s.dek.protector {
                keys.check(&p.identity, kid)?;
            }
        }
        Ok(())
    }

    /// The hourly health check (SPEC LOCK-1, ROT-1, ROT-3, DB-1): locks environments whose key
    /// is out of reach — also in the middle of an operation —, picks up new key versions, warns
    /// ahead of expiry, takes daily backups.
    pub(crate) fn health_check(&mut self, cx: &mut Ctx<'_>) {
        self.last_health_check = Some(cx.now);
        let now = cx.now;
        let ids: Vec<String> = self.environments.keys().cloned().collect();
        // Environments of one policy whose data keys are wrapped by the same versions get the
        // same answer: Azure does not change during the check, so each is asked once.
        let mut asked: Vec<(AccessQuestion, Result<(), Error>)> = Vec::new();
        // Likewise each policy's current version, which pick-ups compare with (one RBAC check
        // and key lookup per policy, not per environment).
        let mut currents: Vec<(String, Option<KeyVersionInfo>)> = Vec::new();
        for id in ids {
            let Ok(e) = self.environment(&id) else { continue };
            let running = matches!(e.state, EnvironmentState::Enabled | EnvironmentState::Disabled);
            if running && e.policy.is_some() {
                let kids = e
                    .services
                    .values()
                    .filter_map(|s| match &s.dek.protector {
                        Protector::Cmk { kid } => Some(kid.clone()),
                        _ => None,
                    })
                    .collect();
                let question = (e.policy.clone().unwrap_or_default(), kids);
                let access = asked_once(&mut asked, question, || Self::env_key_access(cx.keys, e));
                match access {
                    Err(reason) => self.lock(cx, &id, &reason),
                    Ok(()) if e.job.is_none() && e.state == EnvironmentState::Enabled => {
                        let pkey = e.policy.clone().unwrap_or_default();
                        let current = asked_once(&mut currents, pkey.clone(), || cx.keys.current_version(&pkey).ok());
                        if let Some(current) = current {
                            self.pick_up_rotation(cx, &id, current);
                        }
                    }
                    Ok(()) => {}
                }
            }
            let Ok(e) = self.environment(&id) else { continue };
            let backup_due = e.state == EnvironmentState::Enabled
                && e.last_system_backup.is_none_or(|t| now >= t.plus(SimDuration::days(1)));
            let retention = SimDuration::days(e.env_type.backup_retention_days());
            if backup_due {
                let _ = self.take_backup(&id, None, cx);
            }
            if let Ok(e) = self.env_mut(&id) {
                e.backups.retain(|b| !b.system || now < b.taken.plus(retention));
            }
        }
        self.warn_expiry(cx);
    }

    /// LOCK-1: "Environment disabled". An operation in progress stops there, Failed; re-running
    /// it after the key is back resumes it (ENC-2).
    fn lock(&mut self, cx: &mut Ctx<'_>, env_id: &str, reason: &Error) {
        let now = cx.now;
        let Ok(e) = self.env_mut(env_id) else { return };
        let due = now.plus(SimDuration::days(e.env_type.locked_grace_days()));
        if let Some(job) = e.job.take() {
            e.encryption = EncryptionStatus::Failed;
            e.finish(
                job.operation(),
                OperationStatus::Failed,
                now,
                Some(format!("Key access lost: {}", reason.message())),
            );
        }
        e.state = EnvironmentState::Locked;
        e.deletion_due = Some(due);
        e.lock = Some(Lock { at: now, reason: reason.clone() });
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
        self.queue.push(due, Event::DeleteEnvironment { env: env_id.into() });
        cx.record("EnvironmentLocked", env_id, format!("Environment '{name}' locked ({}): deleted with its data at {} ({days} days) unless access is restored and it is re-enabled.", reason.code(), due.words()));
    }

    /// ROT-1: re-wrap with the policy's new current version, no downtime, records untouched.
    /// `current` is the version the environment's policy wraps with now.
    fn pick_up_rotation(&mut self, cx: &mut Ctx<'_>, env_id: &str, current: KeyVersionInfo) {
        let Ok(e) = self.environment(env_id) else { return };
        let Some(pkey) = e.policy.clone() else { return };
        if !matches!(e.encryption, EncryptionStatus::Encrypted | EncryptionStatus::Warning) {
            return;
        }
        if cx.now < current.created.plus(PICKUP_DELAY) {
            return;
        }
        let current_kid = current.kid;
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
            if let Err(err) = self.rewrap(cx, env_id, *service, &target) {
                cx.record("RotationPickupFailed", env_id, format!("Picking up {current_kid} failed: {err}"));
                return;
            }
        }
        let now = cx.now;
        if let Ok(e) = self.env_mut(env_id) {
            e.record("Key rotation", OperationStatus::Succeeded, now, Some(format!("Now protected by {current_kid}")));
            let name = e.name.clone();
            cx.record(
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
    fn warn_expiry(&mut self, cx: &mut Ctx<'_>) {
        let now = cx.now;
        let mut warnings = Vec::new();
        for (pkey, link) in &self.links {
            if link.environments.is_empty() {
                continue;
            }
            if let Ok(current) = cx.keys.current_version(pkey) {
                if let Some(exp) = current.expires {
                    let version = current.kid.rsplit('/').next().unwrap_or_default();
                    for days in [7u64, 1] {
                        let at = SimTime::from_unix(exp.unix().saturating_sub(days * 86_400));
                        let mark = format!("{version}:{days}");
                        if now >= at && now < exp && !link.expiry_warnings.contains(&mark) {
                            warnings.push((pkey.clone(), mark, current.kid.clone(), exp, link.environments.len()));
                        }
                    }
                }
            }
        }
        for (pkey, mark, kid, exp, n) in warnings {
            if let Some(link) = self.links.get_mut(&pkey) {
                link.expiry_warnings.push(mark);
            }
            cx.record("KeyExpiresSoon", &kid, format!("The key protecting {n} environment(s) expires at {}: every one of them goes down then. Extend the expiry or rotate.", exp.words()));
        }
    }

    /// `pp env re-enable` (SPEC LOCK-2): only once access is back.
    pub(crate) fn re_enable(&mut self, cx: &mut Ctx<'_>, env: &str) -> Result<EnvironmentView, Error> {
        let id = self.env_key(env)?;
        let e = self.environment(&id)?;
        if e.state != EnvironmentState::Locked {
            return Err(Error::new(
                ErrorCode::Conflict,
                format!("Environment '{}' is {}, not locked.", e.name, e.state.as_str()),
            ));
        }
        Self::env_key_access(cx.keys, e).map_err(|reason| {
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
        let identity = Self::env_identity(cx.keys, e);
        let mut deks = Vec::new();
        for (svc, s) in &e.services {
            deks.push((*svc, self.unwrap_dek(cx.keys, &s.dek, identity.as_deref())?));
        }
        let now = cx.now;
        let e = self.env_mut(&id)?;
        for (svc, dek) in deks {
            if let Some(s) = e.services.get_mut(&svc) {
                s.cached_dek = Some(dek);
            }
        }
        e.state = EnvironmentState::Enabled;
        e.deletion_due = None;
        e.lock = None;
        e.record("Environment enabled", OperationStatus::Succeeded, now, Some("Key access restored".into()));
        self.env_view(cx.keys, &id)
    }

    /// LOCK-3: a locked environment not re-enabled in time is deleted with all its data.
    pub(crate) fn delete_locked(&mut self, env_id: &str, at: SimTime, cx: &mut Ctx<'_>) {
        let now = cx.now;
        let Ok(e) = self.env_mut(env_id) else { return };
        if e.state != EnvironmentState::Locked || e.deletion_due != Some(at) {
            return;
        }
        e.state = EnvironmentState::Deleted;
        e.deleted = Some(now);
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
        cx.record(
            "EnvironmentDeleted",
            env_id,
            format!("Environment '{name}' stayed locked past its deadline and was deleted with all its data."),
        );
    }
}

fn has_records(env: &Environment, service: Service) -> bool {
    env.services.get(&service).is_some_and(|s| s.tables.values().any(|t| t.rows() > 0))
}

/// Where a re-wrap goes.
#[derive(Clone, Debug)]
pub(crate) enum Target {
    Microsoft,
    Policy(String),
}

impl PowerPlatform {
    /// What is waiting: operations in progress (with their progress), then deletions.
    pub(crate) fn pending(&self, keys: &dyn KeyAccess) -> Vec<PendingOperation> {
        let mut list: Vec<PendingOperation> = self
            .environments
            .values()
            .filter_map(|e| e.job.as_ref().map(|j| (e, j)))
            .map(|(e, j)| {
                let target = self.job_target(j);
                let done: Vec<String> = e
                    .services
                    .keys()
                    .filter(|svc| self.under_target(keys, e, **svc, &target))
                    .map(|svc| String::from(svc.as_str()))
                    .collect();
                let running: Vec<String> = phase_services(j.phase)
                    .iter()
                    .filter(|svc| !done.iter().any(|d| d == svc.as_str()))
                    .map(|svc| String::from(svc.as_str()))
                    .collect();
                // Step 1 ends when the environment is back online; steps 2 and 3 take INDEX_STEP each.
                let step = INDEX_STEP.as_seconds();
                let online_at = SimTime::from_unix(j.next_step.unix().saturating_sub(step * u64::from(j.phase)));
                let eta = j.next_step.plus(SimDuration::seconds(step * u64::from(2u8.saturating_sub(j.phase))));
                PendingOperation {
                    at: j.next_step.to_iso(),
                    what: format!("{} on '{}' (step {})", j.operation(), e.name, j.phase + 1),
                    kind: "EncryptionStep".into(),
                    target: e.id.clone(),
                    progress: Some(Progress {
                        operation: j.operation().into(),
                        step: j.phase + 1,
                        steps: 3,
                        started: j.started.to_iso(),
                        done,
                        running,
                        online_at: online_at.to_iso(),
                        eta: eta.to_iso(),
                    }),
                }
            })
            .collect();
        for s in self.queue.iter() {
            let Event::DeleteEnvironment { env } = &s.event else { continue };
            // Only a deadline still standing: a re-enabled or reset environment has none.
            let standing = self
                .environments
                .get(env)
                .is_some_and(|e| e.state == EnvironmentState::Locked && e.deletion_due == Some(s.at));
            if standing {
                list.push(PendingOperation {
                    at: s.at.to_iso(),
                    what: format!(
                        "Deletion of locked environment '{}'",
                        self.environments.get(env).map(|e| e.name.as_str()).unwrap_or(env)
                    ),
                    kind: "DeleteEnvironment".into(),
                    target: env.clone(),
                    progress: None,
                });
            }
        }
        list
    }
}

/// The answer given before to `question`, or `ask`'s, kept for whoever asks it next.
fn asked_once<Q: PartialEq, A: Clone>(answers: &mut Vec<(Q, A)>, question: Q, ask: impl FnOnce() -> A) -> A {
    if let Some((_, answer)) = answers.iter().find(|(q, _)| *q == question) {
        return answer.clone();
    }
    let answer = ask();
    answers.push((question, answer.clone()));
    answer
}
