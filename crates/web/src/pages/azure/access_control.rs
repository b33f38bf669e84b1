//! Access control (IAM) at any scope: Role assignments (inherited or not), Check access,
//! remove; and + Add › Add role assignment with its Role, Members and Review + assign tabs.

use cmk_core::azure::rbac::BUILTIN_ROLES;
use cmk_core::view::RoleAssignmentView;
use cmk_core::{Command, View};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::{Blade, Dialog, Icon, IconName, MessageBar, MessageKind};
use crate::context::use_app;
use crate::pages::form::error_text;
use crate::route::{navigate, Route};

/// What each built-in role is for, in a line.
pub fn role_description(name: &str) -> &'static str {
    match name {
        "Owner" => "Full access to manage all resources, including assigning roles in Azure RBAC.",
        "Contributor" => "Manage all resources, but not assign roles or manage access.",
        "Reader" => "View all resources, but make no changes.",
        "User Access Administrator" => "Manage who has access to Azure resources.",
        "Key Vault Administrator" => "All data-plane operations on a key vault and its keys, secrets and certificates.",
        "Key Vault Crypto Officer" => "Any action on the keys of a key vault, except managing permissions.",
        "Key Vault Crypto User" => "Cryptographic operations with keys.",
        "Key Vault Crypto Service Encryption User" => {
            "Read key metadata and wrap / unwrap: what a service's managed identity needs for a customer-managed key."
        }
        "Key Vault Reader" => "Read metadata of key vaults and their keys.",
        "Managed HSM Crypto User" => "Cryptographic operations with the keys of a Managed HSM.",
        _ => "",
    }
}

/// A scope's display name: the last segment, or the subscription's name.
pub fn scope_label(view: &View, scope: &str) -> String {
    let (name, kind) = scope_parts(view, scope);
    format!("{name} ({})", kind.to_ascii_lowercase())
}

/// A scope's name and its kind in the portal's words ("kv-contoso-cmk", "Key vault").
pub fn scope_parts(view: &View, scope: &str) -> (String, &'static str) {
    let parts: Vec<&str> = scope.trim_end_matches('/').split('/').collect();
    match parts.as_slice() {
        ["", "subscriptions", _] => (view.subscription_name.clone(), "Subscription"),
        ["", "subscriptions", _, "resourceGroups", rg] => ((*rg).to_string(), "Resource group"),
        [.., kind, name] => {
            let kind = match kind.to_ascii_lowercase().as_str() {
                "vaults" => "Key vault",
                "managedhsms" => "Managed HSM",
                "enterprisepolicies" => "Enterprise policy",
                "keys" => "Key",
                _ => "Resource",
            };
            ((*name).to_string(), kind)
        }
        _ => (scope.into(), "Resource"),
    }
}

fn covers(assigned: &str, scope: &str) -> bool {
    let (a, s) = (assigned.to_ascii_lowercase(), scope.to_ascii_lowercase());
    s == a || s.starts_with(&format!("{a}/"))
}

/// Who a principal is: a persona (User) or a policy's identity (Managed identity).
fn member(view: &View, principal: &str) -> (String, &'static str) {
    if let Some(u) = view.personas.iter().find(|u| u.id == principal) {
        return (u.display_name.clone(), "User");
    }
    if let Some(p) = view.policies.iter().find(|p| p.identity.principal_id == principal) {
        return (p.name.clone(), "Managed identity");
    }
    (principal.into(), "Unknown (deleted identity)")
}

#[derive(Properties, PartialEq)]
pub struct ScopeProps {
    pub scope: AttrValue,
}

#[function_component(AccessControlPage)]
pub fn access_control_page(props: &ScopeProps) -> Html {
    let ctx = use_app();
    let check = use_state(|| false);
    let who = use_state(String::new);
    // Select, then act: the assignments ticked (made at this scope), and whether Remove asks.
    let selected = use_state(Vec::<RoleAssignmentView>::new);
    let removing = use_state(|| false);
    let adding = use_state(|| false);
    let requests = use_state(Vec::<u64>::new);
    let scope = props.scope.to_string();
    let v = &ctx.view;
    let here: Vec<&RoleAssignmentView> = v.role_assignments.iter().filter(|a| covers(&a.scope, &scope)).collect();
    let tab = |label: &'static str, on: bool| {
        let check = check.clone();
        let current = *check == on;
        html! { <button role="tab" class={classes!("tab", current.then_some("active"))} aria-selected={current.to_string()} onclick={Callback::from(move |_| check.set(on))}>{ label }</button> }
    };
    let errors = request_errors(&requests, &ctx.results);
    let body = if *check {
        let on_who = {
            let who = who.clone();
            Callback::from(move |e: Event| who.set(e.target_unchecked_into::<web_sys::HtmlSelectElement>().value()))
        };
        let mine: Vec<&&RoleAssignmentView> = here.iter().filter(|a| a.principal_id == *who).collect();
        html! {
            <>
                <label for="check-who">{"Check access for "}</label>
                <select id="check-who" onchange={on_who}>
                    <option value="">{"Select a user or managed identity"}</option>
                    { for v.personas.iter().map(|u| html! { <option value={u.id.clone()}>{ &u.display_name }</option> }) }
                    { for v.policies.iter().map(|p| html! { <option value={p.identity.principal_id.clone()}>{ format!("{} (managed identity)", p.name) }</option> }) }
                </select>
                if !who.is_empty() {
                    if mine.is_empty() {
                        <p data-testid="check-result">{"No role assignments at this scope or above: no access through Azure RBAC."}</p>
                    } else {
                        <ul data-testid="check-result">{ for mine.iter().map(|a| html! { <li>{ format!("{} — {}", a.role_definition_name, if covers(&scope, &a.scope) && a.scope.eq_ignore_ascii_case(&scope) { "this resource".to_string() } else { format!("inherited from {}", scope_label(v, &a.scope)) }) }</li> }) }</ul>
                    }
                }
            </>
        }
    } else {
        html! {
            <table class="grid" data-testid="assignment-table" aria-label="Role assignments">
                <thead><tr><th scope="col" class="select"><span class="sr-only">{"Select"}</span></th><th scope="col">{"Role"}</th><th scope="col">{"Name"}</th><th scope="col">{"Type"}</th><th scope="col">{"Scope"}</th></tr></thead>
                <tbody>
                    { for here.iter().map(|a| {
                        let (name, kind) = member(v, &a.principal_id);
                        let inherited = !a.scope.eq_ignore_ascii_case(&scope);
                        let checked = selected.iter().any(|s| s == *a);
                        let toggle = crate::pages::form::toggle_in(&selected, (*a).clone());
                        html! {
                            <tr key={format!("{}|{}|{}", a.principal_id, a.role_definition_name, a.scope)} class={classes!(checked.then_some("selected"))}>
                                <td class="select">
                                    // Inherited ones are removed where they are assigned, as in the portal.
                                    <input type="checkbox" {checked} disabled={inherited} onchange={toggle}
                                        aria-label={format!("Select {} for {}", a.role_definition_name, name)} />
                                </td>
                                <td>{ &a.role_definition_name }</td>
                                <td>{ name.clone() }</td>
                                <td>{ kind }</td>
                                <td>{ if inherited { format!("Inherited: {}", scope_label(v, &a.scope)) } else { "This resource".to_string() } }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
        }
    };
    let delete = |a: &RoleAssignmentView| Command::DeleteRoleAssignment {
        assignee: a.principal_id.clone(),
        role: a.role_definition_name.clone(),
        scope: a.scope.clone(),
    };
    let dialog = (*removing && !selected.is_empty()).then(|| {
        let (send, removing_c, requests_c, selected_c) = (ctx.send.clone(), removing.clone(), requests.clone(), selected.clone());
        let on_confirm = Callback::from(move |()| {
            let mut sent = (*requests_c).clone();
            for a in selected_c.iter() {
                sent.push(send.emit(delete(a)));
            }
            requests_c.set(sent);
            selected_c.set(Vec::new());
            removing_c.set(false);
        });
        let close = removing.clone();
        let what = |a: &RoleAssignmentView| format!("'{}' from {} at {}", a.role_definition_name, member(v, &a.principal_id).0, scope_label(v, &a.scope));
        html! {
            <Dialog title="Remove role assignments" confirm_label="Yes" cancel_label="No" danger=true {on_confirm} on_cancel={Callback::from(move |()| close.set(false))}>
                if selected.len() == 1 {
                    <p>{ format!("Remove {}?", what(&selected[0])) }</p>
                } else {
                    <p>{ format!("Remove these {} role assignments?", selected.len()) }</p>
                    <ul data-testid="confirm-list">{ for selected.iter().map(|a| html! { <li>{ what(a) }</li> }) }</ul>
                }
                { for selected.iter().map(|a| html! { <crate::components::WhatIf command={delete(a)} /> }) }
            </Dialog>
        }
    });
    // The portal's command bar: + Add (a menu: Add role assignment; Add co-administrator, which
    // the playground does not simulate), Remove for what is selected.
    let commands = html! {
        <>
            <div class="add-menu">
                <button class="cmd" aria-haspopup="true" aria-expanded={adding.to_string()}
                    onclick={{ let a = adding.clone(); Callback::from(move |_: MouseEvent| a.set(!*a)) }}
                    onkeydown={{ let a = adding.clone(); Callback::from(move |e: KeyboardEvent| if e.key() == "Escape" { a.set(false) }) }}>
                    <Icon name={IconName::Add} />{" Add"}
                </button>
                if *adding {
                    <ul class="menu-list" aria-label="Add">
                        <li><a href={Route::AddRoleAssignment { scope: scope.clone() }.href()}>{"Add role assignment"}</a></li>
                        <li><span class="greyed" aria-disabled="true" title="Not simulated in this playground">{"Add co-administrator"}</span></li>
                    </ul>
                }
            </div>
            <button class="cmd" disabled={selected.is_empty()} onclick={{ let r = removing.clone(); Callback::from(move |_: MouseEvent| r.set(true)) }}>{"Remove"}</button>
        </>
    };
    // A vault's (or Managed HSM's) IAM is an item of its resource menu.
    let menu = v
        .vaults
        .iter()
        .find(|l| l.vault.id.eq_ignore_ascii_case(&scope))
        .map(|l| html! { <super::vault_menu::VaultMenu vault={l.vault.name.clone()} current="iam" /> })
        .or_else(|| {
            let subscription = format!("/subscriptions/{}", v.subscription_id);
            scope
                .eq_ignore_ascii_case(&subscription)
                .then(|| html! { <super::resource_group::SubscriptionMenu current="iam" /> })
        })
        .or_else(|| {
            v.resource_groups.iter().find(|g| g.id.eq_ignore_ascii_case(&scope)).map(|g| {
                html! { <super::resource_group::ResourceGroupMenu group={g.name.clone()} current="iam" /> }
            })
        });
    html! {
        <Blade title={format!("{} | Access control (IAM)", scope_parts(v, &scope).0)} subtitle={scope_parts(v, &scope).1} crumbs={vec![(scope_label(v, &scope).into(), Route::AccessControl { scope: scope.clone() })]} {commands} {menu}>
            <div class="tabs" role="tablist" aria-label="Access control">{ tab("Check access", true) }{ tab("Role assignments", false) }</div>
            { errors }
            { body }
            { dialog.unwrap_or_default() }
        </Blade>
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Step {
    Role,
    Members,
    Review,
}

/// + Add › Add role assignment.
#[function_component(AddRoleAssignmentPage)]
pub fn add_role_assignment_page(props: &ScopeProps) -> Html {
    let ctx = use_app();
    let step = use_state(|| Step::Role);
    let role = use_state(String::new);
    let role_filter = use_state(String::new);
    let identities = use_state(|| false);
    let picking = use_state(|| false);
    let member_filter = use_state(String::new);
    let members = use_state(Vec::<(String, String)>::new);
    let requests = use_state(Vec::<u64>::new);
    let scope = props.scope.to_string();
    let v = &ctx.view;
    // Back to IAM once every assignment succeeded.
    {
        let results: Vec<Option<bool>> =
            requests.iter().map(|id| ctx.results.get(id).map(|c| c.result.is_ok())).collect();
        let scope = scope.clone();
        use_effect_with(results, move |r| {
            if !r.is_empty() && r.iter().all(|x| *x == Some(true)) {
                navigate(&Route::AccessControl { scope });
            }
        });
    }
    let errors = request_errors(&requests, &ctx.results);
    let goto = |s: Step| {
        let step = step.clone();
        Callback::from(move |_: MouseEvent| step.set(s))
    };
    let tabs = html! {
        <div class="tabs" role="tablist" aria-label="Add role assignment">
            { for [(Step::Role, "Role"), (Step::Members, "Members"), (Step::Review, "Review + assign")].into_iter().map(|(s, label)| {
                let current = *step == s;
                html! { <button role="tab" class={classes!("tab", current.then_some("active"))} aria-selected={current.to_string()} onclick={goto(s)}>{ label }</button> }
            }) }
        </div>
    };
    let body = match *step {
        Step::Role => role_step(&role, &role_filter, goto(Step::Members)),
        Step::Members => {
            let picker = MemberPicker {
                identities: identities.clone(),
                picking: picking.clone(),
                filter: member_filter.clone(),
                members: members.clone(),
            };
            members_step(v, &picker, goto(Step::Role), goto(Step::Review))
        }
        Step::Review => {
            let assign = {
                let (send, requests, role, members, scope) =
                    (ctx.send.clone(), requests.clone(), role.clone(), members.clone(), scope.clone());
                Callback::from(move |_: MouseEvent| {
                    let sent: Vec<u64> = members
                        .iter()
                        .map(|(id, _)| {
                            send.emit(Command::CreateRoleAssignment {
                                assignee: id.clone(),
                                role: (*role).clone(),
                                scope: scope.clone(),
                            })
                        })
                        .collect();
                    requests.set(sent);
                })
            };
            html! {
                <>
                    <dl class="essentials" data-testid="review">
                        <dt>{"Role"}</dt><dd>{ (*role).clone() }</dd>
                        <dt>{"Scope"}</dt><dd><code class="wrap">{ scope.clone() }</code></dd>
                        <dt>{"Members"}</dt><dd>{ members.iter().map(|(_, n)| n.clone()).collect::<Vec<_>>().join(", ") }</dd>
                    </dl>
                    <div class="form-actions">
                        <button onclick={goto(Step::Members)}>{"Previous"}</button>
                        <button class="primary" disabled={role.is_empty() || members.is_empty()} onclick={assign}>{"Review + assign"}</button>
                    </div>
                </>
            }
        }
    };
    html! {
        <Blade title="Add role assignment" subtitle={scope_label(v, &scope)} crumbs={vec![(scope_label(v, &scope).into(), Route::AccessControl { scope: scope.clone() })]}>
            { tabs }
            { errors }
            { body }
        </Blade>
    }
}

/// The errors of the requests a page sent, as message bars.
fn request_errors(requests: &[u64], results: &crate::store::Results) -> Html {
    requests
        .iter()
        .filter_map(|id| results.get(id))
        .filter_map(|c| c.result.as_ref().err().cloned())
        .map(|e| html! { <MessageBar kind={MessageKind::Error}>{ error_text(&e) }</MessageBar> })
        .collect()
}

fn filter_input(state: &UseStateHandle<String>, label: &'static str) -> Html {
    let s = state.clone();
    let oninput = Callback::from(move |e: InputEvent| s.set(e.target_unchecked_into::<HtmlInputElement>().value()));
    html! { <input class="filter" type="search" aria-label={label} placeholder={label} value={(**state).clone()} {oninput} /> }
}

/// The Role tab: the built-in roles, filtered by name or description.
fn role_step(role: &UseStateHandle<String>, role_filter: &UseStateHandle<String>, next: Callback<MouseEvent>) -> Html {
    let needle = role_filter.to_ascii_lowercase();
    html! {
        <>
            { filter_input(role_filter, "Search by role name or description") }
            <table class="grid" data-testid="role-table">
                <thead><tr><th scope="col"></th><th scope="col">{"Name"}</th><th scope="col">{"Description"}</th></tr></thead>
                <tbody>
                    { for BUILTIN_ROLES.iter().filter(|r| needle.is_empty() || r.name.to_ascii_lowercase().contains(&needle) || role_description(r.name).to_ascii_lowercase().contains(&needle)).map(|r| {
                        let choose = { let role = role.clone(); let name = r.name.to_string(); Callback::from(move |_: Event| role.set(name.clone())) };
                        html! {
                            <tr>
                                <td><input type="radio" name="role" id={format!("role-{}", r.id)} checked={**role == r.name} onchange={choose} /></td>
                                <td><label for={format!("role-{}", r.id)}>{ r.name }</label></td>
                                <td class="hint">{ role_description(r.name) }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            <div class="form-actions"><button class="primary" disabled={role.is_empty()} onclick={next}>{"Next"}</button></div>
        </>
    }
}

/// The Members tab's state: users or managed identities, the picker open, its filter, the chosen.
struct MemberPicker {
    identities: UseStateHandle<bool>,
    picking: UseStateHandle<bool>,
    filter: UseStateHandle<String>,
    members: UseStateHandle<Vec<(String, String)>>,
}

/// The Members tab: whom to assign the role to.
fn members_step(
    v: &cmk_core::View,
    picker: &MemberPicker,
    previous: Callback<MouseEvent>,
    next: Callback<MouseEvent>,
) -> Html {
    let kind = |managed: bool, label: &'static str| {
        let (identities, members) = (picker.identities.clone(), picker.members.clone());
        html! {
            <label class="radio"><input type="radio" name="assign-to" checked={*identities == managed}
                onchange={Callback::from(move |_: Event| { identities.set(managed); members.set(Vec::new()); })} />{ format!(" {label}") }</label>
        }
    };
    let needle = picker.filter.to_ascii_lowercase();
    let candidates: Vec<(String, String)> = if *picker.identities {
        v.policies
            .iter()
            .map(|p| (p.identity.principal_id.clone(), format!("{} (enterprise policy)", p.name)))
            .collect()
    } else {
        // A system-assigned managed identity is a service principal too: the document's search
        // for the enterprise policy by name finds it here as well (as in the portal).
        v.personas
            .iter()
            .map(|u| (u.id.clone(), format!("{} ({})", u.display_name, u.user_principal_name)))
            .chain(
                v.policies.iter().map(|p| (p.identity.principal_id.clone(), format!("{} (enterprise policy)", p.name))),
            )
            .collect()
    };
    let found: Vec<&(String, String)> =
        candidates.iter().filter(|(_, n)| needle.is_empty() || n.to_ascii_lowercase().contains(&needle)).collect();
    html! {
        <>
            <div class="form-row"><span>{"Assign access to"}</span><div class="control">{ kind(false, "User, group, or service principal") }{ kind(true, "Managed identity") }</div></div>
            <div class="form-row"><span>{"Members"}</span><div class="control">
                <button onclick={{ let p = picker.picking.clone(); Callback::from(move |_: MouseEvent| p.set(true)) }}>{"+ Select members"}</button>
                <ul data-testid="selected-members">{ for picker.members.iter().map(|(_, n)| html! { <li>{ n }</li> }) }</ul>
            </div></div>
            if *picker.picking {
                <div class="panel" role="group" aria-label="Select members">
                    <h2>{"Select members"}</h2>
                    { filter_input(&picker.filter, "Search by name") }
                    <ul class="pick-list">
                        { for found.iter().map(|(id, n)| {
                            let chosen = picker.members.iter().any(|(m, _)| m == id);
                            let select = { let members = picker.members.clone(); let pair = (id.clone(), n.clone()); Callback::from(move |_: MouseEvent| {
                                let mut next = (*members).clone();
                                if !next.contains(&pair) { next.push(pair.clone()); }
                                members.set(next);
                            }) };
                            html! { <li><button class="cmd" onclick={select} disabled={chosen} aria-label={format!("Select {n}")}>{ if chosen { "✔ " } else { "" } }{ n.clone() }</button></li> }
                        }) }
                    </ul>
                    if found.is_empty() {
                        <p class="empty" role="status">{ if needle.is_empty() { "Nothing to select.".to_string() } else { format!("No results for '{}'.", picker.filter.as_str()) } }{" An enterprise policy's identity appears under the policy's name once the policy is deployed."}</p>
                    }
                    <div class="form-actions"><button class="primary" onclick={{ let p = picker.picking.clone(); Callback::from(move |_: MouseEvent| p.set(false)) }}>{"Select"}</button></div>
                </div>
            }
            <div class="form-actions"><button onclick={previous}>{"Previous"}</button><button class="primary" disabled={picker.members.is_empty()} onclick={next}>{"Next"}</button></div>
        </>
    }
}
