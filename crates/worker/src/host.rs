//! The worker itself: one world, one queue. Requests run strictly in arrival order; a request that
//! needs async work (key generation) holds the queue until it is done, so the page's commands can
//! never overtake each other.

use std::collections::VecDeque;
use std::rc::Rc;

use std::collections::BTreeSet;

use cmk_core::session::{self, SavedSession, Session};
use cmk_core::shell::{MemoryFiles, Output};
use cmk_core::stored::{self, Stored};
use cmk_core::{envelope, Command, Error, ErrorCode, PrivateKeyDer, World};
use gloo_worker::{HandlerId, Worker, WorkerScope};
use idb::Database;
use rand_core::{OsRng, RngCore};

use crate::protocol::{Answer, Request, Response};
use crate::store::{Saved, SavedWorld, Write};
use crate::{store, webcrypto};

/// The largest file the Cloud Shell's store takes (the same as `sim file write`), and the most
/// it holds in all.
const MAX_FILE_BYTES: usize = cmk_core::shell::MAX_WRITTEN_FILE;
const MAX_STORE_BYTES: usize = 10_000_000;

/// What opening the store found: the database and what was saved in it.
pub type Opened = (Rc<Database>, Saved);

#[derive(Debug)]
pub enum Message {
    Opened(Result<Opened, String>),
    KeyMaterial {
        handler: HandlerId,
        id: u64,
        command: Command,
        started: f64,
        material: Result<Vec<u8>, String>,
    },
    /// A Cloud Shell line that creates a key, with the key WebCrypto made for it.
    ShellKey {
        handler: HandlerId,
        id: u64,
        line: String,
        started: f64,
        material: Result<Vec<u8>, String>,
    },
    /// A save of the world and session ended; `prepared` is the worker's own time spent on it
    /// (working out and encoding the parts), `started` when that began.
    Saved {
        result: Result<(), String>,
        prepared: f64,
        started: f64,
        bytes: usize,
    },
    /// The environments' records, read after the world was shown (`started`: when asked).
    Records {
        result: Result<Vec<(String, Vec<u8>)>, String>,
        started: f64,
    },
    /// Another write ended (the Cloud Shell's files, a damaged save set aside).
    Wrote(Result<(), String>),
    /// A key WebCrypto made ahead for the rotation policies.
    KeyAhead {
        bits: u32,
        material: Result<Vec<u8>, String>,
    },
    /// Time to try a failed save again.
    RetrySave,
    /// One of the keys WebCrypto made for the rotations a clock move is about to make.
    ClockKey {
        bits: u32,
        material: Result<Vec<u8>, String>,
    },
}

/// A clock move held until WebCrypto has made the keys its rotations will use (all at once, so
/// the browser makes them in parallel), and what came of them so far.
#[derive(Debug)]
struct ClockKeys {
    handler: HandlerId,
    id: u64,
    waiting: Waiting,
    started: f64,
    remaining: usize,
    made: usize,
    failed: Option<String>,
}

/// The request a [`ClockKeys`] holds.
#[derive(Debug)]
enum Waiting {
    Execute(Command),
    Shell(String),
    WhatIf(Command),
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
        aside: wasm_bindgen::JsValue,
    },
}

/// A save on its way to IndexedDB: what the store holds once it lands.
#[derive(Debug)]
struct InFlight {
    stored: Option<Stored>,
    revision: Option<u64>,
    generation: Option<u64>,
}

/// The gloo worker that owns the world.
pub struct Host {
    db: Option<Rc<Database>>,
    loaded: Loaded,
    queue: VecDeque<(HandlerId, Request)>,
    busy: bool,
    /// Connected pages (one per tab's bridge), told when a save fails.
    pages: Vec<HandlerId>,
    /// Files uploaded to the Cloud Shell, by name (kept for the session, not saved).
    files: MemoryFiles,
    /// The world's revision when it was last saved (or loaded): save only when it moved.
    saved_revision: Option<u64>,
    /// The session's generation when it was last saved.
    saved_generation: Option<u64>,
    /// What the store holds (the environments as last written), so a save writes only changes.
    stored: Stored,
    /// The save being written; one at a time, so each is worked out against a confirmed store.
    in_flight: Option<InFlight>,
    /// Something changed while a save was being written: save again when it ends.
    save_again: bool,
    /// The world is shown but its records are still being read: the meta and texts as read (to
    /// keep aside if the records turn out damaged). Nothing runs and nothing is saved until then.
    unread: Option<(String, Vec<(String, String)>)>,
    /// Keys being made ahead by WebCrypto, by size.
    keys_coming: std::collections::BTreeMap<u32, usize>,
    /// A clock move waiting for the keys of its rotations (the queue is held meanwhile).
    clock_keys: Option<ClockKeys>,
    /// After a failed save: when to try again (ms, doubling up to a minute), and whether a try
    /// is already scheduled.
    retry_after: u32,
    retry_scheduled: bool,
    /// Why nothing can be saved in this browser (no IndexedDB), told to every page that says Hello.
    storage_problem: Option<String>,
    /// The last save failed: the next change saves everything again, and its success is told.
    save_failing: bool,
}

impl core::fmt::Debug for Host {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Host").field("queued", &self.queue.len()).field("busy", &self.busy).finish()
    }
}

fn now_ms() -> f64 {
    js_sys::Reflect::get(&js_sys::global(), &"performance".into())
        .ok()
        .and_then(|p| js_sys::Reflect::get(&p, &"now".into()).ok().map(|f| (p, f)))
        .and_then(|(p, f)| f.dyn_ref::<js_sys::Function>().and_then(|f| f.call0(&p).ok()))
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0)
}

use wasm_bindgen::{JsCast, JsValue};

impl Worker for Host {
    type Message = Message;
    type Input = Request;
    type Output = Response;

    fn create(scope: &WorkerScope<Self>) -> Self {
        scope.send_future(async {
            let opened = async {
                let started = now_ms();
                let db = store::open().await?;
                let saved = store::load(&db).await?;
                record("loads", &[("read", (now_ms() - started).into())]);
                Ok((Rc::new(db), saved))
            };
            Message::Opened(opened.await)
        });
        Self {
            db: None,
            loaded: Loaded::Pending,
            queue: VecDeque::new(),
            busy: false,
            pages: Vec::new(),
            files: MemoryFiles::default(),
            saved_revision: None,
            saved_generation: None,
            storage_problem: None,
            save_failing: false,
            stored: Stored::unknown(),
            in_flight: None,
            save_again: false,
            unread: None,
            keys_coming: std::collections::BTreeMap::new(),
            clock_keys: None,
            retry_after: FIRST_RETRY_MS,
            retry_scheduled: false,
        }
    }

    fn update(&mut self, scope: &WorkerScope<Self>, msg: Message) {
        match msg {
            Message::Opened(Ok((db, saved))) => {
                let started = now_ms();
                self.db = Some(db);
                // The Cloud Shell's files, kept beside the world; an unreadable list is dropped.
                if let Some(map) = saved.files.and_then(|f| serde_json::from_str(&f).ok()) {
                    self.files = MemoryFiles(map);
                }
                // The world read, or why not with all of the save to keep aside.
                let read = match saved.world {
                    None => None,
                    Some(SavedWorld::Parts { meta, texts }) => {
                        // The meta and texts are small: show the world now, and read the records
                        // (the bulk) after; requests wait for them (SPEC PG-3, issue 12 item 4).
                        let by_id: std::collections::BTreeMap<&str, &String> =
                            texts.iter().map(|(id, text)| (id.as_str(), text)).collect();
                        match stored::decode_without_records(&meta, |id| by_id.get(id).map(|t| (*t).clone())) {
                            Ok(world) => {
                                if let Some(db) = self.db.clone() {
                                    let started = now_ms();
                                    scope.send_future(async move {
                                        Message::Records { result: store::load_records(&db).await, started }
                                    });
                                }
                                self.unread = Some((meta, texts));
                                Some(Ok(world))
                            }
                            Err(e) => Some(Err((e, aside_parts(&meta, &texts, &[])))),
                        }
                    }
                    // A save from before the split: the first save writes it in parts.
                    Some(SavedWorld::Envelope(text)) => Some(envelope::decode(&text).map_err(|e| (e, text.into()))),
                };
                self.loaded = match read {
                    None => Loaded::Session(Box::new(fresh_session(BTreeSet::new()))),
                    Some(Ok(world)) => {
                        self.saved_revision = Some(world.revision());
                        // The session beside it; without one (an older save) the world goes on
                        // as an imported one.
                        let session_saved = saved.session.and_then(|t| serde_json::from_str::<SavedSession>(&t).ok());
                        let session = Session::resume_or_import(world, session_saved, entropy());
                        self.saved_generation = Some(session.generation());
                        Loaded::Session(Box::new(with_query(session)))
                    }
                    Some(Err((e, aside))) => Loaded::Problem { message: e.message().into(), aside },
                };
                record("loads", &[("decode", (now_ms() - started).into())]);
            }
            Message::Opened(Err(message)) => {
                // No IndexedDB (private mode, blocked storage): run in memory and say so on every save.
                self.loaded = Loaded::Session(Box::new(fresh_session(BTreeSet::new())));
                web_sys_log(&format!("CMK Playground: state will not persist: {message}"));
                self.storage_problem = Some(format!("this browser's storage cannot be opened ({message})"));
            }
            Message::KeyMaterial { handler, id, mut command, started, material } => {
                let note = key_note(&material, started);
                match (&mut command, material) {
                    (Command::CreateKey(create), Ok(der)) => create.pregenerated = Some(PrivateKeyDer(der.into())),
                    (Command::RotateKey { pregenerated, .. }, Ok(der)) => {
                        *pregenerated = Some(PrivateKeyDer(der.into()))
                    }
                    _ => {}
                }
                // On WebCrypto failure the command goes without material: the core generates the key.
                self.finish(scope, handler, id, command, started, Some(note));
                self.busy = false;
            }
            Message::ShellKey { handler, id, line, started, material } => {
                let note = key_note(&material, started);
                self.finish_shell(scope, (handler, id), &line, started, material.ok(), Some(note));
                self.busy = false;
            }
            Message::Saved { result, prepared, started, bytes } => {
                let landed = self.in_flight.take();
                match result {
                    Ok(()) => {
                        if let Some(landed) = landed {
                            if let Some(stored) = landed.stored {
                                self.stored = stored;
                            }
                            self.saved_revision = landed.revision.or(self.saved_revision);
                            self.saved_generation = landed.generation.or(self.saved_generation);
                        }
                        record_save(prepared, now_ms() - started, bytes);
                        self.recovered(scope);
                    }
                    // IndexedDB writes are transactions: a failed one left the previous save
                    // whole, and what the store holds is still what it was. It is tried again
                    // on its own (2 s, 4 s, … up to a minute apart) and at the next change,
                    // writing everything since the last save that landed.
                    Err(message) => {
                        self.failed(scope, message);
                        if !self.retry_scheduled {
                            self.retry_scheduled = true;
                            let ms = self.retry_after;
                            self.retry_after = (ms * 2).min(60_000);
                            scope.send_future(async move {
                                sleep_ms(ms).await;
                                Message::RetrySave
                            });
                        }
                    }
                }
                if std::mem::take(&mut self.save_again) {
                    self.save_if_changed(scope);
                }
            }
            Message::Records { result, started } => {
                let read = now_ms() - started;
                let Some((meta, texts)) = self.unread.take() else { return };
                let (records, attached) = match result {
                    Ok(records) => {
                        let records: std::collections::BTreeMap<_, _> = records.into_iter().collect();
                        let attached = match &mut self.loaded {
                            Loaded::Session(session) => session.attach_records(&records),
                            _ => Ok(()),
                        };
                        (records, attached)
                    }
                    Err(e) => (Default::default(), Err(Error::new(ErrorCode::CorruptState, e))),
                };
                match (&self.loaded, attached) {
                    (Loaded::Session(session), Ok(())) => self.stored = Stored::holding(session.world()),
                    (_, Ok(())) => {}
                    (_, Err(e)) => {
                        // Damaged records: the world shown goes; the save is kept aside whole.
                        let records: Vec<_> = records.into_iter().collect();
                        let aside = aside_parts(&meta, &texts, &records);
                        self.loaded = Loaded::Problem { message: e.message().into(), aside };
                        for handler in &self.pages {
                            scope.respond(*handler, Response::LoadProblem { message: e.message().into() });
                        }
                    }
                }
                record("loads", &[("records", read.into()), ("attached", (now_ms() - started).into())]);
            }
            Message::KeyAhead { bits, material } => {
                if let Some(n) = self.keys_coming.get_mut(&bits) {
                    *n = n.saturating_sub(1);
                }
                match (&mut self.loaded, material) {
                    (Loaded::Session(session), Ok(der)) => session.supply_key_ahead(bits, PrivateKeyDer(der.into())),
                    // Without it a rotation makes its key in the core (slower, same result).
                    (_, Err(e)) => web_sys_log(&format!("WebCrypto could not make a key ahead: {e}")),
                    _ => {}
                }
            }
            Message::ClockKey { bits, material } => {
                let Some(batch) = self.clock_keys.as_mut() else { return };
                batch.remaining -= 1;
                match (&mut self.loaded, material) {
                    (Loaded::Session(session), Ok(der)) => {
                        session.supply_key_ahead(bits, PrivateKeyDer(der.into()));
                        batch.made += 1;
                    }
                    (_, Err(e)) => batch.failed = Some(e),
                    _ => {}
                }
                if batch.remaining == 0 {
                    if let Some(ClockKeys { handler, id, waiting, started, made, failed, .. }) = self.clock_keys.take()
                    {
                        let mut note = format!(
                            "The rotations on the way took {made} RSA key(s) generated by the browser's WebCrypto in {:.0} ms.",
                            now_ms() - started
                        );
                        if let Some(why) = failed {
                            note.push_str(&format!(
                                " WebCrypto could not make every key ({why}): the simulator made the others itself."
                            ));
                        }
                        match waiting {
                            Waiting::Execute(command) => self.finish(scope, handler, id, command, started, Some(note)),
                            Waiting::Shell(line) => {
                                self.finish_shell(scope, (handler, id), &line, started, None, Some(note))
                            }
                            Waiting::WhatIf(command) => {
                                self.what_if(scope, (handler, id), command, started, Some(note))
                            }
                        }
                    }
                    self.busy = false;
                }
            }
            Message::RetrySave => {
                self.retry_scheduled = false;
                self.save_if_changed(scope);
            }
            Message::Wrote(Ok(())) => self.recovered(scope),
            Message::Wrote(Err(message)) => self.failed(scope, message),
        }
        self.pump(scope);
        self.make_keys_ahead(scope);
    }

    fn connected(&mut self, _scope: &WorkerScope<Self>, id: HandlerId) {
        self.pages.push(id);
    }

    fn disconnected(&mut self, _scope: &WorkerScope<Self>, id: HandlerId) {
        self.pages.retain(|h| *h != id);
    }

    fn received(&mut self, scope: &WorkerScope<Self>, msg: Request, id: HandlerId) {
        self.queue.push_back((id, msg));
        self.pump(scope);
        self.make_keys_ahead(scope);
    }
}

impl Host {
    /// Runs queued requests in order until one needs to wait.
    fn pump(&mut self, scope: &WorkerScope<Self>) {
        while !self.busy {
            if matches!(self.loaded, Loaded::Pending) {
                return;
            }
            // While the records are read, only Hello is answered (the world can be shown);
            // everything else waits for them, in order.
            let next = match self.unread {
                Some(_) => self.queue.iter().position(|(_, r)| matches!(r, Request::Hello)),
                None => (!self.queue.is_empty()).then_some(0),
            };
            let Some((handler, request)) = next.and_then(|i| self.queue.remove(i)) else {
                return;
            };
            match request {
                Request::Hello => {
                    let started = now_ms();
                    let response = match &self.loaded {
                        Loaded::Session(session) => {
                            Response::Ready { view: session.view(), restored: *session.world() != World::new() }
                        }
                        Loaded::Problem { message, .. } => Response::LoadProblem { message: message.clone() },
                        Loaded::Pending => continue,
                    };
                    scope.respond(handler, response);
                    record("loads", &[("ready", (now_ms() - started).into())]);
                    if let Some(message) = &self.storage_problem {
                        scope.respond(handler, Response::SaveFailed { message: message.clone() });
                    }
                }
                Request::StartFresh => {
                    if let Loaded::Problem { aside, .. } = &self.loaded {
                        if let Some(db) = self.db.clone() {
                            let key = format!("rejected-{}", js_sys::Date::now() as u64);
                            let aside = aside.clone();
                            scope.send_future(async move { Message::Wrote(store::save(&db, &key, &aside).await) });
                        }
                        let session = Box::new(fresh_session(BTreeSet::new()));
                        scope.respond(handler, Response::Ready { view: session.view(), restored: false });
                        self.loaded = Loaded::Session(session);
                        // What the store holds is unknown: the save clears every old part.
                        self.stored = Stored::unknown();
                        self.replaced(scope);
                    }
                }
                Request::Shell { id, line } => self.run_shell(scope, handler, id, &line),
                Request::Export { id } => {
                    let result = match &self.loaded {
                        Loaded::Session(session) => envelope::encode(session.world()).map(Answer::Text),
                        _ => Err(Error::new(ErrorCode::CorruptState, "There is no world to export.")),
                    };
                    self.reply(scope, (handler, id), "Export", result, (0.0, None));
                }
                Request::Import { id, text } => {
                    let completed = self.completed();
                    let result = envelope::decode(&text).map(|world| {
                        let summary = Answer::Imported { now: world.now().to_iso() };
                        let mut session = with_query(Session::imported(world, entropy()));
                        session.set_completed(completed);
                        self.loaded = Loaded::Session(Box::new(session));
                        summary
                    });
                    if result.is_ok() {
                        self.replaced(scope);
                    }
                    self.reply(scope, (handler, id), "Import", result, (0.0, None));
                }
                Request::WhatIf { id, command } => {
                    let started = now_ms();
                    // The copy runs WHAT_IF_HORIZON ahead: its rotations take keys made first.
                    let by = match &command {
                        Command::AdvanceClock { by } => {
                            cmk_core::SimDuration::seconds(WHAT_IF_HORIZON.as_seconds().saturating_add(by.as_seconds()))
                        }
                        _ => WHAT_IF_HORIZON,
                    };
                    let sizes = self.clock_keys_for(&Command::AdvanceClock { by });
                    if sizes.is_empty() {
                        self.what_if(scope, (handler, id), command, started, None);
                    } else {
                        let batch = ClockKeys::new(handler, id, Waiting::WhatIf(command), started);
                        self.make_clock_keys(scope, batch, sizes);
                    }
                }
                Request::ResetPlayground { id } => {
                    self.loaded = Loaded::Session(Box::new(fresh_session(self.completed())));
                    self.replaced(scope);
                    self.reply(scope, (handler, id), "Reset playground", Ok(Answer::Reset), (0.0, None));
                }
                Request::Undo { id } => {
                    let result = match &mut self.loaded {
                        Loaded::Session(s) => s.undo(&self.files).map(|undone| Answer::Undone { undone }),
                        _ => Err(Error::new(ErrorCode::CorruptState, "There is no world to undo in.")),
                    };
                    // Undo moves the world's revision past the one saved, so the save follows.
                    self.answer(scope, handler, id, "Undo", result);
                }
                Request::ExportScript { id } => {
                    let result = self.with_session(|s| Ok(Answer::Text(s.script())));
                    self.answer(scope, handler, id, "Export script", result);
                }
                Request::ShareLink { id } => {
                    let result = self.with_session(|s| {
                        Ok(Answer::ShareCode {
                            code: session::share_code(&s.script()),
                            replayable: s.view().session.replayable,
                        })
                    });
                    self.answer(scope, handler, id, "Share link", result);
                }
                Request::ReadShare { id, code } => {
                    let result = session::script_from_share(&code).map(|script| {
                        let lines = cmk_core::shell::lexer::logical_lines(&script).len();
                        Answer::Shared { script, lines }
                    });
                    self.answer(scope, handler, id, "Open share link", result);
                }
                Request::RunScript { id, script } => {
                    let completed = self.completed();
                    let result = Session::from_script(&script, entropy(), completed).map(|(session, failed)| {
                        let lines = cmk_core::shell::lexer::logical_lines(&script).len();
                        self.loaded = Loaded::Session(Box::new(with_query(session)));
                        Answer::ScriptRan { lines, failed }
                    });
                    if result.is_ok() {
                        self.replaced(scope);
                    }
                    self.answer(scope, handler, id, "Open shared scenario", result);
                }
                Request::StartScenario { id, scenario } => {
                    let completed = self.completed();
                    let result = Session::scenario(&scenario, completed).map(|session| {
                        let title = session.view().session.scenario.map(|p| p.title).unwrap_or_default();
                        self.loaded = Loaded::Session(Box::new(with_query(session)));
                        Answer::Scenario { scenario, title }
                    });
                    if result.is_ok() {
                        self.replaced(scope);
                    }
                    self.answer(scope, handler, id, "Start scenario", result);
                }
                Request::Malformed { reason } => {
                    web_sys_log(&reason);
                    scope.respond(handler, Response::Malformed { reason });
                }
                Request::PutFile { id, name, text } => {
                    let label = format!("Upload {name}");
                    let others: usize = self.files.0.iter().filter(|(n, _)| **n != name).map(|(_, t)| t.len()).sum();
                    let result = if name.is_empty() || name.contains('/') || text.len() > MAX_FILE_BYTES {
                        Err(Error::new(
                            ErrorCode::BadParameter,
                            format!("A file needs a plain name and at most {MAX_FILE_BYTES} bytes of text (the limit per file)."),
                        ))
                    } else if others + text.len() > MAX_STORE_BYTES {
                        Err(Error::new(
                            ErrorCode::BadParameter,
                            format!("The Cloud Shell's files would pass {MAX_STORE_BYTES} bytes in all (the store's limit): remove some with rm first."),
                        ))
                    } else {
                        let bytes = text.len();
                        self.files.0.insert(name.clone(), text);
                        self.save_files(scope);
                        Ok(Answer::Uploaded { name, bytes })
                    };
                    self.reply(scope, (handler, id), label, result, (0.0, None));
                }
                Request::Execute { id, command } => {
                    let started = now_ms();
                    let sizes = self.clock_keys_for(&command);
                    if !sizes.is_empty() {
                        let batch = ClockKeys::new(handler, id, Waiting::Execute(command), started);
                        self.make_clock_keys(scope, batch, sizes);
                        continue;
                    }
                    match &command {
                        Command::CreateKey(create) if create.pregenerated.is_none() => {
                            self.busy = true;
                            let bits = create.size;
                            scope.send_future(async move {
                                let material = if webcrypto::offers(bits) {
                                    webcrypto::generate_rsa_pkcs8(bits).await
                                } else {
                                    Err("size not offered by WebCrypto path".into())
                                };
                                Message::KeyMaterial { handler, id, command, started, material }
                            });
                        }
                        // Rotate now: the new version's key from WebCrypto too.
                        Command::RotateKey { vault, name, pregenerated: None } => {
                            let bits = match &self.loaded {
                                Loaded::Session(s) => s.key_size(vault, name),
                                _ => None,
                            };
                            match bits.filter(|b| webcrypto::offers(*b)) {
                                Some(bits) => {
                                    self.busy = true;
                                    scope.send_future(async move {
                                        let material = webcrypto::generate_rsa_pkcs8(bits).await;
                                        Message::KeyMaterial { handler, id, command, started, material }
                                    });
                                }
                                _ => self.finish(scope, handler, id, command, started, None),
                            }
                        }
                        _ => self.finish(scope, handler, id, command, started, None),
                    }
                }
            }
        }
    }

    fn finish(
        &mut self,
        scope: &WorkerScope<Self>,
        handler: HandlerId,
        id: u64,
        command: Command,
        started: f64,
        note: Option<String>,
    ) {
        let label = command.label();
        let Loaded::Session(session) = &mut self.loaded else {
            let error = Error::new(
                ErrorCode::CorruptState,
                "The saved state could not be loaded; choose what to do with it first.",
            );
            self.reply(scope, (handler, id), label, Err(error), (0.0, None));
            return;
        };
        let result = session.execute(command).map(|outcome| Answer::Outcome(Box::new(outcome)));
        session.note_progress();
        let millis = now_ms() - started;
        record_request(&label, millis);
        self.reply(scope, (handler, id), label, result, (millis, note));
        self.save_if_changed(scope);
    }

    fn run_shell(&mut self, scope: &WorkerScope<Self>, handler: HandlerId, id: u64, line: &str) {
        let started = now_ms();
        if let Some(result) = self.file_command(line) {
            if line.trim_start().starts_with("rm ") && result.is_ok() {
                self.save_files(scope);
            }
            self.reply(scope, (handler, id), line, result, (now_ms() - started, None));
            return;
        }
        let Loaded::Session(session) = &mut self.loaded else { return };
        let sizes = offered(session.keys_for_line(line, &self.files));
        if !sizes.is_empty() {
            self.make_clock_keys(scope, ClockKeys::new(handler, id, Waiting::Shell(line.to_string()), started), sizes);
            return;
        }
        // A line that creates an RSA key gets it from WebCrypto, like a click (never the slow path).
        if let Some(bits) = session.key_to_make(line, &self.files).filter(|b| webcrypto::offers(*b)) {
            self.busy = true;
            let line = line.to_string();
            scope.send_future(async move {
                let material = webcrypto::generate_rsa_pkcs8(bits).await;
                Message::ShellKey { handler, id, line, started, material }
            });
            return;
        }
        self.finish_shell(scope, (handler, id), line, started, None, None);
    }

    /// Runs a Cloud Shell line (with the key WebCrypto made for it, if any) and answers, with
    /// `note` added to its notification.
    fn finish_shell(
        &mut self,
        scope: &WorkerScope<Self>,
        (handler, id): (HandlerId, u64),
        line: &str,
        started: f64,
        key: Option<Vec<u8>>,
        note: Option<String>,
    ) {
        let Loaded::Session(session) = &mut self.loaded else { return };
        let ran = match key {
            Some(der) => session.run_line_with_key(line, &self.files, PrivateKeyDer(der.into())),
            // Without WebCrypto the core makes the key itself.
            None => session.run_line(line, &self.files),
        };
        let result = ran.map(|output| match output {
            Output::Json(v) => Answer::Text(printed(&v)),
            Output::Text(t) => Answer::Text(t),
        });
        session.note_progress();
        let millis = now_ms() - started;
        record_request(line, millis);
        self.reply(scope, (handler, id), line, result, (millis, note));
        self.save_if_changed(scope);
    }

    /// The page's projection of the world (an empty world's while the save is in question).
    fn view(&self) -> cmk_core::View {
        match &self.loaded {
            Loaded::Session(session) => session.view(),
            _ => World::new().view(),
        }
    }

    /// Runs `f` on the session (an error while the save is in question).
    fn with_session(&mut self, f: impl FnOnce(&mut Session) -> Result<Answer, Error>) -> Result<Answer, Error> {
        match &mut self.loaded {
            Loaded::Session(session) => {
                let result = f(session);
                session.note_progress();
                result
            }
            _ => Err(Error::new(
                ErrorCode::CorruptState,
                "The saved state could not be loaded; choose what to do with it first.",
            )),
        }
    }

    /// Answers a playground request with the view after it, and saves what changed.
    fn answer(
        &mut self,
        scope: &WorkerScope<Self>,
        handler: HandlerId,
        id: u64,
        label: &str,
        result: Result<Answer, Error>,
    ) {
        self.reply(scope, (handler, id), label, result, (0.0, None));
        self.save_if_changed(scope);
    }

    /// Answers request `id` with `result` and the view after it; `millis` is the worker time it
    /// took, `note` what the page adds to its notification.
    fn reply(
        &self,
        scope: &WorkerScope<Self>,
        (handler, id): (HandlerId, u64),
        label: impl Into<String>,
        result: Result<Answer, Error>,
        (millis, note): (f64, Option<String>),
    ) {
        let view = self.view();
        scope.respond(handler, Response::Done { id, label: label.into(), result, view, millis, note });
    }

    /// Scenarios finished so far (they outlive resets, imports and new scenarios).
    fn completed(&self) -> BTreeSet<String> {
        match &self.loaded {
            Loaded::Session(session) => session.completed().clone(),
            _ => BTreeSet::new(),
        }
    }

    /// `ls`, `cat NAME`, `rm NAME` on the Cloud Shell's file store; `None` for any other line.
    fn file_command(&mut self, line: &str) -> Option<Result<Answer, Error>> {
        let words: Vec<&str> = line.split_whitespace().collect();
        let missing = |name: &str| {
            Error::new(
                ErrorCode::FileNotFound,
                format!(
                    "'{name}': no such file. Upload it first (Upload in the Cloud Shell bar); ls lists what is here."
                ),
            )
        };
        match words.as_slice() {
            ["ls"] if self.files.0.is_empty() => {
                Some(Ok(Answer::Text("(no files: use Upload in the Cloud Shell bar)".into())))
            }
            ["ls"] => Some(Ok(Answer::Text(
                self.files.0.iter().map(|(n, t)| format!("{n}\t{} bytes", t.len())).collect::<Vec<_>>().join("\n"),
            ))),
            ["cat", name] => {
                Some(self.files.0.get(*name).map(|t| Answer::Text(t.clone())).ok_or_else(|| missing(name)))
            }
            ["rm", name] => Some(
                self.files
                    .0
                    .remove(*name)
                    .map(|_| Answer::Text(printed(&serde_json::json!({ "removed": name }))))
                    .ok_or_else(|| missing(name)),
            ),
            ["ls" | "cat" | "rm", ..] => {
                Some(Err(Error::new(ErrorCode::BadParameter, "Usage: ls | cat NAME | rm NAME")))
            }
            _ => None,
        }
    }

    fn save_files(&self, scope: &WorkerScope<Self>) {
        let Some(db) = self.db.clone() else { return };
        match serde_json::to_string(&self.files.0) {
            Ok(text) => scope.send_future(async move {
                Message::Wrote(store::save(&db, store::FILES, &JsValue::from_str(&text)).await)
            }),
            Err(e) => web_sys_log(&e.to_string()),
        }
    }

    /// The world was replaced (reset, import, a scenario, a share link): save it and its session
    /// whatever their counters say — a new world's revision and a new session's generation start
    /// again from zero and can equal the old ones' (a scenario started right after a reload used
    /// to leave the resumed session saved beside the scenario's world, and lose the scenario).
    fn replaced(&mut self, scope: &WorkerScope<Self>) {
        self.saved_revision = None;
        self.saved_generation = None;
        self.save_if_changed(scope);
    }

    /// Saves what moved since the last save: the world's changed parts when its revision moved,
    /// the session when its generation did. Reads, refused commands and shell lines that changed
    /// nothing write nothing. One save at a time: a change meanwhile saves again after it.
    fn save_if_changed(&mut self, scope: &WorkerScope<Self>) {
        let (Some(db), Loaded::Session(session)) = (self.db.clone(), &self.loaded) else {
            return;
        };
        if self.unread.is_some() {
            return;
        }
        if self.in_flight.is_some() {
            self.save_again = true;
            return;
        }
        let started = now_ms();
        let (revision, generation) = (session.world().revision(), session.generation());
        let mut write = Write::default();
        let mut landed = InFlight { stored: None, revision: None, generation: None };
        if self.saved_revision != Some(revision) {
            match self.stored.changes(session.world()) {
                Ok((changes, next)) => {
                    write.world = Some(changes);
                    landed.stored = Some(next);
                    landed.revision = Some(revision);
                }
                Err(e) => web_sys_log(e.message()),
            }
        }
        if self.saved_generation != Some(generation) {
            match serde_json::to_string(&session.saved()) {
                Ok(text) => {
                    write.session = Some(text);
                    landed.generation = Some(generation);
                }
                Err(e) => web_sys_log(&e.to_string()),
            }
        }
        if write.world.is_none() && write.session.is_none() {
            return;
        }
        self.in_flight = Some(landed);
        let bytes = write.bytes();
        let prepared = now_ms() - started;
        scope.send_future(async move {
            let result = store::write(&db, write).await;
            Message::Saved { result, prepared, started, bytes }
        });
    }

    /// Answers what `command` would do, on a copy of the world run `WHAT_IF_HORIZON` ahead.
    fn what_if(
        &mut self,
        scope: &WorkerScope<Self>,
        (handler, id): (HandlerId, u64),
        command: Command,
        started: f64,
        note: Option<String>,
    ) {
        let label = format!("What if: {}", command.label());
        let result = match &self.loaded {
            Loaded::Session(session) => {
                let world = session.world();
                let actor = world.signed_in().to_owned();
                let mut rng = session.rng_for_what_if();
                Ok(Answer::WhatIf(Box::new(world.what_if(&actor, command, WHAT_IF_HORIZON, &mut rng))))
            }
            _ => Err(Error::new(ErrorCode::CorruptState, "There is no world to ask.")),
        };
        self.reply(scope, (handler, id), label, result, (now_ms() - started, note));
    }

    /// The keys WebCrypto should make before `command` moves the clock (none for anything else).
    fn clock_keys_for(&self, command: &Command) -> Vec<u32> {
        match &self.loaded {
            Loaded::Session(session) => offered(session.keys_for_clock(command)),
            _ => Vec::new(),
        }
    }

    /// Holds the queue while WebCrypto makes every key in `sizes` (all asked at once); the held
    /// request runs when the last one is in ([`Message::ClockKey`]).
    fn make_clock_keys(&mut self, scope: &WorkerScope<Self>, mut batch: ClockKeys, sizes: Vec<u32>) {
        self.busy = true;
        batch.remaining = sizes.len();
        self.clock_keys = Some(batch);
        for bits in sizes {
            scope.send_future(async move {
                Message::ClockKey { bits, material: webcrypto::generate_rsa_pkcs8(bits).await }
            });
        }
    }

    /// Keeps keys ready for the rotation policies: versions made while the clock runs take them
    /// instead of generating RSA in the worker (WebCrypto is several times faster, off the
    /// worker's thread). Asked after every message; at most `KEYS_AHEAD_PER_SIZE` per size.
    fn make_keys_ahead(&mut self, scope: &WorkerScope<Self>) {
        let Loaded::Session(session) = &self.loaded else { return };
        if self.unread.is_some() {
            return;
        }
        let mut coming = self.keys_coming.clone();
        for bits in session.keys_wanted() {
            if let Some(n) = coming.get_mut(&bits).filter(|n| **n > 0) {
                *n -= 1;
                continue;
            }
            if !webcrypto::offers(bits) {
                continue;
            }
            *self.keys_coming.entry(bits).or_default() += 1;
            scope.send_future(async move {
                Message::KeyAhead { bits, material: webcrypto::generate_rsa_pkcs8(bits).await }
            });
        }
    }

    /// A write failed: say so to every page (the banner offers Export).
    fn failed(&mut self, scope: &WorkerScope<Self>, message: String) {
        self.save_failing = true;
        for handler in &self.pages {
            scope.respond(*handler, Response::SaveFailed { message: message.clone() });
        }
        web_sys_log(&message);
    }

    /// A write landed: if one had failed, tell the pages changes are kept again.
    fn recovered(&mut self, scope: &WorkerScope<Self>) {
        self.retry_after = FIRST_RETRY_MS;
        if std::mem::take(&mut self.save_failing) {
            for handler in &self.pages {
                scope.respond(*handler, Response::SaveRecovered);
            }
        }
    }
}

/// Keeps the last timings on the worker's global `cmkStats` (for `cargo xtask bench`, which
/// reads them through the browser's devtools): `saves` — `{prepared, total, bytes}`, the worker's
/// own time to work out and encode a save, and until IndexedDB committed it; `requests` —
/// `{label, millis}`, worker time per answered request. Newest last, at most 50 of each.
fn record(list: &str, fields: &[(&str, JsValue)]) {
    let global = js_sys::global();
    let get_or_make = |parent: &JsValue, name: &str, make: &dyn Fn() -> JsValue| {
        js_sys::Reflect::get(parent, &name.into()).ok().filter(|v| v.is_object()).unwrap_or_else(|| {
            let value = make();
            let _ = js_sys::Reflect::set(parent, &name.into(), &value);
            value
        })
    };
    let stats = get_or_make(&global, "cmkStats", &|| js_sys::Object::new().into());
    let Ok(list) = get_or_make(&stats, list, &|| js_sys::Array::new().into()).dyn_into::<js_sys::Array>() else {
        return;
    };
    let entry = js_sys::Object::new();
    for (name, value) in fields {
        let _ = js_sys::Reflect::set(&entry, &(*name).into(), value);
    }
    list.push(&entry);
    if list.length() > 50 {
        list.shift();
    }
}

fn record_save(prepared: f64, total: f64, bytes: usize) {
    record("saves", &[("prepared", prepared.into()), ("total", total.into()), ("bytes", (bytes as f64).into())]);
}

fn record_request(label: &str, millis: f64) {
    record("requests", &[("label", label.into()), ("millis", millis.into())]);
}

/// A damaged save in parts, whole, to keep aside: `{meta, texts: {id: text}, records: {id: bytes}}`.
fn aside_parts(meta: &str, texts: &[(String, String)], records: &[(String, Vec<u8>)]) -> JsValue {
    let object = js_sys::Object::new();
    let texts_object = js_sys::Object::new();
    for (id, text) in texts {
        let _ = js_sys::Reflect::set(&texts_object, &id.into(), &text.into());
    }
    let records_object = js_sys::Object::new();
    for (id, bytes) in records {
        let _ = js_sys::Reflect::set(&records_object, &id.into(), &js_sys::Uint8Array::from(bytes.as_slice()));
    }
    let _ = js_sys::Reflect::set(&object, &"meta".into(), &meta.into());
    let _ = js_sys::Reflect::set(&object, &"texts".into(), &texts_object);
    let _ = js_sys::Reflect::set(&object, &"records".into(), &records_object);
    object.into()
}

impl ClockKeys {
    fn new(handler: HandlerId, id: u64, waiting: Waiting, started: f64) -> Self {
        Self { handler, id, waiting, started, remaining: 0, made: 0, failed: None }
    }
}

/// The sizes WebCrypto can make (the others are left to the core).
fn offered(sizes: Vec<u32>) -> Vec<u32> {
    sizes.into_iter().filter(|b| webcrypto::offers(*b)).collect()
}

/// Says where a key's material came from, for the page's notification.
fn key_note(material: &Result<Vec<u8>, String>, started: f64) -> String {
    match material {
        Ok(_) => format!("The RSA key was generated by the browser's WebCrypto in {:.0} ms.", now_ms() - started),
        Err(why) => format!("WebCrypto could not generate the key ({why}); the simulator generated it itself."),
    }
}

/// The first wait before a failed save is tried again.
const FIRST_RETRY_MS: u32 = 2_000;

/// Waits `ms` milliseconds (the worker's `setTimeout`).
async fn sleep_ms(ms: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let global = js_sys::global();
        if let Some(f) =
            js_sys::Reflect::get(&global, &"setTimeout".into()).ok().and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        {
            let _ = f.call2(&global, &resolve, &JsValue::from(ms));
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

fn entropy() -> [u8; 32] {
    let mut entropy = [0u8; 32];
    OsRng.fill_bytes(&mut entropy);
    entropy
}

/// The session's Cloud Shell evaluates `--query` with JMESPath.
fn with_query(mut session: Session) -> Session {
    session.set_query(|| Box::new(cmk_query::JmesPath));
    session
}

/// A new world with a random seed (the script starts `sim seed N`, so it replays the same).
fn fresh_session(completed: BTreeSet<String>) -> Session {
    let mut session = with_query(Session::fresh(OsRng.next_u64() % 1_000_000_000));
    session.set_completed(completed);
    session
}

fn web_sys_log(message: &str) {
    let console = js_sys::Reflect::get(&js_sys::global(), &"console".into()).ok();
    if let Some(log) = console.as_ref().and_then(|c| js_sys::Reflect::get(c, &"warn".into()).ok()) {
        if let Some(f) = log.dyn_ref::<js_sys::Function>() {
            let _ = f.call1(console.as_ref().unwrap_or(&wasm_bindgen::JsValue::NULL), &message.into());
        }
    }
}

/// A JSON answer as the Cloud Shell prints it (a string as itself, anything else indented).
fn printed(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text.clone(),
        other => serde_json::to_string_pretty(other).unwrap_or_default(),
    }
}
