//! Subscriptions, and a subscription's Resource providers (SPEC EP-1: Register
//! Microsoft.PowerPlatform before deploying an enterprise policy).

use cmk_core::azure::{provider_registered, PROVIDERS};
use cmk_core::Command;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::{Blade, MessageBar, MessageKind};
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
                        <td>{ v.signed_in.azure_roles.iter().filter(|r| r.ends_with(&format!("@ {scope}"))).map(|r| r.split(" @ ").next().unwrap_or(r).to_string()).collect::<Vec<_>>().join(", ") }</td>
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

#[function_component(ResourceProvidersPage)]
pub fn resource_providers_page() -> Html {
    let ctx = use_app();
    let filter = use_state(String::new);
    let (request, done, running) = use_request();
    let registering = use_state(|| None::<String>);
    let oninput = {
        let filter = filter.clone();
        Callback::from(move |e: InputEvent| filter.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let v = &ctx.view;
    let rows = PROVIDERS.iter().filter(|p| p.to_ascii_lowercase().contains(&filter.to_ascii_lowercase())).map(|p| {
        let registered = provider_registered(&v.registered_providers, p);
        let status = if registered {
            "Registered"
        } else if running && registering.as_deref() == Some(*p) {
            "Registering"
        } else {
            "NotRegistered"
        };
        let register = {
            let (send, request, registering, ns) = (ctx.send.clone(), request.clone(), registering.clone(), (*p).to_string());
            Callback::from(move |_: MouseEvent| {
                registering.set(Some(ns.clone()));
                request.set(Some(send.emit(Command::RegisterProvider { namespace: ns.clone() })));
            })
        };
        html! {
            <tr>
                <td>{ *p }</td>
                <td data-testid={format!("status-{p}")}>{ status }</td>
                <td>if !registered { <button class="cmd" onclick={register} disabled={running} aria-label={format!("Register {p}")}>{"Register"}</button> }</td>
            </tr>
        }
    });
    html! {
        <Blade title="Resource providers" subtitle={v.subscription_name.clone()} crumbs={vec![("Subscriptions".into(), Route::Subscriptions), (v.subscription_name.clone().into(), Route::Subscription), ("Resource providers".into(), Route::ResourceProviders)]}
            menu={html! { <super::resource_group::SubscriptionMenu current="providers" /> }}>
            <input class="filter" type="search" aria-label="Filter by name" placeholder="Filter by name..." value={(*filter).clone()} {oninput} />
            if let Some(Err(e)) = done.as_ref().map(|d| &d.result) { <MessageBar kind={MessageKind::Error}>{ error_text(e) }</MessageBar> }
            <table class="grid" data-testid="provider-table">
                <thead><tr><th scope="col">{"Provider"}</th><th scope="col">{"Status"}</th><th scope="col"></th></tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
        </Blade>
    }
}
