//! The notifications bell: what happened on its own (rotations, pickups, expiry warnings, locks,
//! deletions, finished and failed operations, ROT-2 warnings), newest first, each with a link to
//! the resource.

use cmk_core::view::{Activity, View};
use yew::prelude::*;

use crate::pages::ppac::when;
use crate::route::{EnvironmentTab, PpacRoute, Route};
use crate::store::{Notification, NotificationStatus};

/// Where an activity's resource lives in the portals.
fn link(view: &View, a: &Activity) -> Option<Route> {
    let r = a.resource.as_str();
    if let Some(e) = view.environments.iter().find(|d| d.summary.id == r) {
        return Some(Route::Ppac(PpacRoute::Environment { id: e.summary.id.clone(), tab: EnvironmentTab::Details }));
    }
    if let Some(rest) = r.strip_prefix("https://") {
        // A kid: https://{vault}.vault.azure.net/keys/{key}/{version}
        let (host, path) = rest.split_once('/')?;
        let vault = host.split('.').next()?.to_string();
        let mut parts = path.split('/');
        return match (parts.next(), parts.next(), parts.next()) {
            (Some("keys"), Some(key), Some(version)) => {
                Some(Route::KeyVersion { vault, key: key.into(), version: version.into() })
            }
            (Some("keys"), Some(key), None) => Some(Route::Key { vault, key: key.into() }),
            _ => Some(Route::Vault { vault }),
        };
    }
    if r.to_ascii_lowercase().contains("/providers/microsoft.powerplatform/enterprisepolicies/") {
        return Some(Route::EnterprisePolicy { name: r.rsplit('/').next()?.to_string() });
    }
    view.vaults
        .iter()
        .find(|l| l.vault.name.eq_ignore_ascii_case(r))
        .map(|l| Route::Vault { vault: l.vault.name.clone() })
}

fn tone(kind: &str) -> &'static str {
    match kind {
        "EnvironmentLocked" | "EnvironmentDeleted" | "EncryptionFailed" | "RotationFailed" | "RotationPickupFailed" => {
            "act-bad"
        }
        "KeyExpiresSoon" | "KeyNearExpiry" | "KeyVersionInUse" | "PolicyKeyNotEligible" => "act-warn",
        _ => "act-ok",
    }
}

#[derive(Properties, PartialEq)]
pub struct BellProps {
    pub view: crate::context::SharedView,
    /// What the person asked for and how it ended, newest first (the toasts, kept).
    #[prop_or_default]
    pub notices: std::rc::Rc<Vec<Notification>>,
}

#[function_component(Bell)]
pub fn bell(props: &BellProps) -> Html {
    let open = use_state(|| false);
    // How many there were when the panel was last opened: the badge counts the rest.
    let seen = use_state(|| None::<String>);
    let v = &props.view;
    let newest = v.activity.first().map(|a| format!("{}|{}|{}", a.at, a.kind, a.message));
    let unread = match &*seen {
        None => v.activity.len(),
        Some(mark) => v.activity.iter().take_while(|a| format!("{}|{}|{}", a.at, a.kind, a.message) != *mark).count(),
    };
    let toggle = {
        let (open, seen, newest) = (open.clone(), seen.clone(), newest.clone());
        Callback::from(move |_: MouseEvent| {
            if !*open {
                seen.set(newest.clone());
            }
            open.set(!*open);
        })
    };
    let onkeydown = {
        let open = open.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                open.set(false);
            }
        })
    };
    let label = if unread > 0 { format!("Notifications, {unread} new") } else { "Notifications".to_string() };
    html! {
        <div class="bell" {onkeydown}>
            <button class="topbar-button bell-button" aria-label={label.clone()} title={label} aria-expanded={(*open).to_string()} onclick={toggle}>
                <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false"><path d="M8 2a4 4 0 0 0-4 4v3l-1.5 2h11L12 9V6a4 4 0 0 0-4-4M6.5 13a1.5 1.5 0 0 0 3 0" fill="none" stroke="currentColor" stroke-width="1.3" /></svg>
                if unread > 0 { <span class="bell-badge" data-testid="bell-badge">{ unread.min(99) }</span> }
            </button>
            if *open {
                <section class="bell-panel" aria-label="Notifications" data-testid="bell-panel">
                    <h2>{"Notifications"}</h2>
                    if !props.notices.is_empty() {
                        <h3>{"Your requests"}</h3>
                        <ul data-testid="bell-notices">
                            { for props.notices.iter().map(|n| html! {
                                <li class={classes!("activity", if n.status == NotificationStatus::Failed { "act-bad" } else { "act-ok" })}>
                                    <div class="activity-head"><strong>{ &n.title }</strong></div>
                                    <div>{ &n.detail }</div>
                                </li>
                            }) }
                        </ul>
                        <h3>{"On the clock"}</h3>
                    }
                    if v.activity.is_empty() { <p class="empty">{"Nothing has happened on its own yet. Move the clock to see rotations, locks and deletions."}</p> }
                    <ul>
                        { for v.activity.iter().map(|a| {
                            let target = link(v, a);
                            let close = { let open = open.clone(); Callback::from(move |_: MouseEvent| open.set(false)) };
                            html! {
                                <li class={classes!("activity", tone(&a.kind))}>
                                    <div class="activity-head"><strong>{ &a.kind }</strong><span class="hint">{ format!(" · {} UTC", when(&a.at)) }</span></div>
                                    <div>{ &a.message }</div>
                                    if let Some(r) = target { <a href={r.href()} onclick={close}>{"Go to resource"}</a> }
                                </li>
                            }
                        }) }
                    </ul>
                </section>
            }
        </div>
    }
}
