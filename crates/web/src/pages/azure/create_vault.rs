use cmk_core::location::AZURE_LOCATIONS;
use cmk_core::{Command, CreateVault};
use yew::prelude::*;

use crate::components::{Blade, MessageBar, MessageKind};
use crate::context::use_app;
use crate::pages::form::{error_text, row, select, text_input, use_request};
use crate::route::{navigate, Route};

/// "Create a key vault": the Basics and Access configuration tabs of the portal, on one page.
#[function_component(CreateVaultPage)]
pub fn create_vault_page() -> Html {
    let ctx = use_app();
    let first_rg = ctx.view.resource_groups.first().map(|r| r.name.clone()).unwrap_or_default();
    let rg = use_state(|| first_rg);
    let name = use_state(String::new);
    let location = use_state(|| "westeurope".to_string());
    let model = use_state(|| "rbac".to_string());
    let retention = use_state(|| "90".to_string());
    let purge = use_state(|| "enable".to_string());
    let (request, done, running) = use_request();
    {
        let target = match &done {
            Some(d) if d.result.is_ok() => Some((*name).clone()),
            _ => None,
        };
        use_effect_with(target, |t| {
            if let Some(vault) = t {
                navigate(&Route::Vault { vault: vault.clone() });
            }
        });
    }
    let onsubmit = {
        let send = ctx.send.clone();
        let (rg, name, location, model, retention, purge, request) = (
            rg.clone(),
            name.clone(),
            location.clone(),
            model.clone(),
            retention.clone(),
            purge.clone(),
            request.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let mut cmd = CreateVault::new((*name).clone(), (*rg).clone(), (*location).clone());
            cmd.enable_rbac_authorization = *model == "rbac";
            cmd.retention_days = retention.parse().unwrap_or(0);
            cmd.enable_purge_protection = *purge == "enable";
            request.set(Some(send.emit(Command::CreateVault(cmd))));
        })
    };
    let rgs: Vec<(String, String)> =
        ctx.view.resource_groups.iter().map(|r| (r.name.clone(), r.name.clone())).collect();
    let locations: Vec<(String, String)> = AZURE_LOCATIONS.iter().map(|(n, l)| ((*n).into(), (*l).into())).collect();
    let models = vec![
        ("rbac".to_string(), "Azure role-based access control (recommended)".to_string()),
        ("policy".to_string(), "Vault access policy".to_string()),
    ];
    let purge_options = vec![
        ("enable".to_string(), "Enable purge protection (enforce a mandatory retention period)".to_string()),
        (
            "disable".to_string(),
            "Disable purge protection (allow key vault and objects to be purged during retention)".to_string(),
        ),
    ];
    html! {
        <Blade title="Create a key vault" crumbs={vec![("Key vaults".into(), Route::KeyVaults)]}>
            <form class="wizard" {onsubmit} aria-label="Create a key vault">
                <h2>{"Project details"}</h2>
                { row("Subscription", "kv-sub", true, html! { <input id="kv-sub" value={ctx.view.subscription_name.clone()} disabled=true /> }, None) }
                { row("Resource group", "kv-rg", true, select("kv-rg", &rg, rgs.clone()), None) }
                if rgs.is_empty() {
                    <MessageBar kind={MessageKind::Warning}>{"There is no resource group yet. "}<a href={Route::ResourceGroups.href()}>{"Create one"}</a>{" first."}</MessageBar>
                }
                <h2>{"Instance details"}</h2>
                { row("Key vault name", "kv-name", true, text_input("kv-name", &name, "3–24 letters, digits and hyphens"), Some("Vault names are global: they become https://{name}.vault.azure.net.")) }
                { row("Region", "kv-location", true, select("kv-location", &location, locations), None) }
                { row("Pricing tier", "kv-sku", true, html! { <input id="kv-sku" value="Standard" disabled=true /> }, None) }
                <h2>{"Recovery options"}</h2>
                { row("Days to retain deleted vaults", "kv-retention", true, html! {
                    <input id="kv-retention" data-testid="kv-retention" type="number" min="7" max="90" value={(*retention).clone()}
                        oninput={ let r = retention.clone(); Callback::from(move |e: InputEvent| r.set(e.target_unchecked_into::<web_sys::HtmlInputElement>().value())) } />
                }, Some("Soft delete is always on; the retention (7–90 days) is fixed once the vault exists.")) }
                { row("Purge protection", "kv-purge", false, select("kv-purge", &purge, purge_options), Some("Once enabled, purge protection cannot be turned off. Power Platform needs it.")) }
                <h2>{"Access configuration"}</h2>
                { row("Permission model", "kv-model", true, select("kv-model", &model, models), Some("With Azure RBAC, even the subscription Owner needs a Key Vault data role (e.g. Key Vault Crypto Officer) to create keys.")) }
                if let Some(Err(e)) = done.as_ref().map(|d| &d.result) { <MessageBar kind={MessageKind::Error}>{ error_text(e) }</MessageBar> }
                <div class="form-actions">
                    <button class="primary" type="submit" disabled={running} data-testid="kv-submit">{ if running { "Deploying…" } else { "Review + create" } }</button>
                    <a class="button" href={Route::KeyVaults.href()}>{"Cancel"}</a>
                </div>
            </form>
        </Blade>
    }
}
