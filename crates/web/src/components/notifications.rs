//! The portal's notification toasts: one per command, in progress → succeeded / failed.

use yew::prelude::*;

use crate::store::{Notification, NotificationStatus};

#[derive(Properties, PartialEq)]
pub struct NotificationsProps {
    pub items: Vec<Notification>,
    pub on_dismiss: Callback<u64>,
}

/// At most this many toasts show at once, the newest (the bell keeps the portal's activity).
const SHOWN: usize = 3;

/// Succeeded toasts hide themselves after this long; failures stay until dismissed.
const AUTO_HIDE: std::time::Duration = std::time::Duration::from_secs(5);

#[function_component(Notifications)]
pub fn notifications(props: &NotificationsProps) -> Html {
    {
        let done: Vec<u64> =
            props.items.iter().filter(|n| n.status == NotificationStatus::Succeeded).map(|n| n.id).collect();
        let dismiss = props.on_dismiss.clone();
        use_effect_with(done, move |done| {
            for id in done.clone() {
                let dismiss = dismiss.clone();
                yew::platform::spawn_local(async move {
                    yew::platform::time::sleep(AUTO_HIDE).await;
                    dismiss.emit(id);
                });
            }
        });
    }
    html! {
        <div class="notifications" aria-live="polite" data-testid="notifications">
            { for props.items.iter().take(SHOWN).map(|n| {
                let dismiss = { let cb = props.on_dismiss.clone(); let id = n.id; Callback::from(move |_| cb.emit(id)) };
                let (class, icon) = match n.status {
                    NotificationStatus::InProgress => ("in-progress", html! { <span class="spinner" role="progressbar" aria-label="In progress"></span> }),
                    NotificationStatus::Succeeded => ("succeeded", html! { <span class="icon ok" aria-hidden="true">{"✔"}</span> }),
                    NotificationStatus::Failed => ("failed", html! { <span class="icon bad" aria-hidden="true">{"✖"}</span> }),
                };
                html! {
                    <div key={n.id} class={classes!("toast", class)} data-testid="toast">
                        { icon }
                        <div class="toast-body">
                            <div class="toast-title">{ &n.title }</div>
                            <div class="toast-detail">{ &n.detail }</div>
                        </div>
                        <button class="icon-button" aria-label="Dismiss notification" onclick={dismiss}>{"✕"}</button>
                    </div>
                }
            }) }
        </div>
    }
}
