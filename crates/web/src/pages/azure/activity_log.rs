//! The Activity log of a subscription, a resource group, a vault or an enterprise policy: the
//! management operations made on it and under it, with who made them, filtered by Timespan as
//! in the real portal.

use yew::prelude::*;

use cmk_core::{SimDuration, SimTime};

use crate::context::use_app;

/// The Timespan filter's choices (hours).
const TIMESPANS: [(u64, &str); 6] = [
    (1, "Last hour"),
    (6, "Last 6 hours"),
    (24, "Last 24 hours"),
    (24 * 7, "Last week"),
    (24 * 30, "Last month"),
    (24 * 90, "Last 3 months"),
];

#[derive(Properties, PartialEq)]
pub struct ActivityLogProps {
    /// The ARM id whose operations (its own and those under it) are listed.
    pub scope: AttrValue,
    /// A vault's log also says where its key operations are kept.
    #[prop_or_default]
    pub data_plane_note: bool,
}

#[function_component(ActivityLog)]
pub fn activity_log(props: &ActivityLogProps) -> Html {
    let ctx = use_app();
    let hours = use_state(|| 6u64);
    // The event whose details are open (its time and resource, which name it in the log).
    let open = use_state(|| None::<(cmk_core::SimTime, String, String)>);
    let v = &ctx.view;
    let now = SimTime::parse_iso(&v.now).unwrap_or(SimTime::GENESIS);
    let from = SimTime::from_unix(now.unix().saturating_sub(SimDuration::hours(*hours).as_seconds()));
    let shown: Vec<&cmk_core::view::Operation> =
        v.operations.iter().filter(|o| o.at >= from && o.is_under(&props.scope)).collect();
    let details = (*open)
        .as_ref()
        .and_then(|(at, name, resource)| {
            shown.iter().find(|o| o.at == *at && o.name == *name && o.resource == *resource)
        })
        .map(|o| event_details(o, &v.subscription_id, &open));
    let rows: Vec<Html> = shown
        .iter()
        .map(|o| {
            let ago = now.since(o.at);
            let time = if ago.as_seconds() < 60 { "Just now".to_string() } else { format!("{} ago", ago.human()) };
            let resource = o.resource.rsplit('/').next().unwrap_or(&o.resource).to_string();
            html! {
                <tr>
                    <td>
                        <button type="button" class="link-button" onclick={{ let (open, key) = (open.clone(), (o.at, o.name.clone(), o.resource.clone())); Callback::from(move |_: MouseEvent| open.set(Some(key.clone()))) }}>{ &o.name }</button>
                        <div class="hint">{ resource }</div>
                    </td>
                    <td><span class="health healthy">{"Succeeded"}</span></td>
                    <td>{ time }</td>
                    <td>{ o.at.words() }</td>
                    <td>{ &v.subscription_name }</td>
                    <td>{ &o.caller }</td>
                </tr>
            }
        })
        .collect();
    let onchange = {
        let hours = hours.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
            hours.set(value.parse().unwrap_or(6));
        })
    };
    let span = TIMESPANS.iter().find(|(h, _)| *h == *hours).map_or("", |(_, l)| l).to_ascii_lowercase();
    html! {
        <>
            <div class="filters">
                <label for="activity-timespan">{"Timespan"}</label>
                <select id="activity-timespan" {onchange}>
                    { for TIMESPANS.iter().map(|(h, label)| html! {
                        <option value={h.to_string()} selected={*h == *hours}>{ *label }</option>
                    }) }
                </select>
            </div>
            if props.data_plane_note {
                <p class="hint">{"Creating, rotating, disabling or deleting keys are data-plane operations: Azure records them in the vault's diagnostic logs, not in its activity log. Access policies, networking, role assignments and deleting the vault are here."}</p>
            }
            if rows.is_empty() {
                <p class="empty" data-testid="no-activity">{ format!("No events to display for the {span}. Choose a longer Timespan to see older events.") }</p>
            } else {
                <table class="grid" data-testid="activity-log">
                    <thead><tr>
                        <th scope="col">{"Operation name"}</th><th scope="col">{"Status"}</th><th scope="col">{"Time"}</th>
                        <th scope="col">{"Time stamp"}</th><th scope="col">{"Subscription"}</th><th scope="col">{"Event initiated by"}</th>
                    </tr></thead>
                    <tbody>{ for rows }</tbody>
                </table>
            }
            { details.unwrap_or_default() }
        </>
    }
}

/// An event's details, as the portal's pane shows them: Summary, and the event's JSON (the shape
/// `az monitor activity-log list` prints).
fn event_details(
    o: &cmk_core::view::Operation,
    subscription: &str,
    open: &UseStateHandle<Option<(SimTime, String, String)>>,
) -> Html {
    let close = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(None))
    };
    html! {
        <section class="panel" aria-label="Event details" data-testid="activity-details">
            <h2>{ &o.name }</h2>
            <dl class="essentials">
                <dt>{"Operation name"}</dt><dd>{ &o.name }</dd>
                <dt>{"Operation"}</dt><dd><code>{ &o.action }</code></dd>
                <dt>{"Time stamp"}</dt><dd>{ o.at.words() }</dd>
                <dt>{"Event initiated by"}</dt><dd>{ &o.caller }</dd>
                <dt>{"Resource"}</dt><dd><code class="wrap">{ &o.resource }</code></dd>
                <dt>{"Status"}</dt><dd>{"Succeeded"}</dd>
            </dl>
            <h3>{"JSON"}</h3>
            <crate::components::JsonView value={o.event(subscription)} />
            <button type="button" onclick={close}>{"Close"}</button>
        </section>
    }
}
