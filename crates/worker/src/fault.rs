//! When the worker fails (a panic, or any error thrown in it), it says so on the broadcast
//! channel the page listens to, before it stops: the page then shows what happened instead of
//! waiting forever. The save in IndexedDB is whatever the last completed save wrote.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The channel's name; the page listens on it.
pub const CHANNEL: &str = "cmk-playground-worker";

fn tell(message: &str) {
    if let Ok(channel) = web_sys::BroadcastChannel::new(CHANNEL) {
        let _ = channel.post_message(&JsValue::from_str(message));
        channel.close();
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
