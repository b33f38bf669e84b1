//! Deploy a custom template › Build your own template in the editor › Save › Basics › Review +
//! create › Create › deployment progress › Go to resource. The editor starts with the
//! enterprise-policy template of the seeds, placeholders and all.

use cmk_core::{Command, ErrorCode};
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use crate::components::{Blade, MessageBar, MessageKind};
use crate::context::use_app;
use crate::pages::form::{error_text, row, select, use_request};
use crate::route::Route;

use cmk_core::azure::policy::{first_placeholder, SEED_TEMPLATE};

/// The line of the template where the placeholder the core refused it for stands: asked of the
/// core by the error's code, never read from its words.
fn placeholder_line(text: &str, error: &cmk_core::Error) -> Option<usize> {
    (error.code() == ErrorCode::InvalidTemplate).then(|| first_placeholder(text)).flatten().map(|(line, _)| line)
}

#[derive(Clone, Copy, PartialEq)]
enum Step {
    Start,
    Editor,
    Basics,
    Review,
}

#[function_component(DeployTemplatePage)]
pub fn deploy_template_page() -> Html {
    let ctx = use_app();
    let step = use_state(|| Step::Start);
    let text = use_state(|| SEED_TEMPLATE.to_string());
    let read_error = use_state(|| None::<String>);
    let json_error = use_state(|| None::<String>);
    let rg = use_state(|| ctx.view.resource_groups.first().map(|r| r.name.clone()).unwrap_or_default());
    let (request, done, running) = use_request();
    let goto = |s: Step| {
        let step = step.clone();
        Callback::from(move |_: MouseEvent| step.set(s))
    };
    let crumbs = vec![("Deploy a custom template".into(), Route::DeployTemplate)];
    if let Some(d) = done.as_ref().filter(|d| d.result.is_ok()) {
        let deployment = match d.outcome() {
            Some(cmk_core::Outcome::Deployment(d)) => Some(d.clone()),
            _ => None,
        };
        let name = deployment.as_ref().map(|d| d.name.clone()).unwrap_or_default();
        let warning = deployment.and_then(|d| d.properties.warnings.into_iter().next());
        return html! {
            <Blade title="Your deployment is complete" subtitle="Microsoft.Template" {crumbs}>
                <MessageBar kind={MessageKind::Success}>{ format!("Deployment '{name}' succeeded.") }</MessageBar>
                if let Some(w) = warning {
                    <MessageBar kind={MessageKind::Warning}>{ w.message }</MessageBar>
                }
                <a class="button primary-link" href={Route::EnterprisePolicy { name }.href()}>{"Go to resource"}</a>
            </Blade>
        };
    }
    let body = match *step {
        Step::Start => html! {
            <>
                <p>{"Deploy resources with an ARM template."}</p>
                <button class="link-button" onclick={goto(Step::Editor)}>{"Build your own template in the editor"}</button>
            </>
        },
        Step::Editor => {
            // Save checks the JSON (placeholders still in it are Review's to name, with their line).
            let save = {
                let (step, text, json_error) = (step.clone(), text.clone(), json_error.clone());
                Callback::from(move |_: MouseEvent| match template_json_error(&text) {
                    Some(why) => json_error.set(Some(why)),
                    None => {
                        json_error.set(None);
                        step.set(Step::Basics);
                    }
                })
            };
            let oninput = {
                let text = text.clone();
                Callback::from(move |e: InputEvent| text.set(e.target_unchecked_into::<HtmlTextAreaElement>().value()))
            };
            let onload = {
                let text = text.clone();
                let read_error = read_error.clone();
                crate::pages::form::on_file_text(
                    false,
                    Callback::from(move |read: Result<(String, String), String>| match read {
                        Ok((_, t)) => {
                            read_error.set(None);
                            text.set(t);
                        }
                        Err(why) => read_error.set(Some(why)),
                    }),
                )
            };
            html! {
                <>
                    <div class="command-bar">
                        <label class="cmd upload">{"Load file"}<input type="file" aria-label="Load file" accept=".json" onchange={onload} /></label>
                    </div>
                    if let Some(why) = &*read_error { <MessageBar kind={MessageKind::Error}>{ why.clone() }</MessageBar> }
                    <textarea class="template-editor" aria-label="Template" spellcheck="false" value={(*text).clone()} {oninput} rows="30" />
                    <p class="hint">{"Replace {EnterprisePolicyName}, {location …}, {keyVaultId} and {keyName} with real values in quotes. The vault's resource ID is on its Overview page (JSON View)."}</p>
                    if let Some(why) = &*json_error { <MessageBar kind={MessageKind::Error}><span data-testid="template-json-error">{ why.clone() }</span></MessageBar> }
                    <div class="form-actions"><button class="primary" onclick={save}>{"Save"}</button><button onclick={goto(Step::Start)}>{"Discard"}</button></div>
                </>
            }
        }
        Step::Basics => {
            let groups = ctx.view.resource_groups.iter().map(|r| (r.name.clone(), r.name.clone())).collect();
            html! {
                <>
                    <h2>{"Project details"}</h2>
                    { row("Subscription", "deploy-sub", true, html! { <input id="deploy-sub" value={ctx.view.subscription_name.clone()} disabled=true /> }, None) }
                    { row("Resource group", "deploy-rg", true, select("deploy-rg", &rg, groups), None) }
                    <div class="form-actions"><button onclick={goto(Step::Editor)}>{"Edit template"}</button><button class="primary" onclick={goto(Step::Review)}>{"Review + create"}</button></div>
                </>
            }
        }
        Step::Review => {
            let check = cmk_core::azure::policy::parse_template(&text);
            let create = {
                let (send, request, rg, text) = (ctx.send.clone(), request.clone(), rg.clone(), text.clone());
                Callback::from(move |_: MouseEvent| {
                    request.set(Some(
                        send.emit(Command::DeployTemplate { resource_group: (*rg).clone(), template: (*text).clone() }),
                    ))
                })
            };
            html! {
                <>
                    { match &check {
                        Ok(t) => html! {
                            <>
                                <MessageBar kind={MessageKind::Success}>{"Validation Passed"}</MessageBar>
                                <dl class="essentials">
                                    <dt>{"Resource group"}</dt><dd>{ (*rg).clone() }</dd>
                                    <dt>{"Enterprise policy"}</dt><dd>{ &t.name }</dd>
                                    <dt>{"Location"}</dt><dd>{ &t.location }</dd>
                                    <dt>{"Key vault"}</dt><dd><code class="wrap">{ &t.key_vault_id }</code></dd>
                                    <dt>{"Key"}</dt><dd>{ &t.key_name }</dd>
                                </dl>
                            </>
                        },
                        Err(e) => html! {
                            <MessageBar kind={MessageKind::Error}>
                                <strong>{"Validation failed. "}</strong>{ error_text(e) }
                                if let Some(line) = placeholder_line(&text, e) { <span data-testid="error-line">{ format!(" (line {line})") }</span> }
                            </MessageBar>
                        },
                    } }
                    if let Some(Err(e)) = done.as_ref().map(|d| &d.result) { <MessageBar kind={MessageKind::Error}>{ error_text(e) }</MessageBar> }
                    if running { <MessageBar kind={MessageKind::Info}><span class="spinner small"></span>{" Deployment is in progress…"}</MessageBar> }
                    <div class="form-actions">
                        <button onclick={goto(Step::Basics)}>{"Previous"}</button>
                        <button class="primary" disabled={check.is_err() || running || rg.is_empty()} onclick={create}>{"Create"}</button>
                    </div>
                </>
            }
        }
    };
    html! {
        <Blade title="Custom deployment" subtitle="Deploy from a custom template" {crumbs}>
            { body }
        </Blade>
    }
}

/// Why Save refuses the template's text: not JSON, said with its line and column. A text that
/// still holds the document's placeholders passes (Review names them with their line).
fn template_json_error(text: &str) -> Option<String> {
    if first_placeholder(text).is_some() {
        return None;
    }
    let e = serde_json::from_str::<serde_json::Value>(text).err()?;
    let what = e.to_string();
    let what = what.split(" at line ").next().unwrap_or_default().to_string();
    Some(format!(
        "The template is not valid JSON: {what} (line {}, column {}). Correct it, then select Save again.",
        e.line(),
        e.column()
    ))
}
