//! The save: what a start reads (the world shown first, its records after), what each change
//! writes (only the parts that moved, one save at a time), and what a refused save does (the
//! pages are told, the save is tried again 2 s, 4 s, … up to a minute apart and at the next
//! change, and the pages are told when one lands again).

use std::collections::BTreeMap;

use cmk_core::session::{SavedSession, Session};
use cmk_core::stored::{self, Stored};
use cmk_core::{envelope, Error, ErrorCode};

use super::{with_query, Aside, Effect, HostCore, Loaded, Part, Saved, SavedWorld, Stat, Write};
use crate::protocol::Response;

/// The first wait before a failed save is tried again, and the longest.
pub(super) const FIRST_RETRY_MS: f64 = 2_000.0;
const LONGEST_RETRY_MS: f64 = 60_000.0;

/// A save on its way to the store: what the store holds once it lands.
#[derive(Debug)]
struct InFlight {
    stored: Option<Stored>,
    revision: Option<u64>,
    generation: Option<u64>,
    started: f64,
    prepared: f64,
    bytes: usize,
}

#[derive(Debug)]
pub(super) struct SaveState {
    /// The world's revision when it was last saved (or loaded): save only when it moved.
    revision: Option<u64>,
    /// The session's generation when it was last saved.
    generation: Option<u64>,
    /// What the store holds (the environments as last written), so a save writes only changes.
    stored: Stored,
    /// The save being written; one at a time, so each is worked out against a confirmed store.
    in_flight: Option<InFlight>,
    /// Something changed while a save was being written: save again when it ends.
    again: bool,
    /// The world is shown but its records are still being read: the meta and texts as read (to
    /// keep aside if the records turn out damaged). Nothing runs and nothing is saved until then.
    pub(super) unread: Option<(String, Vec<(String, String)>)>,
    /// When the records were asked for.
    records_asked: f64,
    /// After a failed save: how long until the next try (doubling up to a minute), and whether
    /// a try is already scheduled.
    retry_after: f64,
    pub(super) retry_scheduled: bool,
    /// The writes that failed and have not landed since, with why the last one failed:
    /// recovery is told only once every one of them has landed.
    failing: Failing,
    why: String,
    /// Saves to keep aside before anything else is written (the first may be in flight): the
    /// world's and the files' writes wait for them, so nothing can delete what they keep.
    asides: Vec<Aside>,
    aside_in_flight: bool,
    /// The Cloud Shell's files changed since they last landed (written again at the retry).
    pub(super) files_dirty: bool,
}

impl Default for SaveState {
    fn default() -> Self {
        Self {
            revision: None,
            generation: None,
            stored: Stored::unknown(),
            in_flight: None,
            again: false,
            unread: None,
            records_asked: 0.0,
            retry_after: FIRST_RETRY_MS,
            retry_scheduled: false,
            failing: Failing::default(),
            why: String::new(),
            asides: Vec::new(),
            aside_in_flight: false,
            files_dirty: false,
        }
    }
}

/// The kinds of write that failed and have not landed since (a set of three: a bit each, where a
/// `BTreeSet` would add its code to the worker).
#[derive(Clone, Copy, Debug, Default)]
struct Failing(u8);

impl Failing {
    const fn bit(part: Part) -> u8 {
        match part {
            Part::World => 1,
            Part::Files => 2,
            Part::Aside => 4,
        }
    }

    fn insert(&mut self, part: Part) {
        self.0 |= Self::bit(part);
    }

    /// Whether it was there.
    fn remove(&mut self, part: Part) -> bool {
        let was = self.contains(part);
        self.0 &= !Self::bit(part);
        was
    }

    const fn contains(self, part: Part) -> bool {
        self.0 & Self::bit(part) != 0
    }

    const fn is_empty(self) -> bool {
        self.0 == 0
    }
}

impl SaveState {
    /// The world was replaced: save it and its session whatever their counters say — a new
    /// world's revision and a new session's generation start again from zero and can equal the
    /// old ones' (a scenario started right after a reload used to leave the resumed session
    /// saved beside the scenario's world, and lose the scenario).
    pub(super) fn forget_saved(&mut self) {
        self.revision = None;
        self.generation = None;
    }

    /// What the store holds is unknown: the next save clears every old part.
    pub(super) fn forget_stored(&mut self) {
        self.stored = Stored::unknown();
    }

    /// Whether a save kept aside has yet to land (nothing else is written until it has).
    pub(super) fn keeping_aside(&self) -> bool {
        !self.asides.is_empty()
    }
}

impl<P: Copy + PartialEq + core::fmt::Debug> HostCore<P> {
    pub(super) fn opened(&mut self, opened: Result<Saved, String>) {
        let saved = match opened {
            Ok(saved) => saved,
            Err(message) => {
                // No store (private mode, blocked storage): run in memory and say so on every Hello.
                self.loaded = Loaded::Session(Box::new(self.fresh_session(Default::default())));
                self.log(format!("CMK Playground: state will not persist: {message}"));
                self.storage_problem = Some(format!("this browser's storage cannot be opened ({message})"));
                return;
            }
        };
        let started = self.now();
        self.storage = true;
        // The Cloud Shell's files, kept beside the world; an unreadable list is kept aside.
        if let Some(text) = saved.files {
            match serde_json::from_str(&text) {
                Ok(map) => self.files = cmk_core::shell::MemoryFiles(map),
                Err(e) => self.keep_part_aside("files", text, &e.to_string()),
            }
        }
        self.loaded = match self.read_world(saved.world) {
            None => Loaded::Session(Box::new(self.fresh_session(Default::default()))),
            Some(Ok(world)) => {
                self.save.revision = Some(world.revision());
                // The session beside it; without one (an older save) the world goes on as an
                // imported one.
                let session_saved = saved.session.and_then(|text| match serde_json::from_str::<SavedSession>(&text) {
                    Ok(session) => Some(session),
                    Err(e) => {
                        self.keep_part_aside("session", text, &e.to_string());
                        None
                    }
                });
                let session = Session::resume_or_import(world, session_saved, (self.env.entropy)());
                self.save.generation = Some(session.generation());
                Loaded::Session(Box::new(with_query(session)))
            }
            Some(Err((e, aside))) => Loaded::Problem { message: e.message().into(), aside },
        };
        self.emit(Effect::Stat(Stat::Load(vec![("decode", self.now() - started)])));
    }

    /// A part beside the world could not be read: the rest loads, the part is kept aside before
    /// anything is written, and every page is told what was lost (and may export it).
    fn keep_part_aside(&mut self, part: &'static str, text: String, why: &str) {
        let what = match part {
            "files" => "the Cloud Shell's uploaded files",
            _ => "the session — the running scenario and its checklist, shell variables, undo history and the session script",
        };
        self.lost.push(format!(
            "Part of your saved playground could not be read: {what}. It is kept aside in this browser's storage (as a 'rejected' entry), not deleted; the rest of the playground loaded. (Details: {why}.)"
        ));
        self.keep_aside(Aside::Part { part, text });
    }

    /// Keeps `aside` under a new name before anything else is written.
    pub(super) fn keep_aside(&mut self, aside: Aside) {
        self.kept.push(aside.clone());
        if self.storage {
            self.save.asides.push(aside);
            self.write_aside();
        }
    }

    /// Writes the first save to keep aside, unless one is on its way.
    fn write_aside(&mut self) {
        if self.save.aside_in_flight {
            return;
        }
        if let Some(aside) = self.save.asides.first().cloned() {
            self.save.aside_in_flight = true;
            self.emit(Effect::SetAside(aside));
        }
    }

    /// The world read, or why not with all of the save to keep aside.
    fn read_world(&mut self, world: Option<SavedWorld>) -> Option<Result<cmk_core::World, (Error, Aside)>> {
        match world? {
            SavedWorld::Parts { meta, texts } => {
                // The meta and texts are small: show the world now, and read the records (the
                // bulk) after; requests wait for them (SPEC PG-3, issue 12 item 4).
                let texts_by_id: BTreeMap<&str, &String> =
                    cmk_core::map_from(texts.iter().map(|(id, text)| (id.as_str(), text)));
                match stored::decode_without_records(&meta, |id| texts_by_id.get(id).map(|t| (*t).clone())) {
                    Ok(world) => {
                        self.emit(Effect::ReadRecords);
                        self.save.records_asked = self.now();
                        self.save.unread = Some((meta, texts));
                        Some(Ok(world))
                    }
                    Err(e) => Some(Err((e, Aside::Parts { meta, texts, records: Vec::new() }))),
                }
            }
            // A save from before the split: the first save writes it in parts.
            SavedWorld::Envelope(text) => Some(envelope::decode(&text).map_err(|e| (e, Aside::Envelope(text)))),
        }
    }

    /// The records are in: attach them, or, damaged, set the world shown aside with them.
    pub(super) fn records(&mut self, result: Result<Vec<(String, Vec<u8>)>, String>) {
        let (asked, read) = (self.save.records_asked, self.now());
        let Some((meta, texts)) = self.save.unread.take() else { return };
        let (records, attached) = match result {
            Ok(records) => {
                let records: BTreeMap<String, Vec<u8>> = cmk_core::map_from(records);
                let attached = match &mut self.loaded {
                    Loaded::Session(session) => session.attach_records(&records),
                    _ => Ok(()),
                };
                (records, attached)
            }
            Err(e) => (BTreeMap::new(), Err(Error::new(ErrorCode::CorruptState, e))),
        };
        match attached {
            Ok(()) => {
                if let Loaded::Session(session) = &self.loaded {
                    self.save.stored = Stored::holding(session.world());
                }
            }
            Err(e) => {
                // Damaged records: the world shown goes; the save is kept aside whole.
                let aside = Aside::Parts { meta, texts, records: records.into_iter().collect() };
                self.loaded = Loaded::Problem { message: e.message().into(), aside };
                for page in self.pages.clone() {
                    self.respond(page, Response::LoadProblem { message: e.message().into() });
                }
            }
        }
        let attached = self.now() - asked;
        self.emit(Effect::Stat(Stat::Load(vec![("records", read - asked), ("attached", attached)])));
    }

    /// Saves what moved since the last save: the world's changed parts when its revision moved,
    /// the session when its generation did. Reads, refused commands and shell lines that changed
    /// nothing write nothing. One save at a time: a change meanwhile saves again after it.
    pub(super) fn save_if_changed(&mut self) {
        let Loaded::Session(session) = &self.loaded else { return };
        if !self.storage || self.save.unread.is_some() || self.save.keeping_aside() {
            return;
        }
        if self.save.in_flight.is_some() {
            self.save.again = true;
            return;
        }
        let started = self.now();
        let (revision, generation) = (session.world().revision(), session.generation());
        let mut write = Write::default();
        let mut landed = InFlight { stored: None, revision: None, generation: None, started, prepared: 0.0, bytes: 0 };
        let mut problems = Vec::new();
        if self.save.revision != Some(revision) {
            match self.save.stored.changes(session.world()) {
                Ok((changes, next)) => {
                    write.world = Some(changes);
                    landed.stored = Some(next);
                    landed.revision = Some(revision);
                }
                Err(e) => problems.push(e.message().to_string()),
            }
        }
        if self.save.generation != Some(generation) {
            match serde_json::to_string(&session.saved()) {
                Ok(text) => {
                    write.session = Some(text);
                    landed.generation = Some(generation);
                }
                Err(e) => problems.push(e.to_string()),
            }
        }
        if !problems.is_empty() {
            // Cannot happen with a sound world; if it does, it is said like a refused save.
            self.failed(Part::World, format!("the save could not be prepared: {}", problems.join("; ")));
        }
        if write.world.is_none() && write.session.is_none() {
            return;
        }
        landed.bytes = write.bytes();
        landed.prepared = self.now() - started;
        self.save.in_flight = Some(landed);
        self.emit(Effect::Save(write));
    }

    /// The save in flight ended. A refused one left the previous save whole (the store's
    /// writes are transactions), so what it holds is still what it was: the save is tried again
    /// on its own and at the next change, writing everything since the last save that landed.
    pub(super) fn saved(&mut self, result: Result<(), String>) {
        let landed = self.save.in_flight.take();
        match result {
            Ok(()) => {
                if let Some(landed) = landed {
                    if let Some(stored) = landed.stored {
                        self.save.stored = stored;
                    }
                    self.save.revision = landed.revision.or(self.save.revision);
                    self.save.generation = landed.generation.or(self.save.generation);
                    let (prepared, total, bytes) = (landed.prepared, self.now() - landed.started, landed.bytes);
                    self.emit(Effect::Stat(Stat::Save { prepared, total, bytes }));
                }
                self.landed(Part::World);
            }
            Err(message) => self.failed(Part::World, message),
        }
        if std::mem::take(&mut self.save.again) {
            self.save_if_changed();
        }
    }

    /// A write other than the world's ended.
    pub(super) fn wrote(&mut self, part: Part, result: Result<(), String>) {
        if part == Part::Aside {
            self.save.aside_in_flight = false;
            if result.is_ok() {
                self.save.asides.remove(0);
            }
        }
        match result {
            Ok(()) => {
                self.landed(part);
                // What waited for it goes now (each write still waits while a keep-aside is due).
                self.write_pending();
            }
            Err(message) => {
                if part == Part::Files {
                    self.save.files_dirty = true;
                }
                self.failed(part, message);
            }
        }
    }

    /// Writes everything that has not landed: the next save to keep aside, the files, the world
    /// (at a retry, and when a keep-aside landed; each waits while a keep-aside is due).
    pub(super) fn write_pending(&mut self) {
        self.write_aside();
        if std::mem::take(&mut self.save.files_dirty) {
            self.save_files();
        }
        self.save_if_changed();
    }

    /// A write failed: say so to every page, naming all that is not saved (the banner offers
    /// Export), and try again 2 s, 4 s, … up to a minute later.
    pub(super) fn failed(&mut self, part: Part, message: String) {
        self.save.failing.insert(part);
        if part == Part::Aside {
            // The world's save waits for it: the playground's changes are not saved either.
            self.save.failing.insert(Part::World);
        }
        self.save.why = message;
        self.tell_failing();
        self.log(self.save.why.clone());
        if !self.save.retry_scheduled {
            self.save.retry_scheduled = true;
            let wait = self.save.retry_after;
            self.save.retry_after = (wait * 2.0).min(LONGEST_RETRY_MS);
            let at = self.now() + wait;
            self.emit(Effect::RetryAt { at });
        }
    }

    /// Tells every page what is not being saved, and why.
    fn tell_failing(&mut self) {
        // Made again for each page rather than cloned: cloning a `Response` would link the
        // clone of every answer and view part into the worker.
        let Some(Response::SaveFailed { message, aside }) = self.failing_response() else { return };
        for page in self.pages.clone() {
            self.respond(page, Response::SaveFailed { message: message.clone(), aside });
        }
    }

    /// What is not being saved, as the banner says it (none when everything landed).
    pub(super) fn failing_response(&self) -> Option<Response> {
        if self.save.failing.is_empty() {
            return None;
        }
        let what: Vec<&str> = [Part::World, Part::Files, Part::Aside]
            .into_iter()
            .filter(|part| self.save.failing.contains(*part))
            .map(|part| match part {
                Part::World => "the playground's changes",
                Part::Files => "the Cloud Shell's uploaded files",
                Part::Aside => "the unreadable save, which is to be kept aside",
            })
            .collect();
        let aside = self.save.failing.contains(Part::Aside) || self.save.keeping_aside();
        let mut message =
            format!("Not saved in this browser: {} ({}).", what.join(", "), self.save.why.trim_end_matches('.'));
        if aside {
            message.push_str(
                " Nothing has been deleted: the new playground is not saved until the unreadable save is kept aside.",
            );
        }
        Some(Response::SaveFailed { message, aside })
    }

    /// A write landed: once every kind that failed has landed again, tell the pages changes are
    /// kept again.
    pub(super) fn landed(&mut self, part: Part) {
        if !self.save.failing.remove(part) {
            return;
        }
        if self.save.failing.is_empty() {
            self.save.retry_after = FIRST_RETRY_MS;
            for page in self.pages.clone() {
                self.respond(page, Response::SaveRecovered);
            }
        } else {
            // Still failing: the banner names what is left.
            self.tell_failing();
        }
    }
}
