//! The projection: what the signed-in persona sees of both clouds, as the page's typed View.

use super::identity::policy_info;
use super::*;

impl World {
    pub(super) fn pp_policy_view(&self, p: &EnterprisePolicy) -> PolicyWithEnvironments {
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

    /// The page's projection, as the signed-in persona may see it (vaults need read on the
    /// vault; key lists need the data-plane list right, as in the portal; environments need a
    /// Power Platform admin role).
    pub fn view(&self) -> View {
        let az = &self.azure;
        let me = az.signed_in();
        let signed_in = az.user(me).map(|u| az.user_view(u)).unwrap_or_default();
        let keys = self.key_access();
        ViewParts {
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
                        key_sizes: crate::azure::keys::allowed_key_sizes(),
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
                        keys: listable.map(|()| v.keys.values().map(|k| az.key_summary(v, k, self.now)).collect()),
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
            deployments: az
                .deployments
                .iter()
                .filter(|d| az.has_action(me, "Microsoft.Resources/deployments/read", &az.rg_id(&d.resource_group)))
                .map(|d| crate::view::DeploymentEntry {
                    resource_group: d.resource_group.clone(),
                    deployment: az.deployment_view(d),
                    template: d.template.clone(),
                })
                .collect(),
            operations: self.operations_for(me),
            key_trees: self.key_trees(),
            session: Default::default(),
        }
        .into()
    }

    /// The admin center's Enterprise policies page, as `actor` sees it.
    pub(super) fn admin_policies(&self, actor: &str) -> Vec<AdminPolicyView> {
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
