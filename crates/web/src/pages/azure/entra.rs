//! Microsoft Entra ID › Users, and a user's Overview with its Object ID. Managed identities of
//! enterprise policies are listed under Enterprise applications.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::{Blade, CopyButton, MessageBar, MessageKind};
use crate::context::use_app;
use crate::route::Route;

#[function_component(UsersPage)]
pub fn users_page() -> Html {
    let ctx = use_app();
    let filter = use_state(String::new);
    let oninput = {
        let filter = filter.clone();
        Callback::from(move |e: InputEvent| filter.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let needle = filter.to_ascii_lowercase();
    let v = &ctx.view;
    html! {
        <Blade title="Users" subtitle={format!("{} — Microsoft Entra ID", v.tenant_domain)} crumbs={vec![("Microsoft Entra ID".into(), Route::Users), ("Users".into(), Route::Users)]}>
            <input class="filter" type="search" aria-label="Search users" placeholder="Search" value={(*filter).clone()} {oninput} />
            <table class="grid" data-testid="user-table">
                <thead><tr><th scope="col">{"Display name"}</th><th scope="col">{"User principal name"}</th><th scope="col">{"Roles"}</th></tr></thead>
                <tbody>
                    { for v.personas.iter().filter(|u| needle.is_empty() || u.display_name.to_ascii_lowercase().contains(&needle) || u.user_principal_name.to_ascii_lowercase().contains(&needle)).map(|u| html! {
                        <tr>
                            <td><a href={Route::User { id: u.id.clone() }.href()}>{ &u.display_name }</a></td>
                            <td>{ &u.user_principal_name }</td>
                            <td>{ if u.entra_roles.is_empty() { "—".to_string() } else { u.entra_roles.join(", ") } }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            <h2>{"Enterprise applications (managed identities)"}</h2>
            <table class="grid" data-testid="identity-table">
                <thead><tr><th scope="col">{"Name"}</th><th scope="col">{"Object ID"}</th><th scope="col">{"Resource"}</th></tr></thead>
                <tbody>
                    { for v.policies.iter().map(|p| html! {
                        <tr>
                            <td>{ &p.name }</td>
                            <td><code>{ &p.identity.principal_id }</code>{" "}<CopyButton text={p.identity.principal_id.clone()} what={format!("the Object ID of {}", p.name)} /></td>
                            <td><a href={Route::EnterprisePolicy { name: p.name.clone() }.href()}>{"Enterprise policy"}</a></td>
                        </tr>
                    }) }
                </tbody>
            </table>
            if v.policies.is_empty() { <p class="empty">{"No managed identities you can see. An enterprise policy gets one when it is deployed."}</p> }
        </Blade>
    }
}

#[derive(Properties, PartialEq)]
pub struct UserPageProps {
    pub id: AttrValue,
}

#[function_component(UserPage)]
pub fn user_page(props: &UserPageProps) -> Html {
    let ctx = use_app();
    let crumbs = vec![("Microsoft Entra ID".into(), Route::Users), ("Users".into(), Route::Users)];
    let Some(u) = ctx.view.personas.iter().find(|u| u.id == props.id.as_str()) else {
        return html! { <Blade title="User" {crumbs}><MessageBar kind={MessageKind::Error}>{"There is no such user."}</MessageBar></Blade> };
    };
    html! {
        <Blade title={u.display_name.clone()} subtitle="User — Overview" {crumbs}>
            <dl class="essentials">
                <dt>{"User principal name"}</dt><dd>{ &u.user_principal_name }</dd>
                <dt>{"Object ID"}</dt><dd><code data-testid="object-id">{ &u.id }</code>{" "}<CopyButton text={u.id.clone()} what="Object ID" /></dd>
                <dt>{"Microsoft Entra roles"}</dt><dd>{ if u.entra_roles.is_empty() { "—".to_string() } else { u.entra_roles.join(", ") } }</dd>
                <dt>{"Azure role assignments"}</dt><dd>{ if u.azure_roles.is_empty() { "—".to_string() } else { u.azure_roles.join("; ") } }</dd>
                <dt>{"About"}</dt><dd>{ &u.description }</dd>
            </dl>
        </Blade>
    }
}
