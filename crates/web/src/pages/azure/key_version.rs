use cmk_core::Command;
use yew::prelude::*;

use crate::components::{Blade, JsonView, MessageBar, MessageKind};
use crate::context::use_app;
use crate::pages::form::error_text;
use crate::route::Route;

/// One key version: properties and the public JWK, fetched with `ShowKey` as the signed-in
/// persona (so a persona without `get` sees the refusal, as in the portal).
#[function_component(KeyVersionPage)]
pub fn key_version_page(props: &KeyVersionProps) -> Html {
    let ctx = use_app();
    let request = use_state(|| None::<u64>);
    {
        let (query, request) = (ctx.query.clone(), request.clone());
        let deps = (props.vault.clone(), props.name.clone(), props.version.clone(), ctx.view.signed_in.id.clone());
        use_effect_with(deps, move |(vault, name, version, _)| {
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
        (props.name.clone(), Route::Key { vault: vault.clone(), key: props.name.to_string() }),
    ];
    let body = match request.and_then(|id| ctx.results.get(&id)) {
        None => html! { <p role="status"><span class="spinner small"></span>{" Loading…"}</p> },
        Some(done) => match &done.result {
            Err(e) => {
                html! { <MessageBar kind={MessageKind::Error}>{ error_text(e) }</MessageBar> }
            }
            Ok(bundle) => {
                let key = &bundle["key"];
                let attrs = &bundle["attributes"];
                let text = |v: &serde_json::Value| v.as_str().map(str::to_string).unwrap_or_else(|| "—".into());
                let bits = key["n"].as_str().map(|n| n.len() * 6 / 8 * 8).unwrap_or(0);
                let ops = key["key_ops"]
                    .as_array()
                    .map(|a| a.iter().filter_map(|o| o.as_str()).collect::<Vec<_>>().join(", "))
                    .unwrap_or_default();
                html! {
                    <>
                        <dl class="essentials" data-testid="key-properties">
                            <dt>{"Key type"}</dt><dd>{ text(&key["kty"]) }</dd>
                            <dt>{"RSA key size"}</dt><dd data-testid="key-size-value">{ bits }</dd>
                            <dt>{"Created"}</dt><dd>{ text(&attrs["created"]) }</dd>
                            <dt>{"Updated"}</dt><dd>{ text(&attrs["updated"]) }</dd>
                            <dt>{"Key identifier"}</dt><dd><code data-testid="kid">{ text(&key["kid"]) }</code></dd>
                            <dt>{"Activation date"}</dt><dd>{ text(&attrs["nbf"]) }</dd>
                            <dt>{"Expiration date"}</dt><dd>{ text(&attrs["exp"]) }</dd>
                            <dt>{"Enabled"}</dt><dd>{ if attrs["enabled"].as_bool() == Some(true) { "Yes" } else { "No" } }</dd>
                            <dt>{"Permitted operations"}</dt><dd>{ ops }</dd>
                            <dt>{"Recovery level"}</dt><dd>{ text(&attrs["recoveryLevel"]) }</dd>
                        </dl>
                        <h2>{"Public key (JWK)"}</h2>
                        <p class="hint">{"Only the public half ever leaves the vault."}</p>
                        <JsonView value={key.clone()} testid="jwk" />
                    </>
                }
            }
        },
    };
    html! { <Blade title={props.version.clone()} subtitle="Key version" {crumbs}>{ body }</Blade> }
}

#[derive(Properties, PartialEq)]
pub struct KeyVersionProps {
    pub vault: AttrValue,
    pub name: AttrValue,
    pub version: AttrValue,
}
