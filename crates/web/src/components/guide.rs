//! The guide of the scenario in progress: its goal and a checklist that ticks as the world
//! changes (the worker asks the world, not the clicks), who does each step, the step as Cloud
//! Shell lines (Show me), Reset scenario, and a word at the end.

use yew::prelude::*;

use crate::components::{CopyButton, Dialog};
use crate::context::{use_app, Playground};
use crate::route::Route;

#[function_component(ScenarioGuide)]
pub fn scenario_guide() -> Html {
    let ctx = use_app();
    let collapsed = use_state(|| false);
    let shown = use_state(|| None::<usize>);
    let confirm_reset = use_state(|| false);
    let Some(progress) = ctx.view.session.scenario.clone() else { return Html::default() };
    let persona = |upn: &str| {
        ctx.view
            .personas
            .iter()
            .find(|p| p.user_principal_name.eq_ignore_ascii_case(upn))
            .map(|p| p.display_name.clone())
            .unwrap_or_else(|| upn.to_string())
    };
    let done = progress.steps.iter().filter(|s| s.done).count();
    let toggle = {
        let collapsed = collapsed.clone();
        Callback::from(move |_: MouseEvent| collapsed.set(!*collapsed))
    };
    let reset_dialog = (*confirm_reset).then(|| {
        let (go, close, id) = (ctx.playground.clone(), confirm_reset.clone(), progress.id.clone());
        let close2 = close.clone();
        html! {
            <Dialog title="Reset scenario" confirm_label="Reset scenario" danger=true
                on_confirm={Callback::from(move |()| { go.emit(Playground::StartScenario(id.clone())); close.set(false); })}
                on_cancel={Callback::from(move |()| close2.set(false))}>
                <p>{"Go back to the scenario's prepared world: everything done since it started is undone."}</p>
            </Dialog>
        }
    });
    let finished = ctx.view.session.completed.len();
    let total = ctx.view.session.catalog.len();
    html! {
        <aside class={classes!("guide", collapsed.then_some("collapsed"))} aria-label="Scenario guide" data-testid="scenario-guide">
            <header class="guide-head">
                <h2>{ format!("Scenario: {}", progress.title) }</h2>
                <span class="guide-count" aria-label={format!("{done} of {} steps done", progress.steps.len())}>{ format!("{done}/{}", progress.steps.len()) }</span>
                <button class="cmd" onclick={toggle} aria-expanded={(!*collapsed).to_string()}>{ if *collapsed { "Show guide" } else { "Hide guide" } }</button>
            </header>
            if !*collapsed {
                <p class="guide-goal">{ &progress.goal }</p>
                <ol class="checklist" aria-label="Checklist">
                    { for progress.steps.iter().enumerate().map(|(i, step)| {
                        let open = *shown == Some(i);
                        let show = { let shown = shown.clone(); Callback::from(move |_: MouseEvent| shown.set(if open { None } else { Some(i) })) };
                        html! {
                            <li class={classes!(step.done.then_some("done"))} data-testid="checklist-item" aria-label={format!("{} {}", if step.done { "Done:" } else { "To do:" }, step.text)}>
                                <span class="tick" aria-hidden="true">{ if step.done { "✓" } else { "○" } }</span>
                                <div>
                                    <p>{ &step.text }</p>
                                    <p class="persona-hint">{ format!("As {}", persona(&step.persona)) }</p>
                                    <button class="link" onclick={show} aria-expanded={open.to_string()}>{ if open { "Hide" } else { "Show me" } }</button>
                                    if open {
                                        <div class="show-me">
                                            <pre data-testid="show-me">{ &step.show_me }</pre>
                                            <CopyButton text={step.show_me.clone()} what="Copy the step's Cloud Shell lines" />
                                        </div>
                                    }
                                </div>
                            </li>
                        }
                    }) }
                </ol>
                if progress.complete {
                    <p class="guide-done" role="status" data-testid="scenario-complete">
                        { format!("Scenario complete: well done. {finished} of {total} scenarios finished. ") }
                        <a href={Route::Scenarios.href()}>{"Pick another scenario"}</a>
                    </p>
                }
                <div class="guide-actions">
                    <button class="cmd" onclick={{ let c = confirm_reset.clone(); Callback::from(move |_: MouseEvent| c.set(true)) }}>{"Reset scenario"}</button>
                    <a class="cmd" href={Route::Scenarios.href()}>{"All scenarios"}</a>
                </div>
            }
            { reset_dialog.unwrap_or_default() }
        </aside>
    }
}
