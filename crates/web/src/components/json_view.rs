//! Pretty-printed JSON, as the portal's "JSON View" shows a resource.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct JsonViewProps {
    pub value: serde_json::Value,
    #[prop_or_default]
    pub testid: Option<AttrValue>,
}

#[function_component(JsonView)]
pub fn json_view(props: &JsonViewProps) -> Html {
    let text = serde_json::to_string_pretty(&props.value).unwrap_or_default();
    html! { <pre class="json-view" tabindex="0" data-testid={props.testid.clone()}>{ text }</pre> }
}
