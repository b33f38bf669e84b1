//! The Cloud Shell pane: the COMMANDS.md language, run in the worker as the signed-in persona.

use web_sys::{HtmlInputElement, KeyboardEvent, PointerEvent};
use yew::prelude::*;

use crate::context::use_app;

#[derive(Properties, PartialEq)]
pub struct CloudShellProps {
    pub on_close: Callback<()>,
    /// Shown or hidden; the pane keeps its log and history either way.
    #[prop_or(true)]
    pub open: bool,
}

#[function_component(CloudShell)]
pub fn cloud_shell(props: &CloudShellProps) -> Html {
    let ctx = use_app();
    let lines = use_state(Vec::<(u64, String)>::new);
    let read_error = use_state(|| None::<String>);
    // The pane's height once the person resized it (its top edge, dragged or moved with ↑/↓).
    let pane_height = use_state(|| None::<f64>);
    let pane_ref = use_node_ref();
    let input = use_state(String::new);
    let history_pos = use_state(|| None::<usize>);
    // The editor's file while it is open (`{}` in the bar, or `code FILE` typed).
    let editor = use_state(|| None::<String>);
    // Bash or PowerShell, as the person last chose (kept in this browser, like the real one).
    let powershell = use_state(|| stored_kind().as_deref() == Some("PowerShell"));
    // Each Restart starts a new PowerShell session too.
    let generation = use_state(|| 0u32);
    let input_ref = use_node_ref();
    {
        let input_ref = input_ref.clone();
        use_effect_with(props.open, move |open| {
            if *open {
                if let Some(el) = input_ref.cast::<HtmlInputElement>() {
                    let _ = el.focus();
                }
            }
        });
    }
    let log_ref = use_node_ref();
    // What each line printed, once answered; kept for as long as the line shows (below), as a
    // terminal keeps its scrollback, and let go with Ctrl+L or Restart.
    let shown: Vec<_> = lines.iter().map(|(id, _)| ctx.results.get(id).cloned()).collect();
    {
        // The log tells the store which answers it shows, right after the render that added the
        // lines (an answer that came first is kept from then on too: the store lets one go only
        // after 64 newer). Like a terminal, the log follows its newest line: when a line is added
        // and when its output arrives.
        let answered = shown.iter().filter(|done| done.is_some()).count();
        let (log_ref, keep) = (log_ref.clone(), ctx.keep.clone());
        use_effect_with((ids(&lines), answered, props.open), move |(ids, ..)| {
            keep.emit(ids.clone());
            if let Some(log) = log_ref.cast::<web_sys::Element>() {
                log.set_scroll_top(log.scroll_height());
            }
        });
    }
    let submit = {
        let (lines, input, history_pos, shell) = (lines.clone(), input.clone(), history_pos.clone(), ctx.shell.clone());
        let editor = editor.clone();
        Callback::from(move |_| {
            let line = input.trim().to_string();
            if line.is_empty() {
                return;
            }
            // `code FILE` opens the editor, as in the real Cloud Shell; nothing runs.
            if let Some(file) = line.strip_prefix("code").filter(|r| r.is_empty() || r.starts_with(' ')) {
                editor.set(Some(file.trim().to_string()));
                let mut next = (*lines).clone();
                next.push((ABANDONED, line));
                lines.set(next);
                input.set(String::new());
                history_pos.set(None);
                return;
            }
            let id = shell.emit(line.clone());
            let mut next = (*lines).clone();
            next.push((id, line));
            lines.set(next);
            input.set(String::new());
            history_pos.set(None);
        })
    };
    // Tab asks the worker what the line's last word can be (the real CLI's grammar and the
    // world's names); one answer completes it, several are listed under the line.
    let completing = use_state(|| None::<(u64, String)>);
    let offered = use_state(|| None::<String>);
    {
        let (completing, offered, input) = (completing.clone(), offered.clone(), input.clone());
        let answer =
            (*completing).as_ref().and_then(|(id, line)| ctx.results.get(id).map(|r| (r.clone(), line.clone())));
        use_effect_with(answer.as_ref().map(|(_, line)| line.clone()), move |_| {
            if let Some((done, line)) = answer {
                if let Ok(cmk_worker::Answer::Completion(c)) = &done.result {
                    // Only if the person has not typed on meanwhile.
                    if *input == line {
                        let head = &line[..c.start.min(line.len())];
                        match c.candidates.as_slice() {
                            [] => offered.set(None),
                            [one] => {
                                input.set(format!("{head}{one} "));
                                offered.set(None);
                            }
                            many => {
                                input.set(format!("{head}{}", common_prefix(many)));
                                offered.set(Some(many.join("  ")));
                            }
                        }
                    }
                }
                completing.set(None);
            }
        });
    }
    let onkeydown = {
        let (submit, lines, input, history_pos) = (submit.clone(), lines.clone(), input.clone(), history_pos.clone());
        let (completing, offered, go) = (completing.clone(), offered.clone(), ctx.playground.clone());
        // The typed lines the session keeps (saved with it): ↑/↓ survive a reload and Ctrl+L.
        let history = ctx.view.session.history.clone();
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "Enter" => {
                offered.set(None);
                submit.emit(())
            }
            "Tab" if !e.shift_key() && !input.is_empty() => {
                e.prevent_default();
                let line = (*input).clone();
                completing.set(Some((go.emit(crate::context::Playground::Complete(line.clone())), line)));
            }
            // As a terminal: Ctrl+C abandons the line, Ctrl+L clears the screen.
            "c" if e.ctrl_key() && !input.is_empty() => {
                e.prevent_default();
                let mut next = (*lines).clone();
                next.push((ABANDONED, format!("{}^C", *input)));
                lines.set(next);
                input.set(String::new());
                offered.set(None);
                history_pos.set(None);
            }
            "l" if e.ctrl_key() => {
                e.prevent_default();
                lines.set(Vec::new());
                offered.set(None);
            }
            "ArrowUp" | "ArrowDown" if !history.is_empty() => {
                e.prevent_default();
                let n = history.len();
                let pos = match (e.key().as_str(), *history_pos) {
                    ("ArrowUp", None) => Some(n - 1),
                    ("ArrowUp", Some(p)) => Some(p.saturating_sub(1)),
                    ("ArrowDown", Some(p)) if p + 1 < n => Some(p + 1),
                    _ => None,
                };
                input.set(pos.and_then(|p| history.get(p).cloned()).unwrap_or_default());
                history_pos.set(pos);
            }
            _ => {}
        })
    };
    // A pasted block runs line by line, as in a terminal; a last line without its line break
    // stays in the input to be finished.
    let onpaste = {
        let (lines, input, history_pos, shell) = (lines.clone(), input.clone(), history_pos.clone(), ctx.shell.clone());
        Callback::from(move |e: Event| {
            use wasm_bindgen::JsCast;
            let Some(text) = e
                .dyn_ref::<web_sys::ClipboardEvent>()
                .and_then(web_sys::ClipboardEvent::clipboard_data)
                .and_then(|d| d.get_data("text/plain").ok())
            else {
                return;
            };
            if !text.contains('\n') {
                return;
            }
            e.prevent_default();
            let block = format!("{}{}", *input, text.replace("\r\n", "\n"));
            let (done, rest) = block.rsplit_once('\n').unwrap_or(("", block.as_str()));
            let mut next = (*lines).clone();
            for line in done.lines().map(str::trim).filter(|l| !l.is_empty()) {
                next.push((shell.emit(line.to_string()), line.to_string()));
            }
            lines.set(next);
            input.set(rest.to_string());
            history_pos.set(None);
        })
    };
    let oninput = {
        let input = input.clone();
        Callback::from(move |e: InputEvent| input.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let close = {
        let cb = props.on_close.clone();
        Callback::from(move |_| cb.emit(()))
    };
    let onupload = on_upload(&lines, &ctx.upload, &read_error);
    // Restart, as the real Cloud Shell's: a new session (its variables gone), a clear terminal;
    // the world and the files stay. It runs as a line, so the session's script keeps it.
    let restart = {
        let (lines, shell, input, offered) = (lines.clone(), ctx.shell.clone(), input.clone(), offered.clone());
        let generation = generation.clone();
        Callback::from(move |_: MouseEvent| {
            generation.set(*generation + 1);
            let line = "sim shell restart".to_string();
            lines.set(vec![(shell.emit(line.clone()), line)]);
            input.set(String::new());
            offered.set(None);
        })
    };
    let (grip, height) = resize_grip(&pane_height);
    {
        // Through the CSSOM: the page's Content-Security-Policy refuses style attributes.
        let pane = pane_ref.clone();
        use_effect_with(height.map(|h| h.round() as i64), move |h| {
            if let (Some(el), Some(h)) = (pane.cast::<web_sys::HtmlElement>(), h) {
                let _ = el.style().set_property("flex-basis", &format!("{h}px"));
            }
        });
    }
    html! {
        <section ref={pane_ref} class="cloud-shell" aria-label="Cloud Shell" data-testid="cloud-shell" hidden={!props.open}>
            { grip }
            <header class="cloud-shell-bar">
                <span>{"Cloud Shell"}</span>
                <span class="shell-kind" title="The shell's language">{ if *powershell { "PowerShell" } else { "Bash" } }</span>
                <button class="bar-button switch-shell" onclick={{
                    let p = powershell.clone();
                    Callback::from(move |_: MouseEvent| {
                        let next = !*p;
                        store_kind(if next { "PowerShell" } else { "Bash" });
                        p.set(next);
                    })
                }}>{ if *powershell { "Switch to Bash" } else { "Switch to PowerShell" } }</button>
                <span class="hint">{ if *powershell {
                    format!("signed in as {} · PowerShell 7 with az, pp, sim and Az cmdlets · scripts from your files run as ./name.ps1", ctx.view.signed_in.user_principal_name)
                } else {
                    format!("signed in as {} · az, pp and sim commands · ls, cat, rm, code for files · Tab completes · ↑/↓ history", ctx.view.signed_in.user_principal_name)
                } }</span>
                <button class="icon-button" aria-label="Restart Cloud Shell" title="Restart" onclick={restart}>{"⟳"}</button>
                <super::shell_files::ManageFiles {onupload} />
                <button class="icon-button" aria-label="Open editor" title="Editor" aria-pressed={editor.is_some().to_string()}
                    onclick={{ let e = editor.clone(); Callback::from(move |_: MouseEvent| e.set(if e.is_some() { None } else { Some(String::new()) })) }}>{"{}"}</button>
                <button class="icon-button" aria-label="Close Cloud Shell" onclick={close}>{"✕"}</button>
            </header>
            if let Some(name) = (*editor).clone() {
                <super::shell_files::Editor {name} on_close={{ let e = editor.clone(); Callback::from(move |()| e.set(None)) }} />
            }
            if *powershell {
                <super::powershell::PowerShell generation={*generation} />
            } else {
            <div class="cloud-shell-log" ref={log_ref} data-testid="shell-log" role="log" aria-live="polite">
                { for lines.iter().zip(&shown).map(|((id, line), done)| entry(*id, line, done.as_deref())) }
                if let Some(why) = &*read_error { <pre class="err" role="alert">{ why.clone() }</pre> }
                if let Some(offer) = &*offered { <pre class="out" data-testid="shell-completions">{ offer.clone() }</pre> }
            </div>
            <div class="cloud-shell-input">
                // Bash's prompt in Azure Cloud Shell: the signed-in user, then the home folder.
                <span class="prompt" aria-hidden="true">{ format!("{}@Azure:~$", ctx.view.signed_in.user_principal_name.split('@').next().unwrap_or("user")) }</span>
                <input ref={input_ref} data-testid="shell-input" aria-label="Cloud Shell command" value={(*input).clone()} {oninput} {onkeydown} {onpaste} spellcheck="false" autocomplete="off" />
            </div>
            }
        </section>
    }
}

const KIND_KEY: &str = "cmk.cloud-shell.kind";

/// The shell kind this browser last chose.
fn stored_kind() -> Option<String> {
    web_sys::window()?.local_storage().ok()??.get_item(KIND_KEY).ok()?
}

fn store_kind(kind: &str) {
    if let Some(Ok(Some(s))) = web_sys::window().map(|w| w.local_storage()) {
        let _ = s.set_item(KIND_KEY, kind);
    }
}

/// The log's id for a line abandoned with Ctrl+C: never sent, so it has no answer (the page's
/// ids count up from 1).
const ABANDONED: u64 = 0;

/// The longest start every candidate shares (Tab completes that much of several).
fn common_prefix(all: &[String]) -> String {
    let first = all.first().map(String::as_str).unwrap_or_default();
    let mut end = first.len();
    for other in &all[1..] {
        end = first
            .char_indices()
            .zip(other.chars())
            .take_while(|((_, a), b)| a == b)
            .map(|((i, a), _)| i + a.len_utf8())
            .last()
            .unwrap_or(0)
            .min(end);
    }
    first[..end].to_string()
}

/// The log's request ids (their answers are kept while the log shows them).
fn ids(lines: &[(u64, String)]) -> Vec<u64> {
    lines.iter().map(|(id, _)| *id).filter(|id| *id != ABANDONED).collect()
}

/// One line of the log: the command, and what it printed (or that it is still running).
fn entry(id: u64, line: &str, done: Option<&crate::store::Completed>) -> Html {
    let body = match done {
        None if id == ABANDONED => Html::default(),
        None => html! { <div class="pending"><span class="spinner small"></span>{" running…"}</div> },
        Some(done) => match &done.result {
            // A line's answer is the text it prints.
            Ok(cmk_worker::Answer::Text(text)) => html! { <pre class="out">{ text }</pre> },
            // An upload prints what it kept, as the worker's JSON did before.
            Ok(cmk_worker::Answer::Uploaded { name, bytes }) => {
                let kept = serde_json::json!({ "uploaded": name, "bytes": bytes });
                html! { <pre class="out">{ serde_json::to_string_pretty(&kept).unwrap_or_default() }</pre> }
            }
            Ok(_) => Html::default(),
            Err(e) => html! { <pre class="err">{ format!("{}: {}", e.code(), e.message()) }</pre> },
        },
    };
    html! { <div class="entry"><div class="cmdline">{"$ "}{ line }</div>{ body }</div> }
}

/// Upload: reads the chosen file and puts it in the Cloud Shell's file store, logging the line.
fn on_upload(
    lines: &UseStateHandle<Vec<(u64, String)>>,
    upload: &Callback<(String, String), u64>,
    read_error: &UseStateHandle<Option<String>>,
) -> Callback<Event> {
    let (lines, upload, read_error) = (lines.clone(), upload.clone(), read_error.clone());
    crate::pages::form::on_files_text(Callback::from(move |read: Result<(String, String), String>| {
        let (name, text) = match read {
            Ok(file) => file,
            Err(why) => return read_error.set(Some(why)),
        };
        read_error.set(None);
        let id = upload.emit((name.clone(), text));
        // Several files arrive one after another: add to the log as it is now, not as it
        // was when the files were chosen.
        lines.set({
            let mut next = (*lines).clone();
            next.push((id, format!("upload {name}")));
            next
        });
    }))
}

/// The window's inner height, in CSS pixels.
fn window_height() -> f64 {
    web_sys::window().and_then(|w| w.inner_height().ok()).and_then(|h| h.as_f64()).unwrap_or(800.0)
}

/// The pane's height bounds: at least a few lines, and never the whole window.
fn bounded(height: f64) -> f64 {
    height.clamp(120.0, (window_height() - 160.0).max(120.0))
}

/// The Cloud Shell's top edge: drag it, or focus it and press ↑ / ↓, to resize the pane.
fn resize_grip(height: &UseStateHandle<Option<f64>>) -> (Html, Option<f64>) {
    let current = **height;
    // Until resized, the stylesheet's 38vh.
    let shown = current.unwrap_or_else(|| window_height() * 0.38);
    let onkeydown = {
        let height = height.clone();
        Callback::from(move |e: KeyboardEvent| {
            let step = match e.key().as_str() {
                "ArrowUp" => 24.0,
                "ArrowDown" => -24.0,
                _ => return,
            };
            e.prevent_default();
            height.set(Some(bounded(shown + step)));
        })
    };
    let onpointerdown = Callback::from(|e: PointerEvent| {
        use wasm_bindgen::JsCast;
        if let Some(grip) = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
            let _ = grip.set_pointer_capture(e.pointer_id());
        }
    });
    let onpointermove = {
        let height = height.clone();
        Callback::from(move |e: PointerEvent| {
            use wasm_bindgen::JsCast;
            let captured = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .is_some_and(|g| g.has_pointer_capture(e.pointer_id()));
            if captured {
                height.set(Some(bounded(window_height() - f64::from(e.client_y()))));
            }
        })
    };
    let grip = html! {
        <div class="cloud-shell-grip" role="separator" aria-orientation="horizontal" aria-label="Resize Cloud Shell"
            tabindex="0" aria-valuenow={format!("{shown:.0}")} title="Drag, or press ↑ / ↓, to resize the Cloud Shell"
            {onkeydown} {onpointerdown} {onpointermove}></div>
    };
    (grip, current)
}
