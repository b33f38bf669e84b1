use cmk_core::location::AZURE_LOCATIONS;
use cmk_core::Command;
use yew::prelude::*;

use super::location_label;
use crate::components::{Blade, Dialog, Icon, IconName, MessageBar, MessageKind};
use crate::context::use_app;
use crate::pages::form::{error_text, row, select, text_input, use_request};
use crate::route::Route;

#[function_component(ResourceGroupsPage)]
pub fn resource_groups_page() -> Html {
    let ctx = use_app();
    let creating = use_state(|| false);
    let name = use_state(String::new);
    let location = use_state(|| "westeurope".to_string());
    let tried = use_state(|| false);
    let (request, done, running) = use_request();
    {
        let creating = creating.clone();
        let (name, tried) = (name.clone(), tried.clone());
        let ok = matches!(&done, Some(d) if d.result.is_ok());
        use_effect_with(ok, move |ok| {
            if *ok {
                creating.set(false);
                name.set(String::new());
                tried.set(false);
            }
        });
    }
    let toggle = {
        let creating = creating.clone();
        Callback::from(move |_| creating.set(!*creating))
    };
    // Checked as the name is typed, and on Create before anything is sent (an empty name says so
    // beside the field, not after a round trip in the service's words).
    let name_check = cmk_core::azure::check_resource_group_name(&name).err();
    let show_check = !name.is_empty() || *tried;
    let onsubmit = {
        let (send, name, location, request, tried) =
            (ctx.send.clone(), name.clone(), location.clone(), request.clone(), tried.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            tried.set(true);
            if cmk_core::azure::check_resource_group_name(&name).is_err() {
                return;
            }
            request.set(Some(send.emit(Command::CreateResourceGroup {
                name: (*name).clone(),
                location: (*location).clone(),
                tags: Default::default(),
            })));
        })
    };
    // Delete resource group: the portal's confirmation, the group's name typed to confirm.
    let deleting = use_state(|| None::<String>);
    let typed = use_state(String::new);
    let (delete_request, deleted, _) = use_request();
    let ask_delete = |group: &str| {
        let (deleting, typed, group) = (deleting.clone(), typed.clone(), group.to_string());
        Callback::from(move |_: MouseEvent| {
            typed.set(String::new());
            deleting.set(Some(group.clone()));
        })
    };
    let delete_dialog = (*deleting).clone().map(|group| {
        let in_group = |g: &str| g.eq_ignore_ascii_case(&group);
        let mut resources: Vec<String> = ctx
            .view
            .vaults
            .iter()
            .filter(|l| in_group(&l.vault.resource_group))
            .map(|l| format!("{} (key vault: soft-deleted)", l.vault.name))
            .collect();
        resources.extend(
            ctx.view.policies.iter().filter(|p| in_group(&p.resource_group)).map(|p| format!("{} (enterprise policy)", p.name)),
        );
        let close = { let d = deleting.clone(); Callback::from(move |()| d.set(None)) };
        let on_confirm = {
            let (send, request, deleting, group) = (ctx.send.clone(), delete_request.clone(), deleting.clone(), group.clone());
            Callback::from(move |()| {
                request.set(Some(send.emit(Command::DeleteResourceGroup { name: group.clone() })));
                deleting.set(None);
            })
        };
        let oninput = { let t = typed.clone(); Callback::from(move |e: InputEvent| t.set(e.target_unchecked_into::<web_sys::HtmlInputElement>().value())) };
        html! {
            <Dialog title="Delete a resource group" confirm_label="Delete" danger=true confirm_disabled={*typed != group} {on_confirm} on_cancel={close}>
                <p>{ format!("Deleting '{group}' deletes every resource in it. This cannot be undone in Azure (here, Undo can).") }</p>
                if resources.is_empty() { <p>{"The group holds no resources."}</p> } else {
                    <p>{"Resources that will be deleted:"}</p>
                    <ul data-testid="rg-delete-resources">{ for resources.iter().map(|r| html! { <li>{ r }</li> }) }</ul>
                }
                <label class="field">{"Enter resource group name to confirm deletion"}<input value={(*typed).clone()} {oninput} /></label>
            </Dialog>
        }
    });
    let locations: Vec<(String, String)> = AZURE_LOCATIONS.iter().map(|(n, l)| ((*n).into(), (*l).into())).collect();
    let commands = html! { <button class="cmd" onclick={toggle} data-testid="create-rg"><Icon name={IconName::Add} />{" Create"}</button> };
    html! {
        <Blade title="Resource groups" subtitle={ctx.view.tenant_domain.clone()} crumbs={vec![("Resource groups".into(), Route::ResourceGroups)]} {commands}>
            if *creating {
                <form class="inline-form" {onsubmit} aria-label="Create a resource group">
                    { row("Resource group", "rg-name", true, text_input("rg-name", &name, "e.g. rg-cmk"), None) }
                    if let Some(e) = name_check.filter(|_| show_check) { <p class="field-error" role="alert" data-testid="rg-name-error">{ e.message().to_string() }</p> }
                    { row("Region", "rg-location", true, select("rg-location", &location, locations), None) }
                    if let Some(Err(e)) = done.as_ref().map(|d| &d.result) { <MessageBar kind={MessageKind::Error}>{ error_text(e) }</MessageBar> }
                    <div class="form-actions"><button class="primary" type="submit" disabled={running} data-testid="rg-submit">{ if running { "Creating…" } else { "Create" } }</button></div>
                </form>
            }
            <table class="grid" data-testid="rg-table">
                <thead><tr><th scope="col">{"Name"}</th><th scope="col">{"Subscription"}</th><th scope="col">{"Location"}</th><th scope="col"></th></tr></thead>
                <tbody>
                    { for ctx.view.resource_groups.iter().map(|rg| html! {
                        <tr key={rg.id.clone()}><td><a href={Route::ResourceGroup { group: rg.name.clone() }.href()}>{ &rg.name }</a></td><td>{ &ctx.view.subscription_name }</td><td>{ location_label(&rg.location) }</td>
                            <td><a href={Route::AccessControl { scope: rg.id.clone() }.href()} aria-label={format!("Access control (IAM) of {}", rg.name)}>{"Access control (IAM)"}</a>
                                {" "}<button class="link" onclick={ask_delete(&rg.name)} aria-label={format!("Delete resource group {}", rg.name)}>{"Delete"}</button></td></tr>
                    }) }
                </tbody>
            </table>
            if ctx.view.resource_groups.is_empty() { <p class="empty">{"No resource groups to display."}</p> }
            if let Some(Err(e)) = deleted.as_ref().map(|d| &d.result) { <MessageBar kind={MessageKind::Error}>{ error_text(e) }</MessageBar> }
            { delete_dialog.unwrap_or_default() }
        </Blade>
    }
}
