//! A resource blade's own menu, as the real portal has it: a search box, then items in groups
//! (the first without a heading), the current item marked. Items the playground does not
//! simulate are greyed and lead to a page that says so.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::route::Route;

/// One item: its label, which page is its own (`current` of the menu), and where it goes.
#[derive(Clone, Debug, PartialEq)]
pub struct MenuItem {
    pub label: &'static str,
    pub key: &'static str,
    pub route: Route,
    /// `false`: greyed, as an item of the real portal the playground does not model.
    pub simulated: bool,
}

impl MenuItem {
    pub fn new(label: &'static str, key: &'static str, route: Route) -> Self {
        Self { label, key, route, simulated: true }
    }
    pub fn greyed(label: &'static str, key: &'static str, route: Route) -> Self {
        Self { label, key, route, simulated: false }
    }
}

#[derive(Properties, PartialEq)]
pub struct ResourceMenuProps {
    /// What the resource is (`Key vault`): the menu is named "`kind` menu".
    pub kind: AttrValue,
    /// Heading (empty for the first group) and items.
    pub groups: Vec<(&'static str, Vec<MenuItem>)>,
    /// The key of the item whose page is shown.
    pub current: &'static str,
}

#[function_component(ResourceMenu)]
pub fn resource_menu(props: &ResourceMenuProps) -> Html {
    let search = use_state(String::new);
    let wanted = search.to_ascii_lowercase();
    let on_search = {
        let search = search.clone();
        Callback::from(move |e: InputEvent| search.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    html! {
        <nav class="resource-menu" aria-label={format!("{} menu", props.kind)}>
            <input type="search" class="menu-search" placeholder="Search" aria-label="Search the resource menu" value={(*search).clone()} oninput={on_search} />
            { for props.groups.iter().map(|(title, items)| {
                let shown: Vec<&MenuItem> = items.iter().filter(|i| i.label.to_ascii_lowercase().contains(&wanted)).collect();
                if shown.is_empty() {
                    return Html::default();
                }
                html! {
                    <div class="menu-group">
                        if !title.is_empty() { <div class="menu-group-title">{ *title }</div> }
                        <ul>
                            { for shown.into_iter().map(|i| {
                                let current = i.key == props.current;
                                html! {
                                    <li><a href={i.route.href()}
                                        class={classes!(current.then_some("current"), (!i.simulated).then_some("greyed"))}
                                        aria-current={current.then_some("page")}
                                        title={(!i.simulated).then_some("Not simulated in this playground")}>{ i.label }</a></li>
                                }
                            }) }
                        </ul>
                    </div>
                }
            }) }
        </nav>
    }
}
