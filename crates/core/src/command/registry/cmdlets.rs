//! The Az PowerShell cmdlets (Az.Accounts, Az.Resources, Az.KeyVault): each is another surface
//! form of an `az` command the registry already describes. The cmdlet's real parameter names
//! are read (any case, any unambiguous prefix, as PowerShell binds them), then the `az` line
//! they mean runs — the same `Command`, the same checks, the same answer, which PowerShell
//! shapes into the module's output type. A parameter the real cmdlet has and the simulation does
//! not model is refused with `NotSimulated`, naming it: never ignored.
//!
//! Each cmdlet says its `az` line as a template, read by one function (`az_line`):
//! - a plain word is itself; `{-Name}` is the parameter's value (`{-Name:lower}` in lower case,
//!   `{-Name:split}` one word per comma-separated item, `{-Name:kty}` Software/HSM as a key type);
//! - `[ … ]` is left out unless every parameter in it was given (`?-Switch` inside: unless the
//!   switch is on);
//! - ` || ` separates alternatives: the first whose parameters (and `?-Switch` guards) were all
//!   given is the line.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::args::Args;
use super::spec::{opt, req, switch, Flag, Spec};
use crate::error::{Error, ErrorCode};

const NOT_SIMULATED: &str = "not simulated by the playground";

/// A cmdlet parameter that takes a value, which the simulation does not model.
const fn unmodelled(names: &'static [&'static str]) -> Flag {
    opt(names, NOT_SIMULATED)
}

/// A cmdlet switch the simulation does not model.
const fn unmodelled_switch(names: &'static [&'static str]) -> Flag {
    switch(names, NOT_SIMULATED)
}

/// A switch given (`-Force`), not given, or turned off (`-Force:$false`).
fn on(a: &Args, name: &str) -> bool {
    a.flag(name).is_some_and(|v| !v.eq_ignore_ascii_case("false"))
}

/// `{-Name…}`'s words, or `None` when the parameter was not given.
fn value(a: &Args, token: &str) -> Result<Option<Vec<String>>, Error> {
    let inner = token.trim_start_matches('{').trim_end_matches('}');
    let (name, how) = inner.split_once(':').unwrap_or((inner, ""));
    let Some(v) = a.flag(name) else { return Ok(None) };
    Ok(Some(match how {
        "lower" => alloc::vec![v.to_ascii_lowercase()],
        "split" => v.split([',', ' ']).filter(|p| !p.is_empty()).map(String::from).collect(),
        "kty" => match v.to_ascii_lowercase().as_str() {
            "software" => alloc::vec![String::from("RSA")],
            "hsm" => alloc::vec![String::from("RSA-HSM")],
            _ => {
                return Err(Error::new(
                    ErrorCode::InvalidArgumentValue,
                    format!("Cannot validate argument on parameter 'Destination'. The argument \"{v}\" does not belong to the set \"HSM,Software\"."),
                ))
            }
        },
        // A file's path, or the JSON itself (what PowerShell makes of -ExpiresIn and
        // -KeyRotationLifetimeAction: cmk-pwsh's `az::rotation_policy`).
        "file" if v.starts_with('{') => alloc::vec![v.to_string()],
        "file" => alloc::vec![format!("@{v}")],
        _ => alloc::vec![v.to_string()],
    }))
}

/// The words of a template's piece, or `None` when a parameter (or switch) it needs is absent.
fn words(a: &Args, piece: &[&str]) -> Result<Option<Vec<String>>, Error> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < piece.len() {
        let t = piece[i];
        if t == "[" {
            let mut depth = 0;
            let end = (i..piece.len())
                .find(|&k| {
                    depth += i32::from(piece[k] == "[") - i32::from(piece[k] == "]");
                    depth == 0
                })
                .unwrap_or(piece.len() - 1);
            if let Some(w) = words(a, &piece[i + 1..end])? {
                out.extend(w);
            }
            i = end + 1;
            continue;
        }
        if let Some(sw) = t.strip_prefix('?') {
            if !on(a, sw) {
                return Ok(None);
            }
        } else if t.starts_with('{') {
            match value(a, t)? {
                Some(w) => out.extend(w),
                None => return Ok(None),
            }
        } else {
            out.push(t.to_string());
        }
        i += 1;
    }
    Ok(Some(out))
}

/// The `az` line a cmdlet's template makes of its parameters.
pub(crate) fn az_line(cmdlet: &str, flags: &[Flag], template: &str, a: &Args) -> Result<Vec<String>, Error> {
    if let Some(f) = flags.iter().find(|f| f.help == NOT_SIMULATED && a.flag(f.names[0]).is_some()) {
        return Err(Error::new(
            ErrorCode::NotSimulated,
            format!("{cmdlet} {}: the playground does not simulate this parameter.", f.names[0]),
        ));
    }
    for alternative in template.split(" || ") {
        let tokens: Vec<&str> = alternative.split(' ').collect();
        if let Some(line) = words(a, &tokens)? {
            return Ok(line);
        }
    }
    Err(Error::new(
        ErrorCode::MissingArgument,
        format!("{cmdlet}: a parameter it needs is missing. See '{cmdlet} --help'."),
    ))
}

/// Every Az cmdlet the shell knows, and the `az` line each one means.
pub const CMDLETS: &[Spec] = &[
    // ---- Az.Accounts ----
    Spec::cmdlet(
        "Connect-AzAccount",
        "sign in: the current persona, or -AccountId",
        &[
            opt(&["-AccountId"], "the persona's UPN"),
            opt(&["-Environment"], "AzureCloud (the one cloud here)"),
            opt(&["-Tenant", "-TenantId"], "the tenant"),
            opt(&["-Subscription", "-SubscriptionId", "-SubscriptionName"], "the subscription"),
            switch(&["-UseDeviceAuthentication", "-DeviceCode", "-DeviceAuth", "-Device"], "device code (here: at once)"),
            unmodelled_switch(&["-Identity"]),
            unmodelled_switch(&["-ServicePrincipal"]),
            unmodelled(&["-CertificateThumbprint"]),
            unmodelled(&["-Credential"]),
        ],
        "az login --username {-AccountId} || az account show",
    ),
    Spec::cmdlet(
        "Get-AzContext",
        "the signed-in account and subscription",
        &[switch(&["-ListAvailable"], "every context (here, the one)")],
        "az account show",
    ),
    Spec::cmdlet(
        "Set-AzContext",
        "choose the subscription",
        &[
            req(&["-Subscription", "-SubscriptionId", "-SubscriptionName"], "name or id"),
            opt(&["-Tenant", "-TenantId"], "the tenant"),
            unmodelled(&["-Context"]),
        ],
        "az account set --subscription {-Subscription}",
    ),
    // ---- Az.Resources ----
    Spec::cmdlet(
        "Register-AzResourceProvider",
        "register a resource provider",
        &[req(&["-ProviderNamespace"], "Microsoft.PowerPlatform"), unmodelled(&["-ConsentToPermissions"])],
        "az provider register --namespace {-ProviderNamespace}",
    ),
    Spec::cmdlet(
        "Get-AzResourceProvider",
        "a resource provider and its registration state",
        &[req(&["-ProviderNamespace"], "Microsoft.PowerPlatform"), switch(&["-ListAvailable"], "all")],
        "az provider show --namespace {-ProviderNamespace}",
    ),
    Spec::cmdlet(
        "New-AzResourceGroup",
        "create a resource group",
        &[
            req(&["-Name", "-ResourceGroupName"], "name"),
            req(&["-Location"], "region"),
            switch(&["-Force"], "do not ask"),
            unmodelled(&["-Tag"]),
        ],
        "az group create --name {-Name} --location {-Location}",
    ),
    Spec::cmdlet(
        "Get-AzResourceGroup",
        "a resource group, or all of them",
        &[opt(&["-Name", "-ResourceGroupName"], "name"), opt(&["-Location"], "region"), unmodelled(&["-Id"])],
        "az group show --name {-Name} || az group list",
    ),
    Spec::cmdlet(
        "New-AzResourceGroupDeployment",
        "deploy an ARM template to a resource group",
        &[
            req(&["-ResourceGroupName"], "group"),
            req(&["-TemplateFile"], "a file of the store"),
            opt(&["-Name", "-DeploymentName"], "accepted; here a deployment takes the name of the policy it deploys"),
            opt(&["-Mode"], "Incremental"),
            unmodelled(&["-TemplateParameterFile"]),
            unmodelled(&["-TemplateUri"]),
            unmodelled(&["-TemplateParameterObject"]),
        ],
        "az deployment group create --resource-group {-ResourceGroupName} --template-file {-TemplateFile}",
    ),
    Spec::cmdlet(
        "Get-AzResource",
        "a resource by its ARM id, or the resources of a type or a group",
        &[
            opt(&["-ResourceId", "-Id"], "ARM id"),
            opt(&["-ResourceType"], "type, e.g. Microsoft.PowerPlatform/enterprisePolicies"),
            opt(&["-ResourceGroupName"], "group"),
            switch(&["-ExpandProperties"], "with its properties (always, here)"),
            unmodelled(&["-Name"]),
            unmodelled(&["-Tag"]),
        ],
        "az resource show --ids {-ResourceId} || az resource list [ --resource-type {-ResourceType} ] [ --resource-group {-ResourceGroupName} ]",
    ),
    Spec::cmdlet(
        "Remove-AzResource",
        "delete a resource by its ARM id",
        &[req(&["-ResourceId", "-Id"], "ARM id"), switch(&["-Force"], "do not ask")],
        "az resource delete --ids {-ResourceId}",
    ),
    Spec::cmdlet(
        "Get-AzRoleAssignment",
        "role assignments, filtered",
        &[
            opt(&["-ObjectId", "-PrincipalId"], "principal object id"),
            opt(&["-SignInName", "-UserPrincipalName"], "a user's UPN"),
            opt(&["-RoleDefinitionName"], "role name"),
            opt(&["-Scope"], "ARM id"),
            opt(&["-ResourceGroupName"], "group"),
        ],
        "az role assignment list [ --assignee {-ObjectId} ] [ --assignee {-SignInName} ] [ --role {-RoleDefinitionName} ] --scope {-Scope} \
         || az role assignment list [ --assignee {-ObjectId} ] [ --assignee {-SignInName} ] [ --role {-RoleDefinitionName} ] --resource-group {-ResourceGroupName} \
         || az role assignment list --all [ --assignee {-ObjectId} ] [ --assignee {-SignInName} ] [ --role {-RoleDefinitionName} ]",
    ),
    Spec::cmdlet(
        "Remove-AzRoleAssignment",
        "remove a role assignment",
        &[
            opt(&["-ObjectId", "-PrincipalId"], "principal object id"),
            opt(&["-SignInName", "-UserPrincipalName"], "a user's UPN"),
            req(&["-RoleDefinitionName"], "role name"),
            req(&["-Scope"], "ARM id"),
        ],
        "az role assignment delete --assignee {-ObjectId} --role {-RoleDefinitionName} --scope {-Scope} \
         || az role assignment delete --assignee {-SignInName} --role {-RoleDefinitionName} --scope {-Scope}",
    ),
    Spec::cmdlet(
        "Get-AzADUser",
        "a user of the directory",
        &[
            opt(&["-UserPrincipalName", "-UPN"], "UPN"),
            opt(&["-ObjectId", "-Id"], "object id"),
            switch(&["-SignedIn"], "the signed-in user"),
        ],
        "az ad user show --id {-UserPrincipalName} || az ad user show --id {-ObjectId} || ?-SignedIn az ad signed-in-user show || az ad user list",
    ),
    Spec::cmdlet(
        "Get-AzADServicePrincipal",
        "a service principal: an enterprise policy's managed identity",
        &[
            opt(&["-ObjectId", "-Id"], "object id (the policy's identity)"),
            opt(&["-DisplayName"], "the policy's name"),
            opt(&["-DisplayNameStartWith"], "the start of its name"),
            unmodelled(&["-ApplicationId"]),
            unmodelled(&["-ServicePrincipalName"]),
        ],
        "az ad sp show --id {-ObjectId} || az ad sp show --id {-DisplayName} \
         || az ad sp list --display-name {-DisplayNameStartWith} || az ad sp list",
    ),
    // ---- Az.KeyVault ----
    Spec::cmdlet(
        "New-AzKeyVault",
        "create a key vault",
        &[
            req(&["-Name", "-VaultName"], "vault name"),
            req(&["-ResourceGroupName"], "group"),
            req(&["-Location"], "region"),
            opt(&["-Sku"], "Standard or Premium"),
            switch(&["-EnablePurgeProtection"], "purge protection (cannot be turned off)"),
            opt(&["-SoftDeleteRetentionInDays"], "7 to 90"),
            switch(&["-DisableRbacAuthorization"], "access policies instead of Azure RBAC"),
            opt(&["-PublicNetworkAccess"], "Enabled or Disabled"),
            unmodelled(&["-Tag"]),
            unmodelled_switch(&["-EnabledForDeployment"]),
            unmodelled_switch(&["-EnabledForTemplateDeployment"]),
            unmodelled_switch(&["-EnabledForDiskEncryption"]),
            unmodelled(&["-NetworkRuleSet"]),
        ],
        "az keyvault create --name {-Name} --resource-group {-ResourceGroupName} --location {-Location} [ --sku {-Sku} ] \
         [ --retention-days {-SoftDeleteRetentionInDays} ] [ --public-network-access {-PublicNetworkAccess} ] \
         [ ?-EnablePurgeProtection --enable-purge-protection true ] [ ?-DisableRbacAuthorization --enable-rbac-authorization false ]",
    ),
    Spec::cmdlet(
        "Get-AzKeyVault",
        "a key vault, or the vaults",
        &[
            opt(&["-VaultName", "-Name"], "vault name"),
            opt(&["-ResourceGroupName"], "group"),
            switch(&["-InRemovedState"], "soft-deleted vaults"),
        ],
        "?-InRemovedState az keyvault list-deleted || az keyvault show --name {-VaultName} || az keyvault list [ --resource-group {-ResourceGroupName} ]",
    ),
    Spec::cmdlet(
        "Update-AzKeyVault",
        "change a vault's settings",
        &[
            req(&["-VaultName", "-Name"], "vault name"),
            req(&["-ResourceGroupName"], "group"),
            switch(&["-EnablePurgeProtection"], "turn purge protection on (for good)"),
            opt(&["-EnableRbacAuthorization"], "$true or $false"),
            opt(&["-PublicNetworkAccess"], "Enabled or Disabled"),
            unmodelled(&["-Tag"]),
        ],
        "az keyvault update --name {-VaultName} --resource-group {-ResourceGroupName} [ --public-network-access {-PublicNetworkAccess} ] \
         [ ?-EnablePurgeProtection --enable-purge-protection true ] [ --enable-rbac-authorization {-EnableRbacAuthorization:lower} ]",
    ),
    Spec::cmdlet(
        "Remove-AzKeyVault",
        "delete a key vault (soft delete); -InRemovedState purges it",
        &[
            req(&["-VaultName", "-Name"], "vault name"),
            opt(&["-ResourceGroupName"], "group"),
            opt(&["-Location"], "region (of a deleted vault)"),
            switch(&["-Force"], "do not ask"),
            switch(&["-InRemovedState"], "purge a soft-deleted vault"),
        ],
        "?-InRemovedState az keyvault purge --name {-VaultName} [ --location {-Location} ] || az keyvault delete --name {-VaultName}",
    ),
    Spec::cmdlet(
        "Set-AzKeyVaultAccessPolicy",
        "grant key permissions by access policy",
        &[
            req(&["-VaultName"], "vault name"),
            opt(&["-ObjectId"], "principal object id"),
            opt(&["-UserPrincipalName", "-UPN"], "a user's UPN"),
            req(&["-PermissionsToKeys"], "get, wrapKey, unwrapKey, …"),
            opt(&["-ResourceGroupName"], "group"),
            unmodelled(&["-PermissionsToSecrets"]),
            unmodelled(&["-PermissionsToCertificates"]),
        ],
        "az keyvault set-policy --name {-VaultName} --object-id {-ObjectId} --key-permissions {-PermissionsToKeys:split} \
         || az keyvault set-policy --name {-VaultName} --upn {-UserPrincipalName} --key-permissions {-PermissionsToKeys:split}",
    ),
    Spec::cmdlet(
        "Add-AzKeyVaultKey",
        "create a key (or a new version of it)",
        &[
            req(&["-VaultName"], "vault name"),
            req(&["-Name"], "key name"),
            req(&["-Destination"], "Software or HSM"),
            opt(&["-Size"], "2048, 3072 or 4096"),
            opt(&["-KeyType"], "RSA"),
            opt(&["-Expires"], "a date"),
            opt(&["-NotBefore"], "a date"),
            unmodelled_switch(&["-Disable"]),
            unmodelled(&["-KeyFilePath"]),
            unmodelled_switch(&["-Exportable"]),
            unmodelled(&["-ReleasePolicyPath"]),
        ],
        "az keyvault key create --vault-name {-VaultName} --name {-Name} --kty {-Destination:kty} [ --size {-Size} ] \
         [ --expires {-Expires} ] [ --not-before {-NotBefore} ]",
    ),
    Spec::cmdlet(
        "Get-AzKeyVaultKey",
        "a key, its versions, or the vault's keys",
        &[
            req(&["-VaultName"], "vault name"),
            opt(&["-Name", "-KeyName"], "key name"),
            opt(&["-Version", "-KeyVersion"], "a version"),
            switch(&["-IncludeVersions"], "every version of the key"),
            switch(&["-InRemovedState"], "soft-deleted keys"),
        ],
        "?-InRemovedState az keyvault key list-deleted --vault-name {-VaultName} \
         || ?-IncludeVersions az keyvault key list-versions --vault-name {-VaultName} --name {-Name} \
         || az keyvault key show --vault-name {-VaultName} --name {-Name} [ --version {-Version} ] \
         || az keyvault key list --vault-name {-VaultName}",
    ),
    Spec::cmdlet(
        "Update-AzKeyVaultKey",
        "enable or disable a key version, change its dates",
        &[
            req(&["-VaultName"], "vault name"),
            req(&["-Name"], "key name"),
            opt(&["-Version"], "a version (else the current one)"),
            opt(&["-Enable"], "$true or $false"),
            opt(&["-Expires"], "a date"),
            opt(&["-NotBefore"], "a date"),
            unmodelled(&["-Tag"]),
        ],
        "az keyvault key set-attributes --vault-name {-VaultName} --name {-Name} [ --version {-Version} ] [ --enabled {-Enable:lower} ] \
         [ --expires {-Expires} ] [ --not-before {-NotBefore} ]",
    ),
    Spec::cmdlet(
        "Invoke-AzKeyVaultKeyRotation",
        "rotate a key now (a new version)",
        &[req(&["-VaultName"], "vault name"), req(&["-Name"], "key name")],
        "az keyvault key rotate --vault-name {-VaultName} --name {-Name}",
    ),
    Spec::cmdlet(
        "Get-AzKeyVaultKeyRotationPolicy",
        "a key's rotation policy",
        &[req(&["-VaultName"], "vault name"), req(&["-Name"], "key name"), unmodelled(&["-InputObject"])],
        "az keyvault key rotation-policy show --vault-name {-VaultName} --name {-Name}",
    ),
    Spec::cmdlet(
        "Set-AzKeyVaultKeyRotationPolicy",
        "set a key's rotation policy: -PolicyPath (Key Vault's JSON), or -ExpiresIn and -KeyRotationLifetimeAction",
        &[
            req(&["-VaultName"], "vault name"),
            req(&["-Name"], "key name"),
            opt(&["-PolicyPath"], "a file with Key Vault's JSON"),
            opt(&["-ExpiresIn"], "lifetime of new versions (P2Y); in PowerShell"),
            opt(&["-KeyRotationLifetimeAction"], "@{Action=\"Rotate\";TimeAfterCreate=\"P18M\"}; in PowerShell"),
            unmodelled(&["-InputObject"]),
            unmodelled(&["-KeyRotationPolicy"]),
        ],
        "az keyvault key rotation-policy update --vault-name {-VaultName} --name {-Name} --value {-PolicyPath:file}",
    ),
    Spec::cmdlet(
        "Remove-AzKeyVaultKey",
        "delete a key (soft delete); -InRemovedState purges it",
        &[
            req(&["-VaultName"], "vault name"),
            req(&["-Name"], "key name"),
            switch(&["-Force"], "do not ask"),
            switch(&["-InRemovedState"], "purge a deleted key"),
        ],
        "?-InRemovedState az keyvault key purge --vault-name {-VaultName} --name {-Name} || az keyvault key delete --vault-name {-VaultName} --name {-Name}",
    ),
];
