//! The Azure side: the Entra tenant and its personas, the subscription, resource groups, Azure
//! RBAC, Key Vault and Managed HSM with their keys, and Power Platform enterprise policies as
//! Azure resources. It knows nothing about environments: the Power Platform side reaches it
//! only through [`crate::powerplatform::KeyAccess`], implemented here in [`access`].

pub mod access;
pub mod authz;
pub mod directory;
pub mod keys;
pub mod keyvault;
pub mod policy;
pub mod rbac;
pub mod requests;
pub mod role_assignments;
pub mod rotation;
pub mod schedule;
pub mod vault;

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use crate::error::{internal, Error, ErrorCode};
use crate::location::canonical_location;
use crate::sim::Queue;
use crate::time::SimTime;
use crate::view::*;
use directory::{ManagedIdentity, Tenant, User};
use policy::EnterprisePolicy;
use rbac::RoleAssignment;
use schedule::Event;
use vault::Vault;

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
    /// SPEC KV-14.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: crate::view::Tags,
}

/// A template deployment as its resource group's history keeps it (`az deployment group list`):
/// when, what it made and the template deployed. A redeployment under the same name replaces it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deployment {
    pub resource_group: String,
    pub name: String,
    pub at: SimTime,
    /// The resource it made (the enterprise policy's id).
    pub made: String,
    pub template: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeletedVault {
    pub vault: Vault,
    pub deleted: SimTime,
    pub scheduled_purge: SimTime,
}

/// Everything Azure holds. Same commands, times and RNG give the same state, byte for byte.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Azure {
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
    /// The resource groups' deployment histories, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) deployments: Vec<Deployment>,
    /// The activity log: management operations people made, oldest first (90 days).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) operations: Vec<crate::sim::Operation>,
    /// One-shot events waiting for the clock (purges at the end of retention).
    pub(crate) queue: Queue<Event>,
    /// Keys a host made ahead (WebCrypto in the browser) for versions the rotation policies
    /// make while the clock runs. Not state: never saved, ignored by equality.
    #[serde(skip)]
    pub(crate) keys_ahead: KeysAhead,
}

/// RSA keys made ahead by the host, by size, and those a rotation took since the host last
/// asked (so a replay can hand the same ones back).
#[derive(Clone, Debug, Default)]
pub struct KeysAhead {
    ready: Vec<(u32, crate::key_material::PrivateKeyDer)>,
    used: Vec<(u32, crate::key_material::PrivateKeyDer)>,
}

/// Keys made ahead are not part of the world's state: two worlds are equal without them.
impl PartialEq for KeysAhead {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for KeysAhead {}

/// How many keys of each size a host keeps ready for rotation policies.
pub const KEYS_AHEAD_PER_SIZE: usize = 2;

impl KeysAhead {
    pub(crate) fn forget_used(&mut self) {
        self.used.clear();
    }

    /// A key of `bits` made ahead, if one is ready; remembered as used.
    pub(crate) fn take(&mut self, bits: u32) -> Option<crate::key_material::PrivateKeyDer> {
        let at = self.ready.iter().position(|(b, _)| *b == bits)?;
        let (bits, der) = self.ready.remove(at);
        self.used.push((bits, der.clone()));
        Some(der)
    }
}

impl Default for Azure {
    fn default() -> Self {
        Self::new()
    }
}

/// The tenant's one subscription.
pub const SUBSCRIPTION_ID: &str = "00000000-0000-0000-0000-000000000001";

impl Azure {
    /// Tenant contoso, one subscription, the four personas, Gus, Kai and Mallory Owners of the
    /// subscription, Gus signed in.
    pub fn new() -> Self {
        let subscription = Subscription {
            id: SUBSCRIPTION_ID.into(),
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
            deployments: Vec::new(),
            operations: Vec::new(),
            queue: Queue::default(),
            keys_ahead: KeysAhead::default(),
        }
    }

    /// Hands over a key made ahead (PKCS#8 DER of an RSA key of `bits`) for rotation policies.
    pub fn supply_key_ahead(&mut self, bits: u32, der: crate::key_material::PrivateKeyDer) {
        self.keys_ahead.ready.push((bits, der));
    }

    /// The keys made ahead that rotations used since the last call (oldest first).
    pub fn take_used_keys(&mut self) -> Vec<(u32, crate::key_material::PrivateKeyDer)> {
        core::mem::take(&mut self.keys_ahead.used)
    }

    /// Forgets every key made ahead (a replay hands over the very ones a step used).
    pub fn clear_keys_ahead(&mut self) {
        self.keys_ahead = KeysAhead::default();
    }

    /// Sizes of keys the host should make ahead: for each size of a key with a rotation policy
    /// that rotates, as many as are missing to keep `KEYS_AHEAD_PER_SIZE` ready.
    pub fn keys_wanted(&self) -> Vec<u32> {
        let mut sizes: Vec<u32> = self
            .vaults
            .values()
            .flat_map(|v| v.keys.values())
            .filter(|k| k.rotation_policy.as_ref().is_some_and(|p| p.rotate.is_some()))
            .map(|k| k.bits())
            .collect();
        sizes.sort_unstable();
        sizes.dedup();
        let mut wanted = Vec::new();
        for bits in sizes {
            let ready = self.keys_ahead.ready.iter().filter(|(b, _)| *b == bits).count();
            wanted.extend(core::iter::repeat_n(bits, KEYS_AHEAD_PER_SIZE.saturating_sub(ready)));
        }
        wanted
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

    // ----- subscription, resource groups -----

    /// `az deployment group list`: the group's deployments, oldest first.
    pub(crate) fn list_deployments(&self, actor: &str, resource_group: &str) -> Result<Outcome, Error> {
        let rg = self.resource_group(resource_group)?.name.clone();
        self.authorize(actor, "Microsoft.Resources/deployments/read", &self.rg_id(&rg))?;
        let list: Vec<DeploymentView> = self
            .deployments
            .iter()
            .filter(|d| d.resource_group.eq_ignore_ascii_case(&rg))
            .map(|d| self.deployment_view(d))
            .collect();
        Ok(Outcome::Json(serde_json::to_value(list).map_err(|_| internal("deployments"))?))
    }

    /// `az deployment group show`: one deployment of the group's history.
    pub(crate) fn show_deployment(&self, actor: &str, resource_group: &str, name: &str) -> Result<Outcome, Error> {
        let rg = self.resource_group(resource_group)?.name.clone();
        self.authorize(actor, "Microsoft.Resources/deployments/read", &self.rg_id(&rg))?;
        let found = self
            .deployments
            .iter()
            .find(|d| d.resource_group.eq_ignore_ascii_case(&rg) && d.name.eq_ignore_ascii_case(name));
        let d = found.ok_or_else(|| {
            Error::new(
                ErrorCode::DeploymentNotFound,
                format!("Deployment '{name}' could not be found in resource group '{rg}'."),
            )
        })?;
        Ok(Outcome::Deployment(self.deployment_view(d)))
    }

    /// ARM's shape of a deployment of the history.
    pub(crate) fn deployment_view(&self, d: &Deployment) -> DeploymentView {
        DeploymentView {
            id: format!("{}/providers/Microsoft.Resources/deployments/{}", self.rg_id(&d.resource_group), d.name),
            name: d.name.clone(),
            resource_type: "Microsoft.Resources/deployments".into(),
            properties: DeploymentProperties {
                provisioning_state: "Succeeded".into(),
                timestamp: d.at.to_iso(),
                output_resources: alloc::vec![OutputResource {
                    id: d.made.clone(),
                    resource_group: d.resource_group.clone()
                }],
                warnings: Vec::new(),
            },
        }
    }

    pub(crate) fn register_provider(&mut self, actor: &str, namespace: &str) -> Result<Outcome, Error> {
        let ns = known_provider(namespace)?;
        self.authorize(actor, &format!("{ns}/register/action"), &self.subscription_scope())?;
        if !provider_registered(&self.subscription.registered_providers, ns) {
            self.subscription.registered_providers.push((*ns).into());
        }
        Ok(Outcome::Json(serde_json::json!({
            "id": format!("{}/providers/{ns}", self.subscription_scope()),
            "namespace": ns,
            "registrationState": "Registered",
        })))
    }

    /// `az provider unregister`: refused while the subscription holds resources of the namespace
    /// (vaults and HSMs for Microsoft.KeyVault, enterprise policies for Microsoft.PowerPlatform,
    /// private endpoints for Microsoft.Network), as ARM refuses it; unregistering one that is not
    /// registered changes nothing. Afterwards a policy cannot be created until it is registered
    /// again (SPEC EP-1).
    pub(crate) fn unregister_provider(&mut self, actor: &str, namespace: &str) -> Result<Outcome, Error> {
        let ns = known_provider(namespace)?;
        self.authorize(actor, &format!("{ns}/unregister/action"), &self.subscription_scope())?;
        if ns == ALWAYS_REGISTERED {
            return Err(Error::new(
                ErrorCode::Conflict,
                format!("The resource provider '{ns}' is Azure Resource Manager itself: it is registered in every subscription and cannot be unregistered."),
            ));
        }
        let in_use: Vec<String> = match ns {
            "Microsoft.KeyVault" => self.vaults.values().map(|v| v.name.clone()).collect(),
            "Microsoft.PowerPlatform" => self.policies.values().map(|p| p.name.clone()).collect(),
            "Microsoft.Network" => self.vaults.values().flat_map(|v| v.private_endpoints.iter().cloned()).collect(),
            _ => Vec::new(),
        };
        if !in_use.is_empty() {
            return Err(Error::new(
                ErrorCode::Conflict,
                format!(
                    "The resource provider '{ns}' cannot be unregistered: the subscription still has resources of it ({}). Delete them first.",
                    in_use.join(", ")
                ),
            ));
        }
        self.subscription.registered_providers.retain(|p| p != ns);
        Ok(Outcome::Json(serde_json::json!({
            "id": format!("{}/providers/{ns}", self.subscription_scope()),
            "namespace": ns,
            "registrationState": "NotRegistered",
        })))
    }

    pub(crate) fn create_resource_group(
        &mut self,
        actor: &str,
        name: &str,
        location: &str,
        tags: crate::view::Tags,
    ) -> Result<Outcome, Error> {
        check_resource_group_name(name)?;
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
        }
        // A PUT: created, or (same location) its tags replaced by the line's.
        let rg = self.resource_groups.entry(key.clone()).or_insert_with(|| ResourceGroup {
            name: name.into(),
            location: location.into(),
            tags: Default::default(),
        });
        rg.tags = tags;
        let rg = self.resource_groups.get(&key).ok_or_else(|| internal("resource group vanished"))?;
        Ok(Outcome::ResourceGroup(self.rg_view(rg)))
    }

    /// `az group update --tags` (SPEC KV-14): the tags become these; nothing else changes.
    pub(crate) fn update_resource_group(
        &mut self,
        actor: &str,
        name: &str,
        tags: crate::view::Tags,
    ) -> Result<Outcome, Error> {
        let id = self.rg_id(&self.resource_group(name)?.name);
        self.authorize(actor, "Microsoft.Resources/subscriptions/resourceGroups/write", &id)?;
        let rg = self.resource_groups.get_mut(&name.to_ascii_lowercase()).ok_or_else(|| internal("group vanished"))?;
        rg.tags = tags;
        let rg = self.resource_group(name)?;
        Ok(Outcome::ResourceGroup(self.rg_view(rg)))
    }

    /// `az group delete`: everything in the group goes with it, as in ARM — its vaults and Managed
    /// HSMs soft-deleted (their names stay reserved; recovering one needs the group again), its
    /// enterprise policies deleted with their identities, role assignments at or under it
    /// removed. A policy with linked environments stops it before anything is deleted (SPEC
    /// EP-6); any other refusal (a vault the persona may not delete) leaves everything as it was.
    /// Answers what it deleted and the policies gone (for Power Platform to forget).
    pub(crate) fn delete_resource_group(
        &mut self,
        actor: &str,
        name: &str,
        linked: crate::azure::policy::Links<'_>,
        now: SimTime,
    ) -> Result<(Outcome, Vec<String>), Error> {
        let group = self.resource_group(name)?.name.clone();
        let id = self.rg_id(&group);
        self.authorize(actor, "Microsoft.Resources/subscriptions/resourceGroups/delete", &id)?;
        let here = |g: &str| g.eq_ignore_ascii_case(&group);
        let policies: Vec<(String, String)> =
            self.policies.iter().filter(|(_, p)| here(&p.resource_group)).map(|(k, p)| (k.clone(), p.id())).collect();
        for (key, _) in &policies {
            let in_use = linked(key).len();
            if in_use > 0 {
                let p = &self.policies[key];
                return Err(Error::new(
                    ErrorCode::PolicyInUse,
                    format!("Resource group '{group}' was not deleted: its enterprise policy '{}' has {in_use} linked environment(s). Remove them from the policy in the Power Platform admin center first; nothing in the group was deleted.", p.name),
                ));
            }
        }
        let vaults: Vec<String> =
            self.vaults.values().filter(|v| here(&v.resource_group)).map(|v| v.name.clone()).collect();
        let before = self.clone();
        let mut run = || -> Result<(), Error> {
            for v in &vaults {
                self.delete_vault(actor, v, now)?;
            }
            for (_, policy_id) in &policies {
                self.delete_resource(actor, policy_id, linked, now)?;
            }
            Ok(())
        };
        if let Err(e) = run() {
            *self = before;
            return Err(e);
        }
        let scope = id.to_ascii_lowercase();
        self.role_assignments.retain(|a| {
            let s = a.scope.to_ascii_lowercase();
            s != scope && !s.starts_with(&format!("{scope}/"))
        });
        self.resource_groups.remove(&group.to_ascii_lowercase());
        self.deployments.retain(|d| !here(&d.resource_group));
        let outcome = Outcome::Json(serde_json::json!({
            "deleted": id,
            "vaultsSoftDeleted": vaults,
            "enterprisePoliciesDeleted": policies.iter().map(|(_, id)| id.clone()).collect::<Vec<_>>(),
        }));
        Ok((outcome, policies.into_iter().map(|(k, _)| k).collect()))
    }

    pub(crate) fn rg_view(&self, rg: &ResourceGroup) -> ResourceGroupView {
        ResourceGroupView {
            id: self.rg_id(&rg.name),
            name: rg.name.clone(),
            location: rg.location.clone(),
            tags: rg.tags.clone(),
            resource_type: "Microsoft.Resources/resourceGroups".into(),
            properties: ProvisioningState { provisioning_state: "Succeeded".into() },
        }
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

/// A resource group's name as Azure takes it: 1–90 letters, digits, '-', '_', '.', '(' or ')',
/// not ending in '.'. The page checks it as the name is typed, with the same words.
pub fn check_resource_group_name(name: &str) -> Result<(), Error> {
    if name.is_empty() {
        return Err(Error::new(ErrorCode::BadParameter, "The value must not be empty."));
    }
    let valid = name.chars().count() <= 90
        && name.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '(' | ')'))
        && !name.ends_with('.');
    if valid {
        return Ok(());
    }
    Err(Error::new(
        ErrorCode::BadParameter,
        format!("Resource group name '{name}' is not valid: resource group names only allow alphanumeric characters, periods, underscores, hyphens and parenthesis, up to 90, and cannot end in a period."),
    ))
}

/// The resource providers the playground models, by canonical name (a real subscription lists
/// hundreds). One list for the shell, the portal and the core.
pub const PROVIDERS: [&str; 5] = [
    "Microsoft.KeyVault",
    "Microsoft.ManagedIdentity",
    "Microsoft.Network",
    "Microsoft.PowerPlatform",
    "Microsoft.Resources",
];

/// Azure Resource Manager's own namespace: registered in every subscription, never unregistered.
const ALWAYS_REGISTERED: &str = "Microsoft.Resources";

/// Whether `namespace` is registered, given the subscription's registered list.
pub fn provider_registered(registered: &[String], namespace: &str) -> bool {
    namespace.eq_ignore_ascii_case(ALWAYS_REGISTERED) || registered.iter().any(|p| p.eq_ignore_ascii_case(namespace))
}

/// A resource provider the playground models, by its canonical name.
pub(crate) fn known_provider(namespace: &str) -> Result<&'static str, Error> {
    PROVIDERS.iter().find(|k| k.eq_ignore_ascii_case(namespace)).copied().ok_or_else(|| {
        Error::new(
            ErrorCode::BadParameter,
            format!("Resource provider '{namespace}' is not offered here (known: {}).", PROVIDERS.join(", ")),
        )
    })
}
