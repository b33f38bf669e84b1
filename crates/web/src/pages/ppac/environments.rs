//! Manage › Environments: the list, and **+ New**.

use cmk_core::location::POLICY_LOCATIONS;
use cmk_core::Command;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::{pending_of, PpacPage};
use crate::components::{Dialog, EncryptionStatus, Icon, IconName, MessageBar, MessageKind};
use crate::context::use_app;
use crate::pages::form::{error_text, row, select, text_input, use_request};
use crate::route::{EnvironmentTab, PpacRoute, Route};

const TYPES: [&str; 7] = ["Production", "Sandbox", "Developer", "Default", "Trial", "Teams", "Support Investigation"];

#[function_component(EnvironmentsPage)]
pub fn environments_page() -> Html {
    let ctx = use_app();
    let creating = use_state(|| false);
    let selected = use_state(Vec::<String>::new);
    let confirming = use_state(|| false);
    let (request, done, running) = use_request();
    let toggle = {
        let creating = creating.clone();
        Callback::from(move |_: MouseEvent| creating.set(!*creating))
    };
    let view = &ctx.view;
    let listed = by_name(&view.environments);
    let chosen: Vec<&cmk_core::view::EnvironmentDetail> =
        listed.iter().copied().filter(|d| selected.contains(&d.summary.id)).collect();
    // Enable Managed Environments applies to the selected ones that are not managed yet.
    let to_manage: Vec<String> = chosen
        .iter()
        .filter(|d| !d.summary.managed && d.summary.state != "Deleted")
        .map(|d| d.summary.name.clone())
        .collect();
    let enable = {
        let (send, request, selected, confirming, names) =
            (ctx.send.clone(), request.clone(), selected.clone(), confirming.clone(), to_manage.clone());
        Callback::from(move |()| {
            let mut last = None;
            for name in &names {
                last = Some(send.emit(Command::EnableManaged { environment: name.clone() }));
            }
            request.set(last);
            selected.set(Vec::new());
            confirming.set(false);
        })
    };
    // Backup & restore and History open one environment's page: they need exactly one selected.
    let one = (chosen.len() == 1).then(|| chosen[0].summary.id.clone());
    let open = |label: &'static str, tab: EnvironmentTab| match &one {
        Some(id) => {
            let href = Route::Ppac(PpacRoute::Environment { id: id.clone(), tab }).href();
            html! { <a class="cmd" {href}>{ label }</a> }
        }
        None => html! { <button class="cmd" disabled=true title="Select one environment">{ label }</button> },
    };
    let on_enable = {
        let confirming = confirming.clone();
        Callback::from(move |_: MouseEvent| confirming.set(true))
    };
    let commands = html! {
        <>
            <button class="cmd" onclick={toggle} aria-expanded={(*creating).to_string()}><Icon name={IconName::Add} />{" New"}</button>
            <button class="cmd" onclick={on_enable} disabled={running || to_manage.is_empty()}>{"Enable Managed Environments"}</button>
            { open("Backup & restore", EnvironmentTab::Backups) }
            { open("History", EnvironmentTab::History) }
        </>
    };
    let dialog = (*confirming).then(|| {
        let on_cancel = {
            let confirming = confirming.clone();
            Callback::from(move |()| confirming.set(false))
        };
        html! {
            <Dialog title="Enable Managed Environments" confirm_label="Enable" on_confirm={enable.clone()} {on_cancel}>
                <p>{ format!("{} Only Managed Environments can be added to an enterprise policy to use a customer-managed key.", if to_manage.len() == 1 { "Make this environment a Managed Environment?".to_string() } else { format!("Make these {} environments Managed Environments?", to_manage.len()) }) }</p>
                <ul data-testid="confirm-list">{ for to_manage.iter().map(|n| html! { <li>{ n }</li> }) }</ul>
            </Dialog>
        }
    });
    html! {
        <PpacPage title="Environments" {commands}>
            if *creating { <NewEnvironment on_done={let c = creating.clone(); Callback::from(move |()| c.set(false))} /> }
            if let Some(Err(err)) = done.as_ref().map(|c| &c.result) { <MessageBar kind={MessageKind::Error}>{ error_text(err) }</MessageBar> }
            <table class="grid" data-testid="environment-table" aria-label="Environments">
                <thead><tr>
                    <th scope="col" class="select"><span class="sr-only">{"Select"}</span></th>
                    <th scope="col">{"Environment"}</th><th scope="col">{"Type"}</th><th scope="col">{"Managed"}</th>
                    <th scope="col">{"Region"}</th><th scope="col">{"State"}</th><th scope="col">{"Encryption status"}</th>
                </tr></thead>
                <tbody>
                    { for listed.iter().map(|d| {
                        let e = &d.summary;
                        let href = Route::Ppac(PpacRoute::Environment { id: e.id.clone(), tab: EnvironmentTab::Details }).href();
                        let checked = selected.contains(&e.id);
                        let toggle = crate::pages::form::toggle_in(&selected, e.id.clone());
                        html! {
                            <tr key={e.id.clone()} class={classes!(checked.then_some("selected"))}>
                                <td class="select"><input type="checkbox" {checked} onchange={toggle} aria-label={format!("Select {}", e.name)} /></td>
                                <td><a {href}>{ &e.name }</a></td>
                                <td>{ &e.env_type }</td>
                                <td>{ if e.managed { "Yes" } else { "No" } }</td>
                                <td>{ region_label(&e.region) }</td>
                                <td><span class={classes!("state", e.state.to_ascii_lowercase())}>{ state_label(&e.state) }</span></td>
                                <td><EncryptionStatus status={e.encryption_status.clone()} pending={pending_of(view, &e.id)} /></td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            if view.environments.is_empty() {
                <p class="empty" data-testid="no-environments">{"There are no environments yet. Select + New to create one."}</p>
            }
            { dialog.unwrap_or_default() }
        </PpacPage>
    }
}

/// How the admin center words an environment state.
pub fn state_label(state: &str) -> &str {
    match state {
        "Enabled" => "Ready",
        "Disabled" => "Disabled (encryption in progress)",
        "Locked" => "Environment disabled",
        "Deleted" => "Deleted",
        other => other,
    }
}

/// Environments in the order the admin center lists them: by name.
fn by_name(all: &[cmk_core::view::EnvironmentDetail]) -> Vec<&cmk_core::view::EnvironmentDetail> {
    let mut sorted: Vec<_> = all.iter().collect();
    sorted.sort_by_cached_key(|d| d.summary.name.to_ascii_lowercase());
    sorted
}

/// The admin center's region names.
pub fn region_label(region: &str) -> String {
    match region {
        "unitedstates" => "United States".into(),
        "southafrica" => "South Africa".into(),
        "uk" => "United Kingdom".into(),
        "uae" => "United Arab Emirates".into(),
        other => {
            let mut c = other.chars();
            c.next().map(|f| f.to_ascii_uppercase().to_string() + c.as_str()).unwrap_or_default()
        }
    }
}

#[derive(Properties, PartialEq)]
struct NewEnvironmentProps {
    on_done: Callback<()>,
}

/// The New environment panel: name, region, type, and the legacy BYOK tenant key.
#[function_component(NewEnvironment)]
fn new_environment(props: &NewEnvironmentProps) -> Html {
    let ctx = use_app();
    let name = use_state(String::new);
    let region = use_state(|| "europe".to_string());
    let env_type = use_state(|| "Sandbox".to_string());
    let byok = use_state(|| false);
    let (request, done, running) = use_request();
    {
        let ok = done.as_ref().is_some_and(|d| d.result.is_ok());
        let on_done = props.on_done.clone();
        use_effect_with(ok, move |ok| {
            if *ok {
                on_done.emit(());
            }
        });
    }
    // Checked as the name is typed, and on Save before anything is sent.
    let tried = use_state(|| false);
    let name_check = match cmk_core::powerplatform::environment::check_environment_name(&name) {
        Err(e) => Some(e.message().to_string()),
        Ok(()) => ctx
            .view
            .environments
            .iter()
            .any(|d| d.summary.name.eq_ignore_ascii_case(name.trim()) && d.summary.state != "Deleted")
            .then(|| format!("An environment named '{}' already exists. Choose another name.", name.trim())),
    };
    let onsubmit = {
        let (send, name, region, env_type, byok, request, tried) = (
            ctx.send.clone(),
            name.clone(),
            region.clone(),
            env_type.clone(),
            byok.clone(),
            request.clone(),
            tried.clone(),
        );
        let refused = name_check.is_some();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            tried.set(true);
            if refused {
                return;
            }
            request.set(Some(send.emit(Command::CreateEnvironment {
                name: (*name).clone(),
                region: (*region).clone(),
                env_type: (*env_type).clone(),
                byok: *byok,
            })));
        })
    };
    let on_byok = {
        let byok = byok.clone();
        Callback::from(move |e: Event| byok.set(e.target_unchecked_into::<HtmlInputElement>().checked()))
    };
    let regions = POLICY_LOCATIONS.iter().map(|r| ((*r).to_string(), region_label(r))).collect();
    let types = TYPES.iter().map(|t| (t.replace(' ', ""), (*t).to_string())).collect();
    html! {
        <form class="inline-form panel" {onsubmit} aria-label="New environment">
            <h2>{"New environment"}</h2>
            { row("Name", "env-name", true, text_input("env-name", &name, "e.g. Contoso-Prod"), None) }
            if let Some(why) = name_check.filter(|_| !name.is_empty() || *tried) { <p class="field-error" role="alert" data-testid="env-name-error">{ why }</p> }
            { row("Region", "env-region", true, select("env-region", &region, regions), Some("An enterprise policy can only encrypt environments in its own region.")) }
            { row("Type", "env-type", true, select("env-type", &env_type, types), Some("Trial and Teams environments can't use a customer-managed key.")) }
            { row("Bring your own key (legacy)", "env-byok", false, html! {
                <input id="env-byok" type="checkbox" checked={*byok} onchange={on_byok} />
            }, Some("Encrypt with the tenant's legacy BYOK key, to rehearse the migration to an enterprise policy.")) }
            if let Some(Err(e)) = done.as_ref().map(|d| &d.result) { <MessageBar kind={MessageKind::Error}>{ error_text(e) }</MessageBar> }
            <div class="form-actions">
                <button class="primary" type="submit" disabled={running}>{ if running { "Creating…" } else { "Save" } }</button>
                <button type="button" onclick={props.on_done.reform(|_: MouseEvent| ())}>{"Cancel"}</button>
            </div>
        </form>
    }
}
