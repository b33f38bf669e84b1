//! When the worker fails (a panic, or any error thrown in it), it says so on the broadcast
//! channel the page listens to, before it stops: the page then shows what happened instead of
//! waiting forever. The save in IndexedDB is whatever the last completed save wrote.
//! The report also goes straight to every connected page, framed as gloo frames a response
//! (`Response::Stopped`): a browser where either side cannot open the channel still hears it.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The channel's name; the page listens on it.
pub const CHANNEL: &str = "cmk-playground-worker";

thread_local! {
    /// The connected pages' handler ids, as gloo frames them.
    static PAGES: RefCell<Vec<(gloo_worker::HandlerId, JsValue)>> = const { RefCell::new(Vec::new()) };
}

/// A page connected (`true`) or went (`false`): where a failure is reported straight.
pub fn page(id: gloo_worker::HandlerId, connected: bool) {
    PAGES.with(|pages| {
        let mut pages = pages.borrow_mut();
        pages.retain(|(p, _)| *p != id);
        if connected {
            if let Ok(framed) = serde_wasm_bindgen::to_value(&id) {
                pages.push((id, framed));
            }
        }
    });
}

/// `{name: value}` as a JavaScript object.
fn object(name: &str, value: &JsValue) -> JsValue {
    let object = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&object, &name.into(), value);
    object.into()
}

fn tell(message: &str) {
    if let Ok(channel) = web_sys::BroadcastChannel::new(CHANNEL) {
        let _ = channel.post_message(&JsValue::from_str(message));
        channel.close();
    }
    let global = js_sys::global();
    let Some(post) =
        js_sys::Reflect::get(&global, &"postMessage".into()).ok().and_then(|f| f.dyn_into::<js_sys::Function>().ok())
    else {
        return;
    };
    // `{"ProcessOutput": [id, {"Stopped": {"message": …}}]}`, as gloo frames a response.
    let stopped = object("Stopped", &object("message", &JsValue::from_str(message)));
    let pages = PAGES.with(|pages| pages.borrow().clone());
    for (_, id) in pages {
        let _ = post.call1(&global, &object("ProcessOutput", &js_sys::Array::of2(&id, &stopped)));
    }
}

/// Installs the panic hook and the error listener.
pub fn report_failures() {
    std::panic::set_hook(Box::new(|info| tell(&format!("the worker panicked: {info}"))));
    let on_error = Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(|e: web_sys::ErrorEvent| {
        tell(&format!("the worker stopped on an error: {}", e.message()));
    });
    if let Ok(scope) = js_sys::global().dyn_into::<web_sys::EventTarget>() {
        let _ = scope.add_event_listener_with_callback("error", on_error.as_ref().unchecked_ref());
    }
    // Lives as long as the worker.
    on_error.forget();
}
