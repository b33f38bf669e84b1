//! Opening a share link (`#share=CODE`): the worker reads the script it carries; the page says
//! what it is and asks before the shared world replaces the current one. Never silently.

use cmk_worker::Answer;
use yew::prelude::*;

use crate::components::{Dialog, MessageBar, MessageKind};
use crate::context::{use_app, Playground};
use crate::pages::form::use_request;
use crate::route::{navigate, Route};

fn share_code() -> Option<String> {
    let hash = web_sys::window()?.location().hash().ok()?;
    hash.trim_start_matches('#').trim_start_matches('/').strip_prefix("share=").map(String::from)
}

#[function_component(ShareOpener)]
pub fn share_opener() -> Html {
    let ctx = use_app();
    let (read, read_done, _) = use_request();
    let (run, run_done, running) = use_request();
    let dismissed = use_state(|| false);
    {
        // Once, on load: ask the worker what the link carries.
        let (go, read) = (ctx.playground.clone(), read.clone());
        use_effect_with((), move |_| {
            if let Some(code) = share_code() {
                read.set(Some(go.emit(Playground::ReadShare(code))));
            }
        });
    }
    if read.is_none() || *dismissed {
        return Html::default();
    }
    if let Some(done) = &run_done {
        return match &done.result {
            Ok(Answer::ScriptRan { lines, failed }) => html! {
                <div class="share-result"><MessageBar kind={MessageKind::Success}>
                    { format!("Opened the shared scenario: {lines} line(s) run, {failed} refused.") }
                </MessageBar></div>
            },
            Ok(_) => Html::default(),
            Err(e) => {
                html! { <div class="share-result"><MessageBar kind={MessageKind::Error}>{ e.message().to_string() }</MessageBar></div> }
            }
        };
    }
    if running {
        return html! { <div class="share-result" role="status"><span class="spinner small"></span>{" Building the shared world…"}</div> };
    }
    let Some(done) = read_done else { return Html::default() };
    let close = {
        let dismissed = dismissed.clone();
        Callback::from(move |()| {
            dismissed.set(true);
            navigate(&Route::Home);
        })
    };
    match &done.result {
        Err(e) => html! {
            <div class="share-result" data-testid="share-error">
                <MessageBar kind={MessageKind::Error}>{ e.message().to_string() }{" Your playground was not changed."}</MessageBar>
            </div>
        },
        Ok(Answer::Shared { script, lines }) => {
            let (script, lines) = (script.clone(), *lines);
            let preview: String =
                script.lines().filter(|l| !l.trim().is_empty()).take(12).collect::<Vec<_>>().join("\n");
            let on_confirm = {
                let (go, run) = (ctx.playground.clone(), run.clone());
                Callback::from(move |()| {
                    run.set(Some(go.emit(Playground::RunScript(script.clone()))));
                    navigate(&Route::Home);
                })
            };
            let has_world = ctx.view.session.steps > 0 || !ctx.view.resource_groups.is_empty();
            html! {
                <Dialog title="Open shared scenario" confirm_label="Replace my playground" cancel_label="Keep my playground" danger={has_world} {on_confirm} on_cancel={close}>
                    <p>{ format!("This link carries a script of {lines} command(s) that builds a world from nothing. Opening it replaces your current playground") }
                       { if has_world { " (export it first to keep it)." } else { "." } }</p>
                    <pre class="share-preview" aria-label="The script's first lines">{ preview }</pre>
                </Dialog>
            }
        }
        Ok(_) => Html::default(),
    }
}
