//! What the Az cmdlets output: the modules' types (their names, their properties in the order
//! the modules print them), shaped from the answer of the `az` command each cmdlet means
//! (cmk-core's registry says which). A value that looks like a time stamp becomes a date, as
//! the modules' DateTime properties are.

use crate::value::{parse_date, Map, Value};

struct Shape {
    type_name: &'static str,
    /// (property, where its value is in the answer): a dotted path, `a|b` for the first of
    /// two, `path@date` for a date, `kid:vault|name|version` for a part of a key id, `=text`
    /// for a constant.
    props: &'static [(&'static str, &'static str)],
}

const CONTEXT: Shape = Shape {
    type_name: "Microsoft.Azure.Commands.Profile.Models.Core.PSAzureContext",
    props: &[
        ("Name", "name"),
        ("Account", "user.name"),
        ("SubscriptionName", "name"),
        ("Environment", "=AzureCloud"),
        ("TenantId", "tenantId"),
    ],
};

const PROFILE: Shape = Shape {
    type_name: "Microsoft.Azure.Commands.Profile.Models.Core.PSAzureProfile",
    props: &[
        ("Account", "user.name"),
        ("SubscriptionName", "name"),
        ("TenantId", "tenantId"),
        ("Environment", "=AzureCloud"),
    ],
};

const RESOURCE_GROUP: Shape = Shape {
    type_name: "Microsoft.Azure.Commands.ResourceManager.Cmdlets.SdkModels.PSResourceGroup",
    props: &[
        ("ResourceGroupName", "name"),
        ("Location", "location"),
        ("ProvisioningState", "properties.provisioningState"),
        ("Tags", "tags"),
        ("ResourceId", "id"),
    ],
};

const PROVIDER: Shape = Shape {
    type_name: "Microsoft.Azure.Commands.ResourceManager.Cmdlets.SdkModels.PSResourceProvider",
    props: &[
        ("ProviderNamespace", "namespace"),
        ("RegistrationState", "registrationState"),
        ("ResourceTypes", "resourceTypes[].resourceType"),
        ("Locations", "resourceTypes[].locations"),
    ],
};

const DEPLOYMENT: Shape = Shape {
    type_name: "Microsoft.Azure.Commands.ResourceManager.Cmdlets.SdkModels.PSResourceGroupDeployment",
    props: &[
        ("DeploymentName", "name"),
        ("ResourceGroupName", "resourceGroup"),
        ("ProvisioningState", "properties.provisioningState"),
        ("Timestamp", "properties.timestamp@date"),
        ("Mode", "properties.mode"),
        ("Outputs", "properties.outputs"),
    ],
};

const RESOURCE: Shape = Shape {
    type_name: "Microsoft.Azure.Commands.ResourceManager.Cmdlets.SdkModels.PSResource",
    props: &[
        ("Name", "name"),
        ("ResourceGroupName", "resourceGroup"),
        ("ResourceType", "type"),
        ("Kind", "kind"),
        ("Location", "location"),
        ("ResourceId", "id"),
        ("Identity", "identity"),
        ("Properties", "properties"),
        ("Tags", "tags"),
    ],
};

const ROLE_ASSIGNMENT: Shape = Shape {
    type_name: "Microsoft.Azure.Commands.Resources.Models.Authorization.PSRoleAssignment",
    props: &[
        ("RoleAssignmentName", "name"),
        ("RoleAssignmentId", "id"),
        ("Scope", "scope"),
        ("DisplayName", "principalName"),
        ("SignInName", "principal:upn"),
        ("RoleDefinitionName", "roleDefinitionName"),
        ("RoleDefinitionId", "roleDefinitionId"),
        ("ObjectId", "principalId"),
        ("ObjectType", "principal:type"),
        ("CanDelegate", "=False"),
    ],
};

const USER: Shape = Shape {
    type_name: "Microsoft.Azure.PowerShell.Cmdlets.Resources.MSGraph.Models.ApiV10.MicrosoftGraphUser",
    props: &[
        ("DisplayName", "displayName"),
        ("Id", "id"),
        ("Mail", "mail"),
        ("UserPrincipalName", "userPrincipalName"),
    ],
};

const SERVICE_PRINCIPAL: Shape = Shape {
    type_name: "Microsoft.Azure.PowerShell.Cmdlets.Resources.MSGraph.Models.ApiV10.MicrosoftGraphServicePrincipal",
    props: &[
        ("DisplayName", "displayName"),
        ("Id", "id"),
        ("AppId", "appId"),
        ("ServicePrincipalType", "servicePrincipalType"),
        ("AlternativeName", "alternativeNames"),
    ],
};

const VAULT: Shape = Shape {
    type_name: "Microsoft.Azure.Commands.KeyVault.Models.PSKeyVault",
    props: &[
        ("VaultName", "name"),
        ("ResourceGroupName", "resourceGroup"),
        ("Location", "location"),
        ("ResourceId", "id"),
        ("VaultUri", "properties.vaultUri"),
        ("TenantId", "properties.tenantId"),
        ("Sku", "properties.sku.name"),
        ("EnableSoftDelete", "properties.enableSoftDelete"),
        ("EnablePurgeProtection", "properties.enablePurgeProtection"),
        ("SoftDeleteRetentionInDays", "properties.softDeleteRetentionInDays"),
        ("EnableRbacAuthorization", "properties.enableRbacAuthorization"),
        ("PublicNetworkAccess", "properties.publicNetworkAccess"),
        ("Tags", "tags"),
    ],
};

const VAULT_ITEM: Shape = Shape {
    type_name: "Microsoft.Azure.Commands.KeyVault.Models.PSKeyVaultIdentityItem",
    props: &[
        ("VaultName", "name"),
        ("ResourceGroupName", "resourceGroup"),
        ("Location", "location"),
        ("ResourceId", "id"),
        ("Tags", "tags"),
    ],
};

const KEY: Shape = Shape {
    type_name: "Microsoft.Azure.Commands.KeyVault.Models.PSKeyVaultKey",
    props: &[
        ("VaultName", "kid:vault"),
        ("Name", "kid:name"),
        ("Version", "kid:version"),
        ("Id", "key.kid|kid"),
        ("Enabled", "attributes.enabled"),
        ("Expires", "attributes.expires@date"),
        ("NotBefore", "attributes.notBefore@date"),
        ("Created", "attributes.created@date"),
        ("Updated", "attributes.updated@date"),
        ("RecoveryLevel", "attributes.recoveryLevel"),
        ("Tags", "tags"),
    ],
};

const ROTATION_POLICY: Shape = Shape {
    type_name: "Microsoft.Azure.Commands.KeyVault.Models.PSKeyRotationPolicy",
    props: &[
        ("Id", "id"),
        ("VaultName", "kid:vault"),
        ("KeyName", "kid:name"),
        ("LifetimeActions", "actions:"),
        ("ExpiresIn", "attributes.expiryTime"),
        ("CreatedOn", "attributes.created@date"),
        ("UpdatedOn", "attributes.updated@date"),
    ],
};

/// The types whose default view is a table whatever their width (the modules' format files).
pub(crate) const TABLE_VIEWS: &[&str] = &[CONTEXT.type_name, PROFILE.type_name];

fn shape_of(cmdlet: &str, listed: bool) -> Option<&'static Shape> {
    Some(match cmdlet.to_ascii_lowercase().as_str() {
        "connect-azaccount" => &PROFILE,
        "get-azcontext" | "set-azcontext" => &CONTEXT,
        "new-azresourcegroup" | "get-azresourcegroup" => &RESOURCE_GROUP,
        "register-azresourceprovider" | "get-azresourceprovider" => &PROVIDER,
        "new-azresourcegroupdeployment" => &DEPLOYMENT,
        "get-azresource" => &RESOURCE,
        "new-azroleassignment" | "get-azroleassignment" => &ROLE_ASSIGNMENT,
        "get-azaduser" => &USER,
        "get-azadserviceprincipal" => &SERVICE_PRINCIPAL,
        "get-azkeyvault" if listed => &VAULT_ITEM,
        "new-azkeyvault" | "get-azkeyvault" | "update-azkeyvault" => &VAULT,
        "add-azkeyvaultkey" | "get-azkeyvaultkey" | "update-azkeyvaultkey" | "invoke-azkeyvaultkeyrotation" => &KEY,
        "get-azkeyvaultkeyrotationpolicy" | "set-azkeyvaultkeyrotationpolicy" => &ROTATION_POLICY,
        _ => return None,
    })
}

fn at(v: &Value, path: &str) -> Value {
    if let Some((first, second)) = path.split_once('|') {
        let a = at(v, first);
        return if a.is_null() { at(v, second) } else { a };
    }
    if let Some((list, rest)) = path.split_once("[].") {
        let items = at(v, list).items();
        return Value::array(items.iter().map(|i| at(i, rest)).collect());
    }
    path.split('.').fold(v.clone(), |cur, name| crate::ops::member(&cur, name))
}

/// A key id's part: `https://{vault}.vault.azure.net/keys/{name}/{version}`.
fn kid_part(v: &Value, part: &str) -> Value {
    let kid = at(v, "key.kid|kid|id").to_str();
    let rest = kid.split_once("://").map_or("", |(_, r)| r);
    let mut it = rest.split('/');
    let host = it.next().unwrap_or_default();
    let _keys = it.next();
    let (name, version) = (it.next().unwrap_or_default(), it.next().unwrap_or_default());
    Value::str(match part {
        "vault" => host.split('.').next().unwrap_or_default(),
        "name" => name,
        _ => version,
    })
}

/// Set-AzKeyVaultKeyRotationPolicy's -ExpiresIn and -KeyRotationLifetimeAction (hashtables the
/// module casts to PSKeyRotationLifetimeAction): as the module does, they make Key Vault's policy,
/// handed to cmk-core as -PolicyPath's text (a value that starts with `{` is the JSON itself).
/// Every other cmdlet's words pass as they are.
pub(crate) fn rotation_policy(cmdlet: &str, words: Vec<Value>) -> Result<Vec<Value>, String> {
    if !cmdlet.eq_ignore_ascii_case("set-azkeyvaultkeyrotationpolicy") {
        return Ok(words);
    }
    // A parameter by any unambiguous prefix, as PowerShell binds it.
    let is = |w: &Value, full: &str, shortest: usize| match w {
        Value::Str(s) if s.len() > shortest && s.starts_with('-') => full.starts_with(&s[1..].to_ascii_lowercase()),
        _ => false,
    };
    let (mut out, mut expires, mut actions) = (Vec::new(), None, None);
    let mut it = words.into_iter();
    while let Some(w) = it.next() {
        if is(&w, "expiresin", 2) {
            expires = it.next();
        } else if is(&w, "keyrotationlifetimeaction", 11) {
            actions = it.next();
        } else {
            out.push(w);
        }
    }
    if expires.is_none() && actions.is_none() {
        return Ok(out);
    }
    if out.iter().any(|w| is(w, "policypath", 1)) {
        return Err("Parameter set cannot be resolved using the specified named parameters.".into());
    }
    let mut list = Vec::new();
    for a in actions.map(|a| a.items()).unwrap_or_default() {
        if !matches!(a, Value::Hash(_) | Value::Object(_)) {
            return Err(format!(
                "Cannot convert \"{}\" to PSKeyRotationLifetimeAction: give @{{Action=\"Rotate\"; TimeAfterCreate=\"P18M\"}}.",
                a.to_str()
            ));
        }
        let field = |name: &str| crate::ops::member(&a, name);
        let mut trigger = Map::default();
        for (from, to) in [("TimeAfterCreate", "timeAfterCreate"), ("TimeBeforeExpiry", "timeBeforeExpiry")] {
            let v = field(from);
            if !v.is_null() {
                trigger.0.push((to.into(), Value::Str(v.to_str())));
            }
        }
        let action = Map(vec![("type".into(), field("Action"))]);
        list.push(Value::hash(Map(vec![
            ("trigger".into(), Value::hash(trigger)),
            ("action".into(), Value::hash(action)),
        ])));
    }
    let mut policy = Map(vec![("lifetimeActions".into(), Value::array(list))]);
    if let Some(e) = expires {
        policy.0.push(("attributes".into(), Value::hash(Map(vec![("expiryTime".into(), Value::Str(e.to_str()))]))));
    }
    out.push(Value::str("-PolicyPath"));
    out.push(Value::Str(crate::format::to_json(&Value::hash(policy), 10, true).0));
    Ok(out)
}

/// The objects a cmdlet outputs, from what the `az` command it means answered.
pub(crate) fn shape(cmdlet: &str, items: Vec<Value>) -> Vec<Value> {
    let lower = cmdlet.to_ascii_lowercase();
    // Remove-AzResource answers True; the other Remove-* cmdlets and Set-AzKeyVaultAccessPolicy
    // print nothing unless -PassThru.
    if lower == "remove-azresource" {
        return vec![Value::Bool(true)];
    }
    if lower.starts_with("remove-az") || lower == "set-azkeyvaultaccesspolicy" {
        return Vec::new();
    }
    let listed = items.len() != 1;
    let Some(shape) = shape_of(cmdlet, listed) else { return items };
    items
        .iter()
        .map(|item| {
            let mut m = Map::default();
            for (name, path) in shape.props {
                let value = if let Some(c) = path.strip_prefix('=') {
                    if c == "False" {
                        Value::Bool(false)
                    } else {
                        Value::str(c)
                    }
                } else if let Some(what) = path.strip_prefix("principal:") {
                    // A user signs in with a UPN; anything else is a service principal (an
                    // enterprise policy's identity).
                    let name = at(item, "principalName").to_str();
                    match (what, name.contains('@')) {
                        ("upn", true) => Value::Str(name),
                        ("upn", false) => Value::Null,
                        (_, true) => Value::str("User"),
                        (_, false) => Value::str("ServicePrincipal"),
                    }
                } else if *path == "actions:" {
                    // Each as the module writes a PSKeyRotationLifetimeAction.
                    let actions = at(item, "lifetimeActions").items();
                    Value::array(
                        actions
                            .iter()
                            .map(|a| {
                                Value::Str(format!(
                                    "[Action: {}, TimeAfterCreate: {}, TimeBeforeExpiry: {}]",
                                    at(a, "action.type").to_str(),
                                    at(a, "trigger.timeAfterCreate").to_str(),
                                    at(a, "trigger.timeBeforeExpiry").to_str()
                                ))
                            })
                            .collect(),
                    )
                } else if let Some(part) = path.strip_prefix("kid:") {
                    kid_part(item, part)
                } else if let Some(p) = path.strip_suffix("@date") {
                    let v = at(item, p);
                    match parse_date(&v.to_str()) {
                        Some(ms) if !v.is_null() => Value::Date(ms),
                        _ => v,
                    }
                } else {
                    at(item, path)
                };
                m.0.push((name.to_string(), value));
            }
            Value::object(shape.type_name, m)
        })
        .collect()
}
