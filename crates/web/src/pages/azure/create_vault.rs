//! Create a key vault, as the portal's wizard: **Basics** (name checked against SPEC KV-1 as you
//! type, region, pricing tier, **Days to retain deleted vaults**, **Purge protection**), **Access
//! configuration** (Azure role-based access control or Vault access policy), **Networking**
//! (public access, trusted-services exception), **Review + create**.

use cmk_core::azure::vault::{check_vault_name, VaultSku};
use cmk_core::location::AZURE_LOCATIONS;
use cmk_core::{Command, CreateVault};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::location_label;
use crate::components::{Blade, MessageBar, MessageKind};
use crate::context::use_app;
use crate::pages::form::{error_text, row, select, text_input, use_request};
use crate::route::{navigate, Route};

#[derive(Clone, Copy, PartialEq)]
enum Tab {
    Basics,
    Access,
    Networking,
    Review,
}

/// What the wizard's fields hold.
#[derive(Clone, PartialEq)]
struct Form {
    rg: UseStateHandle<String>,
    name: UseStateHandle<String>,
    location: UseStateHandle<String>,
    sku: UseStateHandle<String>,
    model: UseStateHandle<String>,
    retention: UseStateHandle<String>,
    purge: UseStateHandle<bool>,
    public: UseStateHandle<bool>,
    bypass: UseStateHandle<bool>,
}

#[hook]
fn use_form(first_rg: String) -> Form {
    Form {
        rg: use_state(|| first_rg),
        name: use_state(String::new),
        location: use_state(|| "westeurope".to_string()),
        sku: use_state(|| "standard".to_string()),
        model: use_state(|| "rbac".to_string()),
        retention: use_state(|| "90".to_string()),
        // As the real wizard: purge protection starts disabled, the trap the documents warn
        // about (Power Platform refuses such a vault later).
        purge: use_state(|| false),
        public: use_state(|| true),
        bypass: use_state(|| true),
    }
}

impl Form {
    /// Days to retain deleted vaults, checked as the person types (7 to 90).
    fn days(&self) -> Result<u32, String> {
        crate::pages::form::retention_days(&self.retention)
    }

    fn command(&self, days: u32) -> Command {
        let mut cmd = CreateVault::new((*self.name).clone(), (*self.rg).clone(), (*self.location).clone());
        cmd.sku = if *self.sku == "premium" { VaultSku::Premium } else { VaultSku::Standard };
        cmd.enable_rbac_authorization = *self.model == "rbac";
        cmd.retention_days = days;
        cmd.enable_purge_protection = *self.purge;
        cmd.public_network_access = *self.public;
        cmd.bypass_azure_services = *self.bypass;
        Command::CreateVault(cmd)
    }
}

#[function_component(CreateVaultPage)]
pub fn create_vault_page() -> Html {
    let ctx = use_app();
    let tab = use_state(|| Tab::Basics);
    let form = use_form(ctx.view.resource_groups.first().map(|r| r.name.clone()).unwrap_or_default());
    let (request, done, running) = use_request();
    {
        let target = match &done {
            Some(d) if d.result.is_ok() => Some((*form.name).clone()),
            _ => None,
        };
        use_effect_with(target, |t| {
            if let Some(vault) = t {
                navigate(&Route::Vault { vault: vault.clone() });
            }
        });
    }
    // Checked as the person types: KV-1 names, 7–90 retention days.
    let name_check = if form.name.is_empty() { None } else { check_vault_name(&form.name).err() };
    let days = form.days();
    let valid = !form.name.is_empty() && name_check.is_none() && days.is_ok() && !form.rg.is_empty();
    let goto = |t: Tab| {
        let tab = tab.clone();
        Callback::from(move |_: MouseEvent| tab.set(t))
    };
    let create = {
        let (send, form, request, days) = (ctx.send.clone(), form.clone(), request.clone(), days.clone());
        Callback::from(move |_: MouseEvent| {
            if let Ok(days) = days {
                request.set(Some(send.emit(form.command(days))));
            }
        })
    };
    let tabs = html! {
        <div class="tabs" role="tablist" aria-label="Create a key vault">
            { for [(Tab::Basics, "Basics"), (Tab::Access, "Access configuration"), (Tab::Networking, "Networking"), (Tab::Review, "Review + create")].into_iter().map(|(t, label)| {
                let current = *tab == t;
                html! { <button type="button" role="tab" class={classes!("tab", current.then_some("active"))} aria-selected={current.to_string()} onclick={goto(t)}>{ label }</button> }
            }) }
        </div>
    };
    let body = match *tab {
        Tab::Basics => basics(&form, &ctx.view, name_check.as_ref(), &days),
        Tab::Access => {
            let models = vec![
                ("rbac".to_string(), "Azure role-based access control (recommended)".to_string()),
                ("policy".to_string(), "Vault access policy".to_string()),
            ];
            row("Permission model", "kv-model", true, select("kv-model", &form.model, models), Some("With Azure RBAC, even the subscription Owner needs a Key Vault data role (e.g. Key Vault Crypto Officer) to create keys; with access policies the creator gets one."))
        }
        Tab::Networking => {
            let (public, bypass) = (form.public.clone(), form.bypass.clone());
            html! {
                <>
                    <label class="radio"><input type="checkbox" checked={*public} onchange={ let p = public.clone(); Callback::from(move |e: Event| p.set(e.target_unchecked_into::<HtmlInputElement>().checked())) } />{" Enable public access"}</label>
                    <label class="radio"><input type="checkbox" checked={*bypass} onchange={ let b = bypass.clone(); Callback::from(move |e: Event| b.set(e.target_unchecked_into::<HtmlInputElement>().checked())) } />{" Allow trusted Microsoft services to bypass this firewall"}</label>
                </>
            }
        }
        Tab::Review => review(&form, valid),
    };
    html! {
        <Blade title="Create a key vault" crumbs={vec![("Key vaults".into(), Route::KeyVaults)]}>
            { tabs }
            <div class="wizard" aria-label="Create a key vault">
                { body }
                if let Some(Err(e)) = done.as_ref().map(|d| &d.result) { <MessageBar kind={MessageKind::Error}>{ error_text(e) }</MessageBar> }
                <div class="form-actions">
                    if *tab == Tab::Review {
                        <button class="primary" type="button" disabled={running || !valid} data-testid="kv-create" onclick={create}>{ if running { "Deploying…" } else { "Create" } }</button>
                    } else {
                        <button class="primary" type="button" data-testid="kv-submit" onclick={goto(Tab::Review)}>{"Review + create"}</button>
                    }
                    <a class="button" href={Route::KeyVaults.href()}>{"Cancel"}</a>
                </div>
            </div>
        </Blade>
    }
}

/// The Basics tab: project and instance details, recovery options.
fn basics(
    form: &Form,
    view: &cmk_core::View,
    name_check: Option<&cmk_core::Error>,
    days: &Result<u32, String>,
) -> Html {
    let rgs: Vec<(String, String)> = view.resource_groups.iter().map(|r| (r.name.clone(), r.name.clone())).collect();
    let locations: Vec<(String, String)> = AZURE_LOCATIONS.iter().map(|(n, l)| ((*n).into(), (*l).into())).collect();
    let skus = vec![("standard".to_string(), "Standard".to_string()), ("premium".to_string(), "Premium".to_string())];
    let radio = |state: &UseStateHandle<bool>, value: bool, group: &'static str, label: &'static str| {
        let s = state.clone();
        html! { <label class="radio"><input type="radio" name={group} checked={**state == value} onchange={Callback::from(move |_: Event| s.set(value))} />{ format!(" {label}") }</label> }
    };
    let retention = form.retention.clone();
    html! {
        <>
            <h2>{"Project details"}</h2>
            { row("Subscription", "kv-sub", true, html! { <input id="kv-sub" value={view.subscription_name.clone()} disabled=true /> }, None) }
            { row("Resource group", "kv-rg", true, select("kv-rg", &form.rg, rgs.clone()), None) }
            if rgs.is_empty() {
                <MessageBar kind={MessageKind::Warning}>{"There is no resource group yet. "}<a href={Route::ResourceGroups.href()}>{"Create one"}</a>{" first."}</MessageBar>
            }
            <h2>{"Instance details"}</h2>
            { row("Key vault name", "kv-name", true, text_input("kv-name", &form.name, "3–24 letters, digits and hyphens"), Some("Vault names are global: they become https://{name}.vault.azure.net.")) }
            if let Some(e) = name_check { <p class="field-error" data-testid="kv-name-error" role="alert">{ e.message().to_string() }</p> }
            { row("Region", "kv-location", true, select("kv-location", &form.location, locations), None) }
            { row("Pricing tier", "kv-sku", true, select("kv-sku", &form.sku, skus), Some("Premium vaults can hold HSM-protected (RSA-HSM) keys.")) }
            <h2>{"Recovery options"}</h2>
            <p>{"Soft delete is enabled on every new key vault."}</p>
            { row("Days to retain deleted vaults", "kv-retention", true, html! {
                <input id="kv-retention" data-testid="kv-retention" type="number" min="7" max="90" value={(*retention).clone()}
                    oninput={ let r = retention.clone(); Callback::from(move |e: InputEvent| r.set(e.target_unchecked_into::<HtmlInputElement>().value())) } />
            }, Some("7 to 90 days, fixed once the vault exists.")) }
            if let Err(e) = days { <p class="field-error" role="alert">{ e.clone() }</p> }
            <div class="form-row"><span>{"Purge protection"}</span><div class="control">
                { radio(&form.purge, false, "purge", "Disable purge protection (allow key vault and objects to be purged during retention period)") }
                { radio(&form.purge, true, "purge", "Enable purge protection (enforce a mandatory retention period for deleted vaults and vault objects)") }
                <div class="help">{"Once enabled, purge protection cannot be turned off. Power Platform needs it."}</div>
            </div></div>
        </>
    }
}

/// The Review + create tab: what will be deployed.
fn review(form: &Form, valid: bool) -> Html {
    html! {
        <>
            if valid { <MessageBar kind={MessageKind::Success}>{"Validation passed"}</MessageBar> } else { <MessageBar kind={MessageKind::Error}>{"Validation failed. Required information is missing or not valid: on the Basics tab, a valid name, a resource group and 7–90 days."}</MessageBar> }
            <dl class="essentials" data-testid="kv-review">
                <dt>{"Name"}</dt><dd>{ (*form.name).clone() }</dd>
                <dt>{"Resource group"}</dt><dd>{ (*form.rg).clone() }</dd>
                <dt>{"Region"}</dt><dd>{ location_label(&form.location) }</dd>
                <dt>{"Pricing tier"}</dt><dd>{ if *form.sku == "premium" { "Premium" } else { "Standard" } }</dd>
                <dt>{"Soft-delete"}</dt><dd>{ format!("Enabled ({} days)", form.retention.trim()) }</dd>
                <dt>{"Purge protection"}</dt><dd>{ if *form.purge { "Enabled" } else { "Disabled" } }</dd>
                <dt>{"Permission model"}</dt><dd>{ if *form.model == "rbac" { "Azure role-based access control" } else { "Vault access policy" } }</dd>
                <dt>{"Public access"}</dt><dd>{ if *form.public { "Enabled" } else { "Disabled" } }</dd>
            </dl>
        </>
    }
}
