use yew::prelude::*;

use super::location_label;
use crate::components::{Blade, Icon, IconName};
use crate::context::use_app;
use crate::route::Route;

#[function_component(KeyVaultsPage)]
pub fn key_vaults_page() -> Html {
    let ctx = use_app();
    let v = &ctx.view;
    let commands = html! {
        <>
            <a class="cmd" href={Route::CreateVault.href()} data-testid="create-vault"><Icon name={IconName::Add} />{" Create"}</a>
            <a class="cmd" href={Route::CreateHsm.href()}><Icon name={IconName::Add} />{" Create a Managed HSM"}</a>
            <a class="cmd" href={Route::DeletedVaults.href()}>{"Manage deleted vaults"}</a>
        </>
    };
    html! {
        <Blade title="Key vaults" subtitle={v.tenant_domain.clone()} crumbs={vec![("Key vaults".into(), Route::KeyVaults)]} {commands}>
            <table class="grid" data-testid="vault-table">
                <thead><tr>
                    <th scope="col">{"Name"}</th><th scope="col">{"Type"}</th><th scope="col">{"Resource group"}</th>
                    <th scope="col">{"Location"}</th><th scope="col">{"Subscription"}</th>
                </tr></thead>
                <tbody>
                    { for v.vaults.iter().map(|l| html! {
                        <tr key={l.vault.name.clone()}>
                            <td><a href={Route::Vault { vault: l.vault.name.clone() }.href()}>{ &l.vault.name }</a></td>
                            <td>{ super::vault_kind(&l.vault) }</td>
                            <td>{ &l.vault.resource_group }</td>
                            <td>{ location_label(&l.vault.location) }</td>
                            <td>{ &v.subscription_name }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            if v.vaults.is_empty() {
                <p class="empty" data-testid="no-vaults">{"No key vaults to display. Create one, or check that the signed-in persona can read them."}</p>
            }
        </Blade>
    }
}
