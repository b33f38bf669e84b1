//! "What will follow": inside a confirmation dialog, the consequences of the action computed by
//! the worker on a copy of the world moved 35 days ahead (locks, deletions, backups, policies).

use cmk_core::Command;
use cmk_worker::Answer;
use yew::prelude::*;

use crate::context::use_app;
use crate::pages::ppac::when;

#[derive(Properties, PartialEq)]
pub struct WhatIfProps {
    pub command: Command,
}

#[function_component(WhatIf)]
pub fn what_if(props: &WhatIfProps) -> Html {
    let ctx = use_app();
    let request = use_state(|| None::<u64>);
    {
        let (ask, request) = (ctx.what_if.clone(), request.clone());
        use_effect_with(props.command.clone(), move |command| request.set(Some(ask.emit(command.clone()))));
    }
    let answered = request.and_then(|id| ctx.results.get(&id));
    let millis = answered.map(|c| c.millis).unwrap_or_default();
    let report = answered.and_then(|c| match &c.result {
        Ok(Answer::WhatIf(report)) => Some((**report).clone()),
        _ => None,
    });
    let Some(r) = report else {
        return html! { <p class="what-if" role="status"><span class="spinner small"></span>{" Working out what would follow (on a copy of the world)…"}</p> };
    };
    let list = |title: &'static str, items: &[cmk_core::view::ConsequenceView], dated: bool| {
        if items.is_empty() {
            return Html::default();
        }
        html! {
            <>
                <h3>{ title }</h3>
                <ul>{ for items.iter().map(|c| html! { <li>{ if dated { format!("{} — {} UTC", c.name, when(&c.at)) } else { c.name.clone() } }<span class="hint">{ format!(" ({})", c.detail) }</span></li> }) }</ul>
            </>
        }
    };
    let nothing = r.locks.is_empty()
        && r.deletions.is_empty()
        && r.unrestorable_backups.is_empty()
        && r.unhealthy_policies.is_empty();
    html! {
        <div class="what-if" data-testid="what-if">
            <h3>{ format!("What will follow (simulated up to {} UTC)", when(&r.until)) }</h3>
            <p class="hint playground-only" data-testid="what-if-time">{ format!("A playground feature: the real Azure portal and admin center do not show this. Worked out on a copy of the world in {millis:.0} ms; nothing has changed yet.") }</p>
            if let Some(e) = &r.result { <p class="bad">{ format!("The action itself would be refused: {}: {}", e.code, e.message) }</p> }
            if nothing && r.result.is_none() { <p>{"Nothing else: no environment locks, no backup becomes unrestorable, no policy turns Unhealthy."}</p> }
            { list("Policies that turn Unhealthy", &r.unhealthy_policies, false) }
            { list("Environments that lock", &r.locks, true) }
            { list("Environments deleted with their data", &r.deletions, true) }
            { list("Backups that can no longer be restored", &r.unrestorable_backups, false) }
        </div>
    }
}
