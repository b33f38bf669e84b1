//! The one confirmation dialog: modal, focus kept inside, Escape cancels. Every destructive or
//! long-running action goes through it.

use wasm_bindgen::JsCast;
use web_sys::HtmlElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DialogProps {
    pub title: AttrValue,
    pub confirm_label: AttrValue,
    #[prop_or(AttrValue::from("Cancel"))]
    pub cancel_label: AttrValue,
    pub on_confirm: Callback<()>,
    pub on_cancel: Callback<()>,
    /// Whether the confirming action is destructive (red button).
    #[prop_or_default]
    pub danger: bool,
    /// Whether there is nothing to confirm yet (the button is disabled).
    #[prop_or_default]
    pub confirm_disabled: bool,
    #[prop_or_default]
    pub children: Html,
}

#[function_component(Dialog)]
pub fn dialog(props: &DialogProps) -> Html {
    let panel = use_node_ref();
    {
        // Focus the first button when the dialog opens.
        let panel = panel.clone();
        use_effect_with((), move |_| {
            if let Some(el) = panel.cast::<HtmlElement>() {
                if let Ok(Some(first)) = el.query_selector("button") {
                    if let Ok(b) = first.dyn_into::<HtmlElement>() {
                        let _ = b.focus();
                    }
                }
            }
        });
    }
    let onkeydown = {
        let (cancel, panel) = (props.on_cancel.clone(), panel.clone());
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.prevent_default();
                cancel.emit(());
            } else if e.key() == "Tab" {
                // Keep focus inside: wrap from the last control to the first and back.
                let Some(el) = panel.cast::<HtmlElement>() else { return };
                let Ok(list) = el.query_selector_all("button, a[href], input, select") else { return };
                let items: Vec<HtmlElement> =
                    (0..list.length()).filter_map(|i| list.item(i)).filter_map(|n| n.dyn_into().ok()).collect();
                let active = web_sys::window().and_then(|w| w.document()).and_then(|d| d.active_element());
                let at = |x: Option<&HtmlElement>| {
                    x.zip(active.as_ref()).is_some_and(|(a, b)| a.unchecked_ref::<web_sys::Element>() == b)
                };
                if e.shift_key() && at(items.first()) {
                    e.prevent_default();
                    if let Some(last) = items.last() {
                        let _ = last.focus();
                    }
                } else if !e.shift_key() && at(items.last()) {
                    e.prevent_default();
                    if let Some(first) = items.first() {
                        let _ = first.focus();
                    }
                }
            }
        })
    };
    let confirm = props.on_confirm.reform(|_: MouseEvent| ());
    let cancel = props.on_cancel.reform(|_: MouseEvent| ());
    html! {
        <div class="dialog-backdrop">
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="dialog-title" ref={panel} {onkeydown}>
                <h2 id="dialog-title">{ props.title.clone() }</h2>
                <div class="dialog-body">{ props.children.clone() }</div>
                <div class="form-actions">
                    <button class={classes!("primary", props.danger.then_some("danger"))} onclick={confirm} disabled={props.confirm_disabled}>{ props.confirm_label.clone() }</button>
                    <button onclick={cancel}>{ props.cancel_label.clone() }</button>
                </div>
            </div>
        </div>
    }
}
