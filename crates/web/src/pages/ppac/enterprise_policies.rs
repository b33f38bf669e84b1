//! Security › Data and privacy › Customer-managed encryption key: the Enterprise policies page,
//! with its tabs All policies and Environments with policies.

use yew::prelude::*;

use super::environments::state_label;
use super::{pending_of, PpacPage};
use crate::components::EncryptionStatus;
use crate::context::use_app;
use crate::route::{EnvironmentTab, PpacRoute, Route};

#[derive(Properties, PartialEq)]
pub struct EnterprisePoliciesProps {
    pub with_environments: bool,
}

/// The vault's name from its resource id.
pub fn vault_name(id: &str) -> &str {
    id.rsplit('/').next().unwrap_or(id)
}

#[function_component(EnterprisePoliciesPage)]
pub fn enterprise_policies_page(props: &EnterprisePoliciesProps) -> Html {
    let ctx = use_app();
    let view = &ctx.view;
    // As the documents say: "Select a policy and then select Edit policy."
    let selected = use_state(|| None::<String>);
    let chosen = (*selected).clone().filter(|n| view.admin_policies.iter().any(|p| p.name == *n));
    let commands = match (&chosen, props.with_environments) {
        (_, true) => Html::default(),
        (Some(name), false) => {
            let href = Route::Ppac(PpacRoute::EditEnterprisePolicy { name: name.clone() }).href();
            html! { <a class="cmd" {href}>{"Edit policy"}</a> }
        }
        (None, false) => html! { <button class="cmd" disabled=true title="Select a policy">{"Edit policy"}</button> },
    };
    let tab = |label: &'static str, with_environments: bool| {
        let current = with_environments == props.with_environments;
        html! {
            <a href={Route::Ppac(PpacRoute::EnterprisePolicies { with_environments }).href()}
               class={classes!("tab", current.then_some("active"))} aria-current={current.then_some("page")}>{ label }</a>
        }
    };
    let body = if props.with_environments {
        let rows: Vec<Html> = view
            .admin_policies
            .iter()
            .flat_map(|p| p.environments.iter().map(move |e| (p, e)))
            .map(|(p, e)| {
                let env_href = Route::Ppac(PpacRoute::Environment { id: e.id.clone(), tab: EnvironmentTab::Details }).href();
                let policy_href = Route::Ppac(PpacRoute::EnterprisePolicy { name: p.name.clone() }).href();
                html! {
                    <tr key={format!("{}/{}", p.name, e.id)}>
                        <td><a href={env_href}>{ &e.name }</a></td>
                        <td><a href={policy_href}>{ &p.name }</a></td>
                        <td>{ state_label(&e.state) }</td>
                        <td><EncryptionStatus status={e.encryption_status.clone()} pending={pending_of(view, &e.id)} /></td>
                    </tr>
                }
            })
            .collect();
        let empty = rows.is_empty();
        html! {
            <>
                <table class="grid" data-testid="environments-with-policies" aria-label="Environments with policies">
                    <thead><tr><th scope="col">{"Environment"}</th><th scope="col">{"Enterprise policy"}</th><th scope="col">{"Environment status"}</th><th scope="col">{"Encryption status"}</th></tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
                if empty { <p class="empty">{"No environment has been added to an enterprise policy yet."}</p> }
            </>
        }
    } else {
        html! {
            <>
                <table class="grid" data-testid="policy-table" aria-label="All policies">
                    <thead><tr>
                        <th scope="col" class="select"><span class="sr-only">{"Select"}</span></th>
                        <th scope="col">{"Name"}</th><th scope="col">{"Region"}</th><th scope="col">{"Key vault"}</th>
                        <th scope="col">{"Key"}</th><th scope="col">{"Health"}</th><th scope="col">{"Environments"}</th>
                    </tr></thead>
                    <tbody>
                        { for view.admin_policies.iter().map(|p| {
                            let checked = chosen.as_deref() == Some(p.name.as_str());
                            let choose = { let (selected, name) = (selected.clone(), p.name.clone()); Callback::from(move |_: Event| selected.set(Some(name.clone()))) };
                            html! {
                            <tr class={classes!(checked.then_some("selected"))}>
                                <td class="select"><input type="radio" name="policy" {checked} onchange={choose} aria-label={format!("Select {}", p.name)} /></td>
                                <td><a href={Route::Ppac(PpacRoute::EnterprisePolicy { name: p.name.clone() }).href()}>{ &p.name }</a></td>
                                <td>{ &p.location }</td>
                                <td>{ vault_name(&p.key_vault_id) }</td>
                                <td>{ &p.key_name }</td>
                                <td><span class={classes!("health", p.health_status.to_ascii_lowercase())}>{ &p.health_status }</span></td>
                                <td>{ p.environments.len() }</td>
                            </tr>
                        }}) }
                    </tbody>
                </table>
                if view.admin_policies.is_empty() {
                    <p class="empty">{"No enterprise policies. A Key Vault administrator creates one in the Azure portal (Deploy a custom template)."}</p>
                }
            </>
        }
    };
    html! {
        <PpacPage title="Enterprise policies" {commands}>
            <p class="hint">{"Security › Data and privacy › Customer-managed encryption key"}</p>
            <nav class="tabs" aria-label="Enterprise policies">{ tab("All policies", false) }{ tab("Environments with policies", true) }</nav>
            { body }
        </PpacPage>
    }
}
