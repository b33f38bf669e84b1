//! The playground's clock bar, in both portals: the simulated time, buttons that move it
//! (+1 hour, +1 day, +7 days, +30 days, a custom duration, Run until idle), what is coming with its
//! due time and a 30-day timeline, and a summary of what happened during the last advance.

use cmk_core::view::PendingOperation;
use cmk_core::{Command, SimTime};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::context::use_app;
use crate::pages::form::use_request;
use crate::pages::ppac::when;

const DAY: u64 = 86_400;

fn unix(iso: &str) -> u64 {
    SimTime::parse_iso(iso).map(SimTime::unix).unwrap_or(0)
}

/// "3 events: …" from a clock report's events.
fn summary(report: &serde_json::Value) -> String {
    let events = report["events"].as_array().cloned().unwrap_or_default();
    if events.is_empty() {
        return format!("Now {}. Nothing happened on its own.", when(report["now"].as_str().unwrap_or_default()));
    }
    let shown: Vec<String> =
        events.iter().take(6).map(|e| e["message"].as_str().unwrap_or_default().to_string()).collect();
    let more = if events.len() > 6 {
        format!(" … and {} more (see Notifications)", events.len() - 6)
    } else {
        String::new()
    };
    format!("{} event(s): {}{more}", events.len(), shown.join("; "))
}

#[function_component(ClockBar)]
pub fn clock_bar() -> Html {
    let ctx = use_app();
    let custom = use_state(String::new);
    let open = use_state(|| false);
    let (request, done, running) = use_request();
    let advance = |cmd: fn() -> Command| {
        let (send, request) = (ctx.send.clone(), request.clone());
        Callback::from(move |_: MouseEvent| request.set(Some(send.emit(cmd()))))
    };
    let on_custom = {
        let custom = custom.clone();
        Callback::from(move |e: InputEvent| custom.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let custom_error =
        (!custom.trim().is_empty()).then(|| cmk_core::azure::rotation::parse_duration(custom.trim()).err()).flatten();
    let go_custom = {
        let (send, request, custom) = (ctx.send.clone(), request.clone(), custom.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Ok(d) = cmk_core::azure::rotation::parse_duration(custom.trim()) {
                request.set(Some(send.emit(Command::AdvanceClock { by: d })));
            }
        })
    };
    let v = &ctx.view;
    let now = unix(&v.now);
    let upcoming: Vec<&PendingOperation> = v.upcoming.iter().collect();
    let horizon = now + 30 * DAY;
    let marks: Vec<Html> = upcoming
        .iter()
        .filter(|p| unix(&p.at) <= horizon)
        .map(|p| {
            let x = 10.0 + 780.0 * ((unix(&p.at).saturating_sub(now)) as f64 / (30 * DAY) as f64);
            html! { <g><title>{ format!("{} — {}", when(&p.at), p.what) }</title><circle cx={format!("{x:.1}")} cy="14" r="5" class={classes!("mark", p.kind.to_lowercase())} /></g> }
        })
        .collect();
    let toggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    html! {
        <section class="clock-bar" aria-label="Simulated clock" data-testid="clock-bar">
            <span class="clock-now" data-testid="clock-now">{ format!("Simulated time: {} UTC", when(&v.now)) }</span>
            <button class="cmd" onclick={advance(|| Command::AdvanceClock { by: cmk_core::SimDuration::hours(1) })} disabled={running}>{"+1 hour"}</button>
            <button class="cmd" onclick={advance(|| Command::AdvanceClock { by: cmk_core::SimDuration::days(1) })} disabled={running}>{"+1 day"}</button>
            <button class="cmd" onclick={advance(|| Command::AdvanceClock { by: cmk_core::SimDuration::days(7) })} disabled={running}>{"+7 days"}</button>
            <button class="cmd" onclick={advance(|| Command::AdvanceClock { by: cmk_core::SimDuration::days(30) })} disabled={running}>{"+30 days"}</button>
            <form class="clock-custom" onsubmit={go_custom} aria-label="Advance by a duration">
                <input aria-label="Duration" placeholder="e.g. 6h, 3d, PT30M" value={(*custom).clone()} oninput={on_custom} size="10" />
                <button type="submit" class="cmd" disabled={running || custom_error.is_some() || custom.trim().is_empty()}>{"Advance"}</button>
            </form>
            <button class="cmd" onclick={advance(|| Command::RunClock)} disabled={running}>{"Run until idle"}</button>
            <button class="cmd" onclick={toggle} aria-expanded={(*open).to_string()}>{ format!("Coming up ({})", upcoming.len()) }</button>
            if running { <span role="status"><span class="spinner small"></span>{" The clock is running in the background…"}</span> }
            if let Some(e) = &custom_error { <span class="bad">{ e.message().to_string() }</span> }
            if let Some(d) = done.as_ref().filter(|_| !running) {
                <p class="clock-summary" role="status" data-testid="clock-summary">
                    { match &d.result { Ok(v) => summary(v), Err(e) => format!("{}: {}", e.code(), e.message()) } }
                </p>
            }
            if *open {
                <div class="clock-panel" data-testid="clock-panel">
                    <svg class="timeline" viewBox="0 0 800 28" role="img" aria-label="The next 30 days">
                        <line x1="10" y1="14" x2="790" y2="14" class="axis" />
                        { for (0..=30).step_by(5).map(|d| { let x = 10.0 + 26.0 * d as f64; html! { <g><line x1={format!("{x}")} y1="9" x2={format!("{x}")} y2="19" class="tick" /><text x={format!("{x}")} y="27" class="tick-label">{ format!("+{d}d") }</text></g> } }) }
                        { for marks }
                    </svg>
                    <table class="grid" aria-label="Coming up">
                        <thead><tr><th scope="col">{"Due (simulated)"}</th><th scope="col">{"What"}</th></tr></thead>
                        <tbody>{ for upcoming.iter().map(|p| html! { <tr><td>{ when(&p.at) }</td><td>{ &p.what }</td></tr> }) }</tbody>
                    </table>
                    if upcoming.is_empty() { <p class="empty">{"Nothing is waiting for the clock."}</p> }
                </div>
            }
        </section>
    }
}
