//! Resource Graph Explorer: the query box, Run query, the results, See details (SPEC EP-7).

use cmk_core::Command;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use crate::components::{Blade, CopyButton, JsonView, MessageBar, MessageKind};
use crate::context::use_app;
use crate::pages::form::{error_text, use_request};
use crate::route::Route;

/// The resource types the playground models, as Resource Graph Explorer's tree lists them.
const RESOURCE_TYPES: [&str; 4] = [
    "microsoft.keyvault/managedhsms",
    "microsoft.keyvault/vaults",
    "microsoft.network/privateendpoints",
    "microsoft.powerplatform/enterprisepolicies",
];

/// The query Resource Graph Explorer writes for a resource type chosen in its tree.
fn type_query(kind: &str) -> String {
    format!("resources | where type =~ '{kind}'")
}

#[function_component(ResourceGraphPage)]
pub fn resource_graph_page() -> Html {
    let ctx = use_app();
    let query = use_state(|| "resources | where type =~ 'microsoft.powerplatform/enterprisepolicies'".to_string());
    let search = use_state(String::new);
    let details = use_state(|| None::<usize>);
    let (request, done, running) = use_request();
    let oninput = {
        let query = query.clone();
        Callback::from(move |e: InputEvent| query.set(e.target_unchecked_into::<HtmlTextAreaElement>().value()))
    };
    let run = {
        let (send, request, query, details) = (ctx.query.clone(), request.clone(), query.clone(), details.clone());
        Callback::from(move |_: MouseEvent| {
            details.set(None);
            request.set(Some(send.emit(Command::GraphQuery { query: (*query).clone() })));
        })
    };
    let results = match done.as_ref().map(|d| (&d.result, d.outcome_json().unwrap_or_default())) {
        Some((Err(e), _)) => html! { <MessageBar kind={MessageKind::Error}>{ error_text(e) }</MessageBar> },
        Some((Ok(_), v)) => {
            let rows = v["data"].as_array().cloned().unwrap_or_default();
            html! {
                <>
                    <p>{ format!("Results: {} record(s)", rows.len()) }</p>
                    <table class="grid" data-testid="graph-results">
                        <thead><tr><th scope="col">{"name"}</th><th scope="col">{"type"}</th><th scope="col">{"location"}</th><th scope="col">{"id"}</th><th scope="col"></th></tr></thead>
                        <tbody>
                            { for rows.iter().enumerate().map(|(i, r)| {
                                let see = { let details = details.clone(); Callback::from(move |_: MouseEvent| details.set(Some(i))) };
                                html! {
                                    <tr>
                                        <td>{ r["name"].as_str().unwrap_or_default() }</td>
                                        <td>{ r["type"].as_str().unwrap_or_default() }</td>
                                        <td>{ r["location"].as_str().unwrap_or_default() }</td>
                                        <td><code class="wrap">{ r["id"].as_str().unwrap_or_default() }</code></td>
                                        <td><button class="cmd" onclick={see}>{"See details"}</button></td>
                                    </tr>
                                }
                            }) }
                        </tbody>
                    </table>
                    if let Some(r) = details.and_then(|i| rows.get(i).cloned()) {
                        <h2>{"Details"}</h2>
                        <p><code class="wrap">{ r["id"].as_str().unwrap_or_default().to_string() }</code>{" "}<CopyButton text={r["id"].as_str().unwrap_or_default().to_string()} what="the resource ID" /></p>
                        <JsonView value={r} testid="graph-details" />
                    }
                </>
            }
        }
        None => Html::default(),
    };
    // The Search box over resource types (the document: "Enter
    // microsoft.powerplatform/enterprisepolicies in the Search box"); choosing a type writes its
    // query, as the portal's tree does.
    let on_search = {
        let search = search.clone();
        Callback::from(move |e: InputEvent| search.set(e.target_unchecked_into::<web_sys::HtmlInputElement>().value()))
    };
    let needle = search.trim().to_ascii_lowercase();
    let types: Vec<&str> =
        RESOURCE_TYPES.iter().copied().filter(|t| needle.is_empty() || t.contains(needle.as_str())).collect();
    let choose = |kind: &'static str| {
        let query = query.clone();
        Callback::from(move |_: MouseEvent| query.set(type_query(kind)))
    };
    html! {
        <Blade title="Resource Graph Explorer" crumbs={vec![("Resource Graph Explorer".into(), Route::ResourceGraph)]}>
            <div class="graph-types" role="group" aria-label="Resource types">
                <input class="filter" type="search" aria-label="Search" placeholder="Search resource types" value={(*search).clone()} oninput={on_search} />
                <ul class="pick-list">
                    { for types.iter().map(|t| html! { <li><button class="link-button" onclick={choose(t)} aria-label={format!("Query {t}")}>{ *t }</button></li> }) }
                </ul>
                if types.is_empty() { <p class="empty" role="status">{ format!("No resource type matches '{}'.", search.trim()) }</p> }
            </div>
            <textarea class="query-editor" aria-label="Query" rows="3" value={(*query).clone()} {oninput} spellcheck="false" />
            <div class="form-actions"><button class="primary" onclick={run} disabled={running}>{"Run query"}</button></div>
            { results }
        </Blade>
    }
}
