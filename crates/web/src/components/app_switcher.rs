//! The app launcher of both top bars: switch between the Azure portal and the Power Platform
//! admin center (one simulated tenant behind both).

use yew::prelude::*;

use crate::route::{PpacRoute, Route};

#[derive(Properties, PartialEq)]
pub struct AppSwitcherProps {
    /// Whether the admin center is the portal shown now.
    pub in_ppac: bool,
}

#[function_component(AppSwitcher)]
pub fn app_switcher(props: &AppSwitcherProps) -> Html {
    let open = use_state(|| false);
    let toggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    let onkeydown = {
        let open = open.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                open.set(false);
            }
        })
    };
    let close = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(false))
    };
    let item = |label: &'static str, target: Route, current: bool| {
        html! {
            <li><a href={target.href()} onclick={close.clone()} aria-current={current.then_some("true")}>{ label }</a></li>
        }
    };
    html! {
        <div class="app-switcher" {onkeydown}>
            <button class="waffle" aria-label="App launcher" aria-expanded={(*open).to_string()} aria-haspopup="true" onclick={toggle} title="App launcher">
                <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
                    { for (0..9).map(|i| html! { <rect x={(1 + (i % 3) * 5).to_string()} y={(1 + (i / 3) * 5).to_string()} width="3" height="3" fill="currentColor" /> }) }
                </svg>
            </button>
            if *open {
                <nav class="app-menu" aria-label="Apps">
                    <ul>
                        { item("Azure portal", Route::Home, !props.in_ppac) }
                        { item("Power Platform admin center", Route::Ppac(PpacRoute::Environments), props.in_ppac) }
                    </ul>
                </nav>
            }
        </div>
    }
}
