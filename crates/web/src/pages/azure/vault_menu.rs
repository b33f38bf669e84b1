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
        MenuItem::new("Activity log", "activitylog", Route::VaultItem { vault: v(), item: "activitylog".into() }),
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

/// The menu's item for a page's path word (`tags`, `secrets`), in a vault's or an HSM's menu:
/// its key and label.
fn item_of(vault: &str, word: &str) -> Option<(&'static str, &'static str)> {
    [false, true]
        .into_iter()
        .flat_map(|hsm| groups(vault, "", hsm))
        .flat_map(|(_, items)| items)
        .find(|i| i.key == word)
        .map(|i| (i.key, i.label))
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
    let hsm = super::is_hsm(&listing.vault);
    html! { <ResourceMenu kind={super::vault_kind(&listing.vault)} groups={groups(&props.vault, &listing.vault.id, hsm)} current={props.current} /> }
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
    let Some((key, label)) = item_of(&vault, &props.item) else {
        return html! { <Blade title="Page not found" {crumbs}><p>{ format!("A key vault has no '{}' page.", props.item) }</p></Blade> };
    };
    let Some(listing) = ctx.view.vault(&vault) else {
        return html! {
            <Blade title={label} {crumbs}><MessageBar kind={MessageKind::Error}>{"This key vault was not found, or the signed-in persona cannot read it."}</MessageBar></Blade>
        };
    };
    let menu = html! { <VaultMenu vault={props.vault.clone()} current={key} /> };
    let body = match key {
        "localrbac" | "securitydomain" if super::is_hsm(&listing.vault) => {
            html! { <super::HsmSection listing={listing.clone()} part={Some(key)} /> }
        }
        "tags" => html! {
            <>
                <p class="hint">{"Tags are name/value pairs kept on the vault: set them when it is created, or in the Cloud Shell with az keyvault update --tags."}</p>
                { crate::components::status::tag_table(&listing.vault.tags) }
            </>
        },
        "activitylog" => {
            html! { <super::activity_log::ActivityLog scope={listing.vault.id.clone()} data_plane_note=true /> }
        }
        item => html! {
            <MessageBar kind={MessageKind::Info}>{ format!("{label} is not simulated in this playground. {}", why_not(item)) }</MessageBar>
        },
    };
    html! {
        <Blade title={format!("{vault} | {label}")} subtitle={super::vault_kind(&listing.vault)} {crumbs} {menu}>{ body }</Blade>
    }
}

fn why_not(item: &str) -> &'static str {
    match item {
        "secrets" | "certificates" => "Customer-managed keys for Power Platform use keys only.",
        "events" => "Event Grid subscriptions on key events are not part of the rehearsal.",
        "locks" => "Deletion is guarded here by soft delete and purge protection, as Power Platform requires.",
        _ => "There is nothing to diagnose in a simulated vault.",
    }
}
