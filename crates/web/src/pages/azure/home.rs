use yew::prelude::*;

use crate::components::{Icon, IconName};
use crate::context::use_app;
use crate::route::Route;

#[function_component(HomePage)]
pub fn home_page() -> Html {
    let ctx = use_app();
    let v = &ctx.view;
    html! {
        <section class="blade home" aria-labelledby="blade-title">
            <h1 id="blade-title" data-testid="blade-title">{"Azure services"}</h1>
            <div class="tiles">
                <a class="tile" href={Route::CreateVault.href()}><span class="tile-icon"><Icon name={IconName::Add} /></span>{"Create a resource"}</a>
                <a class="tile" href={Route::ResourceGroups.href()}><span class="tile-icon"><Icon name={IconName::ResourceGroup} /></span>{"Resource groups"}</a>
                <a class="tile" href={Route::KeyVaults.href()}><span class="tile-icon"><Icon name={IconName::Key} /></span>{"Key vaults"}</a>
            </div>
            <h2>{"Subscription"}</h2>
            <table class="grid">
                <tbody>
                    <tr><th scope="row">{"Subscription"}</th><td>{ &v.subscription_name }</td></tr>
                    <tr><th scope="row">{"Subscription ID"}</th><td><code>{ &v.subscription_id }</code></td></tr>
                    <tr><th scope="row">{"Directory"}</th><td>{ &v.tenant_domain }</td></tr>
                    <tr><th scope="row">{"Signed in as"}</th><td>{ &v.signed_in.user_principal_name }</td></tr>
                    <tr><th scope="row">{"Your Entra roles"}</th><td>{ if v.signed_in.entra_roles.is_empty() { "None".to_string() } else { v.signed_in.entra_roles.join(", ") } }</td></tr>
                    <tr><th scope="row">{"Your Azure roles"}</th><td>{ if v.signed_in.azure_roles.is_empty() { "None".to_string() } else { v.signed_in.azure_roles.join("; ") } }</td></tr>
                </tbody>
            </table>
            <p class="hint">{"Everything here is simulated: keys are real RSA keys, but no Azure tenant is touched. Switch persona at the top right to see what each administrator may do."}</p>
        </section>
    }
}
