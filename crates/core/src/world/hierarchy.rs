//! The key hierarchy of each enterprise policy, as the services see it: vault → key → versions →
//! the policy's identity (its access path and network) → environments → storage services → their
//! data keys. Every edge is checked the way the services check it; a broken one carries why.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::azure::policy::EnterprisePolicy;
use crate::azure::vault::{Vault, VaultKind};
use crate::powerplatform::environment::{Environment, Protector};
use crate::view::{ErrorView, KeyTreeEnvironment, KeyTreeIdentity, KeyTreeService, KeyTreeVersion, KeyTreeView};
use crate::world::World;

/// How the identity reaches the vault's keys: its roles (RBAC), its access policy, or HSM local roles.
fn access_path(world: &World, vault: &Vault, principal: &str) -> Vec<String> {
    let vault_id = vault.id().to_ascii_lowercase();
    let mut paths: Vec<String> = world
        .azure
        .role_assignments
        .iter()
        .filter(|r| r.principal_id == principal && vault_id.starts_with(&r.scope.to_ascii_lowercase()))
        .map(|r| format!("{} (Azure RBAC)", r.role))
        .collect();
    if !vault.enable_rbac_authorization {
        paths.extend(vault.access_policies.iter().filter(|a| a.object_id == principal).map(|a| {
            let perms: Vec<String> = a.key_permissions.iter().map(|p| p.as_str().to_string()).collect();
            format!("Access policy: {}", perms.join(", "))
        }));
    }
    if let VaultKind::ManagedHsm { local_assignments, .. } = &vault.kind {
        paths.extend(
            local_assignments
                .iter()
                .filter(|a| a.principal_id == principal)
                .map(|a| format!("{} on {} (local RBAC)", a.role, a.scope)),
        );
    }
    paths
}

fn network(vault: &Vault) -> String {
    match (vault.public_network_access, vault.bypass_azure_services) {
        (true, _) => "Public network access".into(),
        (false, true) => "Public access off; trusted Microsoft services allowed".into(),
        (false, false) => "Public access off; trusted Microsoft services blocked".into(),
    }
}

fn environment(world: &World, p: &EnterprisePolicy, e: &Environment) -> KeyTreeEnvironment {
    let keys = world.key_access();
    let services = e
        .services
        .iter()
        .map(|(service, s)| {
            let wrap = s.dek.protector.wrap();
            let (kid, refused) = match &s.dek.protector {
                Protector::Cmk { kid } => {
                    (Some(kid.clone()), crate::powerplatform::KeyAccess::check(&keys, &p.principal_id, kid).err())
                }
                Protector::Microsoft | Protector::Byok => (None, None),
            };
            KeyTreeService { label: service.label().into(), wrap, kid, broken: refused.as_ref().map(ErrorView::of) }
        })
        .collect();
    KeyTreeEnvironment {
        name: e.name.clone(),
        id: e.id.clone(),
        status: e.encryption.as_str().into(),
        locked: e.lock.is_some() && e.deleted.is_none(),
        deleted: e.deleted.is_some(),
        services,
    }
}

impl World {
    /// One tree per enterprise policy (the playground shows what the services see, whoever is
    /// signed in: the portals' own pages still show only what the persona may read).
    pub(crate) fn key_trees(&self) -> Vec<KeyTreeView> {
        let now = self.now;
        self.azure
            .policies
            .values()
            .map(|p| {
                let vault = self.azure.vaults.values().find(|v| v.id().eq_ignore_ascii_case(&p.key_vault_id));
                let key = vault.and_then(|v| v.keys.get(&p.key_name));
                let current = key.and_then(|k| k.current()).map(|v| v.version.clone());
                let used: Vec<String> = self
                    .pp
                    .environments
                    .values()
                    .flat_map(|e| e.services.values())
                    .filter_map(|s| match &s.dek.protector {
                        Protector::Cmk { kid } => Some(kid.rsplit('/').next().unwrap_or_default().to_string()),
                        _ => None,
                    })
                    .collect();
                let versions = key
                    .map(|k| {
                        k.versions
                            .iter()
                            .rev()
                            .map(|v| KeyTreeVersion {
                                version: v.version.clone(),
                                status: v.status(now).as_str().into(),
                                current: current.as_deref() == Some(v.version.as_str()),
                                in_use: used.contains(&v.version),
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let health = match self.azure.policy_health(p, now) {
                    crate::azure::policy::Health::Healthy => None,
                    crate::azure::policy::Health::Unhealthy { reason } => Some(reason),
                };
                let identity = KeyTreeIdentity {
                    principal_id: p.principal_id.clone(),
                    access: vault.map(|v| access_path(self, v, &p.principal_id)).unwrap_or_default(),
                    network: vault.map(network).unwrap_or_default(),
                    broken: health.as_ref().map(ErrorView::of),
                };
                let linked: Vec<&Environment> = self
                    .pp
                    .environments
                    .values()
                    .filter(|e| e.policy.as_deref().is_some_and(|id| id.eq_ignore_ascii_case(&p.id())))
                    .collect();
                KeyTreeView {
                    policy: p.name.clone(),
                    policy_id: p.id(),
                    vault: vault
                        .map(|v| v.name.clone())
                        .unwrap_or_else(|| p.key_vault_id.rsplit('/').next().unwrap_or_default().to_string()),
                    managed_hsm: vault.is_some_and(|v| v.is_hsm()),
                    key: p.key_name.clone(),
                    key_missing: key.is_none(),
                    versions,
                    identity,
                    environments: linked.into_iter().map(|e| environment(self, p, e)).collect(),
                }
            })
            .collect()
    }
}

/// The hierarchy of an environment no policy's tree covers (Microsoft's key, or the tenant's
/// legacy key): the key, then its services and what wraps their data keys.
pub fn tree_without_policy(e: &crate::view::EnvironmentDetail) -> KeyTreeView {
    KeyTreeView {
        policy: "Microsoft".into(),
        policy_id: String::new(),
        vault: "Microsoft".into(),
        managed_hsm: false,
        key: "Microsoft-managed key".into(),
        key_missing: false,
        versions: Vec::new(),
        identity: KeyTreeIdentity {
            principal_id: String::new(),
            access: alloc::vec!["Power Platform service".into()],
            network: "Inside Microsoft".into(),
            broken: None,
        },
        environments: alloc::vec![KeyTreeEnvironment {
            name: e.summary.name.clone(),
            id: e.summary.id.clone(),
            status: e.summary.encryption_status.clone(),
            locked: false,
            deleted: e.deleted.is_some(),
            services: e
                .summary
                .services
                .iter()
                .map(|s| KeyTreeService {
                    label: s.label.clone(),
                    wrap: Protector::from_label(&s.protector).wrap(),
                    kid: None,
                    broken: None,
                })
                .collect(),
        }],
    }
}
