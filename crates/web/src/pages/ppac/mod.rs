//! The mock Power Platform admin center: its own chrome, its pages, and what a persona without
//! a Power Platform role sees (access denied, not an empty list).

pub mod enterprise_policies;
pub mod enterprise_policy;
pub mod environment;
pub mod environments;

use cmk_core::View;
use yew::prelude::*;

pub use enterprise_policies::EnterprisePoliciesPage;
pub use enterprise_policy::EnterprisePolicyPage;
pub use environment::EnvironmentPage;
pub use environments::EnvironmentsPage;

use crate::context::use_app;
use crate::route::{PpacRoute, Route};

/// Entra roles that open the admin center (SPEC AUTH-2).
const ADMIN_ROLES: [&str; 3] = ["Global Administrator", "Power Platform Administrator", "Dynamics 365 Administrator"];

pub fn is_admin(view: &View) -> bool {
    view.signed_in.entra_roles.iter().any(|r| ADMIN_ROLES.contains(&r.as_str()))
}

/// The page for an admin-center route, or the access-denied page.
pub fn page(route: &PpacRoute) -> Html {
    html! { <AdminOnly route={route.clone()} /> }
}

#[derive(Properties, PartialEq)]
struct AdminOnlyProps {
    route: PpacRoute,
}

#[function_component(AdminOnly)]
fn admin_only(props: &AdminOnlyProps) -> Html {
    let ctx = use_app();
    if !is_admin(&ctx.view) {
        let who = &ctx.view.signed_in;
        return html! {
            <section class="ppac-page" aria-labelledby="page-title" data-testid="access-denied">
                <h1 id="page-title">{"You don't have access to this page"}</h1>
                <p>{ format!("{} ({}) has no Power Platform administration role. The Power Platform admin center needs one of these Microsoft Entra roles: Global Administrator, Power Platform Administrator or Dynamics 365 Administrator.", who.display_name, who.user_principal_name) }</p>
                <p class="hint">{"Switch persona in the top bar (Priya Platform is the Power Platform administrator), or go back to the "}<a href={Route::Home.href()}>{"Azure portal"}</a>{"."}</p>
            </section>
        };
    }
    match &props.route {
        PpacRoute::Manage => html! { <ManagePage /> },
        PpacRoute::Security { data_and_privacy } => html! { <SecurityPage data_and_privacy={*data_and_privacy} /> },
        PpacRoute::Environments => html! { <EnvironmentsPage /> },
        PpacRoute::Environment { id, tab } => html! { <EnvironmentPage id={id.clone()} tab={*tab} /> },
        PpacRoute::EnterprisePolicies { with_environments } => {
            html! { <EnterprisePoliciesPage with_environments={*with_environments} /> }
        }
        PpacRoute::EnterprisePolicy { name } => html! { <EnterprisePolicyPage name={name.clone()} /> },
        PpacRoute::EditEnterprisePolicy { name } => html! { <EnterprisePolicyPage name={name.clone()} edit=true /> },
    }
}

#[derive(Properties, PartialEq)]
pub struct PpacNavProps {
    pub route: PpacRoute,
}

/// The admin center's navigation pane, as the current admin center has it: Manage and Security
/// open their panes, whose items lead on (the documents: "In the navigation pane, select
/// Security. In the Security pane, select Data and privacy under Settings.").
#[function_component(PpacNav)]
pub fn ppac_nav(props: &PpacNavProps) -> Html {
    let in_manage = matches!(props.route, PpacRoute::Manage | PpacRoute::Environments | PpacRoute::Environment { .. });
    let in_security = matches!(
        props.route,
        PpacRoute::Security { .. }
            | PpacRoute::EnterprisePolicies { .. }
            | PpacRoute::EnterprisePolicy { .. }
            | PpacRoute::EditEnterprisePolicy { .. }
    );
    let link = |label: &'static str, target: Route, active: bool| {
        html! {
            <li><a href={target.href()} class={classes!(active.then_some("active"))} aria-current={active.then_some("page")}>{ label }</a></li>
        }
    };
    html! {
        <nav class="leftnav ppac-nav" aria-label="Admin center navigation">
            <ul>
                { link("Manage", Route::Ppac(PpacRoute::Manage), in_manage) }
                { link("Security", Route::Ppac(PpacRoute::Security { data_and_privacy: false }), in_security) }
            </ul>
        </nav>
    }
}

/// An item of a pane the playground does not simulate: shown greyed, as the admin center shows
/// what a tenant lacks, and named as such for a screen reader.
fn greyed(label: &'static str) -> Html {
    html! { <li><span class="pane-item greyed" aria-disabled="true" title="Not simulated in this playground">{ label }</span></li> }
}

/// The Manage pane: Environments (the rest of the admin center is not simulated).
#[function_component(ManagePage)]
fn manage_page() -> Html {
    html! {
        <PpacPage title="Manage">
            <ul class="pane-list" aria-label="Manage">
                <li><a class="pane-item" href={Route::Ppac(PpacRoute::Environments).href()}>{"Environments"}</a></li>
                { greyed("Environment groups") }
                { greyed("Tenant settings") }
            </ul>
        </PpacPage>
    }
}

#[derive(Properties, PartialEq)]
struct SecurityProps {
    data_and_privacy: bool,
}

/// Security: its Settings list Data and privacy, which opens a pane with Customer-managed
/// encryption key (to the Enterprise policies page).
#[function_component(SecurityPage)]
fn security_page(props: &SecurityProps) -> Html {
    html! {
        <PpacPage title="Security">
            <h2>{"Settings"}</h2>
            <ul class="pane-list" aria-label="Settings">
                <li><a class={classes!("pane-item", props.data_and_privacy.then_some("active"))} href={Route::Ppac(PpacRoute::Security { data_and_privacy: true }).href()}
                    aria-current={props.data_and_privacy.then_some("page")}>{"Data and privacy"}</a></li>
                { greyed("Identity and access") }
                { greyed("Compliance") }
                { greyed("Threat detection") }
            </ul>
            if props.data_and_privacy {
                <aside class="side-pane" aria-labelledby="pane-title">
                    <div class="side-pane-header">
                        <h2 id="pane-title">{"Data and privacy"}</h2>
                        <a class="icon-button" href={Route::Ppac(PpacRoute::Security { data_and_privacy: false }).href()} aria-label="Close">{"✕"}</a>
                    </div>
                    <ul class="pane-list" aria-label="Data and privacy">
                        <li><a class="pane-item" href={Route::Ppac(PpacRoute::EnterprisePolicies { with_environments: false }).href()}>{"Customer-managed encryption key"}</a></li>
                        { greyed("Customer Lockbox") }
                    </ul>
                </aside>
            }
        </PpacPage>
    }
}

/// An admin-center page: title, optional command bar, content.
#[derive(Properties, PartialEq)]
pub struct PpacPageProps {
    pub title: AttrValue,
    #[prop_or_default]
    pub back: Option<(AttrValue, Route)>,
    #[prop_or_default]
    pub commands: Option<Html>,
    #[prop_or_default]
    pub children: Html,
}

#[function_component(PpacPage)]
pub fn ppac_page(props: &PpacPageProps) -> Html {
    html! {
        <section class="ppac-page" aria-labelledby="page-title">
            if let Some((label, route)) = &props.back {
                <a class="back-link" href={route.href()}>{"← "}{ label.clone() }</a>
            }
            if let Some(commands) = &props.commands {
                <div class="command-bar" role="toolbar" aria-label="Commands">{ commands.clone() }</div>
            }
            <h1 id="page-title" data-testid="page-title">{ props.title.clone() }</h1>
            <div class="ppac-content">{ props.children.clone() }</div>
        </section>
    }
}

/// "2026-01-02T05:00:00Z" as the admin center shows dates.
/// "1 hour", "3 hours".
pub fn hours(n: impl Into<u64>) -> String {
    match n.into() {
        1 => "1 hour".into(),
        n => format!("{n} hours"),
    }
}

pub fn when(iso: &str) -> String {
    // "2026-01-02T05:00:00Z" → "2026-01-02 05:00" (the seconds are always :00 here).
    let text = iso.replacen('T', " ", 1);
    let text = text.trim_end_matches('Z');
    text.strip_suffix(":00").unwrap_or(text).to_string()
}

/// The pending operation of an environment, if one is running.
pub fn pending_of(view: &View, env_id: &str) -> Option<cmk_core::view::PendingOperation> {
    view.pending.iter().find(|p| p.kind == "EncryptionStep" && p.target == env_id).cloned()
}
