//! A line's arguments, read against its form's flags, and the typed values builders take.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::err;
use super::grammar::{self, AzArg, AzCommand, Nargs};
use super::spec::{self, Arity, Flag, Spec, GLOBAL};
use crate::error::{Error, ErrorCode};
use crate::time::SimTime;

/// Parsed arguments: canonical flag name → values, and positionals.
#[derive(Debug, Default)]
pub struct Args {
    flags: BTreeMap<&'static str, Vec<String>>,
    positionals: Vec<String>,
}

/// A word that names an argument (`--name`, `-n`), not a value (`-5` is a number).
fn is_flag(word: &str) -> bool {
    word.starts_with('-') && word.len() > 1 && !word[1..].starts_with(|c: char| c.is_ascii_digit())
}

/// A PowerShell cmdlet's path (`New-AzKeyVault`), not a line of words (`az keyvault create`).
pub(crate) fn is_cmdlet(path: &str) -> bool {
    !path.contains(' ') && path.contains('-') && path.starts_with(char::is_uppercase)
}

/// `--name=value` → (`--name`, Some(value)); anything else is its own name.
fn split_inline(word: &str) -> (&str, Option<String>) {
    match word.split_once('=') {
        Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
        _ => (word, None),
    }
}

pub(crate) fn parse_args(spec: &Spec, rest: &[String]) -> Result<Args, Error> {
    if let Some(cmd) = grammar::command(spec.path).filter(|_| spec.positionals.is_empty()) {
        return parse_az(spec, cmd, rest);
    }
    let all = || spec.flags.iter().chain(GLOBAL.iter());
    let mut args = Args::default();
    let mut i = 0;
    while i < rest.len() {
        let word = &rest[i];
        if !is_flag(word) {
            args.positionals.push(word.clone());
            i += 1;
            continue;
        }
        // A cmdlet's parameters bind as PowerShell binds them: `-Name:value`, and any
        // unambiguous start of a name (`-Vault` for -VaultName).
        let cmdlet = is_cmdlet(spec.path);
        let (name, inline) = match word.split_once(':') {
            Some((n, v)) if cmdlet && !n.starts_with("--") => (n, Some(v.to_string())),
            _ => split_inline(word),
        };
        let exact = all().find(|f| f.names.iter().any(|n| n.eq_ignore_ascii_case(name)));
        let prefixed = || {
            let lower = name.to_ascii_lowercase();
            let mut hits =
                spec.flags.iter().filter(|f| f.names.iter().any(|n| n.to_ascii_lowercase().starts_with(&lower)));
            match (hits.next(), hits.next()) {
                (Some(f), None) => Some(f),
                _ => None,
            }
        };
        let flag = exact.or_else(|| if cmdlet && name.len() > 2 { prefixed() } else { None });
        // PowerShell's own words for a parameter a cmdlet does not have.
        if flag.is_none() && cmdlet {
            return Err(err(
                ErrorCode::UnknownArgument,
                format!("A parameter cannot be found that matches parameter name '{}'.", name.trim_start_matches('-')),
            ));
        }
        let flag = flag.ok_or_else(|| {
            let names = all().flat_map(|f| f.names.iter().copied());
            let hint = spec::closest(name, names).map(|c| format!(" Did you mean '{c}'?")).unwrap_or_default();
            err(
                ErrorCode::UnknownArgument,
                format!("'{name}' is not an argument of '{}'.{hint} See '{} --help'.", spec.path, spec.path),
            )
        })?;
        let canonical = flag.names[0];
        let entry = args.flags.entry(canonical).or_default();
        i += 1;
        match (flag.arity, inline) {
            (Arity::Switch, Some(v)) if cmdlet => entry.push(v.to_ascii_lowercase()),
            (Arity::Switch, _) => entry.push("true".into()),
            (_, Some(v)) => entry.push(v),
            (Arity::One, None) => {
                let v = rest.get(i).ok_or_else(|| {
                    let message = if cmdlet {
                        format!(
                            "Missing an argument for parameter '{}'. Specify a parameter of type 'System.String' and try again.",
                            flag.names[0].trim_start_matches('-')
                        )
                    } else {
                        format!("'{name}' needs a value. See '{} --help'.", spec.path)
                    };
                    err(ErrorCode::MissingArgument, message)
                })?;
                entry.push(v.clone());
                i += 1;
            }
            (Arity::Many, None) => {
                let start = i;
                while i < rest.len() && !(rest[i].starts_with("--") || (rest[i].starts_with('-') && rest[i].len() == 2))
                {
                    entry.push(rest[i].clone());
                    i += 1;
                }
                if i == start {
                    return Err(err(ErrorCode::MissingArgument, format!("'{name}' needs at least one value.")));
                }
            }
        }
    }
    if args.flags.contains_key("--help") {
        return Ok(args);
    }
    let missing_flags: Vec<&str> =
        spec.flags.iter().filter(|f| f.required && !args.flags.contains_key(f.names[0])).map(|f| f.names[0]).collect();
    if !missing_flags.is_empty() && is_cmdlet(spec.path) {
        let names: Vec<&str> = missing_flags.iter().map(|f| f.trim_start_matches('-')).collect();
        return Err(err(
            ErrorCode::MissingArgument,
            format!("Cannot process command because of one or more missing mandatory parameters: {}.", names.join(" ")),
        ));
    }
    if !missing_flags.is_empty() {
        return Err(missing(&missing_flags, spec.path));
    }
    if args.positionals.len() != spec.positionals.len() {
        let expected = spec.positionals.join(" ");
        return Err(err(
            ErrorCode::MissingArgument,
            if args.positionals.len() < spec.positionals.len() {
                format!("'{}' needs {expected}. See '{} --help'.", spec.path, spec.path)
            } else {
                format!(
                    "'{}' does not take '{}'. See '{} --help'.",
                    spec.path,
                    args.positionals[spec.positionals.len()],
                    spec.path
                )
            },
        ));
    }
    Ok(args)
}

/// An argument of an `az` line: the real CLI's, or one the playground adds to it (COMMANDS.md
/// keeps `--enable-soft-delete` to rehearse legacy vaults; `az keyvault update --hsm-name`).
enum Known<'a> {
    Real(&'static AzArg),
    Extra(&'a Flag),
}

/// The global arguments every command acts on: the shell shapes output and prints help; the log
/// levels change nothing here, since the playground prints no warnings or traces.
/// `--subscription` is checked against the tenant's one subscription; `--yes` answers a prompt the
/// playground never asks; `--no-wait` prints nothing, as the real CLI (where a command has them).
const ACTED_ON_EVERYWHERE: &[&str] = &[
    "--query",
    "--output",
    "--help",
    "--debug",
    "--verbose",
    "--only-show-errors",
    "--subscription",
    "--yes",
    "--no-wait",
];

/// An `az` line's arguments, read as the real Azure CLI reads them: the names, how many values,
/// choices and required arguments come from its grammar, and its errors use its words
/// (`unrecognized arguments: --foo`, `the following arguments are required: --name/-n`,
/// `argument --kty: invalid choice: …`). An argument of the real CLI the form does not act on
/// is refused with `NotSimulated`, naming it: never ignored, never unknown.
fn parse_az(spec: &Spec, cmd: &'static AzCommand, rest: &[String]) -> Result<Args, Error> {
    let lookup = |name: &str| -> Option<Known<'_>> {
        cmd.arg(name).map(Known::Real).or_else(|| spec.flags.iter().find(|f| f.names.contains(&name)).map(Known::Extra))
    };
    let see = || format!("See '{} --help'.", spec.path);
    let mut args = Args::default();
    let mut unrecognized: Vec<String> = Vec::new();
    let mut given: Vec<&'static AzArg> = Vec::new();
    let mut i = 0;
    while i < rest.len() {
        let word = &rest[i];
        i += 1;
        let (name, inline) = split_inline(word);
        let known = if is_flag(word) { lookup(name) } else { None };
        let Some(known) = known else {
            unrecognized.push(word.clone());
            continue;
        };
        // The values that follow: words up to the next argument name.
        let mut following = |at_most: usize| {
            let mut taken = Vec::new();
            while taken.len() < at_most && i < rest.len() && !is_flag(&rest[i]) {
                taken.push(rest[i].clone());
                i += 1;
            }
            taken
        };
        match known {
            Known::Extra(flag) => {
                let values = match (flag.arity, inline) {
                    (Arity::Switch, _) => alloc::vec!["true".into()],
                    (_, Some(v)) => alloc::vec![v],
                    (Arity::One, None) => following(1),
                    (Arity::Many, None) => following(usize::MAX),
                };
                if values.is_empty() {
                    let display = flag.names.join("/");
                    return Err(err(
                        ErrorCode::MissingArgument,
                        format!("argument {display}: expected one argument. {}", see()),
                    ));
                }
                for n in flag.names {
                    args.flags.entry(n).or_default().extend(values.iter().cloned());
                }
            }
            Known::Real(arg) => {
                let display = arg.display();
                let values = match (arg.nargs, inline) {
                    (Nargs::Zero, Some(v)) => {
                        return Err(err(
                            ErrorCode::InvalidArgumentValue,
                            format!("argument {display}: ignored explicit argument '{v}'. {}", see()),
                        ))
                    }
                    (Nargs::Zero, None) => alloc::vec!["true".into()],
                    (_, Some(v)) => alloc::vec![v],
                    (Nargs::One, None) => following(1),
                    (Nargs::Optional, None) => {
                        let v = following(1);
                        if v.is_empty() {
                            alloc::vec![arg.choices.first().copied().unwrap_or("true").to_string()]
                        } else {
                            v
                        }
                    }
                    (Nargs::Any | Nargs::Some, None) => following(usize::MAX),
                };
                if values.is_empty() && matches!(arg.nargs, Nargs::One | Nargs::Some) {
                    let want = if arg.nargs == Nargs::One {
                        "expected one argument"
                    } else {
                        "expected at least one argument"
                    };
                    return Err(err(ErrorCode::MissingArgument, format!("argument {display}: {want}. {}", see())));
                }
                for v in &values {
                    let fits = |c: &&str| if arg.case_insensitive { c.eq_ignore_ascii_case(v) } else { c == v };
                    if !arg.choices.is_empty() && !arg.choices.iter().any(fits) {
                        let choose = arg.choices.iter().map(|c| format!("'{c}'")).collect::<Vec<_>>().join(", ");
                        return Err(err(
                            ErrorCode::InvalidArgumentValue,
                            format!("argument {display}: invalid choice: '{v}' (choose from {choose})"),
                        ));
                    }
                }
                for n in arg.options {
                    args.flags.entry(n).or_default().extend(values.iter().cloned());
                }
                given.push(arg);
            }
        }
    }
    if !unrecognized.is_empty() {
        let hint = unrecognized
            .iter()
            .find(|w| is_flag(w))
            .and_then(|w| {
                let names =
                    cmd.all_args().chain(grammar::GLOBAL).filter(|a| !a.hidden).flat_map(|a| a.options.iter().copied());
                spec::closest(split_inline(w).0, names.chain(spec.flags.iter().flat_map(|f| f.names.iter().copied())))
            })
            .map(|c| format!(" Did you mean '{c}'?"))
            .unwrap_or_default();
        return Err(err(
            ErrorCode::UnknownArgument,
            format!("unrecognized arguments: {}.{hint} {}", unrecognized.join(" "), see()),
        ));
    }
    if args.flags.contains_key("--help") {
        return Ok(args);
    }
    // Required: the real CLI's own, then those the form needs to build its command (the real
    // CLI checks those in its validators).
    let mut missing: Vec<String> = cmd
        .all_args()
        .filter(|a| a.required && !a.options.iter().any(|n| args.flags.contains_key(n)))
        .map(AzArg::display)
        .collect();
    for f in spec.flags.iter().filter(|f| f.required && !f.names.iter().any(|n| args.flags.contains_key(n))) {
        let display = cmd.arg(f.names[0]).map_or_else(|| f.names.join("/"), AzArg::display);
        if !missing.contains(&display) {
            missing.push(display);
        }
    }
    if !missing.is_empty() {
        return Err(err(
            ErrorCode::MissingArgument,
            format!("the following arguments are required: {}. {}", missing.join(", "), see()),
        ));
    }
    // Every argument given is acted on, or refused by name.
    let acted_on = |a: &AzArg| {
        a.options.iter().any(|n| ACTED_ON_EVERYWHERE.contains(n) || spec.flags.iter().any(|f| f.names.contains(n)))
    };
    if let Some(arg) = given.iter().find(|a| !acted_on(a)) {
        return Err(not_simulated(spec.path, arg));
    }
    Ok(args)
}

/// An argument of the real CLI the playground does not act on: what it would have done, and that
/// the line was not run.
pub(crate) fn not_simulated(path: &str, arg: &AzArg) -> Error {
    let name = arg.options[0];
    let why = super::unsimulated::reason(path, name).map(|r| format!(": {r}")).unwrap_or_default();
    err(
        ErrorCode::NotSimulated,
        format!(
            "{name} is an argument of '{path}' in the real Azure CLI that this playground does not simulate{why}. The line was not run; leave it out to rehearse the rest."
        ),
    )
}

pub(crate) fn missing(flags: &[&str], path: &str) -> Error {
    err(ErrorCode::MissingArgument, format!("'{path}' needs {}. See '{path} --help'.", flags.join(", ")))
}

/// `https://NAME.vault.azure.net/REST` (or `.managedhsm.azure.net`): the vault's name and REST.
fn id_host(id: &str) -> Option<(&str, &str)> {
    let rest = id.strip_prefix("https://")?;
    let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
    let (name, domain) = host.split_once('.')?;
    let known = ["vault.azure.net", "managedhsm.azure.net"].iter().any(|d| domain.eq_ignore_ascii_case(d));
    (known && !name.is_empty()).then_some((name, path))
}

pub(crate) fn bad_value(flag: &str, value: &str, want: &str) -> Error {
    err(ErrorCode::InvalidArgumentValue, format!("'{value}' is not a valid value for {flag}: use {want}."))
}

impl Args {
    pub fn flag(&self, name: &str) -> Option<&str> {
        self.flags.get(name).and_then(|v| v.last()).map(String::as_str)
    }
    /// A flag the spec marks required (checked at parse time).
    pub(crate) fn req(&self, name: &str) -> String {
        self.flag(name).unwrap_or_default().into()
    }
    pub(crate) fn need(&self, name: &str) -> Result<String, Error> {
        self.flag(name)
            .map(Into::into)
            .ok_or_else(|| err(ErrorCode::MissingArgument, format!("This command needs {name}.")))
    }
    pub(crate) fn many(&self, name: &str) -> Vec<String> {
        self.flags.get(name).cloned().unwrap_or_default()
    }
    pub(crate) fn positional(&self, i: usize) -> &str {
        self.positionals.get(i).map(String::as_str).unwrap_or_default()
    }
    pub(crate) fn vault_or_hsm(&self, vault_flag: &str) -> Result<String, Error> {
        self.flag(vault_flag).or_else(|| self.flag("--hsm-name")).map(Into::into).ok_or_else(|| {
            err(
                ErrorCode::MissingArgument,
                format!("This command needs {vault_flag} (or --hsm-name for a Managed HSM)."),
            )
        })
    }
    /// `--id KID`, or `--vault-name`/`--hsm-name` + `--name` [+ `--version`].
    pub(crate) fn key_target(&self) -> Result<(String, String, Option<String>), Error> {
        self.key_in("keys")
    }
    /// A key named as [`Self::key_target`], its `--id` pointing into `collection`: `keys` for a
    /// key's identifier (kid, with or without its version), `deletedkeys` for a deleted key's
    /// recovery id, as the real CLI takes them.
    pub(crate) fn key_in(&self, collection: &str) -> Result<(String, String, Option<String>), Error> {
        if let Some(kid) = self.flag("--id") {
            let bad = || {
                let what = if collection == "keys" { "a key identifier" } else { "a deleted key's recovery id" };
                bad_value("--id", kid, &format!("{what} like https://VAULT.vault.azure.net/{collection}/NAME"))
            };
            let (vault, path) = id_host(kid).ok_or_else(bad)?;
            let mut parts = path.split('/').filter(|p| !p.is_empty());
            let (Some(c), Some(name)) = (parts.next(), parts.next()) else { return Err(bad()) };
            if !c.eq_ignore_ascii_case(collection) {
                return Err(bad());
            }
            return Ok((vault.into(), name.into(), parts.next().map(Into::into)));
        }
        let name = self.flag("--name").ok_or_else(|| {
            err(ErrorCode::MissingArgument, "the following arguments are required: --name/-n (or --id)".into())
        })?;
        Ok((self.vault_or_hsm("--vault-name")?, name.into(), self.flag("--version").map(Into::into)))
    }
    /// The vault of a key list: `--id https://VAULT.vault.azure.net/`, or `--vault-name`/`--hsm-name`.
    pub(crate) fn vault_target(&self) -> Result<String, Error> {
        match self.flag("--id") {
            Some(id) => id_host(id)
                .map(|(vault, _)| vault.into())
                .ok_or_else(|| bad_value("--id", id, "the vault's URI, like https://VAULT.vault.azure.net/")),
            None => self.vault_or_hsm("--vault-name"),
        }
    }

    pub(crate) fn number<T: core::str::FromStr>(&self, name: &str) -> Result<T, Error> {
        let v = self.flag(name).unwrap_or_default();
        v.parse().map_err(|_| bad_value(name, v, "a whole number"))
    }
    pub(crate) fn opt_number<T: core::str::FromStr>(&self, name: &str) -> Result<Option<T>, Error> {
        self.flag(name).map(|_| self.number(name)).transpose()
    }
    /// An ISO date-time; `Some(None)` for an empty value (clear it).
    pub(crate) fn time(&self, name: &str) -> Result<Option<Option<SimTime>>, Error> {
        match self.flag(name) {
            None => Ok(None),
            Some("") => Ok(Some(None)),
            Some(v) => SimTime::parse_iso(v).map(|t| Some(Some(t))),
        }
    }
    /// A flag with two spellings, e.g. `Enabled` / `Disabled`: `Some(true)` for the first.
    pub(crate) fn two_way(&self, name: &str, on: &str, off: &str) -> Result<Option<bool>, Error> {
        match self.flag(name) {
            None => Ok(None),
            Some(v) if v.eq_ignore_ascii_case(on) => Ok(Some(true)),
            Some(v) if v.eq_ignore_ascii_case(off) => Ok(Some(false)),
            Some(v) => Err(bad_value(name, v, &format!("{on} or {off}"))),
        }
    }
    /// `--tags k=v k2=v2` (SPEC KV-14): `None` without the argument; `--tags ""` clears them.
    pub(crate) fn tags(&self) -> Option<crate::view::Tags> {
        let values = self.flags.get("--tags")?;
        Some(
            values
                .iter()
                .filter(|v| !v.is_empty())
                .map(|v| match v.split_once('=') {
                    Some((k, val)) => (k.to_string(), val.to_string()),
                    None => (v.clone(), String::new()),
                })
                .collect(),
        )
    }
    /// `--ops encrypt wrapKey …` (SPEC KV-13): `None` without the argument; the core checks the
    /// names (an empty list is refused there).
    pub(crate) fn ops(&self) -> Option<Vec<String>> {
        self.flags.get("--ops").cloned()
    }
    pub(crate) fn boolean(&self, name: &str) -> Result<Option<bool>, Error> {
        self.two_way(name, "true", "false")
    }
    pub(crate) fn public_access(&self) -> Result<Option<bool>, Error> {
        self.two_way("--public-network-access", "Enabled", "Disabled")
    }
    /// `--default-action Deny` is `Some(true)`.
    pub(crate) fn default_action(&self) -> Result<Option<bool>, Error> {
        self.two_way("--default-action", "Deny", "Allow")
    }
    pub(crate) fn bypass(&self) -> Result<Option<bool>, Error> {
        self.two_way("--bypass", "AzureServices", "None")
    }
}
