//! A copy-to-clipboard button next to ids, as the portal has next to Object ID and resource ids.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CopyButtonProps {
    pub text: AttrValue,
    /// What is copied, for screen readers ("Copy Object ID").
    pub what: AttrValue,
}

#[function_component(CopyButton)]
pub fn copy_button(props: &CopyButtonProps) -> Html {
    let copied = use_state(|| false);
    let onclick = {
        let (text, copied) = (props.text.to_string(), copied.clone());
        Callback::from(move |_: MouseEvent| {
            // navigator.clipboard.writeText, reached without unstable web-sys APIs.
            let global = js_sys::global();
            let clipboard = js_sys::Reflect::get(&global, &"navigator".into())
                .and_then(|n| js_sys::Reflect::get(&n, &"clipboard".into()))
                .ok();
            if let Some(cb) = clipboard.filter(|c| !c.is_undefined()) {
                if let Ok(f) = js_sys::Reflect::get(&cb, &"writeText".into()) {
                    if let Some(f) = wasm_bindgen::JsCast::dyn_ref::<js_sys::Function>(&f) {
                        let _ = f.call1(&cb, &text.clone().into());
                    }
                }
            }
            copied.set(true);
        })
    };
    html! {
        <button class="icon-button copy" type="button" {onclick} aria-label={format!("Copy {}", props.what)} title="Copy to clipboard">
            if *copied { {"✔ Copied"} } else { <crate::components::Icon name={crate::components::IconName::Copy} />{" Copy"} }
        </button>
    }
}
