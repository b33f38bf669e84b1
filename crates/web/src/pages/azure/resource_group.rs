//! The subscription's and a resource group's blades, each with the real portal's resource menu:
//! Subscription (Overview, Activity log, Access control (IAM), Settings › Resource groups,
//! Resources, Resource providers) and Resource group (Overview with its resources, Activity log,
//! Access control (IAM), Tags, Settings › Deployments).

use yew::prelude::*;

use super::activity_log::ActivityLog;
use super::location_label;
use crate::components::{Blade, MenuItem, MessageBar, MessageKind, ResourceMenu};
use crate::context::use_app;
use crate::route::Route;

/// The subscription's resource menu.
#[derive(Properties, PartialEq)]
pub struct MenuProps {
    pub current: &'static str,
}

#[function_component(SubscriptionMenu)]
pub fn subscription_menu(props: &MenuProps) -> Html {
    let ctx = use_app();
    let scope = format!("/subscriptions/{}", ctx.view.subscription_id);
    let item = |key: &str| Route::SubscriptionItem { item: key.into() };
    let groups = vec![
        (
            "",
            vec![
                MenuItem::new("Overview", "overview", Route::Subscription),
                MenuItem::new("Activity log", "activitylog", item("activitylog")),
                MenuItem::new("Access control (IAM)", "iam", Route::AccessControl { scope }),
            ],
        ),
        (
            "Settings",
            vec![
                MenuItem::new("Resource groups", "resourcegroups", Route::ResourceGroups),
                MenuItem::new("Resources", "resources", Route::ResourceGraph),
                MenuItem::new("Resource providers", "providers", Route::ResourceProviders),
            ],
        ),
    ];
    html! { <ResourceMenu kind="Subscription" {groups} current={props.current} /> }
}

/// A subscription's Overview: its essentials.
#[function_component(SubscriptionPage)]
pub fn subscription_page() -> Html {
    let ctx = use_app();
    let v = &ctx.view;
    let roles = super::subscription_roles(v);
    let menu = html! { <SubscriptionMenu current="overview" /> };
    html! {
        <Blade title={v.subscription_name.clone()} subtitle="Subscription" crumbs={vec![("Subscriptions".into(), Route::Subscriptions)]} {menu}>
            <h2>{"Essentials"}</h2>
            <dl class="essentials" data-testid="subscription-essentials">
                <dt>{"Subscription ID"}</dt><dd><code>{ &v.subscription_id }</code></dd>
                <dt>{"Subscription name"}</dt><dd>{ &v.subscription_name }</dd>
                <dt>{"Directory"}</dt><dd>{ &v.tenant_domain }</dd>
                <dt>{"My role"}</dt><dd>{ if roles.is_empty() { "—".to_string() } else { roles.join(", ") } }</dd>
                <dt>{"Status"}</dt><dd>{"Active"}</dd>
                <dt>{"Resource groups"}</dt><dd>{ v.resource_groups.len() }</dd>
            </dl>
        </Blade>
    }
}

#[derive(Properties, PartialEq)]
pub struct ItemProps {
    pub item: AttrValue,
}

/// The subscription's Activity log (its only item with a path word of its own).
#[function_component(SubscriptionItemPage)]
pub fn subscription_item_page(props: &ItemProps) -> Html {
    let ctx = use_app();
    let name = ctx.view.subscription_name.clone();
    let menu = html! { <SubscriptionMenu current="activitylog" /> };
    let crumbs = vec![("Subscriptions".into(), Route::Subscriptions), (name.clone().into(), Route::Subscription)];
    let body = if props.item == "activitylog" {
        html! { <ActivityLog scope={format!("/subscriptions/{}", ctx.view.subscription_id)} /> }
    } else {
        html! { <MessageBar kind={MessageKind::Info}>{"This page is not simulated in this playground."}</MessageBar> }
    };
    html! {
        <Blade title={format!("{name} | Activity log")} subtitle="Subscription" {crumbs} {menu}>{ body }</Blade>
    }
}

/// A resource group's menu items beside its Overview: path word and label.
const GROUP_ITEMS: [(&str, &str); 3] =
    [("activitylog", "Activity log"), ("tags", "Tags"), ("deployments", "Deployments")];

/// A resource group's resource menu.
#[derive(Properties, PartialEq)]
pub struct GroupMenuProps {
    pub group: AttrValue,
    pub current: &'static str,
}

#[function_component(ResourceGroupMenu)]
pub fn resource_group_menu(props: &GroupMenuProps) -> Html {
    let ctx = use_app();
    let Some(rg) = ctx.view.resource_groups.iter().find(|g| g.name.eq_ignore_ascii_case(&props.group)) else {
        return Html::default();
    };
    let group = rg.name.clone();
    let item = |key: &str| Route::ResourceGroupItem { group: group.clone(), item: key.into() };
    let groups = vec![
        (
            "",
            vec![
                MenuItem::new("Overview", "overview", Route::ResourceGroup { group: group.clone() }),
                MenuItem::new("Activity log", "activitylog", item("activitylog")),
                MenuItem::new("Access control (IAM)", "iam", Route::AccessControl { scope: rg.id.clone() }),
                MenuItem::new("Tags", "tags", item("tags")),
            ],
        ),
        ("Settings", vec![MenuItem::new("Deployments", "deployments", item("deployments"))]),
    ];
    html! { <ResourceMenu kind="Resource group" {groups} current={props.current} /> }
}

#[derive(Properties, PartialEq)]
pub struct GroupProps {
    pub group: AttrValue,
    /// An item of its menu (`tags`, `activitylog`, `deployments`); none: the Overview.
    #[prop_or_default]
    pub item: Option<AttrValue>,
}

/// A resource group's Overview (its essentials and its resources) or another item of its menu.
#[function_component(ResourceGroupPage)]
pub fn resource_group_page(props: &GroupProps) -> Html {
    let ctx = use_app();
    let v = &ctx.view;
    let crumbs = vec![("Resource groups".into(), Route::ResourceGroups)];
    let Some(rg) = v.resource_groups.iter().find(|g| g.name.eq_ignore_ascii_case(&props.group)) else {
        return html! {
            <Blade title={props.group.clone()} {crumbs}>
                <MessageBar kind={MessageKind::Error}>{ format!("Resource group '{}' was not found, or the signed-in persona cannot read it.", props.group) }</MessageBar>
            </Blade>
        };
    };
    let in_group = |g: &str| g.eq_ignore_ascii_case(&rg.name);
    let item = props.item.as_deref().unwrap_or_default();
    let (current, label) = GROUP_ITEMS.into_iter().find(|(k, _)| *k == item).unwrap_or(("overview", ""));
    let menu = html! { <ResourceGroupMenu group={rg.name.clone()} {current} /> };
    let body = match current {
        "overview" => {
            let row = |id: &str, name: &str, route: Route, kind: &str, location: &str| {
                html! {
                    <tr key={id.to_string()}>
                        <td><a href={route.href()}>{ name.to_string() }</a></td>
                        <td>{ kind.to_string() }</td><td>{ location_label(location) }</td>
                    </tr>
                }
            };
            let rows: Vec<Html> = v
                .vaults
                .iter()
                .filter(|l| in_group(&l.vault.resource_group))
                .map(|l| {
                    let vault = &l.vault;
                    let route = Route::Vault { vault: vault.name.clone() };
                    row(&vault.id, &vault.name, route, super::vault_kind(vault), &vault.location)
                })
                .chain(v.policies.iter().filter(|p| in_group(&p.resource_group)).map(|p| {
                    let route = Route::EnterprisePolicy { name: p.name.clone() };
                    row(&p.id, &p.name, route, "Enterprise policy", &p.location)
                }))
                .collect();
            html! {
                <>
                    <h2>{"Essentials"}</h2>
                    <dl class="essentials">
                        <dt>{"Subscription"}</dt><dd><a href={Route::Subscription.href()}>{ &v.subscription_name }</a></dd>
                        <dt>{"Subscription ID"}</dt><dd><code>{ &v.subscription_id }</code></dd>
                        <dt>{"Location"}</dt><dd>{ location_label(&rg.location) }</dd>
                        <dt>{"Tags"}</dt><dd>{ crate::components::status::tags(&rg.tags) }</dd>
                    </dl>
                    <h2>{"Resources"}</h2>
                    if rows.is_empty() {
                        <p class="empty" data-testid="no-resources">{"No resources to display."}</p>
                    } else {
                        <table class="grid" data-testid="rg-resources">
                            <thead><tr><th scope="col">{"Name"}</th><th scope="col">{"Type"}</th><th scope="col">{"Location"}</th></tr></thead>
                            <tbody>{ for rows }</tbody>
                        </table>
                    }
                </>
            }
        }
        "tags" => crate::components::status::tag_table(&rg.tags),
        "deployments" => {
            let rows: Vec<Html> = v
                .deployments
                .iter()
                .filter(|d| in_group(&d.resource_group))
                .rev()
                .map(|d| {
                    let p = &d.deployment.properties;
                    html! {
                        <tr key={d.deployment.id.clone()}>
                            <td><a href={Route::Deployment { group: rg.name.clone(), name: d.deployment.name.clone() }.href()}>{ &d.deployment.name }</a></td>
                            <td>{ &p.provisioning_state }</td>
                            <td>{ &p.timestamp }</td>
                            <td>{ if p.warnings.is_empty() { "—".to_string() } else { p.warnings.iter().map(|w| w.code.clone()).collect::<Vec<_>>().join(", ") } }</td>
                        </tr>
                    }
                })
                .collect();
            html! {
                if rows.is_empty() {
                    <p class="empty" data-testid="no-deployments">{"No deployments to display."}</p>
                } else {
                    <table class="grid" data-testid="deployment-table">
                        <thead><tr><th scope="col">{"Deployment name"}</th><th scope="col">{"Status"}</th><th scope="col">{"Last modified"}</th><th scope="col">{"Warnings"}</th></tr></thead>
                        <tbody>{ for rows }</tbody>
                    </table>
                }
            }
        }
        _ => html! { <ActivityLog scope={rg.id.clone()} /> },
    };
    let title = if label.is_empty() { rg.name.clone() } else { format!("{} | {label}", rg.name) };
    html! {
        <Blade {title} subtitle="Resource group" {crumbs} {menu}>{ body }</Blade>
    }
}

#[derive(Properties, PartialEq)]
pub struct DeploymentProps {
    pub group: AttrValue,
    pub name: AttrValue,
}

/// One deployment of a resource group: its outcome, what it made, and the template it deployed.
#[function_component(DeploymentPage)]
pub fn deployment_page(props: &DeploymentProps) -> Html {
    let ctx = use_app();
    let v = &ctx.view;
    let group = props.group.to_string();
    let crumbs = vec![
        ("Resource groups".into(), Route::ResourceGroups),
        (props.group.clone(), Route::ResourceGroup { group: group.clone() }),
        ("Deployments".into(), Route::ResourceGroupItem { group: group.clone(), item: "deployments".into() }),
    ];
    let found = v
        .deployments
        .iter()
        .find(|d| d.resource_group.eq_ignore_ascii_case(&group) && d.deployment.name.eq_ignore_ascii_case(&props.name));
    let Some(d) = found else {
        return html! {
            <Blade title={props.name.clone()} subtitle="Deployment" {crumbs}>
                <MessageBar kind={MessageKind::Error}>{ format!("Deployment '{}' could not be found in resource group '{group}', or the signed-in persona cannot read it.", props.name) }</MessageBar>
            </Blade>
        };
    };
    let p = &d.deployment.properties;
    let made = p.output_resources.iter().map(|r| {
        let name = r.id.rsplit('/').next().unwrap_or(&r.id).to_string();
        html! { <li><a href={Route::EnterprisePolicy { name: name.clone() }.href()}>{ name }</a></li> }
    });
    html! {
        <Blade title={format!("{} | Overview", d.deployment.name)} subtitle="Deployment" {crumbs}>
            <MessageBar kind={if p.warnings.is_empty() { MessageKind::Success } else { MessageKind::Warning }}>
                { if p.warnings.is_empty() { "Your deployment is complete".to_string() } else { format!("Your deployment is complete, with warnings: {}", p.warnings.iter().map(|w| w.message.clone()).collect::<Vec<_>>().join(" ")) } }
            </MessageBar>
            <dl class="essentials" data-testid="deployment-essentials">
                <dt>{"Deployment name"}</dt><dd>{ &d.deployment.name }</dd>
                <dt>{"Status"}</dt><dd>{ &p.provisioning_state }</dd>
                <dt>{"Start time"}</dt><dd>{ &p.timestamp }</dd>
                <dt>{"Resource group"}</dt><dd><a href={Route::ResourceGroup { group: d.resource_group.clone() }.href()}>{ &d.resource_group }</a></dd>
            </dl>
            <h2>{"Deployment details"}</h2>
            <ul>{ for made }</ul>
            <h2>{"Template"}</h2>
            <pre class="json-view" data-testid="deployment-template">{ &d.template }</pre>
        </Blade>
    }
}
