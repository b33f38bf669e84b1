//! A vault's Networking (Firewalls and virtual networks, Private endpoint connections) and
//! Properties (soft delete, purge protection) blades. SPEC KV-2, KV-3, KV-10.

use cmk_core::azure::authz::CLIENT_IP;
use cmk_core::azure::vault::{permission_label, KeyPermission};
use cmk_core::command::{NetworkRule, UpdateVault};
use cmk_core::Command;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::{Blade, Dialog, MessageBar, MessageKind};
use crate::context::use_app;
use crate::pages::form::{error_text, use_request};
use crate::route::Route;

#[derive(Properties, PartialEq)]
pub struct VaultProps {
    pub vault: AttrValue,
    /// Properties reached as Settings › Access configuration (the same page: the permission
    /// model is on it), titled and highlighted as that item.
    #[prop_or_default]
    pub access_configuration: bool,
}

fn menu(vault: &str, current: &'static str) -> Option<Html> {
    Some(html! { <super::vault_menu::VaultMenu vault={vault.to_string()} {current} /> })
}

fn crumbs(vault: &str, last: &'static str, route: Route) -> Vec<(AttrValue, Route)> {
    vec![
        ("Key vaults".into(), Route::KeyVaults),
        (vault.to_string().into(), Route::Vault { vault: vault.into() }),
        (last.into(), route),
    ]
}

#[function_component(VaultNetworkingPage)]
pub fn vault_networking_page(props: &VaultProps) -> Html {
    let ctx = use_app();
    let (request, done, running) = use_request();
    let listing = ctx.view.vault(&props.vault);
    let current = listing.map(|l| {
        let p = &l.vault.properties;
        let access = match (p.public_network_access == "Enabled", p.network_acls.default_action == "Deny") {
            (false, _) => Access::Disabled,
            (true, true) => Access::Selected,
            (true, false) => Access::All,
        };
        (access, p.network_acls.bypass == "AzureServices")
    });
    let access = use_state(|| current.map(|c| c.0).unwrap_or(Access::All));
    let bypass = use_state(|| current.map(|c| c.1).unwrap_or(true));
    let ip = use_state(String::new);
    let confirming = use_state(|| false);
    let endpoint = use_state(String::new);
    let route = Route::VaultNetworking { vault: props.vault.to_string() };
    let Some(l) = listing else {
        return html! { <Blade title="Networking" crumbs={crumbs(&props.vault, "Networking", route)}><MessageBar kind={MessageKind::Error}>{"This key vault was not found, or the signed-in persona cannot read it."}</MessageBar></Blade> };
    };
    let p = &l.vault.properties;
    let name = l.vault.name.clone();
    let update = access.update(&name, *bypass);
    let apply_now = {
        let (send, request, update) = (ctx.send.clone(), request.clone(), update.clone());
        Callback::from(move |()| request.set(Some(send.emit(Command::UpdateVault(update.clone())))))
    };
    // Cutting Power Platform off is confirmed first (SPEC LOCK-1: environments lock).
    let apply = {
        let (apply_now, confirming, access, bypass) =
            (apply_now.clone(), confirming.clone(), access.clone(), bypass.clone());
        Callback::from(
            move |_: MouseEvent| {
                if *access != Access::All && !*bypass {
                    confirming.set(true)
                } else {
                    apply_now.emit(())
                }
            },
        )
    };
    let radio = |value: Access, label: &'static str| {
        let access = access.clone();
        html! { <label class="radio"><input type="radio" name="public-access" checked={*access == value} onchange={Callback::from(move |_: Event| access.set(value))} />{ format!(" {label}") }</label> }
    };
    // The firewall's IP rules act at once, one rule per command, as az keyvault network-rule does.
    let rule = {
        let (send, request, name) = (ctx.send.clone(), request.clone(), name.clone());
        Callback::from(move |(add, ips): (bool, Vec<String>)| {
            let rule = NetworkRule { vault: name.clone(), ip_addresses: ips, subnet: None };
            request.set(Some(send.emit(if add {
                Command::AddNetworkRule(rule)
            } else {
                Command::RemoveNetworkRule(rule)
            })));
        })
    };
    let add_ip = {
        let (ip, rule) = (ip.clone(), rule.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            rule.emit((true, vec![(*ip).clone()]));
            ip.set(String::new());
        })
    };
    let on_ip = {
        let ip = ip.clone();
        Callback::from(move |e: InputEvent| ip.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let client_listed = p.network_acls.ip_rules.iter().any(|r| r.value == format!("{CLIENT_IP}/32"));
    let add_client = {
        let rule = rule.clone();
        Callback::from(move |_: MouseEvent| rule.emit((true, vec![CLIENT_IP.to_string()])))
    };
    let ip_rows = p.network_acls.ip_rules.iter().map(|r| {
        let (rule, value) = (rule.clone(), r.value.clone());
        let remove = Callback::from(move |_: MouseEvent| rule.emit((false, vec![value.clone()])));
        html! {
            <tr>
                <td><code>{ &r.value }</code></td>
                <td><button class="link" onclick={remove} disabled={running} aria-label={format!("Delete {}", r.value)}>{"Delete"}</button></td>
            </tr>
        }
    });
    let on_bypass = {
        let bypass = bypass.clone();
        Callback::from(move |e: Event| bypass.set(e.target_unchecked_into::<HtmlInputElement>().checked()))
    };
    let add_endpoint = {
        let (send, request, name, endpoint, rg) =
            (ctx.send.clone(), request.clone(), name.clone(), endpoint.clone(), l.vault.resource_group.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            request.set(Some(send.emit(Command::CreatePrivateEndpoint {
                name: (*endpoint).clone(),
                resource_group: rg.clone(),
                vault: name.clone(),
            })));
        })
    };
    let on_endpoint = {
        let endpoint = endpoint.clone();
        Callback::from(move |e: InputEvent| endpoint.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let dialog = (*confirming).then(|| {
        let close = confirming.clone();
        let on_confirm = { let close = close.clone(); let apply_now = apply_now.clone(); Callback::from(move |()| { apply_now.emit(()); close.set(false); }) };
        html! {
            <Dialog title="Disable public access" confirm_label="Save" danger=true {on_confirm} on_cancel={Callback::from(move |()| close.set(false))}>
                <p>{"Without the exception for trusted Microsoft services, Power Platform can no longer reach this vault's keys through the firewall: every environment whose enterprise policy uses them locks at the next health check."}</p>
                <crate::components::WhatIf command={Command::UpdateVault(update.clone())} />
            </Dialog>
        }
    });
    html! {
        <Blade title="Networking" subtitle={name.clone()} crumbs={crumbs(&name, "Networking", route)} menu={menu(&name, "networking")}>
            <h2>{"Firewalls and virtual networks"}</h2>
            <p>{ format!("Public network access: {}", p.public_network_access) }</p>
            <fieldset class="plain">
                <legend>{"Allow access from:"}</legend>
                { radio(Access::All, "Allow public access from all networks") }
                { radio(Access::Selected, "Allow public access from specific virtual networks and IP addresses") }
                { radio(Access::Disabled, "Disable public access") }
            </fieldset>
            <h2>{"Exception"}</h2>
            <label class="radio"><input type="checkbox" checked={*bypass} onchange={on_bypass} />{" Allow trusted Microsoft services to bypass this firewall"}</label>
            if let Some(Err(e)) = done.as_ref().map(|d| &d.result) { <MessageBar kind={MessageKind::Error}>{ error_text(e) }</MessageBar> }
            <div class="form-actions"><button class="primary" onclick={apply} disabled={running}>{"Apply"}</button></div>
            // As the portal: the firewall's lists show while specific networks are chosen.
            if *access == Access::Selected {
                <h2>{"Firewall"}</h2>
                <p class="hint">{"Add IPv4 addresses or CIDR ranges to let them through while public access is limited to specific networks."}</p>
                if p.network_acls.default_action == "Allow" && p.public_network_access == "Enabled" {
                    <p class="hint">{"These rules apply once \"Allow public access from specific virtual networks and IP addresses\" is applied; today every network gets through."}</p>
                }
                <table class="grid" data-testid="ip-rules" aria-label="IP address rules">
                    <thead><tr><th scope="col">{"IPv4 address or CIDR"}</th><th scope="col"></th></tr></thead>
                    <tbody>{ for ip_rows }</tbody>
                </table>
                if p.network_acls.ip_rules.is_empty() { <p class="empty">{"No IP address rules."}</p> }
                <div class="form-actions">
                    <button onclick={add_client} disabled={running || client_listed}>{ format!("Add your client IP address ('{CLIENT_IP}')") }</button>
                </div>
                <form class="inline-form" onsubmit={add_ip} aria-label="Add an IP address rule">
                    <label for="fw-ip">{"IPv4 address or CIDR "}</label>
                    <input id="fw-ip" placeholder="203.0.113.0/24" value={(*ip).clone()} oninput={on_ip} />
                    <button type="submit" disabled={running || ip.trim().is_empty()}>{"Add"}</button>
                </form>
                if !p.network_acls.virtual_network_rules.is_empty() {
                    <h2>{"Virtual networks"}</h2>
                    <ul data-testid="vnet-rules">{ for p.network_acls.virtual_network_rules.iter().map(|r| html! { <li><code class="wrap">{ &r.id }</code></li> }) }</ul>
                }
            }
            <h2>{"Private endpoint connections"}</h2>
            <ul data-testid="private-endpoints">{ for p.private_endpoint_connections.iter().map(|e| html! { <li>{ e }</li> }) }</ul>
            if p.private_endpoint_connections.is_empty() { <p class="empty">{"No private endpoint connections."}</p> }
            <form class="inline-form" onsubmit={add_endpoint} aria-label="Create a private endpoint">
                <label for="pe-name">{"Private endpoint name "}</label>
                <input id="pe-name" value={(*endpoint).clone()} oninput={on_endpoint} />
                <button type="submit" disabled={running || endpoint.is_empty()}>{"+ Create"}</button>
            </form>
            { dialog.unwrap_or_default() }
        </Blade>
    }
}

/// The portal's "Allow access from" choice: ARM's public network access and default action.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Access {
    All,
    Selected,
    Disabled,
}

impl Access {
    fn update(self, name: &str, bypass: bool) -> UpdateVault {
        UpdateVault {
            name: name.into(),
            public_network_access: Some(self != Access::Disabled),
            bypass_azure_services: Some(bypass),
            // Disabling public access leaves the default action as it was, as the portal does.
            default_action_deny: (self != Access::Disabled).then_some(self == Access::Selected),
            ..Default::default()
        }
    }
}

#[function_component(VaultPropertiesPage)]
pub fn vault_properties_page(props: &VaultProps) -> Html {
    let ctx = use_app();
    let (request, done, running) = use_request();
    let rbac_choice = use_state(|| None::<bool>);
    let purge_choice = use_state(|| false);
    let route = Route::VaultProperties { vault: props.vault.to_string() };
    let Some(l) = ctx.view.vault(&props.vault) else {
        return html! { <Blade title="Properties" crumbs={crumbs(&props.vault, "Properties", route)}><MessageBar kind={MessageKind::Error}>{"This key vault was not found, or the signed-in persona cannot read it."}</MessageBar></Blade> };
    };
    let p = &l.vault.properties;
    let protected = p.enable_purge_protection == Some(true);
    // As the portal's Properties blade: the choices are staged, then Save applies them (the
    // document: "If you made changes, select Save"); Discard forgets them.
    let staged_model = (*rbac_choice).filter(|c| *c != p.enable_rbac_authorization);
    let staged_purge = *purge_choice && !protected;
    let changed = staged_model.is_some() || staged_purge;
    let choose_model = |rbac: bool| {
        let choice = rbac_choice.clone();
        Callback::from(move |_: Event| choice.set(Some(rbac)))
    };
    let enable = {
        let choice = purge_choice.clone();
        Callback::from(move |_: Event| choice.set(true))
    };
    let save = {
        let (send, request, name) = (ctx.send.clone(), request.clone(), l.vault.name.clone());
        let (rbac_choice, purge_choice) = (rbac_choice.clone(), purge_choice.clone());
        Callback::from(move |_: MouseEvent| {
            request.set(Some(send.emit(Command::UpdateVault(UpdateVault {
                name: name.clone(),
                enable_rbac_authorization: staged_model,
                enable_purge_protection: staged_purge.then_some(true),
                ..Default::default()
            }))));
            rbac_choice.set(None);
            purge_choice.set(false);
        })
    };
    let discard = {
        let (rbac_choice, purge_choice) = (rbac_choice.clone(), purge_choice.clone());
        Callback::from(move |_: MouseEvent| {
            rbac_choice.set(None);
            purge_choice.set(false);
        })
    };
    let rbac_shown = staged_model.unwrap_or(p.enable_rbac_authorization);
    html! {
        <Blade title={if props.access_configuration { "Access configuration" } else { "Properties" }} subtitle={l.vault.name.clone()} crumbs={crumbs(&l.vault.name, "Properties", route)}
            menu={menu(&l.vault.name, if props.access_configuration { "accessconfiguration" } else { "properties" })}>
            <dl class="essentials">
                <dt>{"Vault URI"}</dt><dd><code>{ &p.vault_uri }</code></dd>
                <dt>{"Resource ID"}</dt><dd><code class="wrap">{ &l.vault.id }</code></dd>
                <dt>{"Soft-delete"}</dt>
                <dd data-testid="soft-delete">{ if p.enable_soft_delete { "Soft delete has been enabled on this key vault" } else { "Soft delete is disabled on this key vault" } }</dd>
                <dt>{"Days to retain deleted vaults"}</dt><dd>{ p.soft_delete_retention_in_days }</dd>
            </dl>
            <h2>{"Access configuration"}</h2>
            <p>{"Permission model"}</p>
            <div class="command-bar" role="toolbar" aria-label="Properties">
                <button class="cmd" onclick={save} disabled={running || !changed}>{"Save"}</button>
                <button class="cmd" onclick={discard} disabled={running || !changed}>{"Discard"}</button>
            </div>
            <label class="radio"><input type="radio" name="model" checked={rbac_shown} disabled={running} onchange={choose_model(true)} />{" Azure role-based access control (recommended)"}</label>
            <label class="radio"><input type="radio" name="model" checked={!rbac_shown} disabled={running} onchange={choose_model(false)} />{" Vault access policy"}</label>
            <p class="hint">{"Switching the model changes who can use the keys at once: an enterprise policy's identity granted under the other model loses access."}</p>
            <h2>{"Purge protection"}</h2>
            <label class="radio"><input type="radio" name="purge" checked={!protected && !staged_purge} disabled={protected} onchange={ let c = purge_choice.clone(); Callback::from(move |_: Event| c.set(false)) } />{" Disable purge protection (allow key vault and objects to be purged during retention period)"}</label>
            <label class="radio"><input type="radio" name="purge" checked={protected || staged_purge} disabled={protected || running || !p.enable_soft_delete} onchange={enable} />{" Enable purge protection (enforce a mandatory retention period for deleted vaults and vault objects)"}</label>
            if changed { <p class="hint" data-testid="unsaved">{"You have unsaved changes: select Save to apply them."}</p> }
            if protected { <p class="hint">{"Once enabled, purge protection cannot be turned off."}</p> }
            if !p.enable_soft_delete { <MessageBar kind={MessageKind::Warning}>{"Purge protection needs soft delete; without both, this vault cannot hold a customer-managed key for Power Platform."}</MessageBar> }
            if let Some(Err(e)) = done.as_ref().map(|d| &d.result) { <MessageBar kind={MessageKind::Error}>{ error_text(e) }</MessageBar> }
        </Blade>
    }
}

/// Access policies (the legacy permission model): who holds which key permissions; add one
/// with permission checkboxes and a principal; remove one.
#[function_component(AccessPoliciesPage)]
pub fn access_policies_page(props: &VaultProps) -> Html {
    let ctx = use_app();
    let (request, done, running) = use_request();
    let chosen = use_state(|| vec!["get".to_string(), "unwrapKey".to_string(), "wrapKey".to_string()]);
    let principal = use_state(String::new);
    // Select, then act: the policies ticked (by object id), and whether Delete asks.
    let selected = use_state(Vec::<String>::new);
    let removing = use_state(|| false);
    let route = Route::AccessPolicies { vault: props.vault.to_string() };
    let Some(l) = ctx.view.vault(&props.vault) else {
        return html! { <Blade title="Access policies" crumbs={crumbs(&props.vault, "Access policies", route)}><MessageBar kind={MessageKind::Error}>{"This key vault was not found, or the signed-in persona cannot read it."}</MessageBar></Blade> };
    };
    let v = &ctx.view;
    let who = |id: &str| super::principal_label(v, id);
    let name = l.vault.name.clone();
    let toggle = |perm: &'static str| {
        let chosen = chosen.clone();
        Callback::from(move |e: Event| {
            let on = e.target_unchecked_into::<HtmlInputElement>().checked();
            let mut next: Vec<String> = (*chosen).clone();
            next.retain(|p| p != perm);
            if on {
                next.push(perm.to_string());
            }
            chosen.set(next);
        })
    };
    let on_principal = {
        let principal = principal.clone();
        Callback::from(move |e: Event| principal.set(e.target_unchecked_into::<web_sys::HtmlSelectElement>().value()))
    };
    let create = {
        let (send, request, name, chosen, principal) =
            (ctx.send.clone(), request.clone(), name.clone(), chosen.clone(), principal.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            request.set(Some(send.emit(Command::SetAccessPolicy {
                vault: name.clone(),
                object_id: (*principal).clone(),
                permissions: (*chosen).clone(),
            })));
        })
    };
    let delete = |oid: &str| Command::DeleteAccessPolicy { vault: name.clone(), object_id: oid.to_string() };
    let dialog = (*removing && !selected.is_empty()).then(|| {
        let (send, request, close, selected_c) = (ctx.send.clone(), request.clone(), removing.clone(), selected.clone());
        let commands: Vec<Command> = selected.iter().map(|oid| delete(oid)).collect();
        let sent = commands.clone();
        let on_confirm = {
            let close = close.clone();
            Callback::from(move |()| {
                let mut last = None;
                for c in &sent {
                    last = Some(send.emit(c.clone()));
                }
                request.set(last);
                selected_c.set(Vec::new());
                close.set(false);
            })
        };
        html! {
            <Dialog title="Delete access policies" confirm_label="Delete" danger=true {on_confirm} on_cancel={Callback::from(move |()| close.set(false))}>
                <p>{ format!("Remove every key permission of these principals on this vault?") }</p>
                <ul data-testid="confirm-list">{ for selected.iter().map(|oid| html! { <li>{ who(oid) }</li> }) }</ul>
                <MessageBar kind={MessageKind::Warning}>{"If one is an enterprise policy's identity, its environments lock at the next health check."}</MessageBar>
                { for commands.into_iter().map(|command| html! { <crate::components::WhatIf {command} /> }) }
            </Dialog>
        }
    });
    let commands = html! {
        <button class="cmd" disabled={selected.is_empty() || running} onclick={{ let r = removing.clone(); Callback::from(move |_: MouseEvent| r.set(true)) }}>{"Delete"}</button>
    };
    html! {
        <Blade title="Access policies" subtitle={name.clone()} crumbs={crumbs(&name, "Access policies", route)} menu={menu(&name, "accesspolicies")} {commands}>
            if l.vault.properties.enable_rbac_authorization {
                <MessageBar kind={MessageKind::Info}>{"This vault uses Azure role-based access control: access policies are not evaluated. Use Access control (IAM)."}</MessageBar>
            }
            if let Some(Err(e)) = done.as_ref().map(|d| &d.result) { <MessageBar kind={MessageKind::Error}>{ error_text(e) }</MessageBar> }
            <table class="grid" data-testid="access-policy-table">
                <thead><tr><th scope="col" class="select"><span class="sr-only">{"Select"}</span></th><th scope="col">{"Name"}</th><th scope="col">{"Key permissions"}</th></tr></thead>
                <tbody>
                    { for l.vault.properties.access_policies.iter().map(|p| {
                        let checked = selected.contains(&p.object_id);
                        let toggle = crate::pages::form::toggle_in(&selected, p.object_id.clone());
                        html! {
                            <tr key={p.object_id.clone()} class={classes!(checked.then_some("selected"))}>
                                <td class="select"><input type="checkbox" {checked} onchange={toggle} aria-label={format!("Select access policy of {}", who(&p.object_id))} /></td>
                                <td>{ who(&p.object_id) }</td>
                                <td>{ p.permissions.keys.iter().map(|k| permission_label(k)).collect::<Vec<_>>().join(", ") }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            <form class="inline-form panel" onsubmit={create} aria-label="Create an access policy">
                <h2>{"Create an access policy"}</h2>
                <h3>{"Key permissions"}</h3>
                <div class="permission-groups">
                    { for KeyPermission::GROUPS.iter().map(|(group, perms)| html! {
                        <fieldset class="permissions"><legend>{ *group }</legend>
                            { for perms.iter().map(|perm| html! {
                                <label class="radio"><input type="checkbox" checked={chosen.iter().any(|c| c == perm.as_str())} onchange={toggle(perm.as_str())} />{ perm.label() }</label>
                            }) }
                        </fieldset>
                    }) }
                </div>
                <div class="form-row"><label for="ap-principal">{"Principal"}</label><div class="control">
                    <select id="ap-principal" onchange={on_principal}>
                        <option value="">{"Select a user or managed identity"}</option>
                        { for super::principal_options(v).into_iter().map(|(id, name)| html! { <option value={id}>{ name }</option> }) }
                    </select>
                </div></div>
                <div class="form-actions"><button class="primary" type="submit" disabled={running || principal.is_empty() || chosen.is_empty()}>{"Create"}</button></div>
            </form>
            { dialog.unwrap_or_default() }
        </Blade>
    }
}
