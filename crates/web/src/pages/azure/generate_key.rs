use cmk_core::{Command, CreateKey, SimTime};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::{Blade, MessageBar, MessageKind};
use crate::context::use_app;
use crate::pages::form::{error_text, row, select, text_input, use_request};
use crate::route::{navigate, Route};

/// "Create a key": Generate with name, type, size, optional activation / expiration, enabled.
#[function_component(GenerateKeyPage)]
pub fn generate_key_page(props: &GenerateKeyProps) -> Html {
    let ctx = use_app();
    let name = use_state(String::new);
    let size = use_state(|| "2048".to_string());
    let nbf = use_state(String::new);
    let exp = use_state(String::new);
    let enabled = use_state(|| "yes".to_string());
    let local_error = use_state(|| None::<cmk_core::Error>);
    let (request, done, running) = use_request();
    let vault = props.vault.to_string();
    {
        let target = match &done {
            Some(d) if d.result.is_ok() => Some(vault.clone()),
            _ => None,
        };
        use_effect_with(target, |t| {
            if let Some(vault) = t {
                navigate(&Route::Vault { vault: vault.clone() });
            }
        });
    }
    let onsubmit = {
        let send = ctx.send.clone();
        let (name, size, nbf, exp, enabled, request, local_error, vault) = (
            name.clone(),
            size.clone(),
            nbf.clone(),
            exp.clone(),
            enabled.clone(),
            request.clone(),
            local_error.clone(),
            vault.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let parse = |s: &str| {
                if s.is_empty() {
                    Ok(None)
                } else {
                    SimTime::parse_iso(s).map(Some)
                }
            };
            let (nbf, exp) = match (parse(&nbf), parse(&exp)) {
                (Ok(a), Ok(b)) => (a, b),
                (Err(e), _) | (_, Err(e)) => return local_error.set(Some(e)),
            };
            local_error.set(None);
            let mut cmd = CreateKey::rsa(vault.clone(), (*name).clone(), size.parse().unwrap_or(0));
            cmd.not_before = nbf;
            cmd.expires = exp;
            cmd.enabled = *enabled == "yes";
            request.set(Some(send.emit(Command::CreateKey(cmd))));
        })
    };
    let sizes = ["2048", "3072", "4096"].iter().map(|s| ((*s).to_string(), (*s).to_string())).collect();
    let date_input = |id: &'static str, state: &UseStateHandle<String>| {
        let s = state.clone();
        let oninput = Callback::from(move |e: InputEvent| s.set(e.target_unchecked_into::<HtmlInputElement>().value()));
        html! { <input id={id} data-testid={id} type="text" placeholder="YYYY-MM-DDTHH:MM:SSZ (optional)" value={(**state).clone()} {oninput} /> }
    };
    let error = (*local_error).clone().or_else(|| done.as_ref().and_then(|d| d.result.as_ref().err().cloned()));
    html! {
        <Blade title="Create a key" crumbs={vec![("Key vaults".into(), Route::KeyVaults), (props.vault.clone(), Route::Vault { vault: vault.clone() })]}>
            <form class="wizard" {onsubmit} aria-label="Create a key">
                { row("Options", "key-options", false, html! { <input id="key-options" value="Generate" disabled=true /> }, None) }
                { row("Name", "key-name", true, text_input("key-name", &name, "e.g. cmk-powerplatform"), None) }
                { row("Key type", "key-type", false, html! { <input id="key-type" value="RSA" disabled=true /> }, None) }
                { row("RSA key size", "key-size", false, select("key-size", &size, sizes), Some("Power Platform accepts 2048 and 3072 only.")) }
                { row("Activation date", "key-nbf", false, date_input("key-nbf", &nbf), None) }
                { row("Expiration date", "key-exp", false, date_input("key-exp", &exp), None) }
                { row("Enabled", "key-enabled", false, select("key-enabled", &enabled, vec![("yes".into(), "Yes".into()), ("no".into(), "No".into())]), None) }
                if let Some(e) = &error { <MessageBar kind={MessageKind::Error}>{ error_text(e) }</MessageBar> }
                if running {
                    <MessageBar kind={MessageKind::Info}><span class="spinner small"></span>{" Generating the RSA key pair in the background; the page stays usable."}</MessageBar>
                }
                <div class="form-actions">
                    <button class="primary" type="submit" disabled={running} data-testid="key-submit">{ if running { "Creating…" } else { "Create" } }</button>
                    <a class="button" href={Route::Vault { vault }.href()}>{"Cancel"}</a>
                </div>
            </form>
        </Blade>
    }
}

#[derive(Properties, PartialEq)]
pub struct GenerateKeyProps {
    pub vault: AttrValue,
}
