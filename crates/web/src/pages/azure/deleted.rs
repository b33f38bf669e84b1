//! Manage deleted vaults and Manage deleted keys: Recover, or Purge when purge protection
//! allows it (SPEC KV-9).

use crate::components::status::date;
use cmk_core::view::DeletedItemView;
use cmk_core::Command;
use yew::prelude::*;

use crate::components::{Blade, Dialog, MessageBar, MessageKind};
use crate::context::use_app;
use crate::pages::form::{error_text, use_request};
use crate::route::Route;

/// The list with Recover and Purge, for vaults (`vault` none) or one vault's keys.
#[derive(Properties, PartialEq)]
pub struct DeletedListProps {
    pub items: Vec<DeletedItemView>,
    /// The vault whose keys these are; none for deleted vaults.
    #[prop_or_default]
    pub vault: Option<String>,
}

#[function_component(DeletedList)]
pub fn deleted_list(props: &DeletedListProps) -> Html {
    let ctx = use_app();
    let (request, done, running) = use_request();
    let purging = use_state(|| None::<String>);
    let command = |purge: bool, name: &str, vault: &Option<String>| match (vault, purge) {
        (None, false) => Command::RecoverVault { name: name.into() },
        (None, true) => Command::PurgeVault { name: name.into() },
        (Some(v), false) => Command::RecoverKey { vault: v.clone(), name: name.into() },
        (Some(v), true) => Command::PurgeKey { vault: v.clone(), name: name.into() },
    };
    let dialog = (*purging).clone().map(|name| {
        let (send, request, close, cmd) = (ctx.send.clone(), request.clone(), purging.clone(), command(true, &name, &props.vault));
        let on_confirm = { let close = close.clone(); Callback::from(move |()| { request.set(Some(send.emit(cmd.clone()))); close.set(None); }) };
        html! {
            <Dialog title="Purge" confirm_label="Purge" danger=true {on_confirm} on_cancel={Callback::from(move |()| close.set(None))}>
                <p>{ format!("Purge '{name}' permanently? It cannot be recovered afterwards, and anything its keys protect becomes unreadable for good.") }</p>
                <crate::components::WhatIf command={command(true, &name, &props.vault)} />
            </Dialog>
        }
    });
    html! {
        <>
            if let Some(Err(e)) = done.as_ref().map(|d| &d.result) { <MessageBar kind={MessageKind::Error}>{ error_text(e) }</MessageBar> }
            <table class="grid" data-testid="deleted-table">
                <thead><tr><th scope="col">{"Name"}</th><th scope="col">{"Location"}</th><th scope="col">{"Deletion date"}</th><th scope="col">{"Scheduled purge date"}</th><th scope="col"></th></tr></thead>
                <tbody>
                    { for props.items.iter().map(|d| {
                        let recover = { let (send, request, cmd) = (ctx.send.clone(), request.clone(), command(false, &d.name, &props.vault)); Callback::from(move |_: MouseEvent| request.set(Some(send.emit(cmd.clone())))) };
                        let purge = { let (purging, name) = (purging.clone(), d.name.clone()); Callback::from(move |_: MouseEvent| purging.set(Some(name.clone()))) };
                        html! {
                            <tr key={d.name.clone()}>
                                <td>{ &d.name }</td><td>{ &d.location }</td><td>{ date(&d.deleted) }</td><td>{ date(&d.scheduled_purge) }</td>
                                <td>
                                    <button class="cmd" onclick={recover} disabled={running} aria-label={format!("Recover {}", d.name)}>{"Recover"}</button>
                                    <button class="cmd" onclick={purge} disabled={running || d.purge_protection} aria-label={format!("Purge {}", d.name)}
                                        title={if d.purge_protection { "Purge protection: it is purged automatically at the scheduled date" } else { "" }}>{"Purge"}</button>
                                </td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            if props.items.is_empty() { <p class="empty">{"Nothing is soft-deleted."}</p> }
            { dialog.unwrap_or_default() }
        </>
    }
}

#[function_component(DeletedVaultsPage)]
pub fn deleted_vaults_page() -> Html {
    let ctx = use_app();
    html! {
        <Blade title="Manage deleted vaults" subtitle={ctx.view.subscription_name.clone()} crumbs={vec![("Key vaults".into(), Route::KeyVaults), ("Manage deleted vaults".into(), Route::DeletedVaults)]}>
            <DeletedList items={ctx.view.deleted_vaults.clone()} />
        </Blade>
    }
}
