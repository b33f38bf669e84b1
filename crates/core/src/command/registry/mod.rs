//! The command registry: every command is described once — its surface forms (the words and
//! flags of its `az`, `pp` or `sim` line, later its PowerShell cmdlet), whether it
//! changes the world, whether the host may make its key, and how it renders back to a line.
//! The parser, `--help`, the renderer (Export script, Undo, share links), and the worker
//! all read these entries; adding a flag or a command is one edit here.

pub mod args;
mod azure;
pub mod cmdlets;
pub mod examples;
pub mod files;
pub mod grammar;
mod keyvault;
pub mod line;
mod ppac;
mod reads;
mod sim;
pub mod spec;
pub mod unsimulated;

use alloc::string::String;
use alloc::vec::Vec;

use crate::command::Command;
use crate::error::{Error, ErrorCode};
use line::Resolve;
use spec::Spec;

pub(crate) fn err(code: ErrorCode, message: String) -> Error {
    Error::new(code, message)
}

/// One `Command` variant, described once.
pub struct Entry {
    /// The variant's name as it is serialized (`Command`'s `command` tag).
    pub command: &'static str,
    /// The lines that build it, in the order help lists them; the first is the one it renders to.
    pub forms: &'static [Spec],
    /// Whether it can change the world when it succeeds (reads never do).
    pub changes_world: bool,
    /// Whether the host may make its RSA key (WebCrypto) instead of the core.
    pub host_key: bool,
    /// The line(s) that run it as the signed-in persona; `None` for what the language cannot say.
    pub render: fn(&dyn Resolve, &Command) -> Option<Vec<String>>,
}

impl core::fmt::Debug for Entry {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Entry").field("command", &self.command).finish_non_exhaustive()
    }
}

impl Entry {
    /// A command that changes the world.
    pub const fn change(
        command: &'static str,
        forms: &'static [Spec],
        render: fn(&dyn Resolve, &Command) -> Option<Vec<String>>,
    ) -> Self {
        Self { command, forms, changes_world: true, host_key: false, render }
    }
    /// A command that only reads.
    pub const fn read(
        command: &'static str,
        forms: &'static [Spec],
        render: fn(&dyn Resolve, &Command) -> Option<Vec<String>>,
    ) -> Self {
        Self { command, forms, changes_world: false, host_key: false, render }
    }
    /// The host may make this command's key.
    pub const fn host_key(mut self) -> Self {
        self.host_key = true;
        self
    }
}

/// `render!(w, Command::X { a, .. } => one(Line::new(…)…))`: a render function for one variant.
macro_rules! render {
    ($w:ident, $p:pat => $e:expr) => {
        |$w: &dyn crate::command::registry::line::Resolve, c: &crate::command::Command| {
            let _ = $w;
            match c {
                $p => $e,
                _ => None,
            }
        }
    };
}
pub(crate) use render;

/// Every command's entry.
pub fn entries() -> impl Iterator<Item = &'static Entry> {
    [azure::COMMANDS, keyvault::COMMANDS, ppac::COMMANDS, sim::COMMANDS].into_iter().flatten()
}

/// Every form the shell understands: the commands' and the shell's own (reads, playground).
pub fn specs() -> impl Iterator<Item = &'static Spec> {
    sim::SHELL.iter().chain(reads::SHELL).chain(entries().flat_map(|e| e.forms)).chain(cmdlets::CMDLETS)
}

/// The entry of `command`'s variant.
pub fn entry(command: &Command) -> &'static Entry {
    let name = command.name();
    // Every variant has an entry (a test walks them all); the first is a fallback that cannot
    // be reached, so that a missing entry is a wrong line, never a panic.
    entries().find(|e| e.command == name).unwrap_or(&azure::COMMANDS[0])
}

/// The form for `argv`: the longest path its first words spell (cmdlets case-insensitively);
/// among forms of one path, the one whose `when` flag the line carries, else the plain one.
pub fn find(argv: &[String]) -> Option<&'static Spec> {
    let matches = |s: &Spec| {
        let words: Vec<&str> = s.path.split(' ').collect();
        words.len() <= argv.len()
            && words.iter().zip(argv).all(|(w, a)| {
                if w.contains('-') && w.starts_with(char::is_uppercase) {
                    w.eq_ignore_ascii_case(a)
                } else {
                    w == a
                }
            })
    };
    let depth = specs().filter(|s| matches(s)).map(|s| s.path.split(' ').count()).max()?;
    let mut same = specs().filter(|s| matches(s) && s.path.split(' ').count() == depth);
    let rest = &argv[depth..];
    let carries = |flag: &str| rest.iter().any(|a| a == flag || a.split_once('=').is_some_and(|(n, _)| n == flag));
    let all: Vec<&'static Spec> = same.by_ref().collect();
    all.iter().find(|s| s.when.is_some_and(carries)).or_else(|| all.iter().find(|s| s.when.is_none())).copied()
}
