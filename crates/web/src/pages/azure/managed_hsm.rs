//! Managed HSMs: create one (with its initial administrator and purge protection), Activate it
//! (download the security domain), and its Local RBAC (+ Add: Managed HSM Crypto User at All
//! keys, for a user or a policy's managed identity). SPEC KV-11.

use cmk_core::azure::vault::HSM_LOCAL_ROLES;
use cmk_core::command::CreateManagedHsm;
use cmk_core::view::VaultListing;
use cmk_core::Command;
use yew::prelude::*;

use super::location_label;
use crate::components::{Blade, MessageBar, MessageKind};
use crate::context::use_app;
use crate::pages::form::{error_text, row, select, text_input, use_request};
use crate::route::{navigate, Route};

#[function_component(CreateHsmPage)]
pub fn create_hsm_page() -> Html {
    let ctx = use_app();
    let v = &ctx.view;
    let name = use_state(String::new);
    let rg = use_state(|| v.resource_groups.first().map(|r| r.name.clone()).unwrap_or_default());
    let location = use_state(|| "westeurope".to_string());
    let admin = use_state(|| v.signed_in.id.clone());
    // As in the portal (and `az keyvault create --hsm-name`), purge protection starts disabled:
    // the trap the documents warn about, since Power Platform needs it.
    let purge = use_state(|| "disable".to_string());
    let retention = use_state(|| "90".to_string());
    let tried = use_state(|| false);
    let (request, done, running) = use_request();
    // Checked as the person types (the names Key Vault takes; 7–90 days), and on Create.
    let name_check = cmk_core::azure::vault::check_vault_name(&name).err().map(|e| e.message().to_string());
    let days = crate::pages::form::retention_days(&retention);
    {
        let target = done.as_ref().filter(|d| d.result.is_ok()).map(|_| (*name).clone());
        use_effect_with(target, |t| {
            if let Some(name) = t {
                navigate(&Route::Vault { vault: name.clone() });
            }
        });
    }
    let onsubmit = {
        let (send, request, name, rg, location, admin, purge) = (
            ctx.send.clone(),
            request.clone(),
            name.clone(),
            rg.clone(),
            location.clone(),
            admin.clone(),
            purge.clone(),
        );
        let (tried, checked) = (tried.clone(), days.clone().ok().filter(|_| name_check.is_none()));
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            tried.set(true);
            let Some(retention_days) = checked else { return };
            request.set(Some(send.emit(Command::CreateManagedHsm(CreateManagedHsm {
                name: (*name).clone(),
                resource_group: (*rg).clone(),
                location: (*location).clone(),
                administrators: vec![(*admin).clone()],
                retention_days,
                enable_purge_protection: *purge == "enable",
            }))));
        })
    };
    let groups = v.resource_groups.iter().map(|r| (r.name.clone(), r.name.clone())).collect();
    let locations =
        cmk_core::location::AZURE_LOCATIONS.iter().map(|(n, l)| ((*n).to_string(), (*l).to_string())).collect();
    let admins =
        v.personas.iter().map(|u| (u.id.clone(), format!("{} ({})", u.display_name, u.user_principal_name))).collect();
    let purges = vec![
        ("disable".to_string(), "Disable purge protection".to_string()),
        ("enable".to_string(), "Enable purge protection".to_string()),
    ];
    let show = |check: Option<String>, typed: bool| check.filter(|_| typed || *tried);
    html! {
        <Blade title="Create a Managed HSM" crumbs={vec![("Key vaults".into(), Route::KeyVaults), ("Create a Managed HSM".into(), Route::CreateHsm)]}>
            <form class="wizard" {onsubmit} aria-label="Create a Managed HSM">
                { row("Resource group", "hsm-rg", true, select("hsm-rg", &rg, groups), None) }
                { row("Name", "hsm-name", true, text_input("hsm-name", &name, "3–24 letters, digits and hyphens"), Some("It becomes https://{name}.managedhsm.azure.net.")) }
                if let Some(why) = show(name_check.clone(), !name.is_empty()) { <p class="field-error" role="alert" data-testid="hsm-name-error">{ why }</p> }
                { row("Region", "hsm-location", true, select("hsm-location", &location, locations), None) }
                { row("Administrator", "hsm-admin", true, select("hsm-admin", &admin, admins), Some("The initial administrator activates the HSM and assigns local roles.")) }
                { row("Days to retain deleted managed HSMs", "hsm-retention", true, html! {
                    <input id="hsm-retention" type="number" min="7" max="90" value={(*retention).clone()}
                        oninput={ let r = retention.clone(); Callback::from(move |e: InputEvent| r.set(e.target_unchecked_into::<web_sys::HtmlInputElement>().value())) } />
                }, Some("7 to 90 days, fixed once the HSM exists.")) }
                if let Some(why) = show(days.clone().err(), true) { <p class="field-error" role="alert">{ why }</p> }
                { row("Purge protection", "hsm-purge", false, select("hsm-purge", &purge, purges), Some("Power Platform needs purge protection: enable it, it cannot be turned on later here.")) }
                if let Some(Err(e)) = done.as_ref().map(|d| &d.result) { <MessageBar kind={MessageKind::Error}>{ error_text(e) }</MessageBar> }
                <div class="form-actions"><button class="primary" type="submit" disabled={running}>{ if running { "Creating…" } else { "Create" } }</button></div>
            </form>
        </Blade>
    }
}

#[derive(Properties, PartialEq)]
pub struct HsmSectionProps {
    pub listing: VaultListing,
    /// Only one part (`securitydomain` or `localrbac`, an item of the HSM's menu); none: both.
    #[prop_or_default]
    pub part: Option<&'static str>,
}

/// The Managed HSM parts of its page: activation and Local RBAC.
#[function_component(HsmSection)]
pub fn hsm_section(props: &HsmSectionProps) -> Html {
    let ctx = use_app();
    let v = &ctx.view;
    let (request, done, running) = use_request();
    let adding = use_state(|| false);
    let role = use_state(|| "Managed HSM Crypto User".to_string());
    let scope = use_state(|| "/keys".to_string());
    let principal = use_state(String::new);
    let l = &props.listing;
    let hsm = l.vault.name.clone();
    let active = l.vault.properties.activation_state.as_deref() == Some("Active");
    let activate = {
        let (send, request, hsm) = (ctx.send.clone(), request.clone(), hsm.clone());
        Callback::from(move |_: MouseEvent| {
            request.set(Some(send.emit(Command::ActivateManagedHsm { name: hsm.clone() })))
        })
    };
    let create = {
        let (send, request, hsm, role, scope, principal, adding) = (
            ctx.send.clone(),
            request.clone(),
            hsm.clone(),
            role.clone(),
            scope.clone(),
            principal.clone(),
            adding.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            request.set(Some(send.emit(Command::CreateHsmRoleAssignment {
                hsm: hsm.clone(),
                role: (*role).clone(),
                assignee: (*principal).clone(),
                scope: (*scope).clone(),
            })));
            adding.set(false);
        })
    };
    let who = |id: &str| super::principal_label(v, id);
    let roles = HSM_LOCAL_ROLES.iter().map(|(n, _)| ((*n).to_string(), (*n).to_string())).collect();
    let mut scopes = vec![("/".to_string(), "All (/)".to_string()), ("/keys".to_string(), "All keys".to_string())];
    if let Ok(keys) = &l.keys {
        scopes.extend(keys.iter().map(|k| (format!("/keys/{}", k.name), format!("Key: {}", k.name))));
    }
    let mut principals: Vec<(String, String)> = vec![(String::new(), "Select security principal".into())];
    principals.extend(super::principal_options(v));
    html! {
        <div data-testid="hsm-section">
            if props.part != Some("localrbac") {
            <h2>{"Security domain"}</h2>
            if active {
                <p data-testid="activation">{"Activated: the security domain was downloaded. Keys can be created and used."}</p>
            } else {
                <MessageBar kind={MessageKind::Warning}>{"This Managed HSM is not activated: download its security domain to activate it. Until then no key operation works."}</MessageBar>
                <button class="primary" onclick={activate} disabled={running}>{"Download security domain and activate"}</button>
            }
            }
            if props.part != Some("securitydomain") {
            <h2>{"Local RBAC"}</h2>
            if let Some(Err(e)) = done.as_ref().map(|d| &d.result) { <MessageBar kind={MessageKind::Error}>{ error_text(e) }</MessageBar> }
            <table class="grid" data-testid="local-rbac">
                <thead><tr><th scope="col">{"Role"}</th><th scope="col">{"Security principal"}</th><th scope="col">{"Scope"}</th></tr></thead>
                <tbody>
                    { for l.local_assignments.iter().map(|a| html! {
                        <tr><td>{ &a.role }</td><td>{ who(&a.principal_id) }</td><td>{ match a.scope.as_str() { "/keys" => "All keys".to_string(), "/" => "All".to_string(), s => s.to_string() } }</td></tr>
                    }) }
                </tbody>
            </table>
            <button class="cmd" onclick={{ let a = adding.clone(); Callback::from(move |_: MouseEvent| a.set(true)) }}>{"+ Add"}</button>
            if *adding {
                <form class="inline-form panel" onsubmit={create} aria-label="Add a local role assignment">
                    { row("Role", "hsm-role", true, select("hsm-role", &role, roles), None) }
                    { row("Scope", "hsm-scope", true, select("hsm-scope", &scope, scopes), None) }
                    { row("Security principal", "hsm-principal", true, select("hsm-principal", &principal, principals), None) }
                    <div class="form-actions"><button class="primary" type="submit" disabled={principal.is_empty()}>{"Create"}</button></div>
                </form>
            }
            }
            <p class="hint">{ format!("Location: {}", location_label(&l.vault.location)) }</p>
        </div>
    }
}
