//! The playground's clock bar, in both portals: the simulated time, buttons that move it
//! (+1 hour, +1 day, +7 days, +30 days, a custom duration, Run until idle), what is coming with its
//! due time and a 30-day timeline, and a summary of what happened during the last advance.

use cmk_core::view::{ClockReport, PendingOperation};
use cmk_core::{Command, Outcome, SimTime};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::icon::{Icon, IconName};
use crate::context::use_app;
use crate::pages::form::use_request;
use crate::pages::ppac::when;

const DAY: u64 = 86_400;

fn unix(iso: &str) -> u64 {
    SimTime::parse_iso(iso).map(SimTime::unix).unwrap_or(0)
}

/// "3 events: …" from a clock report's events; first, why the clock stopped short, if it did.
pub fn summary(report: &ClockReport) -> String {
    let events = &report.events;
    let stopped = report.stopped.as_ref().map(|why| format!("{} ", why.trim_end())).unwrap_or_default();
    if events.is_empty() {
        return format!("{stopped}Now {}. Nothing happened on its own.", when(&report.now));
    }
    let shown: Vec<&str> = events.iter().take(6).map(|e| e.message.as_str()).collect();
    let more = if events.len() > 6 {
        format!(" … and {} more (see Notifications)", events.len() - 6)
    } else {
        String::new()
    };
    format!("{stopped}{} event(s): {}{more}", events.len(), shown.join("; "))
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
            html! { <g><title>{ format!("{} — {}", when(&p.at), p.what) }</title><circle cx={format!("{x:.1}")} cy="14" r="5" class={classes!("mark", p.kind.to_ascii_lowercase())} /></g> }
        })
        .collect();
    let toggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    let more = use_state(|| false);
    let toggle_more = {
        let more = more.clone();
        Callback::from(move |_: MouseEvent| more.set(!*more))
    };
    {
        // While More is open, Escape anywhere closes it (focus may have left the bar: a dialog
        // opened from it and closed again).
        let more = more.clone();
        use_effect_with(*more, move |open| {
            use wasm_bindgen::JsCast;
            let document = web_sys::window().and_then(|w| w.document());
            let listener = open.then(|| {
                wasm_bindgen::closure::Closure::<dyn FnMut(KeyboardEvent)>::new(move |e: KeyboardEvent| {
                    if e.key() == "Escape" {
                        more.set(false);
                    }
                })
            });
            if let (Some(d), Some(l)) = (&document, &listener) {
                let _ = d.add_event_listener_with_callback("keydown", l.as_ref().unchecked_ref());
            }
            move || {
                if let (Some(d), Some(l)) = (&document, &listener) {
                    let _ = d.remove_event_listener_with_callback("keydown", l.as_ref().unchecked_ref());
                }
                drop(listener);
            }
        });
    }
    // Escape closes Coming up, as it closes the portal's panels (More has its own listener).
    let on_key = {
        let open = open.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                open.set(false);
            }
        })
    };
    html! {
        <section class="clock-bar" aria-label="Simulated clock" data-testid="clock-bar" onkeydown={on_key}>
            <span class="clock-now" data-testid="clock-now"><span class="visually-hidden">{"Simulated time: "}</span><Icon name={IconName::Clock} />{ format!(" {} UTC", when(&v.now)) }</span>
            <button class="cmd" onclick={advance(|| Command::AdvanceClock { by: cmk_core::SimDuration::hours(1) })} disabled={running}>{"+1 hour"}</button>
            <button class="cmd" onclick={advance(|| Command::AdvanceClock { by: cmk_core::SimDuration::days(1) })} disabled={running}>{"+1 day"}</button>
            <button class="cmd" onclick={advance(|| Command::AdvanceClock { by: cmk_core::SimDuration::days(7) })} disabled={running}>{"+7 days"}</button>
            <button class="cmd" onclick={advance(|| Command::AdvanceClock { by: cmk_core::SimDuration::days(30) })} disabled={running}>{"+30 days"}</button>
            <form class="clock-custom" onsubmit={go_custom} aria-label="Advance by a duration">
                <input aria-label="Duration" placeholder="6h, 3d, PT30M" title="A duration: 30m, 6h, 4d, or ISO 8601 such as PT30M or P2W" value={(*custom).clone()} oninput={on_custom} size="10" />
                <button type="submit" class="cmd" disabled={running || custom_error.is_some() || custom.trim().is_empty()}>{"Advance"}</button>
            </form>
            <button class="cmd" onclick={advance(|| Command::RunClock)} disabled={running}>{"Run until idle"}</button>
            <button class="cmd" onclick={toggle} aria-expanded={(*open).to_string()}>{ format!("Coming up ({})", upcoming.len()) }</button>
            // In a narrow window the playground's tools wait behind More, so the bar keeps one row.
            <button class="cmd clock-more" onclick={toggle_more} aria-expanded={(*more).to_string()} aria-controls="playground-tools">{"More"}</button>
            <div id="playground-tools" class={classes!("playground-tools", more.then_some("open"))} role="group" aria-label="Playground">
                <crate::components::SessionTools />
                <SaveLoad />
                <a class="cmd" href={crate::route::Route::Scenarios.href()}>{"Scenarios"}</a>
            </div>
            if running { <span role="status"><span class="spinner small"></span>{" The clock is running in the background…"}</span> }
            if let Some(e) = &custom_error { <span class="bad">{ e.message().to_string() }</span> }
            // A clock report is about the world it was made in: after Undo, an import or a new
            // scenario moved the clock elsewhere, it is no longer shown.
            if let Some(d) = done.as_ref().filter(|d| !running && !matches!(d.outcome(), Some(Outcome::Clock(r)) if r.now != v.now)) {
                <p class="clock-summary" role="status" data-testid="clock-summary">
                    { match (&d.result, d.outcome()) {
                        (Err(e), _) => format!("{}: {}", e.code(), e.message()),
                        (_, Some(Outcome::Clock(report))) => summary(report),
                        _ => String::new(),
                    } }
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

/// Export the world as a file, Import one (checked before it replaces anything), Reset playground.
#[function_component(SaveLoad)]
fn save_load() -> Html {
    use crate::context::Playground;
    let ctx = use_app();
    let (request, done, running) = use_request();
    let confirm = use_state(|| None::<Playground>);
    // What went wrong in the page itself (a file the browser could not read, a download refused).
    let local_error = use_state(|| None::<String>);
    let export = {
        let (go, request) = (ctx.playground.clone(), request.clone());
        Callback::from(move |_: MouseEvent| request.set(Some(go.emit(Playground::Export))))
    };
    // The export answered: hand the envelope to the browser as a download, once.
    {
        let local_error = local_error.clone();
        crate::pages::form::use_on_answer(*request, done.clone(), move |label, value| {
            if let ("Export", cmk_worker::Answer::Text(text)) = (label, value) {
                local_error.set(download("cmk-playground.json", text).err());
            }
        });
    }
    let on_file = {
        let (confirm, local_error) = (confirm.clone(), local_error.clone());
        crate::pages::form::on_file_text(
            true,
            Callback::from(move |read: Result<(String, String), String>| match read {
                Ok((_, text)) => {
                    local_error.set(None);
                    confirm.set(Some(Playground::Import(text)));
                }
                Err(why) => local_error.set(Some(why)),
            }),
        )
    };
    let reset = {
        let confirm = confirm.clone();
        Callback::from(move |_: MouseEvent| confirm.set(Some(Playground::Reset)))
    };
    let dialog = (*confirm).clone().map(|what| {
        let (go, request, close) = (ctx.playground.clone(), request.clone(), confirm.clone());
        let is_reset = what == Playground::Reset;
        let on_confirm = {
            let close = close.clone();
            Callback::from(move |()| {
                request.set(Some(go.emit(what.clone())));
                close.set(None);
            })
        };
        html! {
            <crate::components::Dialog title={if is_reset { "Reset playground" } else { "Import" }} confirm_label={if is_reset { "Reset" } else { "Import" }} danger=true {on_confirm} on_cancel={Callback::from(move |()| close.set(None))}>
                <p>{ if is_reset { "Start over with a new world: every resource, environment and key of this playground is gone (export it first to keep it)." } else { "Replace the current world with the one in this file? The file is checked first: a damaged, foreign or newer file changes nothing." } }</p>
            </crate::components::Dialog>
        }
    });
    let failed = (*local_error).clone().or_else(|| {
        done.as_ref().and_then(|d| d.result.as_ref().err().map(|e| format!("{}: {}", e.code(), e.message())))
    });
    html! {
        <>
            <button class="cmd" onclick={export} disabled={running}>{"Export"}</button>
            <label class="cmd upload">{"Import"}<input type="file" aria-label="Import a playground file" accept=".json" onchange={on_file} /></label>
            <button class="cmd" onclick={reset} disabled={running}>{"Reset playground"}</button>
            if let Some(e) = failed { <span class="bad" role="alert" data-testid="playground-error">{ e }</span> }
            { dialog.unwrap_or_default() }
        </>
    }
}

/// Offers `text` as a file download (a Blob URL clicked through a temporary link); `Err` says,
/// in the page's words, why the browser would not.
pub fn download(name: &str, text: &str) -> Result<(), String> {
    use wasm_bindgen::JsCast;
    let refused = |why: String| {
        format!("The browser did not start the download of '{name}' ({why}). Nothing was lost; try Export again.")
    };
    let js = |e: wasm_bindgen::JsValue| refused(crate::pages::form::js_error_text(&e));
    let document = web_sys::window().and_then(|w| w.document()).ok_or_else(|| refused("no document".into()))?;
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let blob = web_sys::Blob::new_with_str_sequence(&parts).map_err(js)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(js)?;
    let a = document.create_element("a").map_err(js)?.unchecked_into::<web_sys::HtmlAnchorElement>();
    a.set_href(&url);
    a.set_download(name);
    let body = document.body().ok_or_else(|| refused("no page body".into()))?;
    body.append_child(&a).map_err(js)?;
    a.click();
    let _ = body.remove_child(&a);
    // The URL is not revoked at once: the browser may still be reading it for the download.
    Ok(())
}
