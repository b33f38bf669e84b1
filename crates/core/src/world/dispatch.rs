//! Dispatch: each command to the side that owns it, as the signed-in persona, with the
//! helpers that hand the Power Platform side its context and warn across the clouds.

use super::*;

impl World {
    pub(super) fn dispatch(
        &mut self,
        actor: &str,
        command: Command,
        rng: &mut dyn CryptoRngCore,
    ) -> Result<Outcome, Error> {
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
            Command::UnregisterProvider { namespace } => self.azure.unregister_provider(actor, &namespace),
            Command::CreateResourceGroup { name, location, tags } => {
                self.azure.create_resource_group(actor, &name, &location, tags)
            }
            Command::UpdateResourceGroup { name, tags } => self.azure.update_resource_group(actor, &name, tags),
            Command::DeleteResourceGroup { name } => {
                let World { azure, pp, .. } = self;
                let linked = |key: &str| pp.linked(key).to_vec();
                let (outcome, policies) = azure.delete_resource_group(actor, &name, &linked, now)?;
                for key in policies {
                    pp.forget_policy(&key);
                }
                Ok(outcome)
            }
            Command::CreateRoleAssignment { assignee, role, scope } => {
                self.azure.create_role_assignment(actor, &assignee, &role, &scope, rng)
            }
            Command::DeleteRoleAssignment { assignee, role, scope } => {
                self.azure.delete_role_assignment(actor, &assignee, &role, &scope)
            }
            Command::ListRoleAssignments { assignee, scope, include_inherited, role } => {
                self.azure.list_role_assignments(
                    actor,
                    assignee.as_deref(),
                    scope.as_deref(),
                    include_inherited,
                    role.as_deref(),
                )
            }
            // ----- Key Vault and Managed HSM -----
            Command::CreateVault(cmd) => self.azure.create_vault(actor, cmd, now),
            Command::CreateManagedHsm(cmd) => self.azure.create_managed_hsm(actor, cmd, now, rng),
            Command::ActivateManagedHsm { name } => self.azure.activate_managed_hsm(actor, &name),
            Command::CreateHsmRoleAssignment { hsm, role, assignee, scope } => {
                self.azure.create_hsm_role_assignment(actor, &hsm, &role, &assignee, &scope, rng)
            }
            Command::UpdateVault(cmd) => self.azure.update_vault(actor, cmd),
            Command::BackupKey { vault, name } => self.azure.backup_key(actor, &vault, &name, rng),
            Command::RestoreKey { vault, blob } => self.azure.restore_key(actor, &vault, &blob),
            Command::AddNetworkRule(rule) => self.azure.change_network_rules(actor, &rule, true),
            Command::RemoveNetworkRule(rule) => self.azure.change_network_rules(actor, &rule, false),
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
            Command::ListDeployments { resource_group } => self.azure.list_deployments(actor, &resource_group),
            Command::ShowDeployment { resource_group, name } => {
                self.azure.show_deployment(actor, &resource_group, &name)
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
            Command::ListActivityLog { resource_group, resource_id, caller, status, offset, max_events } => {
                let filter = super::activity::Filter {
                    resource_group: resource_group.as_deref(),
                    resource_id: resource_id.as_deref(),
                    caller: caller.as_deref(),
                    status: status.as_deref(),
                    offset,
                    max_events,
                };
                Ok(self.activity_log(actor, &filter))
            }
            Command::GraphQuery { query } => {
                let pp = &self.pp;
                self.azure.graph_query(actor, &query, &|key: &str| pp.linked(key).to_vec(), now)
            }
            other => self.dispatch_clock_and_pp(actor, other, rng),
        }
    }

    /// Backup & restore, copy and reset (SPEC DB-1 .. DB-5); the admin role is checked already.
    fn dispatch_backups(
        &mut self,
        actor: &str,
        command: Command,
        rng: &mut dyn CryptoRngCore,
    ) -> Result<Outcome, Error> {
        match command {
            Command::BackupEnvironment { environment, label } => {
                self.with_pp_by(actor, rng, |pp, cx| pp.backup(cx, &environment, label)).map(Outcome::Json)
            }
            Command::RestoreBackup { source, backup, target } => self
                .with_pp_by(actor, rng, |pp, cx| pp.restore(cx, &source, &backup, &target))
                .map(Outcome::Environment),
            Command::CopyEnvironment { source, target } => self
                .with_pp_by(actor, rng, |pp, cx| pp.copy_environment(cx, &source, &target))
                .map(Outcome::Environment),
            Command::ResetEnvironment { environment } => {
                self.with_pp_by(actor, rng, |pp, cx| pp.reset(cx, &environment)).map(Outcome::Environment)
            }
            Command::ListTargets { environment, copy } => {
                self.pp.targets(&self.key_access(), &environment, copy).map(Outcome::Targets)
            }
            other => Err(crate::error::internal(&alloc::format!("{} is not a backup command", other.name()))),
        }
    }

    /// The clock, the Power Platform admin center and the simulation helpers.
    fn dispatch_clock_and_pp(
        &mut self,
        actor: &str,
        command: Command,
        rng: &mut dyn CryptoRngCore,
    ) -> Result<Outcome, Error> {
        match command {
            // ----- the clock -----
            Command::AdvanceClock { by } => Ok(self.advance_clock(by, rng)),
            Command::RunClock => Ok(self.run_clock(rng)),
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
            c @ (Command::BackupEnvironment { .. }
            | Command::RestoreBackup { .. }
            | Command::CopyEnvironment { .. }
            | Command::ResetEnvironment { .. }
            | Command::ListTargets { .. }) => {
                self.require_pp_admin(actor)?;
                self.dispatch_backups(actor, c, rng)
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
            Command::AdminApi { method, uri, body } => self
                .admin_api(actor, &method, &uri, body.as_deref(), rng)
                .map(Outcome::Json)
                .map_err(admin_api::http_error),
            // ----- simulation helpers -----
            Command::InsertRows { environment, table, rows } => {
                let rows = usize::try_from(rows).unwrap_or(usize::MAX);
                self.with_pp_by(actor, rng, |pp, cx| pp.insert_rows(cx, &environment, &table, rows)).map(Outcome::Rows)
            }
            Command::ReadTable { environment, table } => {
                let (rows, sha256) = self.read_table(&environment, Service::Dataverse, &table)?;
                Ok(Outcome::TableRead(crate::view::TableRead { rows, sha256 }))
            }
            Command::FailNextStep { environment, service } => {
                self.pp.sim_fail(&environment, &service).map(Outcome::Json)
            }
            other => Err(Error::new(
                ErrorCode::InternalError,
                format!("'{}' reached the Power Platform dispatcher but is an Azure command.", other.name()),
            )),
        }
    }

    /// Runs an admin-center operation for `actor`: what it adds to environments' histories is
    /// marked as initiated by them (the History page's Initiated by).
    pub(super) fn with_pp_by<T>(
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
    pub(super) fn with_pp<T>(
        &mut self,
        rng: &mut dyn CryptoRngCore,
        f: impl FnOnce(&mut PowerPlatform, &mut Ctx<'_>) -> T,
    ) -> T {
        let World { now, azure, pp, log, .. } = self;
        let keys = PolicyIdentity { azure, now: *now };
        let mut cx = Ctx { now: *now, log, keys: &keys, rng };
        f(pp, &mut cx)
    }

    /// SPEC AUTH-2 and AUTH-7: an admin-center role, and Reader on the policy in Azure.
    pub(super) fn readable_policy(&self, actor: &str, policy: &str) -> Result<PolicyInfo, Error> {
        self.require_pp_admin(actor)?;
        let p = self.key_access().policy(policy).ok_or_else(|| {
            Error::new(ErrorCode::ResourceNotFound, format!("There is no enterprise policy '{policy}'."))
        })?;
        self.azure.authorize(actor, "Microsoft.PowerPlatform/enterprisePolicies/read", &p.id)?;
        Ok(p)
    }

    /// SPEC ROT-2: a version that still wraps a data key, or a backup less than 28 days old,
    /// may be disabled or deleted, but the activity log says which environments are at risk.
    pub(super) fn warn_versions_in_use(&mut self, what: &str, kids: &[String]) {
        if let Some(message) = self.pp.versions_in_use_warning(what, kids, self.now) {
            let resource = kids.first().cloned().unwrap_or_default();
            self.log.record(self.now, "KeyVersionInUse", &resource, message);
        }
    }
}
