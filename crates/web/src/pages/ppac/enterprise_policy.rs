//! One enterprise policy: its key and health, Environments with this policy, and Edit policy
//! with Add environments (Continue › Save › Confirm) and Remove environment (Continue › Save).

use cmk_core::view::AdminPolicyView;
use cmk_core::Command;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::enterprise_policies::vault_name;
use super::environments::{region_label, state_label};
use super::{pending_of, PpacPage};
use crate::components::{Dialog, EncryptionStatus, MessageBar, MessageKind};
use crate::context::{use_app, AppContext};
use crate::pages::form::error_text;
use crate::route::{EnvironmentTab, PpacRoute, Route};

#[derive(Properties, PartialEq)]
pub struct EnterprisePolicyProps {
    pub name: AttrValue,
    /// Open with Edit policy already chosen (the list's command bar).
    #[prop_or_default]
    pub edit: bool,
}

/// Where Edit policy stands.
#[derive(Clone, Debug, PartialEq)]
enum Edit {
    Closed,
    /// Edit policy is open, no picker.
    Open,
    /// Picking environments to add or remove.
    Picking {
        add: bool,
        chosen: Vec<String>,
    },
    /// Continue was pressed: the change waits for Save.
    Staged {
        add: bool,
        chosen: Vec<String>,
    },
    /// Save was pressed: the confirmation shows what will happen.
    Confirming {
        add: bool,
        chosen: Vec<String>,
    },
}

#[function_component(EnterprisePolicyPage)]
pub fn enterprise_policy_page(props: &EnterprisePolicyProps) -> Html {
    let ctx = use_app();
    let edit = use_state(|| if props.edit { Edit::Open } else { Edit::Closed });
    let requests = use_state(Vec::<u64>::new);
    let back =
        Some(("Enterprise policies".into(), Route::Ppac(PpacRoute::EnterprisePolicies { with_environments: false })));
    let Some(p) = ctx.view.admin_policies.iter().find(|p| p.name.eq_ignore_ascii_case(&props.name)) else {
        return html! {
            <PpacPage title={props.name.clone()} {back}>
                <MessageBar kind={MessageKind::Error}>{ format!("There is no enterprise policy '{}'.", props.name) }</MessageBar>
            </PpacPage>
        };
    };
    let set = |next: Edit| {
        let edit = edit.clone();
        Callback::from(move |_: MouseEvent| edit.set(next.clone()))
    };
    let commands = match &*edit {
        Edit::Closed => html! { <button class="cmd" onclick={set(Edit::Open)}>{"Edit policy"}</button> },
        _ => html! {
            <>
                <button class="cmd" onclick={set(Edit::Picking { add: true, chosen: Vec::new() })}>{"Add environments"}</button>
                <button class="cmd" onclick={set(Edit::Picking { add: false, chosen: Vec::new() })}>{"Remove environment"}</button>
                if let Edit::Staged { add, chosen } = &*edit {
                    <button class="cmd primary-cmd" onclick={set(Edit::Confirming { add: *add, chosen: chosen.clone() })}>{"Save"}</button>
                }
                <button class="cmd" onclick={set(Edit::Closed)}>{"Cancel"}</button>
            </>
        },
    };
    let errors: Vec<Html> = requests
        .iter()
        .filter_map(|id| ctx.results.get(id))
        .filter_map(|c| c.result.as_ref().err().map(|e| (c.label.clone(), e.clone())))
        .map(|(label, e)| html! { <MessageBar kind={MessageKind::Error}>{ format!("{label}: ") }{ error_text(&e) }</MessageBar> })
        .collect();
    let confirm_dialog = match &*edit {
        Edit::Confirming { add, chosen } => confirm(&ctx, p, (&edit, &requests), *add, chosen),
        _ => Html::default(),
    };
    let picker = match &*edit {
        Edit::Picking { add, chosen } => picker(p, *add, chosen, &edit, &ctx.view),
        Edit::Staged { add, chosen } => html! {
            <MessageBar kind={MessageKind::Info}>
                { format!("{} {} environment(s): select Save to apply.", if *add { "Adding" } else { "Removing" }, chosen.len()) }
            </MessageBar>
        },
        _ => Html::default(),
    };
    let pinned =
        p.key_version.clone().map(|v| format!("{v} (pinned)")).unwrap_or_else(|| "Current version (followed)".into());
    html! {
        <PpacPage title={p.name.clone()} {back} {commands}>
            if !p.reader {
                <MessageBar kind={MessageKind::Warning}>{"You can see this policy, but you don't have the Reader role on it in Azure: adding environments to it will fail. Ask the Key Vault administrator for Reader on the enterprise policy."}</MessageBar>
            }
            if p.health_status != "Healthy" {
                <MessageBar kind={MessageKind::Error}>
                    <strong>{"Unhealthy: "}</strong>
                    { p.health_reason.as_ref().map(|r| format!("{}: {}", r.code, r.message)).unwrap_or_default() }
                </MessageBar>
            }
            if !p.cmk_eligibility.eligible {
                <MessageBar kind={MessageKind::Warning}>{ p.cmk_eligibility.message.clone().unwrap_or_default() }</MessageBar>
            }
            { for errors }
            <dl class="essentials">
                <dt>{"Region"}</dt><dd>{ region_label(&p.location) }</dd>
                <dt>{"Key vault"}</dt><dd>{ vault_name(&p.key_vault_id) }</dd>
                <dt>{"Key"}</dt><dd>{ &p.key_name }</dd>
                <dt>{"Key version"}</dt><dd>{ pinned }</dd>
                <dt>{"Version in use"}</dt><dd><code class="wrap">{ p.current_key_version.clone().unwrap_or_else(|| "— (not reachable)".into()) }</code></dd>
                <dt>{"Health"}</dt><dd><span class={classes!("health", p.health_status.to_ascii_lowercase())} data-testid="policy-health">{ &p.health_status }</span></dd>
            </dl>
            { picker }
            <h2>{"Environments with this policy"}</h2>
            <table class="grid" data-testid="policy-environments" aria-label="Environments with this policy">
                <thead><tr><th scope="col">{"Environment"}</th><th scope="col">{"Environment status"}</th><th scope="col">{"Encryption status"}</th></tr></thead>
                <tbody>
                    { for p.environments.iter().map(|e| html! {
                        <tr key={e.id.clone()}>
                            <td><a href={Route::Ppac(PpacRoute::Environment { id: e.id.clone(), tab: EnvironmentTab::Details }).href()}>{ &e.name }</a></td>
                            <td>{ state_label(&e.state) }</td>
                            <td><EncryptionStatus status={e.encryption_status.clone()} pending={pending_of(&ctx.view, &e.id)} /></td>
                        </tr>
                    }) }
                </tbody>
            </table>
            if p.environments.is_empty() { <p class="empty">{"No environment uses this policy now: add one with Edit policy › Add environments."}</p> }
            { confirm_dialog }
        </PpacPage>
    }
}

/// The confirmation of a staged edit: the downtime of each environment, and for a removal what
/// it would do.
fn confirm(
    ctx: &AppContext,
    p: &AdminPolicyView,
    (edit, requests): (&UseStateHandle<Edit>, &UseStateHandle<Vec<u64>>),
    add: bool,
    chosen: &[String],
) -> Html {
    let (send, edit_c, requests_c, policy, chosen_c, add) =
        (ctx.send.clone(), edit.clone(), requests.clone(), p.name.clone(), chosen.to_vec(), add);
    let names: Vec<(String, String)> =
        ctx.view.environments.iter().map(|d| (d.summary.id.clone(), d.summary.name.clone())).collect();
    let on_confirm = Callback::from(move |()| {
        let mut sent = (*requests_c).clone();
        for id in &chosen_c {
            let env = names.iter().find(|(i, _)| i == id).map(|(_, n)| n.clone()).unwrap_or_else(|| id.clone());
            let command = if add {
                Command::AddEnvironmentToPolicy { policy: policy.clone(), environment: env.clone() }
            } else {
                Command::RemoveEnvironmentFromPolicy { policy: policy.clone(), environment: env.clone() }
            };
            sent.push(send.emit(command));
        }
        requests_c.set(sent);
        edit_c.set(Edit::Open);
    });
    let removing: Vec<String> = if add {
        Vec::new()
    } else {
        chosen
            .iter()
            .filter_map(|id| ctx.view.environments.iter().find(|d| d.summary.id == *id))
            .map(|d| d.summary.name.clone())
            .collect()
    };
    let back_to = edit.clone();
    let staged = Edit::Staged { add, chosen: chosen.to_vec() };
    let on_cancel = Callback::from(move |()| back_to.set(staged.clone()));
    let lines: Vec<Html> = chosen
        .iter()
        .filter_map(|id| ctx.view.environments.iter().find(|d| d.summary.id == *id))
        .map(|d| html! { <li>{ format!("{}: disabled for about {} while {}.", d.summary.name, super::hours(d.expected_downtime_hours), if add { "Encrypting" } else { "Reverting" }) }</li> })
        .collect();
    html! {
        <Dialog title={if add { "Add environments to the policy" } else { "Remove environment from the policy" }} confirm_label="Confirm" danger={!add} {on_confirm} {on_cancel}>
            if add {
                <p>{ format!("The environments are encrypted with the key of '{}'. Each is disabled while its core data is re-encrypted (the downtime grows with the size of its database), then comes back online while the search and Copilot indexes finish. The whole operation can take up to 4 days.", p.name) }</p>
            } else {
                <p>{"The environment goes back to the Microsoft-managed key. It is disabled while Reverting."}</p>
                { for removing.iter().map(|env| html! { <crate::components::WhatIf command={Command::RemoveEnvironmentFromPolicy { policy: p.name.clone(), environment: env.clone() }} /> }) }
                <MessageBar kind={MessageKind::Warning}>{"Do not delete or disable the key, the key vault, or the policy's permissions for 30 days: restoring earlier backups needs them."}</MessageBar>
            }
            <ul data-testid="downtime">{ for lines }</ul>
        </Dialog>
    }
}

/// The Add environments (or Remove environment) panel. Add lists every environment, the ones
/// the core would refuse greyed with its reason (region, not managed, Trial or Teams, busy…).
fn picker(
    p: &AdminPolicyView,
    add: bool,
    chosen: &[String],
    edit: &UseStateHandle<Edit>,
    view: &cmk_core::View,
) -> Html {
    let toggle = |id: String| {
        let (edit, chosen, add) = (edit.clone(), chosen.to_vec(), add);
        Callback::from(move |e: Event| {
            let on = e.target_unchecked_into::<HtmlInputElement>().checked();
            let mut next = chosen.clone();
            next.retain(|x| *x != id);
            if on {
                next.push(id.clone());
            }
            edit.set(Edit::Picking { add, chosen: next });
        })
    };
    let cont = {
        let (edit, chosen) = (edit.clone(), chosen.to_vec());
        Callback::from(move |_: MouseEvent| edit.set(Edit::Staged { add, chosen: chosen.clone() }))
    };
    let close = {
        let edit = edit.clone();
        Callback::from(move |_: MouseEvent| edit.set(Edit::Open))
    };
    // As the admin center: only environments in the policy's region are listed (the others are
    // said in one line under the list).
    let elsewhere =
        p.candidates.iter().filter(|c| c.blocked.as_ref().is_some_and(|b| b.code == "RegionMismatch")).count();
    let rows: Vec<Html> = if add {
        p.candidates
            .iter()
            .filter(|c| c.blocked.as_ref().is_none_or(|b| b.code != "RegionMismatch"))
            .map(|c| {
                let checked = chosen.contains(&c.id);
                let disabled = c.blocked.is_some();
                html! {
                    <li class={classes!(disabled.then_some("greyed"))}>
                        <label>
                            <input type="checkbox" {checked} {disabled} onchange={toggle(c.id.clone())} />
                            { format!(" {} ({}, {})", c.name, c.env_type, region_label(&c.region)) }
                        </label>
                        if let Some(b) = &c.blocked { <span class="reason">{ format!(" — {}", b.message) }</span> }
                    </li>
                }
            })
            .collect()
    } else {
        p.environments
            .iter()
            .map(|e| {
                let checked = chosen.contains(&e.id);
                let busy = pending_of(view, &e.id).is_some();
                html! {
                    <li class={classes!(busy.then_some("greyed"))}>
                        <label><input type="checkbox" {checked} disabled={busy} onchange={toggle(e.id.clone())} />{ format!(" {} ({})", e.name, e.encryption_status) }</label>
                        if busy { <span class="reason">{" — an operation is running"}</span> }
                    </li>
                }
            })
            .collect()
    };
    html! {
        <div class="panel picker" role="group" aria-label={if add { "Add environments" } else { "Remove environment" }}>
            <h2>{ if add { "Add environments" } else { "Remove environment" } }</h2>
            if add { <p class="hint">{"Only Managed Environments in the policy's region can be added; Trial and Teams environments never."}</p> }
            <ul class="pick-list">{ for rows }</ul>
            if add && elsewhere > 0 {
                <p class="hint" data-testid="other-regions">{ format!("{elsewhere} environment(s) in other regions are not listed: a policy applies only to environments in its own region ({}).", region_label(&p.location)) }</p>
            }
            <div class="form-actions">
                <button class="primary" disabled={chosen.is_empty()} onclick={cont}>{"Continue"}</button>
                <button onclick={close}>{"Cancel"}</button>
            </div>
        </div>
    }
}
