//! The Cloud Shell language of COMMANDS.md: one interpreter for the browser's Cloud Shell pane
//! and the native script runner. It parses a line into a `Command` for `World::execute` (or a
//! playground action) and shapes the output like the real CLI. No I/O of its own: files come
//! through [`Files`], randomness through the shell's own seeded generator.

pub mod lexer;
pub mod render;
pub mod spec;

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use serde_json::Value;

use crate::azure::rotation::parse_duration;
use crate::azure::vault::KeyType;
use crate::command::*;
use crate::error::{Error, ErrorCode};
use crate::key_material::SecretText;
use crate::time::SimTime;
use crate::world::World;
use lexer::{Piece, Word};
use spec::{Arity, Spec, GLOBAL, SPECS};

/// Where `--template-file`, `--value @FILE` and `--pem-file` are read from.
pub trait Files {
    fn read(&self, path: &str) -> Result<String, String>;
}

/// No files at all (a host without storage).
#[derive(Debug)]
pub struct NoFiles;

impl Files for NoFiles {
    fn read(&self, path: &str) -> Result<String, String> {
        Err(format!("'{path}': there is no file storage here"))
    }
}

/// Files held in memory, by path (tests, the browser's own store).
#[derive(Debug, Default)]
pub struct MemoryFiles(pub BTreeMap<String, String>);

impl Files for MemoryFiles {
    fn read(&self, path: &str) -> Result<String, String> {
        self.0.get(path).cloned().ok_or_else(|| format!("'{path}': no such file"))
    }
}

/// What a line produced: JSON, or (`-o tsv`, help) plain text.
#[derive(Clone, Debug, PartialEq)]
pub enum Output {
    Json(Value),
    Text(String),
}

impl Output {
    pub fn to_json(&self) -> Value {
        match self {
            Self::Json(v) => v.clone(),
            Self::Text(t) => Value::String(t.clone()),
        }
    }
    /// As `$(…)` captures it: bare text, or compact JSON.
    fn captured(&self) -> String {
        match self {
            Self::Json(v) => v.to_string(),
            Self::Text(t) => t.clone(),
        }
    }
}

/// What evaluates `--query`. Hosts with std plug in JMESPath (`cmk-query`); without one the
/// shell understands dotted paths with `[n]` and `[]`, and refuses anything else.
pub trait QueryEngine: core::fmt::Debug {
    fn search(&self, expression: &str, value: &Value) -> Result<Value, String>;
    /// Whether `expression` is well formed (checked before the command runs).
    fn check(&self, expression: &str) -> Result<(), String>;
}

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

/// The session's own files first (`sim file write`), then the host's.
struct Layered<'a> {
    written: &'a BTreeMap<String, String>,
    host: &'a dyn Files,
}

impl Files for Layered<'_> {
    fn read(&self, path: &str) -> Result<String, String> {
        match self.written.get(path) {
            Some(text) => Ok(text.clone()),
            None => self.host.read(path),
        }
    }
}

/// The largest file `sim file write` keeps (a template is a few KB).
pub const MAX_WRITTEN_FILE: usize = 1_000_000;
/// The longest line the shell reads (room for `sim file write` of the largest file).
pub const MAX_LINE_BYTES: usize = MAX_WRITTEN_FILE + 4_096;

fn err(code: ErrorCode, message: String) -> Error {
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

    /// Runs one logical line.
    pub fn run_line(&mut self, world: &mut World, text: &str, files: &dyn Files) -> Result<Output, Error> {
        if text.len() > MAX_LINE_BYTES {
            return Err(err(
                ErrorCode::ParseError,
                format!("This line is {} bytes; the limit for one line is {MAX_LINE_BYTES}.", text.len()),
            ));
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
        let Some(spec) = find_spec(argv) else {
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
        // Bad --query or -o is refused before anything runs (a refused line changes nothing).
        self.check_shape(args.flag("--query"), args.flag("--output"))?;
        let value = self.run_spec(world, spec, &args, files)?;
        self.shape(value, args.flag("--query"), args.flag("--output")).map_err(|e| {
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
        self.shape(value, query.as_deref(), output.as_deref())
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
        tsv_output(output).map(|_| ())
    }

    /// Applies `--query` (the host's engine, or the dotted-path subset) and `-o`.
    fn shape(&self, value: Value, query: Option<&str>, output: Option<&str>) -> Result<Output, Error> {
        let value = match (query, &self.query) {
            (None, _) => value,
            (Some(q), Some(engine)) => engine.search(q, &value).map_err(|e| bad_query(q, &e))?,
            (Some(q), None) => select(&value, q)?,
        };
        Ok(if tsv_output(output)? { Output::Text(tsv(&value)) } else { Output::Json(value) })
    }

    fn unknown_command(&self, typed: &str) -> Error {
        let words = typed.split(' ').count();
        let trimmed: Vec<String> =
            SPECS.iter().map(|c| c.path.split(' ').take(words).collect::<Vec<_>>().join(" ")).collect();
        let hint = spec::closest(typed, trimmed.iter().map(String::as_str))
            .map(|c| format!(" Did you mean '{c}'?"))
            .unwrap_or_else(|| " Commands start with az, pp, sim or New-AzRoleAssignment; try 'az --help'.".into());
        err(ErrorCode::UnknownCommand, format!("'{typed}' is not a command.{hint}"))
    }

    fn run_spec(&mut self, world: &mut World, spec: &Spec, a: &Args, host_files: &dyn Files) -> Result<Value, Error> {
        let written = self.state.written.clone();
        let files = &Layered { written: &written, host: host_files };
        let cmd = match spec.path {
            "sim seed" => {
                let n: u64 = a.positional(0).parse().map_err(|_| bad_value("N", a.positional(0), "a whole number"))?;
                self.state.rng = ChaCha20Rng::seed_from_u64(n);
                return Ok(serde_json::json!({ "seed": n }));
            }
            "sim file write" => {
                let (name, text) = (a.req("--name"), a.req("--value"));
                if name.is_empty() || name.contains('/') || text.len() > MAX_WRITTEN_FILE {
                    return Err(err(
                        ErrorCode::BadParameter,
                        format!("A file needs a plain name and at most {MAX_WRITTEN_FILE} bytes of text."),
                    ));
                }
                let bytes = text.len();
                self.state.written.insert(name.clone(), text);
                return Ok(serde_json::json!({ "written": name, "bytes": bytes }));
            }
            "sim clock show" => {
                return Ok(serde_json::json!({ "now": world.now().to_iso(), "pending": world.pending_view() }))
            }
            "sim clock advance" => Command::AdvanceClock { by: parse_duration(a.positional(0))? },
            "sim clock run" => Command::RunClock,
            "sim persona list" => {
                let v = world.view();
                let list: Vec<Value> = v
                    .personas
                    .iter()
                    .map(|p| {
                        let mut roles: Vec<String> = p.entra_roles.clone();
                        roles.extend(p.azure_roles.iter().cloned());
                        serde_json::json!({ "upn": p.user_principal_name, "objectId": p.id, "displayName": p.display_name, "description": p.description, "roles": roles, "signedIn": p.id == v.signed_in.id })
                    })
                    .collect();
                return Ok(Value::Array(list));
            }
            "sim data insert" => Command::InsertRows {
                environment: a.req("--environment"),
                table: a.req("--table"),
                rows: a.number("--rows")?,
            },
            "sim data read" => Command::ReadTable { environment: a.req("--environment"), table: a.req("--table") },
            "sim fail" => Command::FailNextStep { environment: a.req("--environment"), service: a.req("--service") },
            "az account show"
            | "az group list"
            | "az keyvault list"
            | "az keyvault list-deleted"
            | "az keyvault key list"
            | "az keyvault key list-deleted"
            | "az role definition list"
            | "az ad user list"
            | "az resource list" => return list(world, spec.path, a),
            "az login" => Command::SignIn { upn: a.req("--username") },
            "az ad user show" => Command::ShowUser { id: a.req("--id") },
            "az provider register" => Command::RegisterProvider { namespace: a.req("--namespace") },
            "az group create" => Command::CreateResourceGroup { name: a.req("--name"), location: a.req("--location") },
            "az keyvault create" => match a.flag("--hsm-name") {
                Some(hsm) => Command::CreateManagedHsm(CreateManagedHsm {
                    name: hsm.into(),
                    resource_group: a.need("--resource-group")?,
                    location: a.need("--location")?,
                    administrators: a.many("--administrators"),
                    retention_days: a.opt_number("--retention-days")?.unwrap_or(90),
                    enable_purge_protection: a.boolean("--enable-purge-protection")?.unwrap_or(false),
                }),
                None => {
                    let mut v = CreateVault::new(a.need("--name")?, a.need("--resource-group")?, a.need("--location")?);
                    v.enable_purge_protection = a.boolean("--enable-purge-protection")?.unwrap_or(false);
                    v.retention_days = a.opt_number("--retention-days")?.unwrap_or(90);
                    v.enable_soft_delete = a.boolean("--enable-soft-delete")?.unwrap_or(true);
                    v.enable_rbac_authorization = a.boolean("--enable-rbac-authorization")?.unwrap_or(true);
                    v.public_network_access = a.public_access()?.unwrap_or(true);
                    v.bypass_azure_services = a.bypass()?.unwrap_or(true);
                    if let Some(sku) = a.flag("--sku") {
                        v.sku = match sku.to_ascii_lowercase().as_str() {
                            "standard" => crate::azure::vault::VaultSku::Standard,
                            "premium" => crate::azure::vault::VaultSku::Premium,
                            _ => return Err(bad_value("--sku", sku, "standard or premium")),
                        };
                    }
                    Command::CreateVault(v)
                }
            },
            "az keyvault update" => Command::UpdateVault(UpdateVault {
                name: a.vault_or_hsm("--name")?,
                enable_rbac_authorization: a.boolean("--enable-rbac-authorization")?,
                enable_soft_delete: a.boolean("--enable-soft-delete")?,
                retention_days: a.opt_number("--retention-days")?,
                enable_purge_protection: a.boolean("--enable-purge-protection")?,
                public_network_access: a.public_access()?,
                bypass_azure_services: a.bypass()?,
            }),
            "az keyvault show" => Command::ShowVault { name: a.vault_or_hsm("--name")? },
            "az keyvault delete" => Command::DeleteVault { name: a.vault_or_hsm("--name")? },
            "az keyvault recover" => Command::RecoverVault { name: a.vault_or_hsm("--name")? },
            "az keyvault purge" => Command::PurgeVault { name: a.vault_or_hsm("--name")? },
            "az keyvault set-policy" => Command::SetAccessPolicy {
                vault: a.req("--name"),
                object_id: a.req("--object-id"),
                permissions: a.many("--key-permissions"),
            },
            "az keyvault delete-policy" => {
                Command::DeleteAccessPolicy { vault: a.req("--name"), object_id: a.req("--object-id") }
            }
            "az keyvault security-domain download" => Command::ActivateManagedHsm { name: a.req("--hsm-name") },
            "az keyvault role assignment create" => Command::CreateHsmRoleAssignment {
                hsm: a.req("--hsm-name"),
                role: a.req("--role"),
                assignee: a.req("--assignee"),
                scope: a.flag("--scope").unwrap_or("/").into(),
            },
            "az keyvault key create" => {
                let vault = a.vault_or_hsm("--vault-name")?;
                let default_kty = if a.flag("--hsm-name").is_some() { "RSA-HSM" } else { "RSA" };
                let mut k = CreateKey::rsa(vault, a.req("--name"), a.opt_number("--size")?.unwrap_or(2048));
                k.kty = KeyType::parse(a.flag("--kty").unwrap_or(default_kty))?;
                k.expires = a.time("--expires")?.flatten();
                k.not_before = a.time("--not-before")?.flatten();
                k.enabled = !a.boolean("--disabled")?.unwrap_or(false);
                if self.capture.is_none() {
                    k.pregenerated = self.next_key.take();
                }
                Command::CreateKey(k)
            }
            "az keyvault key import" => {
                let path = match (a.flag("--pem-file"), a.flag("--byok-file")) {
                    (Some(p), _) | (None, Some(p)) => p,
                    (None, None) => return Err(missing(&["--pem-file"], spec)),
                };
                let material = files
                    .read(path)
                    .map_err(|e| err(ErrorCode::FileNotFound, format!("Cannot read the key file: {e}.")))?;
                let default_kty = if a.flag("--hsm-name").is_some() { "RSA-HSM" } else { "RSA" };
                Command::ImportKey(ImportKey {
                    vault: a.vault_or_hsm("--vault-name")?,
                    name: a.req("--name"),
                    kty: KeyType::parse(a.flag("--kty").unwrap_or(default_kty))?,
                    material: SecretText::from(material.as_str()),
                    enabled: !a.boolean("--disabled")?.unwrap_or(false),
                    not_before: a.time("--not-before")?.flatten(),
                    expires: a.time("--expires")?.flatten(),
                })
            }
            "az keyvault key show" => Command::ShowKey {
                vault: a.vault_or_hsm("--vault-name")?,
                name: a.req("--name"),
                version: a.flag("--version").map(Into::into),
            },
            "az keyvault key list-versions" => {
                Command::ListKeyVersions { vault: a.vault_or_hsm("--vault-name")?, name: a.req("--name") }
            }
            "az keyvault key set-attributes" => {
                let (vault, name, version) = a.key_target()?;
                Command::SetKeyAttributes(SetKeyAttributes {
                    vault,
                    name,
                    version,
                    enabled: a.boolean("--enabled")?,
                    expires: a.time("--expires")?,
                    not_before: a.time("--not-before")?,
                })
            }
            "az keyvault key rotate" => Command::RotateKey {
                vault: a.vault_or_hsm("--vault-name")?,
                name: a.req("--name"),
                pregenerated: if self.capture.is_none() { self.next_key.take() } else { None },
            },
            "az keyvault key rotation-policy update" => {
                let value = a.req("--value");
                let policy = match value.strip_prefix('@') {
                    Some(path) => files
                        .read(path)
                        .map_err(|e| err(ErrorCode::FileNotFound, format!("Cannot read the policy file: {e}.")))?,
                    None => value,
                };
                Command::SetRotationPolicy { vault: a.vault_or_hsm("--vault-name")?, name: a.req("--name"), policy }
            }
            "az keyvault key rotation-policy show" => {
                Command::ShowRotationPolicy { vault: a.vault_or_hsm("--vault-name")?, name: a.req("--name") }
            }
            "az keyvault key delete" => {
                Command::DeleteKey { vault: a.vault_or_hsm("--vault-name")?, name: a.req("--name") }
            }
            "az keyvault key recover" => {
                Command::RecoverKey { vault: a.vault_or_hsm("--vault-name")?, name: a.req("--name") }
            }
            "az keyvault key purge" => {
                Command::PurgeKey { vault: a.vault_or_hsm("--vault-name")?, name: a.req("--name") }
            }
            "az keyvault key encrypt" | "az keyvault key decrypt" => {
                if let Some(t) = a.flag("--data-type").filter(|t| !t.eq_ignore_ascii_case("base64")) {
                    return Err(bad_value("--data-type", t, "base64"));
                }
                Command::KeyOperation(KeyOperation {
                    vault: a.vault_or_hsm("--vault-name")?,
                    name: a.req("--name"),
                    version: a.flag("--version").map(Into::into),
                    operation: if spec.path.ends_with("encrypt") {
                        CryptoOperation::Encrypt
                    } else {
                        CryptoOperation::Decrypt
                    },
                    algorithm: a.req("--algorithm"),
                    value: a.req("--value"),
                })
            }
            "az role assignment create" => Command::CreateRoleAssignment {
                assignee: a.req("--assignee"),
                role: a.req("--role"),
                scope: a.req("--scope"),
            },
            "az role assignment delete" => Command::DeleteRoleAssignment {
                assignee: a.req("--assignee"),
                role: a.req("--role"),
                scope: a.req("--scope"),
            },
            "az role assignment list" => Command::ListRoleAssignments {
                assignee: a.flag("--assignee").map(Into::into),
                scope: a.flag("--scope").map(Into::into),
            },
            "az network private-endpoint create" => {
                let target = a.req("--private-connection-resource-id");
                let vault = target.rsplit('/').next().unwrap_or_default().to_string();
                Command::CreatePrivateEndpoint {
                    name: a.req("--name"),
                    resource_group: a.req("--resource-group"),
                    vault,
                }
            }
            "az deployment group create" => {
                let path = a.req("--template-file");
                let template = files
                    .read(&path)
                    .map_err(|e| err(ErrorCode::FileNotFound, format!("Cannot read the template: {e}.")))?;
                Command::DeployTemplate { resource_group: a.req("--resource-group"), template }
            }
            "az graph query" => Command::GraphQuery { query: a.req("--graph-query") },
            "az resource show" => Command::ShowResource { id: a.req("--ids") },
            "az resource delete" => Command::DeleteResource { id: a.req("--ids") },
            "New-AzRoleAssignment" => Command::CreateRoleAssignment {
                assignee: a.req("-ObjectId"),
                role: a.req("-RoleDefinitionName"),
                scope: a.req("-Scope"),
            },
            "pp env create" => Command::CreateEnvironment {
                name: a.req("--name"),
                region: a.req("--region"),
                env_type: a.req("--type"),
                byok: a.flag("--byok").is_some(),
            },
            "pp env list" => Command::ListEnvironments,
            "pp env show" => Command::ShowEnvironment { environment: a.req("--environment") },
            "pp env enable-managed" => Command::EnableManaged { environment: a.req("--environment") },
            "pp env history" => Command::EnvironmentHistory { environment: a.req("--environment") },
            "pp env re-enable" => Command::ReEnableEnvironment { environment: a.req("--environment") },
            "pp env backup" => Command::BackupEnvironment {
                environment: a.req("--environment"),
                label: a.flag("--label").map(Into::into),
            },
            "pp env restore" => Command::RestoreBackup {
                source: a.req("--source"),
                backup: a.req("--backup"),
                target: a.req("--target"),
            },
            "pp env copy" => Command::CopyEnvironment { source: a.req("--source"), target: a.req("--target") },
            "pp env reset" => Command::ResetEnvironment { environment: a.req("--environment") },
            "pp policy list" => Command::ListPolicies,
            "pp policy show" => Command::ShowPolicy { policy: a.req("--policy") },
            "pp policy add-environment" => {
                Command::AddEnvironmentToPolicy { policy: a.req("--policy"), environment: a.req("--environment") }
            }
            "pp policy remove-environment" => {
                Command::RemoveEnvironmentFromPolicy { policy: a.req("--policy"), environment: a.req("--environment") }
            }
            other => return Err(err(ErrorCode::InternalError, format!("'{other}' has no implementation"))),
        };
        if let Some(slot) = self.capture.as_mut() {
            *slot = Some(cmd);
            return Ok(Value::Null);
        }
        let actor = world.signed_in().to_string();
        let now = world.now();
        let outcome = world.execute(&actor, cmd, now, &mut self.state.rng)?;
        serde_json::to_value(outcome).map_err(|e| err(ErrorCode::InternalError, e.to_string()))
    }
}

fn bad_query(q: &str, e: &str) -> Error {
    err(ErrorCode::BadParameter, format!("--query '{q}' is not a valid JMESPath query: {e}"))
}

/// `-o`: `true` for tsv, `false` for json (the default); anything else is refused.
fn tsv_output(output: Option<&str>) -> Result<bool, Error> {
    match output.map(str::to_ascii_lowercase).as_deref() {
        None | Some("json" | "jsonc") => Ok(false),
        Some("tsv") => Ok(true),
        Some(other) => Err(bad_value("--output", other, "json or tsv")),
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

/// The longest spec whose words start `argv` (PowerShell cmdlets match case-insensitively).
fn find_spec(argv: &[String]) -> Option<&'static Spec> {
    SPECS
        .iter()
        .filter(|s| {
            let words: Vec<&str> = s.path.split(' ').collect();
            words.len() <= argv.len()
                && words
                    .iter()
                    .zip(argv)
                    .all(|(w, a)| if w.starts_with("New-") { w.eq_ignore_ascii_case(a) } else { w == a })
        })
        .max_by_key(|s| s.path.split(' ').count())
}

/// Parsed arguments: canonical flag name → values, and positionals.
#[derive(Debug, Default)]
pub struct Args {
    flags: BTreeMap<&'static str, Vec<String>>,
    positionals: Vec<String>,
}

fn parse_args(spec: &Spec, rest: &[String]) -> Result<Args, Error> {
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
        return Err(missing(&missing_flags, spec));
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

fn missing(flags: &[&str], spec: &Spec) -> Error {
    err(ErrorCode::MissingArgument, format!("'{}' needs {}. See '{} --help'.", spec.path, flags.join(", "), spec.path))
}

fn bad_value(flag: &str, value: &str, want: &str) -> Error {
    err(ErrorCode::InvalidArgumentValue, format!("'{value}' is not a valid value for {flag}: use {want}."))
}

impl Args {
    pub fn flag(&self, name: &str) -> Option<&str> {
        self.flags.get(name).and_then(|v| v.last()).map(String::as_str)
    }
    /// A flag the spec marks required (checked at parse time).
    fn req(&self, name: &str) -> String {
        self.flag(name).unwrap_or_default().into()
    }
    fn need(&self, name: &str) -> Result<String, Error> {
        self.flag(name)
            .map(Into::into)
            .ok_or_else(|| err(ErrorCode::MissingArgument, format!("This command needs {name}.")))
    }
    fn many(&self, name: &str) -> Vec<String> {
        self.flags.get(name).cloned().unwrap_or_default()
    }
    fn positional(&self, i: usize) -> &str {
        self.positionals.get(i).map(String::as_str).unwrap_or_default()
    }
    fn vault_or_hsm(&self, vault_flag: &str) -> Result<String, Error> {
        self.flag(vault_flag).or_else(|| self.flag("--hsm-name")).map(Into::into).ok_or_else(|| {
            err(
                ErrorCode::MissingArgument,
                format!("This command needs {vault_flag} (or --hsm-name for a Managed HSM)."),
            )
        })
    }
    /// `--id KID`, or `--vault-name`/`--hsm-name` + `--name` [+ `--version`].
    fn key_target(&self) -> Result<(String, String, Option<String>), Error> {
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

    fn number<T: core::str::FromStr>(&self, name: &str) -> Result<T, Error> {
        let v = self.flag(name).unwrap_or_default();
        v.parse().map_err(|_| bad_value(name, v, "a whole number"))
    }
    fn opt_number<T: core::str::FromStr>(&self, name: &str) -> Result<Option<T>, Error> {
        self.flag(name).map(|_| self.number(name)).transpose()
    }
    /// An ISO date-time; `Some(None)` for an empty value (clear it).
    fn time(&self, name: &str) -> Result<Option<Option<SimTime>>, Error> {
        match self.flag(name) {
            None => Ok(None),
            Some("") => Ok(Some(None)),
            Some(v) => SimTime::parse_iso(v).map(|t| Some(Some(t))),
        }
    }
    /// A flag with two spellings, e.g. `Enabled` / `Disabled`: `Some(true)` for the first.
    fn two_way(&self, name: &str, on: &str, off: &str) -> Result<Option<bool>, Error> {
        match self.flag(name) {
            None => Ok(None),
            Some(v) if v.eq_ignore_ascii_case(on) => Ok(Some(true)),
            Some(v) if v.eq_ignore_ascii_case(off) => Ok(Some(false)),
            Some(v) => Err(bad_value(name, v, &format!("{on} or {off}"))),
        }
    }
    fn boolean(&self, name: &str) -> Result<Option<bool>, Error> {
        self.two_way(name, "true", "false")
    }
    fn public_access(&self) -> Result<Option<bool>, Error> {
        self.two_way("--public-network-access", "Enabled", "Disabled")
    }
    fn bypass(&self) -> Result<Option<bool>, Error> {
        self.two_way("--bypass", "AzureServices", "None")
    }
}

/// The everyday reads, as the signed-in persona sees the world (the page's own projection).
fn list(world: &World, path: &str, a: &Args) -> Result<Value, Error> {
    let v = world.view();
    let json = |x: &dyn erased::Json| x.to_value();
    let vault_of = |a: &Args| -> Result<&crate::view::VaultListing, Error> {
        let name = a.vault_or_hsm("--vault-name")?;
        v.vaults.iter().find(|l| l.vault.name.eq_ignore_ascii_case(&name)).ok_or_else(|| {
            err(
                ErrorCode::VaultNotFound,
                format!("The vault '{name}' was not found, or the signed-in persona cannot read it."),
            )
        })
    };
    let rg = a.flag("--resource-group");
    let in_rg = |group: &str| rg.is_none_or(|g| g.eq_ignore_ascii_case(group));
    Ok(match path {
        "az account show" => serde_json::json!({
            "id": v.subscription_id,
            "name": v.subscription_name,
            "state": "Enabled",
            "isDefault": true,
            "tenantId": v.tenant_id,
            "tenantDefaultDomain": v.tenant_domain,
            "user": { "name": v.signed_in.user_principal_name, "type": "user" },
        }),
        "az group list" => json(&v.resource_groups),
        "az keyvault list" => {
            Value::Array(v.vaults.iter().filter(|l| in_rg(&l.vault.resource_group)).map(|l| json(&l.vault)).collect())
        }
        "az keyvault list-deleted" => Value::Array(
            v.deleted_vaults
                .iter()
                .map(|d| serde_json::json!({ "name": d.name, "properties": { "location": d.location, "deletionDate": d.deleted, "scheduledPurgeDate": d.scheduled_purge, "purgeProtectionEnabled": d.purge_protection } }))
                .collect(),
        ),
        "az keyvault key list" => {
            let l = vault_of(a)?;
            let keys = l.keys.as_ref().map_err(Clone::clone)?;
            Value::Array(
                keys.iter()
                    .map(|k| {
                        let current = k.versions.first();
                        serde_json::json!({
                            "kid": current.map(|c| c.kid.rsplit_once('/').map(|(base, _)| base.to_string()).unwrap_or_default()),
                            "name": k.name,
                            "kty": k.kty,
                            "attributes": { "enabled": current.is_some_and(|c| c.enabled), "created": current.map(|c| c.created.clone()), "exp": current.and_then(|c| c.exp.clone()), "nbf": current.and_then(|c| c.nbf.clone()) },
                        })
                    })
                    .collect(),
            )
        }
        "az keyvault key list-deleted" => {
            let l = vault_of(a)?;
            l.keys.as_ref().map_err(Clone::clone)?;
            Value::Array(
                l.deleted_keys
                    .iter()
                    .map(|d| serde_json::json!({ "name": d.name, "deletedDate": d.deleted, "scheduledPurgeDate": d.scheduled_purge, "recoveryId": format!("{}deletedkeys/{}", l.vault.properties.vault_uri, d.name) }))
                    .collect(),
            )
        }
        "az role definition list" => {
            let wanted = a.flag("--name");
            Value::Array(
                crate::azure::rbac::BUILTIN_ROLES
                    .iter()
                    .filter(|r| wanted.is_none_or(|w| w.eq_ignore_ascii_case(r.name)))
                    .map(|r| serde_json::json!({
                        "id": format!("/subscriptions/{}/providers/Microsoft.Authorization/roleDefinitions/{}", v.subscription_id, r.id),
                        "name": r.id,
                        "roleName": r.name,
                        "roleType": "BuiltInRole",
                        "type": "Microsoft.Authorization/roleDefinitions",
                        "permissions": [{ "actions": r.actions, "notActions": r.not_actions, "dataActions": r.data_actions }],
                    }))
                    .collect(),
            )
        }
        "az ad user list" => Value::Array(
            v.personas
                .iter()
                .map(|u| serde_json::json!({ "id": u.id, "userPrincipalName": u.user_principal_name, "displayName": u.display_name }))
                .collect(),
        ),
        _ => {
            let wanted = a.flag("--resource-type");
            let mut all: Vec<Value> = v
                .vaults
                .iter()
                .map(|l| serde_json::json!({ "id": l.vault.id, "name": l.vault.name, "type": l.vault.resource_type, "location": l.vault.location, "resourceGroup": l.vault.resource_group }))
                .collect();
            all.extend(v.policies.iter().map(|p| serde_json::json!({ "id": p.id, "name": p.name, "type": p.resource_type, "location": p.location, "resourceGroup": p.resource_group, "kind": p.kind })));
            Value::Array(
                all.into_iter()
                    .filter(|r| wanted.is_none_or(|w| r["type"].as_str().is_some_and(|t| t.eq_ignore_ascii_case(w))))
                    .filter(|r| r["resourceGroup"].as_str().is_some_and(&in_rg))
                    .collect(),
            )
        }
    })
}

/// Serializing through one door (`serde_json::to_value` cannot fail for these types).
mod erased {
    pub trait Json {
        fn to_value(&self) -> serde_json::Value;
    }
    impl<T: serde::Serialize> Json for T {
        fn to_value(&self) -> serde_json::Value {
            serde_json::to_value(self).unwrap_or_default()
        }
    }
}

/// A dotted path with `[n]` indices and `[]` projections: `identity.principalId`,
/// `data[0].id`, `[].upn` (the JMESPath subset runbooks use).
pub fn select(value: &Value, path: &str) -> Result<Value, Error> {
    if !path.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '[' | ']')) {
        return Err(err(
            ErrorCode::BadParameter,
            format!("--query '{path}': this host understands dotted paths with [n] and [] only (no filters, functions or multiselect)."),
        ));
    }
    #[derive(Debug)]
    enum Step {
        Field(String),
        Index(usize),
        Project,
    }
    let mut steps = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let (name, indices) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !name.is_empty() {
            steps.push(Step::Field(name.into()));
        }
        for idx in indices.split('[').filter(|s| !s.is_empty()) {
            let inner =
                idx.strip_suffix(']').ok_or_else(|| bad_value("--query", path, "a path like data[0].id or [].name"))?;
            if inner.is_empty() {
                steps.push(Step::Project);
            } else {
                steps.push(Step::Index(
                    inner.parse().map_err(|_| bad_value("--query", path, "a path like data[0].id or [].name"))?,
                ));
            }
        }
    }
    fn walk(v: &Value, steps: &[Step]) -> Value {
        match steps.split_first() {
            None => v.clone(),
            Some((Step::Field(f), rest)) => walk(v.get(f.as_str()).unwrap_or(&Value::Null), rest),
            Some((Step::Index(n), rest)) => walk(v.get(*n).unwrap_or(&Value::Null), rest),
            Some((Step::Project, rest)) => match v {
                Value::Array(items) => {
                    Value::Array(items.iter().map(|i| walk(i, rest)).filter(|x| !x.is_null()).collect())
                }
                _ => Value::Null,
            },
        }
    }
    Ok(walk(value, &steps))
}

/// Azure CLI's tsv: bare scalars, one line per array element, tabs between object values.
fn tsv(value: &Value) -> String {
    fn scalar(v: &Value) -> String {
        match v {
            Value::Null => String::new(),
            Value::String(s) => s.clone(),
            Value::Object(m) => m.values().map(scalar).collect::<Vec<_>>().join("\t"),
            Value::Array(a) => a.iter().map(scalar).collect::<Vec<_>>().join("\t"),
            other => other.to_string(),
        }
    }
    match value {
        Value::Array(items) => items.iter().map(scalar).collect::<Vec<_>>().join("\n"),
        other => scalar(other),
    }
}

/// The contract's output line, keys in the contract's order:
/// `{"line":N,"command":"…","ok":true,"result":…}` or `{…,"ok":false,"error":{"code","message"}}`.
pub fn line_json(number: usize, command: &str, result: &Result<Output, Error>) -> String {
    let text = |s: &str| Value::String(s.into()).to_string();
    match result {
        Ok(out) => {
            format!("{{\"line\":{number},\"command\":{},\"ok\":true,\"result\":{}}}", text(command), out.to_json())
        }
        Err(e) => format!(
            "{{\"line\":{number},\"command\":{},\"ok\":false,\"error\":{{\"code\":{},\"message\":{}}}}}",
            text(command),
            text(e.code().as_str()),
            text(e.message())
        ),
    }
}

#[cfg(test)]
mod tests;
