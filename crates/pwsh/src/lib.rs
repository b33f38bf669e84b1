//! The PowerShell of admins' runbooks, over a host.
//!
//! `run` parses a whole script (a script that does not parse runs no line, as in PowerShell),
//! then evaluates it: variables and scopes, strings with expansion, arrays, hashtables,
//! `[pscustomobject]`, operators, `if`/`switch`/loops/`try`, functions with `param()` blocks
//! that prompt for missing mandatory parameters, splatting, pipelines and the everyday cmdlets.
//! What the engine does not know it asks the host to run (`az`, the Az cmdlets); what neither
//! knows is an error naming it and its line. Output is printed as PowerShell prints it.

mod ast;
mod az;
mod cmdlets;
mod eval;
mod format;
mod ops;
mod parse;
mod powerapps;
pub mod replay;
mod value;

pub use eval::{Engine, Outcome};
pub use format::{from_json, to_json};
pub use parse::ParseError;
pub use value::{Map, Value, PS_CUSTOM};

/// What the script reaches outside itself: the console, the files, the clock, and the commands
/// the engine does not know.
pub trait Host {
    /// Prints text; `newline` ends the line.
    fn print(&mut self, text: &str, newline: bool);
    /// Reads one line typed in answer to a prompt (already printed); `None` when there is no
    /// more input.
    fn read_line(&mut self) -> Option<String>;
    /// Runs a command the engine does not know (`az …`, an Az cmdlet): `None` when the host
    /// does not know it either, else the objects it outputs or its error.
    fn invoke(&mut self, name: &str, args: &[Value]) -> Option<Result<Vec<Value>, String>>;
    fn read_file(&mut self, path: &str) -> Result<String, String>;
    fn write_file(&mut self, path: &str, text: &str) -> Result<(), String>;
    fn remove_file(&mut self, path: &str) -> Result<(), String>;
    fn file_exists(&mut self, path: &str) -> bool;
    /// Lets simulated time pass.
    fn sleep(&mut self, ms: u64);
    /// The simulated clock: milliseconds since 1970-01-01 UTC.
    fn now_ms(&mut self) -> i64;
    /// A random 64-bit number (New-Guid, Get-Random).
    fn random(&mut self) -> u64;
    /// Whether the host is waiting for an answer from outside (see `replay`): the script stops
    /// at its next step, and whatever it did since the host began waiting had no effect.
    fn suspended(&self) -> bool {
        false
    }
}

/// Parses and runs `script`; `path` is its file name (for `$PSScriptRoot` and messages).
pub fn run(script: &str, path: &str, host: &mut dyn Host) -> Outcome {
    Engine::new(host).run_script(script, path)
}

/// Runs a console session: each entry as typed at the prompt, in turn, in one global scope.
pub fn run_session(entries: &[String], host: &mut dyn Host) -> Outcome {
    Engine::new(host).run_session(entries)
}

/// What `Get-Help` prints without a name: the language and the cmdlets this PowerShell runs.
pub fn help_overview() -> &'static str {
    cmdlets::OVERVIEW
}

/// Whether a parse error only says the text ended too soon (a block, a string or a here-string
/// still open): a console then asks for the next line.
pub fn is_unfinished(e: &ParseError) -> bool {
    e.message.starts_with("Missing closing")
        || e.message.contains("is missing its terminator")
        || e.message.starts_with("Missing '}'")
        || e.message.contains("found the end of the script")
}

/// Whether `script` parses; the first error with its line if not.
pub fn check(script: &str) -> Result<(), ParseError> {
    parse::parse(script).map(|_| ())
}

#[cfg(test)]
mod tests;
