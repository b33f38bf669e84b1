//! The simulation's own machinery, owned by neither cloud: the queue of one-shot events each
//! side keeps for the clock, and the activity log of what happened on its own (SPEC PG-1).

use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use crate::time::SimTime;

/// An event waiting for the clock.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scheduled<E> {
    pub at: SimTime,
    pub event: E,
}

/// One-shot events in the order they were scheduled; the earliest (first scheduled on a tie)
/// runs first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Queue<E> {
    items: Vec<Scheduled<E>>,
}

impl<E> Default for Queue<E> {
    fn default() -> Self {
        Self { items: Vec::new() }
    }
}

impl<E> Queue<E> {
    pub fn push(&mut self, at: SimTime, event: E) {
        self.items.push(Scheduled { at, event });
    }

    /// When the earliest event falls due, and its place (for [`Queue::take`]).
    pub fn next(&self) -> Option<(SimTime, usize)> {
        let mut best: Option<(SimTime, usize)> = None;
        for (i, s) in self.items.iter().enumerate() {
            if best.is_none_or(|(b, _)| s.at < b) {
                best = Some((s.at, i));
            }
        }
        best
    }

    pub fn take(&mut self, place: usize) -> Option<Scheduled<E>> {
        (place < self.items.len()).then(|| self.items.remove(place))
    }

    pub fn iter(&self) -> impl Iterator<Item = &Scheduled<E>> {
        self.items.iter()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// Something that happened on its own, for the activity log and `sim clock advance`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Activity {
    pub at: String,
    pub kind: String,
    pub resource: String,
    pub message: String,
}

/// The activity log, oldest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Log {
    entries: Vec<Activity>,
}

impl Log {
    pub fn record(&mut self, at: SimTime, kind: &str, resource: &str, message: String) {
        self.entries.push(Activity { at: at.to_iso(), kind: kind.into(), resource: resource.into(), message });
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &Activity> {
        self.entries.iter()
    }

    /// What was recorded from position `from` on.
    pub fn since(&self, from: usize) -> &[Activity] {
        self.entries.get(from..).unwrap_or_default()
    }
}

/// One entry of Azure's activity log: a management operation someone made, as Azure Monitor
/// records it (SPEC PG-1). Key operations are data-plane operations: Azure keeps them in a
/// vault's diagnostic logs, not here.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Operation {
    pub at: SimTime,
    /// The operation's name as the activity log shows it ("Delete role assignment").
    pub name: String,
    /// The ARM action (`Microsoft.Authorization/roleAssignments/delete`): `operationName.value`.
    #[serde(default)]
    pub action: String,
    /// The ARM id it acted on.
    pub resource: String,
    /// Who made it: the persona's sign-in name.
    pub caller: String,
}

/// `{"value", "localizedValue"}`, as Azure Monitor writes names.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Localized<'a> {
    value: &'a str,
    localized_value: &'a str,
}

/// One event as `az monitor activity-log list` prints it (the fields the simulation knows).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Event<'a> {
    caller: &'a str,
    category: Localized<'a>,
    event_timestamp: String,
    level: &'a str,
    operation_name: Localized<'a>,
    resource_group_name: &'a str,
    resource_id: &'a str,
    status: Localized<'a>,
    subscription_id: &'a str,
}

impl Operation {
    /// Whether it acted on `scope` or on something under it (ARM ids compare without case).
    pub fn is_under(&self, scope: &str) -> bool {
        let (r, s) = (self.resource.to_ascii_lowercase(), scope.to_ascii_lowercase());
        r == s || r.strip_prefix(&s).is_some_and(|rest| rest.starts_with('/'))
    }

    /// The resource group its resource is in, if any.
    pub fn resource_group(&self) -> &str {
        self.resource.split('/').skip_while(|p| !p.eq_ignore_ascii_case("resourceGroups")).nth(1).unwrap_or_default()
    }

    /// The event as Azure Monitor gives it (`az monitor activity-log list`, the portal's JSON).
    pub fn event(&self, subscription_id: &str) -> serde_json::Value {
        let ok = Localized { value: "Succeeded", localized_value: "Succeeded" };
        let event = Event {
            caller: &self.caller,
            category: Localized { value: "Administrative", localized_value: "Administrative" },
            event_timestamp: self.at.to_iso(),
            level: "Informational",
            operation_name: Localized { value: &self.action, localized_value: &self.name },
            resource_group_name: self.resource_group(),
            resource_id: &self.resource,
            status: ok,
            subscription_id,
        };
        serde_json::to_value(event).unwrap_or_default()
    }
}
