use crate::components::status::date;
use cmk_core::view::KeyBundle;
use cmk_core::{Command, Outcome};
use yew::prelude::*;

use crate::components::{Blade, Dialog, JsonView, MessageBar, MessageKind};
use crate::context::use_app;
use crate::pages::form::error_text;
use crate::route::Route;

/// One key version: properties and the public JWK, fetched with `ShowKey` as the signed-in
/// persona (so a persona without `get` sees the refusal, as in the portal).
#[function_component(KeyVersionPage)]
pub fn key_version_page(props: &KeyVersionProps) -> Html {
    let ctx = use_app();
    let request = use_state(|| None::<u64>);
    let confirming = use_state(|| false);
    let (change, changed, _) = crate::pages::form::use_request();
    // What the page shows of this version in the view: when it changes (here, in the Cloud
    // Shell, or by the clock), the properties are fetched again instead of going stale.
    let summary = ctx
        .view
        .vaults
        .iter()
        .find(|l| l.vault.name.eq_ignore_ascii_case(&props.vault))
        .and_then(|l| l.keys.as_ref().ok())
        .and_then(|keys| keys.iter().find(|k| k.name.eq_ignore_ascii_case(&props.name)))
        .and_then(|k| k.versions.iter().find(|v| v.version.eq_ignore_ascii_case(&props.version)))
        .cloned();
    {
        let (query, request) = (ctx.query.clone(), request.clone());
        let deps = (
            props.vault.clone(),
            props.name.clone(),
            props.version.clone(),
            ctx.view.signed_in.id.clone(),
            // `updated` moves with every change of the version (dates, tags, operations).
            summary.as_ref().map(|s| (s.enabled, s.nbf.clone(), s.exp.clone(), s.updated.clone())),
        );
        use_effect_with(deps, move |(vault, name, version, _, _)| {
            let cmd = Command::ShowKey {
                vault: vault.to_string(),
                name: name.to_string(),
                version: Some(version.to_string()),
            };
            request.set(Some(query.emit(cmd)));
        });
    }
    let vault = props.vault.to_string();
    let crumbs = vec![
        ("Key vaults".into(), Route::KeyVaults),
        (props.vault.clone(), Route::Vault { vault: vault.clone() }),
        ("Keys".into(), Route::VaultKeys { vault: vault.clone() }),
        (props.name.clone(), Route::Key { vault: vault.clone(), key: props.name.to_string() }),
    ];
    let shown = crate::pages::form::use_kept_answer(ctx.results.clone(), *request);
    let shown = shown.as_deref();
    let bundle = shown.and_then(|d| match d.outcome() {
        Some(Outcome::Key(bundle)) => Some(bundle.clone()),
        _ => None,
    });
    let body = match (shown.map(|d| &d.result), &bundle) {
        (None, _) => html! { <p role="status"><span class="spinner small"></span>{" Loading…"}</p> },
        (Some(Err(e)), _) => html! { <MessageBar kind={MessageKind::Error}>{ error_text(e) }</MessageBar> },
        (Some(Ok(_)), Some(bundle)) => html! {
            <>
                { properties(bundle) }
                <PermittedOperations vault={props.vault.clone()} name={props.name.clone()} version={props.version.clone()} ops={bundle.key.key_ops.clone()} />
                <VersionTools vault={props.vault.clone()} name={props.name.clone()} version={props.version.clone()} />
                <h2>{"Public key (JWK)"}</h2>
                <p class="hint">{"Only the public half ever leaves the vault."}</p>
                <JsonView value={serde_json::to_value(&bundle.key).unwrap_or_default()} testid="jwk" />
            </>
        },
        (Some(Ok(_)), None) => Html::default(),
    };
    let enabled = summary.as_ref().is_some_and(|s| s.enabled);
    let set_enabled = |on: bool| {
        let (send, change, vault, name, version) = (
            ctx.send.clone(),
            change.clone(),
            props.vault.to_string(),
            props.name.to_string(),
            props.version.to_string(),
        );
        Callback::from(move |()| {
            change.set(Some(send.emit(Command::SetKeyAttributes(cmk_core::SetKeyAttributes {
                tags: Default::default(),
                vault: vault.clone(),
                name: name.clone(),
                version: Some(version.clone()),
                enabled: Some(on),
                expires: None,
                not_before: None,
                ops: None,
            }))))
        })
    };
    let commands = summary.as_ref().map(|_| {
        let open = { let c = confirming.clone(); Callback::from(move |_: MouseEvent| c.set(true)) };
        let enable = set_enabled(true).reform(|_: MouseEvent| ());
        let jwk = bundle.as_ref().and_then(|b| serde_json::to_value(&b.key).ok()).map(|v| v.to_string());
        html! {
            <>
                if enabled { <button class="cmd" onclick={open}>{"Disable"}</button> } else { <button class="cmd" onclick={enable}>{"Enable"}</button> }
                if let Some(j) = jwk {
                    <a class="cmd" download={format!("{}-{}.jwk.json", props.name, props.version)} href={format!("data:application/json,{}", String::from(js_sys::encode_uri_component(&j)))}>{"Download public key"}</a>
                }
            </>
        }
    });
    let dialog = (*confirming).then(|| {
        let disable = set_enabled(false);
        let close = confirming.clone();
        let on_confirm = { let close = close.clone(); Callback::from(move |()| { disable.emit(()); close.set(false); }) };
        html! {
            <Dialog title="Disable this version" confirm_label="Disable" danger=true {on_confirm} on_cancel={Callback::from(move |()| close.set(false))}>
                <p>{"A disabled version cannot wrap or unwrap. Power Platform needs previous versions for at least 28 days: environments whose data keys it still wraps lock at the next health check, and backups wrapped with it cannot be restored."}</p>
                <crate::components::WhatIf command={Command::SetKeyAttributes(cmk_core::SetKeyAttributes { vault: props.vault.to_string(), name: props.name.to_string(), version: Some(props.version.to_string()), enabled: Some(false), ..Default::default() })} />
            </Dialog>
        }
    });
    html! {
        <Blade title={props.version.clone()} subtitle="Key version" {crumbs} commands={commands}>
            if let Some(Err(e)) = changed.as_ref().map(|d| &d.result) { <MessageBar kind={MessageKind::Error}>{ error_text(e) }</MessageBar> }
            { body }
            { dialog.unwrap_or_default() }
        </Blade>
    }
}

/// The version's properties, as the portal lists them.
fn properties(bundle: &KeyBundle) -> Html {
    let (key, attrs) = (&bundle.key, &bundle.attributes);
    let text = |v: &Option<String>| v.as_deref().map(date).unwrap_or_else(|| "—".into());
    // The modulus is base64url without padding: 4 characters carry 3 bytes.
    let bits = key.n.len() * 6 / 8 * 8;
    html! {
        <dl class="essentials" data-testid="key-properties">
            <dt>{"Key type"}</dt><dd>{ &key.kty }</dd>
            <dt>{"RSA key size"}</dt><dd data-testid="key-size-value">{ bits }</dd>
            <dt>{"Created"}</dt><dd>{ date(&attrs.created) }</dd>
            <dt>{"Updated"}</dt><dd>{ date(&attrs.updated) }</dd>
            <dt>{"Key Identifier"}</dt><dd><code data-testid="kid">{ &key.kid }</code>{" "}<crate::components::CopyButton text={key.kid.clone()} what="Key Identifier" /></dd>
            <dt>{"Activation date"}</dt><dd>{ text(&attrs.nbf) }</dd>
            <dt>{"Expiration date"}</dt><dd>{ text(&attrs.exp) }</dd>
            <dt>{"Enabled"}</dt><dd>{ if attrs.enabled { "Yes" } else { "No" } }</dd>
            <dt>{"Recovery level"}</dt><dd>{ &attrs.recovery_level }</dd>
            <dt>{"Tags"}</dt><dd data-testid="key-tags">{ crate::components::status::tags(&bundle.tags) }</dd>
        </dl>
    }
}

#[derive(Properties, PartialEq)]
pub struct KeyVersionProps {
    pub vault: AttrValue,
    pub name: AttrValue,
    pub version: AttrValue,
}

/// Activation and expiration dates of a version (real date inputs), and the cryptographic
/// operations the key permits, as `az keyvault key set-attributes` and `encrypt`/`decrypt` do.
#[function_component(VersionTools)]
pub fn version_tools(props: &KeyVersionProps) -> Html {
    let ctx = use_app();
    let nbf = use_state(String::new);
    let exp = use_state(String::new);
    let op = use_state(|| "encrypt".to_string());
    let alg = use_state(|| "RSA-OAEP-256".to_string());
    let value = use_state(|| "aGVsbG8gUG93ZXIgUGxhdGZvcm0=".to_string());
    let local_error = use_state(|| None::<cmk_core::Error>);
    let (request, done, running) = crate::pages::form::use_request();
    let text = |state: &UseStateHandle<String>| {
        let s = state.clone();
        Callback::from(move |e: InputEvent| s.set(e.target_unchecked_into::<web_sys::HtmlInputElement>().value()))
    };
    let save_dates = {
        let (send, request, nbf, exp, local_error) =
            (ctx.send.clone(), request.clone(), nbf.clone(), exp.clone(), local_error.clone());
        let (vault, name, version) = (props.vault.to_string(), props.name.to_string(), props.version.to_string());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (a, b) = match (super::key::local_to_iso(&nbf), super::key::local_to_iso(&exp)) {
                (Ok(a), Ok(b)) => (a, b),
                (Err(x), _) | (_, Err(x)) => return local_error.set(Some(x)),
            };
            local_error.set(None);
            request.set(Some(send.emit(Command::SetKeyAttributes(cmk_core::SetKeyAttributes {
                tags: Default::default(),
                vault: vault.clone(),
                name: name.clone(),
                version: Some(version.clone()),
                enabled: None,
                expires: Some(b),
                not_before: Some(a),
                ops: None,
            }))));
        })
    };
    let run = {
        let (send, request, op, alg, value) =
            (ctx.send.clone(), request.clone(), op.clone(), alg.clone(), value.clone());
        let (vault, name, version) = (props.vault.to_string(), props.name.to_string(), props.version.to_string());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let operation = match op.as_str() {
                "decrypt" => cmk_core::CryptoOperation::Decrypt,
                "wrapKey" => cmk_core::CryptoOperation::WrapKey,
                "unwrapKey" => cmk_core::CryptoOperation::UnwrapKey,
                _ => cmk_core::CryptoOperation::Encrypt,
            };
            request.set(Some(send.emit(Command::KeyOperation(cmk_core::KeyOperation {
                vault: vault.clone(),
                name: name.clone(),
                version: Some(version.clone()),
                operation,
                algorithm: (*alg).clone(),
                value: (*value).clone(),
            }))));
        })
    };
    let ops =
        ["encrypt", "decrypt", "wrapKey", "unwrapKey"].iter().map(|o| ((*o).to_string(), (*o).to_string())).collect();
    let algs = ["RSA-OAEP-256", "RSA-OAEP", "RSA1_5"].iter().map(|a| ((*a).to_string(), (*a).to_string())).collect();
    let error = (*local_error).clone().or_else(|| done.as_ref().and_then(|d| d.result.as_ref().err().cloned()));
    html! {
        <>
            <form class="inline-form" onsubmit={save_dates} aria-label="Set dates">
                <h2>{"Activation and expiration"}</h2>
                <label for="kv-nbf">{"Set activation date "}</label><input id="kv-nbf" type="datetime-local" value={(*nbf).clone()} oninput={text(&nbf)} />
                <label for="kv-exp">{" Set expiration date "}</label><input id="kv-exp" type="datetime-local" value={(*exp).clone()} oninput={text(&exp)} />
                <button type="submit" disabled={running}>{"Save"}</button>
                <p class="hint">{"Empty clears the date. An expired or not yet active version still unwraps, but no longer wraps."}</p>
            </form>
            <form class="inline-form" onsubmit={run} aria-label="Cryptographic operations">
                <h2>{"Cryptographic operations"}</h2>
                <label for="op-kind">{"Operation "}</label>{ crate::pages::form::select("op-kind", &op, ops) }
                <label for="op-alg">{" Algorithm "}</label>{ crate::pages::form::select("op-alg", &alg, algs) }
                <label for="op-value">{" Value (base64) "}</label><input id="op-value" value={(*value).clone()} oninput={text(&value)} />
                <button type="submit" disabled={running}>{"Run"}</button>
            </form>
            if let Some(e) = &error { <MessageBar kind={MessageKind::Error}>{ error_text(e) }</MessageBar> }
            if let Some(Outcome::KeyOperation(op)) = done.as_ref().and_then(|d| d.outcome()) {
                <MessageBar kind={MessageKind::Success}><span data-testid="op-result">{ format!("{} with {}: {}", op.algorithm, op.kid, op.result) }</span></MessageBar>
            }
        </>
    }
}

#[derive(Properties, PartialEq)]
pub struct OpsProps {
    pub vault: AttrValue,
    pub name: AttrValue,
    pub version: AttrValue,
    /// What the version permits now (its JWK's `key_ops`).
    pub ops: Vec<String>,
}

/// The version's permitted operations as the portal's checkboxes, saved as `az keyvault key
/// set-attributes --ops` does (SPEC KV-13: the core refuses what the key does not permit).
#[function_component(PermittedOperations)]
pub fn permitted_operations(props: &OpsProps) -> Html {
    let ctx = use_app();
    let chosen = use_state(|| props.ops.clone());
    {
        let chosen = chosen.clone();
        use_effect_with(props.ops.clone(), move |ops| chosen.set(ops.clone()));
    }
    let (request, done, running) = crate::pages::form::use_request();
    let all = cmk_core::azure::vault::KEY_OPS;
    let changed = *chosen != props.ops;
    let toggle = |op: &'static str| {
        let chosen = chosen.clone();
        // The clicked one flips; the others stay; Key Vault's order is kept.
        Callback::from(move |_: Event| {
            let has = |o: &str| chosen.iter().any(|c| c == o);
            chosen.set(all.iter().filter(|o| (**o == op) != has(o)).map(|o| (*o).to_string()).collect());
        })
    };
    let save = {
        let (send, request, chosen) = (ctx.send.clone(), request.clone(), chosen.clone());
        let (vault, name, version) = (props.vault.to_string(), props.name.to_string(), props.version.to_string());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            request.set(Some(send.emit(Command::SetKeyAttributes(cmk_core::SetKeyAttributes {
                vault: vault.clone(),
                name: name.clone(),
                version: Some(version.clone()),
                ops: Some((*chosen).clone()),
                ..Default::default()
            }))));
        })
    };
    let discard = {
        let (chosen, ops) = (chosen.clone(), props.ops.clone());
        Callback::from(move |_: MouseEvent| chosen.set(ops.clone()))
    };
    let error = done.as_ref().and_then(|d| d.result.as_ref().err().cloned());
    html! {
        <form class="inline-form permitted-ops" onsubmit={save} aria-label="Permitted operations">
            <fieldset class="permissions">
                <legend>{"Permitted operations"}</legend>
                { for all.iter().map(|op| html! {
                    <label class="radio">
                        <input type="checkbox" checked={chosen.iter().any(|c| c == op)} onchange={toggle(op)} />
                        { cmk_core::azure::vault::permission_label(op) }
                    </label>
                }) }
            </fieldset>
            if chosen.is_empty() { <p class="error-text" role="alert">{"Select at least one operation."}</p> }
            else if changed && !(chosen.iter().any(|o| o == "wrapKey") && chosen.iter().any(|o| o == "unwrapKey")) {
                <p class="hint">{"Power Platform wraps and unwraps with this key: without Wrap Key and Unwrap Key, an enterprise policy that uses it turns unhealthy and its environments lock at the next health check."}</p>
            }
            <button type="submit" disabled={!changed || chosen.is_empty() || running}>{"Save"}</button>
            {" "}<button type="button" disabled={!changed || running} onclick={discard}>{"Discard"}</button>
            if let Some(e) = &error { <MessageBar kind={MessageKind::Error}>{ error_text(e) }</MessageBar> }
        </form>
    }
}
