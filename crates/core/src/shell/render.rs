//! The way back from a command to the Cloud Shell line that does the same: what the page runs
//! by clicking is recorded as these lines (exported scripts, share links, undo by replay).
//! Parsing a rendered line gives the same command again (a test checks it for every flow).

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;

use crate::command::*;
use crate::time::SimTime;
use crate::world::World;

/// The file a rendered deployment writes its template to before deploying it.
pub const TEMPLATE_FILE: &str = "template.json";

/// One word for the shell: as-is when it is plain, otherwise single-quoted (a `'` inside is
/// written `'\''`, as in bash).
pub fn quote(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "@%+=:,./_-".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        return word.to_string();
    }
    format!("'{}'", word.replace('\'', "'\\''"))
}

/// A duration the way people type it: `30d`, `6h`, `45m`, or seconds as ISO-8601.
pub fn duration(seconds: u64) -> String {
    match seconds {
        s if s > 0 && s % 86_400 == 0 => format!("{}d", s / 86_400),
        s if s > 0 && s % 3600 == 0 => format!("{}h", s / 3600),
        s if s > 0 && s % 60 == 0 => format!("{}m", s / 60),
        s => format!("PT{s}S"),
    }
}

fn time(t: Option<SimTime>) -> String {
    t.map(SimTime::to_iso).unwrap_or_default()
}

/// JSON kept on one line (a script's lines are physical lines); text that is not JSON keeps its
/// characters with line breaks turned into spaces.
fn one_line(text: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(v) => v.to_string(),
        Err(_) => text.replace(['\r', '\n'], " "),
    }
}

struct Line(Vec<String>);

impl Line {
    fn new(words: &str) -> Self {
        Self(words.split(' ').map(Into::into).collect())
    }
    fn flag(mut self, name: &str, value: &str) -> Self {
        self.0.push(name.into());
        self.0.push(quote(value));
        self
    }
    fn opt(self, name: &str, value: Option<&str>) -> Self {
        match value {
            Some(v) => self.flag(name, v),
            None => self,
        }
    }
    fn switch(mut self, name: &str, on: bool) -> Self {
        if on {
            self.0.push(name.into());
        }
        self
    }
    fn done(self) -> String {
        self.0.join(" ")
    }
}

/// The vault flag a key command takes: `--hsm-name` for a Managed HSM, else `--vault-name`.
fn vault_flag(world: &World, name: &str) -> &'static str {
    match world.azure.vault(name) {
        Ok(v) if v.is_hsm() => "--hsm-name",
        _ => "--vault-name",
    }
}

fn on_off(v: bool) -> &'static str {
    if v {
        "true"
    } else {
        "false"
    }
}

/// The line(s) that run `command` as the signed-in persona, or `None` for what the language
/// cannot say (key material from a file the script does not carry is named, not embedded).
pub fn lines_for(world: &World, command: &Command) -> Option<Vec<String>> {
    let one = |l: Line| Some(vec![l.done()]);
    match command {
        Command::SignIn { upn } => one(Line::new("az login").flag("--username", upn)),
        Command::ShowUser { id } => one(Line::new("az ad user show").flag("--id", id)),
        Command::RegisterProvider { namespace } => {
            one(Line::new("az provider register").flag("--namespace", namespace))
        }
        Command::CreateResourceGroup { name, location } => {
            one(Line::new("az group create").flag("--name", name).flag("--location", location))
        }
        Command::CreateVault(v) => {
            let mut l = Line::new("az keyvault create")
                .flag("--name", &v.name)
                .flag("--resource-group", &v.resource_group)
                .flag("--location", &v.location)
                .flag("--sku", if v.sku == crate::azure::vault::VaultSku::Premium { "premium" } else { "standard" })
                .flag("--enable-rbac-authorization", on_off(v.enable_rbac_authorization))
                .flag("--retention-days", &v.retention_days.to_string())
                .flag("--enable-purge-protection", on_off(v.enable_purge_protection))
                .flag("--public-network-access", if v.public_network_access { "Enabled" } else { "Disabled" })
                .flag("--bypass", if v.bypass_azure_services { "AzureServices" } else { "None" });
            if !v.enable_soft_delete {
                l = l.flag("--enable-soft-delete", "false");
            }
            one(l)
        }
        Command::CreateManagedHsm(h) => {
            let mut l = Line::new("az keyvault create")
                .flag("--hsm-name", &h.name)
                .flag("--resource-group", &h.resource_group)
                .flag("--location", &h.location)
                .flag("--retention-days", &h.retention_days.to_string())
                .flag("--enable-purge-protection", on_off(h.enable_purge_protection));
            if !h.administrators.is_empty() {
                l.0.push("--administrators".into());
                l.0.extend(h.administrators.iter().map(|a| quote(a)));
            }
            one(l)
        }
        Command::ActivateManagedHsm { name } => {
            one(Line::new("az keyvault security-domain download").flag("--hsm-name", name))
        }
        Command::CreateHsmRoleAssignment { hsm, role, assignee, scope } => {
            one(Line::new("az keyvault role assignment create")
                .flag("--hsm-name", hsm)
                .flag("--role", role)
                .flag("--assignee", assignee)
                .flag("--scope", scope))
        }
        Command::UpdateVault(u) => {
            let flag = if vault_flag(world, &u.name) == "--hsm-name" { "--hsm-name" } else { "--name" };
            let b = |v: Option<bool>| v.map(on_off);
            one(Line::new("az keyvault update")
                .flag(flag, &u.name)
                .opt("--enable-rbac-authorization", b(u.enable_rbac_authorization))
                .opt("--enable-soft-delete", b(u.enable_soft_delete))
                .opt("--retention-days", u.retention_days.map(|d| d.to_string()).as_deref())
                .opt("--enable-purge-protection", b(u.enable_purge_protection))
                .opt("--public-network-access", u.public_network_access.map(|p| if p { "Enabled" } else { "Disabled" }))
                .opt("--bypass", u.bypass_azure_services.map(|p| if p { "AzureServices" } else { "None" })))
        }
        Command::ShowVault { name } => one(Line::new("az keyvault show").flag("--name", name)),
        Command::DeleteVault { name } => one(Line::new("az keyvault delete").flag("--name", name)),
        Command::RecoverVault { name } => one(Line::new("az keyvault recover").flag("--name", name)),
        Command::PurgeVault { name } => one(Line::new("az keyvault purge").flag("--name", name)),
        Command::SetAccessPolicy { vault, object_id, permissions } => {
            let mut l = Line::new("az keyvault set-policy").flag("--name", vault).flag("--object-id", object_id);
            l.0.push("--key-permissions".into());
            l.0.extend(permissions.iter().map(|p| quote(p)));
            one(l)
        }
        Command::DeleteAccessPolicy { vault, object_id } => {
            one(Line::new("az keyvault delete-policy").flag("--name", vault).flag("--object-id", object_id))
        }
        Command::CreatePrivateEndpoint { name, resource_group, vault } => {
            let id = world.azure.vault(vault).map(|v| v.id()).unwrap_or_else(|_| vault.clone());
            one(Line::new("az network private-endpoint create")
                .flag("--name", name)
                .flag("--resource-group", resource_group)
                .flag("--private-connection-resource-id", &id))
        }
        Command::CreateKey(k) => one(Line::new("az keyvault key create")
            .flag(vault_flag(world, &k.vault), &k.vault)
            .flag("--name", &k.name)
            .flag("--kty", k.kty.as_str())
            .flag("--size", &k.size.to_string())
            .opt("--not-before", k.not_before.map(SimTime::to_iso).as_deref())
            .opt("--expires", k.expires.map(SimTime::to_iso).as_deref())
            .opt("--disabled", (!k.enabled).then_some("true"))),
        // The private key never goes into a script: the line names the file to provide.
        Command::ImportKey(k) => one(Line::new("az keyvault key import")
            .flag(vault_flag(world, &k.vault), &k.vault)
            .flag("--name", &k.name)
            .flag("--kty", k.kty.as_str())
            .flag("--pem-file", &format!("{}.pem", k.name))
            .opt("--not-before", k.not_before.map(SimTime::to_iso).as_deref())
            .opt("--expires", k.expires.map(SimTime::to_iso).as_deref())
            .opt("--disabled", (!k.enabled).then_some("true"))),
        Command::ShowKey { vault, name, version } => one(Line::new("az keyvault key show")
            .flag(vault_flag(world, vault), vault)
            .flag("--name", name)
            .opt("--version", version.as_deref())),
        Command::ListKeyVersions { vault, name } => {
            one(Line::new("az keyvault key list-versions").flag(vault_flag(world, vault), vault).flag("--name", name))
        }
        Command::SetKeyAttributes(s) => one(Line::new("az keyvault key set-attributes")
            .flag(vault_flag(world, &s.vault), &s.vault)
            .flag("--name", &s.name)
            .opt("--version", s.version.as_deref())
            .opt("--enabled", s.enabled.map(on_off))
            .opt("--not-before", s.not_before.map(time).as_deref())
            .opt("--expires", s.expires.map(time).as_deref())),
        Command::RotateKey { vault, name, .. } => {
            one(Line::new("az keyvault key rotate").flag(vault_flag(world, vault), vault).flag("--name", name))
        }
        Command::SetRotationPolicy { vault, name, policy } => one(Line::new("az keyvault key rotation-policy update")
            .flag(vault_flag(world, vault), vault)
            .flag("--name", name)
            .flag("--value", &one_line(policy))),
        Command::ShowRotationPolicy { vault, name } => one(Line::new("az keyvault key rotation-policy show")
            .flag(vault_flag(world, vault), vault)
            .flag("--name", name)),
        Command::DeleteKey { vault, name } => {
            one(Line::new("az keyvault key delete").flag(vault_flag(world, vault), vault).flag("--name", name))
        }
        Command::RecoverKey { vault, name } => {
            one(Line::new("az keyvault key recover").flag(vault_flag(world, vault), vault).flag("--name", name))
        }
        Command::PurgeKey { vault, name } => {
            one(Line::new("az keyvault key purge").flag(vault_flag(world, vault), vault).flag("--name", name))
        }
        Command::KeyOperation(op) => {
            let verb = match op.operation {
                crate::azure::requests::CryptoOperation::Encrypt => "encrypt",
                crate::azure::requests::CryptoOperation::Decrypt => "decrypt",
                _ => return None,
            };
            one(Line::new(&format!("az keyvault key {verb}"))
                .flag(vault_flag(world, &op.vault), &op.vault)
                .flag("--name", &op.name)
                .opt("--version", op.version.as_deref())
                .flag("--algorithm", &op.algorithm)
                .flag("--value", &op.value)
                .flag("--data-type", "base64"))
        }
        Command::CreateRoleAssignment { assignee, role, scope } => one(Line::new("az role assignment create")
            .flag("--assignee", assignee)
            .flag("--role", role)
            .flag("--scope", scope)),
        Command::DeleteRoleAssignment { assignee, role, scope } => one(Line::new("az role assignment delete")
            .flag("--assignee", assignee)
            .flag("--role", role)
            .flag("--scope", scope)),
        Command::ListRoleAssignments { assignee, scope } => one(Line::new("az role assignment list")
            .opt("--assignee", assignee.as_deref())
            .opt("--scope", scope.as_deref())),
        Command::DeployTemplate { resource_group, template } => Some(vec![
            lines_for_file(TEMPLATE_FILE, template),
            Line::new("az deployment group create")
                .flag("--resource-group", resource_group)
                .flag("--template-file", TEMPLATE_FILE)
                .done(),
        ]),
        Command::ShowResource { id } => one(Line::new("az resource show").flag("--ids", id)),
        Command::DeleteResource { id } => one(Line::new("az resource delete").flag("--ids", id)),
        Command::GraphQuery { query } => one(Line::new("az graph query").flag("--graph-query", query)),
        Command::AdvanceClock { by } => Some(vec![format!("sim clock advance {}", duration(by.as_seconds()))]),
        Command::RunClock => Some(vec!["sim clock run".into()]),
        Command::CreateEnvironment { name, region, env_type, byok } => one(Line::new("pp env create")
            .flag("--name", name)
            .flag("--region", region)
            .flag("--type", env_type)
            .switch("--byok", *byok)),
        Command::ListEnvironments => Some(vec!["pp env list".into()]),
        Command::ShowEnvironment { environment } => one(Line::new("pp env show").flag("--environment", environment)),
        Command::EnableManaged { environment } => {
            one(Line::new("pp env enable-managed").flag("--environment", environment))
        }
        Command::EnvironmentHistory { environment } => {
            one(Line::new("pp env history").flag("--environment", environment))
        }
        Command::ReEnableEnvironment { environment } => {
            one(Line::new("pp env re-enable").flag("--environment", environment))
        }
        Command::BackupEnvironment { environment, label } => {
            one(Line::new("pp env backup").flag("--environment", environment).opt("--label", label.as_deref()))
        }
        Command::RestoreBackup { source, backup, target } => {
            one(Line::new("pp env restore").flag("--source", source).flag("--backup", backup).flag("--target", target))
        }
        Command::CopyEnvironment { source, target } => {
            one(Line::new("pp env copy").flag("--source", source).flag("--target", target))
        }
        Command::ResetEnvironment { environment } => one(Line::new("pp env reset").flag("--environment", environment)),
        Command::ListPolicies => Some(vec!["pp policy list".into()]),
        Command::ShowPolicy { policy } => one(Line::new("pp policy show").flag("--policy", policy)),
        Command::AddEnvironmentToPolicy { policy, environment } => {
            one(Line::new("pp policy add-environment").flag("--policy", policy).flag("--environment", environment))
        }
        Command::RemoveEnvironmentFromPolicy { policy, environment } => {
            one(Line::new("pp policy remove-environment").flag("--policy", policy).flag("--environment", environment))
        }
        Command::InsertRows { environment, table, rows } => one(Line::new("sim data insert")
            .flag("--environment", environment)
            .flag("--table", table)
            .flag("--rows", &rows.to_string())),
        Command::ReadTable { environment, table } => {
            one(Line::new("sim data read").flag("--environment", environment).flag("--table", table))
        }
        Command::FailNextStep { environment, service } => {
            one(Line::new("sim fail").flag("--environment", environment).flag("--service", service))
        }
    }
}

/// The line that gives a session the file `name` (templates travel inside scripts this way).
pub fn lines_for_file(name: &str, text: &str) -> String {
    Line::new("sim file write").flag("--name", name).flag("--value", &one_line(text)).done()
}
