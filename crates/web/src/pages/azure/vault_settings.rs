//! A vault's Networking (Firewalls and virtual networks, Private endpoint connections) and
//! Properties (soft delete, purge protection) blades. SPEC KV-2, KV-3, KV-10.

use cmk_core::command::UpdateVault;
use cmk_core::Command;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::{Blade, Dialog, MessageBar, MessageKind};
use crate::context::use_app;
use crate::pages::form::{error_text, use_request};
use crate::route::Route;

#[derive(Properties, PartialEq)]
pub struct VaultProps {
    pub vault: AttrValue,
}

fn crumbs(vault: &str, last: &'static str, route: Route) -> Vec<(AttrValue, Route)> {
    vec![
        ("Key vaults".into(), Route::KeyVaults),
        (vault.to_string().into(), Route::Vault { vault: vault.into() }),
        (last.into(), route),
    ]
}

#[function_component(VaultNetworkingPage)]
pub fn vault_networking_page(props: &VaultProps) -> Html {
    let ctx = use_app();
    let (request, done, running) = use_request();
    let listing = ctx.view.vaults.iter().find(|l| l.vault.name.eq_ignore_ascii_case(&props.vault));
    let current = listing.map(|l| {
        (
            l.vault.properties.public_network_access == "Enabled",
            l.vault.properties.network_acls.bypass == "AzureServices",
        )
    });
    let public = use_state(|| current.map(|c| c.0).unwrap_or(true));
    let bypass = use_state(|| current.map(|c| c.1).unwrap_or(true));
    let confirming = use_state(|| false);
    let endpoint = use_state(String::new);
    let route = Route::VaultNetworking { vault: props.vault.to_string() };
    let Some(l) = listing else {
        return html! { <Blade title="Networking" crumbs={crumbs(&props.vault, "Networking", route)}><MessageBar kind={MessageKind::Error}>{"This key vault was not found, or the signed-in persona cannot read it."}</MessageBar></Blade> };
    };
    let p = &l.vault.properties;
    let name = l.vault.name.clone();
    let apply_now = {
        let (send, request, name, public, bypass) =
            (ctx.send.clone(), request.clone(), name.clone(), public.clone(), bypass.clone());
        Callback::from(move |()| {
            request.set(Some(send.emit(Command::UpdateVault(UpdateVault {
                name: name.clone(),
                public_network_access: Some(*public),
                bypass_azure_services: Some(*bypass),
                ..Default::default()
            }))))
        })
    };
    // Cutting Power Platform off is confirmed first (SPEC LOCK-1: environments lock).
    let apply = {
        let (apply_now, confirming, public, bypass) =
            (apply_now.clone(), confirming.clone(), public.clone(), bypass.clone());
        Callback::from(
            move |_: MouseEvent| if !*public && !*bypass { confirming.set(true) } else { apply_now.emit(()) },
        )
    };
    let radio = |value: bool, label: &'static str| {
        let public = public.clone();
        html! { <label class="radio"><input type="radio" name="public-access" checked={*public == value} onchange={Callback::from(move |_: Event| public.set(value))} />{ format!(" {label}") }</label> }
    };
    let on_bypass = {
        let bypass = bypass.clone();
        Callback::from(move |e: Event| bypass.set(e.target_unchecked_into::<HtmlInputElement>().checked()))
    };
    let add_endpoint = {
        let (send, request, name, endpoint, rg) =
            (ctx.send.clone(), request.clone(), name.clone(), endpoint.clone(), l.vault.resource_group.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            request.set(Some(send.emit(Command::CreatePrivateEndpoint {
                name: (*endpoint).clone(),
                resource_group: rg.clone(),
                vault: name.clone(),
            })));
        })
    };
    let on_endpoint = {
        let endpoint = endpoint.clone();
        Callback::from(move |e: InputEvent| endpoint.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let dialog = (*confirming).then(|| {
        let close = confirming.clone();
        let on_confirm = { let close = close.clone(); let apply_now = apply_now.clone(); Callback::from(move |()| { apply_now.emit(()); close.set(false); }) };
        html! {
            <Dialog title="Disable public access" confirm_label="Save" danger=true {on_confirm} on_cancel={Callback::from(move |()| close.set(false))}>
                <p>{"With public access disabled and no exception for trusted Microsoft services, Power Platform can no longer reach this vault's keys: every environment whose enterprise policy uses them locks at the next health check."}</p>
            </Dialog>
        }
    });
    html! {
        <Blade title="Networking" subtitle={name.clone()} crumbs={crumbs(&name, "Networking", route)}>
            <h2>{"Firewalls and virtual networks"}</h2>
            <p>{ format!("Public network access: {}", p.public_network_access) }</p>
            { radio(true, "Allow public access from all networks") }
            { radio(false, "Disable public access") }
            <h2>{"Exception"}</h2>
            <label class="radio"><input type="checkbox" checked={*bypass} onchange={on_bypass} />{" Allow trusted Microsoft services to bypass this firewall"}</label>
            if let Some(Err(e)) = done.as_ref().map(|d| &d.result) { <MessageBar kind={MessageKind::Error}>{ error_text(e) }</MessageBar> }
            <div class="form-actions"><button class="primary" onclick={apply} disabled={running}>{"Apply"}</button></div>
            <h2>{"Private endpoint connections"}</h2>
            <ul data-testid="private-endpoints">{ for p.private_endpoint_connections.iter().map(|e| html! { <li>{ e }</li> }) }</ul>
            if p.private_endpoint_connections.is_empty() { <p class="empty">{"No private endpoint connections."}</p> }
            <form class="inline-form" onsubmit={add_endpoint} aria-label="Create a private endpoint">
                <label for="pe-name">{"Private endpoint name "}</label>
                <input id="pe-name" value={(*endpoint).clone()} oninput={on_endpoint} />
                <button type="submit" disabled={running || endpoint.is_empty()}>{"+ Create"}</button>
            </form>
            { dialog.unwrap_or_default() }
        </Blade>
    }
}

#[function_component(VaultPropertiesPage)]
pub fn vault_properties_page(props: &VaultProps) -> Html {
    let ctx = use_app();
    let (request, done, running) = use_request();
    let route = Route::VaultProperties { vault: props.vault.to_string() };
    let Some(l) = ctx.view.vaults.iter().find(|l| l.vault.name.eq_ignore_ascii_case(&props.vault)) else {
        return html! { <Blade title="Properties" crumbs={crumbs(&props.vault, "Properties", route)}><MessageBar kind={MessageKind::Error}>{"This key vault was not found, or the signed-in persona cannot read it."}</MessageBar></Blade> };
    };
    let p = &l.vault.properties;
    let protected = p.enable_purge_protection == Some(true);
    let enable = {
        let (send, request, name) = (ctx.send.clone(), request.clone(), l.vault.name.clone());
        Callback::from(move |_: Event| {
            request.set(Some(send.emit(Command::UpdateVault(UpdateVault {
                name: name.clone(),
                enable_purge_protection: Some(true),
                ..Default::default()
            }))))
        })
    };
    html! {
        <Blade title="Properties" subtitle={l.vault.name.clone()} crumbs={crumbs(&l.vault.name, "Properties", route)}>
            <dl class="essentials">
                <dt>{"Vault URI"}</dt><dd><code>{ &p.vault_uri }</code></dd>
                <dt>{"Resource ID"}</dt><dd><code class="wrap">{ &l.vault.id }</code></dd>
                <dt>{"Soft-delete"}</dt>
                <dd data-testid="soft-delete">{ if p.enable_soft_delete { "Soft delete has been enabled on this key vault" } else { "Soft delete is disabled on this key vault" } }</dd>
                <dt>{"Days to retain deleted vaults"}</dt><dd>{ p.soft_delete_retention_in_days }</dd>
            </dl>
            <h2>{"Purge protection"}</h2>
            <label class="radio"><input type="radio" name="purge" checked={!protected} disabled={protected} />{" Disable purge protection (allow key vault and objects to be purged during retention period)"}</label>
            <label class="radio"><input type="radio" name="purge" checked={protected} disabled={protected || running || !p.enable_soft_delete} onchange={enable} />{" Enable purge protection (enforce a mandatory retention period for deleted vaults and vault objects)"}</label>
            if protected { <p class="hint">{"Once enabled, purge protection cannot be turned off."}</p> }
            if !p.enable_soft_delete { <MessageBar kind={MessageKind::Warning}>{"Purge protection needs soft delete; without both, this vault cannot hold a customer-managed key for Power Platform."}</MessageBar> }
            if let Some(Err(e)) = done.as_ref().map(|d| &d.result) { <MessageBar kind={MessageKind::Error}>{ error_text(e) }</MessageBar> }
        </Blade>
    }
}
