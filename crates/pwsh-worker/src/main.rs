//! The PowerShell worker: a message in is a console session and the answers it has had so far,
//! a message out is what it printed and the next thing it asks of the world (or that it ended).
//!
//! In:  ["session", N, entry 1 … entry N, answer 1 … answer M]   (answers encoded one per string)
//! Out: [output, exit code, "1" if it is waiting for an answer, location, request words…]

use cmk_pwsh::replay::{Answer, Replay};
use js_sys::Array;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

fn strings(data: &JsValue) -> Vec<String> {
    Array::from(data).iter().map(|v| v.as_string().unwrap_or_default()).collect()
}

/// Runs the session against its answers; a malformed message is answered with an error text.
fn answer(message: &[String]) -> Vec<String> {
    let bad = |why: &str| vec![format!("PowerShell: {why}\n"), "1".into(), "0".into(), String::new()];
    let words: Vec<&str> = message.iter().map(String::as_str).collect();
    let ["session", count, rest @ ..] = words.as_slice() else {
        return bad("the page sent a message this worker does not read.");
    };
    let Some(n) = count.parse::<usize>().ok().filter(|n| *n <= rest.len()) else {
        return bad("the page sent a session without its entries.");
    };
    let entries: Vec<String> = rest[..n].iter().map(|s| s.to_string()).collect();
    let mut journal = Vec::with_capacity(rest.len() - n);
    for a in &rest[n..] {
        match Answer::decode(a) {
            Some(a) => journal.push(a),
            None => return bad("the page sent an answer this worker does not read."),
        }
    }
    // An entry still open at its end (`{` not closed, a string not ended) is not run: the page
    // asks for its next line, as the console's `>>`.
    if journal.is_empty() {
        // An empty line ends an open entry whatever it holds (the page sends it ending in a
        // line break): then it runs, and says what is missing.
        let last = entries.last().filter(|l| !l.ends_with('\n'));
        if let Some(Err(e)) = last.map(|last| cmk_pwsh::check(last)) {
            if cmk_pwsh::is_unfinished(&e) {
                return vec!["incomplete".into()];
            }
        }
    }
    let mut host = Replay::new(journal);
    let outcome = cmk_pwsh::run_session(&entries, &mut host);
    let mut out = vec![host.output, outcome.exit_code.to_string()];
    out.push(if host.request.is_some() { "1" } else { "0" }.into());
    out.push(outcome.location);
    if let Some(r) = host.request {
        out.extend(r.to_words());
    }
    out
}

fn main() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply = scope.clone();
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |e: MessageEvent| {
        let out: Array = answer(&strings(&e.data())).into_iter().map(JsValue::from).collect();
        let _ = reply.post_message(&out);
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    // Ready: the page shows the prompt once this arrives.
    let _ = scope.post_message(&Array::of1(&JsValue::from_str("ready")));
}
