//! One world, one writer: the page holds the Web Lock "cmk-playground" for as long as it runs the
//! worker. A second tab finds it taken and says so, offering to take over; the first tab, when
//! taken over, stops its worker and says so. (Without Web Locks, the page runs as before.)

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

const LOCK: &str = "cmk-playground";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TabState {
    /// Asking for the lock.
    Checking,
    /// This tab holds it: it runs the world.
    Held,
    /// Another tab holds it.
    Elsewhere,
    /// Another tab took it over from this one.
    TakenOver,
}

fn locks() -> Option<JsValue> {
    let navigator = Reflect::get(&js_sys::global(), &"navigator".into()).ok()?;
    let locks = Reflect::get(&navigator, &"locks".into()).ok()?;
    (!locks.is_undefined() && !locks.is_null()).then_some(locks)
}

/// Asks for the lock (`steal`: take it from the other tab); reports every change of state.
pub fn request(steal: bool, report: Callback<TabState>) {
    let Some(locks) = locks() else {
        report.emit(TabState::Held);
        return;
    };
    let options = Object::new();
    let _ = Reflect::set(&options, &(if steal { "steal" } else { "ifAvailable" }).into(), &JsValue::TRUE);
    let granted = report.clone();
    let callback = Closure::once_into_js(move |lock: JsValue| -> JsValue {
        if lock.is_null() {
            granted.emit(TabState::Elsewhere);
            return JsValue::from_str("busy");
        }
        granted.emit(TabState::Held);
        // Held for the life of the page: a promise that never settles.
        Promise::new(&mut |_, _| {}).into()
    });
    let Ok(request) = Reflect::get(&locks, &"request".into()).and_then(|f| f.dyn_into::<Function>()) else {
        report.emit(TabState::Held);
        return;
    };
    let Ok(promise) = request.call3(&locks, &LOCK.into(), &options, &callback) else {
        report.emit(TabState::Held);
        return;
    };
    if let Ok(promise) = promise.dyn_into::<Promise>() {
        let lost = Closure::<dyn FnMut(JsValue)>::new(move |_: JsValue| report.emit(TabState::TakenOver));
        let _ = promise.catch(&lost);
        // Lives as long as the page: the lock is only ever lost once.
        lost.forget();
    }
}
