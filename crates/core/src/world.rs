//! The world: the whole simulated cloud, and `execute`, the one door every change goes through.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use rand_core::CryptoRngCore;
use serde::{Deserialize, Serialize};

use crate::command::{Command, CreateKey, CreateVault};
use crate::directory::{self, Tenant, User};
use crate::error::{Error, ErrorCode};
use crate::ids;
use crate::key_material::{check_size, KeyMaterial};
use crate::location::canonical_location;
use crate::rbac::{role_by_name, scope_covers, RoleAssignment};
use crate::time::SimTime;
use crate::vault::{self, AccessPolicy, Key, KeyPermission, KeyType, KeyVersion, Vault, VaultSku};
use crate::view::*;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subscription {
    pub id: String,
    pub display_name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceGroup {
    pub name: String,
    pub location: String,
}

/// The simulated cloud. Same commands, times and RNG ⇒ same world, byte for byte.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct World {
    now: SimTime,
    tenant: Tenant,
    users: Vec<User>,
    signed_in: String,
    subscription: Subscription,
    /// Resource groups by lower-cased name.
    resource_groups: BTreeMap<String, ResourceGroup>,
    role_assignments: Vec<RoleAssignment>,
    /// Vaults by lower-cased name (vault names are global).
    vaults: BTreeMap<String, Vault>,
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
        let signed_in = users
            .first()
            .map(|u| u.object_id.clone())
            .unwrap_or_default();
        Self {
            now: SimTime::GENESIS,
            tenant: directory::contoso(),
            users,
            signed_in,
            subscription,
            resource_groups: BTreeMap::new(),
            role_assignments,
            vaults: BTreeMap::new(),
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

    fn user(&self, object_id: &str) -> Result<&User, Error> {
        self.users
            .iter()
            .find(|u| u.object_id.eq_ignore_ascii_case(object_id))
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::PrincipalNotFound,
                    format!(
                        "No user or identity with object id '{object_id}' exists in the directory."
                    ),
                )
            })
    }

    /// Moves the simulated clock forward to `to`. Time never goes back.
    pub fn advance(&mut self, to: SimTime) -> Result<(), Error> {
        if to < self.now {
            return Err(Error::new(
                ErrorCode::TimeMovesForward,
                format!("The clock is at {} and cannot go back to {to}.", self.now),
            ));
        }
        self.now = to;
        Ok(())
    }

    /// The one entry point for change. `actor` is the object id of the principal acting; `now`
    /// is the simulated time of the command (the clock advances to it first). A command that
    /// fails changes nothing.
    pub fn execute(
        &mut self,
        actor: &str,
        command: Command,
        now: SimTime,
        rng: &mut dyn CryptoRngCore,
    ) -> Result<Outcome, Error> {
        self.advance(now)?;
        let actor = self.user(actor)?.object_id.clone();
        match command {
            Command::SignIn { upn } => self.sign_in(&upn),
            Command::CreateResourceGroup { name, location } => {
                self.create_resource_group(&actor, &name, &location)
            }
            Command::CreateVault(cmd) => self.create_vault(&actor, cmd),
            Command::CreateKey(cmd) => self.create_key(&actor, cmd, rng),
            Command::ShowKey {
                vault,
                name,
                version,
            } => self.show_key(&actor, &vault, &name, version.as_deref()),
            Command::CreateRoleAssignment {
                assignee,
                role,
                scope,
            } => self.create_role_assignment(&actor, &assignee, &role, &scope, rng),
        }
    }

    // ----- authorization (SPEC AUTH-3, AUTH-4, AUTH-5) -----

    fn assignments_of<'a>(
        &'a self,
        principal: &'a str,
    ) -> impl Iterator<Item = &'a RoleAssignment> + 'a {
        self.role_assignments
            .iter()
            .filter(move |a| a.principal_id.eq_ignore_ascii_case(principal))
    }

    fn has_action(&self, principal: &str, action: &str, scope: &str) -> bool {
        self.assignments_of(principal).any(|a| {
            scope_covers(&a.scope, scope) && a.definition().is_some_and(|r| r.grants_action(action))
        })
    }

    fn has_data_action(&self, principal: &str, action: &str, scope: &str) -> bool {
        self.assignments_of(principal).any(|a| {
            scope_covers(&a.scope, scope)
                && a.definition().is_some_and(|r| r.grants_data_action(action))
        })
    }

    fn upn_of(&self, principal: &str) -> String {
        self.user(principal)
            .map(|u| u.upn.clone())
            .unwrap_or_else(|_| principal.into())
    }

    /// Control-plane (ARM) check.
    fn authorize(&self, principal: &str, action: &str, scope: &str) -> Result<(), Error> {
        if self.has_action(principal, action, scope) {
            return Ok(());
        }
        Err(Error::new(
            ErrorCode::AuthorizationFailed,
            format!(
                "The client '{}' with object id '{principal}' does not have authorization to perform action '{action}' over scope '{scope}'. Ask an Owner or User Access Administrator to assign a role that grants it at this scope or above.",
                self.upn_of(principal)
            ),
        ))
    }

    /// Key Vault data-plane check: Azure RBAC data actions, or the vault's access policies.
    fn authorize_key(
        &self,
        principal: &str,
        vault: &Vault,
        key_name: Option<&str>,
        data_action: &str,
        permission: KeyPermission,
    ) -> Result<(), Error> {
        let scope = match key_name {
            Some(k) => format!("{}/keys/{k}", vault.id()),
            None => vault.id(),
        };
        if vault.enable_rbac_authorization {
            if self.has_data_action(principal, data_action, &scope) {
                return Ok(());
            }
            return Err(Error::new(
                ErrorCode::ForbiddenByRbac,
                format!(
                    "Caller '{}' (oid {principal}) is not authorized to perform '{data_action}' on '{scope}'. Vault '{}' uses Azure RBAC: assign a role with this data action (for example Key Vault Crypto Officer or Key Vault Administrator) at the vault or above.",
                    self.upn_of(principal),
                    vault.name
                ),
            ));
        }
        let allowed = vault.access_policies.iter().any(|p| {
            p.object_id.eq_ignore_ascii_case(principal) && p.key_permissions.contains(&permission)
        });
        if allowed {
            return Ok(());
        }
        Err(Error::new(
            ErrorCode::ForbiddenByPolicy,
            format!(
                "The user, group or application '{}' (oid {principal}) does not have keys {} permission on key vault '{}'. Add an access policy that grants it.",
                self.upn_of(principal),
                permission.as_str(),
                vault.name
            ),
        ))
    }

    // ----- handlers -----

    fn sign_in(&mut self, upn: &str) -> Result<Outcome, Error> {
        let user = self.user_by_upn(upn).ok_or_else(|| {
            Error::new(
                ErrorCode::PrincipalNotFound,
                format!("There is no user '{upn}' in {}.", self.tenant.domain),
            )
        })?;
        let view = self.user_view(user);
        self.signed_in = view.id.clone();
        Ok(Outcome::User(view))
    }

    fn rg_id(&self, name: &str) -> String {
        format!(
            "/subscriptions/{}/resourceGroups/{name}",
            self.subscription.id
        )
    }

    fn resource_group(&self, name: &str) -> Result<&ResourceGroup, Error> {
        self.resource_groups.get(&name.to_ascii_lowercase()).ok_or_else(|| {
            Error::new(
                ErrorCode::ResourceGroupNotFound,
                format!("Resource group '{name}' could not be found in subscription '{}'. Create it first.", self.subscription.display_name),
            )
        })
    }

    fn create_resource_group(
        &mut self,
        actor: &str,
        name: &str,
        location: &str,
    ) -> Result<Outcome, Error> {
        let valid = (1..=90).contains(&name.len())
            && name
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '(' | ')'))
            && !name.ends_with('.');
        if !valid {
            return Err(Error::new(
                ErrorCode::BadParameter,
                format!("Resource group name '{name}' is not valid: 1–90 letters, digits, '-', '_', '.', '(' or ')', not ending in '.'."),
            ));
        }
        let location = canonical_location(location).ok_or_else(|| unknown_location(location))?;
        self.authorize(
            actor,
            "Microsoft.Resources/subscriptions/resourceGroups/write",
            &self.rg_id(name),
        )?;
        let key = name.to_ascii_lowercase();
        if let Some(existing) = self.resource_groups.get(&key) {
            if existing.location != location {
                return Err(Error::new(
                    ErrorCode::InvalidResourceGroupLocation,
                    format!("Resource group '{}' already exists in location '{}'; it cannot be created again in '{location}'.", existing.name, existing.location),
                ));
            }
        } else {
            self.resource_groups.insert(
                key.clone(),
                ResourceGroup {
                    name: name.into(),
                    location: location.into(),
                },
            );
        }
        let rg = self
            .resource_groups
            .get(&key)
            .ok_or_else(|| internal("resource group vanished"))?;
        Ok(Outcome::ResourceGroup(self.rg_view(rg)))
    }

    fn vault(&self, name: &str) -> Result<&Vault, Error> {
        self.vaults.get(&name.to_ascii_lowercase()).ok_or_else(|| {
            Error::new(
                ErrorCode::VaultNotFound,
                format!(
                    "The vault '{name}' was not found in tenant {}. Check the name or create it.",
                    self.tenant.domain
                ),
            )
        })
    }

    fn create_vault(&mut self, actor: &str, cmd: CreateVault) -> Result<Outcome, Error> {
        vault::check_vault_name(&cmd.name)?;
        let rg = self.resource_group(&cmd.resource_group)?.name.clone();
        let location =
            canonical_location(&cmd.location).ok_or_else(|| unknown_location(&cmd.location))?;
        if !(7..=90).contains(&cmd.retention_days) {
            return Err(Error::new(
                ErrorCode::BadParameter,
                format!(
                    "Soft delete retention of {} days is not allowed: choose 7 to 90 days.",
                    cmd.retention_days
                ),
            ));
        }
        let id = format!(
            "{}/providers/Microsoft.KeyVault/vaults/{}",
            self.rg_id(&rg),
            cmd.name
        );
        self.authorize(actor, "Microsoft.KeyVault/vaults/write", &id)?;
        if let Some(existing) = self.vaults.get(&cmd.name.to_ascii_lowercase()) {
            return Err(Error::new(
                ErrorCode::VaultAlreadyExists,
                format!("The vault name '{}' is already in use (resource group '{}'). Vault names are globally unique: pick another.", cmd.name, existing.resource_group),
            ));
        }
        // Like the portal and the CLI: a vault on the access-policy model starts with a policy
        // for its creator; on the RBAC model the creator still needs a data-plane role.
        let access_policies = if cmd.enable_rbac_authorization {
            Vec::new()
        } else {
            vec![AccessPolicy {
                object_id: actor.into(),
                key_permissions: KeyPermission::ALL.to_vec(),
            }]
        };
        let vault = Vault {
            name: cmd.name.clone(),
            subscription_id: self.subscription.id.clone(),
            resource_group: rg,
            location: location.into(),
            tenant_id: self.tenant.id.clone(),
            sku: cmd.sku,
            enable_rbac_authorization: cmd.enable_rbac_authorization,
            access_policies,
            soft_delete_retention_days: cmd.retention_days,
            purge_protection: cmd.enable_purge_protection,
            public_network_access: cmd.public_network_access,
            bypass_azure_services: cmd.bypass_azure_services,
            created: self.now,
            keys: BTreeMap::new(),
        };
        let view = self.vault_view(&vault);
        self.vaults.insert(cmd.name.to_ascii_lowercase(), vault);
        Ok(Outcome::Vault(view))
    }

    fn create_key(
        &mut self,
        actor: &str,
        cmd: CreateKey,
        rng: &mut dyn CryptoRngCore,
    ) -> Result<Outcome, Error> {
        let vault = self.vault(&cmd.vault)?;
        self.authorize_key(
            actor,
            vault,
            Some(&cmd.name),
            "Microsoft.KeyVault/vaults/keys/create/action",
            KeyPermission::Create,
        )?;
        vault::check_key_name(&cmd.name)?;
        check_size(cmd.size)?;
        if cmd.kty == KeyType::RsaHsm && vault.sku != VaultSku::Premium {
            return Err(Error::new(
                ErrorCode::BadParameter,
                format!("Vault '{}' is on the standard tier, which cannot hold HSM-protected keys: use kty RSA, or a premium vault or Managed HSM for RSA-HSM.", vault.name),
            ));
        }
        if let (Some(nbf), Some(exp)) = (cmd.not_before, cmd.expires) {
            if exp <= nbf {
                return Err(Error::new(
                    ErrorCode::BadParameter,
                    format!("The expiration date {exp} must be after the activation date {nbf}."),
                ));
            }
        }
        if let Some(existing) = vault.key(&cmd.name) {
            if existing.kty != cmd.kty {
                return Err(Error::new(
                    ErrorCode::BadParameter,
                    format!(
                        "Key '{}' is of type {}; a new version cannot be {}.",
                        existing.name,
                        existing.kty.as_str(),
                        cmd.kty.as_str()
                    ),
                ));
            }
        }
        let material = match &cmd.pregenerated {
            Some(der) => KeyMaterial::from_pkcs8_der(&der.0, cmd.size)?,
            None => KeyMaterial::generate(rng, cmd.size)?,
        };
        let version = ids::new_key_version(rng);
        let now = self.now;
        let vault_key = cmd.vault.to_ascii_lowercase();
        let vault = self
            .vaults
            .get_mut(&vault_key)
            .ok_or_else(|| internal("vault vanished"))?;
        let key = vault
            .keys
            .entry(cmd.name.to_ascii_lowercase())
            .or_insert_with(|| Key {
                name: cmd.name.clone(),
                kty: cmd.kty,
                versions: Vec::new(),
            });
        key.versions.push(KeyVersion {
            version: version.clone(),
            created: now,
            updated: now,
            enabled: cmd.enabled,
            not_before: cmd.not_before,
            expires: cmd.expires,
            material,
        });
        let vault = self.vault(&cmd.vault)?;
        Ok(Outcome::Key(key_bundle(vault, &cmd.name, None)?))
    }

    fn show_key(
        &self,
        actor: &str,
        vault: &str,
        name: &str,
        version: Option<&str>,
    ) -> Result<Outcome, Error> {
        let vault = self.vault(vault)?;
        self.authorize_key(
            actor,
            vault,
            Some(name),
            "Microsoft.KeyVault/vaults/keys/read",
            KeyPermission::Get,
        )?;
        Ok(Outcome::Key(key_bundle(vault, name, version)?))
    }

    /// Whether `scope` names something that exists: the subscription, a group, or a vault (and below).
    fn scope_exists(&self, scope: &str) -> bool {
        let sub = format!("/subscriptions/{}", self.subscription.id);
        scope.eq_ignore_ascii_case(&sub)
            || self
                .resource_groups
                .values()
                .any(|rg| self.rg_id(&rg.name).eq_ignore_ascii_case(scope))
            || self
                .vaults
                .values()
                .any(|v| scope_covers(&v.id(), scope) && key_scope_exists(v, scope))
    }

    fn create_role_assignment(
        &mut self,
        actor: &str,
        assignee: &str,
        role: &str,
        scope: &str,
        rng: &mut dyn CryptoRngCore,
    ) -> Result<Outcome, Error> {
        let definition = role_by_name(role).ok_or_else(|| {
            Error::new(ErrorCode::RoleDefinitionNotFound, format!("There is no role named '{role}'. Check the spelling (for example 'Key Vault Crypto Service Encryption User')."))
        })?;
        let principal = match self.user(assignee).or_else(|_| {
            self.user_by_upn(assignee).ok_or_else(|| {
                Error::new(
                    ErrorCode::PrincipalNotFound,
                    format!(
                        "Principal '{assignee}' does not exist in the directory {}.",
                        self.tenant.domain
                    ),
                )
            })
        }) {
            Ok(u) => u.object_id.clone(),
            Err(e) => return Err(e),
        };
        let scope = scope.trim_end_matches('/');
        if !self.scope_exists(scope) {
            return Err(Error::new(ErrorCode::BadParameter, format!("The scope '{scope}' does not name an existing subscription, resource group or resource.")));
        }
        self.authorize(
            actor,
            "Microsoft.Authorization/roleAssignments/write",
            scope,
        )?;
        let duplicate = self.role_assignments.iter().any(|a| {
            a.principal_id.eq_ignore_ascii_case(&principal)
                && a.role == definition.name
                && a.scope.eq_ignore_ascii_case(scope)
        });
        if duplicate {
            return Err(Error::new(
                ErrorCode::RoleAssignmentExists,
                format!(
                    "'{}' already holds '{}' at '{scope}'.",
                    self.upn_of(&principal),
                    definition.name
                ),
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

    // ----- views -----

    fn user_view(&self, u: &User) -> UserView {
        UserView {
            id: u.object_id.clone(),
            user_principal_name: u.upn.clone(),
            display_name: u.display_name.clone(),
            description: u.description.clone(),
            entra_roles: u
                .entra_roles
                .iter()
                .map(|r| r.display_name().into())
                .collect(),
            azure_roles: self
                .assignments_of(&u.object_id)
                .map(|a| format!("{} @ {}", a.role, a.scope))
                .collect(),
        }
    }

    fn rg_view(&self, rg: &ResourceGroup) -> ResourceGroupView {
        ResourceGroupView {
            id: self.rg_id(&rg.name),
            name: rg.name.clone(),
            location: rg.location.clone(),
            resource_type: "Microsoft.Resources/resourceGroups".into(),
            properties: ProvisioningState {
                provisioning_state: "Succeeded".into(),
            },
        }
    }

    fn vault_view(&self, v: &Vault) -> VaultView {
        VaultView {
            id: v.id(),
            name: v.name.clone(),
            location: v.location.clone(),
            resource_group: v.resource_group.clone(),
            resource_type: "Microsoft.KeyVault/vaults".into(),
            properties: VaultProperties {
                vault_uri: v.uri(),
                tenant_id: v.tenant_id.clone(),
                sku: VaultSkuView {
                    family: "A".into(),
                    name: v.sku.as_str().into(),
                },
                enable_rbac_authorization: v.enable_rbac_authorization,
                enable_soft_delete: true,
                soft_delete_retention_in_days: v.soft_delete_retention_days,
                enable_purge_protection: v.purge_protection.then_some(true),
                public_network_access: if v.public_network_access {
                    "Enabled"
                } else {
                    "Disabled"
                }
                .into(),
                network_acls: NetworkAcls {
                    bypass: if v.bypass_azure_services {
                        "AzureServices"
                    } else {
                        "None"
                    }
                    .into(),
                    default_action: if v.public_network_access {
                        "Allow"
                    } else {
                        "Deny"
                    }
                    .into(),
                },
                access_policies: v
                    .access_policies
                    .iter()
                    .map(|p| AccessPolicyView {
                        object_id: p.object_id.clone(),
                        tenant_id: v.tenant_id.clone(),
                        permissions: KeyPermissionsView {
                            keys: p
                                .key_permissions
                                .iter()
                                .map(|k| k.as_str().into())
                                .collect(),
                        },
                    })
                    .collect(),
                provisioning_state: "Succeeded".into(),
            },
        }
    }

    fn assignment_view(&self, a: &RoleAssignment) -> RoleAssignmentView {
        let def_id = a.definition().map(|d| d.id).unwrap_or_default();
        RoleAssignmentView {
            id: a.id(),
            name: a.name.clone(),
            principal_id: a.principal_id.clone(),
            principal_name: self.user(&a.principal_id).ok().map(|u| u.upn.clone()),
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
        let signed_in = self
            .user(me)
            .map(|u| self.user_view(u))
            .unwrap_or_else(|e| UserView {
                id: me.into(),
                user_principal_name: me.into(),
                display_name: e.message().into(),
                description: String::new(),
                entra_roles: Vec::new(),
                azure_roles: Vec::new(),
            });
        View {
            now: self.now.to_iso(),
            tenant_domain: self.tenant.domain.clone(),
            signed_in,
            personas: self.users.iter().map(|u| self.user_view(u)).collect(),
            subscription_id: self.subscription.id.clone(),
            subscription_name: self.subscription.display_name.clone(),
            resource_groups: self
                .resource_groups
                .values()
                .filter(|rg| {
                    self.has_action(
                        me,
                        "Microsoft.Resources/subscriptions/resourceGroups/read",
                        &self.rg_id(&rg.name),
                    )
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
                        .authorize_key(
                            me,
                            v,
                            None,
                            "Microsoft.KeyVault/vaults/keys/read",
                            KeyPermission::List,
                        )
                        .map(|()| v.keys.values().map(|k| key_summary(v, k)).collect()),
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
        }
    }
}

fn key_scope_exists(v: &Vault, scope: &str) -> bool {
    let id = v.id();
    if scope.len() == id.len() {
        return true;
    }
    let rest = &scope[id.len()..];
    match rest.strip_prefix("/keys/") {
        Some(name) => v.key(name).is_some(),
        None => false,
    }
}

fn key_bundle(vault: &Vault, name: &str, version: Option<&str>) -> Result<KeyBundle, Error> {
    let not_found = || {
        let what = match version {
            Some(v) => format!("A key with name '{name}' and version '{v}'"),
            None => format!("A key with name '{name}'"),
        };
        Error::new(ErrorCode::KeyNotFound, format!("{what} was not found in vault '{}'. If it was deleted recently it may be recoverable.", vault.name))
    };
    let key = vault.key(name).ok_or_else(not_found)?;
    let kv = match version {
        Some(v) if !v.is_empty() => key.version(v),
        _ => key.current(),
    }
    .ok_or_else(not_found)?;
    Ok(KeyBundle {
        key: JsonWebKey {
            kid: vault::kid(&vault.name, &key.name, &kv.version),
            kty: key.kty.as_str().into(),
            key_ops: [
                "encrypt",
                "decrypt",
                "sign",
                "verify",
                "wrapKey",
                "unwrapKey",
            ]
            .iter()
            .map(|s| (*s).into())
            .collect(),
            n: kv.material.jwk_n(),
            e: kv.material.jwk_e(),
        },
        attributes: KeyAttributes {
            enabled: kv.enabled,
            exp: kv.expires.map(SimTime::to_iso),
            nbf: kv.not_before.map(SimTime::to_iso),
            created: kv.created.to_iso(),
            updated: kv.updated.to_iso(),
            recovery_level: vault.recovery_level().into(),
        },
    })
}

fn key_summary(v: &Vault, k: &Key) -> KeySummary {
    KeySummary {
        name: k.name.clone(),
        kty: k.kty.as_str().into(),
        size: k.current().map(|c| c.material.bits()).unwrap_or(0),
        versions: k
            .versions
            .iter()
            .rev()
            .map(|kv| KeyVersionSummary {
                version: kv.version.clone(),
                kid: vault::kid(&v.name, &k.name, &kv.version),
                enabled: kv.enabled,
                created: kv.created.to_iso(),
                nbf: kv.not_before.map(SimTime::to_iso),
                exp: kv.expires.map(SimTime::to_iso),
            })
            .collect(),
    }
}

fn unknown_location(location: &str) -> Error {
    Error::new(
        ErrorCode::LocationNotAvailableForResourceType,
        format!("The location '{location}' is not available. Use an Azure region name such as 'westeurope' or 'eastus'."),
    )
}

fn internal(what: &str) -> Error {
    Error::new(
        ErrorCode::InternalError,
        format!("internal inconsistency: {what}"),
    )
}

#[cfg(test)]
impl World {
    pub(crate) fn key_material(&self, vault: &str, key: &str) -> Option<&KeyMaterial> {
        self.vault(vault)
            .ok()?
            .key(key)?
            .current()
            .map(|v| &v.material)
    }
}
