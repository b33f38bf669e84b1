//! What the playground itself shows: the session and its guided scenarios, the clock's pending
//! work, what-if reports and each policy's key hierarchy.

use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use super::{Activity, ErrorView};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionView {
    /// Steps recorded in the script.
    pub steps: usize,
    /// How many of them Undo can take back now.
    pub undo: usize,
    /// What Undo would take back.
    pub next_undo: Option<String>,
    /// Whether the exported script rebuilds the world from nothing (not after an import).
    pub replayable: bool,
    pub scenario: Option<ScenarioProgress>,
    /// Scenarios finished in this browser.
    pub completed: Vec<String>,
    /// Every guided scenario, for the Scenarios page.
    pub catalog: Vec<ScenarioSummary>,
    /// The lines typed in the Cloud Shell, oldest first (↑/↓), kept with the session.
    #[serde(default)]
    pub history: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScenarioSummary {
    pub id: String,
    pub title: String,
    pub goal: String,
    /// Where the seed documents describe the flow.
    pub source: String,
    pub steps: usize,
}

/// A guided scenario's checklist, ticked from the world's state.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScenarioProgress {
    pub id: String,
    pub title: String,
    pub goal: String,
    pub steps: Vec<ScenarioStepView>,
    pub complete: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ScenarioStepView {
    pub text: String,
    /// The persona who does it (user principal name).
    pub persona: String,
    /// The step as Cloud Shell lines.
    pub show_me: String,
    pub done: bool,
}

/// Something waiting for the clock, with what the page needs to show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PendingOperation {
    /// When it falls due.
    pub at: String,
    /// What it is, in words.
    pub what: String,
    /// `EncryptionStep`, `DeleteEnvironment`, `PurgeVault` or `PurgeKey`.
    pub kind: String,
    /// The environment id, vault name or `vault/key` it acts on.
    pub target: String,
    /// For an encryption step: the operation's progress.
    pub progress: Option<Progress>,
}

/// How far an encryption operation has got (SPEC ENC-1, ENC-3).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    pub operation: String,
    /// The step running now (1 offline, 2 and 3 online) of `steps`.
    pub step: u8,
    pub steps: u8,
    pub started: String,
    /// Services whose data key is already under the target key.
    pub done: Vec<String>,
    /// Services the running step re-wraps.
    pub running: Vec<String>,
    /// When the environment is online again (the end of step 1).
    pub online_at: String,
    /// When the whole operation is expected to end.
    pub eta: String,
}

/// A line of `sim clock show`: when, and what.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingLine {
    pub at: String,
    pub what: String,
}

impl From<&PendingOperation> for PendingLine {
    fn from(p: &PendingOperation) -> Self {
        Self { at: p.at.clone(), what: p.what.clone() }
    }
}

/// `sim what-if` and the confirmation dialogs: what an action would do, found by running it on a
/// copy of the world and moving the copy's clock ahead (the real world is untouched).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WhatIfView {
    /// The action's own answer on the copy, or its refusal.
    pub result: Option<ErrorView>,
    /// How far the copy's clock was moved.
    pub until: String,
    /// Policies that turn Unhealthy at once, with why.
    pub unhealthy_policies: Vec<ConsequenceView>,
    /// Backups that could no longer be restored at once, with why.
    pub unrestorable_backups: Vec<ConsequenceView>,
    /// Environments locked during the horizon, when, and why.
    pub locks: Vec<ConsequenceView>,
    /// Environments deleted during the horizon, and when.
    pub deletions: Vec<ConsequenceView>,
    /// Everything that happened on its own on the copy, in order.
    pub events: Vec<Activity>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsequenceView {
    pub at: String,
    pub name: String,
    pub detail: String,
}

/// An enterprise policy's key hierarchy: vault → key → versions → identity → environments →
/// services. A `broken` field says why that link fails now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyTreeView {
    pub policy: String,
    pub policy_id: String,
    pub vault: String,
    pub managed_hsm: bool,
    pub key: String,
    /// The key is gone (deleted or purged).
    pub key_missing: bool,
    /// Newest first.
    pub versions: Vec<KeyTreeVersion>,
    pub identity: KeyTreeIdentity,
    pub environments: Vec<KeyTreeEnvironment>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyTreeVersion {
    pub version: String,
    /// Enabled, Disabled, Expired or Not yet active.
    pub status: String,
    pub current: bool,
    /// Some service's data key is wrapped with it.
    pub in_use: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyTreeIdentity {
    pub principal_id: String,
    /// Its ways to the keys (roles, access policy, HSM local roles).
    pub access: Vec<String>,
    pub network: String,
    /// Why the policy cannot reach its key now (Unhealthy), if it cannot.
    pub broken: Option<ErrorView>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyTreeEnvironment {
    pub name: String,
    pub id: String,
    pub status: String,
    pub locked: bool,
    pub deleted: bool,
    pub services: Vec<KeyTreeService>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyTreeService {
    pub label: String,
    /// What wraps its data key ("RSA-OAEP-256 with version 4485bc7e…", "AES key wrap with Microsoft's key").
    pub wrap: String,
    pub kid: Option<String>,
    /// Why the service cannot unwrap its data key now, if it cannot.
    pub broken: Option<ErrorView>,
}

/// `sim clock advance` / `run` / `show`: the time, what is waiting, and what happened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockReport {
    pub now: String,
    pub pending: Vec<PendingLine>,
    pub events: Vec<Activity>,
    /// Why the clock stopped before the time asked (the events limit), if it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stopped: Option<String>,
}
