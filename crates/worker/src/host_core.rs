//! The worker's logic without I/O (the sans-IO shape of quinn-proto): [`HostCore`] takes what
//! happened — a request from a page, a key WebCrypto made, a save IndexedDB committed or
//! refused, a retry falling due — and returns the [`Effect`]s to perform: answer this page, make
//! a key of this size, write these parts, try the save again at this time. It never waits and
//! never touches a browser API, so it runs natively (its tests drive it through injected faults,
//! and `cargo xtask bench` times a request through it); the wasm worker (`host.rs`) is a thin
//! loop that performs the effects with WebCrypto and IndexedDB and feeds back what came of them.
//!
//! One world, one queue: requests run strictly in arrival order; one that waits for keys holds
//! the queue until they are in, so the page's commands never overtake each other.

mod files;
mod keys;
mod requests;
mod save;
#[cfg(test)]
mod tests;
mod zip;

use std::collections::{BTreeSet, VecDeque};

use cmk_core::session::Session;
use cmk_core::shell::MemoryFiles;
use cmk_core::stored::Changes;
use cmk_core::{Error, ErrorCode, World};

use crate::protocol::{Answer, Request, Response};

pub use keys::KeyFor;

/// What the host reads from its surroundings: a clock (milliseconds, only ever compared with
/// itself) and entropy for new sessions. The worker passes `performance.now()` and the OS RNG;
/// tests and the bench pass their own.
#[derive(Clone, Copy, Debug)]
pub struct Env {
    pub now: fn() -> f64,
    pub entropy: fn() -> [u8; 32],
}

/// What happened, fed to [`HostCore::handle`]. `P` names a connected page.
#[derive(Debug)]
pub enum Input<P> {
    /// The store was opened and read (`Err`: there is no store; the world runs in memory).
    Opened(Result<Saved, String>),
    Connected(P),
    Disconnected(P),
    Request(P, Request),
    /// A key asked for by [`Effect::MakeKey`], as PKCS#8 DER, or why WebCrypto could not make it.
    KeyMade {
        bits: u32,
        purpose: KeyFor,
        material: Result<Vec<u8>, String>,
    },
    /// The [`Effect::Save`] in flight ended.
    Saved(Result<(), String>),
    /// The records asked for by [`Effect::ReadRecords`], by environment id.
    Records(Result<Vec<(String, Vec<u8>)>, String>),
    /// Another write ended: the Cloud Shell's files ([`Effect::WriteFiles`], `Part::Files`) or
    /// a save kept aside ([`Effect::SetAside`], `Part::Aside`).
    Wrote(Part, Result<(), String>),
    /// The time of an [`Effect::RetryAt`] came.
    RetryDue,
}

/// What the host must do. Each effect that ends asynchronously is answered with its [`Input`].
#[derive(Debug)]
pub enum Effect<P> {
    /// Send this page this response (boxed: a response with its view is large).
    Respond(P, Box<Response>),
    /// Make an RSA key of `bits` (answer: [`Input::KeyMade`] with the same `purpose`).
    MakeKey { bits: u32, purpose: KeyFor },
    /// Read every environment's records (answer: [`Input::Records`]).
    ReadRecords,
    /// Write these parts in one transaction (answer: [`Input::Saved`]). One at a time.
    Save(Write),
    /// Store the Cloud Shell's files, a JSON map of name to text (answer: [`Input::Wrote`]).
    WriteFiles(String),
    /// Keep a save that could not be loaded under a new name (answer: [`Input::Wrote`]).
    SetAside(Aside),
    /// Feed [`Input::RetryDue`] once the clock reads `at`.
    RetryAt { at: f64 },
    /// A timing, for `cargo xtask bench` (the worker keeps them on `cmkStats`).
    Stat(Stat),
    /// Something for the console (a page is told separately where it matters).
    Log(String),
}

/// A timing the worker publishes: `loads` — phases of a start; `saves` — the worker's own time
/// to work out and encode a save, and until the store committed it; `requests` — worker time per
/// answered request.
#[derive(Clone, Debug, PartialEq)]
pub enum Stat {
    Load(Vec<(&'static str, f64)>),
    Save { prepared: f64, total: f64, bytes: usize },
    Request { label: String, millis: f64 },
}

/// What a start reads from the store: the saved world (its parts, or else an envelope from
/// before the split; the records follow with [`Effect::ReadRecords`]), the Cloud Shell's files,
/// the session.
#[derive(Debug, Default)]
pub struct Saved {
    pub world: Option<SavedWorld>,
    pub files: Option<String>,
    pub session: Option<String>,
}

/// The saved world as read first.
#[derive(Debug)]
pub enum SavedWorld {
    Parts { meta: String, texts: Vec<(String, String)> },
    Envelope(String),
}

/// A save that could not be loaded, whole, to keep aside.
#[derive(Clone, Debug, PartialEq)]
pub enum Aside {
    Parts {
        meta: String,
        texts: Vec<(String, String)>,
        records: Vec<(String, Vec<u8>)>,
    },
    Envelope(String),
    /// One part beside the world that could not be read (`session` or `files`), as it was stored.
    Part {
        part: &'static str,
        text: String,
    },
}

impl Aside {
    /// What Export of a kept-aside save downloads: an envelope or a part as it was stored; the
    /// parts of a world as JSON, `{"keptAside", "meta", "texts": {id: text}, "records": {id:
    /// hex}}` (written by hand: serde_json's value builder would add kilobytes to the worker).
    pub fn export(&self) -> String {
        let (meta, texts, records) = match self {
            Self::Envelope(text) | Self::Part { text, .. } => return text.clone(),
            Self::Parts { meta, texts, records } => (meta, texts, records),
        };
        let quote = |text: &str| serde_json::to_string(text).unwrap_or_default();
        let object = |entries: Vec<String>| format!("{{{}}}", entries.join(","));
        let texts = texts.iter().map(|(id, text)| format!("{}:{}", quote(id), quote(text))).collect();
        let records = records.iter().map(|(id, bytes)| format!("{}:\"{}\"", quote(id), hex(bytes))).collect();
        format!(
            "{{\"keptAside\":\"the playground's save, which could not be loaded\",\"meta\":{},\"texts\":{},\"records\":{}}}",
            quote(meta),
            object(texts),
            object(records)
        )
    }
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    bytes.iter().flat_map(|b| [DIGITS[usize::from(b >> 4)] as char, DIGITS[usize::from(b & 15)] as char]).collect()
}

/// What the store is asked to write, for telling which writes have not landed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// The world's parts and the session ([`Effect::Save`]).
    World,
    /// The Cloud Shell's files ([`Effect::WriteFiles`]).
    Files,
    /// A save kept aside ([`Effect::SetAside`]).
    Aside,
}

/// One save: the world's changed parts and the session, written together or not at all.
#[derive(Debug, Default)]
pub struct Write {
    pub world: Option<Changes>,
    pub session: Option<String>,
}

impl Write {
    /// Bytes this write hands to the store.
    pub fn bytes(&self) -> usize {
        let world = self.world.as_ref().map_or(0, |c| {
            c.meta.len()
                + c.texts.iter().map(|(_, t)| t.len()).sum::<usize>()
                + c.records.iter().map(|(_, r)| r.len()).sum::<usize>()
        });
        world + self.session.as_ref().map_or(0, String::len)
    }
}

/// How far past a command a what-if looks.
const WHAT_IF_HORIZON: cmk_core::SimDuration = cmk_core::SimDuration::days(35);

#[derive(Debug)]
enum Loaded {
    Pending,
    Session(Box<Session>),
    /// The save cannot be loaded: `aside` is all of it, to keep under another name.
    Problem {
        message: String,
        aside: Aside,
    },
}

/// The worker's state and rules; see the module's documentation.
#[derive(Debug)]
pub struct HostCore<P> {
    env: Env,
    out: Vec<Effect<P>>,
    loaded: Loaded,
    queue: VecDeque<(P, Request)>,
    /// Connected pages (one per tab's bridge), told when a save fails.
    pages: Vec<P>,
    /// The view each page holds (as last sent), so that an answer carries only what changed.
    sent: Vec<(P, cmk_core::View)>,
    /// Files uploaded to the Cloud Shell, by name (kept for the session, saved beside it).
    files: MemoryFiles,
    /// Whether there is a store to save in (false until it opened, and in private mode).
    storage: bool,
    /// Why nothing can be saved in this browser, told to every page that says Hello.
    storage_problem: Option<String>,
    save: save::SaveState,
    keys: keys::KeyState<P>,
    /// Saves kept aside during this run (for Export of what was kept).
    kept: Vec<Aside>,
    /// What the load could not read and kept aside, told to every page that says Hello.
    lost: Vec<String>,
}

impl<P: Copy + PartialEq + core::fmt::Debug> HostCore<P> {
    pub fn new(env: Env) -> Self {
        Self {
            env,
            out: Vec::new(),
            loaded: Loaded::Pending,
            queue: VecDeque::new(),
            pages: Vec::new(),
            sent: Vec::new(),
            files: MemoryFiles::default(),
            storage: false,
            storage_problem: None,
            save: save::SaveState::default(),
            keys: keys::KeyState::default(),
            kept: Vec::new(),
            lost: Vec::new(),
        }
    }

    /// Takes one thing that happened; returns what to do about it, in order.
    pub fn handle(&mut self, input: Input<P>) -> Vec<Effect<P>> {
        match input {
            Input::Opened(opened) => self.opened(opened),
            Input::Connected(page) => self.pages.push(page),
            Input::Disconnected(page) => {
                self.pages.retain(|p| *p != page);
                self.sent.retain(|(p, _)| *p != page);
            }
            Input::Request(page, request) => self.queue.push_back((page, request)),
            Input::KeyMade { bits, purpose, material } => self.key_made(bits, purpose, material),
            Input::Saved(result) => self.saved(result),
            Input::Records(result) => self.records(result),
            Input::Wrote(part, result) => self.wrote(part, result),
            Input::RetryDue => {
                self.save.retry_scheduled = false;
                self.write_pending();
            }
        }
        self.pump();
        self.make_keys_ahead();
        std::mem::take(&mut self.out)
    }

    /// The session, once there is one (for the bench and tests).
    pub fn session(&self) -> Option<&Session> {
        match &self.loaded {
            Loaded::Session(session) => Some(session),
            _ => None,
        }
    }

    fn now(&self) -> f64 {
        (self.env.now)()
    }

    fn emit(&mut self, effect: Effect<P>) {
        self.out.push(effect);
    }

    fn respond(&mut self, page: P, response: Response) {
        self.out.push(Effect::Respond(page, Box::new(response)));
    }

    fn log(&mut self, message: impl Into<String>) {
        self.emit(Effect::Log(message.into()));
    }

    /// Runs queued requests in order until one needs to wait.
    fn pump(&mut self) {
        while !self.keys.holding() {
            if matches!(self.loaded, Loaded::Pending) {
                return;
            }
            // While the records are read, only Hello is answered (the world can be shown);
            // everything else waits for them, in order.
            let next = match self.save.unread {
                Some(_) => self.queue.iter().position(|(_, r)| matches!(r, Request::Hello)),
                None => (!self.queue.is_empty()).then_some(0),
            };
            let Some((page, request)) = next.and_then(|i| self.queue.remove(i)) else {
                return;
            };
            self.request(page, request);
        }
    }

    /// The page's projection of the world (an empty world's while the save is in question).
    fn view(&self) -> cmk_core::View {
        match &self.loaded {
            Loaded::Session(session) => session.view(),
            _ => World::new().view(),
        }
    }

    /// What `page` must change to hold `view`; from now on it holds `view`.
    fn patch_for(&mut self, page: P, view: cmk_core::View) -> cmk_core::view::ViewPatch {
        match self.sent.iter_mut().find(|(p, _)| *p == page) {
            Some((_, held)) => held.patch_to(view),
            None => {
                self.sent.push((page, view.clone()));
                view.into()
            }
        }
    }

    /// The whole view for `page` (a page that says Hello starts from nothing).
    fn whole_view(&mut self, page: P, view: cmk_core::View) -> cmk_core::view::ViewPatch {
        self.sent.retain(|(p, _)| *p != page);
        self.patch_for(page, view)
    }

    /// Answers request `id` with `result` and the view after it; `millis` is the worker time it
    /// took, `note` what the page adds to its notification.
    fn reply(
        &mut self,
        (page, id): (P, u64),
        label: impl Into<String>,
        result: Result<Answer, Error>,
        (millis, note): (f64, Option<String>),
    ) {
        let view = self.view();
        self.reply_from((page, id), label, result, (millis, note), view);
    }

    /// As [`Self::reply`], with the view after the request already projected.
    fn reply_from(
        &mut self,
        (page, id): (P, u64),
        label: impl Into<String>,
        result: Result<Answer, Error>,
        (millis, note): (f64, Option<String>),
        view: cmk_core::View,
    ) {
        let view = self.patch_for(page, view);
        self.respond(page, Response::Done { id, label: label.into(), result, view, millis, note });
    }

    /// Answers a playground request with the view after it, and saves what changed.
    fn answer(&mut self, to: (P, u64), label: &str, result: Result<Answer, Error>) {
        self.reply(to, label, result, (0.0, None));
        self.save_if_changed();
    }

    /// Runs `f` on the session (an error while the save is in question).
    fn with_session(&mut self, f: impl FnOnce(&mut Session) -> Result<Answer, Error>) -> Result<Answer, Error> {
        match &mut self.loaded {
            Loaded::Session(session) => {
                let result = f(session);
                session.note_progress();
                result
            }
            _ => Err(not_loaded()),
        }
    }

    /// Scenarios finished so far (they outlive resets, imports and new scenarios).
    fn completed(&self) -> BTreeSet<String> {
        self.session().map(|s| s.completed().clone()).unwrap_or_default()
    }

    /// A new world with a random seed (the script starts `sim seed N`, so it replays the same).
    fn fresh_session(&self, completed: BTreeSet<String>) -> Session {
        let entropy = (self.env.entropy)();
        let seed = u64::from_le_bytes([
            entropy[0], entropy[1], entropy[2], entropy[3], entropy[4], entropy[5], entropy[6], entropy[7],
        ]);
        let mut session = with_query(Session::fresh(seed % 1_000_000_000));
        session.set_completed(completed);
        session
    }
}

pub(super) fn not_loaded() -> Error {
    Error::new(ErrorCode::CorruptState, "The saved state could not be loaded; choose what to do with it first.")
}

/// The session's Cloud Shell evaluates `--query` with JMESPath.
fn with_query(mut session: Session) -> Session {
    session.set_query(|| Box::new(cmk_query::JmesPath));
    session
}
