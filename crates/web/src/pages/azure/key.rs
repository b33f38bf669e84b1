use yew::prelude::*;

use crate::components::{Blade, MessageBar, MessageKind};
use crate::context::use_app;
use crate::pages::form::error_text;
use crate::route::Route;

/// A key: its versions, newest ("current") first.
#[function_component(KeyPage)]
pub fn key_page(props: &KeyPageProps) -> Html {
    let ctx = use_app();
    let vault = props.vault.to_string();
    let crumbs = vec![
        ("Key vaults".into(), Route::KeyVaults),
        (props.vault.clone(), Route::Vault { vault: vault.clone() }),
        (props.name.clone(), Route::Key { vault: vault.clone(), key: props.name.to_string() }),
    ];
    let listing = ctx.view.vaults.iter().find(|l| l.vault.name.eq_ignore_ascii_case(&vault));
    let body = match listing.map(|l| &l.keys) {
        None => {
            html! { <MessageBar kind={MessageKind::Error}>{ format!("Key vault '{vault}' was not found.") }</MessageBar> }
        }
        Some(Err(e)) => {
            html! { <MessageBar kind={MessageKind::Warning}>{ error_text(e) }</MessageBar> }
        }
        Some(Ok(keys)) => match keys.iter().find(|k| k.name.eq_ignore_ascii_case(&props.name)) {
            None => {
                html! { <MessageBar kind={MessageKind::Error}>{ format!("Key '{}' was not found in '{vault}'.", props.name) }</MessageBar> }
            }
            Some(k) => html! {
                <table class="grid" data-testid="version-table">
                    <thead><tr><th scope="col">{"Version"}</th><th scope="col">{"Status"}</th><th scope="col">{"Activation date"}</th><th scope="col">{"Expiration date"}</th><th scope="col">{"Created"}</th></tr></thead>
                    <tbody>
                        { for k.versions.iter().enumerate().map(|(i, ver)| html! {
                            <tr>
                                <td>
                                    if i == 0 { <span class="badge">{"CURRENT VERSION"}</span><br/> }
                                    <a href={Route::KeyVersion { vault: vault.clone(), key: k.name.clone(), version: ver.version.clone() }.href()}><code>{ &ver.version }</code></a>
                                </td>
                                <td>{ if ver.enabled { "✔ Enabled" } else { "Disabled" } }</td>
                                <td>{ ver.nbf.clone().unwrap_or_default() }</td>
                                <td>{ ver.exp.clone().unwrap_or_default() }</td>
                                <td>{ &ver.created }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            },
        },
    };
    html! { <Blade title={props.name.clone()} subtitle="Key versions" {crumbs}>{ body }</Blade> }
}

#[derive(Properties, PartialEq)]
pub struct KeyPageProps {
    pub vault: AttrValue,
    pub name: AttrValue,
}
