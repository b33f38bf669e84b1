//! A line's arguments, read against its form's flags, and the typed values builders take.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::err;
use super::spec::{self, Arity, Spec, GLOBAL};
use crate::error::{Error, ErrorCode};
use crate::time::SimTime;

/// Parsed arguments: canonical flag name → values, and positionals.
#[derive(Debug, Default)]
pub struct Args {
    flags: BTreeMap<&'static str, Vec<String>>,
    positionals: Vec<String>,
}

pub(crate) fn parse_args(spec: &Spec, rest: &[String]) -> Result<Args, Error> {
    let all = || spec.flags.iter().chain(GLOBAL.iter());
    let mut args = Args::default();
    let mut i = 0;
    while i < rest.len() {
        let word = &rest[i];
        let is_flag = word.starts_with('-') && word.len() > 1 && !word[1..].starts_with(|c: char| c.is_ascii_digit());
        if !is_flag {
            args.positionals.push(word.clone());
            i += 1;
            continue;
        }
        let (name, inline) = match word.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n, Some(v.to_string())),
            _ => (word.as_str(), None),
        };
        let flag = all().find(|f| f.names.iter().any(|n| n.eq_ignore_ascii_case(name))).ok_or_else(|| {
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
            (Arity::Switch, _) => entry.push("true".into()),
            (_, Some(v)) => entry.push(v),
            (Arity::One, None) => {
                let v = rest.get(i).ok_or_else(|| {
                    err(ErrorCode::MissingArgument, format!("'{name}' needs a value. See '{} --help'.", spec.path))
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

pub(crate) fn missing(flags: &[&str], path: &str) -> Error {
    err(ErrorCode::MissingArgument, format!("'{path}' needs {}. See '{path} --help'.", flags.join(", ")))
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
        if let Some(kid) = self.flag("--id") {
            let bad =
                || bad_value("--id", kid, "a key identifier like https://VAULT.vault.azure.net/keys/NAME/VERSION");
            let rest = kid.strip_prefix("https://").ok_or_else(bad)?;
            let (host, path) = rest.split_once('/').ok_or_else(bad)?;
            let vault = host.split('.').next().ok_or_else(bad)?;
            let mut parts = path.split('/').filter(|p| !p.is_empty());
            let (Some("keys"), Some(name)) = (parts.next(), parts.next()) else { return Err(bad()) };
            return Ok((vault.into(), name.into(), parts.next().map(Into::into)));
        }
        let name = self.need("--name")?;
        Ok((self.vault_or_hsm("--vault-name")?, name, self.flag("--version").map(Into::into)))
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
    pub(crate) fn boolean(&self, name: &str) -> Result<Option<bool>, Error> {
        self.two_way(name, "true", "false")
    }
    pub(crate) fn public_access(&self) -> Result<Option<bool>, Error> {
        self.two_way("--public-network-access", "Enabled", "Disabled")
    }
    pub(crate) fn bypass(&self) -> Result<Option<bool>, Error> {
        self.two_way("--bypass", "AzureServices", "None")
    }
}
