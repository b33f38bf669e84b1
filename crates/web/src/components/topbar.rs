//! The portal's top bar: product name, simulated clock, and the persona switcher.

use cmk_core::Command;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::{AppSwitcher, Bell, Icon, IconName};

#[derive(Properties, PartialEq)]
pub struct TopBarProps {
    pub view: crate::context::SharedView,
    pub on_command: Callback<Command, u64>,
    /// How many commands are still running in the worker.
    pub busy: usize,
    /// Opens or closes the Cloud Shell pane.
    #[prop_or_default]
    pub on_shell: Callback<MouseEvent>,
    /// Which portal's bar this is: the Azure portal's or the admin center's.
    #[prop_or_default]
    pub ppac: bool,
    /// The page's own notices (what was asked and how it ended), kept by the bell.
    #[prop_or_default]
    pub notices: std::rc::Rc<Vec<crate::store::Notification>>,
}

#[function_component(TopBar)]
pub fn top_bar(props: &TopBarProps) -> Html {
    let view = &props.view;
    let onchange = {
        let send = props.on_command.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            send.emit(Command::SignIn { upn: select.value() });
        })
    };
    let now = view.now.replacen('T', " ", 1).replace('Z', " UTC");
    // The select keeps its own value once a person used it: follow the world's signed-in
    // persona (the Cloud Shell's `az login` changes it too).
    let select_ref = use_node_ref();
    {
        let select_ref = select_ref.clone();
        use_effect_with(view.signed_in.user_principal_name.clone(), move |upn| {
            if let Some(select) = select_ref.cast::<HtmlSelectElement>() {
                select.set_value(upn);
            }
        });
    }
    html! {
        <header class={classes!("topbar", props.ppac.then_some("ppac"))}>
            <AppSwitcher in_ppac={props.ppac} />
            if props.ppac {
                <a class="brand" href="#/ppac/environments">{"Power Platform admin center"}<span class="brand-tag">{"CMK Playground"}</span></a>
                <div class="topbar-search"></div>
            } else {
                <a class="brand" href="#/home">{"Microsoft Azure"}<span class="brand-tag">{"CMK Playground"}</span></a>
                <Search view={props.view.clone()} />
            }
            <div class="topbar-right">
                <button class="topbar-button" onclick={props.on_shell.clone()} data-testid="open-shell" title="Cloud Shell" aria-label="Cloud Shell">{">_"}</button>
                <Bell view={props.view.clone()} notices={props.notices.clone()} />
                if props.busy > 0 {
                    <span class="busy" data-testid="busy" role="status"><span class="spinner small"></span>{ format!("{} running", props.busy) }</span>
                }
                <span class="clock" title="Simulated time: nothing happens unless the clock moves" data-testid="clock"><Icon name={IconName::Clock} />{" "}{ now }</span>
                <label class="persona">
                    <span class="persona-label">{"Signed in as"}</span>
                    <select ref={select_ref} data-testid="persona" {onchange} aria-label="Signed-in persona">
                        { for view.personas.iter().map(|p| html! {
                            // The name and role fit the switcher even in a narrow window; the
                            // account and the whole description are its title.
                            <option value={p.user_principal_name.clone()} selected={p.id == view.signed_in.id} title={format!("{} — {}", p.user_principal_name, p.description)}>
                                { format!("{} ({})", p.display_name, p.description.split([':', ',', ';']).next().unwrap_or_default().trim().replace("Administrator", "admin")) }
                            </option>
                        }) }
                    </select>
                    <span class="tenant">{ view.tenant_domain.to_ascii_uppercase() }</span>
                </label>
            </div>
        </header>
    }
}

#[derive(Properties, PartialEq)]
struct SearchProps {
    view: crate::context::SharedView,
}

/// The top bar's search: services (blades) and resources (groups, vaults, policies) by name.
#[function_component(Search)]
fn search(props: &SearchProps) -> Html {
    use crate::route::{PpacRoute, Route};
    let text = use_state(String::new);
    let v = &props.view;
    let mut all: Vec<(String, &'static str, Route)> = vec![
        ("Subscriptions".into(), "Service", Route::Subscriptions),
        ("Resource providers".into(), "Service", Route::ResourceProviders),
        ("Microsoft Entra ID".into(), "Service", Route::Users),
        ("Resource groups".into(), "Service", Route::ResourceGroups),
        ("Key vaults".into(), "Service", Route::KeyVaults),
        ("Enterprise policies".into(), "Service", Route::EnterprisePolicies),
        ("Deploy a custom template".into(), "Service", Route::DeployTemplate),
        ("Resource Graph Explorer".into(), "Service", Route::ResourceGraph),
        ("Power Platform admin center".into(), "Service", Route::Ppac(PpacRoute::Environments)),
    ];
    all.extend(v.resource_groups.iter().map(|r| (r.name.clone(), "Resource group", Route::ResourceGroups)));
    all.extend(
        v.vaults.iter().map(|l| (l.vault.name.clone(), "Key vault", Route::Vault { vault: l.vault.name.clone() })),
    );
    all.extend(
        v.policies
            .iter()
            .map(|p| (p.name.clone(), "Enterprise policy", Route::EnterprisePolicy { name: p.name.clone() })),
    );
    let needle = text.trim().to_ascii_lowercase();
    let hits: Vec<(String, &'static str, Route)> = if needle.is_empty() {
        Vec::new()
    } else {
        all.into_iter().filter(|(n, _, _)| n.to_ascii_lowercase().contains(&needle)).take(8).collect()
    };
    let oninput = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| text.set(e.target_unchecked_into::<web_sys::HtmlInputElement>().value()))
    };
    let onkeydown = {
        let (text, first) = (text.clone(), hits.first().map(|h| h.2.clone()));
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "Enter" => {
                if let Some(r) = &first {
                    crate::route::navigate(r);
                    text.set(String::new());
                }
            }
            "Escape" => text.set(String::new()),
            _ => {}
        })
    };
    html! {
        <div class="topbar-search" role="search">
            <input aria-label="Search resources, services, and docs" placeholder="Search resources, services, and docs (G+/)" value={(*text).clone()} {oninput} {onkeydown} />
            if !needle.is_empty() {
                <ul class="search-results" aria-label="Search results">
                    { for hits.iter().map(|(name, kind, route)| {
                        let clear = { let text = text.clone(); Callback::from(move |_: MouseEvent| text.set(String::new())) };
                        html! { <li><a href={route.href()} onclick={clear}>{ name.clone() }<span class="hint">{ format!(" — {kind}") }</span></a></li> }
                    }) }
                    if hits.is_empty() { <li class="hint">{ format!("No results for '{}'", text.trim()) }</li> }
                </ul>
            }
        </div>
    }
}
