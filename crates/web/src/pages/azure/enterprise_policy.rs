//! Enterprise policies as Azure resources: the list, and a policy's page with Overview,
//! Identity, Health (SPEC EP-8) and JSON View; Access control (IAM) is one click away.

use yew::prelude::*;

use cmk_core::Command;

use crate::components::{Blade, CopyButton, Dialog, JsonView, MenuItem, MessageBar, MessageKind, ResourceMenu};
use crate::context::use_app;
use crate::route::Route;

#[function_component(EnterprisePoliciesPage)]
pub fn enterprise_policies_page() -> Html {
    let ctx = use_app();
    html! {
        <Blade title="Enterprise policies" subtitle="Power Platform" crumbs={vec![("Enterprise policies".into(), Route::EnterprisePolicies)]}>
            <table class="grid" data-testid="azure-policy-table">
                <thead><tr><th scope="col">{"Name"}</th><th scope="col">{"Kind"}</th><th scope="col">{"Resource group"}</th><th scope="col">{"Location"}</th><th scope="col">{"Health"}</th></tr></thead>
                <tbody>
                    { for ctx.view.policies.iter().map(|p| html! {
                        <tr key={p.id.clone()}>
                            <td><a href={Route::EnterprisePolicy { name: p.name.clone() }.href()}>{ &p.name }</a></td>
                            <td>{ &p.kind }</td><td>{ &p.resource_group }</td><td>{ &p.location }</td>
                            <td><span class={classes!("health", p.health_status.to_ascii_lowercase())}>{ &p.health_status }</span></td>
                        </tr>
                    }) }
                </tbody>
            </table>
            if ctx.view.policies.is_empty() { <p class="empty">{"No enterprise policies you can read. Deploy one with "}<a href={Route::DeployTemplate.href()}>{"Deploy a custom template"}</a>{"."}</p> }
        </Blade>
    }
}

#[derive(Properties, PartialEq)]
pub struct PolicyProps {
    pub name: AttrValue,
    /// An item of its resource menu (`properties`, `json`, `activitylog`); none: the Overview.
    #[prop_or_default]
    pub item: Option<AttrValue>,
}

#[function_component(EnterprisePolicyPage)]
pub fn enterprise_policy_page(props: &PolicyProps) -> Html {
    let ctx = use_app();
    let deleting = use_state(|| false);
    let (request, done, _) = crate::pages::form::use_request();
    let crumbs = vec![("Enterprise policies".into(), Route::EnterprisePolicies)];
    let Some(p) = ctx.view.policies.iter().find(|p| p.name.eq_ignore_ascii_case(&props.name)) else {
        return html! {
            <Blade title={props.name.clone()} {crumbs}>
                <MessageBar kind={MessageKind::Error}>{ format!("Enterprise policy '{}' was not found, or the signed-in persona cannot read it.", props.name) }</MessageBar>
            </Blade>
        };
    };
    let key = &p.properties.encryption.key_vault;
    let vault = key.id.rsplit('/').next().unwrap_or(&key.id).to_string();
    let version =
        key.key.version.clone().map(|v| format!("{v} (pinned)")).unwrap_or_else(|| "Current version (followed)".into());
    let commands = html! {
        <button class="cmd" onclick={{ let d = deleting.clone(); Callback::from(move |_: MouseEvent| d.set(true)) }}>{"Delete"}</button>
    };
    let current = match props.item.as_deref() {
        Some("properties") => "properties",
        Some("json") => "json",
        Some("activitylog") => "activitylog",
        _ => "overview",
    };
    let at = |item: &str| Route::EnterprisePolicyItem { name: p.name.clone(), item: item.into() };
    let groups = vec![
        (
            "",
            vec![
                MenuItem::new("Overview", "overview", Route::EnterprisePolicy { name: p.name.clone() }),
                MenuItem::new("Activity log", "activitylog", at("activitylog")),
                MenuItem::new("Access control (IAM)", "iam", Route::AccessControl { scope: p.id.clone() }),
            ],
        ),
        (
            "Settings",
            vec![
                MenuItem::new("Properties", "properties", at("properties")),
                MenuItem::new("JSON View", "json", at("json")),
            ],
        ),
    ];
    let menu = html! { <ResourceMenu kind="Enterprise policy" {groups} {current} /> };
    let crumbs = {
        let mut c = crumbs.clone();
        c.push((p.name.clone().into(), Route::EnterprisePolicy { name: p.name.clone() }));
        c
    };
    match current {
        "properties" => {
            return html! {
                <Blade title={format!("{} | Properties", p.name)} subtitle="Enterprise policy" {crumbs} {menu}>
                    <dl class="essentials" data-testid="policy-properties">
                        <dt>{"Name"}</dt><dd>{ &p.name }</dd>
                        <dt>{"Type"}</dt><dd>{ &p.resource_type }</dd>
                        <dt>{"Kind"}</dt><dd>{ &p.kind }</dd>
                        <dt>{"Location"}</dt><dd>{ &p.location }</dd>
                        <dt>{"Subscription ID"}</dt><dd><code>{ &p.subscription_id }</code></dd>
                        <dt>{"Resource group"}</dt><dd>{ &p.resource_group }</dd>
                        <dt>{"Encryption state"}</dt><dd>{ &p.properties.encryption.state }</dd>
                        <dt>{"Key vault ID"}</dt><dd><code class="wrap">{ &key.id }</code></dd>
                        <dt>{"Key name"}</dt><dd>{ &key.key.name }</dd>
                        <dt>{"Key version"}</dt><dd>{ version }</dd>
                        <dt>{"Resource ID"}</dt><dd><code class="wrap">{ &p.id }</code></dd>
                    </dl>
                </Blade>
            };
        }
        "json" => {
            return html! {
                <Blade title={format!("{} | JSON View", p.name)} subtitle="Enterprise policy" {crumbs} {menu}>
                    <JsonView value={serde_json::to_value(p).unwrap_or_default()} />
                </Blade>
            };
        }
        "activitylog" => {
            return html! {
                <Blade title={format!("{} | Activity log", p.name)} subtitle="Enterprise policy" {crumbs} {menu}>
                    <super::activity_log::ActivityLog scope={p.id.clone()} />
                </Blade>
            };
        }
        _ => {}
    }
    let dialog = (*deleting).then(|| {
        let (send, request, close, id) = (ctx.send.clone(), request.clone(), deleting.clone(), p.id.clone());
        let on_confirm = { let close = close.clone(); Callback::from(move |()| { request.set(Some(send.emit(Command::DeleteResource { id: id.clone() }))); close.set(false); }) };
        html! {
            <Dialog title="Delete enterprise policy" confirm_label="Delete" danger=true {on_confirm} on_cancel={Callback::from(move |()| close.set(false))}>
                <p>{ format!("Delete '{}' and its managed identity? A policy still used by environments cannot be deleted: remove them first.", p.name) }</p>
                <crate::components::WhatIf command={Command::DeleteResource { id: p.id.clone() }} />
            </Dialog>
        }
    });
    html! {
        <Blade title={p.name.clone()} subtitle="Enterprise policy" {crumbs} {commands} {menu}>
            <h2 class="with-link">{"Essentials"}<a href={at("json").href()}>{"JSON View"}</a></h2>
            <dl class="essentials">
                <dt>{"Kind"}</dt><dd>{ &p.kind }</dd>
                <dt>{"Location"}</dt><dd>{ &p.location }</dd>
                <dt>{"Resource group"}</dt><dd>{ &p.resource_group }</dd>
                <dt>{"Key vault"}</dt><dd><a href={Route::Vault { vault: vault.clone() }.href()}>{ vault.clone() }</a></dd>
                <dt>{"Key"}</dt><dd>{ &key.key.name }</dd>
                <dt>{"Key version"}</dt><dd>{ version }</dd>
                <dt>{"Resource ID"}</dt><dd><code class="wrap">{ &p.id }</code>{" "}<CopyButton text={p.id.clone()} what="Resource ID" /></dd>
            </dl>
            <h2>{"Identity"}</h2>
            <dl class="essentials">
                <dt>{"Type"}</dt><dd>{"System assigned"}</dd>
                <dt>{"Object (principal) ID"}</dt><dd><code data-testid="principal-id">{ &p.identity.principal_id }</code>{" "}<CopyButton text={p.identity.principal_id.clone()} what="Object (principal) ID" /></dd>
            </dl>
            <h2>{"Key hierarchy"}</h2>
            <crate::components::KeyHierarchy policy={p.name.clone()} />
            // The document's next steps happen in the other portal: say where, and go there.
            <p class="hint">
                {"Environments are added to this policy in the Power Platform admin center: "}
                <a href={Route::Ppac(crate::route::PpacRoute::EnterprisePolicy { name: p.name.clone() }).href()}>{"Open this policy in the Power Platform admin center"}</a>
            </p>
            <h2>{"Health"}</h2>
            if p.health_status == "Healthy" {
                <MessageBar kind={MessageKind::Success}><span data-testid="azure-policy-health">{"Healthy"}</span>{": its identity can use the key (wrap and unwrap)."}</MessageBar>
            } else {
                <MessageBar kind={MessageKind::Error}>
                    <strong data-testid="azure-policy-health">{"Unhealthy"}</strong>
                    if let Some(r) = &p.properties.health_reason {
                        { format!(": {}.", cmk_core::error::key_access_in_words(&r.code).unwrap_or("its identity cannot use the key")) }
                    }
                    <p>{"Fix: grant the identity Key Vault Crypto Service Encryption User on the vault (or an access policy with Get, Wrap Key, Unwrap Key), keep the key and its version enabled, and let trusted Microsoft services through the vault's firewall."}</p>
                    if let Some(r) = &p.properties.health_reason { { crate::components::message_bar::details(&r.code, &r.message) } }
                </MessageBar>
            }
            if !p.properties.cmk_eligibility.eligible {
                <MessageBar kind={MessageKind::Warning}>{ p.properties.cmk_eligibility.message.clone().unwrap_or_default() }</MessageBar>
            }
            if let Some(Err(e)) = done.as_ref().map(|d| &d.result) { <MessageBar kind={MessageKind::Error}>{ crate::pages::form::error_text(e) }</MessageBar> }
            { dialog.unwrap_or_default() }
        </Blade>
    }
}
