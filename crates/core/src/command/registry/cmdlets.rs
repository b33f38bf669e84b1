//! The Az PowerShell cmdlets (Az.Accounts, Az.Resources, Az.KeyVault): each is another surface
//! form of an `az` command the registry already describes. The cmdlet's real parameter names
//! are read (any case, any unambiguous prefix, as PowerShell binds them), then the `az` line
//! they mean runs — the same `Command`, the same checks, the same answer, which PowerShell
//! shapes into the module's output type. A parameter the real cmdlet has and the simulation does
//! not model is refused with `NotSimulated`, naming it: never ignored.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;

use super::args::Args;
use super::spec::{opt, req, switch, Flag, Spec};
use crate::error::{Error, ErrorCode};

/// A cmdlet parameter that takes a value, which the simulation does not model.
const fn unmodelled(names: &'static [&'static str]) -> Flag {
    opt(names, "not simulated by the playground")
}

/// A cmdlet switch the simulation does not model.
const fn unmodelled_switch(names: &'static [&'static str]) -> Flag {
    switch(names, "not simulated by the playground")
}

/// Refuses any parameter the cmdlet names as not modelled.
fn refuse(cmdlet: &str, flags: &[Flag], a: &Args) -> Result<(), Error> {
    for f in flags.iter().filter(|f| f.help == "not simulated by the playground") {
        if a.flag(f.names[0]).is_some() {
            return Err(Error::new(
                ErrorCode::NotSimulated,
                format!("{cmdlet} {}: the playground does not simulate this parameter.", f.names[0]),
            ));
        }
    }
    Ok(())
}

/// A switch given (`-Force`), not given, or turned off (`-Force:$false`).
fn on(a: &Args, name: &str) -> bool {
    a.flag(name).is_some_and(|v| !v.eq_ignore_ascii_case("false"))
}

fn s(x: &str) -> String {
    x.to_string()
}

fn argv(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| s(w)).collect()
}

/// Adds `--flag value` when the cmdlet's parameter was given.
fn pass(out: &mut Vec<String>, a: &Args, from: &str, to: &str) {
    if let Some(v) = a.flag(from) {
        out.push(s(to));
        out.push(s(v));
    }
}

macro_rules! cmdlet {
    ($path:literal, $summary:literal, $flags:expr, |$a:ident| $body:expr) => {{
        const FLAGS: &[Flag] = $flags;
        Spec::cmdlet($path, $summary, FLAGS, |$a: &Args| {
            refuse($path, FLAGS, $a)?;
            $body
        })
    }};
}

/// Every Az cmdlet the shell knows, and the `az` line each one means.
pub const CMDLETS: &[Spec] = &[
    // ---- Az.Accounts ----
    cmdlet!(
        "Connect-AzAccount",
        "Az PowerShell: sign in (the current persona, or -AccountId)",
        &[
            opt(&["-AccountId"], "the persona's UPN"),
            opt(&["-Tenant", "-TenantId"], "the tenant (contoso.onmicrosoft.com)"),
            opt(&["-Subscription", "-SubscriptionId", "-SubscriptionName"], "the subscription"),
            switch(
                &["-UseDeviceAuthentication", "-DeviceCode", "-DeviceAuth", "-Device"],
                "device code sign-in (here: at once)"
            ),
            switch(&["-Identity"], "a managed identity: not simulated"),
            unmodelled_switch(&["-ServicePrincipal"]),
            unmodelled(&["-CertificateThumbprint"]),
            unmodelled(&["-Credential"]),
        ],
        |a| {
            if on(a, "-Identity") {
                return Err(Error::new(
                    ErrorCode::NotSimulated,
                    s("Connect-AzAccount -Identity: the Cloud Shell here signs in people, not managed identities."),
                ));
            }
            Ok(match a.flag("-AccountId") {
                Some(upn) => argv(&["az", "login", "--username", upn]),
                None => argv(&["az", "account", "show"]),
            })
        }
    ),
    cmdlet!(
        "Get-AzContext",
        "Az PowerShell: the signed-in account and subscription",
        &[switch(&["-ListAvailable"], "every context (here, the one)")],
        |_a| Ok(argv(&["az", "account", "show"]))
    ),
    cmdlet!(
        "Set-AzContext",
        "Az PowerShell: choose the subscription",
        &[
            opt(&["-Subscription", "-SubscriptionId", "-SubscriptionName"], "name or id"),
            opt(&["-Tenant", "-TenantId"], "the tenant"),
            unmodelled(&["-Context"]),
        ],
        |a| {
            let mut out = argv(&["az", "account", "set"]);
            pass(&mut out, a, "-Subscription", "--subscription");
            Ok(out)
        }
    ),
    // ---- Az.Resources ----
    cmdlet!(
        "Register-AzResourceProvider",
        "Az PowerShell: register a resource provider",
        &[req(&["-ProviderNamespace"], "Microsoft.PowerPlatform"), unmodelled(&["-ConsentToPermissions"])],
        |a| Ok(argv(&["az", "provider", "register", "--namespace", a.flag("-ProviderNamespace").unwrap_or_default()]))
    ),
    cmdlet!(
        "Get-AzResourceProvider",
        "Az PowerShell: a resource provider and its registration state",
        &[req(&["-ProviderNamespace"], "Microsoft.PowerPlatform"), switch(&["-ListAvailable"], "all")],
        |a| Ok(argv(&["az", "provider", "show", "--namespace", a.flag("-ProviderNamespace").unwrap_or_default()]))
    ),
    cmdlet!(
        "New-AzResourceGroup",
        "Az PowerShell: create a resource group",
        &[
            req(&["-Name", "-ResourceGroupName"], "name"),
            req(&["-Location"], "region"),
            opt(&["-Tag"], "tags (a hashtable)"),
            switch(&["-Force"], "do not ask"),
        ],
        |a| {
            let mut out = argv(&["az", "group", "create", "--name", a.flag("-Name").unwrap_or_default(), "--location"]);
            out.push(s(a.flag("-Location").unwrap_or_default()));
            Ok(out)
        }
    ),
    cmdlet!(
        "Get-AzResourceGroup",
        "Az PowerShell: a resource group, or all of them",
        &[
            opt(&["-Name", "-ResourceGroupName"], "name"),
            opt(&["-Location"], "region"),
            opt(&["-Id", "-ResourceId"], "ARM id")
        ],
        |a| Ok(match a.flag("-Name") {
            Some(n) => argv(&["az", "group", "show", "--name", n]),
            None => argv(&["az", "group", "list"]),
        })
    ),
    cmdlet!(
        "New-AzResourceGroupDeployment",
        "Az PowerShell: deploy an ARM template to a resource group",
        &[
            req(&["-ResourceGroupName"], "group"),
            req(&["-TemplateFile"], "a file of the store"),
            opt(&["-Name", "-DeploymentName"], "deployment name"),
            opt(&["-Mode"], "Incremental"),
            unmodelled(&["-TemplateParameterFile"]),
            unmodelled(&["-TemplateUri"]),
            unmodelled(&["-TemplateParameterObject"]),
        ],
        |a| {
            let mut out = argv(&["az", "deployment", "group", "create", "--resource-group"]);
            out.push(s(a.flag("-ResourceGroupName").unwrap_or_default()));
            pass(&mut out, a, "-TemplateFile", "--template-file");
            pass(&mut out, a, "-Name", "--name");
            Ok(out)
        }
    ),
    cmdlet!(
        "Get-AzResource",
        "Az PowerShell: a resource by its ARM id",
        &[req(&["-ResourceId", "-Id"], "ARM id"), switch(&["-ExpandProperties"], "with its properties (always, here)")],
        |a| Ok(argv(&["az", "resource", "show", "--ids", a.flag("-ResourceId").unwrap_or_default()]))
    ),
    cmdlet!(
        "Remove-AzResource",
        "Az PowerShell: delete a resource by its ARM id",
        &[req(&["-ResourceId", "-Id"], "ARM id"), switch(&["-Force"], "do not ask")],
        |a| Ok(argv(&["az", "resource", "delete", "--ids", a.flag("-ResourceId").unwrap_or_default()]))
    ),
    cmdlet!(
        "Get-AzRoleAssignment",
        "Az PowerShell: role assignments, filtered",
        &[
            opt(&["-ObjectId", "-Id", "-PrincipalId"], "principal object id"),
            opt(&["-SignInName", "-Email", "-UserPrincipalName"], "a user's UPN"),
            opt(&["-RoleDefinitionName"], "role name"),
            opt(&["-Scope"], "ARM id"),
            opt(&["-ResourceGroupName"], "group"),
        ],
        |a| {
            let mut out = argv(&["az", "role", "assignment", "list", "--all"]);
            pass(&mut out, a, "-ObjectId", "--assignee");
            pass(&mut out, a, "-SignInName", "--assignee");
            pass(&mut out, a, "-RoleDefinitionName", "--role");
            pass(&mut out, a, "-Scope", "--scope");
            pass(&mut out, a, "-ResourceGroupName", "--resource-group");
            if a.flag("-Scope").is_some() || a.flag("-ResourceGroupName").is_some() {
                out.retain(|w| w != "--all");
            }
            Ok(out)
        }
    ),
    cmdlet!(
        "Remove-AzRoleAssignment",
        "Az PowerShell: remove a role assignment",
        &[
            opt(&["-ObjectId", "-Id", "-PrincipalId"], "principal object id"),
            opt(&["-SignInName", "-Email", "-UserPrincipalName"], "a user's UPN"),
            req(&["-RoleDefinitionName"], "role name"),
            req(&["-Scope"], "ARM id"),
        ],
        |a| {
            let assignee = a.flag("-ObjectId").or(a.flag("-SignInName")).ok_or_else(|| {
                Error::new(ErrorCode::MissingArgument, s("Remove-AzRoleAssignment needs -ObjectId or -SignInName."))
            })?;
            let mut out = argv(&["az", "role", "assignment", "delete", "--assignee", assignee]);
            pass(&mut out, a, "-RoleDefinitionName", "--role");
            pass(&mut out, a, "-Scope", "--scope");
            Ok(out)
        }
    ),
    cmdlet!(
        "Get-AzADUser",
        "Az PowerShell: a user of the directory",
        &[
            opt(&["-UserPrincipalName", "-UPN"], "UPN"),
            opt(&["-ObjectId", "-Id"], "object id"),
            switch(&["-SignedIn"], "the signed-in user"),
        ],
        |a| {
            let id = a.flag("-UserPrincipalName").or(a.flag("-ObjectId"));
            Ok(match (id, on(a, "-SignedIn")) {
                (Some(id), _) => argv(&["az", "ad", "user", "show", "--id", id]),
                (None, true) => argv(&["az", "ad", "signed-in-user", "show"]),
                (None, false) => argv(&["az", "ad", "user", "list"]),
            })
        }
    ),
    // ---- Az.KeyVault ----
    cmdlet!(
        "New-AzKeyVault",
        "Az PowerShell: create a key vault",
        &[
            req(&["-Name", "-VaultName"], "vault name"),
            req(&["-ResourceGroupName"], "group"),
            req(&["-Location"], "region"),
            opt(&["-Sku"], "Standard or Premium"),
            switch(&["-EnablePurgeProtection"], "purge protection (cannot be turned off)"),
            opt(&["-SoftDeleteRetentionInDays"], "7 to 90"),
            switch(&["-DisableRbacAuthorization"], "access policies instead of Azure RBAC"),
            opt(&["-PublicNetworkAccess"], "Enabled or Disabled"),
            opt(&["-Tag"], "tags"),
            unmodelled_switch(&["-EnabledForDeployment"]),
            unmodelled_switch(&["-EnabledForTemplateDeployment"]),
            unmodelled_switch(&["-EnabledForDiskEncryption"]),
            unmodelled(&["-NetworkRuleSet"]),
        ],
        |a| {
            let mut out = argv(&["az", "keyvault", "create", "--name", a.flag("-Name").unwrap_or_default()]);
            pass(&mut out, a, "-ResourceGroupName", "--resource-group");
            pass(&mut out, a, "-Location", "--location");
            pass(&mut out, a, "-Sku", "--sku");
            pass(&mut out, a, "-SoftDeleteRetentionInDays", "--retention-days");
            pass(&mut out, a, "-PublicNetworkAccess", "--public-network-access");
            if on(a, "-EnablePurgeProtection") {
                out.extend(argv(&["--enable-purge-protection", "true"]));
            }
            if on(a, "-DisableRbacAuthorization") {
                out.extend(argv(&["--enable-rbac-authorization", "false"]));
            }
            Ok(out)
        }
    ),
    cmdlet!(
        "Get-AzKeyVault",
        "Az PowerShell: a key vault, or the vaults",
        &[
            opt(&["-VaultName", "-Name"], "vault name"),
            opt(&["-ResourceGroupName"], "group"),
            switch(&["-InRemovedState"], "soft-deleted vaults")
        ],
        |a| Ok(match (a.flag("-VaultName"), on(a, "-InRemovedState")) {
            (_, true) => argv(&["az", "keyvault", "list-deleted"]),
            (Some(n), false) => argv(&["az", "keyvault", "show", "--name", n]),
            (None, false) => {
                let mut out = argv(&["az", "keyvault", "list"]);
                pass(&mut out, a, "-ResourceGroupName", "--resource-group");
                out
            }
        })
    ),
    cmdlet!(
        "Update-AzKeyVault",
        "Az PowerShell: change a vault's settings",
        &[
            req(&["-VaultName", "-Name"], "vault name"),
            req(&["-ResourceGroupName"], "group"),
            switch(&["-EnablePurgeProtection"], "turn purge protection on (for good)"),
            opt(&["-EnableRbacAuthorization"], "$true or $false"),
            opt(&["-PublicNetworkAccess"], "Enabled or Disabled"),
            opt(&["-Tag"], "tags"),
        ],
        |a| {
            let mut out = argv(&["az", "keyvault", "update", "--name", a.flag("-VaultName").unwrap_or_default()]);
            pass(&mut out, a, "-ResourceGroupName", "--resource-group");
            pass(&mut out, a, "-PublicNetworkAccess", "--public-network-access");
            if on(a, "-EnablePurgeProtection") {
                out.extend(argv(&["--enable-purge-protection", "true"]));
            }
            if let Some(v) = a.flag("-EnableRbacAuthorization") {
                out.extend(argv(&["--enable-rbac-authorization", &v.to_ascii_lowercase()]));
            }
            Ok(out)
        }
    ),
    cmdlet!(
        "Remove-AzKeyVault",
        "Az PowerShell: delete a key vault (soft delete)",
        &[
            req(&["-VaultName", "-Name"], "vault name"),
            opt(&["-ResourceGroupName"], "group"),
            switch(&["-Force"], "do not ask"),
            switch(&["-InRemovedState"], "purge a soft-deleted vault")
        ],
        |a| {
            let name = a.flag("-VaultName").unwrap_or_default();
            Ok(if on(a, "-InRemovedState") {
                argv(&["az", "keyvault", "purge", "--name", name])
            } else {
                argv(&["az", "keyvault", "delete", "--name", name])
            })
        }
    ),
    cmdlet!(
        "Set-AzKeyVaultAccessPolicy",
        "Az PowerShell: grant key permissions by access policy",
        &[
            req(&["-VaultName"], "vault name"),
            opt(&["-ObjectId"], "principal object id"),
            opt(&["-UserPrincipalName", "-UPN"], "a user's UPN"),
            req(&["-PermissionsToKeys"], "get, wrapKey, unwrapKey, …"),
            opt(&["-ResourceGroupName"], "group"),
            unmodelled(&["-PermissionsToSecrets"]),
            unmodelled(&["-PermissionsToCertificates"]),
        ],
        |a| {
            let mut out = argv(&["az", "keyvault", "set-policy", "--name", a.flag("-VaultName").unwrap_or_default()]);
            pass(&mut out, a, "-ObjectId", "--object-id");
            pass(&mut out, a, "-UserPrincipalName", "--upn");
            out.push(s("--key-permissions"));
            out.extend(
                a.flag("-PermissionsToKeys").unwrap_or_default().split([',', ' ']).filter(|p| !p.is_empty()).map(s),
            );
            Ok(out)
        }
    ),
    cmdlet!(
        "Add-AzKeyVaultKey",
        "Az PowerShell: create a key (or a new version of it)",
        &[
            req(&["-VaultName"], "vault name"),
            req(&["-Name"], "key name"),
            req(&["-Destination"], "Software or HSM"),
            opt(&["-Size"], "2048, 3072 or 4096"),
            opt(&["-KeyType"], "RSA"),
            opt(&["-Expires"], "a date"),
            opt(&["-NotBefore"], "a date"),
            opt(&["-KeyOps"], "operations"),
            unmodelled_switch(&["-Disable"]),
            unmodelled(&["-KeyFilePath"]),
            unmodelled_switch(&["-Exportable"]),
            unmodelled(&["-ReleasePolicyPath"]),
        ],
        |a| {
            let kty = match a.flag("-Destination").map(str::to_ascii_lowercase).as_deref() {
                Some("hsm") => "RSA-HSM",
                Some("software") => "RSA",
                other => {
                    return Err(Error::new(
                        ErrorCode::InvalidArgumentValue,
                        format!(
                            "Add-AzKeyVaultKey -Destination: '{}' is not one of Software, HSM.",
                            other.unwrap_or_default()
                        ),
                    ))
                }
            };
            let mut out =
                argv(&["az", "keyvault", "key", "create", "--vault-name", a.flag("-VaultName").unwrap_or_default()]);
            out.extend(argv(&["--name", a.flag("-Name").unwrap_or_default(), "--kty", kty]));
            pass(&mut out, a, "-Size", "--size");
            pass(&mut out, a, "-Expires", "--expires");
            pass(&mut out, a, "-NotBefore", "--not-before");
            Ok(out)
        }
    ),
    cmdlet!(
        "Get-AzKeyVaultKey",
        "Az PowerShell: a key, its versions, or the vault's keys",
        &[
            req(&["-VaultName"], "vault name"),
            opt(&["-Name", "-KeyName"], "key name"),
            opt(&["-Version", "-KeyVersion"], "a version"),
            switch(&["-IncludeVersions"], "every version of the key"),
            switch(&["-InRemovedState"], "soft-deleted keys"),
        ],
        |a| {
            let vault = a.flag("-VaultName").unwrap_or_default();
            Ok(match (a.flag("-Name"), on(a, "-IncludeVersions"), on(a, "-InRemovedState")) {
                (_, _, true) => argv(&["az", "keyvault", "key", "list-deleted", "--vault-name", vault]),
                (Some(n), true, _) => {
                    argv(&["az", "keyvault", "key", "list-versions", "--vault-name", vault, "--name", n])
                }
                (Some(n), false, _) => {
                    let mut out = argv(&["az", "keyvault", "key", "show", "--vault-name", vault, "--name", n]);
                    pass(&mut out, a, "-Version", "--version");
                    out
                }
                (None, _, _) => argv(&["az", "keyvault", "key", "list", "--vault-name", vault]),
            })
        }
    ),
    cmdlet!(
        "Update-AzKeyVaultKey",
        "Az PowerShell: enable or disable a key version, change its dates",
        &[
            req(&["-VaultName"], "vault name"),
            req(&["-Name"], "key name"),
            opt(&["-Version"], "a version (else the current one)"),
            opt(&["-Enable"], "$true or $false"),
            opt(&["-Expires"], "a date"),
            opt(&["-NotBefore"], "a date"),
            opt(&["-Tag"], "tags"),
        ],
        |a| {
            let mut out = argv(&[
                "az",
                "keyvault",
                "key",
                "set-attributes",
                "--vault-name",
                a.flag("-VaultName").unwrap_or_default(),
            ]);
            out.extend(argv(&["--name", a.flag("-Name").unwrap_or_default()]));
            pass(&mut out, a, "-Version", "--version");
            if let Some(v) = a.flag("-Enable") {
                out.extend(argv(&["--enabled", &v.to_ascii_lowercase()]));
            }
            pass(&mut out, a, "-Expires", "--expires");
            pass(&mut out, a, "-NotBefore", "--not-before");
            Ok(out)
        }
    ),
    cmdlet!(
        "Invoke-AzKeyVaultKeyRotation",
        "Az PowerShell: rotate a key now (a new version)",
        &[req(&["-VaultName"], "vault name"), req(&["-Name"], "key name")],
        |a| Ok(argv(&[
            "az",
            "keyvault",
            "key",
            "rotate",
            "--vault-name",
            a.flag("-VaultName").unwrap_or_default(),
            "--name",
            a.flag("-Name").unwrap_or_default(),
        ]))
    ),
    cmdlet!(
        "Set-AzKeyVaultKeyRotationPolicy",
        "Az PowerShell: rotate a key on a schedule",
        &[
            req(&["-VaultName"], "vault name"),
            req(&["-Name", "-KeyName"], "key name"),
            opt(&["-ExpiresIn"], "ISO 8601 duration (P2Y)"),
            opt(&["-KeyRotationLifetimeAction"], "@{Action='Rotate'; TimeAfterCreate='P90D'}"),
            unmodelled(&["-InputObject"]),
        ],
        |a| {
            // The lifetime action arrives as PowerShell prints a hashtable; only its ISO
            // durations matter here.
            let action = a.flag("-KeyRotationLifetimeAction").unwrap_or_default();
            let after =
                action.split(|c: char| !(c.is_ascii_alphanumeric())).find(|w| w.starts_with('P') && w.len() > 1);
            let mut policy = String::from("{\"lifetimeActions\": [");
            if let Some(p) = after {
                policy.push_str(&format!(
                    "{{\"trigger\": {{\"timeAfterCreate\": \"{p}\"}}, \"action\": {{\"type\": \"Rotate\"}}}}"
                ));
            }
            policy.push(']');
            if let Some(e) = a.flag("-ExpiresIn") {
                policy.push_str(&format!(", \"attributes\": {{\"expiryTime\": \"{e}\"}}"));
            }
            policy.push('}');
            Ok(vec![
                s("az"),
                s("keyvault"),
                s("key"),
                s("rotation-policy"),
                s("update"),
                s("--vault-name"),
                s(a.flag("-VaultName").unwrap_or_default()),
                s("--name"),
                s(a.flag("-Name").unwrap_or_default()),
                s("--value"),
                policy,
            ])
        }
    ),
    cmdlet!(
        "Remove-AzKeyVaultKey",
        "Az PowerShell: delete a key (soft delete)",
        &[
            req(&["-VaultName"], "vault name"),
            req(&["-Name"], "key name"),
            switch(&["-Force"], "do not ask"),
            switch(&["-InRemovedState"], "purge a deleted key")
        ],
        |a| {
            let (vault, name) = (a.flag("-VaultName").unwrap_or_default(), a.flag("-Name").unwrap_or_default());
            Ok(if on(a, "-InRemovedState") {
                argv(&["az", "keyvault", "key", "purge", "--vault-name", vault, "--name", name])
            } else {
                argv(&["az", "keyvault", "key", "delete", "--vault-name", vault, "--name", name])
            })
        }
    ),
];
