//! Fluent-style message bars for errors, warnings and information.

use yew::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageKind {
    Info,
    Warning,
    Error,
    Success,
}

#[derive(Properties, PartialEq)]
pub struct MessageBarProps {
    pub kind: MessageKind,
    #[prop_or_default]
    pub children: Html,
}

#[function_component(MessageBar)]
pub fn message_bar(props: &MessageBarProps) -> Html {
    let (class, icon, role) = match props.kind {
        MessageKind::Info => ("info", "ℹ", "status"),
        MessageKind::Warning => ("warning", "⚠", "status"),
        MessageKind::Error => ("error", "✖", "alert"),
        MessageKind::Success => ("success", "✔", "status"),
    };
    html! {
        <div class={classes!("message-bar", class)} role={role}>
            <span class="icon" aria-hidden="true">{ icon }</span>
            <div class="text">{ props.children.clone() }</div>
        </div>
    }
}

/// An error's technical detail (its code and the service's message), one click away: the page
/// says what happened in plain words first.
pub fn details(code: &str, message: &str) -> Html {
    html! {
        <details class="error-details">
            <summary>{"Details"}</summary>
            <p><code>{ code.to_string() }</code>{": "}{ message.to_string() }</p>
        </details>
    }
}
