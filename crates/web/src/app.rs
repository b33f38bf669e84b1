//! The root component: starts the worker, keeps the store, lays out the portal, routes.

use std::cell::Cell;

use cmk_core::Command;
use cmk_worker::{Host, Request, WireCodec};
use gloo_worker::Spawnable;
use yew::prelude::*;

use crate::components::{ClockBar, CloudShell, Icon, IconName, MessageBar, MessageKind, Notifications, TopBar};
use crate::context::{AppContext, Playground};
use crate::pages::azure::*;
use crate::route::{use_route, Route};
use crate::store::{Action, Phase, Store};

/// Where trunk puts the worker's loader, relative to the page (works under any sub-path).
const WORKER_LOADER: &str = "./cmk_worker_loader.js";

/// How long the worker may take to read the save before the page says it did not start.
const START_DEADLINE_SECS: u64 = 15;

/// The page: runs the playground only while this tab holds the playground's lock.
#[function_component(App)]
pub fn app() -> Html {
    use crate::tab_lock::{request, TabState};
    let state = use_state(|| TabState::Checking);
    {
        // A reload's old page may still hold the lock for a moment: ask a few times before
        // saying the playground is open elsewhere.
        let state = state.clone();
        use_effect_with((), move |_| ask(state, 4));
    }
    let take_over = {
        let state = state.clone();
        Callback::from(move |_: MouseEvent| {
            let state = state.clone();
            state.set(TabState::Checking);
            request(true, Callback::from(move |s| state.set(s)));
        })
    };
    match *state {
        TabState::Held => html! { <Portal /> },
        // The same frame index.html shows while the code loads: nothing moves when it starts.
        TabState::Checking => starting_frame(&crate::route::current()),
        TabState::Elsewhere => html! {
            <main class="load-problem" data-testid="open-elsewhere">
                <h1>{"The playground is open in another tab"}</h1>
                <p>{"One world, one writer: only one tab at a time runs the playground, so neither overwrites the other's changes. Use it here to take it over; the other tab stops and says so."}</p>
                <button class="primary" onclick={take_over}>{"Use it here"}</button>
            </main>
        },
        TabState::TakenOver => html! {
            <main class="load-problem" data-testid="taken-over">
                <h1>{"The playground was taken over by another tab"}</h1>
                <p>{"This tab stopped running the world; everything up to now was saved. Reload to use it here again."}</p>
                <button class="primary" onclick={reload()}>{"Reload"}</button>
            </main>
        },
    }
}

/// The Reload buttons of the start and fault screens.
fn reload() -> Callback<MouseEvent> {
    Callback::from(|_: MouseEvent| {
        if let Some(w) = web_sys::window() {
            let _ = w.location().reload();
        }
    })
}

fn ask(state: UseStateHandle<crate::tab_lock::TabState>, tries: u32) {
    use crate::tab_lock::{request, TabState};
    request(
        false,
        Callback::from(move |s| {
            if s == TabState::Elsewhere && tries > 1 {
                let state = state.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    yew::platform::time::sleep(std::time::Duration::from_millis(250)).await;
                    ask(state, tries - 1);
                });
            } else {
                state.set(s);
            }
        }),
    );
}

/// How requests reach the simulated cloud (the worker's bridge; a stand-in in tests).
pub type Sender = std::rc::Rc<dyn Fn(Request)>;

/// How the portal connects to the simulated cloud: given where its responses go, it returns how
/// requests are sent. Called once per portal.
#[derive(Clone)]
pub struct Connect(pub std::rc::Rc<dyn Fn(Callback<cmk_worker::Response>) -> Sender>);

impl PartialEq for Connect {
    fn eq(&self, other: &Self) -> bool {
        std::rc::Rc::ptr_eq(&self.0, &other.0)
    }
}

/// The portal around the worker that owns the world: spawns it and says Hello.
#[function_component(Portal)]
fn portal() -> Html {
    let connect = use_memo((), |_| {
        Connect(std::rc::Rc::new(|on_response: Callback<cmk_worker::Response>| {
            let bridge = Host::spawner()
                .encoding::<WireCodec>()
                .callback(move |r| on_response.emit(r))
                .spawn_with_loader(WORKER_LOADER);
            bridge.send(Request::Hello);
            std::rc::Rc::new(move |request| bridge.send(request)) as Sender
        }))
    });
    html! { <PortalWith connect={(*connect).clone()} /> }
}

#[derive(Properties, PartialEq)]
pub struct PortalProps {
    pub connect: Connect,
}

/// Both portals, the clock bar and the Cloud Shell, around whatever `connect` reaches (the real
/// page's worker; the wasm tests' stand-in, so they count the real portal's renders).
#[function_component(PortalWith)]
pub fn portal_with(props: &PortalProps) -> Html {
    let store = use_reducer(Store::default);
    let next_id = use_mut_ref(|| Cell::new(1u64));
    let bridge = {
        let (dispatcher, connect) = (store.dispatcher(), props.connect.clone());
        use_memo((), move |_| (connect.0)(Callback::from(move |r| dispatcher.dispatch(Action::Worker(Box::new(r))))))
    };
    let bridge: Sender = (*bridge).clone();
    let doors = use_doors(&bridge, store.dispatcher(), next_id);
    use_worker_watch(store.dispatcher());
    // The Cloud Shell pane: open or closed, with callbacks made once (new ones on every render
    // would re-render the pane, and the top bar, whenever the portal renders).
    let shell_open = use_reducer(ShellPane::default);
    let (toggle_shell, close_shell) = {
        let pane = shell_open.dispatcher();
        let made = use_memo((), move |_| {
            let close = pane.clone();
            (Callback::from(move |_: MouseEvent| pane.dispatch(false)), Callback::from(move |()| close.dispatch(true)))
        });
        (*made).clone()
    };
    let route = use_route();
    {
        // Another page or persona: the last one's error toasts go.
        let dispatcher = store.dispatcher();
        let who = store.view.as_ref().map(|v| v.signed_in.user_principal_name.clone());
        use_effect_with((route.clone(), who), move |_| dispatcher.dispatch(Action::Moved));
    }
    let dismiss = {
        let d = store.dispatcher();
        Callback::from(move |id| d.dispatch(Action::Dismiss(id)))
    };

    // Below the clock bar whatever its height (inside the portal's frame, which does not scroll);
    // on the screens without a frame, at the top of the window.
    let toasts = html! { <Notifications items={store.notifications.clone()} on_dismiss={dismiss} /> };
    let mut toasts_in_frame = false;
    let content = match (&store.phase, &store.view) {
        (Phase::LoadProblem { .. } | Phase::Failed { .. } | Phase::DidNotStart, _) => {
            stopped(&store.phase, &bridge, &doors.playground, &store.results)
        }
        // The portal's frame at once, while the worker reads the save (its world fills it).
        (_, None) => starting_frame(&route),
        (_, Some(view)) => {
            toasts_in_frame = true;
            let ctx = AppContext {
                view: view.clone(),
                results: store.results.clone(),
                pending: store.pending.clone(),
                send: doors.send.clone(),
                query: doors.query.clone(),
                shell: doors.shell.clone(),
                upload: doors.upload.clone(),
                playground: doors.playground.clone(),
                what_if: doors.what_if.clone(),
                keep: doors.keep.clone(),
            };
            html! {
                <ContextProvider<AppContext> context={ctx}>
                    <TopBar view={view.clone()} on_command={doors.send.clone()} busy={store.pending.len()} on_shell={toggle_shell} ppac={route.is_ppac()} notices={store.notices.clone()} />
                    <ClockBar />
                    <crate::components::ShareOpener />
                    <div class={classes!("shell", route.is_ppac().then_some("ppac"))}>
                        if let Route::Ppac(r) = &route {
                            <crate::pages::ppac::PpacNav route={r.clone()} />
                        } else {
                            <LeftNav route={route.clone()} />
                        }
                        <main class="main" id="main">
                            if let Some(problem) = &store.save_problem {
                                <MessageBar kind={MessageKind::Warning}>
                                    <span data-testid="save-problem">{ problem.clone() }{" Use Export in the clock bar to keep your work in a file."}</span>
                                    if store.aside_unsaved { {" "}<ExportAside go={doors.playground.clone()} results={store.results.clone()} /> }
                                </MessageBar>
                            }
                            for message in store.kept_aside.iter() {
                                <MessageBar kind={MessageKind::Warning}>
                                    <span>{ message.clone() }</span>{" "}
                                    <ExportAside go={doors.playground.clone()} results={store.results.clone()} />
                                </MessageBar>
                            }
                            { page(&route) }
                        </main>
                        <crate::components::ScenarioGuide />
                        { toasts.clone() }
                    </div>
                    // Kept mounted while closed, so its log and history survive closing the pane.
                    <CloudShell on_close={close_shell} open={shell_open.0} />
                </ContextProvider<AppContext>>
            }
        }
    };
    html! {
        <>
            <a class="skip-link" href="#main">{"Skip to content"}</a>
            { content }
            if !toasts_in_frame { { toasts } }
        </>
    }
}

/// Whether the Cloud Shell pane is open. Its action: `true` closes it, `false` toggles it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct ShellPane(bool);

impl Reducible for ShellPane {
    type Action = bool;

    fn reduce(self: std::rc::Rc<Self>, close: bool) -> std::rc::Rc<Self> {
        std::rc::Rc::new(Self(!close && !self.0))
    }
}

/// The context's doors into the worker, made once: the bridge, the dispatcher and the id counter
/// never change, so the callbacks stay equal across renders and a consumer re-renders only when
/// its data changes (the wasm test `a_page_renders_again_only_when_what_it_reads_changed`).
#[hook]
fn use_doors(
    bridge: &Sender,
    dispatcher: UseReducerDispatcher<Store>,
    next_id: std::rc::Rc<std::cell::RefCell<Cell<u64>>>,
) -> std::rc::Rc<Doors> {
    let bridge = bridge.clone();
    use_memo((), move |_| {
        let door = |make: fn(u64, Command) -> (String, bool, Request)| {
            sending(bridge.clone(), dispatcher.clone(), next_id.clone(), make)
        };
        let send = door(|id, command| (command.label(), false, Request::Execute { id, command }));
        let query = door(|id, command| (command.label(), true, Request::Execute { id, command }));
        let what_if = door(|id, command| ("What if".into(), true, Request::WhatIf { id, command }));
        let shell = sending(bridge.clone(), dispatcher.clone(), next_id.clone(), |id, line: String| {
            (line.clone(), true, Request::Shell { id, line })
        });
        let upload =
            sending(bridge.clone(), dispatcher.clone(), next_id.clone(), |id, (name, text): (String, String)| {
                // A .zip arrives as its bytes in base64 (`form::on_files_text`): the worker unpacks it.
                let archive = name.to_ascii_lowercase().ends_with(".zip");
                (format!("Upload {name}"), true, Request::PutFile { id, name, text, archive })
            });
        let playground = sending(bridge.clone(), dispatcher.clone(), next_id.clone(), |id, what: Playground| {
            let quiet = matches!(
                what,
                Playground::Export
                    | Playground::ExportScript
                    | Playground::ExportPowerShell
                    | Playground::ShareLink
                    | Playground::ReadShare(_)
                    | Playground::ExportAside
                    | Playground::Complete(_)
                    | Playground::ReadFile(_)
                    | Playground::ListFiles
            );
            let label = what.label().into();
            let request = match what {
                Playground::Export => Request::Export { id },
                Playground::Import(text) => Request::Import { id, text },
                Playground::Reset => Request::ResetPlayground { id },
                Playground::Undo => Request::Undo { id },
                Playground::ExportScript => Request::ExportScript { id, powershell: false },
                Playground::ExportPowerShell => Request::ExportScript { id, powershell: true },
                Playground::ShareLink => Request::ShareLink { id },
                Playground::ReadShare(code) => Request::ReadShare { id, code },
                Playground::RunScript(script) => Request::RunScript { id, script },
                Playground::StartScenario(scenario) => Request::StartScenario { id, scenario },
                Playground::ExportAside => Request::ExportAside { id },
                Playground::Complete(line) => Request::Complete { id, line },
                Playground::ReadFile(name) => Request::ReadFile { id, name },
                Playground::ListFiles => Request::ListFiles { id },
            };
            (label, quiet, request)
        });
        let keep = Callback::from(move |ids| dispatcher.dispatch(Action::Keep(ids)));
        Doors { send, query, shell, upload, playground, what_if, keep }
    })
}

/// Watches the worker: it says when it fails (panic or error) on a broadcast channel, and one
/// that cannot start never answers, so after a while the page says so instead of "Starting…".
#[hook]
fn use_worker_watch(dispatcher: UseReducerDispatcher<Store>) {
    {
        // The worker says when it fails (panic or error) on a broadcast channel.
        let dispatcher = dispatcher.clone();
        use_effect_with((), move |_| {
            let channel = web_sys::BroadcastChannel::new(cmk_worker::fault::CHANNEL).ok();
            let on_message = wasm_bindgen::closure::Closure::<dyn FnMut(web_sys::MessageEvent)>::new(
                move |e: web_sys::MessageEvent| {
                    dispatcher.dispatch(Action::WorkerFailed(e.data().as_string().unwrap_or_default()));
                },
            );
            if let Some(c) = &channel {
                use wasm_bindgen::JsCast;
                c.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            }
            move || {
                if let Some(c) = channel {
                    c.set_onmessage(None);
                    c.close();
                }
                drop(on_message);
            }
        });
    }
    {
        // A worker that cannot start never answers: after a while, say so instead of "Starting…".
        let dispatcher = dispatcher.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                yew::platform::time::sleep(std::time::Duration::from_secs(START_DEADLINE_SECS)).await;
                dispatcher.dispatch(Action::StartDeadline);
            });
        });
    }
}

#[derive(Properties, PartialEq)]
struct ExportAsideProps {
    go: Callback<Playground, u64>,
    results: crate::store::Results,
}

/// Export the unreadable save: what this run kept aside, downloaded as a file.
#[function_component(ExportAside)]
fn export_aside(props: &ExportAsideProps) -> Html {
    let request = use_state(|| None::<u64>);
    let local_error = use_state(|| None::<String>);
    let done = request.and_then(|id| props.results.get(&id).cloned());
    {
        let local_error = local_error.clone();
        crate::pages::form::use_on_answer(*request, done.clone(), move |_, answer| {
            if let cmk_worker::Answer::Text(text) = answer {
                let file = "cmk-playground-unreadable-save.json";
                local_error.set(crate::components::clock_bar::download(file, text).err());
            }
        });
    }
    let onclick = {
        let (go, request, local_error) = (props.go.clone(), request.clone(), local_error.clone());
        Callback::from(move |_: MouseEvent| {
            local_error.set(None);
            request.set(Some(go.emit(Playground::ExportAside)));
        })
    };
    let failed =
        (*local_error).clone().or_else(|| done.and_then(|d| d.result.as_ref().err().map(|e| e.message().to_string())));
    html! {
        <>
            <button class="link-button" {onclick}>{"Export the unreadable save"}</button>
            if let Some(message) = failed { <span class="bad" role="alert">{ message }</span> }
        </>
    }
}

/// The screens shown instead of the portal when the save cannot be opened or the worker stopped.
fn stopped(phase: &Phase, bridge: &Sender, go: &Callback<Playground, u64>, results: &crate::store::Results) -> Html {
    match phase {
        Phase::LoadProblem { message } => {
            let fresh = {
                let b = bridge.clone();
                Callback::from(move |_| b(Request::StartFresh))
            };
            html! {
                <main class="load-problem" data-testid="load-problem">
                    <h1>{"Your saved playground could not be opened"}</h1>
                    <MessageBar kind={MessageKind::Error}>{ message.clone() }</MessageBar>
                    <p>{"Nothing has been overwritten. You can start a new playground: the unreadable save is kept aside in this browser's storage (as a 'rejected' entry), not deleted; the new playground is saved only once it has been."}</p>
                    <div class="actions">
                        <button class="primary" onclick={fresh} data-testid="start-fresh">{"Keep it aside and start fresh"}</button>
                        <ExportAside go={go.clone()} results={results.clone()} />
                    </div>
                </main>
            }
        }
        Phase::Failed { message } => html! {
            <main class="load-problem" data-testid="worker-failed">
                <h1>{"The simulated cloud stopped"}</h1>
                <MessageBar kind={MessageKind::Error}>{ message.clone() }</MessageBar>
                <p>{"Your playground is kept as it was last saved (after the last change that completed). Reload to go on from there."}</p>
                <button class="primary" onclick={reload()}>{"Reload"}</button>
            </main>
        },
        Phase::DidNotStart => html! {
            <main class="load-problem" data-testid="did-not-start">
                <h1>{"The simulated cloud did not start"}</h1>
                <MessageBar kind={MessageKind::Error}>{ format!("Its worker has not answered in {START_DEADLINE_SECS} seconds: its files may have failed to load, or this browser blocks Web Workers or WebAssembly.") }</MessageBar>
                <p>{"Nothing ran, so your saved playground is untouched. Reload to try again."}</p>
                <button class="primary" onclick={reload()}>{"Reload"}</button>
            </main>
        },
        _ => Html::default(),
    }
}

/// The portal's frame at once, while the worker reads the save (its world fills it).
fn starting_frame(route: &Route) -> Html {
    html! {
        <>
            <header class={classes!("topbar", route.is_ppac().then_some("ppac"))} data-testid="chrome">
                if route.is_ppac() {
                    <span class="brand">{"Power Platform admin center"}<span class="brand-tag">{"CMK Playground"}</span></span>
                } else {
                    <span class="brand">{"Microsoft Azure"}<span class="brand-tag">{"CMK Playground"}</span></span>
                }
            </header>
            <div class={classes!("shell", route.is_ppac().then_some("ppac"))}>
                if !route.is_ppac() { <LeftNav route={route.clone()} /> }
                <main class="main starting" id="main" role="status"><span class="spinner"></span>{" Starting the simulated cloud…"}</main>
            </div>
        </>
    }
}

/// The page's doors into the worker, as the context hands them to the pages.
struct Doors {
    send: Callback<Command, u64>,
    query: Callback<Command, u64>,
    shell: Callback<String, u64>,
    upload: Callback<(String, String), u64>,
    playground: Callback<Playground, u64>,
    what_if: Callback<Command, u64>,
    keep: Callback<Vec<u64>>,
}

/// A door into the worker: each call takes the next request id, records the request (its label,
/// and whether it is `quiet`, raising no notification), sends what `make` builds and returns the id.
fn sending<T: 'static>(
    bridge: Sender,
    dispatcher: UseReducerDispatcher<Store>,
    next_id: std::rc::Rc<std::cell::RefCell<Cell<u64>>>,
    make: impl Fn(u64, T) -> (String, bool, Request) + 'static,
) -> Callback<T, u64> {
    Callback::from(move |input: T| {
        let id = next_id.borrow().get();
        next_id.borrow().set(id + 1);
        let (label, quiet, request) = make(id, input);
        dispatcher.dispatch(Action::Sent { id, label, quiet });
        bridge(request);
        id
    })
}

/// The page for a route.
pub fn page(route: &Route) -> Html {
    match route {
        Route::Home => html! { <HomePage /> },
        Route::ResourceGroups => html! { <ResourceGroupsPage /> },
        Route::KeyVaults => html! { <KeyVaultsPage /> },
        Route::CreateVault => html! { <CreateVaultPage /> },
        Route::Vault { vault } => html! { <VaultPage vault={vault.clone()} /> },
        Route::GenerateKey { vault } => html! { <GenerateKeyPage vault={vault.clone()} /> },
        Route::Key { vault, key } => html! { <KeyPage vault={vault.clone()} name={key.clone()} /> },
        Route::KeyVersion { vault, key, version } => {
            html! { <KeyVersionPage vault={vault.clone()} name={key.clone()} version={version.clone()} /> }
        }
        Route::VaultNetworking { vault } => html! { <VaultNetworkingPage vault={vault.clone()} /> },
        Route::VaultProperties { vault } => html! { <VaultPropertiesPage vault={vault.clone()} /> },
        Route::AccessPolicies { vault } => html! { <AccessPoliciesPage vault={vault.clone()} /> },
        Route::VaultKeys { vault } => html! { <crate::pages::azure::vault::VaultKeysPage vault={vault.clone()} /> },
        Route::VaultAccessConfiguration { vault } => {
            html! { <VaultPropertiesPage vault={vault.clone()} access_configuration=true /> }
        }
        Route::VaultItem { vault, item } => {
            html! { <crate::pages::azure::vault_menu::VaultItemPage vault={vault.clone()} item={item.clone()} /> }
        }
        Route::Subscriptions => html! { <SubscriptionsPage /> },
        Route::Subscription => html! { <crate::pages::azure::resource_group::SubscriptionPage /> },
        Route::SubscriptionItem { item } => {
            html! { <crate::pages::azure::resource_group::SubscriptionItemPage item={item.clone()} /> }
        }
        Route::ResourceGroup { group } => {
            html! { <crate::pages::azure::resource_group::ResourceGroupPage group={group.clone()} /> }
        }
        Route::Deployment { group, name } => html! {
            <crate::pages::azure::resource_group::DeploymentPage group={group.clone()} name={name.clone()} />
        },
        Route::ResourceGroupItem { group, item } => html! {
            <crate::pages::azure::resource_group::ResourceGroupPage group={group.clone()} item={Some(AttrValue::from(item.clone()))} />
        },
        Route::ResourceProviders => html! { <ResourceProvidersPage /> },
        Route::Users => html! { <UsersPage /> },
        Route::User { id } => html! { <UserPage id={id.clone()} /> },
        Route::AccessControl { scope } => html! { <AccessControlPage scope={scope.clone()} /> },
        Route::AddRoleAssignment { scope } => html! { <AddRoleAssignmentPage scope={scope.clone()} /> },
        Route::DeployTemplate => html! { <DeployTemplatePage /> },
        Route::DeletedVaults => html! { <DeletedVaultsPage /> },
        Route::CreateHsm => html! { <CreateHsmPage /> },
        Route::EnterprisePolicies => html! { <EnterprisePoliciesPage /> },
        Route::EnterprisePolicy { name } => html! { <EnterprisePolicyPage name={name.clone()} /> },
        Route::EnterprisePolicyItem { name, item } => {
            html! { <EnterprisePolicyPage name={name.clone()} item={Some(AttrValue::from(item.clone()))} /> }
        }
        Route::ResourceGraph => html! { <ResourceGraphPage /> },
        Route::Scenarios => html! { <crate::pages::scenarios::ScenariosPage /> },
        Route::Ppac(r) => crate::pages::ppac::page(r),
        Route::NotFound { path } => html! {
            <section class="blade"><h1 data-testid="blade-title">{"Page not found"}</h1><p>{ format!("Nothing lives at '{path}'. ") }<a href="#/home">{"Go home"}</a></p></section>
        },
    }
}

#[derive(Properties, PartialEq)]
pub struct LeftNavProps {
    pub route: Route,
}

/// The portal menu. Links are plain anchors: Tab and Enter work.
#[function_component(LeftNav)]
pub fn left_nav(props: &LeftNavProps) -> Html {
    let item = |label: &'static str, icon: IconName, target: Route, active: bool| {
        html! {
            <li><a href={target.href()} class={classes!(active.then_some("active"))} aria-current={active.then_some("page")}>
                <span class="nav-icon"><Icon name={icon} /></span>{ label }
            </a></li>
        }
    };
    let r = &props.route;
    let in_vaults = matches!(
        r,
        Route::KeyVaults
            | Route::CreateVault
            | Route::Vault { .. }
            | Route::GenerateKey { .. }
            | Route::VaultNetworking { .. }
            | Route::VaultProperties { .. }
            | Route::AccessPolicies { .. }
            | Route::VaultKeys { .. }
            | Route::VaultAccessConfiguration { .. }
            | Route::VaultItem { .. }
            | Route::DeletedVaults
            | Route::CreateHsm
            | Route::Key { .. }
            | Route::KeyVersion { .. }
    );
    html! {
        <nav class="leftnav" aria-label="Portal menu">
            <ul>
                { item("Home", IconName::Home, Route::Home, *r == Route::Home) }
                { item("Subscriptions", IconName::ResourceGroup, Route::Subscriptions, matches!(r, Route::Subscriptions | Route::Subscription | Route::SubscriptionItem { .. } | Route::ResourceProviders)) }
                { item("Microsoft Entra ID", IconName::Home, Route::Users, matches!(r, Route::Users | Route::User { .. })) }
                { item("Resource groups", IconName::ResourceGroup, Route::ResourceGroups, matches!(r, Route::ResourceGroups | Route::ResourceGroup { .. } | Route::ResourceGroupItem { .. } | Route::Deployment { .. })) }
                { item("Key vaults", IconName::Key, Route::KeyVaults, in_vaults) }
                { item("Enterprise policies", IconName::Key, Route::EnterprisePolicies, matches!(r, Route::EnterprisePolicies | Route::EnterprisePolicy { .. } | Route::EnterprisePolicyItem { .. })) }
                { item("Deploy a custom template", IconName::Add, Route::DeployTemplate, *r == Route::DeployTemplate) }
                { item("Resource Graph Explorer", IconName::Home, Route::ResourceGraph, *r == Route::ResourceGraph) }
                { item("Scenarios", IconName::Home, Route::Scenarios, *r == Route::Scenarios) }
            </ul>
        </nav>
    }
}
