//! The world: the whole simulated cloud, and `execute`, the one door every change goes through.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use rand_core::CryptoRngCore;
use serde::{Deserialize, Serialize};

use crate::command::Command;
use crate::directory::{self, ManagedIdentity, Tenant, User};
use crate::error::{Error, ErrorCode};
use crate::ids;
use crate::location::canonical_location;
use crate::policy::EnterprisePolicy;
use crate::rbac::{role_by_name, scope_covers, RoleAssignment};
use crate::schedule::{Activity, Scheduled};
use crate::time::SimTime;
use crate::vault::Vault;
use crate::view::*;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subscription {
    pub id: String,
    pub display_name: String,
    /// Resource providers registered on the subscription (SPEC EP-1).
    pub registered_providers: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceGroup {
    pub name: String,
    pub location: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeletedVault {
    pub vault: Vault,
    pub deleted: SimTime,
    pub scheduled_purge: SimTime,
}

/// The simulated cloud. Same commands, times and RNG ⇒ same world, byte for byte.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct World {
    pub(crate) now: SimTime,
    pub(crate) tenant: Tenant,
    pub(crate) users: Vec<User>,
    pub(crate) identities: Vec<ManagedIdentity>,
    pub(crate) signed_in: String,
    pub(crate) subscription: Subscription,
    /// Resource groups by lower-cased name.
    pub(crate) resource_groups: BTreeMap<String, ResourceGroup>,
    pub(crate) role_assignments: Vec<RoleAssignment>,
    /// Vaults and Managed HSMs by lower-cased name (names are global).
    pub(crate) vaults: BTreeMap<String, Vault>,
    /// Soft-deleted vaults by lower-cased name: the name stays reserved (SPEC KV-1, KV-9).
    pub(crate) deleted_vaults: BTreeMap<String, DeletedVault>,
    /// Enterprise policies by lower-cased ARM id.
    pub(crate) policies: BTreeMap<String, EnterprisePolicy>,
    /// One-shot events waiting for the clock (purges at the end of retention).
    pub(crate) scheduled: Vec<Scheduled>,
    /// What happened on its own: rotations, expiry notices, purges (newest last).
    pub(crate) activity: Vec<Activity>,
    /// Power Platform environments by id.
    pub(crate) environments: BTreeMap<String, crate::environment::Environment>,
    /// Microsoft's internal key (made on first use).
    pub(crate) microsoft_key: Option<crate::key_material::SecretBytes>,
    /// The tenant's legacy bring-your-own-key key (made on first use).
    pub(crate) tenant_byok_key: Option<crate::key_material::KeyMaterial>,
    pub(crate) last_health_check: Option<SimTime>,
    pub(crate) job_counter: u64,
}

impl Default for World {
    fn default() -> Self {
        Self::new()
    }
}

impl World {
    /// A new world at 2026-01-01T00:00:00Z: tenant contoso, one subscription, the four personas,
    /// Gus, Kai and Mallory Owners of the subscription, signed in as Gus.
    pub fn new() -> Self {
        let subscription = Subscription {
            id: "00000000-0000-0000-0000-000000000001".into(),
            display_name: "Contoso Production".into(),
            registered_providers: Vec::new(),
        };
        let users = directory::personas();
        let sub_scope = format!("/subscriptions/{}", subscription.id);
        let owners = ["gus", "kai", "mallory"];
        let role_assignments = users
            .iter()
            .filter(|u| owners.iter().any(|o| u.upn.starts_with(&format!("{o}@"))))
            .enumerate()
            .map(|(i, u)| RoleAssignment {
                name: format!("00000000-0000-4000-8000-00000000000{}", i + 1),
                principal_id: u.object_id.clone(),
                role: "Owner".into(),
                scope: sub_scope.clone(),
            })
            .collect();
        let signed_in = users.first().map(|u| u.object_id.clone()).unwrap_or_default();
        Self {
            now: SimTime::GENESIS,
            tenant: directory::contoso(),
            users,
            identities: Vec::new(),
            signed_in,
            subscription,
            resource_groups: BTreeMap::new(),
            role_assignments,
            vaults: BTreeMap::new(),
            deleted_vaults: BTreeMap::new(),
            policies: BTreeMap::new(),
            scheduled: Vec::new(),
            activity: Vec::new(),
            environments: BTreeMap::new(),
            microsoft_key: None,
            tenant_byok_key: None,
            last_health_check: None,
            job_counter: 0,
        }
    }

    pub fn now(&self) -> SimTime {
        self.now
    }

    /// The object id of the signed-in persona (what hosts pass as `actor`).
    pub fn signed_in(&self) -> &str {
        &self.signed_in
    }

    pub fn user_by_upn(&self, upn: &str) -> Option<&User> {
        self.users.iter().find(|u| u.upn.eq_ignore_ascii_case(upn))
    }

    pub(crate) fn user(&self, object_id: &str) -> Result<&User, Error> {
        self.users.iter().find(|u| u.object_id.eq_ignore_ascii_case(object_id)).ok_or_else(|| {
            Error::new(
                ErrorCode::PrincipalNotFound,
                format!("No user with object id '{object_id}' exists in the directory."),
            )
        })
    }

    /// A user (by object id or UPN) or a managed identity (by object id): its object id.
    pub(crate) fn resolve_principal(&self, id: &str) -> Result<String, Error> {
        if let Some(u) =
            self.users.iter().find(|u| u.object_id.eq_ignore_ascii_case(id) || u.upn.eq_ignore_ascii_case(id))
        {
            return Ok(u.object_id.clone());
        }
        if let Some(m) = self.identities.iter().find(|m| m.object_id.eq_ignore_ascii_case(id)) {
            return Ok(m.object_id.clone());
        }
        Err(Error::new(
            ErrorCode::PrincipalNotFound,
            format!("Principal '{id}' does not exist in the directory {}. Use a user's object id or UPN, or a managed identity's principalId.", self.tenant.domain),
        ))
    }

    pub(crate) fn principal_display(&self, id: &str) -> Option<String> {
        self.users.iter().find(|u| u.object_id.eq_ignore_ascii_case(id)).map(|u| u.upn.clone()).or_else(|| {
            self.identities.iter().find(|m| m.object_id.eq_ignore_ascii_case(id)).map(|m| m.display_name.clone())
        })
    }

    pub(crate) fn assignments_of<'a>(&'a self, principal: &'a str) -> impl Iterator<Item = &'a RoleAssignment> + 'a {
        self.role_assignments.iter().filter(move |a| a.principal_id.eq_ignore_ascii_case(principal))
    }

    pub(crate) fn subscription_scope(&self) -> String {
        format!("/subscriptions/{}", self.subscription.id)
    }

    pub(crate) fn rg_id(&self, name: &str) -> String {
        format!("/subscriptions/{}/resourceGroups/{name}", self.subscription.id)
    }

    pub(crate) fn resource_group(&self, name: &str) -> Result<&ResourceGroup, Error> {
        self.resource_groups.get(&name.to_ascii_lowercase()).ok_or_else(|| {
            Error::new(
                ErrorCode::ResourceGroupNotFound,
                format!(
                    "Resource group '{name}' could not be found in subscription '{}'. Create it first.",
                    self.subscription.display_name
                ),
            )
        })
    }

    pub(crate) fn vault(&self, name: &str) -> Result<&Vault, Error> {
        self.vaults.get(&name.to_ascii_lowercase()).ok_or_else(|| {
            let deleted = self.deleted_vaults.contains_key(&name.to_ascii_lowercase());
            let hint = if deleted {
                " It is soft-deleted: recover it to use it again."
            } else {
                " Check the name or create it."
            };
            Error::new(
                ErrorCode::VaultNotFound,
                format!("The vault '{name}' was not found in tenant {}.{hint}", self.tenant.domain),
            )
        })
    }

    pub(crate) fn vault_mut(&mut self, name: &str) -> Result<&mut Vault, Error> {
        let domain = self.tenant.domain.clone();
        self.vaults.get_mut(&name.to_ascii_lowercase()).ok_or_else(|| {
            Error::new(ErrorCode::VaultNotFound, format!("The vault '{name}' was not found in tenant {domain}."))
        })
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
        let actor = self.user(actor)?.object_id.clone();
        match command {
            Command::SignIn { upn } => self.sign_in(&upn),
            Command::ShowUser { id } => {
                let oid = self.resolve_principal(&id)?;
                let user = self.user(&oid)?;
                Ok(Outcome::User(self.user_view(user)))
            }
            Command::RegisterProvider { namespace } => self.register_provider(&actor, &namespace),
            Command::CreateResourceGroup { name, location } => self.create_resource_group(&actor, &name, &location),
            Command::CreateVault(cmd) => self.create_vault(&actor, cmd),
            Command::CreateManagedHsm(cmd) => self.create_managed_hsm(&actor, cmd, rng),
            Command::ActivateManagedHsm { name } => self.activate_managed_hsm(&actor, &name),
            Command::CreateHsmRoleAssignment { hsm, role, assignee, scope } => {
                self.create_hsm_role_assignment(&actor, &hsm, &role, &assignee, &scope, rng)
            }
            Command::UpdateVault(cmd) => self.update_vault(&actor, cmd),
            Command::ShowVault { name } => self.show_vault(&actor, &name),
            Command::DeleteVault { name } => self.delete_vault(&actor, &name),
            Command::RecoverVault { name } => self.recover_vault(&actor, &name),
            Command::PurgeVault { name } => self.purge_vault(&actor, &name),
            Command::SetAccessPolicy { vault, object_id, permissions } => {
                self.set_access_policy(&actor, &vault, &object_id, &permissions)
            }
            Command::DeleteAccessPolicy { vault, object_id } => self.delete_access_policy(&actor, &vault, &object_id),
            Command::CreatePrivateEndpoint { name, resource_group, vault } => {
                self.create_private_endpoint(&actor, &name, &resource_group, &vault)
            }
            Command::CreateKey(cmd) => self.create_key(&actor, cmd, rng),
            Command::ImportKey(cmd) => self.import_key(&actor, cmd, rng),
            Command::ShowKey { vault, name, version } => self.show_key(&actor, &vault, &name, version.as_deref()),
            Command::ListKeyVersions { vault, name } => self.list_key_versions(&actor, &vault, &name),
            Command::SetKeyAttributes(cmd) => self.set_key_attributes(&actor, cmd),
            Command::RotateKey { vault, name } => self.rotate_key(&actor, &vault, &name, rng),
            Command::SetRotationPolicy { vault, name, policy } => {
                self.set_rotation_policy(&actor, &vault, &name, &policy)
            }
            Command::ShowRotationPolicy { vault, name } => self.show_rotation_policy(&actor, &vault, &name),
            Command::DeleteKey { vault, name } => self.delete_key(&actor, &vault, &name),
            Command::RecoverKey { vault, name } => self.recover_key(&actor, &vault, &name),
            Command::PurgeKey { vault, name } => self.purge_key(&actor, &vault, &name),
            Command::KeyOperation(op) => self.key_operation(&actor, op, rng),
            Command::CreateRoleAssignment { assignee, role, scope } => {
                self.create_role_assignment(&actor, &assignee, &role, &scope, rng)
            }
            Command::DeleteRoleAssignment { assignee, role, scope } => {
                self.delete_role_assignment(&actor, &assignee, &role, &scope)
            }
            Command::ListRoleAssignments { assignee, scope } => {
                self.list_role_assignments(&actor, assignee.as_deref(), scope.as_deref())
            }
            Command::DeployTemplate { resource_group, template } => {
                self.deploy_template(&actor, &resource_group, &template, rng)
            }
            Command::ShowResource { id } => self.show_resource(&actor, &id),
            Command::DeleteResource { id } => self.delete_resource(&actor, &id),
            Command::GraphQuery { query } => self.graph_query(&actor, &query),
            Command::AdvanceClock { by } => {
                let from = self.activity.len();
                self.advance(self.now.plus(by), rng);
                Ok(Outcome::Json(self.clock_report(from)))
            }
            Command::RunClock => {
                let from = self.activity.len();
                let limit = self.now.plus(crate::time::SimDuration::days(30));
                while self.operations_in_progress() > 0 {
                    let Some(next) = self.next_operation_time().filter(|t| *t <= limit) else { break };
                    self.advance(next, rng);
                }
                Ok(Outcome::Json(self.clock_report(from)))
            }
            Command::CreateEnvironment { name, region, env_type, byok } => {
                self.create_environment(&actor, &name, &region, &env_type, byok, rng).map(Outcome::Json)
            }
            Command::ListEnvironments => {
                self.require_pp_admin(&actor)?;
                let ids: Vec<String> = self.environments.keys().cloned().collect();
                let list = ids.iter().map(|id| self.env_view(id)).collect::<Result<Vec<_>, _>>()?;
                Ok(Outcome::Json(serde_json::Value::Array(list)))
            }
            Command::ShowEnvironment { environment } => {
                self.require_pp_admin(&actor)?;
                let id = self.env_key(&environment)?;
                self.env_view(&id).map(Outcome::Json)
            }
            Command::EnableManaged { environment } => self.enable_managed(&actor, &environment).map(Outcome::Json),
            Command::EnvironmentHistory { environment } => {
                self.require_pp_admin(&actor)?;
                let e = self.environment(&environment)?;
                let list: Vec<serde_json::Value> = e
                    .history
                    .iter()
                    .map(|h| serde_json::json!({ "operation": h.operation, "status": h.status.as_str(), "started": h.started.to_iso(), "finished": h.finished.map(SimTime::to_iso), "detail": h.detail }))
                    .collect();
                Ok(Outcome::Json(serde_json::Value::Array(list)))
            }
            Command::ReEnableEnvironment { environment } => self.re_enable(&actor, &environment).map(Outcome::Json),
            Command::BackupEnvironment { environment, label } => {
                self.backup(&actor, &environment, label, rng).map(Outcome::Json)
            }
            Command::RestoreBackup { source, backup, target } => {
                self.restore(&actor, &source, &backup, &target, rng).map(Outcome::Json)
            }
            Command::CopyEnvironment { source, target } => {
                self.copy_environment(&actor, &source, &target, rng).map(Outcome::Json)
            }
            Command::ResetEnvironment { environment } => self.reset(&actor, &environment, rng).map(Outcome::Json),
            Command::ListPolicies => {
                self.require_pp_admin(&actor)?;
                let list: Vec<serde_json::Value> = self
                    .policies
                    .values()
                    .filter(|p| self.has_action(&actor, "Microsoft.PowerPlatform/enterprisePolicies/read", &p.id()))
                    .map(|p| self.pp_policy_view(p))
                    .collect();
                Ok(Outcome::Json(serde_json::Value::Array(list)))
            }
            Command::ShowPolicy { policy } => {
                self.require_pp_admin(&actor)?;
                let p = self.find_policy(&policy).ok_or_else(|| {
                    Error::new(ErrorCode::ResourceNotFound, format!("There is no enterprise policy '{policy}'."))
                })?;
                self.authorize(&actor, "Microsoft.PowerPlatform/enterprisePolicies/read", &p.id())?;
                Ok(Outcome::Json(self.pp_policy_view(p)))
            }
            Command::AddEnvironmentToPolicy { policy, environment } => {
                self.add_environment(&actor, &policy, &environment).map(Outcome::Json)
            }
            Command::RemoveEnvironmentFromPolicy { policy, environment } => {
                self.remove_environment(&actor, &policy, &environment).map(Outcome::Json)
            }
            Command::InsertRows { environment, table, rows } => {
                let rows = usize::try_from(rows).unwrap_or(usize::MAX);
                self.insert_rows(&environment, &table, rows, rng).map(Outcome::Json)
            }
            Command::ReadTable { environment, table } => {
                let (rows, sha256) = self.read_table(&environment, crate::environment::Service::Dataverse, &table)?;
                Ok(Outcome::Json(serde_json::json!({ "rows": rows, "sha256": sha256 })))
            }
            Command::FailNextStep { environment, service } => self.sim_fail(&environment, &service).map(Outcome::Json),
        }
    }

    fn clock_report(&self, from: usize) -> serde_json::Value {
        let happened: Vec<Activity> = self.activity.get(from..).map(<[Activity]>::to_vec).unwrap_or_default();
        serde_json::json!({ "now": self.now.to_iso(), "pending": self.pending_view(), "events": happened })
    }

    /// What is waiting for the clock (not the periodic checks), for `sim clock show`.
    pub fn pending_view(&self) -> Vec<serde_json::Value> {
        let mut list: Vec<serde_json::Value> = self
            .environments
            .values()
            .filter_map(|e| e.job.as_ref().map(|j| (e, j)))
            .map(|(e, j)| serde_json::json!({ "at": j.next_step.to_iso(), "what": format!("{} on '{}' (step {})", j.describe()["operation"].as_str().unwrap_or_default(), e.name, j.phase + 1) }))
            .collect();
        for s in &self.scheduled {
            let what = match &s.event {
                crate::schedule::Event::PurgeVault { name } => format!("Purge of soft-deleted vault '{name}'"),
                crate::schedule::Event::PurgeKey { vault, key } => {
                    format!("Purge of soft-deleted key '{key}' in '{vault}'")
                }
                crate::schedule::Event::DeleteEnvironment { env } => {
                    format!(
                        "Deletion of locked environment '{}'",
                        self.environments.get(env).map(|e| e.name.as_str()).unwrap_or(env)
                    )
                }
                crate::schedule::Event::JobStep { .. } => continue,
            };
            list.push(serde_json::json!({ "at": s.at.to_iso(), "what": what }));
        }
        list
    }

    fn pp_policy_view(&self, p: &crate::policy::EnterprisePolicy) -> serde_json::Value {
        let mut v = self.policy_view(p);
        let envs: Vec<serde_json::Value> = p
            .linked_environments
            .iter()
            .filter_map(|id| self.environments.get(id))
            .map(|e| serde_json::json!({ "name": e.name, "id": e.id, "state": e.state.as_str(), "encryptionStatus": e.encryption.as_str() }))
            .collect();
        if let Some(obj) = v.as_object_mut() {
            obj.insert("environments".into(), serde_json::Value::Array(envs));
        }
        v
    }

    // ----- directory, subscription, resource groups -----

    fn sign_in(&mut self, upn: &str) -> Result<Outcome, Error> {
        let user = self.user_by_upn(upn).ok_or_else(|| {
            Error::new(ErrorCode::PrincipalNotFound, format!("There is no user '{upn}' in {}.", self.tenant.domain))
        })?;
        let view = self.user_view(user);
        self.signed_in = view.id.clone();
        Ok(Outcome::User(view))
    }

    fn register_provider(&mut self, actor: &str, namespace: &str) -> Result<Outcome, Error> {
        const KNOWN: [&str; 4] =
            ["Microsoft.PowerPlatform", "Microsoft.KeyVault", "Microsoft.Network", "Microsoft.ManagedIdentity"];
        let ns = KNOWN.iter().find(|k| k.eq_ignore_ascii_case(namespace)).ok_or_else(|| {
            Error::new(
                ErrorCode::BadParameter,
                format!("Resource provider '{namespace}' is not offered here (known: {}).", KNOWN.join(", ")),
            )
        })?;
        self.authorize(actor, &format!("{ns}/register/action"), &self.subscription_scope())?;
        if !self.subscription.registered_providers.iter().any(|p| p == ns) {
            self.subscription.registered_providers.push((*ns).into());
        }
        Ok(Outcome::Json(serde_json::json!({
            "id": format!("{}/providers/{ns}", self.subscription_scope()),
            "namespace": ns,
            "registrationState": "Registered",
        })))
    }

    fn create_resource_group(&mut self, actor: &str, name: &str, location: &str) -> Result<Outcome, Error> {
        let valid = (1..=90).contains(&name.len())
            && name.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '(' | ')'))
            && !name.ends_with('.');
        if !valid {
            return Err(Error::new(
                ErrorCode::BadParameter,
                format!("Resource group name '{name}' is not valid: 1–90 letters, digits, '-', '_', '.', '(' or ')', not ending in '.'."),
            ));
        }
        let location = canonical_location(location).ok_or_else(|| unknown_location(location))?;
        self.authorize(actor, "Microsoft.Resources/subscriptions/resourceGroups/write", &self.rg_id(name))?;
        let key = name.to_ascii_lowercase();
        if let Some(existing) = self.resource_groups.get(&key) {
            if existing.location != location {
                return Err(Error::new(
                    ErrorCode::InvalidResourceGroupLocation,
                    format!("Resource group '{}' already exists in location '{}'; it cannot be created again in '{location}'.", existing.name, existing.location),
                ));
            }
        } else {
            self.resource_groups.insert(key.clone(), ResourceGroup { name: name.into(), location: location.into() });
        }
        let rg = self.resource_groups.get(&key).ok_or_else(|| internal("resource group vanished"))?;
        Ok(Outcome::ResourceGroup(self.rg_view(rg)))
    }

    // ----- role assignments (SPEC AUTH-3) -----

    /// Whether `scope` names something that exists: the subscription, a group, a vault (or one of
    /// its keys), or an enterprise policy.
    fn scope_exists(&self, scope: &str) -> bool {
        scope.eq_ignore_ascii_case(&self.subscription_scope())
            || self.resource_groups.values().any(|rg| self.rg_id(&rg.name).eq_ignore_ascii_case(scope))
            || self.vaults.values().any(|v| scope_covers(&v.id(), scope) && key_scope_exists(v, scope))
            || self.policies.contains_key(&scope.to_ascii_lowercase())
    }

    fn create_role_assignment(
        &mut self,
        actor: &str,
        assignee: &str,
        role: &str,
        scope: &str,
        rng: &mut dyn CryptoRngCore,
    ) -> Result<Outcome, Error> {
        let definition = role_by_name(role).ok_or_else(|| unknown_role(role))?;
        let principal = self.resolve_principal(assignee)?;
        let scope = scope.trim_end_matches('/');
        if !self.scope_exists(scope) {
            return Err(Error::new(
                ErrorCode::BadParameter,
                format!("The scope '{scope}' does not name an existing subscription, resource group or resource."),
            ));
        }
        self.authorize(actor, "Microsoft.Authorization/roleAssignments/write", scope)?;
        let duplicate = self.role_assignments.iter().any(|a| {
            a.principal_id.eq_ignore_ascii_case(&principal)
                && a.role == definition.name
                && a.scope.eq_ignore_ascii_case(scope)
        });
        if duplicate {
            return Err(Error::new(
                ErrorCode::RoleAssignmentExists,
                format!("'{}' already holds '{}' at '{scope}'.", self.principal_name(&principal), definition.name),
            ));
        }
        let assignment = RoleAssignment {
            name: ids::new_guid(rng),
            principal_id: principal,
            role: definition.name.into(),
            scope: scope.into(),
        };
        let view = self.assignment_view(&assignment);
        self.role_assignments.push(assignment);
        Ok(Outcome::RoleAssignment(view))
    }

    fn delete_role_assignment(
        &mut self,
        actor: &str,
        assignee: &str,
        role: &str,
        scope: &str,
    ) -> Result<Outcome, Error> {
        let definition = role_by_name(role).ok_or_else(|| unknown_role(role))?;
        let principal = self.resolve_principal(assignee)?;
        let scope = scope.trim_end_matches('/');
        self.authorize(actor, "Microsoft.Authorization/roleAssignments/delete", scope)?;
        let position = self.role_assignments.iter().position(|a| {
            a.principal_id.eq_ignore_ascii_case(&principal)
                && a.role == definition.name
                && a.scope.eq_ignore_ascii_case(scope)
        });
        let Some(i) = position else {
            return Err(Error::new(
                ErrorCode::ResourceNotFound,
                format!(
                    "'{}' holds no '{}' assignment at exactly '{scope}'.",
                    self.principal_name(&principal),
                    definition.name
                ),
            ));
        };
        let removed = self.role_assignments.remove(i);
        Ok(Outcome::RoleAssignment(self.assignment_view(&removed)))
    }

    fn list_role_assignments(
        &self,
        actor: &str,
        assignee: Option<&str>,
        scope: Option<&str>,
    ) -> Result<Outcome, Error> {
        let principal = assignee.map(|a| self.resolve_principal(a)).transpose()?;
        let list: Vec<RoleAssignmentView> = self
            .role_assignments
            .iter()
            .filter(|a| {
                self.has_action(actor, "Microsoft.Authorization/roleAssignments/read", &a.scope)
                    || a.principal_id == actor
            })
            .filter(|a| principal.as_deref().is_none_or(|p| a.principal_id.eq_ignore_ascii_case(p)))
            .filter(|a| {
                scope.is_none_or(|s| scope_covers(&a.scope, s.trim_end_matches('/')) || scope_covers(s, &a.scope))
            })
            .map(|a| self.assignment_view(a))
            .collect();
        Ok(Outcome::Json(serde_json::to_value(list).unwrap_or_default()))
    }

    // ----- views -----

    pub(crate) fn user_view(&self, u: &User) -> UserView {
        UserView {
            id: u.object_id.clone(),
            user_principal_name: u.upn.clone(),
            display_name: u.display_name.clone(),
            description: u.description.clone(),
            entra_roles: u.entra_roles.iter().map(|r| r.display_name().into()).collect(),
            azure_roles: self.assignments_of(&u.object_id).map(|a| format!("{} @ {}", a.role, a.scope)).collect(),
        }
    }

    pub(crate) fn rg_view(&self, rg: &ResourceGroup) -> ResourceGroupView {
        ResourceGroupView {
            id: self.rg_id(&rg.name),
            name: rg.name.clone(),
            location: rg.location.clone(),
            resource_type: "Microsoft.Resources/resourceGroups".into(),
            properties: ProvisioningState { provisioning_state: "Succeeded".into() },
        }
    }

    pub(crate) fn assignment_view(&self, a: &RoleAssignment) -> RoleAssignmentView {
        let def_id = a.definition().map(|d| d.id).unwrap_or_default();
        RoleAssignmentView {
            id: a.id(),
            name: a.name.clone(),
            principal_id: a.principal_id.clone(),
            principal_name: self.principal_display(&a.principal_id),
            role_definition_id: format!(
                "/subscriptions/{}/providers/Microsoft.Authorization/roleDefinitions/{def_id}",
                self.subscription.id
            ),
            role_definition_name: a.role.clone(),
            scope: a.scope.clone(),
            resource_type: "Microsoft.Authorization/roleAssignments".into(),
        }
    }

    /// The page's projection, as the signed-in persona may see it (vaults need read on the
    /// vault; key lists need the data-plane list right, as in the portal).
    pub fn view(&self) -> View {
        let me = self.signed_in.as_str();
        let signed_in = self.user(me).map(|u| self.user_view(u)).unwrap_or_default();
        View {
            now: self.now.to_iso(),
            tenant_domain: self.tenant.domain.clone(),
            signed_in,
            personas: self.users.iter().map(|u| self.user_view(u)).collect(),
            subscription_id: self.subscription.id.clone(),
            subscription_name: self.subscription.display_name.clone(),
            registered_providers: self.subscription.registered_providers.clone(),
            resource_groups: self
                .resource_groups
                .values()
                .filter(|rg| {
                    self.has_action(me, "Microsoft.Resources/subscriptions/resourceGroups/read", &self.rg_id(&rg.name))
                })
                .map(|rg| self.rg_view(rg))
                .collect(),
            vaults: self
                .vaults
                .values()
                .filter(|v| self.has_action(me, "Microsoft.KeyVault/vaults/read", &v.id()))
                .map(|v| VaultListing {
                    vault: self.vault_view(v),
                    keys: self
                        .authorize_key(me, v, None, crate::authz::KeyOp::List, crate::authz::Caller::User)
                        .map(|()| v.keys.values().map(|k| self.key_summary(v, k)).collect()),
                })
                .collect(),
            role_assignments: self
                .role_assignments
                .iter()
                .filter(|a| {
                    self.has_action(me, "Microsoft.Authorization/roleAssignments/read", &a.scope)
                        || a.principal_id == me
                })
                .map(|a| self.assignment_view(a))
                .collect(),
            policies: self
                .policies
                .values()
                .filter(|p| self.has_action(me, "Microsoft.PowerPlatform/enterprisePolicies/read", &p.id()))
                .map(|p| self.policy_view(p))
                .collect(),
            activity: self.activity.iter().rev().take(50).cloned().collect(),
            environments: if self.require_pp_admin(me).is_ok() {
                self.environments.keys().filter_map(|id| self.env_view(id).ok()).collect()
            } else {
                Vec::new()
            },
            pending: self.pending_view(),
        }
    }
}

fn key_scope_exists(v: &Vault, scope: &str) -> bool {
    let id = v.id();
    if scope.len() == id.len() {
        return true;
    }
    match scope.get(id.len()..).and_then(|rest| rest.strip_prefix("/keys/")) {
        Some(name) => v.key(name).is_some(),
        None => false,
    }
}

pub(crate) fn unknown_location(location: &str) -> Error {
    Error::new(
        ErrorCode::LocationNotAvailableForResourceType,
        format!(
            "The location '{location}' is not available. Use an Azure region name such as 'westeurope' or 'eastus'."
        ),
    )
}

fn unknown_role(role: &str) -> Error {
    Error::new(
        ErrorCode::RoleDefinitionNotFound,
        format!("There is no role named '{role}'. Check the spelling (for example 'Key Vault Crypto Service Encryption User')."),
    )
}

pub(crate) fn internal(what: &str) -> Error {
    Error::new(ErrorCode::InternalError, format!("internal inconsistency: {what}"))
}
