//! The world: both clouds and the clock behind one door. [`World::execute`] checks who acts
//! and dispatches each command to the side that owns it; [`World::advance`] runs what falls
//! due on either side in time order; [`World::view`] projects what the signed-in persona sees.
//! The Power Platform side gets at keys only through [`PolicyIdentity`], the world's bridge
//! from [`KeyAccess`] to Key Vault's trusted-service path.

mod hierarchy;

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use rand_core::CryptoRngCore;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::azure::directory::{EntraRole, User};
use crate::azure::policy::EnterprisePolicy;
use crate::azure::schedule::KeyDue;
use crate::azure::Azure;
use crate::command::Command;
use crate::error::{Error, ErrorCode};
use crate::powerplatform::environment::{Protector, Service};
use crate::powerplatform::{Ctx, KeyAccess, KeyVersionInfo, PolicyInfo, PowerPlatform};
use crate::sim::Log;
use crate::time::{SimDuration, SimTime};
use crate::view::*;

/// The simulated cloud. Same commands, times and RNG ⇒ same world, byte for byte.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct World {
    pub(crate) now: SimTime,
    pub(crate) azure: Azure,
    #[serde(rename = "powerPlatform")]
    pub(crate) pp: PowerPlatform,
    /// What happened on its own: rotations, expiry notices, purges, locks (oldest first).
    pub(crate) log: Log,
    /// Counts changes, so hosts save only when something changed. Not saved.
    #[serde(skip)]
    revision: u64,
}

/// Two worlds are equal when their state is: the revision counts a host's changes, not state.
impl PartialEq for World {
    fn eq(&self, other: &Self) -> bool {
        self.now == other.now && self.azure == other.azure && self.pp == other.pp && self.log == other.log
    }
}

impl Eq for World {}

impl Default for World {
    fn default() -> Self {
        Self::new()
    }
}

/// A bound on events in one advance, so a bug can never hang the page.
const MAX_EVENTS_PER_ADVANCE: usize = 100_000;

/// How far `sim clock run` (Run until idle) moves the clock at most.
pub const RUN_CLOCK_LIMIT: SimDuration = SimDuration::days(30);

/// What falls due next, on either side.
#[derive(Debug)]
enum Due {
    AzureQueued(usize),
    PowerPlatformQueued(usize),
    HealthCheck,
    Key(KeyDue),
}

impl World {
    /// A copy of the world with no environments (what the store's meta part holds).
    pub(crate) fn without_environments(&self) -> World {
        World {
            now: self.now,
            azure: self.azure.clone(),
            pp: self.pp.without_environments(),
            log: self.log.clone(),
            revision: self.revision,
        }
    }

    /// A new world at 2026-01-01T00:00:00Z: tenant contoso, one subscription, the four personas,
    /// Gus, Kai and Mallory Owners of the subscription, signed in as Gus.
    pub fn new() -> Self {
        Self {
            now: SimTime::GENESIS,
            azure: Azure::new(),
            pp: PowerPlatform::default(),
            log: Log::default(),
            revision: 0,
        }
    }

    pub fn now(&self) -> SimTime {
        self.now
    }

    /// Goes up by one or more whenever the world changes (a command that changed something, or
    /// the clock moving). Hosts compare it to decide whether to save.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// For a host that rebuilt the world (undo): the revision must still move forward.
    pub(crate) fn set_revision(&mut self, revision: u64) {
        self.revision = revision;
    }

    /// The object id of the signed-in persona (what hosts pass as `actor`).
    pub fn signed_in(&self) -> &str {
        self.azure.signed_in()
    }

    pub fn user_by_upn(&self, upn: &str) -> Option<&User> {
        self.azure.user_by_upn(upn)
    }

    /// Finds an enterprise policy by ARM id or name.
    pub fn find_policy(&self, name_or_id: &str) -> Option<&EnterprisePolicy> {
        self.azure.find_policy(name_or_id)
    }

    /// The activity log, oldest first.
    pub fn activity(&self) -> &Log {
        &self.log
    }

    /// The key access the Power Platform side has at the current time.
    fn key_access(&self) -> PolicyIdentity<'_> {
        PolicyIdentity { azure: &self.azure, now: self.now }
    }

    /// Decrypts every record of a table; the row count and the SHA-256 of the plaintexts.
    pub fn read_table(&self, env: &str, service: Service, table: &str) -> Result<(usize, String), Error> {
        self.pp.read_table(&self.key_access(), env, service, table)
    }

    /// The one entry point for change. `actor` is the object id of the person acting; `now` is
    /// the simulated time of the command (the clock advances to it first, running what falls
    /// due). A command that fails changes nothing.
    pub fn execute(
        &mut self,
        actor: &str,
        command: Command,
        now: SimTime,
        rng: &mut dyn CryptoRngCore,
    ) -> Result<Outcome, Error> {
        if now < self.now {
            return Err(Error::new(
                ErrorCode::TimeMovesForward,
                format!("The clock is at {} and cannot go back to {now}.", self.now),
            ));
        }
        self.advance(now, rng);
        let actor = self.azure.user(actor)?.object_id.clone();
        let changes = command.changes_world();
        let result = self.dispatch(&actor, command, rng);
        if result.is_ok() && changes {
            self.revision += 1;
        }
        result
    }

    fn dispatch(&mut self, actor: &str, command: Command, rng: &mut dyn CryptoRngCore) -> Result<Outcome, Error> {
        let now = self.now;
        match command {
            // ----- Entra ID, subscription, resource groups, RBAC -----
            Command::SignIn { upn } => self.azure.sign_in(&upn),
            Command::ShowUser { id } => {
                let oid = self.azure.resolve_principal(&id)?;
                let user = self.azure.user(&oid)?;
                Ok(Outcome::User(self.azure.user_view(user)))
            }
            Command::RegisterProvider { namespace } => self.azure.register_provider(actor, &namespace),
            Command::CreateResourceGroup { name, location } => {
                self.azure.create_resource_group(actor, &name, &location)
            }
            Command::CreateRoleAssignment { assignee, role, scope } => {
                self.azure.create_role_assignment(actor, &assignee, &role, &scope, rng)
            }
            Command::DeleteRoleAssignment { assignee, role, scope } => {
                self.azure.delete_role_assignment(actor, &assignee, &role, &scope)
            }
            Command::ListRoleAssignments { assignee, scope } => {
                self.azure.list_role_assignments(actor, assignee.as_deref(), scope.as_deref())
            }
            // ----- Key Vault and Managed HSM -----
            Command::CreateVault(cmd) => self.azure.create_vault(actor, cmd, now),
            Command::CreateManagedHsm(cmd) => self.azure.create_managed_hsm(actor, cmd, now, rng),
            Command::ActivateManagedHsm { name } => self.azure.activate_managed_hsm(actor, &name),
            Command::CreateHsmRoleAssignment { hsm, role, assignee, scope } => {
                self.azure.create_hsm_role_assignment(actor, &hsm, &role, &assignee, &scope, rng)
            }
            Command::UpdateVault(cmd) => self.azure.update_vault(actor, cmd),
            Command::ShowVault { name } => self.azure.show_vault(actor, &name),
            Command::DeleteVault { name } => self.azure.delete_vault(actor, &name, now),
            Command::RecoverVault { name } => self.azure.recover_vault(actor, &name),
            Command::PurgeVault { name } => self.azure.purge_vault(actor, &name),
            Command::SetAccessPolicy { vault, object_id, permissions } => {
                self.azure.set_access_policy(actor, &vault, &object_id, &permissions)
            }
            Command::DeleteAccessPolicy { vault, object_id } => {
                self.azure.delete_access_policy(actor, &vault, &object_id)
            }
            Command::CreatePrivateEndpoint { name, resource_group, vault } => {
                self.azure.create_private_endpoint(actor, &name, &resource_group, &vault)
            }
            // ----- keys -----
            Command::CreateKey(cmd) => self.azure.create_key(actor, cmd, now, rng),
            Command::ImportKey(cmd) => self.azure.import_key(actor, cmd, now, rng),
            Command::ShowKey { vault, name, version } => self.azure.show_key(actor, &vault, &name, version.as_deref()),
            Command::ListKeyVersions { vault, name } => self.azure.list_key_versions(actor, &vault, &name),
            Command::SetKeyAttributes(cmd) => {
                let disabling = cmd.enabled == Some(false);
                let outcome = self.azure.set_key_attributes(actor, cmd, now)?;
                if let (true, Outcome::Key(bundle)) = (disabling, &outcome) {
                    let kid = bundle.key.kid.clone();
                    self.warn_versions_in_use("disabled", &[kid]);
                }
                Ok(outcome)
            }
            Command::RotateKey { vault, name, pregenerated } => {
                self.azure.rotate_key(actor, &vault, &name, pregenerated.as_ref(), (now, &mut self.log), rng)
            }
            Command::SetRotationPolicy { vault, name, policy } => {
                self.azure.set_rotation_policy(actor, &vault, &name, &policy)
            }
            Command::ShowRotationPolicy { vault, name } => self.azure.show_rotation_policy(actor, &vault, &name),
            Command::DeleteKey { vault, name } => {
                let kids = self.azure.key_version_ids(&vault, &name);
                let outcome = self.azure.delete_key(actor, &vault, &name, now)?;
                self.warn_versions_in_use("deleted", &kids);
                Ok(outcome)
            }
            Command::RecoverKey { vault, name } => self.azure.recover_key(actor, &vault, &name),
            Command::PurgeKey { vault, name } => self.azure.purge_key(actor, &vault, &name),
            Command::KeyOperation(op) => self.azure.key_operation(actor, op, now, rng),
            // ----- enterprise policies as Azure resources -----
            Command::DeployTemplate { resource_group, template } => {
                let World { azure, pp, log, .. } = self;
                let linked = |key: &str| pp.linked(key).to_vec();
                let (outcome, key) =
                    azure.deploy_template(actor, &resource_group, &template, &linked, (now, log), rng)?;
                pp.forget_policy(&key);
                Ok(outcome)
            }
            Command::ShowResource { id } => {
                let pp = &self.pp;
                self.azure.show_resource(actor, &id, &|key: &str| pp.linked(key).to_vec(), now)
            }
            Command::DeleteResource { id } => {
                let World { azure, pp, .. } = self;
                let linked = |key: &str| pp.linked(key).to_vec();
                let outcome = azure.delete_resource(actor, &id, &linked, now)?;
                if let Outcome::Policy(p) = &outcome {
                    pp.forget_policy(&p.id.to_ascii_lowercase());
                }
                Ok(outcome)
            }
            Command::GraphQuery { query } => {
                let pp = &self.pp;
                self.azure.graph_query(actor, &query, &|key: &str| pp.linked(key).to_vec(), now)
            }
            // ----- the clock -----
            Command::AdvanceClock { by } => {
                let from = self.log.len();
                let to = self.now.plus(by);
                self.advance(to, rng);
                Ok(self.clock_report(from, self.stopped_early(to)))
            }
            Command::RunClock => {
                let from = self.log.len();
                let limit = self.now.plus(RUN_CLOCK_LIMIT);
                while self.pp.operations_in_progress() > 0 {
                    let Some(next) = self.pp.next_operation_time().filter(|t| *t <= limit) else { break };
                    if !self.advance(next, rng) {
                        let stopped = self.stopped_early(next);
                        return Ok(self.clock_report(from, stopped));
                    }
                }
                Ok(self.clock_report(from, None))
            }
            // ----- Power Platform admin center: needs an admin role (SPEC AUTH-2) -----
            Command::CreateEnvironment { name, region, env_type, byok } => {
                self.require_pp_admin(actor)?;
                self.with_pp_by(actor, rng, |pp, cx| pp.create_environment(cx, &name, &region, &env_type, byok))
                    .map(Outcome::Environment)
            }
            Command::ListEnvironments => {
                self.require_pp_admin(actor)?;
                let keys = self.key_access();
                let list = self
                    .pp
                    .environments
                    .keys()
                    .map(|id| self.pp.env_view(&keys, id).map(|v| serde_json::to_value(v).unwrap_or_default()))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(Outcome::Json(serde_json::Value::Array(list)))
            }
            Command::ShowEnvironment { environment } => {
                self.require_pp_admin(actor)?;
                let id = self.pp.env_key(&environment)?;
                self.pp.env_view(&self.key_access(), &id).map(Outcome::Environment)
            }
            Command::EnableManaged { environment } => {
                self.require_pp_admin(actor)?;
                self.with_pp_by(actor, rng, |pp, cx| pp.enable_managed(cx, &environment)).map(Outcome::Environment)
            }
            Command::EnvironmentHistory { environment } => {
                self.require_pp_admin(actor)?;
                let e = self.pp.environment(&environment)?;
                let list = PowerPlatform::history_view(e);
                Ok(Outcome::Json(serde_json::to_value(list).unwrap_or_default()))
            }
            Command::ReEnableEnvironment { environment } => {
                self.require_pp_admin(actor)?;
                self.with_pp_by(actor, rng, |pp, cx| pp.re_enable(cx, &environment)).map(Outcome::Environment)
            }
            Command::BackupEnvironment { environment, label } => {
                self.require_pp_admin(actor)?;
                self.with_pp_by(actor, rng, |pp, cx| pp.backup(cx, &environment, label)).map(Outcome::Json)
            }
            Command::RestoreBackup { source, backup, target } => {
                self.require_pp_admin(actor)?;
                self.with_pp_by(actor, rng, |pp, cx| pp.restore(cx, &source, &backup, &target))
                    .map(Outcome::Environment)
            }
            Command::CopyEnvironment { source, target } => {
                self.require_pp_admin(actor)?;
                self.with_pp_by(actor, rng, |pp, cx| pp.copy_environment(cx, &source, &target))
                    .map(Outcome::Environment)
            }
            Command::ResetEnvironment { environment } => {
                self.require_pp_admin(actor)?;
                self.with_pp_by(actor, rng, |pp, cx| pp.reset(cx, &environment)).map(Outcome::Environment)
            }
            Command::ListPolicies => {
                self.require_pp_admin(actor)?;
                let list: Vec<serde_json::Value> = self
                    .azure
                    .policies
                    .values()
                    .filter(|p| {
                        self.azure.has_action(actor, "Microsoft.PowerPlatform/enterprisePolicies/read", &p.id())
                    })
                    .map(|p| serde_json::to_value(self.pp_policy_view(p)).unwrap_or_default())
                    .collect();
                Ok(Outcome::Json(serde_json::Value::Array(list)))
            }
            Command::ShowPolicy { policy } => {
                let p = self.readable_policy(actor, &policy)?;
                let p = self.azure.policy_by_id(&p.key).ok_or_else(|| crate::error::internal("policy vanished"))?;
                Ok(Outcome::Json(serde_json::to_value(self.pp_policy_view(p)).unwrap_or_default()))
            }
            Command::AddEnvironmentToPolicy { policy, environment } => {
                let p = self.readable_policy(actor, &policy)?;
                self.with_pp_by(actor, rng, |pp, cx| pp.add_environment(cx, &p, &environment)).map(Outcome::Environment)
            }
            Command::RemoveEnvironmentFromPolicy { policy, environment } => {
                let p = self.readable_policy(actor, &policy)?;
                self.with_pp_by(actor, rng, |pp, cx| pp.remove_environment(cx, &p, &environment))
                    .map(Outcome::Environment)
            }
            // ----- simulation helpers -----
            Command::InsertRows { environment, table, rows } => {
                let rows = usize::try_from(rows).unwrap_or(usize::MAX);
                self.with_pp_by(actor, rng, |pp, cx| pp.insert_rows(cx, &environment, &table, rows)).map(Outcome::Json)
            }
            Command::ReadTable { environment, table } => {
                let (rows, sha256) = self.read_table(&environment, Service::Dataverse, &table)?;
                Ok(Outcome::Json(serde_json::json!({ "rows": rows, "sha256": sha256 })))
            }
            Command::FailNextStep { environment, service } => {
                self.pp.sim_fail(&environment, &service).map(Outcome::Json)
            }
        }
    }

    /// Runs an admin-center operation for `actor`: what it adds to environments' histories is
    /// marked as initiated by them (the History page's Initiated by).
    fn with_pp_by<T>(
        &mut self,
        actor: &str,
        rng: &mut dyn CryptoRngCore,
        f: impl FnOnce(&mut PowerPlatform, &mut Ctx<'_>) -> T,
    ) -> T {
        let before: Vec<(String, usize)> =
            self.pp.environments.iter().map(|(id, e)| (id.clone(), e.history.len())).collect();
        let result = self.with_pp(rng, f);
        let who = self.azure.user(actor).map(|u| u.upn.clone()).ok();
        for (id, e) in self.pp.environments.iter_mut() {
            let from = before.iter().find(|(b, _)| b == id).map(|(_, n)| *n).unwrap_or(0);
            for h in e.history.iter_mut().skip(from) {
                h.initiated_by = h.initiated_by.take().or_else(|| who.clone());
            }
        }
        result
    }

    /// Runs a Power Platform operation with the time, the log and key access of this moment.
    fn with_pp<T>(&mut self, rng: &mut dyn CryptoRngCore, f: impl FnOnce(&mut PowerPlatform, &mut Ctx<'_>) -> T) -> T {
        let World { now, azure, pp, log, .. } = self;
        let keys = PolicyIdentity { azure, now: *now };
        let mut cx = Ctx { now: *now, log, keys: &keys, rng };
        f(pp, &mut cx)
    }

    /// SPEC AUTH-2: the admin center needs an Entra role that administers Power Platform.
    pub(crate) fn require_pp_admin(&self, actor: &str) -> Result<(), Error> {
        let user = self.azure.user(actor)?;
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

    /// SPEC AUTH-2 and AUTH-7: an admin-center role, and Reader on the policy in Azure.
    fn readable_policy(&self, actor: &str, policy: &str) -> Result<PolicyInfo, Error> {
        self.require_pp_admin(actor)?;
        let p = self.key_access().policy(policy).ok_or_else(|| {
            Error::new(ErrorCode::ResourceNotFound, format!("There is no enterprise policy '{policy}'."))
        })?;
        self.azure.authorize(actor, "Microsoft.PowerPlatform/enterprisePolicies/read", &p.id)?;
        Ok(p)
    }

    /// SPEC ROT-2: a version that still wraps a data key, or a backup less than 28 days old,
    /// may be disabled or deleted, but the activity log says which environments are at risk.
    fn warn_versions_in_use(&mut self, what: &str, kids: &[String]) {
        let now = self.now;
        let window = SimDuration::days(28);
        let mut at_risk: Vec<String> = Vec::new();
        let (mut live_any, mut backups_any) = (false, false);
        for e in self.pp.environments.values() {
            let mut reasons: Vec<String> = Vec::new();
            let live: Vec<&str> = e
                .services
                .iter()
                .filter(|(_, s)| matches!(&s.dek.protector, Protector::Cmk { kid } if kids.iter().any(|k| k.eq_ignore_ascii_case(kid))))
                .map(|(svc, _)| svc.as_str())
                .collect();
            if !live.is_empty() {
                live_any = true;
                reasons.push(format!("its {} data key(s) ({})", live.len(), live.join(", ")));
            }
            let backups = e
                .backups
                .iter()
                .filter(|b| now < b.taken.plus(window))
                .filter(|b| {
                    b.services.values().any(|(dek, _)| {
                        matches!(&dek.protector, Protector::Cmk { kid } if kids.iter().any(|k| k.eq_ignore_ascii_case(kid)))
                    })
                })
                .count();
            if backups > 0 {
                backups_any = true;
                reasons.push(format!("{backups} backup(s) from the last 28 days"));
            }
            if !reasons.is_empty() {
                at_risk.push(format!("'{}' ({})", e.name, reasons.join(" and ")));
            }
        }
        if at_risk.is_empty() {
            return;
        }
        let resource = kids.first().cloned().unwrap_or_default();
        let mut effects: Vec<&str> = Vec::new();
        if live_any {
            effects.push("environments using it lock at the next health check");
        }
        if backups_any {
            effects.push("backups wrapped with it can no longer be restored");
        }
        let message = format!(
            "A key version was {what} while it still protects {}: {}. Keep previous versions enabled for at least 28 days.",
            at_risk.join("; "),
            effects.join(", and ")
        );
        self.log.record(now, "KeyVersionInUse", &resource, message);
    }

    fn clock_report(&self, from: usize, stopped: Option<String>) -> Outcome {
        let report = ClockReport {
            now: self.now.to_iso(),
            pending: self.pending_view(),
            events: self.log.since(from).to_vec(),
            stopped,
        };
        Outcome::Json(serde_json::to_value(report).unwrap_or_default())
    }

    /// What is waiting for the clock (not the periodic checks): operations in progress, then
    /// Azure's purges, then deletions of locked environments.
    pub fn pending(&self) -> Vec<PendingOperation> {
        let keys = self.key_access();
        let mut list = self.pp.pending(&keys);
        let (jobs, deletions): (Vec<_>, Vec<_>) = list.drain(..).partition(|p| p.progress.is_some());
        list.extend(jobs);
        for s in self.azure.queue.iter() {
            let target = match &s.event {
                crate::azure::schedule::Event::PurgeVault { name } => name.clone(),
                crate::azure::schedule::Event::PurgeKey { vault, key } => format!("{vault}/{key}"),
            };
            let kind = match &s.event {
                crate::azure::schedule::Event::PurgeVault { .. } => "PurgeVault",
                crate::azure::schedule::Event::PurgeKey { .. } => "PurgeKey",
            };
            list.push(PendingOperation {
                at: s.at.to_iso(),
                what: s.event.describe(),
                kind: kind.into(),
                target,
                progress: None,
            });
        }
        list.extend(deletions);
        // Soonest first; what falls due at the same time keeps the order above.
        list.sort_by_key(|p| SimTime::parse_iso(&p.at).map(SimTime::unix).unwrap_or(u64::MAX));
        list
    }

    /// Everything the clock will do, soonest first: pending operations and deadlines, the next
    /// health check, rotations and expiries of keys, and the pickups of new versions (SPEC PG-1).
    pub fn upcoming(&self) -> Vec<PendingOperation> {
        let now = self.now;
        let mut list = self.pending();
        let item = |at: SimTime, what: String, kind: &str, target: String| PendingOperation {
            at: at.to_iso(),
            what,
            kind: kind.into(),
            target,
            progress: None,
        };
        if let Some(at) = self.pp.next_health_check() {
            list.push(item(
                at,
                "Hourly health check of the environments (locks, pickups, backups)".into(),
                "HealthCheck",
                String::new(),
            ));
        }
        for (at, due) in self.azure.key_dues() {
            let KeyDue::Rotate { vault, key } = due else { continue };
            let Some((v, k)) = self.azure.vault(&vault).ok().and_then(|v| v.key(&key).map(|k| (v, k))) else {
                continue;
            };
            if at >= now {
                let kid = k.current().map(|c| v.kid(&k.name, &c.version)).unwrap_or_default();
                list.push(item(
                    at,
                    format!("Rotation policy rotates key '{}' in '{}'", k.name, v.name),
                    "KeyRotation",
                    kid,
                ));
            }
        }
        for v in self.azure.vaults.values() {
            for k in v.keys.values() {
                let Some(current) = k.current() else { continue };
                if let Some(exp) = current.expires.filter(|e| *e > now) {
                    let kid = v.kid(&k.name, &current.version);
                    list.push(item(
                        exp,
                        format!("Key '{}' in '{}' expires (current version)", k.name, v.name),
                        "KeyExpiry",
                        kid,
                    ));
                }
            }
        }
        let keys = self.key_access();
        for (policy, link) in &self.pp.links {
            if link.environments.is_empty() {
                continue;
            }
            let Ok(current) = keys.current_version(policy) else { continue };
            let stale = link
                .environments
                .iter()
                .filter_map(|id| self.pp.environments.get(id))
                .any(|e| e.key_version().is_some_and(|kid| !kid.eq_ignore_ascii_case(&current.kid)));
            let at = current.created.plus(crate::powerplatform::encryption::PICKUP_DELAY);
            if stale && at >= now {
                let name = keys.policy(policy).map(|p| p.name).unwrap_or_default();
                list.push(item(
                    at,
                    format!("Environments of policy '{name}' start picking up the new key version (within 24 hours)"),
                    "RotationPickup",
                    current.kid,
                ));
            }
        }
        list.sort_by_key(|p| SimTime::parse_iso(&p.at).map(SimTime::unix).unwrap_or(u64::MAX));
        list
    }

    /// What `command` would do, found on a copy of the world: the copy runs it as `actor`, then
    /// its clock moves `horizon` ahead. `self` is untouched (SPEC LOCK-1, LOCK-3, ROT-2, EP-8).
    pub fn what_if(
        &self,
        actor: &str,
        command: Command,
        horizon: SimDuration,
        rng: &mut dyn CryptoRngCore,
    ) -> WhatIfView {
        let mut copy = self.clone();
        let from = copy.log.len();
        let now = self.now;
        let result = copy.execute(actor, command, now, rng).err().map(|e| ErrorView::of(&e));
        let healthy = |w: &World, p: &EnterprisePolicy| w.azure.policy_key(p, w.now).is_ok();
        let unhealthy_policies = copy
            .azure
            .policies
            .values()
            .filter(|p| {
                !healthy(&copy, p) && self.azure.policy_by_id(&p.id()).is_some_and(|before| healthy(self, before))
            })
            .map(|p| ConsequenceView {
                at: now.to_iso(),
                name: p.name.clone(),
                detail: copy
                    .azure
                    .policy_key(p, now)
                    .err()
                    .map(|e| format!("{}: {}", e.code(), e.message()))
                    .unwrap_or_default(),
            })
            .collect();
        let blocked = |w: &World| -> Vec<(String, String, String)> {
            let keys = w.key_access();
            w.pp.environments
                .keys()
                .filter_map(|id| w.pp.env_detail(&keys, id).ok())
                .flat_map(|d| {
                    let env = d.summary.name.clone();
                    d.backup_list.into_iter().filter_map(move |b| {
                        b.restore_blocked.map(|r| (env.clone(), b.label.clone(), format!("{}: {}", r.code, r.message)))
                    })
                })
                .collect()
        };
        let before_blocked = blocked(self);
        let unrestorable_backups = blocked(&copy)
            .into_iter()
            .filter(|x| !before_blocked.iter().any(|b| b.0 == x.0 && b.1 == x.1))
            .map(|(env, label, why)| ConsequenceView { at: now.to_iso(), name: format!("{env}: {label}"), detail: why })
            .collect();
        copy.advance(now.plus(horizon), rng);
        let events: Vec<Activity> = copy.log.since(from).to_vec();
        let name_of = |id: &str| copy.pp.environments.get(id).map(|e| e.name.clone()).unwrap_or_else(|| id.into());
        let pick = |kind: &str| -> Vec<ConsequenceView> {
            events
                .iter()
                .filter(|a| a.kind == kind)
                .map(|a| ConsequenceView { at: a.at.clone(), name: name_of(&a.resource), detail: a.message.clone() })
                .collect()
        };
        WhatIfView {
            result,
            until: copy.now.to_iso(),
            unhealthy_policies,
            unrestorable_backups,
            locks: pick("EnvironmentLocked"),
            deletions: pick("EnvironmentDeleted"),
            events,
        }
    }

    /// `sim clock show`'s list: when, and what.
    pub fn pending_view(&self) -> Vec<PendingLine> {
        self.pending().iter().map(PendingLine::from).collect()
    }

    fn pp_policy_view(&self, p: &EnterprisePolicy) -> PolicyWithEnvironments {
        let key = p.id().to_ascii_lowercase();
        let linked = self.pp.linked(&key);
        let environments = linked
            .iter()
            .filter_map(|id| self.pp.environments.get(id))
            .map(|e| LinkedEnvironmentView {
                name: e.name.clone(),
                id: e.id.clone(),
                state: e.state.as_str().into(),
                encryption_status: e.encryption.as_str().into(),
            })
            .collect();
        PolicyWithEnvironments { policy: self.azure.policy_view(p, linked, self.now), environments }
    }

    // ----- the clock -----

    /// Moves the clock to `to` (never back), processing every due event of both sides in time
    /// order; an event's effects happen at its own time.
    ///
    /// At most `MAX_EVENTS_PER_ADVANCE` events run in one call: past that the clock stops at the
    /// last event run (never beyond an event still due) and the answer is `false`; calling again
    /// goes on.
    pub fn advance(&mut self, to: SimTime, rng: &mut dyn CryptoRngCore) -> bool {
        self.advance_capped(to, rng, MAX_EVENTS_PER_ADVANCE)
    }

    pub(crate) fn advance_capped(&mut self, to: SimTime, rng: &mut dyn CryptoRngCore, cap: usize) -> bool {
        let start = self.now;
        let mut ran = 0;
        let complete = loop {
            match self.next_due() {
                Some((at, due)) if at <= to => {
                    if ran == cap {
                        break false;
                    }
                    self.now = self.now.max(at);
                    self.run(due, rng);
                    self.revision += 1;
                    ran += 1;
                }
                _ => break true,
            }
        };
        if complete {
            self.now = self.now.max(to);
        }
        if self.now != start {
            self.revision += 1;
        }
        complete
    }

    /// What a clock command says when it stopped at the events limit.
    fn stopped_early(&self, to: SimTime) -> Option<String> {
        (self.now < to).then(|| {
            format!(
                "Stopped at {} after {MAX_EVENTS_PER_ADVANCE} events, the most one advance runs; {} is still ahead: advance again to go on.",
                self.now, to
            )
        })
    }

    /// The earliest pending event, if any.
    pub fn next_event_time(&self) -> Option<SimTime> {
        self.next_due().map(|(at, _)| at)
    }

    /// The earliest event of either side. On a tie the order is fixed: queued events (Azure's,
    /// then Power Platform's), the health check, then rotation policies.
    fn next_due(&self) -> Option<(SimTime, Due)> {
        let mut best: Option<(SimTime, Due)> = None;
        let mut offer = |candidate: Option<(SimTime, Due)>| {
            if let Some((at, due)) = candidate {
                if best.as_ref().is_none_or(|(b, _)| at < *b) {
                    best = Some((at, due));
                }
            }
        };
        offer(self.azure.next_queued().map(|(at, i)| (at, Due::AzureQueued(i))));
        offer(self.pp.next_queued().map(|(at, i)| (at, Due::PowerPlatformQueued(i))));
        offer(self.pp.next_health_check().map(|at| (at, Due::HealthCheck)));
        offer(self.azure.next_key_due().map(|(at, due)| (at, Due::Key(due))));
        best
    }

    fn run(&mut self, due: Due, rng: &mut dyn CryptoRngCore) {
        let now = self.now;
        match due {
            Due::AzureQueued(place) => self.azure.run_queued(place, now, &mut self.log),
            Due::Key(due) => self.azure.run_key_due(due, now, &mut self.log, rng),
            Due::PowerPlatformQueued(place) => self.with_pp(rng, |pp, cx| pp.run_queued(place, cx)),
            Due::HealthCheck => self.with_pp(rng, |pp, cx| pp.health_check(cx)),
        }
    }

    // ----- the page's projection -----

    /// The page's projection, as the signed-in persona may see it (vaults need read on the
    /// vault; key lists need the data-plane list right, as in the portal; environments need a
    /// Power Platform admin role).
    pub fn view(&self) -> View {
        let az = &self.azure;
        let me = az.signed_in();
        let signed_in = az.user(me).map(|u| az.user_view(u)).unwrap_or_default();
        let keys = self.key_access();
        View {
            now: self.now.to_iso(),
            tenant_domain: az.tenant.domain.clone(),
            tenant_id: az.tenant.id.clone(),
            signed_in,
            personas: az.users.iter().map(|u| az.user_view(u)).collect(),
            subscription_id: az.subscription.id.clone(),
            subscription_name: az.subscription.display_name.clone(),
            registered_providers: az.subscription.registered_providers.clone(),
            resource_groups: az
                .resource_groups
                .values()
                .filter(|rg| {
                    az.has_action(me, "Microsoft.Resources/subscriptions/resourceGroups/read", &az.rg_id(&rg.name))
                })
                .map(|rg| az.rg_view(rg))
                .collect(),
            vaults: az
                .vaults
                .values()
                .filter(|v| az.has_action(me, "Microsoft.KeyVault/vaults/read", &v.id()))
                .map(|v| {
                    let listable = az.authorize_key(
                        me,
                        v,
                        None,
                        crate::azure::authz::KeyOp::List,
                        crate::azure::authz::Caller::User,
                    );
                    VaultListing {
                        vault: az.vault_view(v),
                        key_types: az.allowed_key_types(v),
                        deleted_keys: if listable.is_ok() {
                            v.deleted_keys
                                .values()
                                .map(|d| DeletedItemView {
                                    name: d.key.name.clone(),
                                    location: v.location.clone(),
                                    deleted: d.deleted.to_iso(),
                                    scheduled_purge: d.scheduled_purge.to_iso(),
                                    purge_protection: v.purge_protection,
                                })
                                .collect()
                        } else {
                            Vec::new()
                        },
                        local_assignments: match &v.kind {
                            crate::azure::vault::VaultKind::ManagedHsm { local_assignments, .. } => local_assignments
                                .iter()
                                .map(|a| LocalAssignmentView {
                                    role: a.role.clone(),
                                    principal_id: a.principal_id.clone(),
                                    scope: a.scope.clone(),
                                })
                                .collect(),
                            crate::azure::vault::VaultKind::Vault => Vec::new(),
                        },
                        keys: listable.map(|()| v.keys.values().map(|k| az.key_summary(v, k)).collect()),
                    }
                })
                .collect(),
            role_assignments: az
                .role_assignments
                .iter()
                .filter(|a| {
                    az.has_action(me, "Microsoft.Authorization/roleAssignments/read", &a.scope) || a.principal_id == me
                })
                .map(|a| az.assignment_view(a))
                .collect(),
            policies: az
                .policies
                .values()
                .filter(|p| az.has_action(me, "Microsoft.PowerPlatform/enterprisePolicies/read", &p.id()))
                .map(|p| az.policy_view(p, self.pp.linked(&p.id().to_ascii_lowercase()), self.now))
                .collect(),
            activity: self.log.iter().rev().take(50).cloned().collect(),
            environments: if self.require_pp_admin(me).is_ok() {
                self.pp.environments.keys().filter_map(|id| self.pp.env_detail(&keys, id).ok()).collect()
            } else {
                Vec::new()
            },
            pending: self.pending(),
            upcoming: self.upcoming(),
            admin_policies: if self.require_pp_admin(me).is_ok() { self.admin_policies(me) } else { Vec::new() },
            deleted_vaults: if az.has_action(me, "Microsoft.KeyVault/deletedVaults/read", &az.subscription_scope()) {
                az.deleted_vaults
                    .values()
                    .map(|d| DeletedItemView {
                        name: d.vault.name.clone(),
                        location: d.vault.location.clone(),
                        deleted: d.deleted.to_iso(),
                        scheduled_purge: d.scheduled_purge.to_iso(),
                        purge_protection: d.vault.purge_protection,
                    })
                    .collect()
            } else {
                Vec::new()
            },
            key_trees: self.key_trees(),
            session: Default::default(),
        }
    }

    /// The admin center's Enterprise policies page, as `actor` sees it.
    fn admin_policies(&self, actor: &str) -> Vec<AdminPolicyView> {
        let keys = self.key_access();
        self.azure
            .policies
            .values()
            .map(|p| {
                let info = policy_info(p);
                let shown = self.pp_policy_view(p);
                let props = shown.policy.properties;
                AdminPolicyView {
                    id: info.id.clone(),
                    name: p.name.clone(),
                    location: p.location.clone(),
                    key_vault_id: p.key_vault_id.clone(),
                    key_name: p.key_name.clone(),
                    key_version: p.key_version.clone(),
                    current_key_version: keys.current_version(&info.key).ok().map(|v| v.kid),
                    health_status: props.health_status,
                    health_reason: props.health_reason,
                    cmk_eligibility: props.cmk_eligibility,
                    reader: self.azure.has_action(actor, "Microsoft.PowerPlatform/enterprisePolicies/read", &info.id),
                    environments: shown.environments,
                    candidates: self.pp.candidates(&keys, &info),
                }
            })
            .collect()
    }
}

/// `sim clock advance` / `run` / `show`: the time, what is waiting, and what happened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockReport {
    pub now: String,
    pub pending: Vec<PendingLine>,
    pub events: Vec<Activity>,
    /// Why the clock stopped before the time asked (the events limit), if it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopped: Option<String>,
}

/// The Power Platform service's way to Key Vault at one moment: every call is checked as the
/// policy's managed identity, through the vault's trusted-services path.
#[derive(Debug)]
pub struct PolicyIdentity<'a> {
    azure: &'a Azure,
    now: SimTime,
}

fn policy_info(p: &EnterprisePolicy) -> PolicyInfo {
    let id = p.id();
    PolicyInfo {
        key: id.to_ascii_lowercase(),
        id,
        name: p.name.clone(),
        location: p.location.clone(),
        identity: p.principal_id.clone(),
        key_ref: (p.key_vault_id.to_ascii_lowercase(), p.key_name.to_ascii_lowercase()),
    }
}

impl PolicyIdentity<'_> {
    fn existing(&self, policy: &str) -> Result<&EnterprisePolicy, Error> {
        self.azure
            .policy_by_id(policy)
            .ok_or_else(|| Error::new(ErrorCode::ResourceNotFound, "The enterprise policy was deleted."))
    }
}

impl KeyAccess for PolicyIdentity<'_> {
    fn policy(&self, name_or_id: &str) -> Option<PolicyInfo> {
        self.azure.find_policy(name_or_id).map(policy_info)
    }

    fn current_version(&self, policy: &str) -> Result<KeyVersionInfo, Error> {
        let (vault, key, kv) = self.azure.policy_key(self.existing(policy)?, self.now)?;
        Ok(KeyVersionInfo { kid: vault.kid(&key.name, &kv.version), created: kv.created, expires: kv.expires })
    }

    fn eligible(&self, policy: &str) -> Result<(), Error> {
        self.azure.policy_cmk_eligibility(self.existing(policy)?, self.now)
    }

    fn wrap(&self, policy: &str, dek: &[u8], rng: &mut dyn CryptoRngCore) -> Result<(String, Vec<u8>), Error> {
        self.azure.service_wrap(self.existing(policy)?, dek, self.now, rng)
    }

    fn check(&self, identity: &str, kid: &str) -> Result<(), Error> {
        self.azure.service_can_unwrap(identity, kid)
    }

    fn unwrap(&self, identity: &str, kid: &str, blob: &[u8]) -> Result<Zeroizing<Vec<u8>>, Error> {
        self.azure.service_unwrap(identity, kid, blob)
    }
}
