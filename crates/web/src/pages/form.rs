//! Small form helpers shared by the create pages, and the hook that follows a sent command.

use cmk_core::Error;
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};

use yew::prelude::*;

use crate::context::use_app;
use crate::store::Completed;

/// A text input bound to a `UseStateHandle<String>`.
pub fn text_input(id: &'static str, state: &UseStateHandle<String>, placeholder: &'static str) -> Html {
    let oninput = {
        let state = state.clone();
        Callback::from(move |e: InputEvent| state.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    html! { <input id={id} data-testid={id} type="text" value={(**state).clone()} {placeholder} {oninput} autocomplete="off" /> }
}

/// A `<select>` bound to a `UseStateHandle<String>`, options as (value, label).
pub fn select(id: &'static str, state: &UseStateHandle<String>, options: Vec<(String, String)>) -> Html {
    let onchange = {
        let state = state.clone();
        Callback::from(move |e: Event| state.set(e.target_unchecked_into::<HtmlSelectElement>().value()))
    };
    html! {
        <select id={id} data-testid={id} {onchange}>
            { for options.into_iter().map(|(value, label)| {
                let selected = value == **state;
                html! { <option {selected} {value}>{ label }</option> }
            }) }
        </select>
    }
}

/// Days to retain a deleted vault or Managed HSM, as typed: 7 to 90, or why not.
pub fn retention_days(text: &str) -> Result<u32, String> {
    let text = text.trim();
    text.parse::<u32>()
        .ok()
        .filter(|d| (7..=90).contains(d))
        .ok_or_else(|| format!("'{text}' is not a number of days from 7 to 90."))
}

/// A labelled form row (Azure's two-column "label: control" layout).
pub fn row(label: &'static str, for_id: &'static str, required: bool, control: Html, help: Option<&str>) -> Html {
    html! {
        <div class="form-row">
            <label for={for_id}>{ label }if required { <span class="required" aria-hidden="true">{" *"}</span> }</label>
            <div class="control">
                { control }
                if let Some(h) = help { <div class="help">{ h }</div> }
            </div>
        </div>
    }
}

/// Follows one command sent by a form: `None` while nothing was sent or it is running.
#[hook]
pub fn use_request() -> (UseStateHandle<Option<u64>>, Option<Rc<Completed>>, bool) {
    let ctx = use_app();
    let request = use_state(|| None::<u64>);
    let done = request.and_then(|id| ctx.results.get(&id).cloned());
    // Running while the worker has not answered (a result the page no longer keeps is not).
    let running = request.is_some_and(|id| ctx.pending.contains_key(&id));
    (request, done, running)
}

/// The answer to what a page asked for in order to show it (a key version, where an environment
/// can be copied), kept while the page shows it: the store keeps only the latest answers, and the
/// page would fall back to "Loading…" for good once a runbook beside it had run more commands.
#[hook]
pub fn use_kept_answer(results: crate::store::Results, request: Option<u64>) -> Option<Rc<Completed>> {
    let kept = use_mut_ref(|| None::<(u64, Rc<Completed>)>);
    let id = request?;
    let mut kept = kept.borrow_mut();
    if let Some(fresh) = results.get(&id) {
        *kept = Some((id, fresh.clone()));
    }
    kept.as_ref().filter(|(of, _)| *of == id).map(|(_, done)| done.clone())
}

/// Runs `then(label, answer)` once when the request followed by `use_request` succeeds (for
/// answers that do something outside the page: a download, a dialog).
#[hook]
pub fn use_on_answer(
    request: Option<u64>,
    done: Option<Rc<Completed>>,
    then: impl Fn(&str, &cmk_worker::Answer) + 'static,
) {
    let handled = use_state(|| None::<u64>);
    let answer = done.filter(|d| d.result.is_ok());
    use_effect_with((request, answer.is_some()), move |_| {
        if let (Some(id), Some(d)) = (request, answer) {
            if *handled != Some(id) {
                handled.set(Some(id));
                if let Ok(value) = &d.result {
                    then(&d.label, value);
                }
            }
        }
    });
}

pub fn error_text(e: &Error) -> Html {
    html! { <><strong>{ e.code().as_str() }</strong>{": "}{ e.message() }</> }
}

/// A file input's change: reads the chosen file as text and hands over its name and text, or
/// why the browser could not read it (said in the page, never an empty text or nothing).
/// `clear` empties the input afterwards (so the same file can be chosen again).
pub fn on_file_text(clear: bool, then: Callback<Result<(String, String), String>>) -> Callback<Event> {
    on_chosen(clear, false, then)
}

/// Like `on_file_text`, for an input that takes several files: each is read in the order chosen
/// and handed on alone (one that cannot be read says so; the others still go).
pub fn on_files_text(then: Callback<Result<(String, String), String>>) -> Callback<Event> {
    on_chosen(true, true, then)
}

fn on_chosen(clear: bool, every: bool, then: Callback<Result<(String, String), String>>) -> Callback<Event> {
    Callback::from(move |e: Event| {
        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
        let Some(list) = input.files() else { return };
        let count = if every { list.length() } else { list.length().min(1) };
        let files: Vec<web_sys::File> = (0..count).filter_map(|i| list.get(i)).collect();
        if clear {
            input.set_value("");
        }
        let then = then.clone();
        wasm_bindgen_futures::spawn_local(async move {
            for file in files {
                let name = file.name();
                if every && name.to_ascii_lowercase().ends_with(".zip") {
                    // An archive is bytes, not text: it travels in base64 and the worker unpacks it.
                    let read = wasm_bindgen_futures::JsFuture::from(file.array_buffer()).await;
                    then.emit(match read {
                        Ok(buffer) => {
                            use base64::Engine as _;
                            let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
                            Ok((name, base64::engine::general_purpose::STANDARD.encode(bytes)))
                        }
                        Err(e) => Err(unreadable(&name, &js_error_text(&e))),
                    });
                    continue;
                }
                let read = wasm_bindgen_futures::JsFuture::from(file.text()).await;
                then.emit(match read.map(|t| t.as_string()) {
                    Ok(Some(text)) => Ok((name, text)),
                    Ok(None) => Err(unreadable(&name, "it is not text")),
                    Err(e) => Err(unreadable(&name, &js_error_text(&e))),
                });
            }
        });
    })
}

/// Why a chosen file could not be read, in the page's words.
pub fn unreadable(name: &str, why: &str) -> String {
    format!("The browser could not read '{name}' ({why}). Nothing was changed; choose the file again, or another copy of it.")
}

/// A JavaScript error's name and message (a DOMException's, say), for a message in the page.
pub fn js_error_text(e: &wasm_bindgen::JsValue) -> String {
    let field = |name: &str| js_sys::Reflect::get(e, &name.into()).ok().and_then(|v| v.as_string());
    match (field("name"), field("message")) {
        (Some(n), Some(m)) if !m.is_empty() => format!("{n}: {m}"),
        (Some(n), _) => n,
        _ => e.as_string().unwrap_or_else(|| "an unknown error".into()),
    }
}

/// A row's checkbox in a list that selects before it acts: ticks `item` in or out of `selected`.
pub fn toggle_in<T: PartialEq + Clone + 'static>(selected: &UseStateHandle<Vec<T>>, item: T) -> Callback<Event> {
    let selected = selected.clone();
    Callback::from(move |_: Event| {
        let mut next = (*selected).clone();
        match next.iter().position(|s| *s == item) {
            Some(i) => {
                next.remove(i);
            }
            None => next.push(item.clone()),
        }
        selected.set(next);
    })
}
