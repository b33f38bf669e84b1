//! Manage deleted vaults and Manage deleted keys: Recover, or Purge when purge protection
//! allows it (SPEC KV-9).

use crate::components::status::date;
use cmk_core::view::DeletedItemView;
use cmk_core::Command;
use yew::prelude::*;

use crate::components::{Blade, Dialog, MessageBar, MessageKind};
use crate::context::use_app;
use crate::pages::form::{error_text, toggle_in, use_request};
use crate::route::Route;

/// The list with Recover and Purge, for vaults (`vault` none) or one vault's keys.
#[derive(Properties, PartialEq)]
pub struct DeletedListProps {
    pub items: Vec<DeletedItemView>,
    /// The vault whose keys these are; none for deleted vaults.
    #[prop_or_default]
    pub vault: Option<String>,
}

/// Select, then act, as the portal's lists: tick items, then Recover or Purge from the list's
/// command bar; Purge asks first, listing what goes for good.
#[function_component(DeletedList)]
pub fn deleted_list(props: &DeletedListProps) -> Html {
    let ctx = use_app();
    let (request, done, running) = use_request();
    let selected = use_state(Vec::<String>::new);
    let purging = use_state(|| false);
    let command = |purge: bool, name: &str, vault: &Option<String>| match (vault, purge) {
        (None, false) => Command::RecoverVault { name: name.into() },
        (None, true) => Command::PurgeVault { name: name.into() },
        (Some(v), false) => Command::RecoverKey { vault: v.clone(), name: name.into() },
        (Some(v), true) => Command::PurgeKey { vault: v.clone(), name: name.into() },
    };
    let chosen: Vec<&DeletedItemView> = props.items.iter().filter(|d| selected.contains(&d.name)).collect();
    let purgeable = !chosen.is_empty() && chosen.iter().all(|d| !d.purge_protection);
    let act = |purge: bool| -> Vec<Command> { chosen.iter().map(|d| command(purge, &d.name, &props.vault)).collect() };
    let send_all = {
        let (send, request, selected, purging) = (ctx.send.clone(), request.clone(), selected.clone(), purging.clone());
        Callback::from(move |commands: Vec<Command>| {
            let mut last = None;
            for c in commands {
                last = Some(send.emit(c));
            }
            request.set(last);
            selected.set(Vec::new());
            purging.set(false);
        })
    };
    let recover = {
        let (send_all, commands) = (send_all.clone(), act(false));
        Callback::from(move |_: MouseEvent| send_all.emit(commands.clone()))
    };
    let dialog = (*purging && purgeable).then(|| {
        let commands = act(true);
        let on_confirm = {
            let (send_all, commands) = (send_all.clone(), commands.clone());
            Callback::from(move |()| send_all.emit(commands.clone()))
        };
        let close = purging.clone();
        html! {
            <Dialog title="Purge" confirm_label="Purge" danger=true {on_confirm} on_cancel={Callback::from(move |()| close.set(false))}>
                <p>{"Purge these permanently? They cannot be recovered afterwards, and anything their keys protect becomes unreadable for good."}</p>
                <ul data-testid="confirm-list">{ for chosen.iter().map(|d| html! { <li>{ &d.name }</li> }) }</ul>
                { for commands.into_iter().map(|command| html! { <crate::components::WhatIf {command} /> }) }
            </Dialog>
        }
    });
    let what = if props.vault.is_some() { "Deleted keys" } else { "Deleted vaults" };
    let protected = chosen.iter().any(|d| d.purge_protection);
    html! {
        <>
            <div class="command-bar" role="toolbar" aria-label={what}>
                <button class="cmd" onclick={recover} disabled={running || chosen.is_empty()}>{"Recover"}</button>
                <button class="cmd" onclick={{ let p = purging.clone(); Callback::from(move |_: MouseEvent| p.set(true)) }} disabled={running || !purgeable}
                    title={if protected { "Purge protection: it is purged automatically at the scheduled date" } else { "" }}>{"Purge"}</button>
            </div>
            if let Some(Err(e)) = done.as_ref().map(|d| &d.result) { <MessageBar kind={MessageKind::Error}>{ error_text(e) }</MessageBar> }
            <table class="grid" data-testid="deleted-table">
                <thead><tr><th scope="col" class="select"><span class="sr-only">{"Select"}</span></th><th scope="col">{"Name"}</th><th scope="col">{"Location"}</th><th scope="col">{"Deletion date"}</th><th scope="col">{"Scheduled purge date"}</th></tr></thead>
                <tbody>
                    { for props.items.iter().map(|d| {
                        let checked = selected.contains(&d.name);
                        html! {
                            <tr key={d.name.clone()} class={classes!(checked.then_some("selected"))}>
                                <td class="select"><input type="checkbox" {checked} onchange={toggle_in(&selected, d.name.clone())} aria-label={format!("Select {}", d.name)} /></td>
                                <td>{ &d.name }</td><td>{ &d.location }</td><td>{ date(&d.deleted) }</td><td>{ date(&d.scheduled_purge) }</td>
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
            <DeletedList items={(*ctx.view.deleted_vaults).clone()} />
        </Blade>
    }
}
