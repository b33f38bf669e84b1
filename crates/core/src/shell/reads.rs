//! The everyday reads people type in Azure, answered from the signed-in persona's view with the
//! real CLI's output shapes.

use alloc::format;
use alloc::string::ToString;
use alloc::vec::Vec;

use serde_json::Value;

use super::err;
use crate::command::registry::args::Args;
use crate::error::{Error, ErrorCode};
use crate::world::World;

/// The everyday reads, as the signed-in persona sees the world (the page's own projection).
pub(super) fn list(world: &World, path: &str, a: &Args) -> Result<Value, Error> {
    let v = world.view();
    let json = |x: &dyn erased::Json| x.to_value();
    let vault_of = |name: &str| -> Result<&crate::view::VaultListing, Error> {
        v.vaults.iter().find(|l| l.vault.name.eq_ignore_ascii_case(name)).ok_or_else(|| {
            err(
                ErrorCode::VaultNotFound,
                format!("The vault '{name}' was not found, or the signed-in persona cannot read it."),
            )
        })
    };
    let rg = a.flag("--resource-group");
    let in_rg = |group: &str| rg.is_none_or(|g| g.eq_ignore_ascii_case(group));
    Ok(match path {
        "az account show" | "az account list" => {
            if let Some(s) = a.flag("--subscription") {
                check_subscription(&v, s)?;
            }
            let account = serde_json::json!({
                "id": v.subscription_id,
                "name": v.subscription_name,
                "state": "Enabled",
                "isDefault": true,
                "tenantId": v.tenant_id,
                "tenantDefaultDomain": v.tenant_domain,
                "user": { "name": v.signed_in.user_principal_name, "type": "user" },
            });
            if path == "az account list" {
                Value::Array(alloc::vec![account])
            } else {
                account
            }
        }
        // The tenant has one subscription: setting it is checked, and prints nothing (as the CLI).
        "az account set" => {
            check_subscription(&v, &a.req("--subscription"))?;
            Value::Null
        }
        "az ad signed-in-user show" => json(&v.signed_in),
        "az ad sp show" => {
            let id = a.req("--id");
            let p = v
                .policies
                .iter()
                .find(|p| p.identity.principal_id.eq_ignore_ascii_case(&id) || p.name.eq_ignore_ascii_case(&id))
                .ok_or_else(|| {
                    err(
                        ErrorCode::PrincipalNotFound,
                        format!("Resource '{id}' does not exist or one of its queried reference-property objects are not present."),
                    )
                })?;
            service_principal(p)
        }
        // As Microsoft Graph's `startswith(displayName, …)`: case-insensitive. Managed identities
        // have no owner, so `--show-mine` lists none.
        "az ad sp list" => {
            let prefix = a.flag("--display-name").map(str::to_ascii_lowercase);
            let mine = a.flag("--show-mine").is_some();
            Value::Array(
                v.policies
                    .iter()
                    .filter(|p| !mine && prefix.as_ref().is_none_or(|s| p.name.to_ascii_lowercase().starts_with(s)))
                    .map(service_principal)
                    .collect(),
            )
        }
        "az provider list" => Value::Array(
            crate::azure::PROVIDERS
                .iter()
                .map(|n| {
                    let registered = crate::azure::provider_registered(&v.registered_providers, n);
                    serde_json::json!({ "id": format!("/subscriptions/{}/providers/{n}", v.subscription_id), "namespace": n, "registrationState": if registered { "Registered" } else { "NotRegistered" } })
                })
                .collect(),
        ),
        "az group list" => json(&v.resource_groups),
        "az group show" | "az group exists" => {
            let name = a.req("--name");
            let found = v.resource_groups.iter().find(|g| g.name.eq_ignore_ascii_case(&name));
            match (path, found) {
                ("az group exists", found) => Value::Bool(found.is_some()),
                (_, Some(g)) => json(g),
                (_, None) => {
                    return Err(err(
                        ErrorCode::ResourceGroupNotFound,
                        format!("Resource group '{name}' could not be found."),
                    ))
                }
            }
        }
        "az provider show" => {
            let namespace = crate::azure::known_provider(&a.req("--namespace"))?;
            let registered = crate::azure::provider_registered(&v.registered_providers, namespace);
            serde_json::json!({
                "id": format!("/subscriptions/{}/providers/{namespace}", v.subscription_id),
                "namespace": namespace,
                "registrationPolicy": if namespace == "Microsoft.Resources" { "RegistrationFree" } else { "RegistrationRequired" },
                "registrationState": if registered { "Registered" } else { "NotRegistered" },
            })
        }
        "az keyvault list" => {
            Value::Array(v.vaults.iter().filter(|l| in_rg(&l.vault.resource_group)).map(|l| json(&l.vault)).collect())
        }
        "az keyvault list-deleted" => {
            Value::Array(v.deleted_vaults.iter().map(|d| deleted_vault(&v.subscription_id, d)).collect())
        }
        "az keyvault show-deleted" => {
            let name = a.vault_or_hsm("--name")?;
            let d = v.deleted_vaults.iter().find(|d| d.name.eq_ignore_ascii_case(&name)).ok_or_else(|| {
                err(
                    ErrorCode::DeletedVaultNotFound,
                    format!("Deleted vault '{name}' was not found: it was never deleted, or it has been purged or recovered."),
                )
            })?;
            deleted_vault(&v.subscription_id, d)
        }
        "az keyvault network-rule list" => {
            let acls = &vault_of(&a.vault_or_hsm("--name")?)?.vault.properties.network_acls;
            serde_json::json!({ "ipRules": json(&acls.ip_rules), "virtualNetworkRules": json(&acls.virtual_network_rules) })
        }
        "az keyvault key list" => {
            let l = vault_of(&a.vault_target()?)?;
            let keys = l.keys.as_ref().map_err(Clone::clone)?;
            Value::Array(
                keys.iter()
                    .map(|k| {
                        let current = k.versions.first();
                        serde_json::json!({
                            "kid": current.map(|c| c.kid.rsplit_once('/').map(|(base, _)| base.to_string()).unwrap_or_default()),
                            "name": k.name,
                            "kty": k.kty,
                            "attributes": { "enabled": current.is_some_and(|c| c.enabled), "created": current.map(|c| c.created.clone()), "exp": current.and_then(|c| c.exp.clone()), "nbf": current.and_then(|c| c.nbf.clone()) },
                        })
                    })
                    .collect(),
            )
        }
        "az keyvault key list-deleted" | "az keyvault key show-deleted" => {
            let (vault, wanted) = match path {
                "az keyvault key list-deleted" => (a.vault_target()?, None),
                _ => a.key_in("deletedkeys").map(|(vault, name, _)| (vault, Some(name)))?,
            };
            let l = vault_of(&vault)?;
            l.keys.as_ref().map_err(Clone::clone)?;
            let uri = &l.vault.properties.vault_uri;
            let deleted = |d: &crate::view::DeletedItemView| serde_json::json!({ "name": d.name, "kid": format!("{uri}keys/{}", d.name), "deletedDate": d.deleted, "scheduledPurgeDate": d.scheduled_purge, "recoveryId": format!("{uri}deletedkeys/{}", d.name) });
            if let Some(name) = wanted {
                let d = l.deleted_keys.iter().find(|d| d.name.eq_ignore_ascii_case(&name)).ok_or_else(|| {
                    err(
                        ErrorCode::DeletedKeyNotFound,
                        format!("Deleted Key not found: '{name}' is not a soft-deleted key of '{}'.", l.vault.name),
                    )
                })?;
                deleted(d)
            } else {
                Value::Array(l.deleted_keys.iter().map(deleted).collect())
            }
        }
        "az role definition list" => {
            let wanted = a.flag("--name");
            Value::Array(
                crate::azure::rbac::BUILTIN_ROLES
                    .iter()
                    .filter(|r| wanted.is_none_or(|w| w.eq_ignore_ascii_case(r.name)))
                    .map(|r| serde_json::json!({
                        "id": format!("/subscriptions/{}/providers/Microsoft.Authorization/roleDefinitions/{}", v.subscription_id, r.id),
                        "name": r.id,
                        "roleName": r.name,
                        "roleType": "BuiltInRole",
                        "type": "Microsoft.Authorization/roleDefinitions",
                        "permissions": [{ "actions": r.actions, "notActions": r.not_actions, "dataActions": r.data_actions }],
                    }))
                    .collect(),
            )
        }
        // As Graph's filters: startswith on the display name, equality on the UPN (both ignore case).
        "az ad user list" => Value::Array(
            v.personas
                .iter()
                .filter(|u| {
                    let name = u.display_name.to_ascii_lowercase();
                    a.flag("--display-name").is_none_or(|p| name.starts_with(&p.to_ascii_lowercase()))
                        && a.flag("--upn").is_none_or(|upn| u.user_principal_name.eq_ignore_ascii_case(upn))
                })
                .map(|u| serde_json::json!({ "id": u.id, "userPrincipalName": u.user_principal_name, "displayName": u.display_name }))
                .collect(),
        ),
        _ => {
            let wanted = a.flag("--resource-type");
            let mut all: Vec<Value> = v
                .vaults
                .iter()
                .map(|l| serde_json::json!({ "id": l.vault.id, "name": l.vault.name, "type": l.vault.resource_type, "location": l.vault.location, "resourceGroup": l.vault.resource_group }))
                .collect();
            all.extend(v.policies.iter().map(|p| serde_json::json!({ "id": p.id, "name": p.name, "type": p.resource_type, "location": p.location, "resourceGroup": p.resource_group, "kind": p.kind })));
            Value::Array(
                all.into_iter()
                    .filter(|r| wanted.is_none_or(|w| r["type"].as_str().is_some_and(|t| t.eq_ignore_ascii_case(w))))
                    .filter(|r| r["resourceGroup"].as_str().is_some_and(&in_rg))
                    .collect(),
            )
        }
    })
}

/// An enterprise policy's managed identity as Microsoft Graph shows a service principal.
fn service_principal(p: &crate::view::PolicyView) -> Value {
    serde_json::json!({
        "id": p.identity.principal_id,
        "displayName": p.name,
        "servicePrincipalType": "ManagedIdentity",
        "alternativeNames": ["isExplicit=False", p.id],
        "appOwnerOrganizationId": p.identity.tenant_id,
    })
}

/// A soft-deleted vault as `az keyvault list-deleted` / `show-deleted` print it.
fn deleted_vault(subscription: &str, d: &crate::view::DeletedItemView) -> Value {
    serde_json::json!({
        "id": format!("/subscriptions/{subscription}/providers/Microsoft.KeyVault/locations/{}/deletedVaults/{}", d.location, d.name),
        "name": d.name,
        "type": "Microsoft.KeyVault/deletedVaults",
        "properties": { "location": d.location, "deletionDate": d.deleted, "scheduledPurgeDate": d.scheduled_purge, "purgeProtectionEnabled": d.purge_protection },
    })
}

/// A subscription a line names, by name or id: the tenant's only one, else the real CLI's refusal.
pub(super) fn check_subscription(v: &crate::view::View, named: &str) -> Result<(), Error> {
    if named.eq_ignore_ascii_case(&v.subscription_id) || named.eq_ignore_ascii_case(&v.subscription_name) {
        return Ok(());
    }
    Err(err(
        ErrorCode::SubscriptionNotFound,
        format!(
            "The subscription of '{named}' doesn't exist in cloud 'AzureCloud'. This tenant has one: '{}' ({}).",
            v.subscription_name, v.subscription_id
        ),
    ))
}

/// `-g` on a vault command, and `--location` on a deleted vault's: where the line says the vault
/// is. As ARM, a vault that is elsewhere is not found there; checked before anything runs. A vault
/// the persona cannot see is left to the command, which refuses it in its own words. The view is
/// built only for a line that names a place (this runs before every line).
pub(super) fn check_place(world: &World, path: &str, a: &Args) -> Result<(), Error> {
    const PLACED: [&str; 8] = [
        "az keyvault show",
        "az keyvault delete",
        "az keyvault update",
        "az keyvault set-policy",
        "az keyvault delete-policy",
        "az keyvault recover",
        "az keyvault purge",
        "az keyvault show-deleted",
    ];
    if !PLACED.contains(&path) && !path.starts_with("az keyvault network-rule ") {
        return Ok(());
    }
    let (rg, location) = (a.flag("--resource-group"), a.flag("--location"));
    if rg.is_none() && location.is_none() {
        return Ok(());
    }
    let Ok(name) = a.vault_or_hsm("--name") else { return Ok(()) };
    let v = world.view();
    let kind = if a.flag("--hsm-name").is_some() { "managedHSMs" } else { "vaults" };
    if let Some(rg) = rg {
        let live = v.vaults.iter().find(|l| l.vault.name.eq_ignore_ascii_case(&name));
        if live.is_some_and(|l| !l.vault.resource_group.eq_ignore_ascii_case(rg)) {
            return Err(err(
                ErrorCode::ResourceNotFound,
                format!("The Resource 'Microsoft.KeyVault/{kind}/{name}' under resource group '{rg}' was not found."),
            ));
        }
    }
    if let Some(location) = location {
        let deleted = v.deleted_vaults.iter().find(|d| d.name.eq_ignore_ascii_case(&name));
        if deleted.is_some_and(|d| !d.location.eq_ignore_ascii_case(location)) {
            return Err(err(
                ErrorCode::DeletedVaultNotFound,
                format!("Deleted vault '{name}' was not found in location '{location}'."),
            ));
        }
    }
    Ok(())
}

/// Serializing through one door (`serde_json::to_value` cannot fail for these types).
mod erased {
    pub trait Json {
        fn to_value(&self) -> serde_json::Value;
    }
    impl<T: serde::Serialize> Json for T {
        fn to_value(&self) -> serde_json::Value {
            serde_json::to_value(self).unwrap_or_default()
        }
    }
}
