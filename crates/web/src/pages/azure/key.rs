//! A key: its versions with their status, + New Version, the Rotation policy blade (with its
//! limits checked as you type, SPEC KV-8) and Rotate now, and Delete.

use crate::components::status::date;
use cmk_core::azure::rotation::RotationPolicy;
use cmk_core::view::{KeySummary, VersionStatus};
use cmk_core::{Command, CreateKey, SimTime};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::components::{Blade, Dialog, Icon, IconName, MessageBar, MessageKind};
use crate::context::use_app;
use crate::pages::form::{error_text, use_request};
use crate::route::{navigate, Route};

/// A version's status as the portal's lists show it; the core decided it when it made the view.
pub fn status_text(status: VersionStatus) -> &'static str {
    match status {
        VersionStatus::Enabled => "✔ Enabled",
        other => other.as_str(),
    }
}

/// A `<input type="datetime-local">` value as the core's ISO time ("" stays none).
pub fn local_to_iso(value: &str) -> Result<Option<SimTime>, cmk_core::Error> {
    if value.is_empty() {
        return Ok(None);
    }
    let with_seconds = if value.len() == 16 { format!("{value}:00Z") } else { format!("{value}Z") };
    SimTime::parse_iso(&with_seconds).map(Some)
}

#[derive(Clone, Copy, PartialEq)]
enum Panel {
    None,
    NewVersion,
    Rotation,
    Delete,
}

#[function_component(KeyPage)]
pub fn key_page(props: &KeyPageProps) -> Html {
    let ctx = use_app();
    let panel = use_state(|| Panel::None);
    let (request, done, running) = use_request();
    let vault = props.vault.to_string();
    let crumbs = vec![
        ("Key vaults".into(), Route::KeyVaults),
        (props.vault.clone(), Route::Vault { vault: vault.clone() }),
        ("Keys".into(), Route::VaultKeys { vault: vault.clone() }),
        (props.name.clone(), Route::Key { vault: vault.clone(), key: props.name.to_string() }),
    ];
    let listing = ctx.view.vault(&vault);
    let key = match listing.map(|l| &l.keys) {
        None => Err(html! { <MessageBar kind={MessageKind::Error}>{ format!("Key vault '{vault}' was not found.") }</MessageBar> }),
        Some(Err(e)) => Err(html! { <MessageBar kind={MessageKind::Warning}>{ error_text(e) }</MessageBar> }),
        Some(Ok(keys)) => keys.iter().find(|k| k.name.eq_ignore_ascii_case(&props.name)).ok_or_else(|| {
            html! { <MessageBar kind={MessageKind::Error}>{ format!("Key '{}' was not found in '{vault}'.", props.name) }</MessageBar> }
        }),
    };
    let k = match key {
        Ok(k) => k.clone(),
        Err(body) => {
            return html! { <Blade title={props.name.clone()} subtitle="Key versions" {crumbs}>{ body }</Blade> }
        }
    };
    let open = |p: Panel| {
        let panel = panel.clone();
        Callback::from(move |_: MouseEvent| panel.set(p))
    };
    let commands = html! {
        <>
            <button class="cmd" onclick={open(Panel::NewVersion)}><Icon name={IconName::Add} />{" New Version"}</button>
            <button class="cmd" onclick={open(Panel::Rotation)}>{"Rotation policy"}</button>
            <button class="cmd" onclick={open(Panel::Delete)}>{"Delete"}</button>
        </>
    };
    let close = {
        let panel = panel.clone();
        Callback::from(move |()| panel.set(Panel::None))
    };
    let send_and_close = {
        let (send, request, panel) = (ctx.send.clone(), request.clone(), panel.clone());
        Callback::from(move |c: Command| {
            request.set(Some(send.emit(c)));
            panel.set(Panel::None);
        })
    };
    let panel_html = match *panel {
        Panel::NewVersion => {
            html! { <NewVersion vault={vault.clone()} summary={k.clone()} on_send={send_and_close.clone()} on_close={close.clone()} /> }
        }
        Panel::Rotation => {
            html! { <RotationPolicyPanel vault={vault.clone()} summary={k.clone()} on_send={send_and_close.clone()} on_close={close.clone()} /> }
        }
        Panel::Delete => {
            let (send, vault_c, name) = (send_and_close.clone(), vault.clone(), k.name.clone());
            let target = Route::VaultKeys { vault: vault.clone() };
            let on_confirm = Callback::from(move |()| {
                send.emit(Command::DeleteKey { vault: vault_c.clone(), name: name.clone() });
                navigate(&target);
            });
            html! {
                <Dialog title="Delete key" confirm_label="Delete" danger=true {on_confirm} on_cancel={close.clone()}>
                    <p>{ format!("Delete '{}' and all its versions? With soft delete it can be recovered until the end of the retention period.", k.name) }</p>
                    <MessageBar kind={MessageKind::Warning}>{"Environments whose enterprise policy uses this key lock at the next health check, and backups wrapped with it can no longer be restored."}</MessageBar>
                    <crate::components::WhatIf command={Command::DeleteKey { vault: vault.clone(), name: k.name.clone() }} />
                </Dialog>
            }
        }
        Panel::None => Html::default(),
    };
    html! {
        <Blade title={props.name.clone()} subtitle="Key versions" {crumbs} {commands}>
            if let Some(Err(e)) = done.as_ref().map(|d| &d.result) { <MessageBar kind={MessageKind::Error}>{ error_text(e) }</MessageBar> }
            if running { <MessageBar kind={MessageKind::Info}><span class="spinner small"></span>{" Working in the background…"}</MessageBar> }
            { panel_html }
            <table class="grid" data-testid="version-table">
                <thead><tr><th scope="col">{"Version"}</th><th scope="col">{"Status"}</th><th scope="col">{"Activation date"}</th><th scope="col">{"Expiration date"}</th><th scope="col">{"Created"}</th></tr></thead>
                <tbody>
                    { for k.versions.iter().enumerate().map(|(i, ver)| html! {
                        <tr key={ver.version.clone()}>
                            <td>
                                if i == 0 { <span class="badge">{"CURRENT VERSION"}</span><br/> }
                                <a href={Route::KeyVersion { vault: vault.clone(), key: k.name.clone(), version: ver.version.clone() }.href()}><code>{ &ver.version }</code></a>
                            </td>
                            <td>{ status_text(ver.status) }</td>
                            <td>{ ver.nbf.as_deref().map(date).unwrap_or_default() }</td>
                            <td>{ ver.exp.as_deref().map(date).unwrap_or_default() }</td>
                            <td>{ date(&ver.created) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </Blade>
    }
}

#[derive(Properties, PartialEq)]
pub struct KeyPageProps {
    pub vault: AttrValue,
    pub name: AttrValue,
}

#[derive(Properties, PartialEq)]
struct PanelProps {
    vault: String,
    summary: KeySummary,
    on_send: Callback<Command>,
    on_close: Callback<()>,
}

/// + New Version: Enabled defaults to Yes; optional activation and expiration dates.
#[function_component(NewVersion)]
fn new_version(props: &PanelProps) -> Html {
    let enabled = use_state(|| true);
    let nbf = use_state(String::new);
    let exp = use_state(String::new);
    let error = use_state(|| None::<cmk_core::Error>);
    let input = |state: &UseStateHandle<String>| {
        let s = state.clone();
        Callback::from(move |e: InputEvent| s.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let create = {
        let (p_send, vault, k, enabled, nbf, exp, error) = (
            props.on_send.clone(),
            props.vault.clone(),
            props.summary.clone(),
            enabled.clone(),
            nbf.clone(),
            exp.clone(),
            error.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (a, b) = match (local_to_iso(&nbf), local_to_iso(&exp)) {
                (Ok(a), Ok(b)) => (a, b),
                (Err(x), _) | (_, Err(x)) => return error.set(Some(x)),
            };
            let mut cmd = CreateKey::rsa(vault.clone(), k.name.clone(), k.size);
            cmd.kty = if k.kty == "RSA-HSM" {
                cmk_core::azure::vault::KeyType::RsaHsm
            } else {
                cmk_core::azure::vault::KeyType::Rsa
            };
            cmd.enabled = *enabled;
            cmd.not_before = a;
            cmd.expires = b;
            p_send.emit(Command::CreateKey(cmd));
        })
    };
    let on_enabled = {
        let enabled = enabled.clone();
        Callback::from(move |e: Event| enabled.set(e.target_unchecked_into::<HtmlSelectElement>().value() == "yes"))
    };
    html! {
        <form class="inline-form panel" onsubmit={create} aria-label="Create a new version">
            <h2>{"Create a new version"}</h2>
            <p class="hint">{ format!("{} {} — the new version becomes current; environments pick it up within 24 hours.", props.summary.kty, props.summary.size) }</p>
            <div class="form-row"><label for="nv-nbf">{"Set activation date"}</label><div class="control"><input id="nv-nbf" type="datetime-local" value={(*nbf).clone()} oninput={input(&nbf)} /></div></div>
            <div class="form-row"><label for="nv-exp">{"Set expiration date"}</label><div class="control"><input id="nv-exp" type="datetime-local" value={(*exp).clone()} oninput={input(&exp)} /></div></div>
            <div class="form-row"><label for="nv-enabled">{"Enabled"}</label><div class="control">
                <select id="nv-enabled" onchange={on_enabled}><option value="yes" selected={*enabled}>{"Yes"}</option><option value="no" selected={!*enabled}>{"No"}</option></select>
            </div></div>
            if let Some(e) = &*error { <MessageBar kind={MessageKind::Error}>{ error_text(e) }</MessageBar> }
            <div class="form-actions"><button class="primary" type="submit">{"Create"}</button><button type="button" onclick={props.on_close.reform(|_: MouseEvent| ())}>{"Cancel"}</button></div>
        </form>
    }
}

/// The Rotation policy blade: expiry time, automatic rotation, notification, Rotate now.
#[function_component(RotationPolicyPanel)]
fn rotation_policy_panel(props: &PanelProps) -> Html {
    let existing = props.summary.rotation_policy.clone().unwrap_or_default();
    let days =
        |d: Option<&String>| d.map(|s| s.trim_start_matches('P').trim_end_matches('D').to_string()).unwrap_or_default();
    let rotate = existing.lifetime_actions.iter().find(|a| a.action.action_type == "Rotate").cloned();
    let notify = existing.lifetime_actions.iter().find(|a| a.action.action_type == "Notify").cloned();
    let expiry = use_state(|| days(existing.attributes.expiry_time.as_ref()));
    let auto = use_state(|| rotate.is_some());
    let before = use_state(|| rotate.as_ref().is_some_and(|r| r.trigger.time_before_expiry.is_some()));
    let rotation_days = use_state(|| {
        rotate
            .as_ref()
            .map(|r| days(r.trigger.time_after_create.as_ref().or(r.trigger.time_before_expiry.as_ref())))
            .unwrap_or_else(|| "90".into())
    });
    let notify_days =
        use_state(|| notify.as_ref().map(|n| days(n.trigger.time_before_expiry.as_ref())).unwrap_or_default());
    // The policy as Key Vault's JSON, checked with the core's own rules as the person types.
    let json = {
        let mut actions = Vec::new();
        if *auto && !rotation_days.is_empty() {
            let field = if *before { "timeBeforeExpiry" } else { "timeAfterCreate" };
            actions.push(serde_json::json!({ "trigger": { field: format!("P{}D", *rotation_days) }, "action": { "type": "Rotate" } }));
        }
        if !notify_days.is_empty() {
            actions.push(serde_json::json!({ "trigger": { "timeBeforeExpiry": format!("P{}D", *notify_days) }, "action": { "type": "Notify" } }));
        }
        let expiry_time = (!expiry.is_empty()).then(|| format!("P{}D", *expiry));
        serde_json::json!({ "lifetimeActions": actions, "attributes": { "expiryTime": expiry_time } }).to_string()
    };
    let check = RotationPolicy::from_json(&json);
    let num = |id: &'static str, state: &UseStateHandle<String>| {
        let s = state.clone();
        let oninput = Callback::from(move |e: InputEvent| s.set(e.target_unchecked_into::<HtmlInputElement>().value()));
        html! { <input {id} type="number" min="1" value={(**state).clone()} {oninput} /> }
    };
    let save = {
        let (send, vault, name, json) =
            (props.on_send.clone(), props.vault.clone(), props.summary.name.clone(), json.clone());
        Callback::from(move |_: MouseEvent| {
            send.emit(Command::SetRotationPolicy { vault: vault.clone(), name: name.clone(), policy: json.clone() })
        })
    };
    let rotate_now = {
        let (send, vault, name) = (props.on_send.clone(), props.vault.clone(), props.summary.name.clone());
        Callback::from(move |_: MouseEvent| {
            send.emit(Command::RotateKey { vault: vault.clone(), name: name.clone(), pregenerated: None })
        })
    };
    let on_auto = {
        let auto = auto.clone();
        Callback::from(move |e: Event| auto.set(e.target_unchecked_into::<HtmlSelectElement>().value() == "enabled"))
    };
    let on_option = {
        let before = before.clone();
        Callback::from(move |e: Event| before.set(e.target_unchecked_into::<HtmlSelectElement>().value() == "before"))
    };
    html! {
        <div class="panel" role="group" aria-label="Rotation policy">
            <h2>{"Rotation policy"}</h2>
            <div class="form-row"><label for="rp-expiry">{"Expiry time (days)"}</label><div class="control">{ num("rp-expiry", &expiry) }<div class="help">{"Lifetime of the versions the policy creates; at least 28 days. Empty: no expiry."}</div></div></div>
            <div class="form-row"><label for="rp-auto">{"Enable auto rotation"}</label><div class="control">
                <select id="rp-auto" onchange={on_auto}><option value="enabled" selected={*auto}>{"Enabled"}</option><option value="disabled" selected={!*auto}>{"Disabled"}</option></select>
            </div></div>
            if *auto {
                <div class="form-row"><label for="rp-option">{"Rotation option"}</label><div class="control">
                    <select id="rp-option" onchange={on_option}>
                        <option value="after" selected={!*before}>{"Automatically renew at a given time after creation"}</option>
                        <option value="before" selected={*before}>{"Automatically renew at a given time before expiry"}</option>
                    </select>
                </div></div>
                <div class="form-row"><label for="rp-time">{"Rotation time (days)"}</label><div class="control">{ num("rp-time", &rotation_days) }</div></div>
            }
            <div class="form-row"><label for="rp-notify">{"Notification time (days before expiry)"}</label><div class="control">{ num("rp-notify", &notify_days) }</div></div>
            { match &check {
                Ok(_) => html! { <MessageBar kind={MessageKind::Success}>{"The policy is valid."}</MessageBar> },
                Err(e) => html! { <MessageBar kind={MessageKind::Error}>{ error_text(e) }</MessageBar> },
            } }
            <div class="form-actions">
                <button class="primary" disabled={check.is_err()} onclick={save}>{"Save"}</button>
                <button onclick={rotate_now}>{"Rotate now"}</button>
                <button onclick={props.on_close.reform(|_: MouseEvent| ())}>{"Cancel"}</button>
            </div>
        </div>
    }
}
