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
        PpacRoute::Environments => html! { <EnvironmentsPage /> },
        PpacRoute::Environment { id, tab } => html! { <EnvironmentPage id={id.clone()} tab={*tab} /> },
        PpacRoute::EnterprisePolicies { with_environments } => {
            html! { <EnterprisePoliciesPage with_environments={*with_environments} /> }
        }
        PpacRoute::EnterprisePolicy { name } => html! { <EnterprisePolicyPage name={name.clone()} /> },
    }
}

#[derive(Properties, PartialEq)]
pub struct PpacNavProps {
    pub route: PpacRoute,
}

/// The admin center's navigation pane: Manage › Environments; Security › Data and privacy ›
/// Customer-managed encryption key.
#[function_component(PpacNav)]
pub fn ppac_nav(props: &PpacNavProps) -> Html {
    let in_envs = matches!(props.route, PpacRoute::Environments | PpacRoute::Environment { .. });
    let in_policies = matches!(props.route, PpacRoute::EnterprisePolicies { .. } | PpacRoute::EnterprisePolicy { .. });
    let link = |label: &'static str, target: Route, active: bool| {
        html! {
            <li><a href={target.href()} class={classes!(active.then_some("active"))} aria-current={active.then_some("page")}>{ label }</a></li>
        }
    };
    html! {
        <nav class="leftnav ppac-nav" aria-label="Admin center navigation">
            <h2 class="nav-group">{"Manage"}</h2>
            <ul>{ link("Environments", Route::Ppac(PpacRoute::Environments), in_envs) }</ul>
            <h2 class="nav-group">{"Security"}</h2>
            <p class="nav-sub">{"Data and privacy"}</p>
            <ul>{ link("Customer-managed encryption key", Route::Ppac(PpacRoute::EnterprisePolicies { with_environments: false }), in_policies) }</ul>
        </nav>
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
