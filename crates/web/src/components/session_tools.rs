//! The session's tools in the clock bar: Undo the last step, Export script (the session as a
//! `.cmk` file that `cmk-cli run` replays), Share link (the script, compressed, in a URL).

use cmk_worker::Answer;
use yew::prelude::*;

use crate::components::clock_bar::download;
use crate::components::{CopyButton, Dialog};
use crate::context::{use_app, Playground};
use crate::pages::form::{use_on_answer, use_request};

/// The page's address without its hash, where a share link points.
fn page_url() -> String {
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .map(|h| h.split('#').next().unwrap_or_default().to_string())
        .unwrap_or_default()
}

#[function_component(SessionTools)]
pub fn session_tools() -> Html {
    let ctx = use_app();
    let (request, done, running) = use_request();
    let share = use_state(|| None::<String>);
    let local_error = use_state(|| None::<String>);
    let s = &ctx.view.session;
    let go = |what: fn() -> Playground| {
        let (go, request) = (ctx.playground.clone(), request.clone());
        Callback::from(move |_: MouseEvent| request.set(Some(go.emit(what()))))
    };
    {
        // An answer arrived: download the script or show the link, once per request.
        let (share, local_error) = (share.clone(), local_error.clone());
        use_on_answer(*request, done.clone(), move |label, answer| match (label, answer) {
            ("Export script", Answer::Text(script)) => local_error.set(download("cmk-session.cmk", script).err()),
            ("Export PowerShell", Answer::Text(script)) => local_error.set(download("cmk-session.ps1", script).err()),
            (_, Answer::ShareCode { code, .. }) => share.set(Some(format!("{}#share={code}", page_url()))),
            _ => {}
        });
    }
    let undo_title = s.next_undo.as_ref().map(|l| format!("Undo: {l}")).unwrap_or_else(|| "Nothing to undo".into());
    let dialog = (*share).clone().map(|url| {
        let close = share.clone();
        let close2 = share.clone();
        html! {
            <Dialog title="Share link" confirm_label="Done" on_confirm={Callback::from(move |()| close.set(None))} on_cancel={Callback::from(move |()| close2.set(None))}>
                <p>{"Anyone who opens this link gets a world built by this session's script (nothing of your keys' private parts travels: keys are made again). They are asked before it replaces their playground."}</p>
                <label class="field">{"Link"}
                    <input readonly=true value={url.clone()} aria-label="Share link" data-testid="share-url" />
                </label>
                <CopyButton text={url} what="Copy the share link" />
            </Dialog>
        }
    });
    let failed = (*local_error)
        .clone()
        .or_else(|| done.as_ref().and_then(|d| d.result.as_ref().err().map(|e| e.message().to_string())));
    html! {
        <>
            <button class="cmd" onclick={go(|| Playground::Undo)} disabled={running || s.undo == 0} title={undo_title} data-testid="undo">{"Undo"}</button>
            <button class="cmd" onclick={go(|| Playground::ExportScript)} disabled={running}>{"Export script"}</button>
            <button class="cmd" onclick={go(|| Playground::ExportPowerShell)} disabled={running} title="The session as a PowerShell script (cmk-cli run FILE.ps1)">{"Export PowerShell"}</button>
            <button class="cmd" onclick={go(|| Playground::ShareLink)} disabled={running}>{"Share link"}</button>
            if let Some(e) = failed { <span class="bad" role="alert">{ e }</span> }
            { dialog.unwrap_or_default() }
        </>
    }
}
