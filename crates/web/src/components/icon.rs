//! Inline SVG icons: no icon font or emoji font is needed on the viewer's machine.

use yew::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IconName {
    Add,
    Clock,
    Copy,
    Home,
    Key,
    ResourceGroup,
}

#[derive(Properties, PartialEq)]
pub struct IconProps {
    pub name: IconName,
}

#[function_component(Icon)]
pub fn icon(props: &IconProps) -> Html {
    let path = match props.name {
        IconName::Add => "M8 2v12M2 8h12",
        IconName::Clock => "M8 1.5a6.5 6.5 0 1 0 0 13a6.5 6.5 0 1 0 0-13M8 4v4l3 2",
        IconName::Copy => "M5.5 5.5h8v8h-8zM10.5 5.5v-3h-8v8h3",
        IconName::Home => "M2 8l6-5.5L14 8M4 6.5V14h3v-4h2v4h3V6.5",
        IconName::Key => "M5.5 6.5a3.5 3.5 0 1 0 0 .01M8.5 8.5L14 14M12 12l1.5-1.5M10.5 10.5l1.5-1.5",
        IconName::ResourceGroup => "M2 2h5v5H2zM9 2h5v5H9zM2 9h5v5H2zM9 9h5v5H9z",
    };
    html! {
        <svg class="svg-icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
            <path d={path} fill="none" stroke="currentColor" stroke-width="1.4" stroke-linecap="round" stroke-linejoin="round" />
        </svg>
    }
}
