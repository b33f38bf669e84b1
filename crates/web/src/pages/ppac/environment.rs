//! An environment's page: details and environment encryption, History, Backup & restore, and
//! Data (records you can add and read back). Locked environments show the Environment disabled
//! banner with the failed check and the deletion countdown (SPEC LOCK-1 .. LOCK-3).

use cmk_core::view::{CandidateView, EnvironmentDetail};
use cmk_core::{Command, Outcome, SimTime, View};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::environments::{region_label, state_label};
use super::{pending_of, when, PpacPage};
use crate::components::{Dialog, EncryptionStatus, MessageBar, MessageKind};
use crate::context::use_app;
use crate::pages::form::{error_text, use_request};
use crate::route::{EnvironmentTab, PpacRoute, Route};

#[derive(Properties, PartialEq)]
pub struct EnvironmentPageProps {
    pub id: AttrValue,
    pub tab: EnvironmentTab,
}

fn find<'a>(view: &'a View, id: &str) -> Option<&'a EnvironmentDetail> {
    view.environments.iter().find(|d| d.summary.id.eq_ignore_ascii_case(id) || d.summary.name.eq_ignore_ascii_case(id))
}

#[function_component(EnvironmentPage)]
pub fn environment_page(props: &EnvironmentPageProps) -> Html {
    let ctx = use_app();
    let enabling = use_state(|| false);
    let (request, done, running) = use_request();
    let back = Some(("Environments".into(), Route::Ppac(PpacRoute::Environments)));
    let Some(d) = find(&ctx.view, &props.id) else {
        return html! {
            <PpacPage title="Environment not found" {back}>
                <MessageBar kind={MessageKind::Error}>{ format!("There is no environment '{}'.", props.id) }</MessageBar>
            </PpacPage>
        };
    };
    let e = &d.summary;
    let send = ctx.send.clone();
    let id = e.id.clone();
    // Commands name the environment (names are unique among live environments): the
    // notifications then read "Re-enable 'Contoso-Prod'".
    let target = e.name.clone();
    let mut commands: Vec<Html> = Vec::new();
    if !e.managed && e.state != "Deleted" {
        let enabling = enabling.clone();
        commands.push(html! { <button class="cmd" onclick={Callback::from(move |_| enabling.set(true))}>{"Enable Managed Environments"}</button> });
    }
    let tab_route = |tab| Route::Ppac(PpacRoute::Environment { id: id.clone(), tab });
    commands.push(html! { <a class="cmd" href={tab_route(EnvironmentTab::Backups).href()}>{"Backup & restore"}</a> });
    commands.push(html! { <a class="cmd" href={tab_route(EnvironmentTab::History).href()}>{"History"}</a> });
    if e.state == "Locked" {
        let (send, request, target) = (send.clone(), request.clone(), target.clone());
        commands.push(html! {
            <button class="cmd" disabled={running} onclick={Callback::from(move |_| request.set(Some(send.emit(Command::ReEnableEnvironment { environment: target.clone() }))))}>{"Re-enable environment"}</button>
        });
    }
    let enable_dialog = (*enabling).then(|| {
        let (send, request, target, close) = (send.clone(), request.clone(), target.clone(), enabling.clone());
        let on_confirm = Callback::from(move |()| {
            request.set(Some(send.emit(Command::EnableManaged { environment: target.clone() })));
            close.set(false);
        });
        let close = enabling.clone();
        html! {
            <Dialog title="Enable Managed Environments" confirm_label="Enable" {on_confirm} on_cancel={Callback::from(move |()| close.set(false))}>
                <p>{ format!("Make '{}' a Managed Environment. Only Managed Environments can be added to an enterprise policy to use a customer-managed key.", e.name) }</p>
            </Dialog>
        }
    });
    let tabs = html! {
        <nav class="tabs" aria-label="Environment sections">
            { for EnvironmentTab::ALL.iter().map(|t| {
                let current = *t == props.tab;
                html! { <a href={tab_route(*t).href()} class={classes!("tab", current.then_some("active"))} aria-current={current.then_some("page")}>{ t.label() }</a> }
            }) }
        </nav>
    };
    let body = match props.tab {
        EnvironmentTab::Details => details(&ctx.view, d),
        EnvironmentTab::History => history(d),
        EnvironmentTab::Backups => html! { <Backups id={e.id.clone()} /> },
        EnvironmentTab::Data => html! { <Data id={e.id.clone()} /> },
    };
    html! {
        <PpacPage title={e.name.clone()} {back} commands={html! { <>{ for commands }</> }}>
            { banner(&ctx.view, d) }
            if let Some(Err(err)) = done.as_ref().map(|c| &c.result) { <MessageBar kind={MessageKind::Error}>{ error_text(err) }</MessageBar> }
            { tabs }
            { body }
            { enable_dialog.unwrap_or_default() }
        </PpacPage>
    }
}

/// The Environment disabled banner (locked) or the deletion notice (deleted).
fn banner(view: &View, d: &EnvironmentDetail) -> Html {
    let e = &d.summary;
    match e.state.as_str() {
        "Locked" => {
            // Plain words and the code first; the service's message behind Details.
            let reason = d
                .lock
                .as_ref()
                .map(|l| match cmk_core::error::key_access_in_words(&l.code) {
                    Some(words) => format!("{} — {words}.", l.code),
                    None => l.code.clone(),
                })
                .unwrap_or_default();
            let detail = d.lock.as_ref().map(|l| crate::components::message_bar::details(&l.code, &l.message));
            let countdown = e.deletion_due.as_ref().map(|due| {
                let left = SimTime::parse_iso(due)
                    .ok()
                    .zip(SimTime::parse_iso(&view.now).ok())
                    .map(|(d, n)| d.unix().saturating_sub(n.unix()))
                    .unwrap_or(0);
                format!(
                    "It will be deleted with all its data on {} unless it is re-enabled ({} days {} hours left).",
                    when(due),
                    left / 86_400,
                    (left % 86_400) / 3_600
                )
            });
            html! {
                <div class="message-bar error" role="alert" data-testid="environment-disabled">
                    <span class="icon" aria-hidden="true">{"✖"}</span>
                    <div class="text">
                        <strong>{"Environment disabled"}</strong>
                        <p>{"The enterprise policy's identity can no longer use the key. Nobody can read this environment's data until key access is restored and the environment is re-enabled."}</p>
                        <p data-testid="lock-reason">{"Failed check: "}{ reason }</p>
                        { detail.unwrap_or_default() }
                        if let Some(c) = countdown { <p data-testid="deletion-countdown">{ c }</p> }
                    </div>
                </div>
            }
        }
        "Deleted" => html! {
            <MessageBar kind={MessageKind::Error}>
                <strong>{"Deleted"}</strong>
                { format!(" on {}: it stayed locked past its deadline. ", d.deleted.as_deref().map(when).unwrap_or_default()) }
                { d.lock.as_ref().map(|l| format!("It was locked because {}: {}", l.code, l.message)).unwrap_or_default() }
            </MessageBar>
        },
        _ => Html::default(),
    }
}

fn details(view: &View, d: &EnvironmentDetail) -> Html {
    let e = &d.summary;
    let policy_name = e.policy.as_deref().map(|p| p.rsplit('/').next().unwrap_or(p).to_string());
    let byok = d.under_tenant_key;
    let migrated = d.byok && e.key_version.is_some();
    let cmk = e.key_version.is_some();
    let managed_by = if cmk {
        "Customer-managed key (enterprise policy)"
    } else if byok {
        "Tenant key (bring your own key, legacy)"
    } else {
        "Microsoft-managed key"
    };
    html! {
        <>
            <div class="cards">
                <div class="card">
                    <h2>{"Details"}</h2>
                    <dl class="essentials">
                        <dt>{"Environment ID"}</dt><dd><code>{ &e.id }</code></dd>
                        <dt>{"Type"}</dt><dd>{ &e.env_type }</dd>
                        <dt>{"Region"}</dt><dd>{ region_label(&e.region) }</dd>
                        <dt>{"State"}</dt><dd>{ state_label(&e.state) }</dd>
                        <dt>{"Managed Environment"}</dt><dd>{ if e.managed { "Yes" } else { "No" } }</dd>
                    </dl>
                </div>
                <div class="card" data-testid="environment-encryption">
                    <h2>{"Environment encryption"}</h2>
                    <dl class="essentials">
                        <dt>{"Encryption status"}</dt>
                        <dd>
                            <EncryptionStatus status={e.encryption_status.clone()} pending={pending_of(view, &e.id)} detailed=true />
                            if let Some(note) = &d.encryption_note { <div class="help" data-testid="encryption-note">{ note.clone() }</div> }
                        </dd>
                        <dt>{"Encryption key"}</dt><dd>{ managed_by }</dd>
                        if migrated { <dt>{"Managed by"}</dt><dd data-testid="managed-by">{"CustomerViaMicrosoft (migrated from bring your own key)"}</dd> }
                        if let Some(p) = &policy_name {
                            <dt>{"Enterprise policy"}</dt>
                            <dd><a href={Route::Ppac(PpacRoute::EnterprisePolicy { name: p.clone() }).href()}>{ p.clone() }</a></dd>
                        }
                        if let Some(kid) = &e.key_version { <dt>{"Key version"}</dt><dd><code>{ kid.clone() }</code></dd> }
                        <dt>{"Expected downtime to change the key"}</dt><dd>{ format!("about {}, from the size of the database", super::hours(d.expected_downtime_hours)) }</dd>
                    </dl>
                </div>
            </div>
            <h2>{"Storage services"}</h2>
            <table class="grid" data-testid="service-table">
                <thead><tr><th scope="col">{"Service"}</th><th scope="col">{"Its data key is wrapped by"}</th><th scope="col">{"Records"}</th></tr></thead>
                <tbody>
                    { for e.services.iter().map(|s| html! {
                        <tr><td>{ &s.label }</td><td><code class="wrap">{ &s.protector }</code></td><td>{ s.rows }</td></tr>
                    }) }
                </tbody>
            </table>
            <h2>{"Key hierarchy"}</h2>
            <crate::components::KeyHierarchy environment={e.id.clone()} />
            <details class="json-details">
                <summary>{"Always encrypted with the Microsoft-managed key"}</summary>
                <ul>{ for e.always_microsoft_managed.iter().map(|x| html! { <li>{ x }</li> }) }</ul>
            </details>
        </>
    }
}

fn history(d: &EnvironmentDetail) -> Html {
    html! {
        <table class="grid" data-testid="history-table" aria-label="History">
            <thead><tr>
                <th scope="col">{"Action name"}</th><th scope="col">{"Start time"}</th><th scope="col">{"End time"}</th>
                <th scope="col">{"Initiated by"}</th><th scope="col">{"Status"}</th><th scope="col">{"Details"}</th>
            </tr></thead>
            <tbody>
                { for d.history.iter().rev().map(|h| html! {
                    <tr>
                        <td>{ &h.entry.operation }</td>
                        <td>{ when(&h.entry.started) }</td>
                        <td>{ h.entry.finished.as_deref().map(when).unwrap_or_default() }</td>
                        <td>{ h.initiated_by.clone().unwrap_or_else(|| "System".into()) }</td>
                        <td><span class={classes!("op-status", h.entry.status.to_ascii_lowercase())}>{ &h.entry.status }</span></td>
                        <td class="hint">{ h.entry.detail.clone().unwrap_or_default() }</td>
                    </tr>
                }) }
            </tbody>
        </table>
    }
}

#[derive(Properties, PartialEq)]
struct SectionProps {
    id: String,
}

/// Backup & restore: manual backups, restore into this or another environment, copy, reset.
#[function_component(Backups)]
fn backups(props: &SectionProps) -> Html {
    let ctx = use_app();
    let label = use_state(String::new);
    let restoring = use_state(|| None::<String>);
    let selected = use_state(|| None::<String>);
    let confirm = use_state(|| None::<&'static str>);
    let (request, done, running) = use_request();
    let Some(d) = find(&ctx.view, &props.id) else { return Html::default() };
    let e = &d.summary;
    let send = ctx.send.clone();
    let create = {
        let (send, request, label, id) = (send.clone(), request.clone(), label.clone(), e.name.clone());
        Callback::from(move |ev: SubmitEvent| {
            ev.prevent_default();
            let l = (*label).trim().to_string();
            request.set(Some(
                send.emit(Command::BackupEnvironment { environment: id.clone(), label: (!l.is_empty()).then_some(l) }),
            ));
        })
    };
    let on_label = {
        let label = label.clone();
        Callback::from(move |ev: InputEvent| label.set(ev.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let open = |what: &'static str| {
        let confirm = confirm.clone();
        Callback::from(move |_: MouseEvent| confirm.set(Some(what)))
    };
    // One backup is selected (radio); Restore acts on it.
    let chosen = (*selected).clone().filter(|id| d.backup_list.iter().any(|b| b.backup_id == *id));
    let restore = {
        let (restoring, confirm, chosen) = (restoring.clone(), confirm.clone(), chosen.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(id) = &chosen {
                restoring.set(Some(id.clone()));
                confirm.set(Some("restore"));
            }
        })
    };
    let on_sent = {
        let request = request.clone();
        Callback::from(move |id| request.set(Some(id)))
    };
    let on_close = {
        let confirm = confirm.clone();
        Callback::from(move |()| confirm.set(None))
    };
    let dialog = match (*confirm, (*restoring).clone()) {
        (Some("restore"), Some(backup)) => html! {
            <TargetDialog source={e.name.clone()} backup={Some(backup)} on_sent={on_sent.clone()} on_close={on_close.clone()} />
        },
        (Some("copy"), _) => html! {
            <TargetDialog source={e.name.clone()} backup={None::<String>} {on_sent} {on_close} />
        },
        (Some("reset"), _) => {
            let (send, request, confirm, id) = (send.clone(), request.clone(), confirm.clone(), e.name.clone());
            let close = confirm.clone();
            html! {
                <Dialog title="Reset" confirm_label="Reset" danger=true
                    on_confirm={Callback::from(move |()| { request.set(Some(send.emit(Command::ResetEnvironment { environment: id.clone() }))); confirm.set(None); })}
                    on_cancel={Callback::from(move |()| close.set(None))}>
                    <p>{ format!("Reset '{}': all its data and all its backups are deleted, and it goes back to the Microsoft-managed key.", e.name) }</p>
                    <crate::components::WhatIf command={Command::ResetEnvironment { environment: e.name.clone() }} />
                </Dialog>
            }
        }
        _ => Html::default(),
    };
    html! {
        <>
            <form class="inline-form" onsubmit={create} aria-label="Create a backup">
                <label for="backup-label">{"Label "}</label>
                <input id="backup-label" value={(*label).clone()} oninput={on_label} placeholder="e.g. before the key change" />
                <button class="primary" type="submit" disabled={running}>{"+ Create"}</button>
            </form>
            <div class="command-bar" role="toolbar" aria-label="Backup commands">
                <button class="cmd" onclick={restore} disabled={chosen.is_none()} title={if chosen.is_none() { "Select a backup" } else { "" }}>{"Restore"}</button>
                <button class="cmd" onclick={open("copy")}>{"Copy"}</button>
                <button class="cmd" onclick={open("reset")}>{"Reset"}</button>
            </div>
            if let Some(Err(err)) = done.as_ref().map(|c| &c.result) { <MessageBar kind={MessageKind::Error}>{ error_text(err) }</MessageBar> }
            if let Some(Ok(_)) = done.as_ref().map(|c| &c.result) { <MessageBar kind={MessageKind::Success}>{ done.as_ref().map(|c| c.label.clone()).unwrap_or_default() }{": succeeded."}</MessageBar> }
            <table class="grid" data-testid="backup-table" aria-label="Backups">
                <thead><tr><th scope="col" class="select"><span class="sr-only">{"Select"}</span></th><th scope="col">{"Backup"}</th><th scope="col">{"Taken"}</th><th scope="col">{"Type"}</th><th scope="col">{"Key versions"}</th><th scope="col">{"Restorable"}</th></tr></thead>
                <tbody>
                    { for d.backup_list.iter().rev().map(|b| {
                        let checked = chosen.as_deref() == Some(b.backup_id.as_str());
                        let choose = { let (selected, id) = (selected.clone(), b.backup_id.clone()); Callback::from(move |_: Event| selected.set(Some(id.clone()))) };
                        html! {
                            <tr key={b.backup_id.clone()} class={classes!(checked.then_some("selected"))}>
                                <td class="select"><input type="radio" name="backup" {checked} onchange={choose} aria-label={format!("Select {}", b.label)} /></td>
                                <td>{ &b.label }</td>
                                <td>{ when(&b.taken) }</td>
                                <td>{ &b.backup_type }</td>
                                <td>{ for b.key_versions.iter().map(|k| html! { <code class="wrap">{ k.rsplit('/').next().unwrap_or(k) }</code> }) }</td>
                                <td>{ match &b.restore_blocked { None => html! {"Yes"}, Some(r) => html! { <span class="bad" title={r.message.clone()}>{ format!("No — {}", r.code) }</span> } } }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            { dialog }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct TargetDialogProps {
    /// The environment restored from or copied.
    source: String,
    /// The backup to restore; none for a copy.
    backup: Option<String>,
    /// The restore or copy was sent (its request id).
    on_sent: Callback<u64>,
    on_close: Callback<()>,
}

/// Restore (a backup) or Copy (the environment): the targets come from the core when the dialog
/// opens, each refused one greyed with the core's own reason (SPEC DB-2, DB-3), and are asked
/// again when an environment's state, operation or key changes while it is open.
#[function_component(TargetDialog)]
fn target_dialog(props: &TargetDialogProps) -> Html {
    let ctx = use_app();
    let copy = props.backup.is_none();
    let asked = use_state(|| None::<u64>);
    let picked = use_state(String::new);
    {
        let envs: Vec<_> = ctx
            .view
            .environments
            .iter()
            .map(|d| {
                (d.summary.id.clone(), d.summary.state.clone(), d.summary.operation.is_some(), d.key_group.clone())
            })
            .collect();
        let (query, asked) = (ctx.query.clone(), asked.clone());
        use_effect_with((props.source.clone(), copy, envs), move |(source, copy, _)| {
            asked.set(Some(query.emit(Command::ListTargets { environment: source.clone(), copy: *copy })));
        });
    }
    let answer = crate::pages::form::use_kept_answer(ctx.results.clone(), *asked);
    let targets: Option<Vec<CandidateView>> = answer.as_ref().and_then(|d| match d.outcome() {
        Some(Outcome::Targets(list)) => Some(list.clone()),
        _ => None,
    });
    let list = targets.clone().unwrap_or_default();
    let first = list.iter().find(|c| c.blocked.is_none()).map(|c| c.name.clone()).unwrap_or_default();
    let chosen = if list.iter().any(|c| c.name == *picked && c.blocked.is_none()) { (*picked).clone() } else { first };
    let onchange = {
        let picked = picked.clone();
        Callback::from(move |ev: Event| picked.set(ev.target_unchecked_into::<web_sys::HtmlSelectElement>().value()))
    };
    let on_confirm = {
        let (send, on_sent, on_close, source, backup, target) = (
            ctx.send.clone(),
            props.on_sent.clone(),
            props.on_close.clone(),
            props.source.clone(),
            props.backup.clone(),
            chosen.clone(),
        );
        Callback::from(move |()| {
            let command = match &backup {
                Some(backup) => {
                    Command::RestoreBackup { source: source.clone(), backup: backup.clone(), target: target.clone() }
                }
                None => Command::CopyEnvironment { source: source.clone(), target: target.clone() },
            };
            on_sent.emit(send.emit(command));
            on_close.emit(());
        })
    };
    let on_cancel = props.on_close.clone();
    let (title, label) = if copy { ("Copy", "Copy to") } else { ("Restore", "Restore to") };
    html! {
        <Dialog {title} confirm_label={title} danger=true confirm_disabled={chosen.is_empty()} {on_confirm} {on_cancel}>
            <div class="form-row">
                <label for="db-target">{ label }</label>
                <div class="control">
                    <select id="db-target" {onchange} disabled={targets.is_none()}>
                        if targets.is_none() { <option value="">{"Loading the environments…"}</option> }
                        { for list.iter().map(|c| html! {
                            <option value={c.name.clone()} disabled={c.blocked.is_some()} selected={c.name == chosen}>
                                { match &c.blocked { None => c.name.clone(), Some(b) => format!("{} — not allowed: {}", c.name, b.message) } }
                            </option>
                        }) }
                    </select>
                    <div class="help">{"Environments that cannot receive it are greyed, with the reason."}</div>
                </div>
            </div>
            if let Some(Err(e)) = answer.as_ref().map(|d| &d.result) { <MessageBar kind={MessageKind::Error}>{ error_text(e) }</MessageBar> }
            if copy {
                if targets.is_some() && chosen.is_empty() { <p class="bad">{"No environment can receive a copy of this one."}</p> }
                <p>{"The target environment's data and backups are replaced by a copy of this environment."}</p>
            } else {
                <p>{ format!("Everything in '{chosen}' is overwritten with the backup. Its current data cannot be recovered afterwards.") }</p>
                <p class="hint">{"A backup of an environment under a customer-managed key can only go to the same environment or one encrypted with the same key, and needs the key version that wrapped it."}</p>
            }
        </Dialog>
    }
}

/// Data: add rows to a sample table and read them back, to see records survive key changes and
/// become unreadable while locked.
#[function_component(Data)]
fn data(props: &SectionProps) -> Html {
    let ctx = use_app();
    let table = use_state(|| "account".to_string());
    let rows = use_state(|| "1000".to_string());
    let (request, done, running) = use_request();
    let Some(d) = find(&ctx.view, &props.id) else { return Html::default() };
    let id = d.summary.name.clone();
    let add = {
        let (send, request, table, rows, id) =
            (ctx.send.clone(), request.clone(), table.clone(), rows.clone(), id.clone());
        Callback::from(move |ev: SubmitEvent| {
            ev.prevent_default();
            let n = rows.trim().parse::<u64>().unwrap_or(0);
            request.set(Some(send.emit(Command::InsertRows {
                environment: id.clone(),
                table: (*table).clone(),
                rows: n,
            })));
        })
    };
    let read = {
        let (query, request, table, id) = (ctx.query.clone(), request.clone(), table.clone(), id.clone());
        Callback::from(move |_: MouseEvent| {
            request.set(Some(query.emit(Command::ReadTable { environment: id.clone(), table: (*table).clone() })))
        })
    };
    let on_table = {
        let table = table.clone();
        Callback::from(move |ev: InputEvent| table.set(ev.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let on_rows = {
        let rows = rows.clone();
        Callback::from(move |ev: InputEvent| rows.set(ev.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let dataverse_rows = d.summary.services.iter().find(|s| s.service == "dataverse").map(|s| s.rows).unwrap_or(0);
    html! {
        <>
            <p>{ format!("The Dataverse database holds {dataverse_rows} records, each encrypted with AES-256-GCM under the database's data key.") }</p>
            <form class="inline-form" onsubmit={add} aria-label="Add rows">
                <label for="data-table">{"Table "}</label>
                <input id="data-table" value={(*table).clone()} oninput={on_table} />
                <label for="data-rows">{" Rows "}</label>
                <input id="data-rows" type="number" min="1" max="1000000" value={(*rows).clone()} oninput={on_rows} />
                <button class="primary" type="submit" disabled={running}>{"Add rows"}</button>
                <button type="button" onclick={read} disabled={running}>{"Read back"}</button>
            </form>
            { match done.as_ref().map(|c| (&c.result, c.outcome())) {
                Some((Err(err), _)) => html! { <MessageBar kind={MessageKind::Error}>{ error_text(err) }</MessageBar> },
                Some((_, Some(Outcome::TableRead(read)))) => html! {
                    <MessageBar kind={MessageKind::Success}><span data-testid="read-back">{ format!("{} rows read back, SHA-256 {}", read.rows, read.sha256) }</span></MessageBar>
                },
                Some((_, Some(Outcome::Rows(added)))) => html! { <MessageBar kind={MessageKind::Success}>{ format!("{} rows added; the table has {} rows.", added.inserted, added.rows) }</MessageBar> },
                _ => Html::default(),
            } }
        </>
    }
}
