//! Subscriptions, and a subscription's Resource providers (SPEC EP-1: Register
//! Microsoft.PowerPlatform before deploying an enterprise policy).

use cmk_core::azure::{provider_registered, PROVIDERS};
use cmk_core::Command;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::{Blade, Dialog, MessageBar, MessageKind};
use crate::context::use_app;
use crate::pages::form::{error_text, use_request};
use crate::route::Route;

#[function_component(SubscriptionsPage)]
pub fn subscriptions_page() -> Html {
    let ctx = use_app();
    let v = &ctx.view;
    let scope = format!("/subscriptions/{}", v.subscription_id);
    html! {
        <Blade title="Subscriptions" crumbs={vec![("Subscriptions".into(), Route::Subscriptions)]}>
            <table class="grid" data-testid="subscription-table">
                <thead><tr><th scope="col">{"Subscription name"}</th><th scope="col">{"Subscription ID"}</th><th scope="col">{"My role"}</th><th scope="col"></th></tr></thead>
                <tbody>
                    <tr>
                        <td><a href={Route::Subscription.href()}>{ &v.subscription_name }</a></td>
                        <td><code>{ &v.subscription_id }</code></td>
                        <td>{ super::subscription_roles(v).join(", ") }</td>
                        <td>
                            <a href={Route::ResourceProviders.href()}>{"Resource providers"}</a>{" · "}
                            <a href={Route::AccessControl { scope: scope.clone() }.href()}>{"Access control (IAM)"}</a>
                        </td>
                    </tr>
                </tbody>
            </table>
        </Blade>
    }
}

/// What the command bar does to the selected providers.
#[derive(Clone, Copy, PartialEq)]
enum Act {
    Register,
    Unregister,
}

/// Resource providers, as the portal lists them: select rows (checkbox), then Register or
/// Unregister from the command bar; several at once are confirmed by listing them.
#[function_component(ResourceProvidersPage)]
pub fn resource_providers_page() -> Html {
    let ctx = use_app();
    let filter = use_state(String::new);
    let (request, done, running) = use_request();
    let selected = use_state(Vec::<String>::new);
    let acting = use_state(Vec::<String>::new);
    let confirming = use_state(|| None::<Act>);
    let oninput = {
        let filter = filter.clone();
        Callback::from(move |e: InputEvent| filter.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let v = &ctx.view;
    let registered = |p: &str| provider_registered(&v.registered_providers, p);
    // What each action would change among the selected: only providers it applies to.
    let targets = |act: Act| -> Vec<String> {
        selected
            .iter()
            .filter(|p| match act {
                Act::Register => !registered(p),
                Act::Unregister => registered(p) && *p != "Microsoft.Resources",
            })
            .cloned()
            .collect()
    };
    let perform = {
        let (send, request, acting, selected, confirming) =
            (ctx.send.clone(), request.clone(), acting.clone(), selected.clone(), confirming.clone());
        Callback::from(move |(act, names): (Act, Vec<String>)| {
            let mut last = None;
            for ns in &names {
                let command = match act {
                    Act::Register => Command::RegisterProvider { namespace: ns.clone() },
                    Act::Unregister => Command::UnregisterProvider { namespace: ns.clone() },
                };
                last = Some(send.emit(command));
            }
            request.set(last);
            acting.set(names);
            selected.set(Vec::new());
            confirming.set(None);
        })
    };
    // One provider acts at once, as in the portal; several ask first, listing them.
    let command = |act: Act, label: &'static str| {
        let names = targets(act);
        let (perform, confirming, names_c) = (perform.clone(), confirming.clone(), names.clone());
        let onclick = Callback::from(move |_: MouseEvent| {
            if names_c.len() > 1 {
                confirming.set(Some(act));
            } else {
                perform.emit((act, names_c.clone()));
            }
        });
        html! { <button class="cmd" {onclick} disabled={running || names.is_empty()}>{ label }</button> }
    };
    let commands = html! { <>{ command(Act::Register, "Register") }{ command(Act::Unregister, "Unregister") }</> };
    let dialog = (*confirming).map(|act| {
        let names = targets(act);
        let verb = if act == Act::Register { "Register" } else { "Unregister" };
        let on_confirm = {
            let (perform, names) = (perform.clone(), names.clone());
            Callback::from(move |()| perform.emit((act, names.clone())))
        };
        let on_cancel = {
            let confirming = confirming.clone();
            Callback::from(move |()| confirming.set(None))
        };
        html! {
            <Dialog title={format!("{verb} resource providers")} confirm_label={verb} {on_confirm} {on_cancel} danger={act == Act::Unregister}>
                <p>{ format!("{verb} these {} resource providers in {}?", names.len(), v.subscription_name) }</p>
                <ul data-testid="confirm-list">{ for names.iter().map(|n| html! { <li>{ n }</li> }) }</ul>
            </Dialog>
        }
    });
    let rows = PROVIDERS.iter().filter(|p| p.to_ascii_lowercase().contains(&filter.to_ascii_lowercase())).map(|p| {
        let is_registered = registered(p);
        let in_flight = running && acting.iter().any(|a| a == p);
        let status = match (is_registered, in_flight) {
            (false, true) => "Registering",
            (true, true) => "Unregistering",
            (true, false) => "Registered",
            (false, false) => "NotRegistered",
        };
        let checked = selected.iter().any(|s| s == p);
        let toggle = crate::pages::form::toggle_in(&selected, (*p).to_string());
        html! {
            <tr class={classes!(checked.then_some("selected"))}>
                <td class="select"><input type="checkbox" {checked} onchange={toggle} aria-label={format!("Select {p}")} /></td>
                <td>{ *p }</td>
                <td data-testid={format!("status-{p}")}>{ status }</td>
            </tr>
        }
    });
    html! {
        <Blade title="Resource providers" subtitle={v.subscription_name.clone()} crumbs={vec![("Subscriptions".into(), Route::Subscriptions), (v.subscription_name.clone().into(), Route::Subscription), ("Resource providers".into(), Route::ResourceProviders)]}
            menu={html! { <super::resource_group::SubscriptionMenu current="providers" /> }} {commands}>
            <input class="filter" type="search" aria-label="Filter by name" placeholder="Filter by name..." value={(*filter).clone()} {oninput} />
            if let Some(Err(e)) = done.as_ref().map(|d| &d.result) { <MessageBar kind={MessageKind::Error}>{ error_text(e) }</MessageBar> }
            <table class="grid" data-testid="provider-table">
                <thead><tr><th scope="col" class="select"><span class="sr-only">{"Select"}</span></th><th scope="col">{"Provider"}</th><th scope="col">{"Status"}</th></tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
            { dialog.unwrap_or_default() }
        </Blade>
    }
}
