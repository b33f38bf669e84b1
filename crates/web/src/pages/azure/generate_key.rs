//! Create a key: **Options** Generate or Import (a PEM or JWK file picked from disk), Name,
//! **Key type** RSA or RSA-HSM as the vault allows, **RSA key size**, activation and expiration
//! dates (real date inputs), **Enabled**.

use cmk_core::azure::policy::CMK_RSA_SIZES;
use cmk_core::azure::vault::KeyType;
use cmk_core::{Command, CreateKey, ImportKey};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::key::local_to_iso;
use crate::components::{Blade, MessageBar, MessageKind};
use crate::context::use_app;
use crate::pages::form::{error_text, row, select, text_input, use_request};
use crate::route::{navigate, Route};

/// What the form's fields hold.
#[derive(Clone, PartialEq)]
struct KeyForm {
    option: UseStateHandle<String>,
    name: UseStateHandle<String>,
    kty: UseStateHandle<String>,
    size: UseStateHandle<String>,
    nbf: UseStateHandle<String>,
    exp: UseStateHandle<String>,
    enabled: UseStateHandle<String>,
    /// The key file picked for an import: its name and text.
    file: UseStateHandle<Option<(String, String)>>,
}

#[hook]
fn use_key_form() -> KeyForm {
    KeyForm {
        option: use_state(|| "generate".to_string()),
        name: use_state(String::new),
        kty: use_state(|| "RSA".to_string()),
        size: use_state(|| "2048".to_string()),
        nbf: use_state(String::new),
        exp: use_state(String::new),
        enabled: use_state(|| "yes".to_string()),
        file: use_state(|| None::<(String, String)>),
    }
}

impl KeyForm {
    /// The command the form describes, or what is missing.
    fn command(&self, vault: &str) -> Result<Command, cmk_core::Error> {
        let (nbf, exp) = (local_to_iso(&self.nbf)?, local_to_iso(&self.exp)?);
        let key_type = if *self.kty == "RSA-HSM" { KeyType::RsaHsm } else { KeyType::Rsa };
        if *self.option == "import" {
            let Some((_, text)) = (*self.file).clone() else {
                return Err(cmk_core::Error::new(
                    cmk_core::ErrorCode::MissingParameter,
                    "Choose the key file to import (a PEM private key or a JWK with its private parts).",
                ));
            };
            return Ok(Command::ImportKey(ImportKey {
                tags: Default::default(),
                vault: vault.into(),
                name: (*self.name).clone(),
                kty: key_type,
                material: text.as_str().into(),
                enabled: *self.enabled == "yes",
                not_before: nbf,
                expires: exp,
                ops: None,
            }));
        }
        let Ok(bits) = self.size.parse::<u32>() else {
            return Err(cmk_core::Error::new(cmk_core::ErrorCode::BadParameter, "Choose an RSA key size."));
        };
        let mut cmd = CreateKey::rsa(vault, (*self.name).clone(), bits);
        cmd.kty = key_type;
        cmd.not_before = nbf;
        cmd.expires = exp;
        cmd.enabled = *self.enabled == "yes";
        Ok(Command::CreateKey(cmd))
    }
}

#[function_component(GenerateKeyPage)]
pub fn generate_key_page(props: &GenerateKeyProps) -> Html {
    let ctx = use_app();
    let form = use_key_form();
    let KeyForm { option, name, kty, size, nbf, exp, enabled, file } = form.clone();
    let local_error = use_state(|| None::<cmk_core::Error>);
    let (request, done, running) = use_request();
    let vault = props.vault.to_string();
    let listing = ctx.view.vault(&vault);
    let hsm = listing.is_some_and(|l| super::is_hsm(&l.vault));
    let premium = listing.is_some_and(|l| l.vault.properties.sku.name == "premium");
    {
        let target = match &done {
            Some(d) if d.result.is_ok() => Some(vault.clone()),
            _ => None,
        };
        use_effect_with(target, |t| {
            if let Some(vault) = t {
                navigate(&Route::VaultKeys { vault: vault.clone() });
            }
        });
    }
    // A Managed HSM only holds RSA-HSM keys; a standard vault only RSA.
    {
        let kty = kty.clone();
        use_effect_with(hsm, move |hsm| {
            if *hsm {
                kty.set("RSA-HSM".into());
            }
        });
    }
    // The name is checked as it is typed, and on Create before anything is sent.
    let tried = use_state(|| false);
    let name_check = name_problem(&name, listing);
    let onsubmit = {
        let (send, form, request, local_error, vault, tried) =
            (ctx.send.clone(), form.clone(), request.clone(), local_error.clone(), vault.clone(), tried.clone());
        let refused = name_check.is_some();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            tried.set(true);
            match form.command(&vault) {
                // The name's problem is said beside it; the rest of the form's, here.
                Ok(_) if refused => local_error.set(None),
                Ok(command) => {
                    local_error.set(None);
                    request.set(Some(send.emit(command)));
                }
                Err(e) => local_error.set(Some(e)),
            }
        })
    };
    // The sizes the core accepts for this vault, and the fewer Power Platform takes (SPEC KV-4).
    let sizes = listing
        .map_or(&cmk_core::key_material::RSA_SIZES[..], |l| &l.key_sizes[..])
        .iter()
        .map(|s| (s.to_string(), s.to_string()))
        .collect();
    let cmk_sizes: Vec<String> = CMK_RSA_SIZES.iter().map(u32::to_string).collect();
    let size_hint = format!("Power Platform accepts {} only.", cmk_sizes.join(" and "));
    let types = listing.map_or_else(
        || vec![("RSA".to_string(), "RSA".to_string())],
        |l| l.key_types.iter().map(|t| (t.clone(), t.clone())).collect(),
    );
    let date_input = |id: &'static str, state: &UseStateHandle<String>| {
        let s = state.clone();
        let oninput = Callback::from(move |e: InputEvent| s.set(e.target_unchecked_into::<HtmlInputElement>().value()));
        html! { <input id={id} data-testid={id} type="datetime-local" value={(**state).clone()} {oninput} /> }
    };
    // The key file picked from disk (it never leaves the browser).
    let on_file = {
        let file = file.clone();
        let local_error = local_error.clone();
        crate::pages::form::on_file_text(
            false,
            Callback::from(move |read: Result<(String, String), String>| match read {
                Ok(picked) => file.set(Some(picked)),
                Err(why) => {
                    file.set(None);
                    local_error.set(Some(cmk_core::Error::new(cmk_core::ErrorCode::BadParameter, why)));
                }
            }),
        )
    };
    let error = (*local_error).clone().or_else(|| done.as_ref().and_then(|d| d.result.as_ref().err().cloned()));
    let importing = *option == "import";
    html! {
        <Blade title="Create a key" crumbs={vec![("Key vaults".into(), Route::KeyVaults), (props.vault.clone(), Route::Vault { vault: vault.clone() }), ("Keys".into(), Route::VaultKeys { vault: vault.clone() })]}>
            <form class="wizard" {onsubmit} aria-label="Create a key">
                { row("Options", "key-options", false, select("key-options", &option, vec![("generate".into(), "Generate".into()), ("import".into(), "Import".into())]), None) }
                { row("Name", "key-name", true, text_input("key-name", &name, "e.g. cmk-powerplatform"), None) }
                if let Some(why) = name_check.filter(|_| !name.is_empty() || *tried) { <p class="field-error" role="alert" data-testid="key-name-error">{ why }</p> }
                if importing {
                    { row("File Upload", "key-file", true, html! { <input id="key-file" type="file" accept=".pem,.json,.jwk" onchange={on_file} /> }, Some("A PEM private key (PKCS#8 or PKCS#1) or a JWK with its private parts. It never leaves this browser.")) }
                    if let Some((n, _)) = &*file { <p class="hint">{ format!("Selected: {n}") }</p> }
                }
                { row("Key type", "key-type", false, select("key-type", &kty, types), Some(if hsm { "A Managed HSM holds HSM-protected keys only." } else if premium { "RSA-HSM keys are protected by an HSM (premium tier)." } else { "A standard-tier vault holds software-protected RSA keys." })) }
                if !importing {
                    { row("RSA key size", "key-size", false, select("key-size", &size, sizes), Some(size_hint.as_str())) }
                }
                { row("Set activation date", "key-nbf", false, date_input("key-nbf", &nbf), None) }
                { row("Set expiration date", "key-exp", false, date_input("key-exp", &exp), None) }
                { row("Enabled", "key-enabled", false, select("key-enabled", &enabled, vec![("yes".into(), "Yes".into()), ("no".into(), "No".into())]), None) }
                if let Some(e) = &error { <MessageBar kind={MessageKind::Error}>{ error_text(e) }</MessageBar> }
                if running {
                    <MessageBar kind={MessageKind::Info}><span class="spinner small"></span>{ if importing { " Importing the key…" } else { " Generating the RSA key pair in the background; the page stays usable." } }</MessageBar>
                }
                <div class="form-actions">
                    <button class="primary" type="submit" disabled={running} data-testid="key-submit">{ if running { "Creating…" } else { "Create" } }</button>
                    <a class="button" href={Route::VaultKeys { vault }.href()}>{"Cancel"}</a>
                </div>
            </form>
        </Blade>
    }
}

#[derive(Properties, PartialEq)]
pub struct GenerateKeyProps {
    pub vault: AttrValue,
}

/// What is wrong with a new key's name, in the portal's words: the core's rule, or a name this
/// vault already uses (a new version is made from the key itself).
fn name_problem(name: &str, listing: Option<&cmk_core::view::VaultListing>) -> Option<String> {
    if let Err(e) = cmk_core::azure::vault::check_key_name(name) {
        return Some(e.message().to_string());
    }
    let keys = listing.and_then(|l| l.keys.as_ref().ok())?;
    keys.iter().any(|k| k.name.eq_ignore_ascii_case(name)).then(|| {
        format!("A key named '{name}' already exists in this vault. To add a version, open the key and select + New Version.")
    })
}
