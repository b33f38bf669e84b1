//! A key vault's resource menu — the real portal's left menu inside the blade, with its groups
//! and search box — and the page for the items it lists that have no blade of their own here.

use yew::prelude::*;

use crate::components::{Blade, MenuItem, MessageBar, MessageKind, ResourceMenu};
use crate::context::use_app;
use crate::route::Route;

/// The menu's groups (the first has no heading), for a vault or a Managed HSM.
fn groups(vault: &str, id: &str, hsm: bool) -> Vec<(&'static str, Vec<MenuItem>)> {
    let v = || vault.to_string();
    let greyed = |label, key: &'static str| {
        MenuItem::greyed(label, key, Route::VaultItem { vault: vault.to_string(), item: key.to_string() })
    };
    let mut top = vec![
        MenuItem::new("Overview", "overview", Route::Vault { vault: v() }),
        greyed("Activity log", "activitylog"),
        MenuItem::new("Access control (IAM)", "iam", Route::AccessControl { scope: id.to_string() }),
        MenuItem::new("Tags", "tags", Route::VaultItem { vault: v(), item: "tags".into() }),
        greyed("Diagnose and solve problems", "diagnose"),
    ];
    if hsm {
        top.push(MenuItem::new("Local RBAC", "localrbac", Route::VaultItem { vault: v(), item: "localrbac".into() }));
    } else {
        top.push(MenuItem::new("Access policies", "accesspolicies", Route::AccessPolicies { vault: v() }));
        top.push(greyed("Events", "events"));
    }
    let mut objects = vec![MenuItem::new("Keys", "keys", Route::VaultKeys { vault: v() })];
    if !hsm {
        objects.push(greyed("Secrets", "secrets"));
        objects.push(greyed("Certificates", "certificates"));
    }
    let mut settings = Vec::new();
    if hsm {
        settings.push(MenuItem::new(
            "Security domain",
            "securitydomain",
            Route::VaultItem { vault: v(), item: "securitydomain".into() },
        ));
    } else {
        settings.push(MenuItem::new(
            "Access configuration",
            "accessconfiguration",
            Route::VaultAccessConfiguration { vault: v() },
        ));
    }
    settings.push(MenuItem::new("Networking", "networking", Route::VaultNetworking { vault: v() }));
    settings.push(MenuItem::new("Properties", "properties", Route::VaultProperties { vault: v() }));
    settings.push(greyed("Locks", "locks"));
    vec![("", top), ("Objects", objects), ("Settings", settings)]
}

/// The label of an item, for the title of its page.
fn label_of(vault: &str, key: &str) -> Option<&'static str> {
    [false, true]
        .into_iter()
        .flat_map(|hsm| groups(vault, "", hsm))
        .flat_map(|(_, items)| items)
        .find(|i| i.key == key)
        .map(|i| i.label)
}

#[derive(Properties, PartialEq)]
pub struct VaultMenuProps {
    pub vault: AttrValue,
    /// The item whose page is shown (highlighted, `aria-current`).
    pub current: &'static str,
}

/// The resource menu of a key vault or Managed HSM; nothing when the persona cannot read it.
#[function_component(VaultMenu)]
pub fn vault_menu(props: &VaultMenuProps) -> Html {
    let ctx = use_app();
    let Some(listing) = ctx.view.vault(&props.vault) else { return Html::default() };
    let hsm = listing.vault.resource_type.ends_with("managedHSMs");
    let kind = if hsm { "Managed HSM" } else { "Key vault" };
    html! { <ResourceMenu {kind} groups={groups(&props.vault, &listing.vault.id, hsm)} current={props.current} /> }
}

#[derive(Properties, PartialEq)]
pub struct VaultItemPageProps {
    pub vault: AttrValue,
    pub item: AttrValue,
}

/// Tags (read here), and the items of the menu the playground does not simulate, saying so.
#[function_component(VaultItemPage)]
pub fn vault_item_page(props: &VaultItemPageProps) -> Html {
    let ctx = use_app();
    let vault = props.vault.to_string();
    let crumbs =
        vec![("Key vaults".into(), Route::KeyVaults), (props.vault.clone(), Route::Vault { vault: vault.clone() })];
    let Some(label) = label_of(&vault, &props.item) else {
        return html! { <Blade title="Page not found" {crumbs}><p>{ format!("A key vault has no '{}' page.", props.item) }</p></Blade> };
    };
    let Some(listing) = ctx.view.vault(&vault) else {
        return html! {
            <Blade title={label} {crumbs}><MessageBar kind={MessageKind::Error}>{"This key vault was not found, or the signed-in persona cannot read it."}</MessageBar></Blade>
        };
    };
    let menu = html! { <VaultMenu vault={props.vault.clone()} current={label_of_key(&props.item)} /> };
    let subtitle = if listing.vault.resource_type.ends_with("managedHSMs") { "Managed HSM" } else { "Key vault" };
    let body = match props.item.as_str() {
        part @ ("localrbac" | "securitydomain") if subtitle == "Managed HSM" => {
            html! { <super::HsmSection listing={listing.clone()} part={Some(if part == "localrbac" { "localrbac" } else { "securitydomain" })} /> }
        }
        "tags" => {
            let tags = &listing.vault.tags;
            html! {
                <>
                    <p class="hint">{"Tags are name/value pairs kept on the vault: set them when it is created, or in the Cloud Shell with az keyvault update --tags."}</p>
                    if tags.is_empty() {
                        <p class="empty" data-testid="no-tags">{"No tags"}</p>
                    } else {
                        <table class="grid" data-testid="tag-table">
                            <thead><tr><th scope="col">{"Name"}</th><th scope="col">{"Value"}</th></tr></thead>
                            <tbody>{ for tags.iter().map(|(k, v)| html! { <tr key={k.clone()}><td>{ k }</td><td>{ v }</td></tr> }) }</tbody>
                        </table>
                    }
                </>
            }
        }
        item => html! {
            <MessageBar kind={MessageKind::Info}>{ format!("{label} is not simulated in this playground. {}", why_not(item)) }</MessageBar>
        },
    };
    html! {
        <Blade title={format!("{vault} | {label}")} {subtitle} {crumbs} {menu}>{ body }</Blade>
    }
}

/// The menu's key for a page's path word (the same words; `'static` for the props).
fn label_of_key(item: &str) -> &'static str {
    ["activitylog", "tags", "diagnose", "events", "secrets", "certificates", "locks", "localrbac", "securitydomain"]
        .into_iter()
        .find(|k| *k == item)
        .unwrap_or("overview")
}

fn why_not(item: &str) -> &'static str {
    match item {
        "activitylog" => {
            "What the clock did to this vault's keys is in the notifications (the bell) and in sim clock show."
        }
        "secrets" | "certificates" => "Customer-managed keys for Power Platform use keys only.",
        "events" => "Event Grid subscriptions on key events are not part of the rehearsal.",
        "locks" => "Deletion is guarded here by soft delete and purge protection, as Power Platform requires.",
        _ => "There is nothing to diagnose in a simulated vault.",
    }
}
