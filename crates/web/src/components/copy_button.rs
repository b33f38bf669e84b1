//! A copy-to-clipboard button next to ids, as the portal has next to Object ID and resource ids.
//! It says "Copied" only once the clipboard took the text; when there is no clipboard or the
//! browser refuses it, the text is shown selected with "Press Ctrl+C to copy".

use wasm_bindgen::JsCast;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CopyButtonProps {
    pub text: AttrValue,
    /// What is copied, for screen readers ("Copy Object ID").
    pub what: AttrValue,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Copy {
    Idle,
    Copying,
    Copied,
    /// The clipboard is missing or refused the text.
    Refused,
}

/// `navigator.clipboard.writeText(text)`, awaited (reached without unstable web-sys APIs):
/// `Err` when there is no clipboard or the browser refused.
async fn write_clipboard(text: &str) -> Result<(), ()> {
    let global = js_sys::global();
    let clipboard = js_sys::Reflect::get(&global, &"navigator".into())
        .and_then(|n| js_sys::Reflect::get(&n, &"clipboard".into()))
        .ok()
        .filter(|c| c.is_object())
        .ok_or(())?;
    let write = js_sys::Reflect::get(&clipboard, &"writeText".into()).map_err(|_| ())?;
    let write = write.dyn_ref::<js_sys::Function>().ok_or(())?;
    let promise = write.call1(&clipboard, &text.into()).map_err(|_| ())?;
    let promise = promise.dyn_into::<js_sys::Promise>().map_err(|_| ())?;
    wasm_bindgen_futures::JsFuture::from(promise).await.map(|_| ()).map_err(|_| ())
}

#[function_component(CopyButton)]
pub fn copy_button(props: &CopyButtonProps) -> Html {
    let state = use_state(|| Copy::Idle);
    let field = use_node_ref();
    let onclick = {
        let (text, state) = (props.text.to_string(), state.clone());
        Callback::from(move |_: MouseEvent| {
            let (text, state) = (text.clone(), state.clone());
            state.set(Copy::Copying);
            wasm_bindgen_futures::spawn_local(async move {
                state.set(if write_clipboard(&text).await.is_ok() { Copy::Copied } else { Copy::Refused });
            });
        })
    };
    {
        // Refused: select the text, so Ctrl+C copies it.
        let field = field.clone();
        use_effect_with(*state, move |state| {
            if *state == Copy::Refused {
                if let Some(input) = field.cast::<HtmlInputElement>() {
                    let _ = input.focus();
                    input.select();
                }
            }
        });
    }
    let label = format!("Copy {}", props.what);
    html! {
        <>
            <button class="icon-button copy" type="button" {onclick} aria-label={label} title="Copy to clipboard" disabled={*state == Copy::Copying}>
                if *state == Copy::Copied { {"✔ Copied"} } else { <crate::components::Icon name={crate::components::IconName::Copy} />{" Copy"} }
            </button>
            if *state == Copy::Refused {
                <span class="copy-fallback" role="status">
                    <input ref={field} readonly=true value={props.text.clone()} aria-label={format!("{} (selected)", props.what)} />
                    {" The browser did not allow copying: press Ctrl+C to copy the selected text."}
                </span>
            }
        </>
    }
}
