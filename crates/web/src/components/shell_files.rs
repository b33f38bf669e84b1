//! The Cloud Shell bar's file tools, as the real Cloud Shell has them: **Manage files** (Upload,
//! Download, Open file share) and the **Editor** (`{}`, or `code FILE` typed in the shell),
//! where a template is opened, changed and saved back to the store.

use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::components::clock_bar::download;
use crate::context::{use_app, Playground};
use crate::pages::form::{use_on_answer, use_request};

#[derive(Properties, PartialEq)]
pub struct ManageFilesProps {
    /// The Upload input's change (the pane logs each upload as a line).
    pub onupload: Callback<Event>,
}

/// Manage files: a menu with Upload, Download (asks which file) and Open file share (greyed).
#[function_component(ManageFiles)]
pub fn manage_files(props: &ManageFilesProps) -> Html {
    let ctx = use_app();
    let open = use_state(|| false);
    let downloading = use_state(|| false);
    let path = use_state(String::new);
    let local_error = use_state(|| None::<String>);
    let (request, done, running) = use_request();
    // The folder view: the store's files, asked for when the dialog opens.
    let (listing, listed, _) = use_request();
    {
        let (downloading, local_error, path) = (downloading.clone(), local_error.clone(), path.clone());
        use_on_answer(*request, done.clone(), move |_, answer| {
            if let cmk_worker::Answer::Text(text) = answer {
                let name = path.trim().rsplit('/').next().unwrap_or_default().to_string();
                match download(&name, text) {
                    Ok(()) => downloading.set(false),
                    Err(why) => local_error.set(Some(why)),
                }
            }
        });
    }
    // Choosing files closes the menu, as picking any item does.
    let onupload = {
        let (open, upload) = (open.clone(), props.onupload.clone());
        Callback::from(move |e: Event| {
            open.set(false);
            upload.emit(e);
        })
    };
    let toggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    let on_escape = {
        let open = open.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                open.set(false)
            }
        })
    };
    let ask = {
        let (open, downloading, local_error) = (open.clone(), downloading.clone(), local_error.clone());
        let (go, listing) = (ctx.playground.clone(), listing.clone());
        Callback::from(move |_: MouseEvent| {
            open.set(false);
            local_error.set(None);
            downloading.set(true);
            listing.set(Some(go.emit(Playground::ListFiles)));
        })
    };
    let files: Vec<(String, String)> = match listed.as_ref().map(|d| &d.result) {
        Some(Ok(cmk_worker::Answer::Text(text))) => text
            .lines()
            .filter_map(|l| l.split_once('\t'))
            .map(|(name, rest)| (name.to_string(), rest.split('\t').next().unwrap_or_default().to_string()))
            .collect(),
        _ => Vec::new(),
    };
    let dialog = (*downloading).then(|| {
        let on_path = {
            let path = path.clone();
            Callback::from(move |e: InputEvent| path.set(e.target_unchecked_into::<HtmlInputElement>().value()))
        };
        let on_confirm = {
            let (go, request, path, local_error) =
                (ctx.playground.clone(), request.clone(), path.clone(), local_error.clone());
            Callback::from(move |()| {
                let name = path.trim().to_string();
                if name.is_empty() {
                    local_error.set(Some("Enter the path of a file in the Cloud Shell's store (ls lists them).".into()));
                    return;
                }
                local_error.set(None);
                request.set(Some(go.emit(Playground::ReadFile(name))));
            })
        };
        let on_cancel = {
            let downloading = downloading.clone();
            Callback::from(move |()| downloading.set(false))
        };
        let failed = (*local_error)
            .clone()
            .or_else(|| done.as_ref().and_then(|d| d.result.as_ref().err().map(|e| e.message().to_string())));
        html! {
            <crate::components::Dialog title="Download a file" confirm_label="Download" {on_confirm} {on_cancel}>
                <label class="field">{"Enter the file path to download"}
                    <input value={(*path).clone()} oninput={on_path} placeholder="template.json" aria-label="File path" disabled={running} />
                </label>
                if let Some(why) = failed { <p class="err" role="alert">{ why }</p> }
                { folder_view(&files, &path) }
            </crate::components::Dialog>
        }
    });
    html! {
        <div class="add-menu" onkeydown={on_escape}>
            <button class="bar-button" aria-haspopup="true" aria-expanded={(*open).to_string()} onclick={toggle}>{"Manage files"}</button>
            // Kept in the document while closed: the file input stays reachable.
            <ul class="menu-list" aria-label="Manage files" hidden={!*open}>
                <li><label class="menu-item">{"Upload"}<input type="file" multiple=true aria-label="Upload file" onchange={onupload} accept=".json,.pem,.txt,.cmk,.ps1,.psm1,.zip" class="sr-only" /></label></li>
                <li><button class="menu-item" onclick={ask}>{"Download"}</button></li>
                <li><span class="greyed" aria-disabled="true" title="Not simulated in this playground">{"Open file share"}</span></li>
            </ul>
            { dialog.unwrap_or_default() }
        </div>
    }
}

/// The store's files by folder; choosing one fills the path.
fn folder_view(files: &[(String, String)], path: &UseStateHandle<String>) -> Html {
    if files.is_empty() {
        return html! { <p class="hint">{"No files yet: Upload puts them here."}</p> };
    }
    let mut folders: Vec<(&str, Vec<&(String, String)>)> = Vec::new();
    for file in files {
        let folder = file.0.rsplit_once('/').map_or("", |(dir, _)| dir);
        match folders.iter_mut().find(|(f, _)| *f == folder) {
            Some((_, list)) => list.push(file),
            None => folders.push((folder, vec![file])),
        }
    }
    folders.sort_by(|a, b| a.0.cmp(b.0));
    html! {
        <div class="file-tree" aria-label="Files in the Cloud Shell's store" role="group">
            { for folders.into_iter().map(|(folder, list)| html! {
                <>
                    <div class="folder">{ if folder.is_empty() { "~".to_string() } else { format!("~/{folder}") } }</div>
                    <ul>
                        { for list.into_iter().map(|(name, bytes)| {
                            let choose = { let (path, name) = (path.clone(), name.clone()); Callback::from(move |_: MouseEvent| path.set(name.clone())) };
                            let short = name.rsplit('/').next().unwrap_or(name).to_string();
                            html! { <li><button type="button" class="link-button" onclick={choose} aria-label={format!("Choose {name}")}>{ short }</button><span class="hint">{ format!(" {bytes}") }</span></li> }
                        }) }
                    </ul>
                </>
            }) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    /// The file opened first (empty: none yet).
    pub name: AttrValue,
    pub on_close: Callback<()>,
}

/// The Cloud Shell's editor: open a file of the store by name, change it, save it back (a file
/// that does not exist yet is created on Save).
#[function_component(Editor)]
pub fn editor(props: &EditorProps) -> Html {
    let ctx = use_app();
    let name = use_state(|| props.name.to_string());
    let text = use_state(String::new);
    let status = use_state(|| None::<(bool, String)>);
    let (reading, read_done, _) = use_request();
    let (saving, save_done, running) = use_request();
    let open_file = {
        let (go, reading, name, status) = (ctx.playground.clone(), reading.clone(), name.clone(), status.clone());
        Callback::from(move |()| {
            let file = name.trim().to_string();
            if file.is_empty() {
                status.set(Some((false, "Enter a file name to open.".into())));
                return;
            }
            status.set(None);
            reading.set(Some(go.emit(Playground::ReadFile(file))));
        })
    };
    {
        // A file named when the editor opens (`code FILE`) is read at once.
        let open_file = open_file.clone();
        use_effect_with(props.name.clone(), move |n| {
            if !n.is_empty() {
                open_file.emit(());
            }
        });
    }
    {
        // What the read brought: the file's text, or a new file when there is none.
        let (text, status, name) = (text.clone(), status.clone(), name.clone());
        let answer = read_done.clone();
        use_effect_with((*reading, answer.is_some()), move |_| {
            if let Some(d) = answer {
                match &d.result {
                    Ok(cmk_worker::Answer::Text(t)) => {
                        text.set(t.clone());
                        status.set(Some((true, format!("Opened {}.", name.trim()))));
                    }
                    Err(e) if e.code() == cmk_core::ErrorCode::FileNotFound => {
                        text.set(String::new());
                        status.set(Some((true, format!("{} is a new file: Save creates it.", name.trim()))));
                    }
                    Err(e) => status.set(Some((false, e.message().to_string()))),
                    Ok(_) => {}
                }
            }
        });
    }
    {
        let status = status.clone();
        use_on_answer(*saving, save_done.clone(), move |_, answer| {
            if let cmk_worker::Answer::Uploaded { name, bytes } = answer {
                status.set(Some((true, format!("Saved {name} ({bytes} bytes)."))));
            }
        });
    }
    let save_error = save_done.as_ref().and_then(|d| d.result.as_ref().err().map(|e| e.message().to_string()));
    let on_name = {
        let name = name.clone();
        Callback::from(move |e: InputEvent| name.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let on_text = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| text.set(e.target_unchecked_into::<HtmlTextAreaElement>().value()))
    };
    let save = {
        let (upload, saving, name, text, status) =
            (ctx.upload.clone(), saving.clone(), name.clone(), text.clone(), status.clone());
        Callback::from(move |_: MouseEvent| {
            let file = name.trim().trim_start_matches("~/").to_string();
            if file.is_empty() {
                status.set(Some((false, "Enter a file name to save to.".into())));
                return;
            }
            saving.set(Some(upload.emit((file, (*text).clone()))));
        })
    };
    let message = save_error.map(|e| (false, e)).or_else(|| (*status).clone());
    html! {
        <section class="shell-editor" aria-label="Editor">
            <div class="shell-editor-bar">
                <label for="editor-file">{"File"}</label>
                <input id="editor-file" value={(*name).clone()} oninput={on_name} placeholder="template.json" />
                <button class="bar-button" onclick={open_file.reform(|_: MouseEvent| ())}>{"Open"}</button>
                <button class="bar-button" onclick={save} disabled={running}>{"Save"}</button>
                <button class="bar-button" onclick={props.on_close.reform(|_: MouseEvent| ())}>{"Close editor"}</button>
                if let Some((ok, m)) = message { <span class={if ok { "hint" } else { "err" }} role="status">{ m }</span> }
            </div>
            <textarea aria-label="File contents" value={(*text).clone()} oninput={on_text} spellcheck="false" />
        </section>
    }
}
