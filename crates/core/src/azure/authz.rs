//! Authorization (SPEC AUTH-3, AUTH-4, AUTH-5, KV-10, KV-11): ARM actions through Azure RBAC,
//! Key Vault data actions through RBAC or access policies, Managed HSM local RBAC, and the
//! vault firewall. Every command asks here; nothing else decides who may do what.

use alloc::format;
use alloc::string::String;

use crate::azure::rbac::{action_matches, role_by_name, scope_covers};
use crate::azure::vault::{hsm_role, KeyPermission, Vault, VaultKind};
use crate::azure::Azure;
use crate::error::{Error, ErrorCode};

/// A data-plane key operation, with what each permission model calls it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyOp {
    Create,
    Import,
    Get,
    List,
    Update,
    Delete,
    Recover,
    Purge,
    Encrypt,
    Decrypt,
    WrapKey,
    UnwrapKey,
    Rotate,
    GetRotationPolicy,
    SetRotationPolicy,
    Backup,
    Restore,
}

impl KeyOp {
    pub fn vault_data_action(self) -> &'static str {
        match self {
            Self::Create => "Microsoft.KeyVault/vaults/keys/create/action",
            Self::Import => "Microsoft.KeyVault/vaults/keys/import/action",
            Self::Get | Self::List => "Microsoft.KeyVault/vaults/keys/read",
            Self::Update => "Microsoft.KeyVault/vaults/keys/update/action",
            Self::Delete => "Microsoft.KeyVault/vaults/keys/delete",
            Self::Recover => "Microsoft.KeyVault/vaults/keys/recover/action",
            Self::Purge => "Microsoft.KeyVault/vaults/keys/purge/action",
            Self::Encrypt => "Microsoft.KeyVault/vaults/keys/encrypt/action",
            Self::Decrypt => "Microsoft.KeyVault/vaults/keys/decrypt/action",
            Self::WrapKey => "Microsoft.KeyVault/vaults/keys/wrap/action",
            Self::UnwrapKey => "Microsoft.KeyVault/vaults/keys/unwrap/action",
            Self::Rotate => "Microsoft.KeyVault/vaults/keys/rotate/action",
            Self::GetRotationPolicy => "Microsoft.KeyVault/vaults/keyrotationpolicies/read",
            Self::SetRotationPolicy => "Microsoft.KeyVault/vaults/keyrotationpolicies/write",
            Self::Backup => "Microsoft.KeyVault/vaults/keys/backup/action",
            Self::Restore => "Microsoft.KeyVault/vaults/keys/restore/action",
        }
    }

    pub fn hsm_data_action(self) -> &'static str {
        match self {
            Self::Create => "Microsoft.KeyVault/managedHsm/keys/create",
            Self::Import => "Microsoft.KeyVault/managedHsm/keys/import/action",
            Self::Get | Self::List => "Microsoft.KeyVault/managedHsm/keys/read/action",
            Self::Update => "Microsoft.KeyVault/managedHsm/keys/write/action",
            Self::Delete => "Microsoft.KeyVault/managedHsm/keys/delete",
            Self::Recover => "Microsoft.KeyVault/managedHsm/keys/deletedKeys/recover/action",
            Self::Purge => "Microsoft.KeyVault/managedHsm/keys/deletedKeys/delete",
            Self::Encrypt => "Microsoft.KeyVault/managedHsm/keys/encrypt/action",
            Self::Decrypt => "Microsoft.KeyVault/managedHsm/keys/decrypt/action",
            Self::WrapKey => "Microsoft.KeyVault/managedHsm/keys/wrap/action",
            Self::UnwrapKey => "Microsoft.KeyVault/managedHsm/keys/unwrap/action",
            Self::Rotate => "Microsoft.KeyVault/managedHsm/keys/rotate/action",
            Self::GetRotationPolicy => "Microsoft.KeyVault/managedHsm/keys/rotationpolicy/read/action",
            Self::SetRotationPolicy => "Microsoft.KeyVault/managedHsm/keys/rotationpolicy/write/action",
            Self::Backup => "Microsoft.KeyVault/managedHsm/keys/backup/action",
            Self::Restore => "Microsoft.KeyVault/managedHsm/keys/restore/action",
        }
    }

    pub fn permission(self) -> KeyPermission {
        match self {
            Self::Create => KeyPermission::Create,
            Self::Import => KeyPermission::Import,
            Self::Get => KeyPermission::Get,
            Self::List => KeyPermission::List,
            Self::Update => KeyPermission::Update,
            Self::Delete => KeyPermission::Delete,
            Self::Recover => KeyPermission::Recover,
            Self::Purge => KeyPermission::Purge,
            Self::Encrypt => KeyPermission::Encrypt,
            Self::Decrypt => KeyPermission::Decrypt,
            Self::WrapKey => KeyPermission::WrapKey,
            Self::UnwrapKey => KeyPermission::UnwrapKey,
            Self::Rotate => KeyPermission::Rotate,
            Self::GetRotationPolicy => KeyPermission::GetRotationPolicy,
            Self::SetRotationPolicy => KeyPermission::SetRotationPolicy,
            Self::Backup => KeyPermission::Backup,
            Self::Restore => KeyPermission::Restore,
        }
    }
}

/// The address the playground's people call Key Vault from, in the portal and the Cloud Shell
/// alike: the portal's "Add your client IP address" adds it. From TEST-NET-3 (RFC 5737), which is
/// never routed, so no real address is named.
pub const CLIENT_IP: &str = "203.0.113.7";

/// Who is calling the data plane: a person (through the public endpoint, or a private
/// endpoint when the vault has one) or a trusted Microsoft service such as Power Platform.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Caller {
    User,
    TrustedService,
}

impl Azure {
    pub(crate) fn has_action(&self, principal: &str, action: &str, scope: &str) -> bool {
        self.assignments_of(principal)
            .any(|a| scope_covers(&a.scope, scope) && a.definition().is_some_and(|r| r.grants_action(action)))
    }

    pub(crate) fn has_data_action(&self, principal: &str, action: &str, scope: &str) -> bool {
        self.assignments_of(principal)
            .any(|a| scope_covers(&a.scope, scope) && a.definition().is_some_and(|r| r.grants_data_action(action)))
    }

    /// Control-plane (ARM) check. SPEC AUTH-5: the error names the action and the scope.
    pub(crate) fn authorize(&self, principal: &str, action: &str, scope: &str) -> Result<(), Error> {
        if self.has_action(principal, action, scope) {
            return Ok(());
        }
        Err(Error::new(
            ErrorCode::AuthorizationFailed,
            format!(
                "The client '{}' with object id '{principal}' does not have authorization to perform action '{action}' over scope '{scope}' or the scope is invalid. Ask an Owner or User Access Administrator to assign a role that grants it at this scope or above.",
                self.principal_name(principal)
            ),
        ))
    }

    /// Data-plane check for a key operation, including the firewall (SPEC KV-10).
    pub(crate) fn authorize_key(
        &self,
        principal: &str,
        vault: &Vault,
        key_name: Option<&str>,
        op: KeyOp,
        caller: Caller,
    ) -> Result<(), Error> {
        self.check_network(vault, caller)?;
        match &vault.kind {
            VaultKind::ManagedHsm { activated, local_assignments } => {
                if !activated {
                    return Err(Error::new(
                        ErrorCode::ManagedHsmNotActivated,
                        format!("Managed HSM '{}' is not activated: download its security domain first.", vault.name),
                    ));
                }
                let scope = match key_name {
                    Some(k) => format!("/keys/{k}"),
                    None => "/keys".into(),
                };
                let action = op.hsm_data_action();
                let allowed = local_assignments.iter().any(|a| {
                    a.principal_id.eq_ignore_ascii_case(principal)
                        && hsm_scope_covers(&a.scope, &scope)
                        && hsm_role(&a.role)
                            .is_some_and(|(_, actions)| actions.iter().any(|p| action_matches(p, action)))
                });
                if allowed {
                    return Ok(());
                }
                Err(Error::new(
                    ErrorCode::ForbiddenByRbac,
                    format!(
                        "Caller '{}' (oid {principal}) is not authorized to perform '{action}' on '{scope}' in Managed HSM '{}'. Managed HSM uses local RBAC: assign a local role such as Managed HSM Crypto User at /keys.",
                        self.principal_name(principal),
                        vault.name
                    ),
                ))
            }
            VaultKind::Vault if vault.enable_rbac_authorization => {
                let scope = match key_name {
                    Some(k) => format!("{}/keys/{k}", vault.id()),
                    None => vault.id(),
                };
                let action = op.vault_data_action();
                if self.has_data_action(principal, action, &scope) {
                    return Ok(());
                }
                Err(Error::new(
                    ErrorCode::ForbiddenByRbac,
                    format!(
                        "Caller '{}' (oid {principal}) is not authorized to perform '{action}' on '{scope}'. Vault '{}' uses Azure RBAC: assign it the {} role at the vault or above.",
                        self.principal_name(principal),
                        vault.name,
                        self.role_to_grant(principal, action)
                    ),
                ))
            }
            VaultKind::Vault => {
                let permission = op.permission();
                let allowed = vault
                    .access_policies
                    .iter()
                    .any(|p| p.object_id.eq_ignore_ascii_case(principal) && p.key_permissions.contains(&permission));
                if allowed {
                    return Ok(());
                }
                Err(Error::new(
                    ErrorCode::ForbiddenByPolicy,
                    format!(
                        "The user, group or application '{}' (oid {principal}) does not have keys {} permission on key vault '{}'. The vault uses access policies: add one that grants it (RBAC role assignments do not count here).",
                        self.principal_name(principal),
                        permission.as_str(),
                        vault.name
                    ),
                ))
            }
        }
    }

    /// SPEC KV-10: with public access off, people need a private endpoint and services need the
    /// trusted-services bypass; with public access limited to selected networks, people also get
    /// through from an address in the firewall's IP rules (the playground's is [`CLIENT_IP`]).
    pub(crate) fn check_network(&self, vault: &Vault, caller: Caller) -> Result<(), Error> {
        let public = vault.public_network_access;
        if public && !vault.network.deny {
            return Ok(());
        }
        let reachable = match caller {
            Caller::User => {
                !vault.private_endpoints.is_empty()
                    || (public && crate::azure::vault::ipv4_allowed(&vault.network.ip_rules, CLIENT_IP))
            }
            Caller::TrustedService => vault.bypass_azure_services,
        };
        if reachable {
            return Ok(());
        }
        let (how, fix) = match (public, caller) {
            (false, Caller::User) => ("has public network access disabled", "add a private endpoint or enable public network access"),
            (false, Caller::TrustedService) => (
                "has public network access disabled",
                "allow trusted Microsoft services to bypass the firewall, or enable public network access",
            ),
            (true, Caller::User) => (
                "allows public access only from selected networks, and the client address is not among them",
                "add your client IP address to the firewall, add a private endpoint, or allow public access from all networks",
            ),
            (true, Caller::TrustedService) => (
                "allows public access only from selected networks",
                "allow trusted Microsoft services to bypass the firewall, or allow public access from all networks",
            ),
        };
        Err(Error::new(
            ErrorCode::ForbiddenByFirewall,
            format!(
                "Client is not authorized: '{}' {how}, and this caller is not allowed through ({fix}). Client address: {CLIENT_IP}.",
                vault.name
            ),
        ))
    }

    /// The least-privileged built-in Key Vault role that grants `action` to this kind of
    /// principal: a service's identity (an enterprise policy's) gets the role made for it, Key
    /// Vault Crypto Service Encryption User; a person the roles people are given.
    pub(crate) fn role_to_grant(&self, principal: &str, action: &str) -> &'static str {
        const FOR_SERVICES: [&str; 2] = ["Key Vault Crypto Service Encryption User", "Key Vault Crypto Officer"];
        const FOR_PEOPLE: [&str; 4] =
            ["Key Vault Reader", "Key Vault Crypto User", "Key Vault Crypto Officer", "Key Vault Administrator"];
        let service = self.identities.iter().any(|m| m.object_id.eq_ignore_ascii_case(principal));
        let candidates: &[&'static str] = if service { &FOR_SERVICES } else { &FOR_PEOPLE };
        candidates
            .iter()
            .copied()
            .find(|name| role_by_name(name).is_some_and(|r| r.grants_data_action(action)))
            .unwrap_or("Key Vault Administrator")
    }

    pub(crate) fn principal_name(&self, principal: &str) -> String {
        self.principal_display(principal).unwrap_or_else(|| principal.into())
    }
}

/// Managed HSM local scopes: `/` covers everything, `/keys` every key, `/keys/{name}` one key.
fn hsm_scope_covers(assigned: &str, wanted: &str) -> bool {
    let assigned = assigned.trim_end_matches('/');
    assigned.is_empty() || scope_covers(assigned, wanted)
}
