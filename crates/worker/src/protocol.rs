//! Messages between the page and the worker.

use cmk_core::view::{ViewPatch, WhatIfView};
use cmk_core::{Command, Error, Outcome};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// Sent once on start: the worker answers `Ready` or `LoadProblem` once the save is read.
    Hello,
    /// Run a command as the signed-in persona. `id` is the page's, echoed in `Done`.
    Execute { id: u64, command: Command },
    /// The saved state could not be loaded: keep it aside under another name and start a new world.
    StartFresh,
    /// What this run kept aside (the unreadable save, or the part of it that could not be read),
    /// as a file's text; answered with `Done`.
    ExportAside { id: u64 },
    /// One line of the Cloud Shell language, run as the signed-in persona; answered with `Done`.
    Shell { id: u64, line: String },
    /// The world as a save file (the versioned envelope); answered with `Done`, the text as result.
    Export { id: u64 },
    /// Replace the world with a save file, after checking it; a bad file changes nothing.
    Import { id: u64, text: String },
    /// What a command would do, on a copy of the world 35 days ahead; answered with `Done`, the
    /// report as result. The world is untouched.
    WhatIf { id: u64, command: Command },
    /// Start over with a new world (the Cloud Shell's files stay).
    ResetPlayground { id: u64 },
    /// Take back the last step (the world is rebuilt by replay); answered with `Done`.
    Undo { id: u64 },
    /// The session as a `.cmk` script (or, with `powershell`, a `.ps1` one); answered with
    /// `Done`, the text as result.
    ExportScript {
        id: u64,
        #[serde(default, skip_serializing_if = "core::ops::Not::not")]
        powershell: bool,
    },
    /// The session's script as a share code (deflated, base64url) for a link's hash.
    ShareLink { id: u64 },
    /// What a share code carries: `{script, lines}`; nothing changes.
    ReadShare { id: u64, code: String },
    /// Replace the world by an empty one built by running `script` (an opened share link).
    RunScript { id: u64, script: String },
    /// Start a guided scenario from its prepared world (replaces the world).
    StartScenario { id: u64, scenario: String },
    /// Not sent by the page: what the codec makes of a message it could not read.
    Malformed { reason: String },
    /// What Tab offers for a Cloud Shell line (nothing changes); answered with `Done`.
    Complete { id: u64, line: String },
    /// A file uploaded to the Cloud Shell's file store (templates, PEM and JWK keys), for
    /// `--template-file`, `--pem-file` and `--value @FILE`; answered with `Done`.
    /// `name` may hold folders (`Cmk/script.ps1`). With `archive`, `text` is a .zip archive's
    /// bytes in base64: its files go into the store with their folders, all or none.
    PutFile {
        id: u64,
        name: String,
        text: String,
        #[serde(default, skip_serializing_if = "core::ops::Not::not")]
        archive: bool,
    },
    /// A file of the Cloud Shell's store (uploaded, or written by a command of the session), for
    /// Download and the Editor; answered with `Done`, the text as result. Nothing changes.
    ReadFile { id: u64, name: String },
    /// The store's files, as `ls` lists them (the Download dialog's folder view); answered with
    /// `Done`, the text as result. Nothing changes, and the shell's history does not grow.
    ListFiles { id: u64 },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Response {
    /// The whole view (a page that says Hello gets everything).
    Ready { view: ViewPatch, restored: bool },
    /// The save exists but cannot be used; nothing will be written until the person decides.
    LoadProblem { message: String },
    Done {
        id: u64,
        label: String,
        /// What the request answered, or the core's error (matched by its `ErrorCode`).
        result: Result<Answer, Error>,
        /// What changed in the view since the last one this page got (often nothing).
        view: ViewPatch,
        /// Worker time spent, in milliseconds (key generation included).
        millis: f64,
        /// What the page should add to the notification (where a key's material came from).
        #[serde(default)]
        note: Option<String>,
    },
    /// Saving to IndexedDB failed: the world in memory is fine, but a reload would lose changes.
    /// `message` names what is not saved and why; `aside`: the unreadable save has not been kept
    /// aside yet (the page offers to export it).
    SaveFailed {
        message: String,
        #[serde(default)]
        aside: bool,
    },
    /// Part of the save (the session, the Cloud Shell's files) could not be read: it is kept
    /// aside and the rest loaded. Sent after `Ready`.
    PartKeptAside { message: String },
    /// A save succeeded after one had failed: changes are kept again.
    SaveRecovered,
    /// The worker failed and stops (sent straight, besides the broadcast channel, by
    /// `fault`); the page shows what happened.
    Stopped { message: String },
    /// A message could not be read (by the worker, or by the page from the worker).
    Malformed { reason: String },
}

/// What a finished request answers, typed as the core made it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Answer {
    /// A click's result (`Request::Execute`), as the core's `Outcome`.
    Outcome(#[serde(with = "crate::codec::boxed_outcome")] Box<Outcome>),
    /// Text that is the product: what a Cloud Shell line prints, an exported save, a `.cmk` script.
    Text(String),
    /// What a command would do (`Request::WhatIf`).
    WhatIf(Box<WhatIfView>),
    /// A save file replaced the world; `now` is its clock.
    Imported { now: String },
    /// A new world.
    Reset,
    /// The step taken back (its line).
    Undone { undone: String },
    /// The session's share code, and whether it replays to this same world.
    ShareCode { code: String, replayable: bool },
    /// What a share code carries.
    Shared { script: String, lines: usize },
    /// A world built from a script: its lines, and how many of them failed.
    ScriptRan { lines: usize, failed: usize },
    /// A guided scenario started.
    Scenario { scenario: String, title: String },
    /// A file stored in the Cloud Shell's file store.
    Uploaded { name: String, bytes: usize },
    /// What Tab offers for a Cloud Shell line.
    Completion(cmk_core::shell::Completion),
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Untagged, a JSON answer shaped like a user would come back as `Outcome::User`.
    #[test]
    fn an_outcome_comes_back_as_the_variant_the_core_made() {
        let user = cmk_core::view::UserView::default();
        let json = Outcome::Json(serde_json::to_value(Outcome::User(user.clone())).unwrap());
        for outcome in [Outcome::User(user), json] {
            let answer = Answer::Outcome(Box::new(outcome));
            let wire = serde_json::to_string(&answer).unwrap();
            assert_eq!(serde_json::from_str::<Answer>(&wire).unwrap(), answer);
        }
    }
}
