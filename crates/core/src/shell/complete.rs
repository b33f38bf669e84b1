//! Tab completion for the Cloud Shell: command words, an `az` command's arguments (from the real
//! CLI's grammar), their choices, and the world's names as the signed-in persona sees them
//! (groups, vaults, keys, environments, policies, personas, roles, regions).

use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::command::registry::{self, grammar};
use crate::view::View;

/// What Tab offers for a line: the candidates for its last word, which starts at byte `start`.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Completion {
    pub start: usize,
    pub candidates: Vec<String>,
}

/// The completions of `line`'s last word (the empty word after a space), sorted, without
/// repeats; none inside a quoted or `$(…)` word.
pub fn complete(line: &str, view: &View) -> Completion {
    let start = line.rfind(char::is_whitespace).map_or(0, |i| i + 1);
    let (before, word) = line.split_at(start);
    let words: Vec<String> = before.split_whitespace().map(str::to_string).collect();
    if word.starts_with(['\'', '"', '$']) {
        return Completion { start, candidates: Vec::new() };
    }
    let mut candidates: Vec<String> = if words.iter().all(|w| !w.starts_with('-')) && !word.starts_with('-') {
        command_words(&words).unwrap_or_else(|| values(&words, view))
    } else if word.starts_with('-') {
        arguments(&words)
    } else {
        values(&words, view)
    };
    let lower = word.to_ascii_lowercase();
    candidates.retain(|c| c.to_ascii_lowercase().starts_with(&lower));
    candidates.sort_unstable();
    candidates.dedup();
    Completion { start, candidates }
}

/// The next word of a command path, while the words typed are a path's first words.
fn command_words(words: &[String]) -> Option<Vec<String>> {
    let next: Vec<String> = registry::specs()
        .filter_map(|s| {
            let path: Vec<&str> = s.path.split(' ').collect();
            (path.len() > words.len() && path.iter().zip(words).all(|(p, w)| p.eq_ignore_ascii_case(w)))
                .then(|| path[words.len()].to_string())
        })
        .collect();
    (!next.is_empty()).then_some(next)
}

/// The arguments of the command the words spell: the real CLI's (for `az`), the form's, the
/// global ones.
fn arguments(words: &[String]) -> Vec<String> {
    let Some(spec) = registry::find(words) else { return Vec::new() };
    let mut names: Vec<String> = spec.flags.iter().flat_map(|f| f.names.iter().map(|n| n.to_string())).collect();
    // An Az cmdlet's parameters are single-dash words (-VaultName), all of them offered.
    if registry::args::is_cmdlet(spec.path) {
        return names;
    }
    if let Some(cmd) = grammar::command(spec.path) {
        names.extend(
            cmd.all_args()
                .chain(grammar::GLOBAL)
                .filter(|a| !a.hidden)
                .flat_map(|a| a.options.iter().map(|n| n.to_string())),
        );
    } else {
        names.extend(registry::spec::GLOBAL.iter().flat_map(|f| f.names.iter().map(|n| n.to_string())));
    }
    // Long names first is what people type; short ones are there for who wants them.
    names.retain(|n| n.starts_with("--"));
    names
}

/// The values for the argument the last full word names: its choices, else the world's names.
fn values(words: &[String], view: &View) -> Vec<String> {
    let Some(flag) = words.last().filter(|w| w.starts_with('-')) else { return Vec::new() };
    let spec = registry::find(words);
    if let Some(arg) = spec.and_then(|s| grammar::command(s.path)).and_then(|c| c.arg(flag)) {
        if !arg.choices.is_empty() {
            return arg.choices.iter().map(|c| c.to_string()).collect();
        }
    }
    let path = spec.map_or("", |s| s.path);
    let vaults = || view.vaults.iter().map(|l| l.vault.name.clone()).collect::<Vec<_>>();
    match flag.as_str() {
        "--vault-name" | "--hsm-name" => vaults(),
        "--name" | "-n" if path.starts_with("az keyvault key") => {
            let vault =
                words.windows(2).find(|w| w[0] == "--vault-name" || w[0] == "--hsm-name").map(|w| w[1].as_str());
            view.vaults
                .iter()
                .filter(|l| vault.is_none_or(|v| l.vault.name.eq_ignore_ascii_case(v)))
                .filter_map(|l| l.keys.as_ref().ok())
                .flat_map(|keys| keys.iter().map(|k| k.name.clone()))
                .collect()
        }
        "--name" | "-n" if path.starts_with("az keyvault") => vaults(),
        "--name" | "-n" | "--resource-group" | "-g" if path.starts_with("az group") => group_names(view),
        "--resource-group" | "-g" => group_names(view),
        "--environment" => view.environments.iter().map(|e| e.summary.name.clone()).collect(),
        "--policy" => view.admin_policies.iter().map(|p| p.name.clone()).collect(),
        "--username" | "-u" | "--upn" | "--assignee" | "--id" if !path.contains("keyvault key") => {
            view.personas.iter().map(|p| p.user_principal_name.clone()).collect()
        }
        "--role" => crate::azure::rbac::BUILTIN_ROLES.iter().map(|r| quoted(r.name)).collect(),
        "--location" | "-l" => crate::location::AZURE_LOCATIONS.iter().map(|(n, _)| n.to_string()).collect(),
        "--region" => crate::location::POLICY_LOCATIONS.iter().map(|n| n.to_string()).collect(),
        "--namespace" => {
            ["Microsoft.KeyVault", "Microsoft.Network", "Microsoft.PowerPlatform"].map(String::from).to_vec()
        }
        _ => Vec::new(),
    }
}

fn group_names(view: &View) -> Vec<String> {
    view.resource_groups.iter().map(|g| g.name.clone()).collect()
}

/// A value with spaces, quoted as it must be typed.
fn quoted(v: &str) -> String {
    if v.contains(' ') {
        alloc::format!("\"{v}\"")
    } else {
        v.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shell::{MemoryFiles, Shell};
    use crate::world::World;

    fn view() -> View {
        let mut w = World::new();
        let script = "az login --username kai@contoso.onmicrosoft.com
az group create -n rg-cmk -l westeurope
az keyvault create -n kv-cmk-01 -g rg-cmk -l westeurope --enable-rbac-authorization false
az keyvault set-policy -n kv-cmk-01 --upn kai@contoso.onmicrosoft.com --key-permissions all
az keyvault key create --vault-name kv-cmk-01 -n cmk-pp --size 2048
";
        let out = Shell::new([1; 32]).run_script(&mut w, script, &MemoryFiles::default());
        assert!(out.iter().all(|l| l.contains("\"ok\":true")), "{out:?}");
        w.view()
    }

    #[test]
    fn tab_completes_commands_arguments_choices_and_names() {
        // Issue 31 item 4.
        let v = view();
        let c = |line: &str| complete(line, &v).candidates;
        assert_eq!(c("az keyv"), ["keyvault"]);
        assert!(c("az keyvault key ").contains(&"create".to_string()));
        assert_eq!(complete("az keyvault key cr", &v).start, 16);
        assert!(c("az keyvault key create --vault-name kv-cmk-01 --k").contains(&"--kty".to_string()));
        assert!(c("az group create --t").contains(&"--tags".to_string()), "real arguments too");
        assert_eq!(c("az keyvault key create --kty RSA-"), ["RSA-HSM"]);
        assert_eq!(c("az keyvault key show --vault-name kv"), ["kv-cmk-01"]);
        assert_eq!(c("az keyvault key show --vault-name kv-cmk-01 --name "), ["cmk-pp"]);
        assert_eq!(c("az keyvault create -g "), ["rg-cmk"]);
        assert_eq!(c("az login --username pr"), ["priya@contoso.onmicrosoft.com"]);
        assert!(c("az role assignment create --role \"Key Vault Crypto S").is_empty(), "inside quotes: nothing");
        assert!(c("az role assignment create --role ")
            .iter()
            .any(|r| r == "\"Key Vault Crypto Service Encryption User\""));
        assert!(c("pp env ").contains(&"create".to_string()));
        assert!(c("az nothing --x").is_empty());
        // PowerShell's Tab asks for the command its cursor is in: an Az cmdlet and its parameters.
        assert_eq!(c("Get-AzKeyV"), ["Get-AzKeyVault", "Get-AzKeyVaultKey", "Get-AzKeyVaultKeyRotationPolicy"]);
        assert_eq!(c("Get-AzKeyVault -VaultN"), ["-VaultName"]);
    }
}
