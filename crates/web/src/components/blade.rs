//! A portal blade: breadcrumb, title with subtitle, optional command bar, content.

use yew::prelude::*;

use crate::route::Route;

#[derive(Properties, PartialEq)]
pub struct BladeProps {
    pub title: AttrValue,
    #[prop_or_default]
    pub subtitle: Option<AttrValue>,
    #[prop_or_default]
    pub crumbs: Vec<(AttrValue, Route)>,
    /// Buttons and links of the command bar.
    #[prop_or_default]
    pub commands: Option<Html>,
    /// The resource's own menu, left of the command bar and the content (a resource blade).
    #[prop_or_default]
    pub menu: Option<Html>,
    #[prop_or_default]
    pub children: Html,
}

#[function_component(Blade)]
pub fn blade(props: &BladeProps) -> Html {
    html! {
        <section class="blade" aria-labelledby="blade-title">
            <Breadcrumb crumbs={props.crumbs.clone()} />
            <header class="blade-header">
                <h1 id="blade-title" data-testid="blade-title">{ props.title.clone() }</h1>
                if let Some(s) = &props.subtitle { <p class="blade-subtitle">{ s.clone() }</p> }
            </header>
            if let Some(menu) = &props.menu {
                <div class="blade-body">
                    { menu.clone() }
                    <div class="blade-main">
                        if let Some(commands) = &props.commands {
                            <div class="command-bar" role="toolbar" aria-label="Commands">{ commands.clone() }</div>
                        }
                        <div class="blade-content">{ props.children.clone() }</div>
                    </div>
                </div>
            } else {
                if let Some(commands) = &props.commands {
                    <div class="command-bar" role="toolbar" aria-label="Commands">{ commands.clone() }</div>
                }
                <div class="blade-content">{ props.children.clone() }</div>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct BreadcrumbProps {
    pub crumbs: Vec<(AttrValue, Route)>,
}

#[function_component(Breadcrumb)]
pub fn breadcrumb(props: &BreadcrumbProps) -> Html {
    html! {
        <nav class="breadcrumb" aria-label="Breadcrumb">
            <a href={Route::Home.href()}>{"Home"}</a>
            { for props.crumbs.iter().map(|(label, route)| html! {
                <><span class="sep" aria-hidden="true">{" > "}</span><a href={route.href()}>{ label.clone() }</a></>
            }) }
        </nav>
    }
}
