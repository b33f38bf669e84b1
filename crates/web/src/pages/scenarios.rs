//! Scenarios: every flow of the seed documents as a guided exercise. Starting one replaces the
//! playground with the scenario's prepared world (after asking); its guide then follows the
//! person through both portals.

use yew::prelude::*;

use crate::components::{Blade, Dialog, MessageBar, MessageKind};
use crate::context::{use_app, Playground};
use crate::pages::form::use_request;
use crate::route::Route;

#[function_component(ScenariosPage)]
pub fn scenarios_page() -> Html {
    let ctx = use_app();
    let (request, done, running) = use_request();
    let confirm = use_state(|| None::<(String, String)>);
    let s = &ctx.view.session;
    let active = s.scenario.as_ref().map(|p| p.id.clone());
    let dialog = (*confirm).clone().map(|(id, title)| {
        let (go, request, close) = (ctx.playground.clone(), request.clone(), confirm.clone());
        let close2 = close.clone();
        html! {
            <Dialog title={format!("Start “{title}”")} confirm_label="Start scenario" danger=true
                on_confirm={Callback::from(move |()| { request.set(Some(go.emit(Playground::StartScenario(id.clone())))); close.set(None); })}
                on_cancel={Callback::from(move |()| close2.set(None))}>
                <p>{"The scenario starts from its own prepared world, which replaces your current playground (use Export first to keep it). Finished scenarios stay ticked."}</p>
            </Dialog>
        }
    });
    html! {
        <Blade title="Scenarios" subtitle="Guided exercises: every flow of Microsoft's documentation on customer-managed keys" crumbs={vec![("Scenarios".into(), Route::Scenarios)]}>
            <p class="intro">{ format!("{} of {} finished. Each scenario starts from a prepared world and ticks its checklist as the world changes, whether you click in the portals or type in the Cloud Shell.", s.completed.len(), s.catalog.len()) }</p>
            if running { <p role="status"><span class="spinner small"></span>{" Preparing the scenario's world…"}</p> }
            if let Some(Err(e)) = done.as_ref().map(|d| &d.result) { <MessageBar kind={MessageKind::Error}>{ e.message().to_string() }</MessageBar> }
            <ul class="scenario-cards">
                { for s.catalog.iter().map(|c| {
                    let finished = s.completed.contains(&c.id);
                    let current = active.as_deref() == Some(c.id.as_str());
                    let start = { let (confirm, id, title) = (confirm.clone(), c.id.clone(), c.title.clone()); Callback::from(move |_: MouseEvent| confirm.set(Some((id.clone(), title.clone())))) };
                    html! {
                        <li class={classes!("scenario-card", finished.then_some("finished"), current.then_some("current"))}>
                            <h2>{ &c.title }</h2>
                            <p>{ &c.goal }</p>
                            <p class="source">{ format!("In the documentation: {}", c.source) }</p>
                            <p class="meta">
                                { format!("{} steps", c.steps) }
                                if finished { <span class="badge ok">{"Finished"}</span> }
                                if current { <span class="badge">{"In progress"}</span> }
                            </p>
                            <button class="primary" onclick={start} disabled={running} aria-label={format!("{} {}", if current { "Start again" } else { "Start" }, c.title)}>{ if current { "Start again" } else { "Start" } }</button>
                        </li>
                    }
                }) }
            </ul>
            { dialog.unwrap_or_default() }
        </Blade>
    }
}
