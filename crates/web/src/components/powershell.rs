//! The Cloud Shell's PowerShell: the engine runs in a worker of its own, fetched the first time
//! someone switches to PowerShell (never on the first visit). Each entry typed at the prompt
//! joins the session; the worker replays the session with the answers it has had and stops at
//! the next question — a command for the simulated cloud, a file, the clock, a typed answer —
//! which this pane fetches from the world's worker and hands back (see `cmk_pwsh::replay`).

use std::cell::RefCell;
use std::rc::Rc;

use cmk_pwsh::replay::{Answer, Request};
use js_sys::Array;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, KeyboardEvent, MessageEvent, Worker};
use yew::prelude::*;

use crate::context::{use_app, Playground};

/// Where trunk puts the PowerShell worker's loader, relative to the page.
const LOADER: &str = "./cmk_pwsh_worker_loader.js";

/// What the pane waits for.
#[derive(Clone, Debug, PartialEq)]
enum Wait {
    /// Nothing: the prompt shows.
    Idle,
    /// The engine is running the session.
    Engine,
    /// A request to the world's worker (its id), and how to read its answer.
    World(u64, Reading),
    /// A prompt shows; the next line typed answers it.
    Line,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Reading {
    /// A command: its printed text, or its error; `native` for az, pp, sim.
    Command {
        native: bool,
    },
    File,
    Done,
}

#[derive(Clone, Debug, PartialEq)]
enum Load {
    Loading,
    Ready,
    Failed(String),
}

/// What outlives renders: the session, the answers so far, how much output is on screen.
#[derive(Default)]
struct Session {
    entries: Vec<String>,
    journal: Vec<String>,
    shown: usize,
    /// The simulated clock as of the last render (the engine's Get-Date).
    now_ms: i64,
    worker: Option<Worker>,
    /// The lines typed at the prompt, for ↑/↓ (not the answers to prompts).
    history: Vec<String>,
    /// Where ↑/↓ is in the history, while browsing it.
    browsing: Option<usize>,
}

type Shared = Rc<RefCell<Session>>;

fn post(session: &Shared) {
    let s = session.borrow();
    let Some(worker) = &s.worker else { return };
    let msg = Array::new();
    msg.push(&JsValue::from_str("session"));
    msg.push(&JsValue::from_str(&s.entries.len().to_string()));
    for e in s.entries.iter().chain(&s.journal) {
        msg.push(&JsValue::from_str(e));
    }
    let _ = worker.post_message(&msg);
}

fn answer(session: &Shared, a: &Answer) {
    session.borrow_mut().journal.push(a.encode());
    post(session);
}

#[derive(Properties, PartialEq)]
pub struct PowerShellProps {
    /// Counts the Cloud Shell's restarts: a new one starts a new session.
    pub generation: u32,
}

#[function_component(PowerShell)]
pub fn powershell(props: &PowerShellProps) -> Html {
    let ctx = use_app();
    let session: Shared = use_mut_ref(Session::default).clone();
    let load = use_state(|| Load::Loading);
    let wait = use_state(|| Wait::Idle);
    let transcript = use_state(String::new);
    let input = use_state(String::new);
    // Lines of an entry not finished yet (an open `{` continues on the next line, as `>>`).
    let pending_lines = use_state(Vec::<String>::new);
    // Where `cd` left the session (a folder of the store; "" for home), for the prompt.
    let location = use_state(String::new);
    let attempt = use_state(|| 0u32);
    session.borrow_mut().now_ms =
        cmk_core::time::SimTime::parse_iso(&ctx.view.now).map_or(0, |t| i64::try_from(t.unix()).unwrap_or(0) * 1000);

    // What the engine sends back: output to show, and the next request.
    let on_reply = {
        let (session, load, wait, transcript) = (session.clone(), load.clone(), wait.clone(), transcript.clone());
        let done_lines = pending_lines.clone();
        let location = location.clone();
        let (shell, playground, upload) = (ctx.shell.clone(), ctx.playground.clone(), ctx.upload.clone());
        Callback::from(move |words: Vec<String>| {
            if words.first().map(String::as_str) == Some("ready") {
                load.set(Load::Ready);
                return;
            }
            // The last entry is not finished: it leaves the session and waits for its next line.
            if words.first().map(String::as_str) == Some("incomplete") {
                session.borrow_mut().entries.pop();
                wait.set(Wait::Idle);
                return;
            }
            // Anything else means the entry was taken: a new one starts.
            done_lines.set(Vec::new());
            let output = words.first().cloned().unwrap_or_default();
            let waiting = words.get(2).map(String::as_str) == Some("1");
            if let Some(here) = words.get(3) {
                if *here != *location {
                    location.set(here.clone());
                }
            }
            {
                let mut s = session.borrow_mut();
                if output.len() > s.shown && output.is_char_boundary(s.shown) {
                    let chunk = output[s.shown..].to_string();
                    s.shown = output.len();
                    drop(s);
                    transcript.set(format!("{}{chunk}", *transcript));
                }
            }
            if !waiting {
                wait.set(Wait::Idle);
                return;
            }
            let Some(request) = Request::from_words(&words[4.min(words.len())..]) else {
                wait.set(Wait::Idle);
                return;
            };
            match request {
                Request::Now => {
                    let now = session.borrow().now_ms;
                    answer(&session, &Answer::Number(now));
                }
                Request::Random => {
                    let r = (js_sys::Math::random() * 9_007_199_254_740_991.0) as i64;
                    answer(&session, &Answer::Number(r));
                }
                Request::ReadLine => wait.set(Wait::Line),
                Request::Invoke(argv) => {
                    let native = matches!(argv[0].to_ascii_lowercase().as_str(), "az" | "pp" | "sim");
                    let line = argv
                        .iter()
                        .enumerate()
                        .map(|(i, w)| {
                            if i == 0 && native {
                                w.to_ascii_lowercase()
                            } else {
                                cmk_core::command::registry::line::quote(w)
                            }
                        })
                        .collect::<Vec<_>>()
                        .join(" ");
                    wait.set(Wait::World(shell.emit(line), Reading::Command { native }));
                }
                Request::ReadFile(path) => {
                    wait.set(Wait::World(playground.emit(Playground::ReadFile(path)), Reading::File));
                }
                Request::WriteFile(path, text) => wait.set(Wait::World(upload.emit((path, text)), Reading::Done)),
                Request::RemoveFile(path) => {
                    let line = format!("rm {}", cmk_core::command::registry::line::quote(&path));
                    wait.set(Wait::World(shell.emit(line), Reading::Done));
                }
                Request::Sleep(ms) => {
                    let seconds = ms.div_ceil(1000);
                    if seconds == 0 {
                        answer(&session, &Answer::Done(Ok(())));
                    } else {
                        wait.set(Wait::World(shell.emit(format!("sim clock advance PT{seconds}S")), Reading::Done));
                    }
                }
            }
        })
    };

    // The worker, made once per attempt (Retry makes another).
    {
        let (session, load, on_reply) = (session.clone(), load.clone(), on_reply.clone());
        use_effect_with(*attempt, move |_| {
            load.set(Load::Loading);
            let made = Worker::new(LOADER);
            let mut keep = None;
            match made {
                Ok(worker) => {
                    let reply = on_reply.clone();
                    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |e: MessageEvent| {
                        let words: Vec<String> =
                            Array::from(&e.data()).iter().map(|v| v.as_string().unwrap_or_default()).collect();
                        reply.emit(words);
                    });
                    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
                    let failed = load.clone();
                    let on_error = Closure::<dyn Fn(web_sys::Event)>::new(move |_| {
                        failed.set(Load::Failed(
                            "PowerShell could not be loaded (the network or the file failed).".into(),
                        ));
                    });
                    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
                    session.borrow_mut().worker = Some(worker);
                    keep = Some((on_message, on_error));
                }
                Err(_) => load.set(Load::Failed("This browser could not start PowerShell's worker.".into())),
            }
            move || {
                if let Some(w) = session.borrow_mut().worker.take() {
                    w.terminate();
                }
                drop(keep);
            }
        });
    }

    // A new Cloud Shell session (Restart): the PowerShell session starts over.
    {
        let (session, transcript, wait) = (session.clone(), transcript.clone(), wait.clone());
        let location = location.clone();
        use_effect_with(props.generation, move |_| {
            let mut s = session.borrow_mut();
            s.entries.clear();
            s.journal.clear();
            s.shown = 0;
            transcript.set(String::new());
            location.set(String::new());
            wait.set(Wait::Idle);
        });
    }

    // The world's worker answered a request the engine made.
    {
        let session = session.clone();
        let done = match &*wait {
            Wait::World(id, reading) => ctx.results.get(id).map(|r| (*id, *reading, r.result.clone())),
            _ => None,
        };
        let wait = wait.clone();
        use_effect_with(done.as_ref().map(|(id, ..)| *id), move |_| {
            if let Some((_, reading, result)) = done {
                let a = match (reading, result) {
                    (Reading::Command { .. }, Ok(cmk_worker::Answer::Text(t))) => Answer::Output(Some((true, t))),
                    (Reading::Command { .. }, Ok(_)) => Answer::Output(Some((true, String::new()))),
                    (Reading::Command { .. }, Err(e)) if e.code() == cmk_core::ErrorCode::UnknownCommand => {
                        Answer::Output(None)
                    }
                    (Reading::Command { native: true }, Err(e)) => {
                        Answer::Output(Some((false, format!("ERROR: {}", e.message()))))
                    }
                    (Reading::Command { native: false }, Err(e)) => {
                        Answer::Output(Some((false, e.message().to_string())))
                    }
                    (Reading::File, Ok(cmk_worker::Answer::Text(t))) => Answer::Text(Ok(t)),
                    (Reading::File, Ok(_)) => Answer::Text(Ok(String::new())),
                    (Reading::File, Err(e)) => Answer::Text(Err(e.message().to_string())),
                    (Reading::Done, Ok(_)) => Answer::Done(Ok(())),
                    (Reading::Done, Err(e)) => Answer::Done(Err(e.message().to_string())),
                };
                wait.set(Wait::Engine);
                answer(&session, &a);
            }
        });
    }

    let user = ctx.view.signed_in.user_principal_name.split('@').next().unwrap_or("user").to_string();
    let here = if location.is_empty() { String::new() } else { format!("/{}", *location) };
    let prompt = if pending_lines.is_empty() { format!("PS /home/{user}{here}> ") } else { ">> ".to_string() };
    let submit = {
        let (session, input, wait, transcript, pending_lines) =
            (session.clone(), input.clone(), wait.clone(), transcript.clone(), pending_lines.clone());
        let prompt = prompt.clone();
        Callback::from(move |_| {
            let typed = (*input).clone();
            input.set(String::new());
            if *wait == Wait::Line {
                // The engine echoes the answer itself, as a console does.
                wait.set(Wait::Engine);
                answer(&session, &Answer::Line(Some(typed)));
                return;
            }
            if *wait != Wait::Idle {
                return;
            }
            {
                let mut s = session.borrow_mut();
                s.browsing = None;
                if !typed.trim().is_empty() && s.history.last() != Some(&typed) {
                    s.history.push(typed.clone());
                }
            }
            let mut lines = (*pending_lines).clone();
            let forced = typed.trim().is_empty() && !lines.is_empty();
            lines.push(typed.clone());
            // An empty line after `>>` ends the entry, finished or not (a line break says so).
            let entry = if forced { format!("{}\n", lines.join("\n").trim_end()) } else { lines.join("\n") };
            let shown = format!("{}{prompt}{typed}\n", *transcript);
            if entry.trim().is_empty() {
                transcript.set(shown);
                pending_lines.set(Vec::new());
                return;
            }
            // The worker says whether the entry is finished (an open `{` continues on the next
            // line); the page does not carry the parser.
            pending_lines.set(lines);
            transcript.set(shown);
            session.borrow_mut().entries.push(entry);
            wait.set(Wait::Engine);
            post(&session);
        })
    };
    let onkeydown = {
        let (submit, input, pending_lines, transcript, wait) =
            (submit.clone(), input.clone(), pending_lines.clone(), transcript.clone(), wait.clone());
        let history = session.clone();
        let prompt = prompt.clone();
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "Enter" => submit.emit(()),
            "c" if e.ctrl_key() && *wait == Wait::Idle => {
                e.prevent_default();
                transcript.set(format!("{}{prompt}{}^C\n", *transcript, *input));
                input.set(String::new());
                pending_lines.set(Vec::new());
            }
            "l" if e.ctrl_key() => {
                e.prevent_default();
                transcript.set(String::new());
            }
            // As in a console: ↑/↓ walk the lines typed at the prompt.
            "ArrowUp" | "ArrowDown" if *wait == Wait::Idle => {
                let mut s = history.borrow_mut();
                let n = s.history.len();
                if n == 0 {
                    return;
                }
                e.prevent_default();
                s.browsing = match (e.key().as_str(), s.browsing) {
                    ("ArrowUp", None) => Some(n - 1),
                    ("ArrowUp", Some(p)) => Some(p.saturating_sub(1)),
                    ("ArrowDown", Some(p)) if p + 1 < n => Some(p + 1),
                    _ => None,
                };
                input.set(s.browsing.and_then(|p| s.history.get(p).cloned()).unwrap_or_default());
            }
            _ => {}
        })
    };
    let oninput = {
        let input = input.clone();
        Callback::from(move |e: InputEvent| input.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let log_ref = use_node_ref();
    {
        let log_ref = log_ref.clone();
        use_effect_with((transcript.len(), (*wait).clone()), move |_| {
            if let Some(log) = log_ref.cast::<web_sys::Element>() {
                log.set_scroll_top(log.scroll_height());
            }
        });
    }
    let retry = {
        let attempt = attempt.clone();
        Callback::from(move |_: MouseEvent| attempt.set(*attempt + 1))
    };
    let busy = matches!(*wait, Wait::Engine | Wait::World(..));
    // The prompt takes the keyboard back once the engine is done (the input was disabled).
    let input_ref = use_node_ref();
    {
        let input_ref = input_ref.clone();
        use_effect_with((busy, (*load).clone()), move |(busy, load)| {
            if !*busy && *load == Load::Ready {
                if let Some(el) = input_ref.cast::<HtmlInputElement>() {
                    let _ = el.focus();
                }
            }
        });
    }
    html! {
        <>
            <div class="cloud-shell-log" ref={log_ref} data-testid="shell-log" role="log" aria-live="polite">
                if *load == Load::Loading {
                    <div class="pending" role="status"><span class="spinner small"></span>{" Loading PowerShell…"}</div>
                }
                if let Load::Failed(why) = &*load {
                    <div class="err" role="alert">{ why.clone() }{" "}<button class="bar-button" onclick={retry}>{"Retry"}</button></div>
                }
                <pre class="out ps-transcript" data-testid="ps-transcript">{ (*transcript).clone() }</pre>
                if busy { <div class="pending"><span class="spinner small"></span>{" running…"}</div> }
            </div>
            <div class="cloud-shell-input">
                if *wait != Wait::Line {
                    <span class="prompt" aria-hidden="true">{ prompt.trim_end().to_string() }</span>
                }
                <input ref={input_ref} data-testid="shell-input" aria-label={if *wait == Wait::Line { "Answer the prompt" } else { "PowerShell command" }}
                    value={(*input).clone()} {oninput} {onkeydown} spellcheck="false" autocomplete="off"
                    disabled={*load != Load::Ready || busy} />
            </div>
        </>
    }
}
