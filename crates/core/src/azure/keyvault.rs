//! Vault and Managed HSM lifecycle: create, update, show, delete, recover, purge, access
//! policies, private endpoints, HSM activation and local RBAC. SPEC KV-1, KV-2, KV-9, KV-10,
//! KV-11, AUTH-4.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use rand_core::CryptoRngCore;

use crate::azure::requests::{CreateManagedHsm, CreateVault, NetworkRule, UpdateVault};
use crate::azure::schedule::Event;
use crate::azure::vault::{
    self, hsm_role, AccessPolicy, KeyPermission, LocalAssignment, NetworkRules, Vault, VaultKind, VaultSku,
};
use crate::azure::{unknown_location, Azure, DeletedVault};
use crate::error::{Error, ErrorCode};
use crate::ids;
use crate::location::canonical_location;
use crate::time::SimDuration;
use crate::time::SimTime;
use crate::view::*;

fn arm_kind(v: &Vault) -> &'static str {
    if v.is_hsm() {
        "managedHSMs"
    } else {
        "vaults"
    }
}

impl Azure {
    fn check_name_free(&self, name: &str) -> Result<(), Error> {
        let key = name.to_ascii_lowercase();
        if let Some(existing) = self.vaults.get(&key) {
            return Err(Error::new(
                ErrorCode::VaultAlreadyExists,
                format!("The name '{name}' is already in use by {} in resource group '{}'. Names are globally unique: pick another.", existing.kind_label(), existing.resource_group),
            ));
        }
        if let Some(deleted) = self.deleted_vaults.get(&key) {
            return Err(Error::new(
                ErrorCode::ObjectIsDeletedButRecoverable,
                format!(
                    "'{name}' is soft-deleted (scheduled purge {}): recover it, or purge it before reusing the name.",
                    deleted.scheduled_purge
                ),
            ));
        }
        Ok(())
    }

    pub(crate) fn create_vault(&mut self, actor: &str, cmd: CreateVault, now: SimTime) -> Result<Outcome, Error> {
        vault::check_vault_name(&cmd.name)?;
        let rg = self.resource_group(&cmd.resource_group)?.name.clone();
        let location = canonical_location(&cmd.location).ok_or_else(|| unknown_location(&cmd.location))?;
        check_retention(cmd.retention_days)?;
        if cmd.enable_purge_protection && !cmd.enable_soft_delete {
            return Err(Error::new(
                ErrorCode::BadParameter,
                "Purge protection needs soft delete: enable soft delete too.",
            ));
        }
        let id = format!("{}/providers/Microsoft.KeyVault/vaults/{}", self.rg_id(&rg), cmd.name);
        self.authorize(actor, "Microsoft.KeyVault/vaults/write", &id)?;
        self.check_name_free(&cmd.name)?;
        // Like the portal and the CLI: a vault on the access-policy model starts with a policy
        // for its creator; on the RBAC model the creator still needs a data-plane role.
        let access_policies = if cmd.enable_rbac_authorization {
            Vec::new()
        } else {
            vec![AccessPolicy { object_id: actor.into(), key_permissions: KeyPermission::ALL.to_vec() }]
        };
        let vault = Vault {
            name: cmd.name.clone(),
            kind: VaultKind::Vault,
            subscription_id: self.subscription.id.clone(),
            resource_group: rg,
            location: location.into(),
            tenant_id: self.tenant.id.clone(),
            sku: cmd.sku,
            enable_rbac_authorization: cmd.enable_rbac_authorization,
            access_policies,
            soft_delete: cmd.enable_soft_delete,
            soft_delete_retention_days: cmd.retention_days,
            purge_protection: cmd.enable_purge_protection,
            public_network_access: cmd.public_network_access,
            bypass_azure_services: cmd.bypass_azure_services,
            private_endpoints: Vec::new(),
            network: NetworkRules {
                deny: cmd.default_action_deny,
                ip_rules: ip_ranges(&cmd.ip_rules)?,
                vnet_rules: cmd.vnet_rules.iter().map(|s| subnet_id(s)).collect::<Result<_, _>>()?,
            },
            created: now,
            keys: BTreeMap::new(),
            deleted_keys: BTreeMap::new(),
            tags: cmd.tags.clone(),
        };
        let view = self.vault_view(&vault);
        self.vaults.insert(cmd.name.to_ascii_lowercase(), vault);
        Ok(Outcome::Vault(view))
    }

    pub(crate) fn create_managed_hsm(
        &mut self,
        actor: &str,
        cmd: CreateManagedHsm,
        now: SimTime,
        rng: &mut dyn CryptoRngCore,
    ) -> Result<Outcome, Error> {
        vault::check_vault_name(&cmd.name)?;
        let rg = self.resource_group(&cmd.resource_group)?.name.clone();
        let location = canonical_location(&cmd.location).ok_or_else(|| unknown_location(&cmd.location))?;
        check_retention(cmd.retention_days)?;
        if cmd.administrators.is_empty() {
            return Err(Error::new(
                ErrorCode::MissingParameter,
                "A Managed HSM needs at least one administrator (--administrators OID).",
            ));
        }
        let admins = cmd.administrators.iter().map(|a| self.resolve_principal(a)).collect::<Result<Vec<_>, _>>()?;
        let id = format!("{}/providers/Microsoft.KeyVault/managedHSMs/{}", self.rg_id(&rg), cmd.name);
        self.authorize(actor, "Microsoft.KeyVault/managedHSMs/write", &id)?;
        self.check_name_free(&cmd.name)?;
        let local_assignments = admins
            .into_iter()
            .map(|principal_id| LocalAssignment {
                name: ids::new_guid(rng),
                principal_id,
                role: "Managed HSM Administrator".into(),
                scope: "/".into(),
            })
            .collect();
        let hsm = Vault {
            name: cmd.name.clone(),
            kind: VaultKind::ManagedHsm { activated: false, local_assignments },
            subscription_id: self.subscription.id.clone(),
            resource_group: rg,
            location: location.into(),
            tenant_id: self.tenant.id.clone(),
            sku: VaultSku::Premium,
            enable_rbac_authorization: true,
            access_policies: Vec::new(),
            soft_delete: true,
            soft_delete_retention_days: cmd.retention_days,
            purge_protection: cmd.enable_purge_protection,
            public_network_access: true,
            bypass_azure_services: true,
            private_endpoints: Vec::new(),
            network: NetworkRules::default(),
            created: now,
            keys: BTreeMap::new(),
            deleted_keys: BTreeMap::new(),
            tags: Default::default(),
        };
        let view = self.vault_view(&hsm);
        self.vaults.insert(cmd.name.to_ascii_lowercase(), hsm);
        Ok(Outcome::Vault(view))
    }

    fn hsm_local_check(&self, actor: &str, hsm: &Vault, action: &str) -> Result<(), Error> {
        let VaultKind::ManagedHsm { local_assignments, .. } = &hsm.kind else {
            return Err(Error::new(
                ErrorCode::BadParameter,
                format!("'{}' is a key vault, not a Managed HSM.", hsm.name),
            ));
        };
        let allowed = local_assignments.iter().any(|a| {
            a.principal_id.eq_ignore_ascii_case(actor)
                && hsm_role(&a.role)
                    .is_some_and(|(_, actions)| actions.iter().any(|p| crate::azure::rbac::action_matches(p, action)))
        });
        if allowed {
            Ok(())
        } else {
            Err(Error::new(
                ErrorCode::ForbiddenByRbac,
                format!("'{}' has no local role in Managed HSM '{}' that allows '{action}'. Only its administrators can do this.", self.principal_name(actor), hsm.name),
            ))
        }
    }

    pub(crate) fn activate_managed_hsm(&mut self, actor: &str, name: &str) -> Result<Outcome, Error> {
        let hsm = self.vault(name)?;
        self.hsm_local_check(actor, hsm, "Microsoft.KeyVault/managedHsm/securitydomain/download/action")?;
        if let VaultKind::ManagedHsm { activated, .. } = &mut self.vault_mut(name)?.kind {
            *activated = true;
        }
        let hsm = self.vault(name)?;
        Ok(Outcome::Vault(self.vault_view(hsm)))
    }

    pub(crate) fn create_hsm_role_assignment(
        &mut self,
        actor: &str,
        hsm: &str,
        role: &str,
        assignee: &str,
        scope: &str,
        rng: &mut dyn CryptoRngCore,
    ) -> Result<Outcome, Error> {
        let (role_name, _) = hsm_role(role).ok_or_else(|| {
            Error::new(
                ErrorCode::RoleDefinitionNotFound,
                format!("'{role}' is not a Managed HSM local role (for example 'Managed HSM Crypto User')."),
            )
        })?;
        let principal = self.resolve_principal(assignee)?;
        let scope = if scope.is_empty() { "/" } else { scope };
        if !(scope == "/" || scope == "/keys" || scope.starts_with("/keys/")) {
            return Err(Error::new(
                ErrorCode::BadParameter,
                format!("Local scope '{scope}' is not valid: use /, /keys or /keys/{{name}}."),
            ));
        }
        let target = self.vault(hsm)?;
        if let VaultKind::ManagedHsm { activated: false, .. } = target.kind {
            return Err(Error::new(
                ErrorCode::ManagedHsmNotActivated,
                format!("Managed HSM '{hsm}' is not activated yet."),
            ));
        }
        self.hsm_local_check(actor, target, "Microsoft.KeyVault/managedHsm/roleAssignments/write/action")?;
        let assignment = LocalAssignment {
            name: ids::new_guid(rng),
            principal_id: principal.clone(),
            role: role_name.into(),
            scope: scope.into(),
        };
        if let VaultKind::ManagedHsm { local_assignments, .. } = &mut self.vault_mut(hsm)?.kind {
            if local_assignments.iter().any(|a| a.principal_id == principal && a.role == role_name && a.scope == scope)
            {
                return Err(Error::new(
                    ErrorCode::RoleAssignmentExists,
                    format!("That principal already holds '{role_name}' at '{scope}'."),
                ));
            }
            local_assignments.push(assignment.clone());
        }
        Ok(Outcome::Json(serde_json::json!({
            "id": format!("/providers/Microsoft.Authorization/roleAssignments/{}", assignment.name),
            "name": assignment.name,
            "principalId": assignment.principal_id,
            "roleName": assignment.role,
            "scope": assignment.scope,
        })))
    }

    pub(crate) fn update_vault(&mut self, actor: &str, cmd: UpdateVault) -> Result<Outcome, Error> {
        let v = self.vault(&cmd.name)?;
        self.authorize(actor, &format!("Microsoft.KeyVault/{}/write", arm_kind(v)), &v.id())?;
        let mut next = v.clone();
        let refuse = |what: &str| Error::new(ErrorCode::OperationNotAllowed, format!("{what} on '{}'.", cmd.name));
        if let Some(on) = cmd.enable_soft_delete {
            if !on && next.soft_delete {
                return Err(refuse("Soft delete cannot be turned off once it is on"));
            }
            next.soft_delete |= on;
        }
        if let Some(days) = cmd.retention_days {
            if days != next.soft_delete_retention_days {
                return Err(refuse(&format!(
                    "The soft-delete retention is fixed at creation ({} days) and cannot change",
                    next.soft_delete_retention_days
                )));
            }
        }
        if let Some(on) = cmd.enable_purge_protection {
            if !on && next.purge_protection {
                return Err(refuse("Purge protection cannot be turned off once it is on"));
            }
            if on && !next.soft_delete {
                return Err(Error::new(
                    ErrorCode::BadParameter,
                    "Purge protection needs soft delete: enable soft delete first.",
                ));
            }
            next.purge_protection |= on;
        }
        if let Some(rbac) = cmd.enable_rbac_authorization {
            if next.is_hsm() {
                return Err(Error::new(ErrorCode::BadParameter, "A Managed HSM always uses local RBAC."));
            }
            if rbac != next.enable_rbac_authorization {
                // Switching the permission model changes who can do what: Azure asks for the
                // right to write role assignments, so a Contributor cannot escalate this way.
                self.authorize(actor, "Microsoft.Authorization/roleAssignments/write", &v.id())?;
            }
            next.enable_rbac_authorization = rbac;
        }
        if let Some(public) = cmd.public_network_access {
            next.public_network_access = public;
        }
        if let Some(bypass) = cmd.bypass_azure_services {
            next.bypass_azure_services = bypass;
        }
        if let Some(deny) = cmd.default_action_deny {
            next.network.deny = deny;
        }
        let view = self.vault_view(&next);
        *self.vault_mut(&cmd.name)? = next;
        Ok(Outcome::Vault(view))
    }

    /// `az keyvault network-rule add|remove` (SPEC KV-10): IPv4 ranges and subnets the firewall
    /// lets through while public access is on but limited to selected networks. Adding one that is
    /// there, or removing one that is not, changes nothing, as in Azure.
    pub(crate) fn change_network_rules(
        &mut self,
        actor: &str,
        rule: &NetworkRule,
        add: bool,
    ) -> Result<Outcome, Error> {
        let v = self.vault(&rule.vault)?;
        self.authorize(actor, &format!("Microsoft.KeyVault/{}/write", arm_kind(v)), &v.id())?;
        if rule.ip_addresses.is_empty() && rule.subnet.is_none() {
            return Err(Error::new(
                ErrorCode::MissingArgument,
                "Name the rule: --ip-address with IPv4 addresses or CIDR ranges, or --subnet with a subnet id.",
            ));
        }
        let ips = ip_ranges(&rule.ip_addresses)?;
        let subnet = rule.subnet.as_deref().map(subnet_id).transpose()?;
        let mut next = v.clone();
        let rules = &mut next.network;
        for ip in ips {
            toggle(&mut rules.ip_rules, ip, add);
        }
        if let Some(id) = subnet {
            toggle(&mut rules.vnet_rules, id, add);
        }
        let view = self.vault_view(&next);
        *self.vault_mut(&rule.vault)? = next;
        Ok(Outcome::Vault(view))
    }

    pub(crate) fn show_vault(&self, actor: &str, name: &str) -> Result<Outcome, Error> {
        let v = self.vault(name)?;
        self.authorize(actor, &format!("Microsoft.KeyVault/{}/read", arm_kind(v)), &v.id())?;
        Ok(Outcome::Vault(self.vault_view(v)))
    }

    pub(crate) fn delete_vault(&mut self, actor: &str, name: &str, now: SimTime) -> Result<Outcome, Error> {
        let v = self.vault(name)?;
        self.authorize(actor, &format!("Microsoft.KeyVault/{}/delete", arm_kind(v)), &v.id())?;
        let key = name.to_ascii_lowercase();
        let Some(vault) = self.vaults.remove(&key) else { return Err(crate::error::internal("vault vanished")) };
        let view = self.vault_view(&vault);
        if vault.soft_delete {
            let scheduled_purge = now.plus(SimDuration::days(u64::from(vault.soft_delete_retention_days)));
            self.queue.push(scheduled_purge, Event::PurgeVault { name: key.clone() });
            self.deleted_vaults.insert(key, DeletedVault { vault, deleted: now, scheduled_purge });
        }
        Ok(Outcome::Vault(view))
    }

    fn deleted_vault(&self, name: &str, purpose: &str) -> Result<&DeletedVault, Error> {
        self.deleted_vaults.get(&name.to_ascii_lowercase()).ok_or_else(|| {
            Error::new(
                ErrorCode::DeletedVaultNotFound,
                format!("There is no soft-deleted vault named '{name}' to {purpose}."),
            )
        })
    }

    pub(crate) fn recover_vault(&mut self, actor: &str, name: &str) -> Result<Outcome, Error> {
        let key = name.to_ascii_lowercase();
        let deleted = self.deleted_vault(name, "recover")?;
        self.resource_group(&deleted.vault.resource_group)?;
        self.authorize(actor, &format!("Microsoft.KeyVault/{}/write", arm_kind(&deleted.vault)), &deleted.vault.id())?;
        let Some(d) = self.deleted_vaults.remove(&key) else {
            return Err(crate::error::internal("deleted vault vanished"));
        };
        let view = self.vault_view(&d.vault);
        self.vaults.insert(key, d.vault);
        Ok(Outcome::Vault(view))
    }

    pub(crate) fn purge_vault(&mut self, actor: &str, name: &str) -> Result<Outcome, Error> {
        let key = name.to_ascii_lowercase();
        let deleted = self.deleted_vault(name, "purge")?;
        self.authorize(actor, "Microsoft.KeyVault/locations/deletedVaults/purge/action", &self.subscription_scope())?;
        if deleted.vault.purge_protection {
            return Err(Error::new(
                ErrorCode::PurgeProtected,
                format!(
                    "'{name}' has purge protection: it cannot be purged before {}, when it is purged automatically.",
                    deleted.scheduled_purge
                ),
            ));
        }
        let Some(d) = self.deleted_vaults.remove(&key) else {
            return Err(crate::error::internal("deleted vault vanished"));
        };
        Ok(Outcome::Vault(self.vault_view(&d.vault)))
    }

    pub(crate) fn set_access_policy(
        &mut self,
        actor: &str,
        vault: &str,
        object_id: &str,
        permissions: &[String],
    ) -> Result<Outcome, Error> {
        let v = self.vault(vault)?;
        if v.is_hsm() {
            return Err(Error::new(ErrorCode::BadParameter, "A Managed HSM has no access policies: use local RBAC."));
        }
        self.authorize(actor, "Microsoft.KeyVault/vaults/accessPolicies/write", &v.id())?;
        let principal = self.resolve_principal(object_id)?;
        let mut perms = Vec::new();
        for p in permissions {
            if p.eq_ignore_ascii_case("all") {
                perms.extend(KeyPermission::ALL);
                continue;
            }
            let perm = KeyPermission::ALL.into_iter().find(|k| k.as_str().eq_ignore_ascii_case(p)).ok_or_else(|| {
                Error::new(ErrorCode::BadParameter, format!("'{p}' is not a key permission (get, list, create, update, import, delete, recover, purge, wrapKey, unwrapKey, encrypt, decrypt, rotate, getrotationpolicy, setrotationpolicy, all)."))
            })?;
            perms.push(perm);
        }
        perms.sort();
        perms.dedup();
        let vault_ref = self.vault_mut(vault)?;
        vault_ref.access_policies.retain(|a| !a.object_id.eq_ignore_ascii_case(&principal));
        vault_ref.access_policies.push(AccessPolicy { object_id: principal, key_permissions: perms });
        let v = self.vault(vault)?;
        Ok(Outcome::Vault(self.vault_view(v)))
    }

    pub(crate) fn delete_access_policy(&mut self, actor: &str, vault: &str, object_id: &str) -> Result<Outcome, Error> {
        let v = self.vault(vault)?;
        self.authorize(actor, "Microsoft.KeyVault/vaults/accessPolicies/write", &v.id())?;
        let principal = self.resolve_principal(object_id).unwrap_or_else(|_| object_id.into());
        if !v.access_policies.iter().any(|a| a.object_id.eq_ignore_ascii_case(&principal)) {
            return Err(Error::new(
                ErrorCode::ResourceNotFound,
                format!("Vault '{vault}' has no access policy for '{object_id}'."),
            ));
        }
        self.vault_mut(vault)?.access_policies.retain(|a| !a.object_id.eq_ignore_ascii_case(&principal));
        let v = self.vault(vault)?;
        Ok(Outcome::Vault(self.vault_view(v)))
    }

    pub(crate) fn create_private_endpoint(
        &mut self,
        actor: &str,
        name: &str,
        resource_group: &str,
        vault: &str,
    ) -> Result<Outcome, Error> {
        let rg = self.resource_group(resource_group)?.name.clone();
        let v = self.vault(vault)?;
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')) {
            return Err(Error::new(ErrorCode::BadParameter, format!("Private endpoint name '{name}' is not valid.")));
        }
        let pe_id = format!("{}/providers/Microsoft.Network/privateEndpoints/{name}", self.rg_id(&rg));
        self.authorize(actor, "Microsoft.Network/privateEndpoints/write", &pe_id)?;
        self.authorize(
            actor,
            &format!("Microsoft.KeyVault/{}/privateEndpointConnectionsApproval/action", arm_kind(v)),
            &v.id(),
        )?;
        if v.private_endpoints.iter().any(|p| p.eq_ignore_ascii_case(name)) {
            return Err(Error::new(
                ErrorCode::Conflict,
                format!("Vault '{vault}' already has a private endpoint named '{name}'."),
            ));
        }
        self.vault_mut(vault)?.private_endpoints.push(name.into());
        Ok(Outcome::Json(serde_json::json!({
            "id": pe_id,
            "name": name,
            "type": "Microsoft.Network/privateEndpoints",
            "privateLinkServiceConnections": [{ "privateLinkServiceId": self.vault(vault)?.id(), "groupIds": ["vault"], "status": "Approved" }],
        })))
    }

    pub(crate) fn vault_view(&self, v: &Vault) -> VaultView {
        let (activation, security_level) = match &v.kind {
            VaultKind::ManagedHsm { activated, .. } => {
                (Some(if *activated { "Active" } else { "NotActivated" }.into()), Some("FIPS 140-2 Level 3".into()))
            }
            VaultKind::Vault => (None, None),
        };
        VaultView {
            tags: v.tags.clone(),
            id: v.id(),
            name: v.name.clone(),
            location: v.location.clone(),
            resource_group: v.resource_group.clone(),
            resource_type: format!("Microsoft.KeyVault/{}", arm_kind(v)),
            properties: VaultProperties {
                vault_uri: v.uri(),
                tenant_id: v.tenant_id.clone(),
                sku: VaultSkuView {
                    family: if v.is_hsm() { "B" } else { "A" }.into(),
                    name: if v.is_hsm() { "Standard_B1".into() } else { v.sku.as_str().into() },
                },
                enable_rbac_authorization: v.enable_rbac_authorization,
                enable_soft_delete: v.soft_delete,
                soft_delete_retention_in_days: v.soft_delete_retention_days,
                enable_purge_protection: v.purge_protection.then_some(true),
                public_network_access: if v.public_network_access { "Enabled" } else { "Disabled" }.into(),
                network_acls: NetworkAcls {
                    bypass: if v.bypass_azure_services { "AzureServices" } else { "None" }.into(),
                    default_action: if v.public_network_access && !v.network.deny { "Allow" } else { "Deny" }.into(),
                    ip_rules: v.network.ip_rules.iter().map(|value| IpRuleView { value: value.clone() }).collect(),
                    virtual_network_rules: v
                        .network
                        .vnet_rules
                        .iter()
                        .map(|id| VirtualNetworkRuleView {
                            id: id.clone(),
                            ignore_missing_vnet_service_endpoint: false,
                        })
                        .collect(),
                },
                access_policies: v
                    .access_policies
                    .iter()
                    .map(|p| AccessPolicyView {
                        object_id: p.object_id.clone(),
                        tenant_id: v.tenant_id.clone(),
                        permissions: KeyPermissionsView {
                            keys: p.key_permissions.iter().map(|k| k.as_str().into()).collect(),
                        },
                    })
                    .collect(),
                private_endpoint_connections: v.private_endpoints.clone(),
                activation_state: activation,
                security_level,
                provisioning_state: "Succeeded".into(),
            },
        }
    }
}

fn check_retention(days: u32) -> Result<(), Error> {
    if (7..=90).contains(&days) {
        Ok(())
    } else {
        Err(Error::new(
            ErrorCode::BadParameter,
            format!("Soft delete retention of {days} days is not allowed: choose 7 to 90 days."),
        ))
    }
}

/// Adds `item` to `list` (once) or removes it, ignoring case: a rule that is there already, or
/// not there to remove, changes nothing.
fn toggle(list: &mut Vec<String>, item: String, add: bool) {
    match (add, list.iter().position(|r| r.eq_ignore_ascii_case(&item))) {
        (true, None) => list.push(item),
        (false, Some(i)) => {
            list.remove(i);
        }
        _ => {}
    }
}

/// IPv4 addresses or CIDR ranges as Key Vault stores them; the first that is neither is refused.
fn ip_ranges(list: &[String]) -> Result<Vec<String>, Error> {
    list.iter()
        .map(|ip| {
            vault::ipv4_range(ip).ok_or_else(|| {
                Error::new(
                    ErrorCode::BadParameter,
                    format!("'{ip}' is not an IPv4 address or CIDR range (for example 203.0.113.7 or 203.0.113.0/24)."),
                )
            })
        })
        .collect()
}

/// A subnet's resource id, as the firewall's virtual-network rules hold it.
fn subnet_id(id: &str) -> Result<String, Error> {
    let parts: Vec<&str> = id.trim_matches('/').split('/').collect();
    let shape = [
        "subscriptions",
        "",
        "resourcegroups",
        "",
        "providers",
        "microsoft.network",
        "virtualnetworks",
        "",
        "subnets",
        "",
    ];
    let fits = parts.len() == shape.len()
        && parts.iter().zip(shape).all(|(p, s)| if s.is_empty() { !p.is_empty() } else { p.eq_ignore_ascii_case(s) });
    if fits {
        Ok(format!("/{}", parts.join("/")))
    } else {
        Err(Error::new(
            ErrorCode::BadParameter,
            format!("'{id}' is not a subnet id (/subscriptions/…/resourceGroups/…/providers/Microsoft.Network/virtualNetworks/VNET/subnets/SUBNET)."),
        ))
    }
}
