//! Key Vault and Managed HSM: vaults, access policies, local RBAC, keys and their versions.

use alloc::format;
use alloc::string::ToString;

use super::args::{bad_value, missing, Args};
use super::err;
use super::line::Resolve;
use super::line::{on_off, one, one_line, time, vault_flag, Line};
use super::spec::{many, opt, req, Flag, Spec};
use super::{render, Entry};
use crate::azure::vault::{KeyType, VaultSku};
use crate::command::*;
use crate::error::{Error, ErrorCode};
use crate::key_material::SecretText;
use crate::time::SimTime;

const VAULT_OPTIONS: &[Flag] = &[
    opt(&["--resource-group", "-g"], "resource group (required to create a vault)"),
    opt(&["--location", "-l"], "Azure region, e.g. westeurope (required to create)"),
    opt(&["--enable-purge-protection"], "true: purge protection on (one-way)"),
    opt(&["--retention-days"], "soft-delete retention, 7..90 days, fixed at creation (a Managed HSM must give it)"),
    opt(&["--enable-soft-delete"], "false: create without soft delete (legacy)"),
    opt(&["--enable-rbac-authorization"], "true (default): Azure RBAC; false: access policies"),
    opt(&["--public-network-access"], "Enabled | Disabled"),
    opt(&["--bypass"], "AzureServices | None: trusted Microsoft services through the firewall"),
    opt(&["--default-action"], DEFAULT_ACTION_HELP),
    many(&["--network-acls-ips"], false, "IPv4 addresses or CIDR ranges the firewall lets through"),
    many(&["--network-acls-vnets"], false, "subnet ids the firewall lets through"),
    opt(&["--sku"], "standard | premium"),
    opt(&["--name", "-n"], "vault name"),
    opt(&["--hsm-name"], "Managed HSM name (instead of --name)"),
    many(&["--administrators"], false, "Managed HSM administrators (object ids)"),
    many(&["--tags"], false, "key=value …: kept and shown, never acted on"),
];

/// What `az keyvault update` changes (a Managed HSM's by `--hsm-name`).
const VAULT_UPDATE: &[Flag] = &[
    opt(&["--resource-group", "-g"], "resource group"),
    opt(&["--enable-purge-protection"], "true: purge protection on (one-way)"),
    opt(&["--retention-days"], "soft-delete retention, 7..90 days"),
    opt(&["--enable-soft-delete"], "true: turn soft delete on for a legacy vault (the playground's own)"),
    opt(&["--enable-rbac-authorization"], "true: Azure RBAC; false: access policies"),
    opt(&["--public-network-access"], "Enabled | Disabled"),
    opt(&["--bypass"], "AzureServices | None: trusted Microsoft services through the firewall"),
    opt(&["--default-action"], DEFAULT_ACTION_HELP),
    opt(&["--name", "-n"], "vault name"),
    opt(&["--hsm-name"], "Managed HSM name (instead of --name; the real CLI's az keyvault update-hsm)"),
];

const DEFAULT_ACTION_HELP: &str =
    "Allow | Deny: with Deny, public access only from the firewall's IP addresses and virtual networks";

/// The file a recorded restore writes its blob to first.
const RESTORE_FILE: &str = "key.keybackup";

/// `az keyvault network-rule add|remove`.
const NETWORK_RULE: &[Flag] = &[
    opt(&["--name", "-n"], "vault name"),
    opt(&["--hsm-name"], "Managed HSM name"),
    opt(&["--resource-group", "-g"], "its resource group: refused when the vault is in another"),
    many(&["--ip-address"], false, "IPv4 addresses or CIDR ranges"),
    opt(&["--subnet"], "a subnet id, or its name with --vnet-name and -g"),
    opt(&["--vnet-name"], "the virtual network of a subnet named by name"),
];

/// A vault by name, or a Managed HSM by `--hsm-name`; `-g`, where the real CLI takes it, says
/// where it must be.
const VAULT_NAME: &[Flag] = &[
    opt(&["--name", "-n"], "vault name"),
    opt(&["--hsm-name"], "Managed HSM name"),
    opt(&["--resource-group", "-g"], "its resource group: refused when the vault is in another"),
];

/// A soft-deleted vault by name, or HSM by `--hsm-name`, and where it was.
const DELETED_VAULT: &[Flag] = &[
    opt(&["--name", "-n"], "vault name"),
    opt(&["--hsm-name"], "Managed HSM name"),
    opt(&["--location", "-l"], "the region it was deleted in: refused when it was elsewhere"),
];

const KEY: &[Flag] = &[
    opt(&["--vault-name"], "vault name"),
    opt(&["--hsm-name"], "Managed HSM name (instead of --vault-name)"),
    opt(&["--name", "-n"], "key name"),
    opt(&["--id"], KEY_ID_HELP),
];

/// A key's versions: the key, and `--maxresults` (the shell keeps the first N).
const KEY_LIST: &[Flag] = &[
    opt(&["--vault-name"], "vault name"),
    opt(&["--hsm-name"], "Managed HSM name (instead of --vault-name)"),
    opt(&["--name", "-n"], "key name"),
    opt(&["--id"], KEY_ID_HELP),
    opt(&["--maxresults"], "at most this many"),
];

/// `--id` on the key commands: the real CLI's other way to name the key.
const KEY_ID_HELP: &str =
    "the key's identifier (kid), or a deleted key's recovery id, instead of --vault-name and --name";

const KEY_VERSIONED: &[Flag] = &[
    opt(&["--vault-name"], "vault name"),
    opt(&["--hsm-name"], "Managed HSM name (instead of --vault-name)"),
    opt(&["--name", "-n"], "key name"),
    opt(&["--version", "-v"], "key version (default: current)"),
    opt(&["--id"], KEY_ID_HELP),
];

/// SPEC KV-13: `--ops` on create, import and set-attributes.
const KEY_OPS_HELP: &str =
    "the operations the key permits: encrypt decrypt sign verify wrapKey unwrapKey (default: all)";

const CRYPTO: &[Flag] = &[
    opt(&["--vault-name"], "vault name"),
    opt(&["--hsm-name"], "Managed HSM name (instead of --vault-name)"),
    opt(&["--name", "-n"], "key name"),
    opt(&["--version", "-v"], "key version (default: current)"),
    opt(&["--id"], KEY_ID_HELP),
    req(&["--algorithm", "-a"], "RSA-OAEP-256 | RSA-OAEP | RSA1_5"),
    req(&["--value"], "the bytes, base64"),
    opt(&["--data-type"], "base64 (the only one supported)"),
];

const PROTECTION_HELP: &str = "hsm: an HSM-protected key (RSA becomes RSA-HSM); software: as --kty says";

/// The key type a line asks for: `--kty`, else RSA-HSM in a Managed HSM and RSA in a vault;
/// `--protection hsm` makes it HSM-protected, as the real CLI adds `-HSM` to the type.
fn kty(a: &Args) -> Result<KeyType, Error> {
    let default = if a.flag("--hsm-name").is_some() { "RSA-HSM" } else { "RSA" };
    let kty = KeyType::parse(a.flag("--kty").unwrap_or(default))?;
    Ok(match a.flag("--protection") {
        Some(p) if p.eq_ignore_ascii_case("hsm") => KeyType::RsaHsm,
        _ => kty,
    })
}

/// `--vault-name`/`--hsm-name` and `--name`: the key a line is about.
/// The key a line names: by `--id` (a deleted key's recovery id for recover and purge) or by
/// its vault and `--name`.
fn key_of(a: &Args, path: &str) -> Result<(String, String), Error> {
    let collection = if path.ends_with(" recover") || path.ends_with(" purge") { "deletedkeys" } else { "keys" };
    a.key_in(collection).map(|(vault, name, _)| (vault, name))
}

/// A network rule's line: `--ip-address` (many) and/or `--subnet` (an id, or a name with
/// `--vnet-name` and `-g`, as the real CLI builds the id).
fn network_rule(a: &Args) -> Result<NetworkRule, Error> {
    let subnet = match (a.flag("--subnet"), a.flag("--vnet-name")) {
        (Some(id), None) => Some(id.to_string()),
        (Some(name), Some(vnet)) => {
            let rg = a.flag("--resource-group").ok_or_else(|| {
                err(
                    ErrorCode::MissingArgument,
                    "usage error: --subnet NAME --vnet-name NAME needs --resource-group/-g".into(),
                )
            })?;
            Some(format!(
                "/subscriptions/{}/resourceGroups/{rg}/providers/Microsoft.Network/virtualNetworks/{vnet}/subnets/{name}",
                crate::azure::SUBSCRIPTION_ID
            ))
        }
        (None, Some(_)) => {
            return Err(err(ErrorCode::MissingArgument, "usage error: --vnet-name goes with --subnet NAME".into()))
        }
        (None, None) => None,
    };
    Ok(NetworkRule { vault: a.vault_or_hsm("--name")?, ip_addresses: a.many("--ip-address"), subnet })
}

fn network_rule_line(w: &dyn Resolve, words: &str, r: &NetworkRule) -> Line {
    let mut l =
        Line::new(words).flag(if vault_flag(w, &r.vault) == "--hsm-name" { "--hsm-name" } else { "--name" }, &r.vault);
    if !r.ip_addresses.is_empty() {
        l = l.values("--ip-address", &r.ip_addresses);
    }
    l.opt("--subnet", r.subnet.as_deref())
}

/// The principal of an access-policy line: `--object-id`, `--upn` or `--spn` (the core resolves
/// a name to its object id).
fn principal_of(a: &Args) -> Result<String, Error> {
    a.flag("--object-id")
        .or_else(|| a.flag("--upn"))
        .or_else(|| a.flag("--spn"))
        .map(Into::into)
        .ok_or_else(|| err(ErrorCode::MissingArgument, "usage error: --object-id ID | --upn UPN | --spn NAME".into()))
}

/// A key command's line: the vault (or HSM) flag and the key's name.
fn key_line(w: &dyn Resolve, words: &str, vault: &str, name: &str) -> Line {
    Line::new(words).flag(vault_flag(w, vault), vault).flag("--name", name)
}

use alloc::string::String;

fn iso(t: Option<SimTime>) -> Option<String> {
    t.map(SimTime::to_iso)
}

fn create_vault(a: &Args) -> Result<Command, Error> {
    let mut v = CreateVault::new(a.need("--name")?, a.need("--resource-group")?, a.need("--location")?);
    v.enable_purge_protection = a.boolean("--enable-purge-protection")?.unwrap_or(false);
    v.retention_days = a.opt_number("--retention-days")?.unwrap_or(90);
    v.enable_soft_delete = a.boolean("--enable-soft-delete")?.unwrap_or(true);
    v.enable_rbac_authorization = a.boolean("--enable-rbac-authorization")?.unwrap_or(true);
    v.public_network_access = a.public_access()?.unwrap_or(true);
    v.bypass_azure_services = a.bypass()?.unwrap_or(true);
    v.tags = a.tags().unwrap_or_default();
    v.default_action_deny = a.default_action()?.unwrap_or(false);
    v.ip_rules = a.many("--network-acls-ips");
    v.vnet_rules = a.many("--network-acls-vnets");
    if let Some(sku) = a.flag("--sku") {
        v.sku = match sku.to_ascii_lowercase().as_str() {
            "standard" => VaultSku::Standard,
            "premium" => VaultSku::Premium,
            _ => return Err(bad_value("--sku", sku, "standard or premium")),
        };
    }
    Ok(Command::CreateVault(v))
}

fn render_create_vault(_: &dyn Resolve, c: &Command) -> Option<alloc::vec::Vec<String>> {
    let Command::CreateVault(v) = c else { return None };
    let mut l = Line::new("az keyvault create")
        .flag("--name", &v.name)
        .flag("--resource-group", &v.resource_group)
        .flag("--location", &v.location)
        .flag("--sku", if v.sku == VaultSku::Premium { "premium" } else { "standard" })
        .flag("--enable-rbac-authorization", on_off(v.enable_rbac_authorization))
        .flag("--retention-days", &v.retention_days.to_string())
        .flag("--enable-purge-protection", on_off(v.enable_purge_protection))
        .flag("--public-network-access", if v.public_network_access { "Enabled" } else { "Disabled" })
        .flag("--bypass", if v.bypass_azure_services { "AzureServices" } else { "None" });
    if !v.enable_soft_delete {
        l = l.flag("--enable-soft-delete", "false");
    }
    if v.default_action_deny {
        l = l.flag("--default-action", "Deny");
    }
    if !v.ip_rules.is_empty() {
        l = l.values("--network-acls-ips", &v.ip_rules);
    }
    if !v.vnet_rules.is_empty() {
        l = l.values("--network-acls-vnets", &v.vnet_rules);
    }
    one(l.tags(Some(&v.tags).filter(|t| !t.is_empty())))
}

fn import_key(a: &Args, files: &dyn super::files::Files) -> Result<Command, Error> {
    let path = match (a.flag("--pem-file"), a.flag("--byok-file")) {
        (Some(p), _) | (None, Some(p)) => p,
        (None, None) => return Err(missing(&["--pem-file"], "az keyvault key import")),
    };
    let material =
        files.read(path).map_err(|e| err(ErrorCode::FileNotFound, format!("Cannot read the key file: {e}.")))?;
    Ok(Command::ImportKey(ImportKey {
        vault: a.vault_or_hsm("--vault-name")?,
        name: a.req("--name"),
        kty: kty(a)?,
        material: SecretText::from(material.as_str()),
        enabled: !a.boolean("--disabled")?.unwrap_or(false),
        not_before: a.time("--not-before")?.flatten(),
        expires: a.time("--expires")?.flatten(),
        tags: a.tags().unwrap_or_default(),
        ops: a.ops(),
    }))
}

fn key_operation(a: &Args, path: &str) -> Result<Command, Error> {
    if let Some(t) = a.flag("--data-type").filter(|t| !t.eq_ignore_ascii_case("base64")) {
        return Err(bad_value("--data-type", t, "base64"));
    }
    let (vault, name, version) = a.key_target()?;
    Ok(Command::KeyOperation(KeyOperation {
        vault,
        name,
        version,
        operation: if path.ends_with("encrypt") { CryptoOperation::Encrypt } else { CryptoOperation::Decrypt },
        algorithm: a.req("--algorithm"),
        value: a.req("--value"),
    }))
}

/// `az keyvault VERB --name V`: a vault (or HSM) command, its words and the line rendered back.
macro_rules! on_vault {
    ($kind:literal, $variant:ident, $words:literal, $summary:literal, $flags:ident, $effect:ident) => {
        Entry::$effect(
            $kind,
            &[Spec::build($words, $summary, $flags, |a, _| Ok(Command::$variant { name: a.vault_or_hsm("--name")? }))],
            render!(w, Command::$variant { name } => one(Line::new($words).flag("--name", name))),
        )
    };
}

/// `az keyvault key VERB --vault-name V --name K`: a key command, its words and its line.
macro_rules! on_key {
    ($kind:literal, $variant:ident, $words:literal, $summary:literal, $effect:ident) => {
        on_key!($kind, $variant, $words, $summary, KEY, $effect)
    };
    ($kind:literal, $variant:ident, $words:literal, $summary:literal, $flags:ident, $effect:ident) => {
        Entry::$effect(
            $kind,
            &[Spec::build($words, $summary, $flags, |a, cx| {
                let (vault, name) = key_of(a, cx.path)?;
                Ok(Command::$variant { vault, name })
            })],
            render!(w, Command::$variant { vault, name } => one(key_line(w, $words, vault, name))),
        )
    };
}

pub(super) static COMMANDS: &[Entry] = &[
    Entry::change(
        "createVault",
        &[Spec::build("az keyvault create", "create a key vault (--name) or a Managed HSM (--hsm-name)", VAULT_OPTIONS, |a, _| {
            create_vault(a)
        })],
        render_create_vault,
    ),
    Entry::change(
        "createManagedHsm",
        &[Spec::build("az keyvault create", "create a key vault (--name) or a Managed HSM (--hsm-name)", VAULT_OPTIONS, |a, _| {
            if a.flag("--tags").is_some() {
                return Err(err(
                    ErrorCode::NotSimulated,
                    "--tags on a Managed HSM is not simulated (a key vault and its keys keep theirs), so the line was not run. Leave it out to rehearse the rest.".into(),
                ));
            }
            Ok(Command::CreateManagedHsm(CreateManagedHsm {
                name: a.req("--hsm-name"),
                resource_group: a.need("--resource-group")?,
                location: a.need("--location")?,
                administrators: a.many("--administrators"),
                // The real CLI refuses a Managed HSM without it (its own words).
                retention_days: a.opt_number("--retention-days")?.ok_or_else(|| {
                    super::err(ErrorCode::MissingArgument, "--retention-days is required for MHSM creation.".into())
                })?,
                enable_purge_protection: a.boolean("--enable-purge-protection")?.unwrap_or(false),
            }))
        })
        .when("--hsm-name")],
        render!(w, Command::CreateManagedHsm(h) => {
            let mut l = Line::new("az keyvault create")
                .flag("--hsm-name", &h.name)
                .flag("--resource-group", &h.resource_group)
                .flag("--location", &h.location)
                .flag("--retention-days", &h.retention_days.to_string())
                .flag("--enable-purge-protection", on_off(h.enable_purge_protection));
            if !h.administrators.is_empty() {
                l = l.values("--administrators", &h.administrators);
            }
            one(l)
        }),
    ),
    Entry::change(
        "activateManagedHsm",
        &[Spec::build(
            "az keyvault security-domain download",
            "activate a Managed HSM by downloading its security domain",
            &[
                req(&["--hsm-name"], "Managed HSM name"),
                many(&["--sd-wrapping-keys"], false, "certificate files (not read here)"),
                opt(&["--sd-quorum"], "quorum"),
                opt(&["--security-domain-file"], "output file (not written here)"),
            ],
            |a, _| Ok(Command::ActivateManagedHsm { name: a.req("--hsm-name") }),
        )],
        render!(w, Command::ActivateManagedHsm { name } => one(Line::new("az keyvault security-domain download")
            .flag("--hsm-name", name)
            // The real CLI requires three certificates, a quorum and the file to write.
            .values("--sd-wrapping-keys", &["cert0.cer".into(), "cert1.cer".into(), "cert2.cer".into()])
            .flag("--sd-quorum", "2")
            .flag("--security-domain-file", &format!("{name}-SD.json")))),
    ),
    Entry::change(
        "createHsmRoleAssignment",
        &[Spec::build(
            "az keyvault role assignment create",
            "Managed HSM local RBAC: assign a local role",
            &[
                req(&["--hsm-name"], "Managed HSM name"),
                req(&["--role"], "e.g. \"Managed HSM Crypto User\""),
                opt(&["--assignee"], "object id"),
                opt(&["--assignee-object-id"], "object id (instead of --assignee)"),
                opt(&["--scope"], "/, /keys or /keys/NAME (default /)"),
            ],
            |a, _| {
                Ok(Command::CreateHsmRoleAssignment {
                    hsm: a.req("--hsm-name"),
                    role: a.req("--role"),
                    assignee: a
                        .flag("--assignee")
                        .or_else(|| a.flag("--assignee-object-id"))
                        .map(Into::into)
                        .ok_or_else(|| missing(&["--assignee"], "az keyvault role assignment create"))?,
                    scope: a.flag("--scope").unwrap_or("/").into(),
                })
            },
        )],
        render!(w, Command::CreateHsmRoleAssignment { hsm, role, assignee, scope } => one(Line::new("az keyvault role assignment create")
            .flag("--hsm-name", hsm)
            .flag("--role", role)
            .flag("--assignee", assignee)
            .flag("--scope", scope))),
    ),
    Entry::change(
        "updateVault",
        &[Spec::build("az keyvault update", "change a vault's settings", VAULT_UPDATE, |a, _| {
            Ok(Command::UpdateVault(UpdateVault {
                name: a.vault_or_hsm("--name")?,
                enable_rbac_authorization: a.boolean("--enable-rbac-authorization")?,
                enable_soft_delete: a.boolean("--enable-soft-delete")?,
                retention_days: a.opt_number("--retention-days")?,
                enable_purge_protection: a.boolean("--enable-purge-protection")?,
                public_network_access: a.public_access()?,
                bypass_azure_services: a.bypass()?,
                default_action_deny: a.default_action()?,
            }))
        })],
        render!(w, Command::UpdateVault(u) => {
            let flag = if vault_flag(w, &u.name) == "--hsm-name" { "--hsm-name" } else { "--name" };
            let b = |v: Option<bool>| v.map(on_off);
            one(Line::new("az keyvault update")
                .flag(flag, &u.name)
                .opt("--enable-rbac-authorization", b(u.enable_rbac_authorization))
                .opt("--enable-soft-delete", b(u.enable_soft_delete))
                .opt("--retention-days", u.retention_days.map(|d| d.to_string()).as_deref())
                .opt("--enable-purge-protection", b(u.enable_purge_protection))
                .opt("--public-network-access", u.public_network_access.map(|p| if p { "Enabled" } else { "Disabled" }))
                .opt("--bypass", u.bypass_azure_services.map(|p| if p { "AzureServices" } else { "None" }))
                .opt("--default-action", u.default_action_deny.map(|d| if d { "Deny" } else { "Allow" })))
        }),
    ),
    Entry::read(
        "backupKey",
        &[Spec::build(
            "az keyvault key backup",
            "the key with every version, as a sealed blob in a file of the Cloud Shell",
            &[
                opt(&["--vault-name"], "vault name"),
                opt(&["--hsm-name"], "Managed HSM name (instead of --vault-name)"),
                opt(&["--name", "-n"], "key name"),
                opt(&["--id"], KEY_ID_HELP),
                req(&["--file", "-f"], "the file to write (it must not exist yet)"),
            ],
            |a, cx| {
                let (vault, name) = key_of(a, cx.path)?;
                Ok(Command::BackupKey { vault, name })
            },
        )],
        render!(w, Command::BackupKey { vault, name } => one(key_line(w, "az keyvault key backup", vault, name).flag("--file", &format!("{name}.keybackup")))),
    ),
    Entry::change(
        "restoreKey",
        &[Spec::build(
            "az keyvault key restore",
            "a key backup back into a vault, under the key's own name",
            &[
                opt(&["--vault-name"], "vault name"),
                opt(&["--hsm-name"], "Managed HSM name (instead of --vault-name)"),
                opt(&["--file", "-f"], "the backup file"),
            ],
            |a, cx| {
                let file = a.flag("--file").ok_or_else(|| missing(&["--file"], "az keyvault key restore"))?;
                let blob = cx
                    .files
                    .read(file)
                    .map_err(|e| err(ErrorCode::FileNotFound, format!("Cannot read the backup file: {e}.")))?;
                Ok(Command::RestoreKey { vault: a.vault_or_hsm("--vault-name")?, blob })
            },
        )],
        render!(w, Command::RestoreKey { vault, blob } => Some(alloc::vec![
            super::line::lines_for_file(RESTORE_FILE, blob),
            Line::new("az keyvault key restore").flag(vault_flag(w, vault), vault).flag("--file", RESTORE_FILE).done(),
        ])),
    ),
    Entry::change(
        "addNetworkRule",
        &[Spec::build("az keyvault network-rule add", "let IPv4 ranges or a subnet through the firewall", NETWORK_RULE, |a, _| {
            Ok(Command::AddNetworkRule(network_rule(a)?))
        })],
        render!(w, Command::AddNetworkRule(r) => one(network_rule_line(w, "az keyvault network-rule add", r))),
    ),
    Entry::change(
        "removeNetworkRule",
        &[Spec::build("az keyvault network-rule remove", "take IPv4 ranges or a subnet off the firewall", NETWORK_RULE, |a, _| {
            Ok(Command::RemoveNetworkRule(network_rule(a)?))
        })],
        render!(w, Command::RemoveNetworkRule(r) => one(network_rule_line(w, "az keyvault network-rule remove", r))),
    ),
    on_vault!("showVault", ShowVault, "az keyvault show", "a vault as ARM shows it", VAULT_NAME, read),
    on_vault!("deleteVault", DeleteVault, "az keyvault delete", "delete a vault (soft delete when on)", VAULT_NAME, change),
    on_vault!("recoverVault", RecoverVault, "az keyvault recover", "recover a soft-deleted vault", DELETED_VAULT, change),
    on_vault!("purgeVault", PurgeVault, "az keyvault purge", "purge a soft-deleted vault", DELETED_VAULT, change),
    Entry::change(
        "setAccessPolicy",
        &[Spec::build(
            "az keyvault set-policy",
            "give a principal key permissions (access-policy vaults)",
            &[
                req(&["--name", "-n"], "vault name"),
                opt(&["--resource-group", "-g"], "its resource group: refused when the vault is in another"),
                opt(&["--object-id"], "principal object id"),
                opt(&["--upn"], "a user's principal name (instead of --object-id)"),
                opt(&["--spn"], "a service principal's name or id (instead of --object-id)"),
                many(&["--key-permissions"], true, "get list create update import delete recover purge wrapKey unwrapKey encrypt decrypt rotate getrotationpolicy setrotationpolicy all"),
            ],
            |a, _| {
                Ok(Command::SetAccessPolicy {
                    vault: a.req("--name"),
                    object_id: principal_of(a)?,
                    permissions: a.many("--key-permissions"),
                })
            },
        )],
        render!(w, Command::SetAccessPolicy { vault, object_id, permissions } => one(Line::new("az keyvault set-policy")
            .flag("--name", vault)
            .flag("--object-id", object_id)
            .values("--key-permissions", permissions))),
    ),
    Entry::change(
        "deleteAccessPolicy",
        &[Spec::build(
            "az keyvault delete-policy",
            "remove a principal's access policy",
            &[
                req(&["--name", "-n"], "vault name"),
                opt(&["--resource-group", "-g"], "its resource group: refused when the vault is in another"),
                opt(&["--object-id"], "principal object id"),
                opt(&["--upn"], "a user's principal name (instead of --object-id)"),
                opt(&["--spn"], "a service principal's name or id (instead of --object-id)"),
            ],
            |a, _| Ok(Command::DeleteAccessPolicy { vault: a.req("--name"), object_id: principal_of(a)? }),
        )],
        render!(w, Command::DeleteAccessPolicy { vault, object_id } => one(Line::new("az keyvault delete-policy").flag("--name", vault).flag("--object-id", object_id))),
    ),
    Entry::change(
        "createKey",
        &[Spec::build(
            "az keyvault key create",
            "create a key, or a new version of it",
            &[
                opt(&["--vault-name"], "vault name"),
                opt(&["--hsm-name"], "Managed HSM name (instead of --vault-name)"),
                req(&["--name", "-n"], "key name"),
                opt(&["--kty"], "RSA | RSA-HSM (default RSA, RSA-HSM in a Managed HSM)"),
                opt(&["--protection", "-p"], PROTECTION_HELP),
                opt(&["--size"], "2048 | 3072 | 4096 (default 2048)"),
                opt(&["--expires"], "ISO date-time"),
                opt(&["--not-before"], "ISO date-time"),
                opt(&["--disabled"], "true: created disabled"),
                many(&["--tags"], false, "key=value …: kept and shown, never acted on"),
                many(&["--ops"], false, KEY_OPS_HELP),
            ],
            |a, _| {
                let vault = a.vault_or_hsm("--vault-name")?;
                let mut k = CreateKey::rsa(vault, a.req("--name"), a.opt_number("--size")?.unwrap_or(2048));
                k.kty = kty(a)?;
                k.expires = a.time("--expires")?.flatten();
                k.not_before = a.time("--not-before")?.flatten();
                k.enabled = !a.boolean("--disabled")?.unwrap_or(false);
                k.tags = a.tags().unwrap_or_default();
                k.ops = a.ops();
                Ok(Command::CreateKey(k))
            },
        )],
        render!(w, Command::CreateKey(k) => one(key_line(w, "az keyvault key create", &k.vault, &k.name)
            .flag("--kty", k.kty.as_str())
            .flag("--size", &k.size.to_string())
            .opt("--not-before", iso(k.not_before).as_deref())
            .opt("--expires", iso(k.expires).as_deref())
            .opt("--disabled", (!k.enabled).then_some("true"))
            .tags(Some(&k.tags).filter(|t| !t.is_empty()))
            .opt_values("--ops", k.ops.as_deref()))),
    )
    .host_key(),
    Entry::change(
        "importKey",
        &[Spec::build(
            "az keyvault key import",
            "import a private key (PEM PKCS#1 / PKCS#8, or JWK) as a key or a new version",
            &[
                opt(&["--vault-name"], "vault name"),
                opt(&["--hsm-name"], "Managed HSM name"),
                req(&["--name", "-n"], "key name"),
                opt(&["--pem-file"], "PEM file (relative to the script)"),
                opt(&["--byok-file"], "JWK file"),
                opt(&["--kty"], "RSA | RSA-HSM"),
                opt(&["--protection", "-p"], PROTECTION_HELP),
                opt(&["--expires"], "ISO date-time"),
                opt(&["--not-before"], "ISO date-time"),
                opt(&["--disabled"], "true: imported disabled"),
                many(&["--tags"], false, "key=value …: kept and shown, never acted on"),
                many(&["--ops"], false, KEY_OPS_HELP),
            ],
            |a, cx| import_key(a, cx.files),
        )],
        // The private key never goes into a script: the line names the file to provide.
        render!(w, Command::ImportKey(k) => one(key_line(w, "az keyvault key import", &k.vault, &k.name)
            .flag("--kty", k.kty.as_str())
            .flag("--pem-file", &format!("{}.pem", k.name))
            .opt("--not-before", iso(k.not_before).as_deref())
            .opt("--expires", iso(k.expires).as_deref())
            .opt("--disabled", (!k.enabled).then_some("true"))
            .tags(Some(&k.tags).filter(|t| !t.is_empty()))
            .opt_values("--ops", k.ops.as_deref()))),
    ),
    Entry::read(
        "showKey",
        &[Spec::build("az keyvault key show", "a key's public JWK and attributes", KEY_VERSIONED, |a, _| {
            let (vault, name, version) = a.key_target()?;
            Ok(Command::ShowKey { vault, name, version })
        })],
        render!(w, Command::ShowKey { vault, name, version } => one(key_line(w, "az keyvault key show", vault, name).opt("--version", version.as_deref()))),
    ),
    on_key!("listKeyVersions", ListKeyVersions, "az keyvault key list-versions", "every version of a key", KEY_LIST, read),
    Entry::change(
        "setKeyAttributes",
        &[Spec::build(
            "az keyvault key set-attributes",
            "enable / disable a key version, set its dates",
            &[
                opt(&["--vault-name"], "vault name"),
                opt(&["--hsm-name"], "Managed HSM name"),
                opt(&["--name", "-n"], "key name"),
                opt(&["--version", "-v"], "key version (default: current)"),
                opt(&["--id"], KEY_ID_HELP),
                opt(&["--enabled"], "true | false"),
                opt(&["--expires"], "ISO date-time, or \"\" to clear"),
                opt(&["--not-before"], "ISO date-time, or \"\" to clear"),
                many(&["--tags"], false, "key=value …: kept and shown, never acted on"),
                many(&["--ops"], false, KEY_OPS_HELP),
            ],
            |a, _| {
                let (vault, name, version) = a.key_target()?;
                Ok(Command::SetKeyAttributes(SetKeyAttributes {
                    vault,
                    name,
                    version,
                    enabled: a.boolean("--enabled")?,
                    expires: a.time("--expires")?,
                    not_before: a.time("--not-before")?,
                    tags: a.tags(),
                    ops: a.ops(),
                }))
            },
        )],
        render!(w, Command::SetKeyAttributes(s) => one(key_line(w, "az keyvault key set-attributes", &s.vault, &s.name)
            .opt("--version", s.version.as_deref())
            .opt("--enabled", s.enabled.map(on_off))
            .opt("--not-before", s.not_before.map(time).as_deref())
            .opt("--expires", s.expires.map(time).as_deref())
            .tags(s.tags.as_ref())
            .opt_values("--ops", s.ops.as_deref()))),
    ),
    Entry::change(
        "rotateKey",
        &[Spec::build("az keyvault key rotate", "rotate now: a new version becomes current", KEY, |a, cx| {
            let (vault, name) = key_of(a, cx.path)?;
            Ok(Command::RotateKey { vault, name, pregenerated: None })
        })],
        render!(w, Command::RotateKey { vault, name, .. } => one(key_line(w, "az keyvault key rotate", vault, name))),
    )
    .host_key(),
    Entry::change(
        "setRotationPolicy",
        &[Spec::build(
            "az keyvault key rotation-policy update",
            "set the rotation policy (Key Vault's JSON)",
            &[
                opt(&["--vault-name"], "vault name"),
                opt(&["--hsm-name"], "Managed HSM name"),
                opt(&["--name", "-n"], "key name"),
                opt(&["--id"], KEY_ID_HELP),
                req(&["--value"], "@FILE or the JSON itself"),
            ],
            |a, cx| {
                let value = a.req("--value");
                let policy = match value.strip_prefix('@') {
                    Some(path) => cx
                        .files
                        .read(path)
                        .map_err(|e| err(ErrorCode::FileNotFound, format!("Cannot read the policy file: {e}.")))?,
                    None => value,
                };
                let (vault, name) = key_of(a, cx.path)?;
                Ok(Command::SetRotationPolicy { vault, name, policy })
            },
        )],
        render!(w, Command::SetRotationPolicy { vault, name, policy } => one(key_line(w, "az keyvault key rotation-policy update", vault, name).flag("--value", &one_line(policy)))),
    ),
    on_key!("showRotationPolicy", ShowRotationPolicy, "az keyvault key rotation-policy show", "the rotation policy", read),
    on_key!("deleteKey", DeleteKey, "az keyvault key delete", "delete a key (soft delete when on)", change),
    on_key!("recoverKey", RecoverKey, "az keyvault key recover", "recover a soft-deleted key", change),
    on_key!("purgeKey", PurgeKey, "az keyvault key purge", "purge a soft-deleted key", change),
    Entry::read(
        "keyOperation",
        &[
            Spec::build("az keyvault key encrypt", "encrypt with a key", CRYPTO, |a, cx| key_operation(a, cx.path)),
            Spec::build("az keyvault key decrypt", "decrypt with a key", CRYPTO, |a, cx| key_operation(a, cx.path)),
        ],
        render!(w, Command::KeyOperation(op) => {
            let verb = match op.operation {
                CryptoOperation::Encrypt => "encrypt",
                CryptoOperation::Decrypt => "decrypt",
                _ => return None,
            };
            one(key_line(w, &format!("az keyvault key {verb}"), &op.vault, &op.name)
                .opt("--version", op.version.as_deref())
                .flag("--algorithm", &op.algorithm)
                .flag("--value", &op.value)
                .flag("--data-type", "base64"))
        }),
    ),
];
