//! The command table of the Cloud Shell language (COMMANDS.md): every command's words, flags
//! and usage text. Parsing, `--help` and "did you mean" all come from here.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arity {
    /// `--byok`: present or not.
    Switch,
    /// `--name VALUE`.
    One,
    /// `--key-permissions get wrapKey unwrapKey`: values until the next flag.
    Many,
}

#[derive(Debug)]
pub struct Flag {
    /// The first name is canonical; the others are aliases.
    pub names: &'static [&'static str],
    pub arity: Arity,
    pub required: bool,
    pub help: &'static str,
}

#[derive(Debug)]
pub struct Spec {
    pub path: &'static str,
    pub summary: &'static str,
    pub flags: &'static [Flag],
    /// Positional arguments, in order (all required).
    pub positionals: &'static [&'static str],
}

const fn req(names: &'static [&'static str], help: &'static str) -> Flag {
    Flag { names, arity: Arity::One, required: true, help }
}
const fn opt(names: &'static [&'static str], help: &'static str) -> Flag {
    Flag { names, arity: Arity::One, required: false, help }
}
const fn many(names: &'static [&'static str], required: bool, help: &'static str) -> Flag {
    Flag { names, arity: Arity::Many, required, help }
}
const fn switch(names: &'static [&'static str], help: &'static str) -> Flag {
    Flag { names, arity: Arity::Switch, required: false, help }
}

const VAULT_OPTIONS: &[Flag] = &[
    opt(&["--resource-group", "-g"], "resource group (required to create a vault)"),
    opt(&["--location", "-l"], "Azure region, e.g. westeurope (required to create)"),
    opt(&["--enable-purge-protection"], "true: purge protection on (one-way)"),
    opt(&["--retention-days"], "soft-delete retention, 7..90 days, fixed at creation"),
    opt(&["--enable-soft-delete"], "false: create without soft delete (legacy)"),
    opt(&["--enable-rbac-authorization"], "true (default): Azure RBAC; false: access policies"),
    opt(&["--public-network-access"], "Enabled | Disabled"),
    opt(&["--bypass"], "AzureServices | None: trusted Microsoft services through the firewall"),
    opt(&["--sku"], "standard | premium"),
    opt(&["--name", "-n"], "vault name"),
    opt(&["--hsm-name"], "Managed HSM name (instead of --name)"),
    many(&["--administrators"], false, "Managed HSM administrators (object ids)"),
];

const KEY: &[Flag] = &[
    opt(&["--vault-name"], "vault name"),
    opt(&["--hsm-name"], "Managed HSM name (instead of --vault-name)"),
    req(&["--name", "-n"], "key name"),
];

const KEY_VERSIONED: &[Flag] = &[
    opt(&["--vault-name"], "vault name"),
    opt(&["--hsm-name"], "Managed HSM name (instead of --vault-name)"),
    opt(&["--name", "-n"], "key name"),
    opt(&["--version", "-v"], "key version (default: current)"),
    opt(&["--id"], "key identifier (kid), instead of --vault-name, --name and --version"),
];

const CRYPTO: &[Flag] = &[
    opt(&["--vault-name"], "vault name"),
    opt(&["--hsm-name"], "Managed HSM name (instead of --vault-name)"),
    req(&["--name", "-n"], "key name"),
    opt(&["--version", "-v"], "key version (default: current)"),
    req(&["--algorithm", "-a"], "RSA-OAEP-256 | RSA-OAEP | RSA1_5"),
    req(&["--value"], "the bytes, base64"),
    opt(&["--data-type"], "base64 (the only one supported)"),
];

const ROLE: &[Flag] = &[
    req(&["--assignee"], "object id or UPN of the principal"),
    req(&["--role"], "role name, e.g. \"Key Vault Crypto Service Encryption User\""),
    req(&["--scope"], "ARM id of the subscription, group or resource"),
];

const ENV: &[Flag] = &[req(&["--environment", "--env", "-e"], "environment name or id")];
const POLICY_ENV: &[Flag] = &[
    req(&["--policy", "-p"], "policy name or ARM id"),
    req(&["--environment", "--env", "-e"], "environment name or id"),
];

/// A vault or an HSM, for the key lists.
const VAULT_ONLY: &[Flag] =
    &[opt(&["--vault-name"], "vault name"), opt(&["--hsm-name"], "Managed HSM name (instead of --vault-name)")];

pub static SPECS: &[Spec] = &[
    Spec {
        path: "sim what-if",
        summary: "what a command would do: run on a copy of the world whose clock then moves 35 days (nothing changes)",
        flags: &[],
        positionals: &["COMMAND…"],
    },
    // Everyday reads beyond COMMANDS.md, with the real CLI's output shapes; they show what the
    // signed-in persona may see.
    Spec { path: "az account show", summary: "the subscription in use", flags: &[], positionals: &[] },
    Spec { path: "az group list", summary: "resource groups", flags: &[], positionals: &[] },
    Spec { path: "az keyvault list", summary: "key vaults and Managed HSMs", flags: &[opt(&["--resource-group", "-g"], "resource group")], positionals: &[] },
    Spec { path: "az keyvault list-deleted", summary: "soft-deleted vaults", flags: &[], positionals: &[] },
    Spec { path: "az keyvault key list", summary: "a vault's keys", flags: VAULT_ONLY, positionals: &[] },
    Spec { path: "az keyvault key list-deleted", summary: "a vault's soft-deleted keys", flags: VAULT_ONLY, positionals: &[] },
    Spec { path: "az role definition list", summary: "built-in role definitions", flags: &[opt(&["--name", "-n"], "role name")], positionals: &[] },
    Spec { path: "az ad user list", summary: "the directory's users", flags: &[], positionals: &[] },
    Spec {
        path: "az resource list",
        summary: "resources (vaults, Managed HSMs, enterprise policies)",
        flags: &[opt(&["--resource-type"], "type, e.g. Microsoft.KeyVault/vaults"), opt(&["--resource-group", "-g"], "resource group")],
        positionals: &[],
    },
    Spec {
        path: "sim file write",
        summary: "keep a file for this session (a recorded script carries its templates this way)",
        flags: &[req(&["--name", "-n"], "file name"), req(&["--value"], "the file's text")],
        positionals: &[],
    },
    Spec { path: "sim seed", summary: "make randomness deterministic (keys, ids)", flags: &[], positionals: &["N"] },
    Spec { path: "sim clock show", summary: "the simulated time and what is pending", flags: &[], positionals: &[] },
    Spec { path: "sim clock advance", summary: "move the clock: 30m, 6h, 4d or ISO-8601 (PT5M, P28D)", flags: &[], positionals: &["DURATION"] },
    Spec { path: "sim clock run", summary: "run the clock until no operation is in progress (30 days at most)", flags: &[], positionals: &[] },
    Spec { path: "sim persona list", summary: "the personas: upn, objectId, roles", flags: &[], positionals: &[] },
    Spec {
        path: "sim data insert",
        summary: "insert N generated rows into a Dataverse table",
        flags: &[req(&["--environment", "--env", "-e"], "environment"), req(&["--table", "-t"], "table name"), req(&["--rows"], "how many rows")],
        positionals: &[],
    },
    Spec {
        path: "sim data read",
        summary: "read a table: {rows, sha256 of the plaintext}",
        flags: &[req(&["--environment", "--env", "-e"], "environment"), req(&["--table", "-t"], "table name")],
        positionals: &[],
    },
    Spec {
        path: "sim fail",
        summary: "the next encryption step of that service fails",
        flags: &[req(&["--environment", "--env", "-e"], "environment"), req(&["--service"], "dataverse | files | search | copilot | flows")],
        positionals: &[],
    },
    Spec { path: "az login", summary: "sign in as a persona", flags: &[req(&["--username", "-u"], "user principal name")], positionals: &[] },
    Spec { path: "az ad user show", summary: "a user's object id and UPN", flags: &[req(&["--id"], "UPN or object id")], positionals: &[] },
    Spec { path: "az provider register", summary: "register a resource provider on the subscription", flags: &[req(&["--namespace", "-n"], "e.g. Microsoft.PowerPlatform")], positionals: &[] },
    Spec {
        path: "az group create",
        summary: "create a resource group",
        flags: &[req(&["--name", "-n", "--resource-group", "-g"], "name"), req(&["--location", "-l"], "Azure region")],
        positionals: &[],
    },
    Spec { path: "az keyvault create", summary: "create a key vault (--name) or a Managed HSM (--hsm-name)", flags: VAULT_OPTIONS, positionals: &[] },
    Spec { path: "az keyvault update", summary: "change a vault's settings", flags: VAULT_OPTIONS, positionals: &[] },
    Spec { path: "az keyvault show", summary: "a vault as ARM shows it", flags: &[opt(&["--name", "-n"], "vault name"), opt(&["--hsm-name"], "Managed HSM name")], positionals: &[] },
    Spec { path: "az keyvault delete", summary: "delete a vault (soft delete when on)", flags: &[opt(&["--name", "-n"], "vault name"), opt(&["--hsm-name"], "Managed HSM name")], positionals: &[] },
    Spec { path: "az keyvault recover", summary: "recover a soft-deleted vault", flags: &[opt(&["--name", "-n"], "vault name"), opt(&["--hsm-name"], "Managed HSM name")], positionals: &[] },
    Spec { path: "az keyvault purge", summary: "purge a soft-deleted vault", flags: &[opt(&["--name", "-n"], "vault name"), opt(&["--hsm-name"], "Managed HSM name")], positionals: &[] },
    Spec {
        path: "az keyvault set-policy",
        summary: "give a principal key permissions (access-policy vaults)",
        flags: &[req(&["--name", "-n"], "vault name"), req(&["--object-id"], "principal object id"), many(&["--key-permissions"], true, "get list create update import delete recover purge wrapKey unwrapKey encrypt decrypt rotate getrotationpolicy setrotationpolicy all")],
        positionals: &[],
    },
    Spec {
        path: "az keyvault delete-policy",
        summary: "remove a principal's access policy",
        flags: &[req(&["--name", "-n"], "vault name"), req(&["--object-id"], "principal object id")],
        positionals: &[],
    },
    Spec {
        path: "az keyvault security-domain download",
        summary: "activate a Managed HSM by downloading its security domain",
        flags: &[req(&["--hsm-name"], "Managed HSM name"), many(&["--sd-wrapping-keys"], false, "certificate files (not read here)"), opt(&["--sd-quorum"], "quorum"), opt(&["--security-domain-file"], "output file (not written here)")],
        positionals: &[],
    },
    Spec {
        path: "az keyvault role assignment create",
        summary: "Managed HSM local RBAC: assign a local role",
        flags: &[req(&["--hsm-name"], "Managed HSM name"), req(&["--role"], "e.g. \"Managed HSM Crypto User\""), req(&["--assignee", "--assignee-object-id"], "object id"), opt(&["--scope"], "/, /keys or /keys/NAME (default /)")],
        positionals: &[],
    },
    Spec {
        path: "az keyvault key create",
        summary: "create a key, or a new version of it",
        flags: &[
            opt(&["--vault-name"], "vault name"),
            opt(&["--hsm-name"], "Managed HSM name (instead of --vault-name)"),
            req(&["--name", "-n"], "key name"),
            opt(&["--kty"], "RSA | RSA-HSM (default RSA, RSA-HSM in a Managed HSM)"),
            opt(&["--size"], "2048 | 3072 | 4096 (default 2048)"),
            opt(&["--expires"], "ISO date-time"),
            opt(&["--not-before"], "ISO date-time"),
            opt(&["--disabled"], "true: created disabled"),
        ],
        positionals: &[],
    },
    Spec {
        path: "az keyvault key import",
        summary: "import a private key (PEM PKCS#1 / PKCS#8, or JWK) as a key or a new version",
        flags: &[
            opt(&["--vault-name"], "vault name"),
            opt(&["--hsm-name"], "Managed HSM name"),
            req(&["--name", "-n"], "key name"),
            opt(&["--pem-file"], "PEM file (relative to the script)"),
            opt(&["--byok-file", "--jwk-file"], "JWK file"),
            opt(&["--kty"], "RSA | RSA-HSM"),
            opt(&["--expires"], "ISO date-time"),
            opt(&["--not-before"], "ISO date-time"),
            opt(&["--disabled"], "true: imported disabled"),
        ],
        positionals: &[],
    },
    Spec { path: "az keyvault key show", summary: "a key's public JWK and attributes", flags: KEY_VERSIONED, positionals: &[] },
    Spec { path: "az keyvault key list-versions", summary: "every version of a key", flags: KEY, positionals: &[] },
    Spec {
        path: "az keyvault key set-attributes",
        summary: "enable / disable a key version, set its dates",
        flags: &[
            opt(&["--vault-name"], "vault name"),
            opt(&["--hsm-name"], "Managed HSM name"),
            opt(&["--name", "-n"], "key name"),
            opt(&["--version", "-v"], "key version (default: current)"),
            opt(&["--id"], "key identifier (kid), instead of --vault-name, --name and --version"),
            opt(&["--enabled"], "true | false"),
            opt(&["--expires"], "ISO date-time, or \"\" to clear"),
            opt(&["--not-before"], "ISO date-time, or \"\" to clear"),
        ],
        positionals: &[],
    },
    Spec { path: "az keyvault key rotate", summary: "rotate now: a new version becomes current", flags: KEY, positionals: &[] },
    Spec {
        path: "az keyvault key rotation-policy update",
        summary: "set the rotation policy (Key Vault's JSON)",
        flags: &[opt(&["--vault-name"], "vault name"), opt(&["--hsm-name"], "Managed HSM name"), req(&["--name", "-n"], "key name"), req(&["--value"], "@FILE or the JSON itself")],
        positionals: &[],
    },
    Spec { path: "az keyvault key rotation-policy show", summary: "the rotation policy", flags: KEY, positionals: &[] },
    Spec { path: "az keyvault key delete", summary: "delete a key (soft delete when on)", flags: KEY, positionals: &[] },
    Spec { path: "az keyvault key recover", summary: "recover a soft-deleted key", flags: KEY, positionals: &[] },
    Spec { path: "az keyvault key purge", summary: "purge a soft-deleted key", flags: KEY, positionals: &[] },
    Spec { path: "az keyvault key encrypt", summary: "encrypt with a key", flags: CRYPTO, positionals: &[] },
    Spec { path: "az keyvault key decrypt", summary: "decrypt with a key", flags: CRYPTO, positionals: &[] },
    Spec { path: "az role assignment create", summary: "assign an Azure role", flags: ROLE, positionals: &[] },
    Spec { path: "az role assignment delete", summary: "remove an Azure role assignment", flags: ROLE, positionals: &[] },
    Spec {
        path: "az role assignment list",
        summary: "role assignments you can see",
        flags: &[opt(&["--assignee"], "object id or UPN"), opt(&["--scope"], "ARM id")],
        positionals: &[],
    },
    Spec {
        path: "az network private-endpoint create",
        summary: "a private endpoint to a key vault",
        flags: &[
            req(&["--name", "-n"], "endpoint name"),
            req(&["--resource-group", "-g"], "resource group"),
            req(&["--private-connection-resource-id"], "the vault's ARM id"),
            opt(&["--vnet-name"], "virtual network"),
            opt(&["--subnet"], "subnet"),
            opt(&["--group-id", "--group-ids"], "vault"),
            opt(&["--connection-name"], "connection name"),
        ],
        positionals: &[],
    },
    Spec {
        path: "az deployment group create",
        summary: "deploy an ARM template (the enterprise-policy template)",
        flags: &[req(&["--resource-group", "-g"], "resource group"), req(&["--template-file", "-f"], "template file"), opt(&["--name", "-n"], "deployment name")],
        positionals: &[],
    },
    Spec { path: "az graph query", summary: "Resource Graph: resources | where type =~ '…'", flags: &[req(&["--graph-query", "-q"], "the query")], positionals: &[] },
    Spec { path: "az resource show", summary: "a resource by ARM id", flags: &[req(&["--ids"], "ARM id")], positionals: &[] },
    Spec { path: "az resource delete", summary: "delete a resource by ARM id", flags: &[req(&["--ids"], "ARM id")], positionals: &[] },
    Spec {
        path: "New-AzRoleAssignment",
        summary: "Az PowerShell: assign an Azure role",
        flags: &[req(&["-ObjectId"], "object id"), req(&["-RoleDefinitionName"], "role name"), req(&["-Scope"], "ARM id")],
        positionals: &[],
    },
    Spec {
        path: "pp env create",
        summary: "create an environment",
        flags: &[
            req(&["--name", "-n"], "environment name"),
            req(&["--region", "-r"], "Power Platform region, e.g. europe"),
            req(&["--type"], "Production | Sandbox | Developer | Trial | Teams | Default | SupportInvestigation"),
            switch(&["--byok"], "encrypted with the legacy tenant key (BYOK)"),
        ],
        positionals: &[],
    },
    Spec { path: "pp env list", summary: "every environment", flags: &[], positionals: &[] },
    Spec { path: "pp env show", summary: "an environment: state, encryption status, policy, key version", flags: ENV, positionals: &[] },
    Spec { path: "pp env enable-managed", summary: "turn on Managed Environments", flags: ENV, positionals: &[] },
    Spec { path: "pp env history", summary: "the environment's operations", flags: ENV, positionals: &[] },
    Spec { path: "pp env re-enable", summary: "re-enable a locked environment once key access is back", flags: ENV, positionals: &[] },
    Spec {
        path: "pp env backup",
        summary: "take a manual backup",
        flags: &[req(&["--environment", "--env", "-e"], "environment"), opt(&["--label"], "label")],
        positionals: &[],
    },
    Spec {
        path: "pp env restore",
        summary: "restore a backup into the same or another environment with the same key",
        flags: &[req(&["--source"], "environment the backup belongs to"), req(&["--backup"], "backup id"), req(&["--target"], "environment to overwrite")],
        positionals: &[],
    },
    Spec {
        path: "pp env copy",
        summary: "copy an environment into another with the same key",
        flags: &[req(&["--source"], "environment to copy"), req(&["--target"], "environment to overwrite")],
        positionals: &[],
    },
    Spec { path: "pp env reset", summary: "delete data and backups, back to the Microsoft-managed key", flags: ENV, positionals: &[] },
    Spec { path: "pp policy list", summary: "enterprise policies the signed-in admin can see", flags: &[], positionals: &[] },
    Spec { path: "pp policy show", summary: "a policy with its environments", flags: &[req(&["--policy", "-p"], "policy name or ARM id")], positionals: &[] },
    Spec { path: "pp policy add-environment", summary: "add an environment (Save + Confirm): encrypt with the policy's key", flags: POLICY_ENV, positionals: &[] },
    Spec { path: "pp policy remove-environment", summary: "remove an environment: revert to the Microsoft-managed key", flags: POLICY_ENV, positionals: &[] },
];

/// Global flags every command takes.
pub const GLOBAL: &[Flag] = &[
    opt(&["--query"], "dotted path into the result, e.g. identity.principalId"),
    opt(&["--output", "-o"], "json (default) | tsv (bare value)"),
    switch(&["--help", "-h"], "this help"),
];

impl Spec {
    pub fn usage(&self) -> String {
        let mut s = format!("{}: {}\n\nUsage: {}", self.path, self.summary, self.path);
        for p in self.positionals {
            s.push_str(&format!(" {p}"));
        }
        for f in self.flags.iter().filter(|f| f.required) {
            s.push_str(&format!(" {} {}", f.names[0], placeholder(f)));
        }
        if self.flags.iter().any(|f| !f.required) {
            s.push_str(" [options]");
        }
        s.push_str("\n\nArguments:\n");
        for f in self.flags {
            let names = f.names.join(", ");
            let req = if f.required { " (required)" } else { "" };
            s.push_str(&format!("  {names:<34} {}{req}\n", f.help));
        }
        s.push_str("\nGlobal arguments:\n");
        for f in GLOBAL {
            s.push_str(&format!("  {:<34} {}\n", f.names.join(", "), f.help));
        }
        s
    }
}

fn placeholder(f: &Flag) -> &'static str {
    match f.arity {
        Arity::Switch => "",
        Arity::One => "VALUE",
        Arity::Many => "VALUE [VALUE …]",
    }
}

/// The help of a group (`az keyvault`): its commands.
pub fn group_help(prefix: &str) -> Option<String> {
    let under: Vec<&Spec> = SPECS
        .iter()
        .filter(|s| {
            s.path.starts_with(prefix) && s.path.len() > prefix.len() && s.path.as_bytes()[prefix.len()] == b' '
        })
        .collect();
    if under.is_empty() {
        return None;
    }
    let mut s = format!("Group: {prefix}\n\nCommands:\n");
    for spec in under {
        s.push_str(&format!("  {:<44} {}\n", &spec.path[prefix.len() + 1..], spec.summary));
    }
    s.push_str(&format!("\nRun '{prefix} COMMAND --help' for a command's arguments."));
    Some(s)
}

/// Edit distance, for "did you mean".
pub fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = alloc::vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(!ca.eq_ignore_ascii_case(cb));
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The closest candidate, if close enough to be a likely typo.
pub fn closest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .map(|c| (distance(word, c), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}
