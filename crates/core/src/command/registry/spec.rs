//! The grammar of the Cloud Shell language (COMMANDS.md): a form's words, flags and usage text.
//! The forms themselves are in the registry (`shell::registry`).

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::args::Args;
use super::files::Files;
use crate::command::Command;
use crate::error::Error;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arity {
    /// `--byok`: present or not.
    Switch,
    /// `--name VALUE`.
    One,
    /// `--key-permissions get wrapKey unwrapKey`: values until the next flag.
    Many,
}

/// An argument a form acts on. For an `az` form whose command is in the real CLI's grammar, the
/// grammar says what the argument is (its names, how many values, choices, whether the real CLI
/// requires it) and the parser reads only that; the form's list says which arguments it maps onto
/// its command, whether the form needs one the real CLI checks later in its validators, and the
/// help line. `names` and `arity` are read as written only for the playground's own arguments
/// and its own commands (`sim …`, `pac …`); a test holds them to the grammar everywhere else.
#[derive(Debug)]
pub struct Flag {
    /// The first name is canonical; the others are aliases.
    pub names: &'static [&'static str],
    pub arity: Arity,
    pub required: bool,
    pub help: &'static str,
}

/// One surface form of a command: the words a person types, its flags and what it does. The
/// registry (`shell::registry`) holds every form; parsing, `--help` and "did you mean" read them.
pub struct Spec {
    pub path: &'static str,
    pub summary: &'static str,
    pub flags: &'static [Flag],
    /// Positional arguments, in order (all required).
    pub positionals: &'static [&'static str],
    /// Among forms with the same path, the flag whose presence picks this one
    /// (`az keyvault create --hsm-name` makes a Managed HSM).
    pub when: Option<&'static str>,
    pub act: Act,
}

impl core::fmt::Debug for Spec {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Spec").field("path", &self.path).finish_non_exhaustive()
    }
}

/// What a form does with its parsed arguments.
#[derive(Clone, Copy, Debug)]
pub enum Act {
    /// Builds the `Command` the line stands for (run through `World::execute`).
    Build(fn(&Args, &Ctx<'_>) -> Result<Command, Error>),
    /// Answered by the shell itself: a playground action or an everyday read.
    Own(Own),
    /// An Az PowerShell cmdlet: its parameters read, the `az` line its template makes of them
    /// runs (`cmdlets::az_line`).
    Cmdlet(&'static str),
}

/// What the shell answers itself, without a command of the world.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Own {
    /// `sim what-if COMMAND…` (dispatched before any lookup; the form gives it help).
    WhatIf,
    /// `sim file write`.
    FileWrite,
    /// `cat FILE`: a file's text, as Bash prints it.
    FileShow,
    /// `sim seed N`.
    Seed,
    /// `sim clock show`.
    ClockShow,
    /// `sim persona list`.
    PersonaList,
    /// `sim shell restart`: a new Cloud Shell session (the portal's Restart).
    ShellRestart,
    /// An everyday read (`az group list`, …) from the persona's view.
    Read,
    /// `az keyvault key download`: a key's public half into the session's files.
    KeyDownload,
}

/// What a form's builder may read besides its arguments.
#[allow(missing_debug_implementations)] // holds a `dyn Files`, which need not be Debug
pub struct Ctx<'a> {
    /// The form's path (`az keyvault key encrypt` or `… decrypt`).
    pub path: &'static str,
    /// The session's files, then the host's.
    pub files: &'a dyn Files,
}

impl Spec {
    /// A form that builds a command.
    pub const fn build(
        path: &'static str,
        summary: &'static str,
        flags: &'static [Flag],
        build: fn(&Args, &Ctx<'_>) -> Result<Command, Error>,
    ) -> Self {
        Self { path, summary, flags, positionals: &[], when: None, act: Act::Build(build) }
    }
    /// A form the shell answers itself.
    pub const fn own(path: &'static str, summary: &'static str, flags: &'static [Flag], own: Own) -> Self {
        Self { path, summary, flags, positionals: &[], when: None, act: Act::Own(own) }
    }
    /// An Az cmdlet: another surface form of the `az` line its template makes of its parameters.
    pub const fn cmdlet(path: &'static str, summary: &'static str, flags: &'static [Flag], az: &'static str) -> Self {
        Self { path, summary, flags, positionals: &[], when: None, act: Act::Cmdlet(az) }
    }
    pub const fn positionals(mut self, positionals: &'static [&'static str]) -> Self {
        self.positionals = positionals;
        self
    }
    pub const fn when(mut self, flag: &'static str) -> Self {
        self.when = Some(flag);
        self
    }
}

pub const fn req(names: &'static [&'static str], help: &'static str) -> Flag {
    Flag { names, arity: Arity::One, required: true, help }
}
pub const fn opt(names: &'static [&'static str], help: &'static str) -> Flag {
    Flag { names, arity: Arity::One, required: false, help }
}
pub const fn many(names: &'static [&'static str], required: bool, help: &'static str) -> Flag {
    Flag { names, arity: Arity::Many, required, help }
}
pub const fn switch(names: &'static [&'static str], help: &'static str) -> Flag {
    Flag { names, arity: Arity::Switch, required: false, help }
}

/// Global flags every command takes.
pub const GLOBAL: &[Flag] = &[
    opt(&["--query"], "dotted path into the result, e.g. identity.principalId"),
    opt(&["--output", "-o"], "json (default) | jsonc | tsv (bare value) | table | yaml | yamlc | none"),
    switch(&["--help", "-h"], "this help"),
];

impl Spec {
    pub fn usage(&self) -> String {
        match super::grammar::command(self.path) {
            Some(cmd) => self.az_usage(cmd),
            None => self.own_usage(),
        }
    }

    /// An `az` form's help, from the real CLI's grammar: what the playground acts on, with its
    /// names as the real CLI spells them, then every other argument of the real command, which
    /// the playground refuses by name (NotSimulated).
    fn az_usage(&self, cmd: &super::grammar::AzCommand) -> String {
        let mut s = format!(
            "{}: {}\nIn azure-cli {}: {}\n\nUsage: {}",
            self.path,
            self.summary,
            super::grammar::CLI_VERSION,
            cmd.summary,
            self.path
        );
        let required = |f: &Flag| f.required || cmd.arg(f.names[0]).is_some_and(|a| a.required);
        for f in self.flags.iter().filter(|f| required(f)) {
            s.push_str(&format!(" {} {}", f.names[0], placeholder(f)));
        }
        if self.flags.iter().any(|f| !required(f)) {
            s.push_str(" [options]");
        }
        s.push_str("\n\nArguments the playground acts on:\n");
        for f in self.flags {
            let names = cmd.arg(f.names[0]).map_or_else(|| f.names.join(", "), |a| a.options.join(", "));
            let mut notes = String::new();
            if required(f) {
                notes.push_str(" (required)");
            }
            if cmd.arg(f.names[0]).is_none() {
                notes.push_str(" (the playground's own)");
            }
            s.push_str(&format!("  {names:<34} {}{notes}\n", f.help));
        }
        let acted =
            |a: &super::grammar::AzArg| a.options.iter().any(|n| self.flags.iter().any(|f| f.names.contains(n)));
        let others: Vec<String> = cmd
            .all_args()
            .filter(|a| !a.hidden && !acted(a) && !a.group.starts_with("Global"))
            .map(|a| {
                let names = a.options.join(", ");
                match super::unsimulated::reason(self.path, a.options[0]) {
                    Some(r) => format!("{names:<34} {r}"),
                    None => names,
                }
            })
            .collect();
        if !others.is_empty() {
            s.push_str("\nArguments of the real CLI not simulated here (a line with one is refused, NotSimulated):\n");
            for o in others {
                s.push_str(&format!("  {o}\n"));
            }
        }
        s.push_str("\nGlobal arguments:\n");
        for f in GLOBAL {
            s.push_str(&format!("  {:<34} {}\n", f.names.join(", "), f.help));
        }
        s.push_str(&format!(
            "  {:<34} {}\n",
            "--subscription", "the tenant's one subscription, by name or id (another is refused)"
        ));
        s.push_str(&format!(
            "  {:<34} {}\n",
            "--debug, --verbose, --only-show-errors", "taken; the playground prints no warnings or traces"
        ));
        let examples = super::examples::examples(self.path);
        if !examples.is_empty() {
            s.push_str("\nExamples:\n");
            for e in examples {
                s.push_str(&format!("  {e}\n"));
            }
        }
        s
    }

    fn own_usage(&self) -> String {
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
    let mut under: Vec<&Spec> = super::specs()
        .filter(|s| {
            s.path.starts_with(prefix) && s.path.len() > prefix.len() && s.path.as_bytes()[prefix.len()] == b' '
        })
        .collect();
    under.dedup_by_key(|s| s.path);
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
