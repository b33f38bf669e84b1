//! What every page reads: the view, the results, and the door to send commands through.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::rc::Rc;

use cmk_core::{Command, View};
use yew::prelude::*;

use crate::store::Results;

/// The view as the page holds it: shared, and compared by identity. The store makes a new one
/// only when the worker says something changed (an answer that changed nothing keeps the one
/// held), so comparing two is a pointer check, never a walk through every environment.
#[derive(Clone, Debug, Default)]
pub struct SharedView(pub Rc<View>);

impl PartialEq for SharedView {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl std::ops::Deref for SharedView {
    type Target = View;
    fn deref(&self) -> &View {
        &self.0
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct AppContext {
    pub view: SharedView,
    pub results: Results,
    pub pending: Rc<BTreeMap<u64, String>>,
    /// Sends a command to the worker; returns its request id (to find it in `results`).
    pub send: Callback<Command, u64>,
    /// Like `send`, for reads that should not raise a notification.
    pub query: Callback<Command, u64>,
    /// Runs one Cloud Shell line; returns its request id.
    pub shell: Callback<String, u64>,
    /// Puts a file (name, text) in the Cloud Shell's file store; returns its request id.
    pub upload: Callback<(String, String), u64>,
    /// Export, import or reset the whole playground; returns the request id.
    pub playground: Callback<Playground, u64>,
    /// Asks what a command would do (on a copy of the world); returns the request id.
    pub what_if: Callback<Command, u64>,
    /// The requests whose answers the Cloud Shell's log shows: the store keeps them, outside
    /// its bounds, for as long as the log shows them.
    pub keep: Callback<Vec<u64>>,
}

/// What can be done to the playground as a whole.
#[derive(Clone, Debug, PartialEq)]
pub enum Playground {
    Export,
    Import(String),
    Reset,
    /// Take back the last step.
    Undo,
    /// The session as a `.cmk` script.
    ExportScript,
    /// The session as a PowerShell script.
    ExportPowerShell,
    /// The session's share code, for a link.
    ShareLink,
    /// What a share code carries (nothing changes).
    ReadShare(String),
    /// Replace the world by one built from this script.
    RunScript(String),
    /// Start a guided scenario (its id) from its prepared world.
    StartScenario(String),
    /// What this run kept aside (an unreadable save or part of one), as a file.
    ExportAside,
    /// What Tab offers for a Cloud Shell line (nothing changes).
    Complete(String),
    /// A file of the Cloud Shell's store, for Download and the Editor (nothing changes).
    ReadFile(String),
    /// The store's files, as `ls` lists them (nothing changes).
    ListFiles,
}

impl Playground {
    /// The label of the request, as results carry it.
    pub fn label(&self) -> &'static str {
        match self {
            Self::Export => "Export",
            Self::Import(_) => "Import",
            Self::Reset => "Reset playground",
            Self::Undo => "Undo",
            Self::ExportScript => "Export script",
            Self::ExportPowerShell => "Export PowerShell",
            Self::ShareLink => "Share link",
            Self::ReadShare(_) => "Open share link",
            Self::RunScript(_) => "Open shared scenario",
            Self::StartScenario(_) => "Start scenario",
            Self::ExportAside => "Export the unreadable save",
            Self::Complete(_) => "Complete",
            Self::ReadFile(_) => "Read file",
            Self::ListFiles => "List files",
        }
    }
}

thread_local! {
    static RENDERS: Cell<u64> = const { Cell::new(0) };
}

/// How many times a consumer of the context (every page, the clock bar, the Cloud Shell) has
/// rendered so far: a page re-renders only when what it reads changed, and the wasm tests count.
pub fn renders() -> u64 {
    RENDERS.with(Cell::get)
}

/// The app context. Pages are only rendered inside its provider; outside one they see an empty
/// view and their commands go nowhere (no panic, no world linked into the page).
#[hook]
pub fn use_app() -> AppContext {
    RENDERS.with(|r| r.set(r.get() + 1));
    use_context::<AppContext>().unwrap_or_else(|| AppContext {
        view: SharedView::default(),
        results: Rc::default(),
        pending: Rc::default(),
        send: Callback::from(|_| 0),
        query: Callback::from(|_| 0),
        shell: Callback::from(|_| 0),
        upload: Callback::from(|_| 0),
        playground: Callback::from(|_| 0),
        what_if: Callback::from(|_| 0),
        keep: Callback::noop(),
    })
}
