//! Encryption status as the admin center shows it (SPEC ENC-6), with the progress of a running
//! operation taken from the core's pending operations.

use cmk_core::view::{PendingOperation, Progress};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EncryptionStatusProps {
    pub status: AttrValue,
    /// The running operation of this environment, if any.
    #[prop_or_default]
    pub pending: Option<PendingOperation>,
    /// Show the steps in full (environment page) or only a bar (lists).
    #[prop_or_default]
    pub detailed: bool,
}

/// The class for a status: running ones get a spinner, ends get a colour.
fn tone(status: &str) -> &'static str {
    match status {
        "Encrypted" => "ok",
        "Microsoft Managed key" => "neutral",
        "Failed" => "bad",
        "Warning" => "warn",
        _ => "running",
    }
}

#[function_component(EncryptionStatus)]
pub fn encryption_status(props: &EncryptionStatusProps) -> Html {
    let status = props.status.to_string();
    let running = tone(&status) == "running";
    html! {
        <span class={classes!("enc-status", tone(&status))} data-testid="encryption-status">
            if running { <span class="spinner small" aria-hidden="true"></span> }
            <span class="enc-label">{ status.clone() }</span>
            if let Some(p) = props.pending.as_ref().and_then(|p| p.progress.as_ref()) {
                { progress(p, props.detailed) }
            }
        </span>
    }
}

/// A resource's tags as the portal lists them ("env : prod"), or a dash for none (SPEC KV-14).
pub fn tags(tags: &cmk_core::view::Tags) -> Html {
    if tags.is_empty() {
        return html! { {"—"} };
    }
    html! { <>{ for tags.iter().map(|(k, v)| html! { <span class="tag">{ format!("{k} : {v}") }</span> }) }</> }
}

/// A resource's Tags blade: its name/value pairs, or "No tags".
pub fn tag_table(tags: &cmk_core::view::Tags) -> Html {
    if tags.is_empty() {
        return html! { <p class="empty" data-testid="no-tags">{"No tags"}</p> };
    }
    html! {
        <table class="grid" data-testid="tag-table">
            <thead><tr><th scope="col">{"Name"}</th><th scope="col">{"Value"}</th></tr></thead>
            <tbody>{ for tags.iter().map(|(k, v)| html! { <tr key={k.clone()}><td>{ k }</td><td>{ v }</td></tr> }) }</tbody>
        </table>
    }
}

/// An ISO instant as the page writes it: "2026-01-02 05:00 UTC".
pub fn date(iso: &str) -> String {
    crate::pages::ppac::when(iso) + " UTC"
}

fn progress(p: &Progress, detailed: bool) -> Html {
    let done_steps = u32::from(p.step.saturating_sub(1));
    let label = format!("Step {} of {}", p.step, p.steps);
    let bar = html! {
        <progress class="enc-progress" max={p.steps.to_string()} value={done_steps.to_string()} aria-label={format!("{}: {label}", p.operation)}></progress>
    };
    if !detailed {
        return html! { <span class="enc-progress-short">{ bar }<span class="hint">{ format!(" {label}") }</span></span> };
    }
    html! {
        <div class="enc-progress-detail" data-testid="encryption-progress">
            { bar }
            <ul>
                <li>{ format!("{label} ({})", if p.step == 1 { "offline" } else { "online" }) }</li>
                <li>{ "Done: " }{ if p.done.is_empty() { "—".to_string() } else { p.done.join(", ") } }</li>
                <li>{ "Running now: " }{ if p.running.is_empty() { "—".to_string() } else { p.running.join(", ") } }</li>
                <li>{ if p.step == 1 { format!("Back online at {}", date(&p.online_at)) } else { format!("Online since {}", date(&p.online_at)) } }</li>
                <li>{ format!("Expected to finish at {} (simulated time)", date(&p.eta)) }</li>
            </ul>
        </div>
    }
}
