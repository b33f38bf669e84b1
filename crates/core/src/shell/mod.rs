//! The Cloud Shell language of COMMANDS.md: one interpreter for the browser's Cloud Shell pane
//! and the native script runner. It parses a line into a `Command` for `World::execute` (or a
//! playground action) and shapes the output like the real CLI. No I/O of its own: files come
//! through [`Files`], randomness through the shell's own seeded generator.

mod complete;
mod format;
pub mod lexer;
pub mod output;
mod own;
mod reads;
pub mod render;
mod to_powershell;

pub use crate::command::registry::{self, args, files, spec};

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use serde_json::Value;

use crate::command::*;
use crate::error::{Error, ErrorCode};
use crate::world::World;
use args::{parse_args, Args};
pub use complete::{complete, Completion};
use files::Layered;
pub use files::{Files, MemoryFiles, NoFiles};
use lexer::{Piece, Word};
use output::{bad_query, output_format, printed};
pub use output::{line_json, select, Output, QueryEngine};
use spec::{Act, Ctx, Own, Spec};
pub use to_powershell::to_powershell;

/// A shell session: variables and the random generator (seeded by `sim seed N`).
#[derive(Debug)]
pub struct Shell {
    state: ShellState,
    query: Option<alloc::boxed::Box<dyn QueryEngine>>,
    /// `sim what-if`: build the command instead of running it.
    capture: Option<Option<Command>>,
    /// Key material the host made (WebCrypto) for the next key this session creates.
    next_key: Option<crate::key_material::PrivateKeyDer>,
}

/// What a session remembers between lines: its variables, its random generator and the files
/// written by `sim file write`. Cloned for undo checkpoints.
#[derive(Clone, Debug, PartialEq)]
pub struct ShellState {
    vars: BTreeMap<String, String>,
    rng: ChaCha20Rng,
    written: BTreeMap<String, String>,
}

impl ShellState {
    pub fn from_parts(vars: BTreeMap<String, String>, rng: ChaCha20Rng, written: BTreeMap<String, String>) -> Self {
        Self { vars, rng, written }
    }
    pub fn vars(&self) -> &BTreeMap<String, String> {
        &self.vars
    }
    pub fn rng(&self) -> &ChaCha20Rng {
        &self.rng
    }
}

/// The largest file `sim file write` keeps (a template is a few KB).
pub const MAX_WRITTEN_FILE: usize = 1_000_000;
/// The longest line the shell reads (room for `sim file write` of the largest file).
pub const MAX_LINE_BYTES: usize = MAX_WRITTEN_FILE + 4_096;

pub(crate) fn err(code: ErrorCode, message: String) -> Error {
    Error::new(code, message)
}

impl Shell {
    /// A session whose randomness starts from `entropy` (the host's; `sim seed` replaces it).
    pub fn new(entropy: [u8; 32]) -> Self {
        Self {
            state: ShellState { vars: BTreeMap::new(), rng: ChaCha20Rng::from_seed(entropy), written: BTreeMap::new() },
            query: None,
            capture: None,
            next_key: None,
        }
    }

    /// The next key this session creates uses `der` (made by the host, e.g. with WebCrypto)
    /// instead of generating one; the randomness used is the same either way.
    pub fn supply_key(&mut self, der: crate::key_material::PrivateKeyDer) {
        self.next_key = Some(der);
    }

    /// Drops key material supplied but not used.
    pub fn take_key(&mut self) -> Option<crate::key_material::PrivateKeyDer> {
        self.next_key.take()
    }

    /// A session continuing from a saved state.
    pub fn with_state(state: ShellState) -> Self {
        let mut shell = Self::new([0; 32]);
        shell.state = state;
        shell
    }

    /// A session as `sim seed N` leaves it.
    pub fn seeded(seed: u64) -> Self {
        let mut shell = Self::new([0; 32]);
        shell.state.rng = ChaCha20Rng::seed_from_u64(seed);
        shell
    }

    /// Variables, randomness and written files, to put back later with [`Shell::restore`].
    pub fn state(&self) -> ShellState {
        self.state.clone()
    }

    pub fn restore(&mut self, state: ShellState) {
        self.state = state;
    }

    /// How far the random generator has gone (moves whenever a command used randomness).
    pub fn rng_position(&self) -> u128 {
        self.state.rng.get_word_pos()
    }

    /// The files `sim file write` kept, by name.
    pub fn written(&self) -> &BTreeMap<String, String> {
        &self.state.written
    }

    /// Runs `command` as the signed-in persona with this session's randomness, the way a line
    /// that parses to it would (the page's clicks go through here).
    pub fn execute(&mut self, world: &mut World, command: Command) -> Result<crate::view::Outcome, Error> {
        let actor = world.signed_in().to_string();
        let now = world.now();
        world.execute(&actor, command, now, &mut self.state.rng)
    }

    /// The command a line would run, without running it (`None` for a line that only reads,
    /// assigns or is a playground action). The session's randomness is left as it was.
    pub fn build(&mut self, world: &mut World, text: &str, files: &dyn Files) -> Result<Option<Command>, Error> {
        let saved = self.state.clone();
        self.capture = Some(None);
        let built = self.run_line(world, text, files);
        let command = self.capture.take().flatten();
        self.state = saved;
        built.map(|_| command)
    }

    /// `engine` evaluates `--query` from now on.
    pub fn set_query(&mut self, engine: alloc::boxed::Box<dyn QueryEngine>) {
        self.query = Some(engine);
    }

    /// The same session with `engine` evaluating `--query`.
    pub fn with_query(mut self, engine: alloc::boxed::Box<dyn QueryEngine>) -> Self {
        self.query = Some(engine);
        self
    }

    pub fn var(&self, name: &str) -> Option<&str> {
        self.state.vars.get(name).map(String::as_str)
    }

    /// Runs a whole script: one JSON line per command, as COMMANDS.md specifies. A failed
    /// command does not stop the script.
    pub fn run_script(&mut self, world: &mut World, script: &str, files: &dyn Files) -> Vec<String> {
        lexer::logical_lines(script)
            .into_iter()
            .map(|line| {
                let result = self.run_line(world, &line.text, files);
                line_json(line.number, &line.text, &result)
            })
            .collect()
    }

    /// Runs a command already split into words (PowerShell hands `az …` and the Az cmdlets
    /// over this way): the same registry, checks and shaping as a typed line.
    pub fn run_argv(&mut self, world: &mut World, argv: &[String], files: &dyn Files) -> Result<Output, Error> {
        if argv.is_empty() {
            return Err(err(ErrorCode::ParseError, "There is no command on this line.".into()));
        }
        self.dispatch(world, argv, files)
    }

    /// A file as the session sees it: one it wrote, else the host's.
    pub fn read_file(&self, path: &str, files: &dyn Files) -> Result<String, String> {
        Layered { written: &self.state.written, host: files }.read(path)
    }

    /// A random number from the session's generator (PowerShell's New-Guid, New-TemporaryFile):
    /// after `sim seed N` a script's run is the same every time.
    pub fn random_u64(&mut self) -> u64 {
        use rand_chacha::rand_core::RngCore;
        self.state.rng.next_u64()
    }

    /// Writes a file into the session's store (PowerShell's Out-File, Set-Content).
    pub fn write_file(&mut self, path: &str, text: &str) {
        self.state.written.insert(path.to_string(), text.to_string());
    }

    /// Removes a file the session wrote; `false` if it wrote none by that name.
    pub fn remove_file(&mut self, path: &str) -> bool {
        self.state.written.remove(path).is_some()
    }

    /// Runs one logical line.
    pub fn run_line(&mut self, world: &mut World, text: &str, files: &dyn Files) -> Result<Output, Error> {
        if text.len() > MAX_LINE_BYTES {
            return Err(err(
                ErrorCode::ParseError,
                format!("This line is {} bytes; the limit for one line is {MAX_LINE_BYTES}.", text.len()),
            ));
        }
        if let Some(name) = placeholder(text) {
            return Err(err(ErrorCode::BadParameter, placeholder_advice(&name)));
        }
        let words =
            lexer::words(text).map_err(|e| err(ErrorCode::ParseError, format!("Cannot read the line: {e}.")))?;
        if let Some((name, rest)) = assignment(&words) {
            if words.len() > 1 {
                return Err(err(
                    ErrorCode::ParseError,
                    format!("Nothing may follow the assignment to {name} on the same line."),
                ));
            }
            let value = self.expand(world, &rest, files)?;
            self.state.vars.insert(name, value.clone());
            return Ok(Output::Text(value));
        }
        let mut argv = Vec::new();
        for w in &words {
            let s = self.expand(world, &w.pieces, files)?;
            if !s.is_empty() || w.quoted {
                argv.push(s);
            }
        }
        if argv.is_empty() {
            return Err(err(ErrorCode::ParseError, "There is no command on this line.".into()));
        }
        self.dispatch(world, &argv, files)
    }

    fn expand(&mut self, world: &mut World, pieces: &[Piece], files: &dyn Files) -> Result<String, Error> {
        let mut out = String::new();
        for p in pieces {
            match p {
                Piece::Text(t) => out.push_str(t),
                Piece::Var(name) => out.push_str(self.state.vars.get(name).ok_or_else(|| {
                    err(
                        ErrorCode::UnsetVariable,
                        format!("${name} is not set: assign it first (NAME=value or NAME=$(command)).", name = name),
                    )
                })?),
                Piece::Command(inner) => {
                    let output = self.run_line(world, inner, files)?;
                    out.push_str(output.captured().trim_end_matches('\n'));
                }
            }
        }
        Ok(out)
    }

    fn dispatch(&mut self, world: &mut World, argv: &[String], files: &dyn Files) -> Result<Output, Error> {
        if let ["sim", "what-if", rest @ ..] = argv.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
            if !rest.is_empty() && !matches!(rest[0], "--help" | "-h") && self.capture.is_none() {
                return self.what_if(world, &argv[2..], files);
            }
        }
        let Some(spec) = registry::find(argv) else {
            let typed = argv.iter().take_while(|a| !a.starts_with('-')).cloned().collect::<Vec<_>>().join(" ");
            let asked = argv.iter().any(|a| a == "--help" || a == "-h") || argv.iter().all(|a| !a.starts_with('-'));
            if let Some(help) = spec::group_help(&typed).filter(|_| asked) {
                return Ok(Output::Text(help));
            }
            return Err(self.unknown_command(&typed));
        };
        let depth = spec.path.split(' ').count();
        let args = parse_args(spec, &argv[depth..])?;
        if args.flag("--help").is_some() {
            return Ok(Output::Text(spec.usage()));
        }
        // An Az cmdlet runs the az line it means: the same command, checks and answer.
        if let Act::Cmdlet(template) = spec.act {
            let az = registry::cmdlets::az_line(spec.path, spec.flags, template, &args)?;
            return self.dispatch(world, &az, files);
        }
        // Bad --query or -o is refused before anything runs (a refused line changes nothing).
        self.check_shape(args.flag("--query"), args.flag("--output"))?;
        // The real CLI's global --subscription: the tenant's one subscription, by name or id.
        if let Some(named) = args.flag("--subscription").filter(|_| spec.path.starts_with("az ")) {
            reads::check_subscription(&world.view(), named)?;
        }
        reads::check_place(world, spec.path, &args)?;
        // The real CLI's --maxresults: the first N of a list, before --query shapes it.
        let max = args.opt_number::<usize>("--maxresults")?;
        // `cat FILE` prints the text itself, as Bash does (no JSON, no shaping).
        if matches!(spec.act, Act::Own(Own::FileShow)) {
            let written = &self.state.written;
            let text = Layered { written, host: files }.read(args.positional(0));
            return text.map(Output::Text).map_err(|e| err(ErrorCode::FileNotFound, format!("cat: {e}")));
        }
        // `az keyvault key backup --file F` writes the blob to the session's files, as the real
        // CLI writes it to disk; a file already there is refused before anything runs.
        let backup_to = (spec.path == "az keyvault key backup").then(|| args.req("--file"));
        if let Some(file) = &backup_to {
            self.check_new_file(file)?;
        }
        let value = self.run_spec(world, spec, &args, files)?;
        if let (Some(file), Some(blob)) = (backup_to, value.get("value").and_then(Value::as_str)) {
            self.state.written.insert(file, blob.into());
            return Ok(Output::Text(String::new()));
        }
        let value = match (max, value) {
            (Some(n), Value::Array(mut items)) => {
                items.truncate(n);
                Value::Array(items)
            }
            (_, value) => value,
        };
        // As the real CLI: --no-wait returns before the operation's answer, and a command that
        // answers nothing (az account set) prints nothing.
        let silent = ["az account set", "az keyvault key download"];
        if args.flag("--no-wait").is_some() || (value.is_null() && silent.contains(&spec.path)) {
            return Ok(Output::Text(String::new()));
        }
        self.shape(value, args.flag("--query"), args.flag("--output"), spec.path).map_err(|e| {
            err(e.code(), format!("{} The command itself ran; only its output could not be shaped.", e.message()))
        })
    }

    /// `sim what-if COMMAND…`: the command is built as usual but run on a copy of the world, whose
    /// clock then moves 35 days; the answer lists what would lock, be deleted or turn Unhealthy.
    fn what_if(&mut self, world: &mut World, argv: &[String], files: &dyn Files) -> Result<Output, Error> {
        // --query and -o shape the report, not the command.
        let (mut inner, mut query, mut output) = (Vec::new(), None, None);
        let mut words = argv.iter();
        while let Some(w) = words.next() {
            match w.as_str() {
                "--query" => query = words.next().cloned(),
                "--output" | "-o" => output = words.next().cloned(),
                _ => inner.push(w.clone()),
            }
        }
        let argv = inner.as_slice();
        self.capture = Some(None);
        let rng_before = self.state.rng.clone();
        let built = self.dispatch(world, argv, files);
        let command = self.capture.take().flatten();
        self.state.rng = rng_before;
        built?;
        let command = command.ok_or_else(|| {
            err(
                ErrorCode::BadParameter,
                format!("'sim what-if' needs an action that changes something; '{}' only reads.", argv.join(" ")),
            )
        })?;
        let actor = world.signed_in().to_string();
        // A copy of the generator too: asking changes nothing, not even what comes next.
        let mut rng = self.state.rng.clone();
        let report = world.what_if(&actor, command, crate::time::SimDuration::days(35), &mut rng);
        let value = serde_json::to_value(report).map_err(|e| err(ErrorCode::InternalError, e.to_string()))?;
        self.shape(value, query.as_deref(), output.as_deref(), "sim what-if")
    }

    /// A file a command is about to write: a plain name, not one the session already holds.
    pub(super) fn check_new_file(&self, file: &str) -> Result<(), Error> {
        if file.is_empty() || file.contains('/') {
            return Err(err(
                ErrorCode::BadParameter,
                format!("'{file}': a file of the Cloud Shell needs a plain name."),
            ));
        }
        if self.state.written.contains_key(file) {
            return Err(err(ErrorCode::BadParameter, format!("File or directory named '{file}' already exists.")));
        }
        Ok(())
    }

    /// Refuses a malformed `--query` or an unknown `-o` without evaluating anything.
    fn check_shape(&self, query: Option<&str>, output: Option<&str>) -> Result<(), Error> {
        match (query, &self.query) {
            (Some(q), Some(engine)) => engine.check(q).map_err(|e| bad_query(q, &e))?,
            (Some(q), None) => {
                select(&Value::Null, q)?;
            }
            (None, _) => {}
        }
        output_format(output).map(|_| ())
    }

    /// Applies `--query` (the host's engine, or the dotted-path subset) and `-o`.
    fn shape(&self, value: Value, query: Option<&str>, output: Option<&str>, path: &str) -> Result<Output, Error> {
        let value = match (query, &self.query) {
            (None, _) => value,
            (Some(q), Some(engine)) => engine.search(q, &value).map_err(|e| bad_query(q, &e))?,
            (Some(q), None) => select(&value, q)?,
        };
        printed(value, output_format(output)?, path, query.is_some())
    }

    fn unknown_command(&self, typed: &str) -> Error {
        let words = typed.split(' ').count();
        let trimmed: Vec<String> =
            registry::specs().map(|c| c.path.split(' ').take(words).collect::<Vec<_>>().join(" ")).collect();
        let hint = spec::closest(typed, trimmed.iter().map(String::as_str))
            .map(|c| format!(" Did you mean '{c}'?"))
            .unwrap_or_else(|| " Commands start with az, pp, sim or New-AzRoleAssignment; try 'az --help'.".into());
        err(ErrorCode::UnknownCommand, format!("'{typed}' is not a command.{hint}"))
    }

    /// Runs the form a line matched: a command through the world (or captured, for what-if and
    /// `build`), or the shell's own answer.
    fn run_spec(&mut self, world: &mut World, spec: &Spec, a: &Args, host_files: &dyn Files) -> Result<Value, Error> {
        let build = match spec.act {
            Act::Own(own) => return self.own(world, own, spec.path, a),
            Act::Build(build) => build,
            // Dispatched before it gets here (a cmdlet runs its az line).
            Act::Cmdlet(_) => {
                return Err(err(ErrorCode::InternalError, format!("{} ran without its az line", spec.path)))
            }
        };
        let written = self.state.written.clone();
        let files = Layered { written: &written, host: host_files };
        let mut cmd = build(a, &Ctx { path: spec.path, files: &files })?;
        if let Some(slot) = self.capture.as_mut() {
            *slot = Some(cmd);
            return Ok(Value::Null);
        }
        // Key material the host made goes to the next command that takes it.
        if registry::entry(&cmd).host_key {
            if let Some(der) = self.next_key.take() {
                cmd.supply_key(der);
            }
        }
        let actor = world.signed_in().to_string();
        let now = world.now();
        let outcome = world.execute(&actor, cmd, now, &mut self.state.rng)?;
        serde_json::to_value(outcome).map_err(|e| err(ErrorCode::InternalError, e.to_string()))
    }
}

/// `NAME=…` as the first word: the name and the pieces of the value.
fn assignment(words: &[Word]) -> Option<(String, Vec<Piece>)> {
    let first = words.first()?;
    let Some(Piece::Text(t)) = first.pieces.first() else { return None };
    let (name, rest) = t.split_once('=')?;
    if !lexer::valid_name(name) {
        return None;
    }
    let mut pieces = Vec::new();
    if !rest.is_empty() {
        pieces.push(Piece::Text(rest.into()));
    }
    pieces.extend(first.pieces[1..].iter().cloned());
    Some((name.into(), pieces))
}

#[cfg(test)]
mod tests;

/// The first placeholder the documentation leaves in a line for the reader to fill in
/// (`{ objId}`, `{EP Resource Id}`): braces around words, outside quotes, not `${VAR}`.
fn placeholder(text: &str) -> Option<String> {
    let mut quote = None;
    let mut previous = ' ';
    for (at, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '{') if previous != '$' => {
                let rest = &text[at + 1..];
                if let Some(end) = rest.find('}') {
                    let inner = rest[..end].trim();
                    let words = !inner.is_empty()
                        && inner.starts_with(|c: char| c.is_ascii_alphabetic())
                        && inner.chars().all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '_' || c == '-');
                    if words {
                        return Some(alloc::format!("{{{inner}}}"));
                    }
                }
            }
            _ => {}
        }
        previous = c;
    }
    None
}

/// What to put where the documentation's placeholder is.
fn placeholder_advice(name: &str) -> String {
    let what = match name.to_ascii_lowercase().replace(' ', "").as_str() {
        "{objid}" => "the user's object ID, for example $(az ad user show --id priya@contoso.onmicrosoft.com --query id -o tsv)",
        "{epresourceid}" | "{enterprisepolicyid}" => "the enterprise policy's resource ID, for example $(az graph query -q \"resources | where type =~ 'microsoft.powerplatform/enterprisepolicies'\" --query data[0].id -o tsv)",
        "{keyvaultid}" => "the vault's resource ID, for example $(az keyvault show --name kv-contoso-cmk --query id -o tsv)",
        _ => "its value",
    };
    alloc::format!("This line still holds the documentation's placeholder {name}: replace it with {what}, then run the line again.")
}
