//! The worker itself: one world, one queue. Requests run strictly in arrival order; a request that
//! needs async work (key generation) holds the queue until it is done, so the page's commands can
//! never overtake each other.

use std::collections::VecDeque;
use std::rc::Rc;

use cmk_core::shell::{MemoryFiles, Output, Shell};
use cmk_core::{envelope, Command, Error, ErrorCode, PrivateKeyDer, World};
use gloo_worker::{HandlerId, Worker, WorkerScope};
use idb::Database;
use rand_core::{OsRng, RngCore};

use crate::protocol::{Request, Response};
use crate::{store, webcrypto};

/// What opening the store found: the database, the saved world, the Cloud Shell's files.
pub type Opened = (Rc<Database>, Option<String>, Option<String>);

#[derive(Debug)]
pub enum Message {
    Opened(Result<Opened, String>),
    KeyMaterial { handler: HandlerId, id: u64, command: Command, started: f64, material: Result<Vec<u8>, String> },
    Saved(Result<(), String>),
    SetAside(Result<(), String>),
}

#[derive(Debug)]
enum Loaded {
    Pending,
    World(Box<World>),
    Problem { message: String, text: String },
}

/// The gloo worker that owns the world.
pub struct Host {
    db: Option<Rc<Database>>,
    loaded: Loaded,
    queue: VecDeque<(HandlerId, Request)>,
    busy: bool,
    /// Connected pages (one per tab's bridge), told when a save fails.
    pages: Vec<HandlerId>,
    /// The Cloud Shell session (variables, `sim seed`).
    shell: Shell,
    /// Files uploaded to the Cloud Shell, by name (kept for the session, not saved).
    files: MemoryFiles,
    /// The world's revision when it was last saved (or loaded): save only when it moved.
    saved_revision: Option<u64>,
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

use wasm_bindgen::JsCast;

impl Worker for Host {
    type Message = Message;
    type Input = Request;
    type Output = Response;

    fn create(scope: &WorkerScope<Self>) -> Self {
        scope.send_future(async {
            let opened = async {
                let db = store::open().await?;
                let text = store::load(&db).await?;
                let files = store::load_key(&db, store::FILES).await?;
                Ok((Rc::new(db), text, files))
            };
            Message::Opened(opened.await)
        });
        {
            let mut entropy = [0u8; 32];
            OsRng.fill_bytes(&mut entropy);
            Self {
                db: None,
                loaded: Loaded::Pending,
                queue: VecDeque::new(),
                busy: false,
                pages: Vec::new(),
                shell: Shell::new(entropy).with_query(Box::new(cmk_query::JmesPath)),
                files: MemoryFiles::default(),
                saved_revision: None,
            }
        }
    }

    fn update(&mut self, scope: &WorkerScope<Self>, msg: Message) {
        match msg {
            Message::Opened(Ok((db, text, files))) => {
                self.db = Some(db);
                // The Cloud Shell's files, kept beside the world; an unreadable list is dropped.
                if let Some(map) = files.and_then(|f| serde_json::from_str(&f).ok()) {
                    self.files = MemoryFiles(map);
                }
                self.loaded = match text {
                    None => Loaded::World(Box::default()),
                    Some(text) => match envelope::decode(&text) {
                        Ok(world) => {
                            self.saved_revision = Some(world.revision());
                            Loaded::World(Box::new(world))
                        }
                        Err(e) => Loaded::Problem { message: e.message().into(), text },
                    },
                };
            }
            Message::Opened(Err(message)) => {
                // No IndexedDB (private mode, blocked storage): run in memory and say so on every save.
                self.loaded = Loaded::World(Box::default());
                web_sys_log(&format!("CMK Playground: state will not persist: {message}"));
            }
            Message::KeyMaterial { handler, id, mut command, started, material } => {
                if let (Command::CreateKey(create), Ok(der)) = (&mut command, material) {
                    create.pregenerated = Some(PrivateKeyDer(der.into()));
                }
                // On WebCrypto failure the command goes without material: the core generates the key.
                self.finish(scope, handler, id, command, started);
                self.busy = false;
            }
            Message::Saved(Ok(())) | Message::SetAside(Ok(())) => {}
            Message::Saved(Err(message)) | Message::SetAside(Err(message)) => {
                for handler in &self.pages {
                    scope.respond(*handler, Response::SaveFailed { message: message.clone() });
                }
                web_sys_log(&message);
            }
        }
        self.pump(scope);
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
    }
}

impl Host {
    /// Runs queued requests in order until one needs to wait.
    fn pump(&mut self, scope: &WorkerScope<Self>) {
        while !self.busy {
            if matches!(self.loaded, Loaded::Pending) {
                return;
            }
            let Some((handler, request)) = self.queue.pop_front() else {
                return;
            };
            match request {
                Request::Hello => {
                    let response = match &self.loaded {
                        Loaded::World(world) => {
                            Response::Ready { view: world.view(), restored: **world != World::new() }
                        }
                        Loaded::Problem { message, .. } => Response::LoadProblem { message: message.clone() },
                        Loaded::Pending => continue,
                    };
                    scope.respond(handler, response);
                }
                Request::StartFresh => {
                    if let Loaded::Problem { text, .. } = &self.loaded {
                        if let Some(db) = self.db.clone() {
                            let key = format!("rejected-{}", js_sys::Date::now() as u64);
                            let text = text.clone();
                            scope.send_future(async move { Message::SetAside(store::save(&db, &key, &text).await) });
                        }
                        let world = Box::<World>::default();
                        scope.respond(handler, Response::Ready { view: world.view(), restored: false });
                        self.loaded = Loaded::World(world);
                        self.save(scope);
                    }
                }
                Request::Shell { id, line } => self.run_shell(scope, handler, id, &line),
                Request::Export { id } => {
                    let result = match &self.loaded {
                        Loaded::World(world) => envelope::encode(world).map(serde_json::Value::String),
                        _ => Err(Error::new(ErrorCode::CorruptState, "There is no world to export.")),
                    };
                    let view = self.view();
                    scope.respond(handler, Response::Done { id, label: "Export".into(), result, view, millis: 0.0 });
                }
                Request::Import { id, text } => {
                    let result = envelope::decode(&text).map(|world| {
                        let summary = serde_json::json!({ "imported": true, "now": world.now().to_iso() });
                        self.loaded = Loaded::World(Box::new(world));
                        summary
                    });
                    if result.is_ok() {
                        self.save(scope);
                    }
                    let view = self.view();
                    scope.respond(handler, Response::Done { id, label: "Import".into(), result, view, millis: 0.0 });
                }
                Request::WhatIf { id, command } => {
                    let label = format!("What if: {}", command.label());
                    let result = match &self.loaded {
                        Loaded::World(world) => {
                            let actor = world.signed_in().to_owned();
                            let report = world.what_if(&actor, command, cmk_core::SimDuration::days(35), &mut OsRng);
                            serde_json::to_value(report)
                                .map_err(|e| Error::new(ErrorCode::InternalError, e.to_string()))
                        }
                        _ => Err(Error::new(ErrorCode::CorruptState, "There is no world to ask.")),
                    };
                    let view = self.view();
                    scope.respond(handler, Response::Done { id, label, result, view, millis: 0.0 });
                }
                Request::ResetPlayground { id } => {
                    self.loaded = Loaded::World(Box::default());
                    self.save(scope);
                    let view = self.view();
                    let result = Ok(serde_json::json!({ "reset": true }));
                    scope.respond(
                        handler,
                        Response::Done { id, label: "Reset playground".into(), result, view, millis: 0.0 },
                    );
                }
                Request::PutFile { id, name, text } => {
                    let label = format!("Upload {name}");
                    let result = if name.is_empty() || name.contains('/') || text.len() > 1_000_000 {
                        Err(Error::new(ErrorCode::BadParameter, "A file needs a plain name and at most 1 MB of text."))
                    } else {
                        let bytes = text.len();
                        self.files.0.insert(name.clone(), text);
                        self.save_files(scope);
                        Ok(serde_json::json!({ "uploaded": name, "bytes": bytes }))
                    };
                    let view = self.view();
                    scope.respond(handler, Response::Done { id, label, result, view, millis: 0.0 });
                }
                Request::Execute { id, command } => {
                    let started = now_ms();
                    match &command {
                        Command::CreateKey(create) if create.pregenerated.is_none() => {
                            self.busy = true;
                            let bits = create.size;
                            scope.send_future(async move {
                                let material = if matches!(bits, 2048 | 3072 | 4096) {
                                    webcrypto::generate_rsa_pkcs8(bits).await
                                } else {
                                    Err("size not offered by WebCrypto path".into())
                                };
                                Message::KeyMaterial { handler, id, command, started, material }
                            });
                        }
                        _ => self.finish(scope, handler, id, command, started),
                    }
                }
            }
        }
    }

    fn finish(&mut self, scope: &WorkerScope<Self>, handler: HandlerId, id: u64, command: Command, started: f64) {
        let label = command.label();
        let Loaded::World(world) = &mut self.loaded else {
            let error = Error::new(
                ErrorCode::CorruptState,
                "The saved state could not be loaded; choose what to do with it first.",
            );
            scope.respond(
                handler,
                Response::Done { id, label, result: Err(error), view: World::new().view(), millis: 0.0 },
            );
            return;
        };
        let actor = world.signed_in().to_owned();
        let now = world.now();
        let result = world.execute(&actor, command, now, &mut OsRng).and_then(|outcome| {
            serde_json::to_value(outcome).map_err(|e| Error::new(ErrorCode::InternalError, e.to_string()))
        });
        let view = world.view();
        scope.respond(handler, Response::Done { id, label, result, view, millis: now_ms() - started });
        self.save_if_changed(scope);
    }

    fn run_shell(&mut self, scope: &WorkerScope<Self>, handler: HandlerId, id: u64, line: &str) {
        let started = now_ms();
        if let Some(result) = self.file_command(line) {
            if line.trim_start().starts_with("rm ") && result.is_ok() {
                self.save_files(scope);
            }
            let Loaded::World(world) = &self.loaded else { return };
            let view = world.view();
            scope.respond(handler, Response::Done { id, label: line.into(), result, view, millis: now_ms() - started });
            return;
        }
        let Loaded::World(world) = &mut self.loaded else { return };
        let result = match self.shell.run_line(world, line, &self.files) {
            Ok(Output::Json(v)) => Ok(v),
            Ok(Output::Text(t)) => Ok(serde_json::Value::String(t)),
            Err(e) => Err(e),
        };
        let view = world.view();
        scope.respond(handler, Response::Done { id, label: line.into(), result, view, millis: now_ms() - started });
        self.save_if_changed(scope);
    }

    /// The page's projection of the world (an empty world's while the save is in question).
    fn view(&self) -> cmk_core::View {
        match &self.loaded {
            Loaded::World(world) => world.view(),
            _ => World::new().view(),
        }
    }

    /// `ls`, `cat NAME`, `rm NAME` on the Cloud Shell's file store; `None` for any other line.
    fn file_command(&mut self, line: &str) -> Option<Result<serde_json::Value, Error>> {
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
                Some(Ok(serde_json::Value::String("(no files: use Upload in the Cloud Shell bar)".into())))
            }
            ["ls"] => Some(Ok(serde_json::Value::String(
                self.files.0.iter().map(|(n, t)| format!("{n}\t{} bytes", t.len())).collect::<Vec<_>>().join("\n"),
            ))),
            ["cat", name] => {
                Some(self.files.0.get(*name).map(|t| serde_json::Value::String(t.clone())).ok_or_else(|| missing(name)))
            }
            ["rm", name] => Some(
                self.files.0.remove(*name).map(|_| serde_json::json!({ "removed": name })).ok_or_else(|| missing(name)),
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
            Ok(text) => scope.send_future(async move { Message::Saved(store::save(&db, store::FILES, &text).await) }),
            Err(e) => web_sys_log(&e.to_string()),
        }
    }

    /// Saves when the world's revision moved since the last save: reads, refused commands and
    /// shell lines that changed nothing write nothing.
    fn save_if_changed(&mut self, scope: &WorkerScope<Self>) {
        let Loaded::World(world) = &self.loaded else { return };
        if self.saved_revision != Some(world.revision()) {
            self.save(scope);
        }
    }

    fn save(&mut self, scope: &WorkerScope<Self>) {
        let (Some(db), Loaded::World(world)) = (self.db.clone(), &self.loaded) else {
            return;
        };
        self.saved_revision = Some(world.revision());
        match envelope::encode(world) {
            Ok(text) => scope.send_future(async move { Message::Saved(store::save_current(&db, &text).await) }),
            Err(e) => web_sys_log(e.message()),
        }
    }
}

fn web_sys_log(message: &str) {
    let console = js_sys::Reflect::get(&js_sys::global(), &"console".into()).ok();
    if let Some(log) = console.as_ref().and_then(|c| js_sys::Reflect::get(c, &"warn".into()).ok()) {
        if let Some(f) = log.dyn_ref::<js_sys::Function>() {
            let _ = f.call1(console.as_ref().unwrap_or(&wasm_bindgen::JsValue::NULL), &message.into());
        }
    }
}
