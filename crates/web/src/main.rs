fn main() {
    // The app renders into its own element: the body also holds what is not the app's (the bar
    // `offline.js` shows when a new build is ready), which rendering into the body would clear.
    let root = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("app"));
    match root {
        Some(root) => yew::Renderer::<cmk_web::App>::with_root(root).render(),
        None => yew::Renderer::<cmk_web::App>::new().render(),
    };
}
