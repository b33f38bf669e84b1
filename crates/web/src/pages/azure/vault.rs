use yew::prelude::*;

use super::location_label;
use crate::components::{Blade, Icon, IconName, JsonView, MessageBar, MessageKind};
use crate::context::use_app;
use crate::pages::form::error_text;
use crate::route::Route;

/// A vault's Overview: its essentials (a Managed HSM's security domain and local RBAC) and the
/// JSON view; the resource menu leads to its keys and settings.
#[function_component(VaultPage)]
pub fn vault_page(props: &VaultPageProps) -> Html {
    let ctx = use_app();
    let deleting = use_state(|| false);
    let Some(listing) = ctx.view.vault(&props.vault) else {
        return html! {
            <Blade title={props.vault.clone()} crumbs={vec![("Key vaults".into(), Route::KeyVaults)]}>
                <MessageBar kind={MessageKind::Error}>{ format!("Key vault '{}' was not found, or the signed-in persona cannot read it.", props.vault) }</MessageBar>
            </Blade>
        };
    };
    let v = &listing.vault;
    let p = &v.properties;
    let name = v.name.clone();
    let commands = html! {
        <button class="cmd" onclick={{ let d = deleting.clone(); Callback::from(move |_: MouseEvent| d.set(true)) }}>{"Delete"}</button>
    };
    let menu = html! { <super::vault_menu::VaultMenu vault={name.clone()} current="overview" /> };
    let json = serde_json::to_value(v).unwrap_or_default();
    let dialog = (*deleting).then(|| {
        let (send, close, target, vault) = (ctx.send.clone(), deleting.clone(), Route::KeyVaults, name.clone());
        let on_confirm = {
            let close = close.clone();
            Callback::from(move |()| {
                send.emit(cmk_core::Command::DeleteVault { name: vault.clone() });
                close.set(false);
                crate::route::navigate(&target);
            })
        };
        html! {
            <crate::components::Dialog title="Delete key vault" confirm_label="Delete" danger=true {on_confirm} on_cancel={Callback::from(move |()| close.set(false))}>
                <p>{ format!("Delete '{name}'? It stays soft-deleted for {} days and can be recovered until then.", p.soft_delete_retention_in_days) }</p>
                <MessageBar kind={MessageKind::Warning}>{"Every environment whose enterprise policy uses a key of this vault locks at the next health check."}</MessageBar>
                <crate::components::WhatIf command={cmk_core::Command::DeleteVault { name: name.clone() }} />
            </crate::components::Dialog>
        }
    });
    html! {
        <Blade title={name.clone()} subtitle={super::vault_kind(v)} crumbs={vec![("Key vaults".into(), Route::KeyVaults), (name.clone().into(), Route::Vault { vault: name.clone() })]} {commands} {menu}>
            <h2>{"Essentials"}</h2>
            <dl class="essentials">
                <dt>{"Resource group"}</dt><dd>{ &v.resource_group }</dd>
                <dt>{"Location"}</dt><dd>{ location_label(&v.location) }</dd>
                <dt>{"Vault URI"}</dt><dd><code>{ &p.vault_uri }</code></dd>
                <dt>{"Resource ID"}</dt><dd><code class="wrap">{ &v.id }</code>{" "}<crate::components::CopyButton text={v.id.clone()} what="Resource ID" /></dd>
                <dt>{"Pricing tier"}</dt><dd>{ if p.sku.name == "premium" { "Premium" } else { "Standard" } }</dd>
                <dt>{"Permission model"}</dt><dd>{ if p.enable_rbac_authorization { "Azure role-based access control" } else { "Vault access policy" } }</dd>
                <dt>{"Soft-delete"}</dt><dd>{ if p.enable_soft_delete { format!("Enabled ({} days)", p.soft_delete_retention_in_days) } else { "Disabled".to_string() } }</dd>
                <dt>{"Purge protection"}</dt><dd>{ if p.enable_purge_protection == Some(true) { "Enabled" } else { "Disabled" } }</dd>
                <dt>{"Public network access"}</dt><dd>{ &p.public_network_access }</dd>
                <dt>{"Tags"}</dt><dd data-testid="vault-tags">{ crate::components::status::tags(&v.tags) }</dd>
            </dl>
            if super::is_hsm(v) { <super::HsmSection listing={listing.clone()} /> }
            <details class="json-details"><summary>{"JSON View"}</summary><JsonView value={json} /></details>
            { dialog.unwrap_or_default() }
        </Blade>
    }
}

#[derive(Properties, PartialEq)]
pub struct VaultPageProps {
    pub vault: AttrValue,
}

/// Key vault › Objects › Keys: the keys (or the data-plane refusal), Generate/Import, and the
/// deleted keys to recover or purge.
#[function_component(VaultKeysPage)]
pub fn vault_keys_page(props: &VaultPageProps) -> Html {
    let ctx = use_app();
    let selected = use_state(Vec::<String>::new);
    let deleting = use_state(|| false);
    let crumbs = vec![
        ("Key vaults".into(), Route::KeyVaults),
        (props.vault.clone(), Route::Vault { vault: props.vault.to_string() }),
    ];
    let Some(listing) = ctx.view.vault(&props.vault) else {
        return html! {
            <Blade title="Keys" {crumbs}>
                <MessageBar kind={MessageKind::Error}>{ format!("Key vault '{}' was not found, or the signed-in persona cannot read it.", props.vault) }</MessageBar>
            </Blade>
        };
    };
    let name = listing.vault.name.clone();
    // Select, then act: Delete from the command bar, several at once listed first.
    let delete = |key: &str| cmk_core::Command::DeleteKey { vault: name.clone(), name: key.to_string() };
    let commands = html! {
        <>
            <a class="cmd" href={Route::GenerateKey { vault: name.clone() }.href()} data-testid="generate-key"><Icon name={IconName::Add} />{" Generate/Import"}</a>
            <button class="cmd" disabled={selected.is_empty()} onclick={{ let d = deleting.clone(); Callback::from(move |_: MouseEvent| d.set(true)) }}>{"Delete"}</button>
        </>
    };
    let dialog = (*deleting && !selected.is_empty()).then(|| {
        let commands: Vec<cmk_core::Command> = selected.iter().map(|k| delete(k)).collect();
        let (send, close, selected_c, sent) = (ctx.send.clone(), deleting.clone(), selected.clone(), commands.clone());
        let on_confirm = {
            let close = close.clone();
            Callback::from(move |()| {
                for c in &sent {
                    send.emit(c.clone());
                }
                selected_c.set(Vec::new());
                close.set(false);
            })
        };
        html! {
            <crate::components::Dialog title="Delete keys" confirm_label="Delete" danger=true {on_confirm} on_cancel={Callback::from(move |()| close.set(false))}>
                <p>{"Delete these keys and all their versions? With soft delete they can be recovered until the end of the retention period."}</p>
                <ul data-testid="confirm-list">{ for selected.iter().map(|k| html! { <li>{ k }</li> }) }</ul>
                <MessageBar kind={MessageKind::Warning}>{"Environments whose enterprise policy uses one of these keys lock at the next health check, and backups wrapped with it can no longer be restored."}</MessageBar>
                { for commands.into_iter().map(|command| html! { <crate::components::WhatIf {command} /> }) }
            </crate::components::Dialog>
        }
    });
    let menu = html! { <super::vault_menu::VaultMenu vault={name.clone()} current="keys" /> };
    let subtitle = super::vault_kind(&listing.vault);
    html! {
        <Blade title={format!("{name} | Keys")} {subtitle} {crumbs} {commands} {menu}>
            { match &listing.keys {
                Err(e) => html! { <MessageBar kind={MessageKind::Warning}>{ "The operation is not allowed for the signed-in persona. " }{ error_text(e) }</MessageBar> },
                Ok(keys) if keys.is_empty() => html! { <p class="empty" data-testid="no-keys">{"There are no keys available."}</p> },
                Ok(keys) => html! {
                    <table class="grid" data-testid="key-table">
                        <thead><tr><th scope="col" class="select"><span class="sr-only">{"Select"}</span></th><th scope="col">{"Name"}</th><th scope="col">{"Type"}</th><th scope="col">{"Status"}</th><th scope="col">{"Expiration date"}</th></tr></thead>
                        <tbody>
                            { for keys.iter().map(|k| {
                                let current = k.versions.first();
                                let checked = selected.contains(&k.name);
                                let toggle = crate::pages::form::toggle_in(&selected, k.name.clone());
                                html! {
                                    <tr key={k.name.clone()} class={classes!(checked.then_some("selected"))}>
                                        <td class="select"><input type="checkbox" {checked} onchange={toggle} aria-label={format!("Select key {}", k.name)} /></td>
                                        <td><a href={Route::Key { vault: name.clone(), key: k.name.clone() }.href()}>{ &k.name }</a></td>
                                        <td>{ format!("{} {}", k.kty, k.size) }</td>
                                        <td>{ current.map_or("—", |c| super::key::status_text(c.status)) }</td>
                                        <td>{ current.and_then(|c| c.exp.clone()).unwrap_or_default() }</td>
                                    </tr>
                                }
                            }) }
                        </tbody>
                    </table>
                },
            } }
            { dialog.unwrap_or_default() }
            <details class="json-details" data-testid="deleted-keys"><summary>{ format!("Manage deleted keys ({})", listing.deleted_keys.len()) }</summary>
                <super::DeletedList items={listing.deleted_keys.clone()} vault={Some(name.clone())} />
            </details>
        </Blade>
    }
}
