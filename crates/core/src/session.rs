//! A playground session: the world, the Cloud Shell session that drives it, and the script of
//! every step that changed it — clicks recorded as the lines that do the same. The script
//! replays natively (`cmk-cli run`) to the same world; undo is a replay from a checkpoint.
//!
//! Memory: besides the world, a session keeps two checkpoints (copies of the world taken every
//! `UNDO_DEPTH` steps — cheap, as copies share the tables' records until one writes), the
//! script's text, and the key material the page generated for the steps since the older one.
//! Undo replays at most `2 × UNDO_DEPTH` steps and reaches at least `UNDO_DEPTH` back; a step
//! never replays anything (taking a checkpoint is one copy).

use alloc::boxed::Box;
use alloc::collections::BTreeSet;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;

use rand_chacha::rand_core::SeedableRng;
use rand_chacha::ChaCha20Rng;
use serde::{Deserialize, Serialize};

use crate::command::Command;
use crate::error::{Error, ErrorCode};
use crate::key_material::PrivateKeyDer;
use crate::shell::{render, Files, Output, QueryEngine, Shell, ShellState};
use crate::view::{Outcome, SessionView, View};
use crate::world::World;

/// How many steps back Undo always reaches.
pub const UNDO_DEPTH: usize = 20;

/// One undoable step: the line(s) that do it, and the key the page made for it, if any.
#[derive(Clone, Debug)]
struct Step {
    lines: Vec<String>,
    label: String,
    material: Option<PrivateKeyDer>,
    /// Keys the host made ahead that the step's rotations used (size, PKCS#8), for replays.
    ahead: Vec<(u32, PrivateKeyDer)>,
}

#[derive(Clone, Debug)]
struct Checkpoint {
    /// Steps before it.
    at: usize,
    world: World,
    shell: ShellState,
}

/// How the session's world began, i.e. what the script starts with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum Start {
    /// A new world, randomness seeded with `seed`.
    Fresh { seed: u64 },
    /// A prepared world: a guided scenario's setup script.
    Scenario { id: String },
    /// An imported save: the script replays only what followed it.
    Imported,
    /// An empty world built by the recorded lines alone (a shared script).
    Blank,
}

/// A session as kept beside the world in the browser (the world itself is saved apart).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SavedSession {
    pub start: Start,
    pub steps: Vec<Vec<String>>,
    pub labels: Vec<String>,
    pub scenario: Option<String>,
    pub completed: BTreeSet<String>,
    pub shell: SavedShell,
    /// The lines typed in the Cloud Shell, oldest first (↑/↓); older saves have none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub history: Vec<String>,
}

/// The shell's state in a save: variables, written files, and where its generator stands.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SavedShell {
    pub vars: alloc::collections::BTreeMap<String, String>,
    pub written: alloc::collections::BTreeMap<String, String>,
    pub seed: Vec<u8>,
    pub stream: u64,
    pub word_pos: String,
}

#[derive(Debug)]
pub struct Session {
    world: World,
    shell: Shell,
    start: Start,
    steps: Vec<Step>,
    /// One or two, oldest first; the first is as far back as undo reaches.
    checkpoints: Vec<Checkpoint>,
    /// The guided scenario in progress, and those finished.
    scenario: Option<String>,
    completed: BTreeSet<String>,
    /// The lines typed in the Cloud Shell, oldest first, at most [`HISTORY_LINES`]: ↑/↓ in the
    /// pane, kept with the session (Undo does not take them back, as a terminal's history).
    history: Vec<String>,
    /// Moves whenever what `saved` returns changes (a host saves the session when it moved).
    generation: u64,
    /// Makes the `--query` engine for the shells that replay (undo), as the live one has.
    query: Option<fn() -> Box<dyn QueryEngine>>,
}

/// How many typed lines the Cloud Shell's history keeps.
pub const HISTORY_LINES: usize = 100;

/// The longest script a share link or a run may carry, in lines and in bytes.
pub const MAX_SCRIPT_LINES: usize = 5_000;
pub const MAX_SCRIPT_BYTES: usize = 2_000_000;

impl Session {
    /// A new world whose randomness starts from `seed` (the script begins `sim seed {seed}`).
    pub fn fresh(seed: u64) -> Self {
        Self::starting(World::new(), Shell::seeded(seed), Start::Fresh { seed })
    }

    /// A session that continues an existing world (an imported or older save): what came before
    /// is not part of the script.
    pub fn imported(world: World, entropy: [u8; 32]) -> Self {
        Self::starting(world, Shell::new(entropy), Start::Imported)
    }

    /// A guided scenario's prepared world, built by its setup script.
    pub fn scenario(id: &str, completed: BTreeSet<String>) -> Result<Self, Error> {
        let scenario = crate::scenarios::find(id)?;
        let (world, shell) = scenario.prepare();
        let mut session = Self::starting(world, shell, Start::Scenario { id: id.into() });
        session.scenario = Some(id.into());
        session.completed = completed;
        Ok(session)
    }

    fn starting(world: World, shell: Shell, start: Start) -> Self {
        let checkpoints = vec![Checkpoint { at: 0, world: world.clone(), shell: shell.state() }];
        Self {
            world,
            shell,
            start,
            steps: Vec::new(),
            checkpoints,
            scenario: None,
            completed: BTreeSet::new(),
            history: Vec::new(),
            generation: 0,
            query: None,
        }
    }

    /// The host's `--query` engine (JMESPath in the page and the CLI), for live lines and replays.
    pub fn set_query(&mut self, make: fn() -> Box<dyn QueryEngine>) {
        self.shell.set_query(make());
        self.query = Some(make);
    }

    fn replay_shell(&self, state: ShellState) -> Shell {
        let mut shell = Shell::with_state(state);
        if let Some(make) = self.query {
            shell.set_query(make());
        }
        shell
    }

    /// Carries the finished scenarios over from an earlier session.
    pub fn set_completed(&mut self, completed: BTreeSet<String>) {
        if self.completed != completed {
            self.completed = completed;
            self.generation += 1;
        }
    }

    /// An empty world built by running `script` (a shared link): every line that changes
    /// something is recorded. Answers the session and how many lines failed.
    pub fn from_script(script: &str, entropy: [u8; 32], completed: BTreeSet<String>) -> Result<(Self, usize), Error> {
        let lines = check_script(script)?;
        let mut session = Self::starting(World::new(), Shell::new(entropy), Start::Blank);
        session.completed = completed;
        let failed = lines.iter().filter(|line| session.run_line(&line.text, &crate::shell::NoFiles).is_err()).count();
        Ok((session, failed))
    }

    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Picks up a saved session beside its saved world. Undo reaches back to this point only.
    pub fn resume(world: World, saved: SavedSession) -> Result<Self, Error> {
        let shell = resumed_shell(&saved)?;
        Ok(Self::resumed(world, shell, saved))
    }

    /// The saved session beside `world` if it is sound, else `world` as an imported one (an older
    /// save has no session). The world is checked for nothing here and never copied.
    pub fn resume_or_import(world: World, saved: Option<SavedSession>, entropy: [u8; 32]) -> Self {
        match saved.and_then(|saved| resumed_shell(&saved).ok().map(|shell| (shell, saved))) {
            Some((shell, saved)) => Self::resumed(world, shell, saved),
            None => Self::imported(world, entropy),
        }
    }

    fn resumed(world: World, shell: Shell, saved: SavedSession) -> Self {
        let mut session = Self::starting(world, shell, saved.start);
        session.steps = saved
            .steps
            .into_iter()
            .zip(saved.labels)
            .map(|(lines, label)| Step { lines, label, material: None, ahead: Vec::new() })
            .collect();
        let at = session.steps.len();
        session.checkpoints.iter_mut().for_each(|c| c.at = at);
        session.scenario = saved.scenario;
        session.completed = saved.completed;
        session.history = saved.history;
        session.history.truncate(HISTORY_LINES);
        session
    }

    /// A line typed in the Cloud Shell joins its history (↑/↓), as in a terminal: whether it ran
    /// or failed, but not blank and not twice in a row; the oldest go beyond [`HISTORY_LINES`].
    pub fn remember(&mut self, line: &str) {
        let line = line.trim();
        if line.is_empty() || self.history.last().is_some_and(|l| l == line) {
            return;
        }
        if self.history.len() >= HISTORY_LINES {
            self.history.remove(0);
        }
        self.history.push(line.to_string());
        self.generation += 1;
    }

    pub fn saved(&self) -> SavedSession {
        let state = self.shell.state();
        let rng = state.rng();
        SavedSession {
            start: self.start.clone(),
            steps: self.steps.iter().map(|s| s.lines.clone()).collect(),
            labels: self.steps.iter().map(|s| s.label.clone()).collect(),
            scenario: self.scenario.clone(),
            completed: self.completed.clone(),
            history: self.history.clone(),
            shell: SavedShell {
                vars: state.vars().clone(),
                written: self.shell.written().clone(),
                seed: rng.get_seed().to_vec(),
                stream: rng.get_stream(),
                word_pos: rng.get_word_pos().to_string(),
            },
        }
    }

    pub fn world(&self) -> &World {
        &self.world
    }

    /// Sizes of RSA keys the host should make ahead for the rotation policies (WebCrypto in the
    /// browser), and where to hand them over.
    pub fn keys_wanted(&self) -> Vec<u32> {
        self.world.azure.keys_wanted()
    }

    pub fn supply_key_ahead(&mut self, bits: u32, der: PrivateKeyDer) {
        self.world.azure.supply_key_ahead(bits, der);
    }

    /// Gives a world loaded without its records (`stored::decode_without_records`) the records
    /// read after it, in the world and in undo's checkpoint alike. On an error nothing changes.
    pub fn attach_records(&mut self, records: &alloc::collections::BTreeMap<String, Vec<u8>>) -> Result<(), Error> {
        crate::stored::attach_records(&mut self.world, records)?;
        // The checkpoints hold the same environments: share the records just read.
        let loaded = &self.world.pp.environments;
        let envs = self.checkpoints.iter_mut().flat_map(|c| c.world.pp.environments.iter_mut());
        for (id, env) in envs {
            let Some(full) = loaded.get(id) else { continue };
            for (svc, service) in env.services.iter_mut() {
                for (name, table) in service.tables.iter_mut() {
                    if let Some(t) = table.unread.and(full.services.get(svc).and_then(|s| s.tables.get(name))) {
                        *table = t.clone();
                    }
                }
            }
        }
        Ok(())
    }

    pub fn shell_mut(&mut self) -> &mut Shell {
        &mut self.shell
    }

    /// Whether the session's script replays it (an imported world has no script to start from).
    pub fn replayable(&self) -> bool {
        self.start != Start::Imported
    }

    /// The page's view, with the session's part (steps, undo, scenario progress) filled in.
    pub fn view(&self) -> View {
        let mut view = self.world.view();
        view.session = alloc::rc::Rc::new(SessionView {
            steps: self.steps.len(),
            undo: self.steps.len() - self.oldest(),
            next_undo: self.steps.last().filter(|_| self.steps.len() > self.oldest()).map(|s| s.label.clone()),
            replayable: self.replayable(),
            scenario: self.scenario.as_deref().and_then(|id| crate::scenarios::progress(id, &self.world)),
            completed: self.completed.iter().cloned().collect(),
            catalog: crate::scenarios::catalog(),
            history: self.history.clone(),
        });
        view
    }

    /// Runs a line of the Cloud Shell language; it joins the script when it changed the world or
    /// the shell (variables, randomness, files).
    pub fn run_line(&mut self, line: &str, files: &dyn Files) -> Result<Output, Error> {
        let before = self.mark();
        let result = self.shell.run_line(&mut self.world, line, files);
        if self.moved_since(&before) {
            self.record(Step {
                lines: vec![line.trim().to_string()],
                label: line.trim().to_string(),
                material: None,
                ahead: Vec::new(),
            });
        }
        result
    }

    /// Like [`Session::run_line`], the key the line creates being `der` (made by the host).
    pub fn run_line_with_key(&mut self, line: &str, files: &dyn Files, der: PrivateKeyDer) -> Result<Output, Error> {
        let before = self.mark();
        self.shell.supply_key(der.clone());
        let result = self.shell.run_line(&mut self.world, line, files);
        // Not used (the line failed before making its key): not kept for the next one.
        self.shell.take_key();
        if self.moved_since(&before) {
            let line = line.trim().to_string();
            self.record(Step { lines: vec![line.clone()], label: line, material: Some(der), ahead: Vec::new() });
        }
        result
    }

    /// The size of the RSA key `line` would create, if it creates one (for a host that makes keys
    /// itself); nothing runs.
    pub fn key_to_make(&mut self, line: &str, files: &dyn Files) -> Option<u32> {
        match self.shell.build(&mut self.world, line, files) {
            Ok(Some(command)) => self.key_bits_for(&command),
            _ => None,
        }
    }

    /// The RSA keys (their sizes) the rotations a clock command makes will use, beyond the keys
    /// already made ahead: a host that makes keys itself (the page's WebCrypto) makes these
    /// before running it. Empty for anything that does not move the clock.
    pub fn keys_for_clock(&self, command: &Command) -> Vec<u32> {
        let until = match command {
            Command::AdvanceClock { by } => self.world.now().plus(*by),
            Command::RunClock => self.world.now().plus(crate::world::RUN_CLOCK_LIMIT),
            _ => return Vec::new(),
        };
        let azure = &self.world.azure;
        azure.keys_short_of(azure.rotations_between(self.world.now(), until))
    }

    /// [`Session::keys_for_clock`] for a Cloud Shell line; nothing runs.
    pub fn keys_for_line(&mut self, line: &str, files: &dyn Files) -> Vec<u32> {
        match self.shell.build(&mut self.world, line, files) {
            Ok(Some(command)) => self.keys_for_clock(&command),
            _ => Vec::new(),
        }
    }

    /// The size of the RSA key the host should make for `command` before running it, if any
    /// (a rotation makes a key the size of the key's current version).
    pub fn key_bits_for(&self, command: &Command) -> Option<u32> {
        match command.host_key()? {
            crate::command::HostKey::New { bits } => Some(bits),
            crate::command::HostKey::Rotation { vault, name } => self.key_size(&vault, &name),
        }
    }

    /// The size of a key's current version (what its rotation makes), if the key exists.
    pub fn key_size(&self, vault: &str, name: &str) -> Option<u32> {
        self.world.azure.vault(vault).ok()?.key(name).map(|k| k.bits())
    }

    /// Runs what the page clicked; it joins the script as the line(s) that do the same.
    pub fn execute(&mut self, command: Command) -> Result<Outcome, Error> {
        let before = self.mark();
        let label = command.label();
        let lines = render::lines_for(&self.world, &command)
            .unwrap_or_else(|| vec![format!("# {label}: not expressible in the Cloud Shell language")]);
        let material = command.key_material().cloned();
        // A rendered step may first write the file it uses (a deployment's template).
        for line in &lines[..lines.len() - 1] {
            self.shell.run_line(&mut self.world, line, &crate::shell::NoFiles)?;
        }
        let result = self.shell.execute(&mut self.world, command);
        if self.moved_since(&before) {
            self.record(Step { lines, label, material, ahead: Vec::new() });
        }
        result
    }

    /// Where the world and the shell stand, to tell afterwards whether a line changed them.
    fn mark(&self) -> (u64, ShellState) {
        (self.world.revision(), self.shell.state())
    }

    /// Whether the world or the shell (variables, randomness, written files) moved since `mark`.
    fn moved_since(&self, (revision, shell): &(u64, ShellState)) -> bool {
        self.world.revision() != *revision || self.shell.state() != *shell
    }

    fn record(&mut self, mut step: Step) {
        self.generation += 1;
        step.ahead = self.world.azure.take_used_keys();
        self.steps.push(step);
        self.settle();
    }

    /// The step undo reaches back to.
    fn oldest(&self) -> usize {
        self.checkpoints.first().map_or(self.steps.len(), |c| c.at)
    }

    /// Takes a checkpoint every `UNDO_DEPTH` steps (a copy of the world, no replay) and keeps the
    /// last two, so undo reaches at least `UNDO_DEPTH` back and replays at most twice that; the
    /// key material of steps before the older one is let go.
    fn settle(&mut self) {
        let last = self.checkpoints.last().map_or(0, |c| c.at);
        if self.steps.len() - last < UNDO_DEPTH {
            return;
        }
        self.checkpoints.push(Checkpoint {
            at: self.steps.len(),
            world: self.world.clone(),
            shell: self.shell.state(),
        });
        if self.checkpoints.len() > 2 {
            self.checkpoints.remove(0);
        }
        let oldest = self.oldest();
        for step in &mut self.steps[..oldest] {
            step.material = None;
            step.ahead = Vec::new();
        }
    }

    /// Takes back the last step: the world is rebuilt from the latest checkpoint before it by
    /// replaying the steps after that checkpoint.
    pub fn undo(&mut self, files: &dyn Files) -> Result<String, Error> {
        if self.steps.len() <= self.oldest() {
            return Err(Error::new(
                ErrorCode::BadParameter,
                "There is nothing to undo: no step since the session started (or since the page was reloaded).",
            ));
        }
        let undone = self.steps.pop().map(|s| s.label).unwrap_or_default();
        self.generation += 1;
        // A checkpoint taken after the step undone is gone with it.
        let len = self.steps.len();
        self.checkpoints.retain(|c| c.at <= len);
        let Some(from) = self.checkpoints.last() else {
            return Err(Error::new(ErrorCode::InternalError, "undo lost its checkpoint"));
        };
        let mut world = from.world.clone();
        let mut shell = self.replay_shell(from.shell.clone());
        for step in &self.steps[from.at..] {
            replay_step_with(&mut shell, &mut world, step, files);
        }
        let revision = self.world.revision();
        // The keys made ahead and not used yet stay ready for the world rebuilt.
        let mut ready = core::mem::take(&mut self.world.azure.keys_ahead);
        ready.forget_used();
        self.world = world;
        self.world.azure.keys_ahead = ready;
        self.world.set_revision(revision + 1);
        self.shell.restore(shell.state());
        Ok(undone)
    }

    /// The session as a `.cmk` script that `cmk-cli run` replays to this world.
    pub fn script(&self) -> String {
        let mut out = String::from("# CMK Playground session: replay with `cmk-cli run FILE`.\n");
        match &self.start {
            Start::Fresh { seed } => out.push_str(&format!("sim seed {seed}\n")),
            Start::Scenario { id } => {
                if let Ok(s) = crate::scenarios::find(id) {
                    out.push_str(&format!("# Prepared world of the scenario '{}'\n", s.title));
                    out.push_str(s.prelude().trim_end());
                    out.push('\n');
                    out.push_str("# What was done in it\n");
                }
            }
            Start::Imported => out
                .push_str("# This session started from an imported save: the lines below replay only what followed.\n"),
            Start::Blank => {}
        }
        for step in &self.steps {
            for line in &step.lines {
                out.push_str(line);
                out.push('\n');
            }
        }
        out
    }

    /// The session as PowerShell (`cmk-cli run FILE.ps1`, or the Cloud Shell's PowerShell): the
    /// same commands, so the same world.
    pub fn powershell_script(&self) -> String {
        let script = self.script();
        let body = script.split_once('\n').map_or("", |(_, rest)| rest);
        let mut out = String::from(
            "# CMK Playground session as PowerShell: replay with `cmk-cli run FILE.ps1`, or run it in the Cloud Shell's PowerShell.\n",
        );
        out.push_str(&crate::shell::to_powershell(body));
        out
    }

    /// Marks the scenario in progress finished when every item of its checklist is done.
    pub fn note_progress(&mut self) {
        if let Some(p) = self.scenario.as_deref().and_then(|id| crate::scenarios::progress(id, &self.world)) {
            if p.complete && self.completed.insert(p.id) {
                self.generation += 1;
            }
        }
    }

    pub fn completed(&self) -> &BTreeSet<String> {
        &self.completed
    }

    /// A copy of the session's generator, for a what-if (asking changes nothing, not even what
    /// the randomness does next).
    pub fn rng_for_what_if(&self) -> ChaCha20Rng {
        self.shell.state().rng().clone()
    }
}

/// Replays one recorded step: its lines, with the page's key material where it made one.
fn replay_step_with(shell: &mut Shell, world: &mut World, step: &Step, files: &dyn Files) {
    let Some((last, before)) = step.lines.split_last() else { return };
    // The keys made ahead that the step used, and only those, in the same order.
    world.azure.clear_keys_ahead();
    for (bits, der) in &step.ahead {
        world.azure.supply_key_ahead(*bits, der.clone());
    }
    for line in before {
        let _ = shell.run_line(world, line, files);
    }
    if let Some(material) = &step.material {
        shell.supply_key(material.clone());
    }
    let _ = shell.run_line(world, last, files);
}

/// The script's logical lines, refused when it is too long.
fn check_script(script: &str) -> Result<Vec<crate::shell::lexer::Line>, Error> {
    if script.len() > MAX_SCRIPT_BYTES {
        return Err(Error::new(
            ErrorCode::BadParameter,
            format!("The script is {} bytes; the limit is {MAX_SCRIPT_BYTES}.", script.len()),
        ));
    }
    let lines = crate::shell::lexer::logical_lines(script);
    if lines.len() > MAX_SCRIPT_LINES {
        return Err(Error::new(
            ErrorCode::BadParameter,
            format!("The script has {} lines; the limit is {MAX_SCRIPT_LINES}.", lines.len()),
        ));
    }
    Ok(lines)
}

/// A script as the text of a share link's hash: deflated, then base64url.
pub fn share_code(script: &str) -> String {
    use base64::Engine;
    let packed = miniz_oxide::deflate::compress_to_vec(script.as_bytes(), 9);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(packed)
}

/// The script a share link carries; a damaged or oversized code is refused with the reason.
pub fn script_from_share(code: &str) -> Result<String, Error> {
    use base64::Engine;
    let bad = |why: &str| Error::new(ErrorCode::BadParameter, format!("This share link cannot be read: {why}."));
    let packed = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(code.trim().trim_end_matches('='))
        .map_err(|_| bad("it is not base64url text (was it cut short?)"))?;
    let bytes = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_SCRIPT_BYTES)
        .map_err(|_| bad("the compressed script is damaged or larger than 2 MB"))?;
    let script = String::from_utf8(bytes).map_err(|_| bad("the script is not UTF-8 text"))?;
    check_script(&script)?;
    Ok(script)
}

/// The Cloud Shell session a save describes; a damaged one is refused.
fn resumed_shell(saved: &SavedSession) -> Result<Shell, Error> {
    let bad = |what: &str| Error::new(ErrorCode::CorruptState, format!("The saved session's {what} is damaged."));
    let seed: [u8; 32] = saved.shell.seed.as_slice().try_into().map_err(|_| bad("generator"))?;
    let mut rng = ChaCha20Rng::from_seed(seed);
    rng.set_stream(saved.shell.stream);
    rng.set_word_pos(saved.shell.word_pos.parse().map_err(|_| bad("generator"))?);
    if saved.labels.len() != saved.steps.len() {
        return Err(bad("script"));
    }
    Ok(Shell::with_state(ShellState::from_parts(saved.shell.vars.clone(), rng, saved.shell.written.clone())))
}
