//! The page's state: the latest view from the worker, commands in flight, finished results and
//! the notifications the portal shows for them.

use std::collections::BTreeMap;
use std::rc::Rc;

use cmk_core::view::ViewPatch;
use cmk_core::{Error, View};
use cmk_worker::{Answer, Response};
use yew::Reducible;

use crate::context::SharedView;

#[derive(Clone, Debug, PartialEq)]
pub enum Phase {
    /// Waiting for the worker to read the save.
    Starting,
    Ready {
        restored: bool,
    },
    /// The worker never answered (it could not start): nothing ran, the save is untouched.
    DidNotStart,
    /// The worker stopped (a panic or an error in it), saying why.
    Failed {
        message: String,
    },
    /// The save could not be loaded; the person must decide.
    LoadProblem {
        message: String,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Completed {
    pub label: String,
    pub result: Result<Answer, Error>,
    pub millis: f64,
}

impl Completed {
    /// A click's outcome as the core typed it; `None` for an error or an answer that is not a
    /// click's.
    pub fn outcome(&self) -> Option<&cmk_core::Outcome> {
        match &self.result {
            Ok(Answer::Outcome(outcome)) => Some(outcome),
            _ => None,
        }
    }

    /// A click's outcome in the service's JSON shape (what the portal's JSON views show);
    /// `None` for an error or an answer that is not a click's.
    pub fn outcome_json(&self) -> Option<serde_json::Value> {
        match &self.result {
            Ok(Answer::Outcome(outcome)) => serde_json::to_value(outcome).ok(),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Notification {
    pub id: u64,
    pub title: String,
    pub detail: String,
    pub status: NotificationStatus,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotificationStatus {
    InProgress,
    Succeeded,
    Failed,
}

/// How many successful answers the page keeps (pages look up only their latest requests, and
/// an answer can be large: an Export is a whole world as text).
pub const KEPT_RESULTS: usize = 64;

/// How many refusals it keeps besides those: they are small, and shown where they were asked
/// for (under a form's button, beside a role assignment) for as long as that page stays open —
/// which may be many commands later, a runbook in the Cloud Shell beside it, say.
pub const KEPT_REFUSALS: usize = 256;

/// Finished results by request id, newest last. Shared with the pages: a round trip copies the
/// map of `Rc`s once, never the results themselves.
pub type Results = Rc<BTreeMap<u64, Rc<Completed>>>;

#[derive(Clone, Debug, PartialEq)]
pub struct Store {
    pub phase: Phase,
    pub view: Option<SharedView>,
    pub pending: Rc<BTreeMap<u64, String>>,
    pub results: Results,
    /// The requests whose answers the Cloud Shell's log shows (`Action::Keep`).
    held: Rc<Vec<u64>>,
    pub notifications: Vec<Notification>,
    /// Every notice that ended (succeeded, started on the clock, failed), newest first: the bell
    /// keeps them after their toast is closed or has left.
    pub notices: Rc<Vec<Notification>>,
    pub save_problem: Option<String>,
    /// The unreadable save has not been kept aside yet (the banner offers to export it).
    pub aside_unsaved: bool,
    /// Parts of the save that could not be read and were kept aside at load.
    pub kept_aside: Vec<String>,
    /// Counts the page's own toasts (an operation that ended), for their ids.
    toast_id: u64,
}

impl Default for Store {
    fn default() -> Self {
        Self {
            phase: Phase::Starting,
            view: None,
            pending: Rc::default(),
            results: Rc::default(),
            held: Rc::default(),
            notifications: Vec::new(),
            notices: Rc::default(),
            save_problem: None,
            aside_unsaved: false,
            kept_aside: Vec::new(),
            toast_id: 0,
        }
    }
}

#[derive(Debug)]
pub enum Action {
    /// A command went to the worker; `quiet` ones (reads) raise no notification.
    Sent {
        id: u64,
        label: String,
        quiet: bool,
    },
    /// The requests whose answers the Cloud Shell's log shows: kept outside the
    /// bounds for as long as it shows them (a runbook's first lines keep their output).
    Keep(Vec<u64>),
    Worker(Box<Response>),
    Dismiss(u64),
    /// The start deadline passed: if the worker has still not answered, say so.
    StartDeadline,
    /// The worker reported its own failure (the first report counts).
    WorkerFailed(String),
    /// The person went to another page or switched persona.
    Moved,
}

impl Reducible for Store {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        if matches!(&action, Action::Keep(ids) if *ids == *self.held) {
            return self;
        }
        let mut next = (*self).clone();
        match action {
            Action::WorkerFailed(message) => {
                if !matches!(next.phase, Phase::Failed { .. }) {
                    next.phase = Phase::Failed { message };
                }
            }
            Action::StartDeadline => {
                if next.phase == Phase::Starting {
                    next.phase = Phase::DidNotStart;
                }
            }
            Action::Sent { id, label, quiet } => {
                if !quiet {
                    next.notifications.insert(
                        0,
                        Notification {
                            id,
                            title: format!("{label}…"),
                            detail: "In progress".into(),
                            status: NotificationStatus::InProgress,
                        },
                    );
                }
                Rc::make_mut(&mut next.pending).insert(id, label);
            }
            Action::Keep(ids) => {
                // What the log no longer shows goes (Ctrl+L, Restart).
                let results = Rc::make_mut(&mut next.results);
                for id in next.held.iter().filter(|id| !ids.contains(id)) {
                    results.remove(id);
                }
                next.held = Rc::new(ids);
            }
            Action::Worker(response) => next.apply(*response),
            Action::Dismiss(id) => next.notifications.retain(|n| n.id != id),
            // Another page or persona: the last one's failures go (they stay until closed, but not
            // across pages); successes leave by themselves, and running ones stay.
            Action::Moved => next.notifications.retain(|n| n.status != NotificationStatus::Failed),
        }
        next.notifications.truncate(8);
        next.keep_notices();
        Rc::new(next)
    }
}

/// The labels of requests that replace the world (an operation gone from it did not end).
fn replaces_world(label: &str) -> bool {
    matches!(label, "Undo" | "Import" | "Reset playground" | "Start scenario" | "Open shared scenario")
}

/// The encryption operations running in `view`: each environment's id and "Operation on 'name'".
fn running_operations(view: Option<&View>) -> Vec<(String, String)> {
    let Some(view) = view else { return Vec::new() };
    view.upcoming
        .iter()
        .filter_map(|p| {
            let progress = p.progress.as_ref()?;
            let name = view
                .environments
                .iter()
                .find(|e| e.summary.id == p.target)
                .map_or(p.target.as_str(), |e| e.summary.name.as_str());
            Some((p.target.clone(), format!("{} on '{name}'", progress.operation)))
        })
        .collect()
}

/// How many notices the bell keeps.
pub const KEPT_NOTICES: usize = 50;

impl Store {
    /// Toasts that have ended join the bell's notices (once each, by id), whatever then happens
    /// to the toast.
    fn keep_notices(&mut self) {
        let new: Vec<Notification> = self
            .notifications
            .iter()
            .filter(|n| {
                n.status != NotificationStatus::InProgress
                    && !self.notices.iter().any(|k| k.id == n.id && k.title == n.title)
            })
            .cloned()
            .collect();
        if new.is_empty() {
            return;
        }
        let notices = Rc::make_mut(&mut self.notices);
        for n in new.into_iter().rev() {
            notices.insert(0, n);
        }
        notices.truncate(KEPT_NOTICES);
    }

    /// Operations that ran in the view shown and are gone from `next`: a toast for each, with
    /// the environment's status now (the first said it started).
    fn operations_ended(&mut self, next: &View) {
        let now_running = running_operations(Some(next));
        for (target, what) in running_operations(self.view.as_deref()) {
            if now_running.iter().any(|(t, _)| *t == target) {
                continue;
            }
            let status = next
                .environments
                .iter()
                .find(|e| e.summary.id == target)
                .map_or_else(|| "gone".to_string(), |e| e.summary.encryption_status.clone());
            let failed = status == "Failed";
            self.toast_id += 1;
            self.notifications.insert(
                0,
                Notification {
                    id: u64::MAX / 2 + self.toast_id,
                    title: format!("{what}: {}", if failed { "failed" } else { "ended" }),
                    detail: format!("Encryption status: {status}."),
                    status: if failed { NotificationStatus::Failed } else { NotificationStatus::Succeeded },
                },
            );
        }
    }

    /// The view held, with what changed taken in (a page that has none starts from nothing).
    fn patched(&self, patch: ViewPatch) -> View {
        let mut view = self.view.as_deref().cloned().unwrap_or_default();
        view.apply(patch);
        view
    }

    fn apply(&mut self, response: Response) {
        match response {
            Response::Ready { view, restored } => {
                self.phase = Phase::Ready { restored };
                self.view = Some(SharedView(Rc::new(self.patched(view))));
            }
            Response::LoadProblem { message } => self.phase = Phase::LoadProblem { message },
            Response::Done { id, label, result, view, millis, note } => {
                Rc::make_mut(&mut self.pending).remove(&id);
                // Nothing changed: the same view, so nothing that shows it renders again.
                let view = match (&self.view, view.is_empty()) {
                    (Some(same), true) => same.clone(),
                    _ => SharedView(Rc::new(self.patched(view))),
                };
                // Operations this request started on the clock (an environment being encrypted):
                // its toast says it started, and another one says when each ends.
                let before = running_operations(self.view.as_deref());
                let started: Vec<String> = running_operations(Some(&view))
                    .into_iter()
                    .filter(|(target, _)| !before.iter().any(|(t, _)| t == target))
                    .map(|(_, what)| what)
                    .collect();
                if result.is_ok() {
                    // A success takes back the failures of the same action it follows.
                    let failed = format!("{label}: failed");
                    self.notifications.retain(|n| !(n.status == NotificationStatus::Failed && n.title == failed));
                    if !replaces_world(&label) {
                        self.operations_ended(&view);
                    }
                }
                if let Some(n) = self.notifications.iter_mut().find(|n| n.id == id) {
                    match &result {
                        Ok(_) if !started.is_empty() => {
                            n.title = format!("{label}: started");
                            n.detail = format!(
                                "{} runs on the simulated clock; a second notification says when it ends.",
                                started.join("; ")
                            );
                            n.status = NotificationStatus::Succeeded;
                        }
                        Ok(_) => {
                            n.title = format!("{label}: succeeded");
                            n.detail = format!("Completed in {:.1} s", millis / 1000.0);
                            if let Some(note) = &note {
                                n.detail = format!("{}. {note}", n.detail);
                            }
                            n.status = NotificationStatus::Succeeded;
                        }
                        Err(e) => {
                            n.title = format!("{label}: failed");
                            n.detail = format!("{}: {}", e.code(), e.message());
                            n.status = NotificationStatus::Failed;
                        }
                    }
                }
                let refused = result.is_err();
                let results = Rc::make_mut(&mut self.results);
                results.insert(id, Rc::new(Completed { label, result, millis }));
                // The oldest of its kind goes: a success makes room among successes, a refusal
                // among refusals; what the Cloud Shell's log shows stays while it shows it (an
                // answer that came before the log said so included).
                let held = &self.held;
                let kind = || results.iter().filter(|(id, r)| r.result.is_err() == refused && !held.contains(id));
                if kind().count() > if refused { KEPT_REFUSALS } else { KEPT_RESULTS } {
                    if let Some(oldest) = kind().next().map(|(id, _)| *id) {
                        results.remove(&oldest);
                    }
                }
                self.view = Some(view);
            }
            Response::SaveFailed { message, aside } => {
                self.save_problem = Some(message);
                self.aside_unsaved = aside;
            }
            Response::SaveRecovered => {
                self.save_problem = None;
                self.aside_unsaved = false;
            }
            Response::Stopped { message } => {
                if !matches!(self.phase, Phase::Failed { .. }) {
                    self.phase = Phase::Failed { message };
                }
            }
            Response::PartKeptAside { message } => {
                if !self.kept_aside.contains(&message) {
                    self.kept_aside.push(message);
                }
            }
            Response::Malformed { reason } => self.notifications.insert(
                0,
                Notification {
                    // Far from the page's own ids (they count up from 1).
                    id: u64::MAX - self.notifications.len() as u64,
                    title: "The page and the simulated cloud did not understand each other".into(),
                    detail: format!("{reason}. Reload the page to load matching versions of both."),
                    status: NotificationStatus::Failed,
                },
            ),
        }
    }
}
