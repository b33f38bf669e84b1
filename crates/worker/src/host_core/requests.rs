//! One request at a time: what each of the page's requests does to the session, and its answer.

use cmk_core::session::{self, Session};
use cmk_core::shell::Output;
use cmk_core::{envelope, Command, Error, ErrorCode, PrivateKeyDer, World};

use super::keys::Waiting;
use super::{not_loaded, with_query, Effect, HostCore, Loaded, Stat, WHAT_IF_HORIZON};
use crate::protocol::{Answer, Request, Response};

impl<P: Copy + PartialEq + core::fmt::Debug> HostCore<P> {
    pub(super) fn request(&mut self, page: P, request: Request) {
        match request {
            Request::Hello => self.hello(page),
            Request::StartFresh => self.start_fresh(page),
            Request::Shell { id, line } => self.run_shell((page, id), &line),
            Request::Export { id } => {
                let result = match &self.loaded {
                    Loaded::Session(session) => envelope::encode(session.world()).map(Answer::Text),
                    _ => Err(Error::new(ErrorCode::CorruptState, "There is no world to export.")),
                };
                self.reply((page, id), "Export", result, (0.0, None));
            }
            Request::Import { id, text } => {
                let completed = self.completed();
                let entropy = (self.env.entropy)();
                let result = envelope::decode(&text).map(|world| {
                    let summary = Answer::Imported { now: world.now().to_iso() };
                    let mut session = with_query(Session::imported(world, entropy));
                    session.set_completed(completed);
                    self.loaded = Loaded::Session(Box::new(session));
                    summary
                });
                self.replaced_if(result.is_ok());
                self.reply((page, id), "Import", result, (0.0, None));
            }
            Request::WhatIf { id, command } => self.ask_what_if((page, id), command),
            Request::ExportAside { id } => {
                let result = match (&self.loaded, self.kept.as_slice()) {
                    (Loaded::Problem { aside, .. }, _) => Ok(Answer::Text(aside.export())),
                    (_, [.., last]) => Ok(Answer::Text(last.export())),
                    _ => Err(Error::new(
                        ErrorCode::FileNotFound,
                        "Nothing was kept aside in this run of the playground.",
                    )),
                };
                self.reply((page, id), "Export the unreadable save", result, (0.0, None));
            }
            Request::ResetPlayground { id } => {
                self.loaded = Loaded::Session(Box::new(self.fresh_session(self.completed())));
                self.replaced_if(true);
                self.reply((page, id), "Reset playground", Ok(Answer::Reset), (0.0, None));
            }
            Request::Undo { id } => {
                let result = match &mut self.loaded {
                    Loaded::Session(s) => s.undo(&self.files).map(|undone| Answer::Undone { undone }),
                    _ => Err(Error::new(ErrorCode::CorruptState, "There is no world to undo in.")),
                };
                // Undo moves the world's revision past the one saved, so the save follows.
                self.answer((page, id), "Undo", result);
            }
            Request::ExportScript { id, powershell } => {
                let result = self
                    .with_session(|s| Ok(Answer::Text(if powershell { s.powershell_script() } else { s.script() })));
                self.answer((page, id), if powershell { "Export PowerShell" } else { "Export script" }, result);
            }
            Request::ShareLink { id } => {
                // Reads the session only: no view is projected until the answer's.
                let result = self.with_session(|s| {
                    Ok(Answer::ShareCode { code: session::share_code(&s.script()), replayable: s.replayable() })
                });
                self.answer((page, id), "Share link", result);
            }
            Request::ReadShare { id, code } => {
                let result =
                    session::script_from_share(&code).map(|script| Answer::Shared { lines: lines_of(&script), script });
                self.answer((page, id), "Open share link", result);
            }
            Request::Complete { id, line } => {
                // A read: the view the completion reads is the one the answer is worked out
                // from (projecting it is most of a Tab press on a big world; once is enough).
                let (result, view) = match self.session().map(Session::view) {
                    Some(view) => (Ok(Answer::Completion(cmk_core::shell::complete(&line, &view))), view),
                    None => (Err(not_loaded()), self.view()),
                };
                self.reply_from((page, id), "Complete", result, (0.0, None), view);
            }
            Request::RunScript { id, script } => self.run_script((page, id), &script),
            Request::StartScenario { id, scenario } => self.start_scenario((page, id), scenario),
            Request::Malformed { reason } => {
                self.log(reason.clone());
                self.respond(page, Response::Malformed { reason });
            }
            Request::PutFile { id, name, text, archive } => {
                let label = format!("Upload {name}");
                let result = if archive { self.put_archive(&name, &text) } else { self.put_file(name, text) };
                self.reply((page, id), label, result, (0.0, None));
            }
            Request::ListFiles { id } => {
                let result = self.file_command("ls").unwrap_or_else(|| Ok(Answer::Text(String::new())));
                self.answer((page, id), "List files", result);
            }
            Request::ReadFile { id, name } => {
                let result = self.read_file(&name);
                self.answer((page, id), "Read file", result);
            }
            Request::Execute { id, command } => self.execute((page, id), command),
        }
    }

    fn hello(&mut self, page: P) {
        let started = self.now();
        let response = match &self.loaded {
            Loaded::Session(session) => {
                let (view, restored) = (session.view(), *session.world() != World::new());
                Response::Ready { view: self.whole_view(page, view), restored }
            }
            Loaded::Problem { message, .. } => Response::LoadProblem { message: message.clone() },
            Loaded::Pending => return,
        };
        self.respond(page, response);
        self.emit(Effect::Stat(Stat::Load(vec![("ready", self.now() - started)])));
        for message in self.lost.clone() {
            self.respond(page, Response::PartKeptAside { message });
        }
        if let Some(message) = self.storage_problem.clone() {
            self.respond(page, Response::SaveFailed { message, aside: false });
        } else if let Some(failing) = self.failing_response() {
            self.respond(page, failing);
        }
    }

    /// The save could not be loaded: keep it aside and start a new world. The new world's save
    /// (which clears every old part) waits until the save kept aside has landed.
    fn start_fresh(&mut self, page: P) {
        let Loaded::Problem { aside, .. } = &self.loaded else { return };
        let aside = aside.clone();
        self.keep_aside(aside);
        let session = Box::new(self.fresh_session(Default::default()));
        let view = self.whole_view(page, session.view());
        self.respond(page, Response::Ready { view, restored: false });
        self.loaded = Loaded::Session(session);
        // What the store holds is unknown: the save clears every old part.
        self.save.forget_stored();
        self.replaced_if(true);
    }

    fn run_script(&mut self, to: (P, u64), script: &str) {
        let completed = self.completed();
        let result = Session::from_script(script, (self.env.entropy)(), completed).map(|(session, failed)| {
            self.loaded = Loaded::Session(Box::new(with_query(session)));
            Answer::ScriptRan { lines: lines_of(script), failed }
        });
        self.replaced_if(result.is_ok());
        self.answer(to, "Open shared scenario", result);
    }

    fn start_scenario(&mut self, to: (P, u64), scenario: String) {
        let result = Session::scenario(&scenario, self.completed()).and_then(|session| {
            let title = cmk_core::scenarios::find(&scenario)?.title.to_string();
            self.loaded = Loaded::Session(Box::new(with_query(session)));
            Ok(Answer::Scenario { scenario, title })
        });
        self.replaced_if(result.is_ok());
        self.answer(to, "Start scenario", result);
    }

    /// A click: waits for the keys its clock move's rotations take, or for its own key from
    /// WebCrypto (a new key, Rotate now), then runs.
    fn execute(&mut self, to: (P, u64), command: Command) {
        let started = self.now();
        let sizes = self.clock_keys_for(&command);
        if !sizes.is_empty() {
            return self.hold_for_batch(to, Waiting::Execute(command), started, sizes);
        }
        let own = self.session().and_then(|s| s.key_bits_for(&command)).filter(|b| super::keys::offered(*b));
        match own {
            Some(bits) => self.hold_for_one(to, Waiting::Execute(command), started, bits),
            None => self.finish(to, command, started, None),
        }
    }

    /// Runs a click's command and answers, with `note` added to its notification.
    pub(super) fn finish(&mut self, to: (P, u64), command: Command, started: f64, note: Option<String>) {
        let Loaded::Session(session) = &mut self.loaded else {
            return self.reply(to, command.label(), Err(super::not_loaded()), (0.0, None));
        };
        let label = session.world().label_of(&command);
        let result = session.execute(command).map(|outcome| Answer::Outcome(Box::new(outcome)));
        session.note_progress();
        let millis = self.now() - started;
        self.emit(Effect::Stat(Stat::Request { label: label.clone(), millis }));
        self.reply(to, label, result, (millis, note));
        self.save_if_changed();
    }

    fn run_shell(&mut self, to: (P, u64), line: &str) {
        let started = self.now();
        if let Loaded::Session(session) = &mut self.loaded {
            session.remember(line);
        }
        if let Some(result) = self.file_command(line) {
            self.reply(to, line, result, (self.now() - started, None));
            self.save_if_changed();
            return;
        }
        let Loaded::Session(session) = &mut self.loaded else { return };
        let sizes: Vec<u32> =
            session.keys_for_line(line, &self.files).into_iter().filter(|b| super::keys::offered(*b)).collect();
        if !sizes.is_empty() {
            return self.hold_for_batch(to, Waiting::Shell(line.to_string()), started, sizes);
        }
        // A line that creates an RSA key gets it from WebCrypto, like a click (never the slow path).
        match session.key_to_make(line, &self.files).filter(|b| super::keys::offered(*b)) {
            Some(bits) => self.hold_for_one(to, Waiting::Shell(line.to_string()), started, bits),
            None => self.finish_shell(to, line, started, None, None),
        }
    }

    /// Runs a Cloud Shell line (with the key WebCrypto made for it, if any) and answers, with
    /// `note` added to its notification.
    pub(super) fn finish_shell(
        &mut self,
        to: (P, u64),
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
        let millis = self.now() - started;
        self.emit(Effect::Stat(Stat::Request { label: line.to_string(), millis }));
        self.reply(to, line, result, (millis, note));
        self.save_if_changed();
    }

    /// What-if: the copy runs `WHAT_IF_HORIZON` ahead, and its rotations take keys made first.
    fn ask_what_if(&mut self, to: (P, u64), command: Command) {
        let started = self.now();
        let by = match &command {
            Command::AdvanceClock { by } => {
                cmk_core::SimDuration::seconds(WHAT_IF_HORIZON.as_seconds().saturating_add(by.as_seconds()))
            }
            _ => WHAT_IF_HORIZON,
        };
        let sizes = self.clock_keys_for(&Command::AdvanceClock { by });
        if sizes.is_empty() {
            self.what_if(to, command, started, None);
        } else {
            self.hold_for_batch(to, Waiting::WhatIf(command), started, sizes);
        }
    }

    /// Answers what `command` would do, on a copy of the world run `WHAT_IF_HORIZON` ahead.
    pub(super) fn what_if(&mut self, to: (P, u64), command: Command, started: f64, note: Option<String>) {
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
        self.reply(to, label, result, (self.now() - started, note));
    }

    /// The world was replaced (reset, import, a scenario, a share link): save it whatever its
    /// counters say.
    fn replaced_if(&mut self, replaced: bool) {
        if replaced {
            self.save.forget_saved();
            self.save_if_changed();
        }
    }
}

fn lines_of(script: &str) -> usize {
    cmk_core::shell::lexer::logical_lines(script).len()
}

/// A JSON answer as the Cloud Shell prints it (a string as itself, anything else indented).
pub(super) fn printed(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text.clone(),
        other => serde_json::to_string_pretty(other).unwrap_or_default(),
    }
}
