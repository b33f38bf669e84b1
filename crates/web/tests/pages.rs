//! Components rendered in headless Chromium: real DOM, real clicks, assertions on data-testid.

// Helpers outside #[test] fns assert with expect(): a failed fixture is a failed test.
#![allow(clippy::expect_used)]

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use base64::Engine as _;
use cmk_core::{Command, CreateVault, PrivateKeyDer, SimTime, World};
use cmk_web::context::AppContext;
use cmk_web::route::Route;
use rand_chacha::rand_core::SeedableRng;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

const KAI: &str = "kai@contoso.onmicrosoft.com";

#[derive(Properties, PartialEq)]
struct HarnessProps {
    ctx: AppContext,
    page: Route,
}

#[function_component(Harness)]
fn harness(props: &HarnessProps) -> Html {
    html! { <ContextProvider<AppContext> context={props.ctx.clone()}>{ cmk_web::app::page(&props.page) }</ContextProvider<AppContext>> }
}

/// A world where Kai has a resource group and a vault; `rbac` picks the permission model.
fn world(rbac: bool, with_key: bool) -> World {
    let mut w = World::new();
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(1);
    let kai = w.user_by_upn(KAI).map(|u| u.object_id.clone()).unwrap_or_default();
    let t = SimTime::GENESIS;
    w.execute(&kai, Command::SignIn { upn: KAI.into() }, t, &mut rng).expect("sign in");
    w.execute(
        &kai,
        Command::CreateResourceGroup { name: "rg-cmk".into(), location: "westeurope".into(), tags: Default::default() },
        t,
        &mut rng,
    )
    .expect("rg");
    let mut v = CreateVault::new("kv-cmk", "rg-cmk", "westeurope");
    v.enable_rbac_authorization = rbac;
    w.execute(&kai, Command::CreateVault(v), t, &mut rng).expect("vault");
    if with_key {
        let pem = include_str!("../../core/tests/fixtures/rsa2048-1.pem");
        let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
        let der = base64::engine::general_purpose::STANDARD.decode(body).expect("fixture");
        let mut k = cmk_core::CreateKey::rsa("kv-cmk", "cmk", 2048);
        k.pregenerated = Some(PrivateKeyDer(zeroize::Zeroizing::new(der)));
        w.execute(&kai, Command::CreateKey(k), t, &mut rng).expect("key");
    }
    w
}

fn context(world: &World, sent: Rc<RefCell<Vec<Command>>>) -> AppContext {
    let send = Callback::from(move |c: Command| {
        sent.borrow_mut().push(c);
        1
    });
    AppContext {
        view: cmk_web::context::SharedView(Rc::new(world.view())),
        results: Rc::default(),
        pending: Rc::default(),
        send: send.clone(),
        query: send,
        shell: Callback::from(|_| 0),
        upload: Callback::from(|_| 0),
        playground: Callback::from(|_| 0),
        what_if: Callback::from(|_| 0),
        keep: Callback::noop(),
    }
}

async fn render(ctx: AppContext, page: Route) -> Element {
    let document = gloo_document();
    let root = document.create_element("div").expect("div");
    document.body().expect("body").append_child(&root).expect("append");
    yew::Renderer::<Harness>::with_root_and_props(root.clone(), HarnessProps { ctx, page }).render();
    yew::platform::time::sleep(Duration::ZERO).await;
    root
}

fn gloo_document() -> web_sys::Document {
    web_sys::window().and_then(|w| w.document()).expect("document")
}

fn by_testid(root: &Element, id: &str) -> Element {
    root.query_selector(&format!("[data-testid='{id}']"))
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("no element with data-testid={id}"))
}

#[wasm_bindgen_test]
async fn key_vaults_blade_lists_the_vaults_the_persona_can_read() {
    let root = render(context(&world(false, false), Rc::default()), Route::KeyVaults).await;
    assert_eq!(by_testid(&root, "blade-title").text_content().as_deref(), Some("Key vaults"));
    let table = by_testid(&root, "vault-table").text_content().unwrap_or_default();
    assert!(table.contains("kv-cmk"), "{table}");
    assert!(table.contains("West Europe"), "{table}");
    assert!(table.contains("rg-cmk"), "{table}");
}

#[wasm_bindgen_test]
async fn vault_blade_shows_keys_or_the_rbac_refusal() {
    // SPEC AUTH-5: the portal shows the data-plane refusal in place of the key list (Key vault ›
    // Objects › Keys, as the documents name it).
    let root = render(context(&world(true, false), Rc::default()), Route::VaultKeys { vault: "kv-cmk".into() }).await;
    let text = root.text_content().unwrap_or_default();
    assert!(text.contains("ForbiddenByRbac"), "{text}");
    assert!(root.query_selector("[data-testid='key-table']").ok().flatten().is_none());

    let sent: Rc<RefCell<Vec<Command>>> = Rc::default();
    let root = render(context(&world(false, true), sent.clone()), Route::VaultKeys { vault: "kv-cmk".into() }).await;
    let keys = by_testid(&root, "key-table").text_content().unwrap_or_default();
    assert!(keys.contains("cmk") && keys.contains("RSA 2048") && keys.contains("Enabled"), "{keys}");
    // Issue 32 item 3: tick a key, then Delete from the command bar; it asks first, listing it.
    assert!(toolbar_button(&root, "Delete").disabled(), "nothing selected");
    check(&root, "Select key cmk").await;
    click(&root, "[role='toolbar'] button", "Delete");
    tick().await;
    assert!(sent.borrow().is_empty(), "asks first");
    assert_eq!(by_testid(&root, "confirm-list").text_content().as_deref(), Some("cmk"));
    click(&root, "[role='dialog'] button", "Delete");
    tick().await;
    assert!(
        matches!(sent.borrow().as_slice(), [Command::DeleteKey { vault, name }] if vault == "kv-cmk" && name == "cmk")
    );
}

#[wasm_bindgen_test]
async fn generate_form_sends_the_create_key_command() {
    let sent: Rc<RefCell<Vec<Command>>> = Rc::default();
    let root = render(context(&world(false, false), sent.clone()), Route::GenerateKey { vault: "kv-cmk".into() }).await;
    let name: HtmlInputElement = by_testid(&root, "key-name").dyn_into().expect("input");
    name.set_value("cmk-pp");
    name.dispatch_event(&web_sys::InputEvent::new("input").expect("event")).expect("dispatch");
    let size: HtmlSelectElement = by_testid(&root, "key-size").dyn_into().expect("select");
    size.set_value("3072");
    size.dispatch_event(&web_sys::Event::new("change").expect("event")).expect("dispatch");
    let exp: HtmlInputElement = by_testid(&root, "key-exp").dyn_into().expect("input");
    exp.set_value("2027-01-01T00:00");
    exp.dispatch_event(&web_sys::InputEvent::new("input").expect("event")).expect("dispatch");
    yew::platform::time::sleep(Duration::ZERO).await;
    by_testid(&root, "key-submit").dyn_into::<HtmlElement>().expect("button").click();
    yew::platform::time::sleep(Duration::ZERO).await;
    let sent = sent.borrow();
    match sent.as_slice() {
        [Command::CreateKey(k)] => {
            assert_eq!((k.vault.as_str(), k.name.as_str(), k.size), ("kv-cmk", "cmk-pp", 3072));
            assert_eq!(k.expires.map(SimTime::to_iso).as_deref(), Some("2027-01-01T00:00:00Z"));
            assert!(k.enabled && k.pregenerated.is_none());
        }
        other => panic!("expected one CreateKey, got {other:?}"),
    }
}

#[wasm_bindgen_test]
async fn import_without_a_file_is_refused_without_sending() {
    let sent: Rc<RefCell<Vec<Command>>> = Rc::default();
    let root = render(context(&world(false, false), sent.clone()), Route::GenerateKey { vault: "kv-cmk".into() }).await;
    let option: HtmlSelectElement = by_testid(&root, "key-options").dyn_into().expect("select");
    option.set_value("import");
    option.dispatch_event(&web_sys::Event::new("change").expect("event")).expect("dispatch");
    yew::platform::time::sleep(Duration::ZERO).await;
    assert!(root.query_selector("#key-file").ok().flatten().is_some(), "Import shows the file picker");
    assert!(root.query_selector("#key-size").ok().flatten().is_none(), "and no key size");
    by_testid(&root, "key-submit").dyn_into::<HtmlElement>().expect("button").click();
    yew::platform::time::sleep(Duration::ZERO).await;
    assert!(sent.borrow().is_empty(), "nothing sent");
    let text = root.text_content().unwrap_or_default();
    assert!(text.contains("MissingParameter") && text.contains("key file"), "{text}");
}

#[wasm_bindgen_test]
fn routes_round_trip_through_the_hash() {
    for r in [
        Route::Home,
        Route::ResourceGroups,
        Route::KeyVaults,
        Route::CreateVault,
        Route::Vault { vault: "kv".into() },
        Route::GenerateKey { vault: "kv".into() },
        Route::Key { vault: "kv".into(), key: "cmk".into() },
        Route::KeyVersion { vault: "kv".into(), key: "cmk".into(), version: "ab".repeat(16) },
        Route::VaultNetworking { vault: "kv".into() },
        Route::VaultProperties { vault: "kv".into() },
        Route::VaultKeys { vault: "kv".into() },
        Route::VaultAccessConfiguration { vault: "kv".into() },
        Route::VaultItem { vault: "kv".into(), item: "secrets".into() },
        Route::Subscription,
        Route::SubscriptionItem { item: "activitylog".into() },
        Route::ResourceGroup { group: "rg-cmk".into() },
        Route::ResourceGroupItem { group: "rg-cmk".into(), item: "tags".into() },
        Route::Deployment { group: "rg-cmk".into(), name: "ep-cmk".into() },
        Route::EnterprisePolicyItem { name: "ep".into(), item: "properties".into() },
        Route::Subscriptions,
        Route::ResourceProviders,
        Route::Users,
        Route::User { id: "3b1f6c2e-8d4a-4f0e-9c71-5a2d8e6f0a01".into() },
        Route::AccessControl {
            scope: "/subscriptions/0/resourceGroups/rg-cmk/providers/Microsoft.KeyVault/vaults/kv".into(),
        },
        Route::AddRoleAssignment { scope: "/subscriptions/0".into() },
        Route::DeployTemplate,
        Route::EnterprisePolicies,
        Route::EnterprisePolicy { name: "ep".into() },
        Route::ResourceGraph,
        Route::Ppac(cmk_web::route::PpacRoute::Environments),
        Route::Ppac(cmk_web::route::PpacRoute::Manage),
        Route::Ppac(cmk_web::route::PpacRoute::Security { data_and_privacy: false }),
        Route::Ppac(cmk_web::route::PpacRoute::Security { data_and_privacy: true }),
        Route::Ppac(cmk_web::route::PpacRoute::Environment {
            id: "e1".into(),
            tab: cmk_web::route::EnvironmentTab::Backups,
        }),
        Route::Ppac(cmk_web::route::PpacRoute::EnterprisePolicies { with_environments: true }),
        Route::Ppac(cmk_web::route::PpacRoute::EnterprisePolicy { name: "ep".into() }),
        Route::Ppac(cmk_web::route::PpacRoute::EditEnterprisePolicy { name: "ep".into() }),
    ] {
        assert_eq!(Route::parse(&r.href()), r);
    }
    assert_eq!(Route::parse(""), Route::Home);
    assert!(matches!(Route::parse("#/nowhere/x"), Route::NotFound { .. }));
}

#[wasm_bindgen_test]
fn the_store_keeps_a_bounded_number_of_results_and_shares_them() {
    use cmk_web::store::{Action, Store, KEPT_REFUSALS, KEPT_RESULTS};
    use yew::Reducible;
    let mut store = Rc::new(Store::default());
    // Ten refusals first (ids 0..10), then successes: the refusals outlast the successes' bound.
    let refused = |id: u64| id < 10;
    for id in 0..100u64 {
        store = store.reduce(Action::Sent { id, label: format!("command {id}"), quiet: true });
        let done = cmk_worker::Response::Done {
            id,
            label: format!("command {id}"),
            result: if refused(id) {
                Err(cmk_core::Error::new(cmk_core::ErrorCode::AuthorizationFailed, "refused"))
            } else {
                Ok(cmk_worker::Answer::Outcome(Box::new(cmk_core::Outcome::Json(serde_json::json!({ "n": id })))))
            },
            // The first answer's view is whole; after it nothing changes.
            view: if id == 0 { cmk_core::View::default().into() } else { cmk_core::view::ViewPatch::default() },
            millis: 1.0,
            note: None,
        };
        let before = store.results.clone();
        let view_before = store.view.clone();
        store = store.reduce(Action::Worker(Box::new(done)));
        if let (Some(held), Some(now)) = (&view_before, &store.view) {
            // An answer that changed nothing keeps the same view: nothing showing it renders.
            assert!(Rc::ptr_eq(&held.0, &now.0), "answer {id} made a new view out of an empty patch");
        }
        if let Some(kept) = before.get(&id.saturating_sub(1)) {
            // The result the page already holds is the same allocation, not a copy.
            assert!(Rc::ptr_eq(kept, &store.results[&(id - 1)]));
        }
    }
    assert_eq!(store.results.len(), KEPT_RESULTS + 10);
    let successes: Vec<u64> = store.results.iter().filter(|(_, r)| r.result.is_ok()).map(|(id, _)| *id).collect();
    assert_eq!(successes.len(), KEPT_RESULTS);
    assert_eq!(successes.first().copied(), Some(100 - KEPT_RESULTS as u64), "the oldest success dropped first");
    assert!((0..10).all(|id| store.results.contains_key(&id)), "every refusal is still there to be shown");
    assert!(store.pending.is_empty(), "every answered request left pending");
    // Refusals are bounded too, the oldest dropped first.
    for id in 100..(101 + KEPT_REFUSALS as u64) {
        store = store.reduce(Action::Sent { id, label: "refused".into(), quiet: true });
        let result = Err(cmk_core::Error::new(cmk_core::ErrorCode::AuthorizationFailed, "refused"));
        let view = cmk_core::view::ViewPatch::default();
        let done = cmk_worker::Response::Done { id, label: "refused".into(), result, view, millis: 1.0, note: None };
        store = store.reduce(Action::Worker(Box::new(done)));
    }
    let refusals: Vec<u64> = store.results.iter().filter(|(_, r)| r.result.is_err()).map(|(id, _)| *id).collect();
    assert_eq!(refusals.len(), KEPT_REFUSALS);
    // 10 + 257 refusals for 256 places: the first ten and id 100 went.
    assert_eq!(refusals.first().copied(), Some(101));
    assert_eq!(store.results.len(), KEPT_RESULTS + KEPT_REFUSALS, "the successes are untouched");
}

#[wasm_bindgen_test]
fn the_store_holds_the_cloud_shells_answers_until_they_are_released() {
    use cmk_web::store::{Action, Store, KEPT_RESULTS};
    use yew::Reducible;
    let mut store = Rc::new(Store::default());
    let answer = |id: u64| cmk_worker::Response::Done {
        id,
        label: format!("line {id}"),
        result: Ok(cmk_worker::Answer::Text(format!("printed {id}"))),
        view: if id == 1 { cmk_core::View::default().into() } else { cmk_core::view::ViewPatch::default() },
        millis: 1.0,
        note: None,
    };
    // Ten held lines (a runbook's first ones), then more answers than the store keeps, all
    // answered before anything reads them.
    for id in 1..=(10 + 2 * KEPT_RESULTS as u64) {
        store = store.reduce(Action::Sent { id, label: format!("line {id}"), quiet: true });
    }
    store = store.reduce(Action::Keep((1..=10).collect()));
    for id in 1..=(10 + 2 * KEPT_RESULTS as u64) {
        store = store.reduce(Action::Worker(Box::new(answer(id))));
    }
    assert!((1..=10).all(|id| store.results.contains_key(&id)), "every held line still has its answer");
    assert_eq!(store.results.len(), 10 + KEPT_RESULTS, "the others are bounded as before");
    // The log shows fewer lines (Ctrl+L, then a new line): what it no longer shows goes, the
    // rest stays.
    let newest = 10 + 2 * KEPT_RESULTS as u64;
    store = store.reduce(Action::Keep(vec![9, 10]));
    assert!((1..=8).all(|id| !store.results.contains_key(&id)));
    assert!(store.results.contains_key(&9) && store.results.contains_key(&10));
    store = store.reduce(Action::Keep(Vec::new()));
    assert!(store.results.contains_key(&newest), "an answer that was not held stays to its bound");
    assert_eq!(store.results.len(), KEPT_RESULTS);
    // A line held and let go before its answer comes (Ctrl+L while it runs): the answer is
    // bounded like any other; a line held again is counted apart.
    let (cleared, running) = (newest + 1, newest + 2);
    for id in [cleared, running] {
        store = store.reduce(Action::Sent { id, label: "line".into(), quiet: true });
    }
    store = store.reduce(Action::Keep(vec![cleared, running]));
    store = store.reduce(Action::Keep(vec![running]));
    for id in [cleared, running] {
        store = store.reduce(Action::Worker(Box::new(answer(id))));
    }
    assert_eq!(store.results.len(), KEPT_RESULTS + 1, "the cleared line's answer counts among the successes");
    // An answer that came before the log said it shows it (the page busy meanwhile) is held
    // from then on.
    let early = running + 1;
    store = store.reduce(Action::Sent { id: early, label: "line".into(), quiet: true });
    store = store.reduce(Action::Worker(Box::new(answer(early))));
    store = store.reduce(Action::Keep(vec![running, early]));
    for id in (early + 1)..(early + 1 + 2 * KEPT_RESULTS as u64) {
        store = store.reduce(Action::Sent { id, label: "other".into(), quiet: true });
        store = store.reduce(Action::Worker(Box::new(answer(id))));
    }
    assert!(store.results.contains_key(&running) && store.results.contains_key(&early));
    assert!(!store.results.contains_key(&cleared));
    // The log tells the store what it shows after every answer: the same lines change nothing,
    // so nothing renders again.
    let before = store.clone();
    store = store.reduce(Action::Keep(vec![running, early]));
    assert!(Rc::ptr_eq(&before, &store));
}

/// A world set up as the seeds leave it before the admin center: a purge-protected vault, a key
/// (fixture material), the enterprise policy with its identity granted, Priya Reader on it, and
/// Priya's managed environment `env-prod` (europe) plus an unmanaged one and one in another region.
fn ppac_world() -> World {
    use cmk_core::shell::{MemoryFiles, Shell};
    let mut files = MemoryFiles::default();
    files.0.insert("ep.json".into(), include_str!("../../../tests/scenarios/ep-contoso-cmk.json").into());
    let script = "sim seed 3
az login --username kai@contoso.onmicrosoft.com
az provider register --namespace Microsoft.PowerPlatform
az group create --name rg-cmk --location westeurope
az keyvault create --name kv-contoso-cmk --resource-group rg-cmk --location westeurope --enable-purge-protection true
KAI=$(az ad user show --id kai@contoso.onmicrosoft.com --query id -o tsv)
KV=$(az keyvault show --name kv-contoso-cmk --query id -o tsv)
az role assignment create --assignee $KAI --role \"Key Vault Crypto Officer\" --scope $KV
az keyvault key import --vault-name kv-contoso-cmk --name cmk --pem-file key.pem
az deployment group create --resource-group rg-cmk --template-file ep.json
EP=$(az graph query -q \"resources | where type =~ 'microsoft.powerplatform/enterprisepolicies'\" --query data[0].id -o tsv)
PID=$(az resource show --ids $EP --query identity.principalId -o tsv)
az role assignment create --assignee $PID --role \"Key Vault Crypto Service Encryption User\" --scope $KV
PRIYA=$(az ad user show --id priya@contoso.onmicrosoft.com --query id -o tsv)
az role assignment create --assignee $PRIYA --role Reader --scope $EP
az login --username priya@contoso.onmicrosoft.com
pp env create --name env-prod --region europe --type Production
pp env enable-managed --environment env-prod
pp env create --name env-plain --region europe --type Sandbox
pp env create --name env-us --region unitedstates --type Sandbox
pp env enable-managed --environment env-us
";
    files.0.insert("key.pem".into(), include_str!("../../core/tests/fixtures/rsa2048-1.pem").into());
    let mut w = World::new();
    let out = Shell::new([3; 32]).run_script(&mut w, script, &files);
    let failed: Vec<&String> = out.iter().filter(|l| l.contains("\"ok\":false")).collect();
    assert!(failed.is_empty(), "setup failed: {failed:?}");
    w
}

fn click(root: &Element, selector: &str, text: &str) {
    let list = root.query_selector_all(selector).expect("query");
    let found = (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.dyn_into::<HtmlElement>().ok())
        .find(|e| e.text_content().unwrap_or_default().trim() == text)
        .unwrap_or_else(|| panic!("no {selector} reading '{text}'"));
    found.click();
}

async fn tick() {
    yew::platform::time::sleep(Duration::ZERO).await;
}

#[wasm_bindgen_test]
async fn ppac_environments_list_and_new_environment() {
    let sent: Rc<RefCell<Vec<Command>>> = Rc::default();
    let root = render(context(&ppac_world(), sent.clone()), Route::parse("#/ppac/environments")).await;
    assert_eq!(by_testid(&root, "page-title").text_content().as_deref(), Some("Environments"));
    let table = by_testid(&root, "environment-table").text_content().unwrap_or_default();
    assert!(
        table.contains("env-prod") && table.contains("Production") && table.contains("Microsoft Managed key"),
        "{table}"
    );
    assert!(table.contains("United States"), "{table}");
    click(&root, "button", "New");
    tick().await;
    let name: HtmlInputElement = by_testid(&root, "env-name").dyn_into().expect("input");
    name.set_value("env-new");
    name.dispatch_event(&web_sys::InputEvent::new("input").expect("event")).expect("dispatch");
    tick().await;
    click(&root, "button", "Save");
    tick().await;
    let sent = sent.borrow().clone();
    match sent.as_slice() {
        [Command::CreateEnvironment { name, region, env_type, byok }] => {
            assert_eq!(
                (name.as_str(), region.as_str(), env_type.as_str(), *byok),
                ("env-new", "europe", "Sandbox", false)
            );
        }
        other => panic!("expected one CreateEnvironment, got {other:?}"),
    }
}

#[wasm_bindgen_test]
async fn ppac_refuses_a_persona_without_a_power_platform_role() {
    // SPEC AUTH-2: access denied, not an empty list.
    let mut w = ppac_world();
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(2);
    let priya = w.signed_in().to_string();
    let now = w.now();
    w.execute(&priya, Command::SignIn { upn: KAI.into() }, now, &mut rng).expect("kai");
    let root = render(context(&w, Rc::default()), Route::parse("#/ppac/enterprisepolicies")).await;
    let text = by_testid(&root, "access-denied").text_content().unwrap_or_default();
    assert!(text.contains("Power Platform Administrator") && text.contains("kai@"), "{text}");
}

#[wasm_bindgen_test]
async fn ppac_edit_policy_adds_only_eligible_environments_after_save_and_confirm() {
    // SPEC ENC-1: Add environments › Continue › Save › Confirm; the picker greys the others.
    let sent: Rc<RefCell<Vec<Command>>> = Rc::default();
    let root =
        render(context(&ppac_world(), sent.clone()), Route::parse("#/ppac/enterprisepolicies/policy/ep-contoso-cmk"))
            .await;
    assert_eq!(by_testid(&root, "policy-health").text_content().as_deref(), Some("Healthy"));
    click(&root, "button", "Edit policy");
    tick().await;
    click(&root, "button", "Add environments");
    tick().await;
    let items = root.query_selector_all(".pick-list li").expect("list");
    let mut eligible = None;
    for i in 0..items.length() {
        let li: Element = items.item(i).expect("li").dyn_into().expect("element");
        let text = li.text_content().unwrap_or_default();
        let input: HtmlInputElement =
            li.query_selector("input").ok().flatten().expect("box").dyn_into().expect("input");
        if text.contains("env-prod") {
            assert!(!input.disabled(), "{text}");
            eligible = Some(input);
        } else if text.contains("env-plain") {
            assert!(input.disabled() && text.contains("not a Managed Environment"), "{text}");
        } else if text.contains("env-us") {
            panic!("another region's environment is not listed (issue 30 point 4): {text}");
        }
    }
    let note = by_testid(&root, "other-regions").text_content().unwrap_or_default();
    assert!(note.starts_with("1 environment(s) in other regions are not listed"), "{note}");
    let input = eligible.expect("env-prod offered");
    input.set_checked(true);
    input.dispatch_event(&web_sys::Event::new("change").expect("event")).expect("dispatch");
    tick().await;
    click(&root, "button", "Continue");
    tick().await;
    assert!(sent.borrow().is_empty(), "nothing happens before Save and Confirm");
    click(&root, "button", "Save");
    tick().await;
    let dialog = root.query_selector("[role='dialog']").ok().flatten().expect("confirmation");
    let text = dialog.text_content().unwrap_or_default();
    assert!(
        text.contains("env-prod: disabled for about 1 hour while Encrypting") && text.contains("up to 4 days"),
        "{text}"
    );
    click(&root, "button", "Confirm");
    tick().await;
    let sent = sent.borrow().clone();
    match sent.as_slice() {
        [Command::AddEnvironmentToPolicy { policy, environment }] => {
            assert_eq!(policy, "ep-contoso-cmk");
            assert_eq!(environment, "env-prod", "commands name the environment");
        }
        other => panic!("expected one AddEnvironmentToPolicy, got {other:?}"),
    }
}

#[wasm_bindgen_test]
async fn ppac_locked_environment_shows_the_reason_the_countdown_and_re_enable() {
    // SPEC LOCK-1, LOCK-3: Environment disabled with the failed check and the deletion date.
    let mut w = ppac_world();
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(4);
    let as_ = |w: &World, upn: &str| w.user_by_upn(upn).map(|u| u.object_id.clone()).unwrap_or_default();
    let (priya, kai) = (as_(&w, "priya@contoso.onmicrosoft.com"), as_(&w, KAI));
    let t = w.now();
    w.execute(
        &priya,
        Command::AddEnvironmentToPolicy { policy: "ep-contoso-cmk".into(), environment: "env-prod".into() },
        t,
        &mut rng,
    )
    .expect("add");
    w.execute(&priya, Command::RunClock, t, &mut rng).expect("run");
    let t = w.now();
    let version = w
        .view()
        .environments
        .iter()
        .find(|d| d.summary.name == "env-prod")
        .and_then(|d| d.summary.key_version.clone())
        .expect("kid");
    let version = version.rsplit('/').next().expect("v").to_string();
    let disable = cmk_core::SetKeyAttributes {
        tags: Default::default(),
        vault: "kv-contoso-cmk".into(),
        name: "cmk".into(),
        version: Some(version),
        enabled: Some(false),
        expires: None,
        not_before: None,
        ops: None,
    };
    w.execute(&kai, Command::SetKeyAttributes(disable), t, &mut rng).expect("disable");
    w.advance(t.plus(cmk_core::SimDuration::hours(1)), &mut rng);
    let id =
        w.view().environments.iter().find(|d| d.summary.name == "env-prod").map(|d| d.summary.id.clone()).expect("id");
    let sent: Rc<RefCell<Vec<Command>>> = Rc::default();
    let root = render(context(&w, sent.clone()), Route::parse(&format!("#/ppac/environments/{id}"))).await;
    let banner = by_testid(&root, "environment-disabled").text_content().unwrap_or_default();
    assert!(banner.contains("Environment disabled") && banner.contains("KeyDisabled"), "{banner}");
    let countdown = by_testid(&root, "deletion-countdown").text_content().unwrap_or_default();
    assert!(countdown.contains("unless it is re-enabled") && countdown.contains("30 days 0 hours"), "{countdown}");
    click(&root, "button", "Re-enable environment");
    tick().await;
    assert!(matches!(sent.borrow().as_slice(), [Command::ReEnableEnvironment { .. }]));
}

#[wasm_bindgen_test]
async fn ppac_enterprise_policies_lists_policies_and_warns_without_reader() {
    // SPEC EP-8 (health), AUTH-7: without Reader the admin sees the policy and is told.
    let mut w = ppac_world();
    let root = render(context(&w, Rc::default()), Route::parse("#/ppac/enterprisepolicies")).await;
    let table = by_testid(&root, "policy-table").text_content().unwrap_or_default();
    assert!(
        table.contains("ep-contoso-cmk") && table.contains("kv-contoso-cmk") && table.contains("Healthy"),
        "{table}"
    );
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(5);
    let kai = w.user_by_upn(KAI).map(|u| u.object_id.clone()).unwrap_or_default();
    let priya = w.signed_in().to_string();
    let ep = w.find_policy("ep-contoso-cmk").expect("policy").id();
    let t = w.now();
    w.execute(&kai, Command::DeleteRoleAssignment { assignee: priya, role: "Reader".into(), scope: ep }, t, &mut rng)
        .expect("remove reader");
    let root =
        render(context(&w, Rc::default()), Route::parse("#/ppac/enterprisepolicies/policy/ep-contoso-cmk")).await;
    let text = root.text_content().unwrap_or_default();
    assert!(text.contains("you don't have the Reader role"), "{text}");
}

#[wasm_bindgen_test]
async fn ppac_environment_history_and_data_tabs() {
    let w = ppac_world();
    let id =
        w.view().environments.iter().find(|d| d.summary.name == "env-prod").map(|d| d.summary.id.clone()).expect("id");
    let root = render(context(&w, Rc::default()), Route::parse(&format!("#/ppac/environments/{id}/history"))).await;
    let history = by_testid(&root, "history-table").text_content().unwrap_or_default();
    assert!(
        history.contains("Enable Managed Environments") && history.contains("priya@contoso.onmicrosoft.com"),
        "{history}"
    );
    let sent: Rc<RefCell<Vec<Command>>> = Rc::default();
    let root = render(context(&w, sent.clone()), Route::parse(&format!("#/ppac/environments/{id}/data"))).await;
    click(&root, "button", "Add rows");
    tick().await;
    let sent = sent.borrow().clone();
    assert!(
        matches!(sent.as_slice(), [Command::InsertRows { environment, table, rows: 1000 }] if environment == "env-prod" && table == "account"),
        "{sent:?}"
    );
}

#[wasm_bindgen_test]
async fn access_policies_blade_lists_and_creates_a_policy() {
    // SPEC AUTH-4: the legacy model — Kai's own policy is listed; a new one is sent as set-policy.
    let sent: Rc<RefCell<Vec<Command>>> = Rc::default();
    let root =
        render(context(&world(false, false), sent.clone()), Route::AccessPolicies { vault: "kv-cmk".into() }).await;
    let table = by_testid(&root, "access-policy-table").text_content().unwrap_or_default();
    // Issue 30 point 8: the portal's names for the permissions, never the API's spelling.
    assert!(table.contains("Kai Keys") && table.contains("Wrap Key") && !table.contains("wrapKey"), "{table}");
    let form = root.query_selector("form").ok().flatten().and_then(|f| f.text_content()).unwrap_or_default();
    for words in ["Key Management Operations", "Cryptographic Operations", "Unwrap Key", "Get Rotation Policy"] {
        assert!(form.contains(words), "the form groups and names permissions as the portal: {form}");
    }
    assert!(!form.contains("getrotationpolicy") && !form.contains("unwrapKey"), "{form}");
    let who: HtmlSelectElement =
        root.query_selector("#ap-principal").ok().flatten().expect("principal").dyn_into().expect("select");
    let priya =
        world(false, false).user_by_upn("priya@contoso.onmicrosoft.com").map(|u| u.object_id.clone()).expect("priya");
    who.set_value(&priya);
    who.dispatch_event(&web_sys::Event::new("change").expect("event")).expect("dispatch");
    tick().await;
    click(&root, "button", "Create");
    tick().await;
    let sent = sent.borrow().clone();
    match sent.as_slice() {
        [Command::SetAccessPolicy { vault, object_id, permissions }] => {
            assert_eq!((vault.as_str(), object_id.as_str()), ("kv-cmk", priya.as_str()));
            assert_eq!(permissions, &["get", "unwrapKey", "wrapKey"]);
        }
        other => panic!("expected one SetAccessPolicy, got {other:?}"),
    }
    // Issue 32 item 3: select, then Delete from the command bar; it asks first, listing them.
    let sent: Rc<RefCell<Vec<Command>>> = Rc::default();
    let root =
        render(context(&world(false, false), sent.clone()), Route::AccessPolicies { vault: "kv-cmk".into() }).await;
    assert!(toolbar_button(&root, "Delete").disabled(), "nothing selected");
    check(&root, "Select access policy of Kai Keys").await;
    click(&root, "[role='toolbar'] button", "Delete");
    tick().await;
    assert!(sent.borrow().is_empty(), "asks first");
    assert!(by_testid(&root, "confirm-list").text_content().unwrap_or_default().contains("Kai Keys"));
    click(&root, "[role='dialog'] button", "Delete");
    tick().await;
    assert!(
        matches!(sent.borrow().as_slice(), [Command::DeleteAccessPolicy { vault, .. }] if vault == "kv-cmk"),
        "{:?}",
        sent.borrow()
    );
}

#[wasm_bindgen_test]
async fn manage_deleted_vaults_recovers_and_purges_after_confirmation() {
    // SPEC KV-9: soft-deleted vaults are listed with their purge date; Purge asks first.
    let mut w = world(false, false);
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(6);
    let kai = w.user_by_upn(KAI).map(|u| u.object_id.clone()).unwrap_or_default();
    let t = w.now();
    w.execute(&kai, Command::DeleteVault { name: "kv-cmk".into() }, t, &mut rng).expect("delete");
    let sent: Rc<RefCell<Vec<Command>>> = Rc::default();
    let root = render(context(&w, sent.clone()), Route::DeletedVaults).await;
    let table = by_testid(&root, "deleted-table").text_content().unwrap_or_default();
    assert!(table.contains("kv-cmk") && table.contains("2026-04-01"), "90 days of retention: {table}");
    // Issue 32 item 3: select, then act from the list's command bar.
    assert!(toolbar_button(&root, "Recover").disabled(), "nothing selected");
    check(&root, "Select kv-cmk").await;
    click(&root, "[role='toolbar'] button", "Recover");
    tick().await;
    check(&root, "Select kv-cmk").await;
    click(&root, "[role='toolbar'] button", "Purge");
    tick().await;
    assert_eq!(sent.borrow().len(), 1, "Purge waits for the confirmation");
    assert_eq!(by_testid(&root, "confirm-list").text_content().as_deref(), Some("kv-cmk"));
    click(&root, "[role='dialog'] button", "Purge");
    tick().await;
    let sent = sent.borrow().clone();
    assert!(
        matches!(sent.as_slice(), [Command::RecoverVault { name: a }, Command::PurgeVault { name: b }] if a == "kv-cmk" && b == "kv-cmk"),
        "{sent:?}"
    );
}

/// A context whose request 1 already answered `result` (to show a refusal as the worker sends it).
fn context_answered(
    world: &World,
    sent: Rc<RefCell<Vec<Command>>>,
    result: Result<cmk_worker::Answer, cmk_core::Error>,
) -> AppContext {
    let mut ctx = context(world, sent);
    let mut map = std::collections::BTreeMap::new();
    map.insert(1u64, Rc::new(cmk_web::store::Completed { label: "request".into(), result, millis: 0.0 }));
    ctx.results = Rc::new(map);
    ctx
}

fn refused(code: cmk_core::ErrorCode, message: &str) -> Result<cmk_worker::Answer, cmk_core::Error> {
    Err(cmk_core::Error::new(code, message))
}

#[wasm_bindgen_test]
async fn resource_providers_register_and_show_a_refusal() {
    let sent: Rc<RefCell<Vec<Command>>> = Rc::default();
    let root = render(context(&world(false, false), sent.clone()), Route::ResourceProviders).await;
    assert_eq!(by_testid(&root, "status-Microsoft.PowerPlatform").text_content().as_deref(), Some("NotRegistered"));
    // Microsoft.Resources is ARM itself: registered from the start, with nothing to register.
    assert_eq!(by_testid(&root, "status-Microsoft.Resources").text_content().as_deref(), Some("Registered"));
    // Issue 32 item 3: select, then act from the command bar.
    assert!(toolbar_button(&root, "Register").disabled(), "nothing selected, nothing to register");
    check(&root, "Select Microsoft.PowerPlatform").await;
    click(&root, "[role='toolbar'] button", "Register");
    tick().await;
    assert!(
        matches!(sent.borrow().as_slice(), [Command::RegisterProvider { namespace }] if namespace == "Microsoft.PowerPlatform"),
        "one provider acts at once"
    );
    // Several: a confirmation lists them, then each is registered.
    let sent: Rc<RefCell<Vec<Command>>> = Rc::default();
    let root = render(context(&world(false, false), sent.clone()), Route::ResourceProviders).await;
    check(&root, "Select Microsoft.PowerPlatform").await;
    check(&root, "Select Microsoft.Network").await;
    click(&root, "[role='toolbar'] button", "Register");
    tick().await;
    assert!(sent.borrow().is_empty(), "nothing before the confirmation");
    let listed = by_testid(&root, "confirm-list").text_content().unwrap_or_default();
    assert!(listed.contains("Microsoft.PowerPlatform") && listed.contains("Microsoft.Network"), "{listed}");
    click(&root, "[role='dialog'] button", "Register");
    tick().await;
    let names: Vec<String> = sent
        .borrow()
        .iter()
        .filter_map(|c| match c {
            Command::RegisterProvider { namespace } => Some(namespace.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(names, ["Microsoft.PowerPlatform", "Microsoft.Network"]);
    let root = render(
        context_answered(
            &world(false, false),
            Rc::default(),
            refused(cmk_core::ErrorCode::AuthorizationFailed, "no register action"),
        ),
        Route::ResourceProviders,
    )
    .await;
    check(&root, "Select Microsoft.PowerPlatform").await;
    click(&root, "[role='toolbar'] button", "Register");
    tick().await;
    assert!(
        root.text_content().unwrap_or_default().contains("AuthorizationFailed"),
        "the refusal is shown on the blade"
    );
}

#[wasm_bindgen_test]
async fn users_blade_searches_and_shows_the_object_id() {
    let w = world(false, false);
    let root = render(context(&w, Rc::default()), Route::Users).await;
    let table = by_testid(&root, "user-table").text_content().unwrap_or_default();
    assert!(table.contains("Priya Platform") && table.contains("Kai Keys"), "{table}");
    let priya = w.user_by_upn("priya@contoso.onmicrosoft.com").map(|u| u.object_id.clone()).expect("priya");
    let root = render(context(&w, Rc::default()), Route::User { id: priya.clone() }).await;
    assert_eq!(by_testid(&root, "object-id").text_content(), Some(priya));
    assert!(root.query_selector("button[aria-label='Copy Object ID']").ok().flatten().is_some());
}

#[wasm_bindgen_test]
async fn iam_lists_inherited_assignments_and_removes_after_confirmation() {
    let w = world(true, false);
    let vault_id = w.view().vaults[0].vault.id.clone();
    let sent: Rc<RefCell<Vec<Command>>> = Rc::default();
    let root = render(context(&w, sent.clone()), Route::AccessControl { scope: vault_id }).await;
    let table = by_testid(&root, "assignment-table").text_content().unwrap_or_default();
    assert!(table.contains("Owner") && table.contains("Inherited: Contoso Production (subscription)"), "{table}");
    let inherited: HtmlInputElement = root
        .query_selector("input[aria-label='Select Owner for Mallory Malicious']")
        .ok()
        .flatten()
        .expect("the row's checkbox")
        .dyn_into()
        .expect("input");
    assert!(inherited.disabled(), "inherited ones are removed where they are assigned");
    let sub = format!("/subscriptions/{}", w.view().subscription_id);
    let root = render(context(&w, sent.clone()), Route::AccessControl { scope: sub }).await;
    // Issue 32 item 3: select, then Remove from the command bar.
    assert!(toolbar_button(&root, "Remove").disabled(), "nothing selected");
    check(&root, "Select Owner for Mallory Malicious").await;
    click(&root, "[role='toolbar'] button", "Remove");
    tick().await;
    assert!(sent.borrow().is_empty(), "asks first");
    click(&root, "[role='dialog'] button", "Yes");
    tick().await;
    assert!(matches!(sent.borrow().as_slice(), [Command::DeleteRoleAssignment { role, .. }] if role == "Owner"));
}

#[wasm_bindgen_test]
async fn deploy_template_refuses_placeholders_then_sends_the_filled_template() {
    let sent: Rc<RefCell<Vec<Command>>> = Rc::default();
    let root = render(context(&world(false, false), sent.clone()), Route::DeployTemplate).await;
    click(&root, "button", "Build your own template in the editor");
    tick().await;
    click(&root, "button", "Save");
    tick().await;
    click(&root, "button", "Review + create");
    tick().await;
    let text = root.text_content().unwrap_or_default();
    assert!(text.contains("placeholder {EnterprisePolicyName}"), "{text}");
    assert_eq!(
        by_testid(&root, "error-line").text_content().as_deref(),
        Some(" (line 9)"),
        "with its line in the editor"
    );
    let create: web_sys::HtmlButtonElement =
        root.query_selector(".form-actions button.primary").ok().flatten().expect("create").dyn_into().expect("button");
    assert!(create.disabled(), "nothing to create yet");
    assert!(sent.borrow().is_empty());

    // Issue 30 point 9: Save refuses text that is not JSON, with its line and column.
    click(&root, "button", "Previous");
    tick().await;
    click(&root, "button", "Edit template");
    tick().await;
    let editor: web_sys::HtmlTextAreaElement =
        root.query_selector("textarea").ok().flatten().expect("editor").dyn_into().expect("textarea");
    editor.set_value("{\n  \"resources\": [,]\n}");
    editor.dispatch_event(&web_sys::InputEvent::new("input").expect("event")).expect("dispatch");
    tick().await;
    click(&root, "button", "Save");
    tick().await;
    let why = by_testid(&root, "template-json-error").text_content().unwrap_or_default();
    assert!(why.contains("not valid JSON") && why.contains("(line 2, column"), "{why}");
    assert!(!root.text_content().unwrap_or_default().contains("Project details"), "still in the editor");
}

#[wasm_bindgen_test]
async fn networking_asks_before_cutting_power_platform_off() {
    let sent: Rc<RefCell<Vec<Command>>> = Rc::default();
    let root =
        render(context(&world(false, false), sent.clone()), Route::VaultNetworking { vault: "kv-cmk".into() }).await;
    let radios = root.query_selector_all("input[name='public-access']").expect("radios");
    // All networks, specific networks, Disable public access: the portal's three choices.
    assert_eq!(radios.length(), 3);
    let disable: HtmlInputElement = radios.item(2).expect("disable").dyn_into().expect("input");
    disable.set_checked(true);
    disable.dispatch_event(&web_sys::Event::new("change").expect("event")).expect("dispatch");
    let bypass: HtmlInputElement =
        root.query_selector("input[type='checkbox']").ok().flatten().expect("bypass").dyn_into().expect("input");
    bypass.set_checked(false);
    bypass.dispatch_event(&web_sys::Event::new("change").expect("event")).expect("dispatch");
    tick().await;
    click(&root, "button", "Apply");
    tick().await;
    assert!(sent.borrow().is_empty(), "a dialog first");
    assert!(root.text_content().unwrap_or_default().contains("locks at the next health check"));
    click(&root, "[role='dialog'] button", "Save");
    tick().await;
    assert!(
        matches!(sent.borrow().as_slice(), [Command::UpdateVault(u)] if u.public_network_access == Some(false) && u.bypass_azure_services == Some(false))
    );
}

#[wasm_bindgen_test]
async fn properties_enable_purge_protection_once() {
    let sent: Rc<RefCell<Vec<Command>>> = Rc::default();
    let root =
        render(context(&world(false, false), sent.clone()), Route::VaultProperties { vault: "kv-cmk".into() }).await;
    assert_eq!(
        by_testid(&root, "soft-delete").text_content().as_deref(),
        Some("Soft delete has been enabled on this key vault")
    );
    let radios = root.query_selector_all("input[name='purge']").expect("radios");
    let enable: HtmlInputElement = radios.item(1).expect("enable").dyn_into().expect("input");
    enable.set_checked(true);
    enable.dispatch_event(&web_sys::Event::new("change").expect("event")).expect("dispatch");
    tick().await;
    // Issue 30 point 4: staged until Save, as the portal and the document have it.
    assert!(sent.borrow().is_empty(), "nothing before Save");
    assert!(by_testid(&root, "unsaved").text_content().unwrap_or_default().contains("select Save"));
    click(&root, "button", "Save");
    tick().await;
    assert!(
        matches!(sent.borrow().as_slice(), [Command::UpdateVault(u)] if u.enable_purge_protection == Some(true) && u.enable_rbac_authorization.is_none())
    );
}

#[wasm_bindgen_test]
async fn key_page_new_version_and_rotation_policy_limits() {
    let sent: Rc<RefCell<Vec<Command>>> = Rc::default();
    let root =
        render(context(&world(false, true), sent.clone()), Route::Key { vault: "kv-cmk".into(), key: "cmk".into() })
            .await;
    click(&root, "button", "Rotation policy");
    tick().await;
    let expiry: HtmlInputElement =
        root.query_selector("#rp-expiry").ok().flatten().expect("expiry").dyn_into().expect("input");
    expiry.set_value("20");
    expiry.dispatch_event(&web_sys::InputEvent::new("input").expect("event")).expect("dispatch");
    tick().await;
    let text = root.text_content().unwrap_or_default();
    assert!(text.contains("shorter than the minimum P28D"), "KV-8 as you type: {text}");
    click(&root, "button", "Cancel");
    tick().await;
    click(&root, "button", "New Version");
    tick().await;
    click(&root, "button", "Create");
    tick().await;
    assert!(
        matches!(sent.borrow().as_slice(), [Command::CreateKey(k)] if k.name == "cmk" && k.size == 2048 && k.enabled)
    );
}

#[wasm_bindgen_test]
async fn resource_graph_runs_the_query() {
    let sent: Rc<RefCell<Vec<Command>>> = Rc::default();
    let root = render(context(&world(false, false), sent.clone()), Route::ResourceGraph).await;
    click(&root, "button", "Run query");
    tick().await;
    assert!(
        matches!(sent.borrow().as_slice(), [Command::GraphQuery { query }] if query.contains("enterprisepolicies"))
    );
    // Issue 30 point 4: the document's Search box: the type typed there, chosen, writes its query.
    let search: HtmlInputElement =
        root.query_selector("input[aria-label='Search']").ok().flatten().expect("search").dyn_into().expect("input");
    search.set_value("microsoft.keyvault/vaults");
    search.dispatch_event(&web_sys::InputEvent::new("input").expect("event")).expect("dispatch");
    tick().await;
    let types = root.query_selector_all("[aria-label='Resource types'] li").expect("list").length();
    assert_eq!(types, 1, "the search narrows the types");
    click(&root, "button", "microsoft.keyvault/vaults");
    tick().await;
    click(&root, "button", "Run query");
    tick().await;
    assert!(
        matches!(sent.borrow().last(), Some(Command::GraphQuery { query }) if query == "resources | where type =~ 'microsoft.keyvault/vaults'"),
        "{:?}",
        sent.borrow()
    );
}

#[derive(Properties, PartialEq)]
struct GuideHarnessProps {
    ctx: AppContext,
}

#[function_component(GuideHarness)]
fn guide_harness(props: &GuideHarnessProps) -> Html {
    html! { <ContextProvider<AppContext> context={props.ctx.clone()}><cmk_web::components::ScenarioGuide /></ContextProvider<AppContext>> }
}

/// The guide shows the checklist the worker computed (done or to do, who does it), Show me gives
/// the lines, and Reset scenario asks before starting the scenario again.
#[wasm_bindgen_test]
async fn the_scenario_guide_shows_the_checklist_and_resets_after_confirmation() {
    use cmk_core::view::{ScenarioProgress, ScenarioStepView};
    use cmk_web::context::Playground;
    let w = ppac_world();
    let mut view = w.view();
    let step = |text: &str, done: bool| ScenarioStepView {
        text: text.into(),
        persona: KAI.into(),
        show_me: format!("az login --username {KAI}\naz keyvault key rotate --vault-name kv-contoso-cmk --name cmk"),
        done,
    };
    std::rc::Rc::make_mut(&mut view.session).scenario = Some(ScenarioProgress {
        id: "rotate-version".into(),
        title: "Rotate the key by a new version".into(),
        goal: "A goal".into(),
        steps: vec![step("Create a new version", true), step("Advance a day", false)],
        complete: false,
    });
    let asked: Rc<RefCell<Vec<Playground>>> = Rc::default();
    let mut ctx = context(&w, Rc::default());
    ctx.view = cmk_web::context::SharedView(Rc::new(view));
    ctx.playground = {
        let asked = asked.clone();
        Callback::from(move |p| {
            asked.borrow_mut().push(p);
            9
        })
    };
    let document = gloo_document();
    let root = document.create_element("div").expect("div");
    document.body().expect("body").append_child(&root).expect("append");
    yew::Renderer::<GuideHarness>::with_root_and_props(root.clone(), GuideHarnessProps { ctx }).render();
    tick().await;
    let items = root.query_selector_all("[data-testid='checklist-item']").expect("items");
    assert_eq!(items.length(), 2);
    let first = items.item(0).and_then(|n| n.dyn_into::<Element>().ok()).expect("item");
    assert!(first.get_attribute("aria-label").unwrap_or_default().starts_with("Done:"));
    assert!(first.text_content().unwrap_or_default().contains("As Kai Keys"));
    assert!(root.query_selector("[data-testid='scenario-complete']").expect("q").is_none());
    click(&root, "button", "Show me");
    tick().await;
    assert!(by_testid(&root, "show-me").text_content().unwrap_or_default().contains("az keyvault key rotate"));
    click(&root, "button", "Reset scenario");
    tick().await;
    assert!(asked.borrow().is_empty(), "nothing before the confirmation");
    click(&root, ".dialog button", "Reset scenario");
    tick().await;
    assert_eq!(asked.borrow().as_slice(), &[Playground::StartScenario("rotate-version".into())]);
}

/// The key hierarchy of a policy: every link drawn, the identity's access named.
#[wasm_bindgen_test]
async fn the_policy_page_draws_the_key_hierarchy() {
    let mut w = ppac_world();
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(2);
    let kai = w.user_by_upn(KAI).map(|u| u.object_id.clone()).unwrap_or_default();
    let now = w.now();
    w.execute(&kai, Command::SignIn { upn: KAI.into() }, now, &mut rng).expect("sign in");
    let root = render(context(&w, Rc::default()), Route::EnterprisePolicy { name: "ep-contoso-cmk".into() }).await;
    let figure = by_testid(&root, "key-hierarchy");
    let svg = figure.query_selector("svg").expect("q").expect("svg");
    assert!(svg.get_attribute("aria-label").unwrap_or_default().contains("every link works"));
    let text = figure.text_content().unwrap_or_default();
    assert!(text.contains("kv-contoso-cmk"), "{text}");
    assert!(text.contains("Crypto Service Encryption User (Azure RBAC)"), "{text}");
    assert_eq!(figure.query_selector_all(".edge.broken").expect("q").length(), 0);
}

/// Long names are drawn whole in the key hierarchy: the column widens (or the line is drawn
/// narrower), never cut off with an ellipsis.
#[wasm_bindgen_test]
async fn the_key_hierarchy_draws_long_names_whole() {
    use cmk_core::shell::{MemoryFiles, Shell};
    let mut w = ppac_world();
    let long = "Contoso-Finance-Production-Europe-West-Primary";
    let script = format!(
        "pp env create --name {long} --region europe --type Production\npp env enable-managed --environment {long}\npp policy add-environment --policy ep-contoso-cmk --environment {long}\n"
    );
    let out = Shell::new([4; 32]).run_script(&mut w, &script, &MemoryFiles::default());
    assert!(out.iter().all(|l| !l.contains("\"ok\":false")), "{out:?}");
    let root = render(context(&w, Rc::default()), Route::EnterprisePolicy { name: "ep-contoso-cmk".into() }).await;
    let figure = by_testid(&root, "key-hierarchy");
    let texts = figure.query_selector_all(".node text").expect("q");
    let all: Vec<String> =
        (0..texts.length()).filter_map(|i| texts.item(i)).map(|t| t.text_content().unwrap_or_default()).collect();
    assert!(all.iter().any(|t| t == long), "{all:?}");
    assert!(all.iter().filter(|t| !t.starts_with("Version ")).all(|t| !t.ends_with('…')), "{all:?}");
}

/// The codec never panics: a message that does not fit becomes Malformed, with the reason.
#[wasm_bindgen_test]
fn the_codec_turns_a_malformed_message_into_an_error_not_a_panic() {
    use cmk_worker::{Request, Response, WireCodec};
    use gloo_worker::Codec;
    let ok: Request = WireCodec::decode(WireCodec::encode(Request::Hello));
    assert_eq!(ok, Request::Hello);
    for junk in ["{\"Execute\":{\"id\":\"nope\"}}", "not json", ""] {
        match WireCodec::decode::<Request>(wasm_bindgen::JsValue::from_str(junk)) {
            Request::Malformed { reason } => assert!(reason.contains("did not fit the protocol"), "{reason}"),
            other => panic!("{junk}: {other:?}"),
        }
        assert!(matches!(
            WireCodec::decode::<Response>(wasm_bindgen::JsValue::from_str(junk)),
            Response::Malformed { .. }
        ));
    }
    // Values that are not messages, and a message object with a field of the wrong type.
    assert!(matches!(WireCodec::decode::<Request>(wasm_bindgen::JsValue::from_f64(3.0)), Request::Malformed { .. }));
    let object = js_sys::JSON::parse(r#"{"Execute":{"id":"nope","command":"SignIn"}}"#).expect("json");
    match WireCodec::decode::<Request>(object) {
        Request::Malformed { reason } => assert!(reason.contains("did not fit the protocol"), "{reason}"),
        other => panic!("{other:?}"),
    }
}

/// Issue 12 item 3/11: the browser's WebCrypto makes a key the core accepts, in every browser the
/// tests run in (Chromium and Firefox); the key's public part has the asked size.
#[wasm_bindgen_test]
async fn webcrypto_generates_a_key_the_core_accepts() {
    let der = cmk_worker::webcrypto::generate_rsa_pkcs8(2048).await.expect("WebCrypto generateKey");
    let mut w = world(false, false);
    let kai = w.user_by_upn(KAI).map(|u| u.object_id.clone()).unwrap_or_default();
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(2);
    let mut k = cmk_core::CreateKey::rsa("kv-cmk", "webcrypto", 2048);
    k.pregenerated = Some(PrivateKeyDer(zeroize::Zeroizing::new(der)));
    let out = w.execute(&kai, Command::CreateKey(k), SimTime::GENESIS, &mut rng).expect("the core takes the key");
    let json = serde_json::to_value(out).expect("json");
    let n = json["key"]["n"].as_str().expect("modulus");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(n).expect("base64url");
    assert_eq!(bytes.len() * 8, 2048, "a 2048-bit modulus");
}

/// Rows are keyed by what they show: when an environment is added above a row, the row's link
/// stays the same element and still leads where it said (a click landing while the list
/// changes must not open another environment — a journey once clicked "Contoso-Prod" and
/// opened "Contoso-Dev").
#[wasm_bindgen_test]
async fn rows_keep_their_element_when_the_list_changes() {
    let mut world = ppac_world();
    let page = Route::Ppac(cmk_web::route::PpacRoute::Environments);
    let document = gloo_document();
    let root = document.create_element("div").expect("div");
    document.body().expect("body").append_child(&root).expect("append");
    let sent = Rc::new(RefCell::new(Vec::new()));
    let mut handle = yew::Renderer::<Harness>::with_root_and_props(
        root.clone(),
        HarnessProps { ctx: context(&world, sent.clone()), page: page.clone() },
    )
    .render();
    tick().await;
    let link = |root: &Element, name: &str| {
        let list = root.query_selector_all("[data-testid='environment-table'] a").expect("query");
        (0..list.length())
            .filter_map(|i| list.item(i))
            .filter_map(|n| n.dyn_into::<Element>().ok())
            .find(|e| e.text_content().unwrap_or_default() == name)
            .unwrap_or_else(|| panic!("no link {name}"))
    };
    let prod = link(&root, "env-prod");
    let href = prod.get_attribute("href");
    // A new environment whose name sorts first.
    let priya = world.user_by_upn("priya@contoso.onmicrosoft.com").map(|u| u.object_id.clone()).expect("priya");
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(9);
    let create = Command::CreateEnvironment {
        name: "env-alpha".into(),
        region: "europe".into(),
        env_type: "Sandbox".into(),
        byok: false,
    };
    let now = world.now();
    world.execute(&priya, create, now, &mut rng).expect("create");
    handle.update(HarnessProps { ctx: context(&world, sent), page });
    tick().await;
    link(&root, "env-alpha");
    assert_eq!(prod.text_content().unwrap_or_default(), "env-prod", "the element still shows env-prod");
    assert_eq!(prod.get_attribute("href"), href, "and still leads to env-prod");
    assert!(prod.is_connected(), "the same element is still in the table");
}

thread_local! {
    /// Where the stand-in worker's responses go: the real portal's own callback.
    static TO_PAGE: RefCell<Option<Callback<cmk_worker::Response>>> = const { RefCell::new(None) };
}

/// A stand-in for the worker: the real portal connects to it, and the test answers for it.
fn stand_in_worker() -> cmk_web::app::Connect {
    cmk_web::app::Connect(Rc::new(|to_page: Callback<cmk_worker::Response>| {
        TO_PAGE.with(|t| *t.borrow_mut() = Some(to_page));
        Rc::new(|_request: cmk_worker::Request| {}) as cmk_web::app::Sender
    }))
}

fn worker_says(response: cmk_worker::Response) {
    let to_page = TO_PAGE.with(|t| t.borrow().clone()).expect("the portal connected");
    to_page.emit(response);
}

// Issue 18 item 6, issue 29 item 5: the real portal (not a stand-in) re-renders for its own state
// — here a save refused and recovered, ten times — and the pages under it do not: the context's
// callbacks are made once. A new view renders them once more.
#[wasm_bindgen_test]
async fn a_page_renders_again_only_when_what_it_reads_changed() {
    use cmk_worker::Response;
    let window = web_sys::window().expect("window");
    window.location().set_hash(&Route::Vault { vault: "kv-cmk".into() }.href()).expect("route");
    let document = gloo_document();
    let root = document.create_element("div").expect("div");
    document.body().expect("body").append_child(&root).expect("append");
    yew::Renderer::<cmk_web::app::PortalWith>::with_root_and_props(
        root.clone(),
        cmk_web::app::PortalProps { connect: stand_in_worker() },
    )
    .render();
    tick().await;
    let before = cmk_web::context::renders();
    worker_says(Response::Ready { view: world(false, true).view().into(), restored: true });
    tick().await;
    let first = cmk_web::context::renders() - before;
    assert!(first > 0, "the pages read the context");
    let title = by_testid(&root, "blade-title").text_content().unwrap_or_default();
    assert!(title.contains("kv-cmk"), "the vault blade is shown: {title}");

    let mut banners = 0;
    for i in 0..10 {
        worker_says(if i % 2 == 0 {
            Response::SaveFailed {
                message: "Not saved in this browser: the playground's changes (quota).".into(),
                aside: false,
            }
        } else {
            Response::SaveRecovered
        });
        tick().await;
        banners += usize::from(root.query_selector("[data-testid='save-problem']").ok().flatten().is_some());
    }
    assert_eq!(banners, 5, "the portal did re-render for its own state");
    let unrelated = cmk_web::context::renders() - before - first;
    assert_eq!(unrelated, 0, "ten portal renders with the view unchanged render no page again");

    // Another world: the vault without its key.
    worker_says(Response::Ready { view: world(false, false).view().into(), restored: true });
    tick().await;
    let new_view = cmk_web::context::renders() - before - first - unrelated;
    assert!(new_view > 0 && new_view <= first, "a new view renders the pages once more: {new_view} (first {first})");
    root.remove();
    window.location().set_hash("").expect("route");
}

/// Replaces `navigator.clipboard` with one whose `writeText` accepts (`true`) or refuses.
fn stub_clipboard(accept: bool) {
    let write = if accept {
        "() => Promise.resolve()"
    } else {
        "() => Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError'))"
    };
    let code = format!(
        "Object.defineProperty(navigator, 'clipboard', {{ configurable: true, value: {{ writeText: {write} }} }});"
    );
    js_sys::Function::new_no_args(&code).call0(&wasm_bindgen::JsValue::NULL).expect("stub the clipboard");
}

// Issue 29 item 4: Copy says "Copied" only when the clipboard took the text; otherwise the text
// is shown selected, with "press Ctrl+C".
#[wasm_bindgen_test]
async fn copy_says_copied_only_when_the_clipboard_took_the_text() {
    use cmk_web::components::copy_button::CopyButtonProps;
    use cmk_web::components::CopyButton;
    for accept in [false, true] {
        stub_clipboard(accept);
        let document = gloo_document();
        let root = document.create_element("div").expect("div");
        document.body().expect("body").append_child(&root).expect("append");
        let props = CopyButtonProps { text: "https://example.test/#share=abc".into(), what: "the share link".into() };
        yew::Renderer::<CopyButton>::with_root_and_props(root.clone(), props).render();
        tick().await;
        let button = root.query_selector("button").ok().flatten().and_then(|b| b.dyn_into::<HtmlElement>().ok());
        button.expect("a Copy button").click();
        for _ in 0..20 {
            yew::platform::time::sleep(Duration::from_millis(5)).await;
        }
        let text = root.text_content().unwrap_or_default();
        if accept {
            assert!(text.contains("Copied") && !text.contains("Ctrl+C"), "{text}");
        } else {
            assert!(!text.contains("Copied"), "a refused copy never says Copied: {text}");
            assert!(text.contains("press Ctrl+C"), "{text}");
            let field = root.query_selector("input").ok().flatten().and_then(|i| i.dyn_into::<HtmlInputElement>().ok());
            let field = field.expect("the text is shown");
            assert_eq!(field.value(), "https://example.test/#share=abc");
            assert_eq!(document.active_element().map(|e| e.tag_name()), Some("INPUT".into()), "and selected");
        }
    }
}

// Issue 30 point 9: an advance that stops at the events limit says so first, never silently.
#[wasm_bindgen_test]
fn a_clock_summary_says_first_when_the_clock_stopped_short() {
    let report = cmk_core::view::ClockReport {
        now: "2037-03-01T00:00:00Z".into(),
        pending: Vec::new(),
        events: Vec::new(),
        stopped: Some("Stopped at 2037-03-01T00:00:00Z after 100000 events, the most one advance runs.".into()),
    };
    let text = cmk_web::components::clock_bar::summary(&report);
    assert!(text.starts_with("Stopped at 2037-03-01"), "{text}");
}

/// `world` after `lines` (Cloud Shell lines, as the signed-in persona).
fn after(world: &World, lines: &str) -> World {
    use cmk_core::shell::{MemoryFiles, Shell};
    let mut w = world.clone();
    let out = Shell::new([4; 32]).run_script(&mut w, lines, &MemoryFiles::default());
    assert!(out.iter().all(|l| !l.contains("\"ok\":false")), "{out:?}");
    w
}

fn done_with(id: u64, label: &str, ok: bool, view: cmk_core::View) -> cmk_web::store::Action {
    let result = if ok {
        Ok(cmk_worker::Answer::Text(String::new()))
    } else {
        Err(cmk_core::Error::new(cmk_core::ErrorCode::KeyAccessLost, "out of reach"))
    };
    cmk_web::store::Action::Worker(Box::new(cmk_worker::Response::Done {
        id,
        label: label.into(),
        result,
        view: view.into(),
        millis: 1.0,
        note: None,
    }))
}

// Issue 30 point 5: a long operation's toast says it started and a second says it ended; a
// success takes back the failures of the same action; moving on takes the failures away.
#[wasm_bindgen_test]
fn toasts_say_a_long_operation_started_then_ended_and_failures_do_not_follow() {
    use cmk_web::store::{Action, NotificationStatus, Store};
    use yew::Reducible;
    let w0 = ppac_world();
    let w1 = after(&w0, "pp policy add-environment --policy ep-contoso-cmk --environment env-prod");
    let w2 = after(&w1, "sim clock run");
    let mut store = Rc::new(Store::default());
    store =
        store.reduce(Action::Worker(Box::new(cmk_worker::Response::Ready { view: w0.view().into(), restored: true })));
    store = store.reduce(Action::Sent { id: 1, label: "Add environments".into(), quiet: false });
    store = store.reduce(done_with(1, "Add environments", true, w1.view()));
    let titles = |s: &Store| s.notifications.iter().map(|n| n.title.clone()).collect::<Vec<_>>();
    assert_eq!(titles(&store), ["Add environments: started"], "not 'succeeded' while it runs");
    assert!(store.notifications[0].detail.contains("on 'env-prod'"), "{:?}", store.notifications[0]);
    store = store.reduce(Action::Sent { id: 2, label: "Run until idle".into(), quiet: false });
    store = store.reduce(done_with(2, "Run until idle", true, w2.view()));
    let ended = store.notifications.iter().find(|n| n.title.contains("on 'env-prod': ended")).expect("a second toast");
    assert!(ended.detail.contains("Warning"), "{ended:?}");

    store = store.reduce(Action::Sent { id: 3, label: "Re-enable environment".into(), quiet: false });
    store = store.reduce(done_with(3, "Re-enable environment", false, w2.view()));
    assert!(store.notifications.iter().any(|n| n.status == NotificationStatus::Failed));
    store = store.reduce(Action::Sent { id: 4, label: "Re-enable environment".into(), quiet: false });
    store = store.reduce(done_with(4, "Re-enable environment", true, w2.view()));
    assert!(!store.notifications.iter().any(|n| n.status == NotificationStatus::Failed), "{:?}", titles(&store));
    store = store.reduce(Action::Sent { id: 5, label: "Delete key".into(), quiet: false });
    store = store.reduce(done_with(5, "Delete key", false, w2.view()));
    store = store.reduce(Action::Moved);
    assert!(!store.notifications.iter().any(|n| n.status == NotificationStatus::Failed), "failures stay on their page");
    // Every notice that ended stays in the bell, newest first, after its toast went.
    let kept: Vec<String> = store.notices.iter().map(|n| n.title.clone()).collect();
    assert_eq!(kept.first().map(String::as_str), Some("Delete key: failed"), "{kept:?}");
    assert!(kept.iter().any(|t| t == "Add environments: started"), "{kept:?}");
    assert!(kept.iter().any(|t| t == "Re-enable environment: failed"), "the taken-back failure too: {kept:?}");
    let ids: Vec<u64> = store.notifications.iter().map(|n| n.id).collect();
    for id in ids {
        store = store.reduce(Action::Dismiss(id));
    }
    assert!(store.notifications.is_empty());
    assert_eq!(store.notices.len(), kept.len(), "closing toasts keeps the notices");
}

// Issue 30 point 9: a key's name is checked beside its field, empty or already used, and the
// form sends nothing until it is right.
#[wasm_bindgen_test]
async fn an_empty_or_taken_key_name_is_said_before_sending() {
    let sent: Rc<RefCell<Vec<Command>>> = Rc::default();
    let root = render(context(&world(false, true), sent.clone()), Route::GenerateKey { vault: "kv-cmk".into() }).await;
    assert!(root.query_selector("[data-testid='key-name-error']").ok().flatten().is_none(), "not before a try");
    by_testid(&root, "key-submit").dyn_into::<HtmlElement>().expect("button").click();
    tick().await;
    assert_eq!(by_testid(&root, "key-name-error").text_content().as_deref(), Some("The value must not be empty."));
    let name: HtmlInputElement = by_testid(&root, "key-name").dyn_into().expect("input");
    name.set_value("CMK");
    name.dispatch_event(&web_sys::InputEvent::new("input").expect("event")).expect("dispatch");
    tick().await;
    let why = by_testid(&root, "key-name-error").text_content().unwrap_or_default();
    assert!(why.contains("already exists") && why.contains("+ New Version"), "{why}");
    by_testid(&root, "key-submit").dyn_into::<HtmlElement>().expect("button").click();
    tick().await;
    assert!(sent.borrow().is_empty(), "nothing is sent");
    name.set_value("cmk_2");
    name.dispatch_event(&web_sys::InputEvent::new("input").expect("event")).expect("dispatch");
    tick().await;
    assert!(by_testid(&root, "key-name-error")
        .text_content()
        .unwrap_or_default()
        .contains("letters, digits and hyphens"));
    name.set_value("cmk-2");
    name.dispatch_event(&web_sys::InputEvent::new("input").expect("event")).expect("dispatch");
    tick().await;
    assert!(root.query_selector("[data-testid='key-name-error']").ok().flatten().is_none());
    by_testid(&root, "key-submit").dyn_into::<HtmlElement>().expect("button").click();
    tick().await;
    assert!(matches!(sent.borrow().as_slice(), [Command::CreateKey(k)] if k.name == "cmk-2"));
}

// Issue 30 point 9: a new environment's name is checked beside its field.
#[wasm_bindgen_test]
async fn an_empty_or_taken_environment_name_is_said_before_sending() {
    let sent: Rc<RefCell<Vec<Command>>> = Rc::default();
    let root = render(context(&ppac_world(), sent.clone()), Route::Ppac(cmk_web::route::PpacRoute::Environments)).await;
    click(&root, "button", "New");
    tick().await;
    click(&root, "form button", "Save");
    tick().await;
    assert_eq!(by_testid(&root, "env-name-error").text_content().as_deref(), Some("Enter a name for the environment."));
    let name: HtmlInputElement =
        root.query_selector("#env-name").ok().flatten().expect("name").dyn_into().expect("input");
    name.set_value("ENV-PROD");
    name.dispatch_event(&web_sys::InputEvent::new("input").expect("event")).expect("dispatch");
    tick().await;
    assert!(by_testid(&root, "env-name-error").text_content().unwrap_or_default().contains("already exists"));
    click(&root, "form button", "Save");
    tick().await;
    assert!(sent.borrow().is_empty(), "nothing is sent");
    name.set_value("env-new");
    name.dispatch_event(&web_sys::InputEvent::new("input").expect("event")).expect("dispatch");
    tick().await;
    click(&root, "form button", "Save");
    tick().await;
    assert!(matches!(sent.borrow().as_slice(), [Command::CreateEnvironment { name, .. }] if name == "env-new"));
}

// Issue 30 point 9: a name is checked beside its field before anything is sent.
#[wasm_bindgen_test]
async fn an_empty_or_invalid_resource_group_name_is_said_before_sending() {
    let sent: Rc<RefCell<Vec<Command>>> = Rc::default();
    let root = render(context(&world(false, false), sent.clone()), Route::ResourceGroups).await;
    by_testid(&root, "create-rg").dyn_into::<HtmlElement>().expect("button").click();
    tick().await;
    by_testid(&root, "rg-submit").dyn_into::<HtmlElement>().expect("submit").click();
    tick().await;
    assert_eq!(by_testid(&root, "rg-name-error").text_content().as_deref(), Some("The value must not be empty."));
    assert!(sent.borrow().is_empty(), "nothing is sent");
    let input: HtmlInputElement =
        root.query_selector("#rg-name").ok().flatten().expect("name").dyn_into().expect("input");
    input.set_value("rg-cmk.");
    input.dispatch_event(&web_sys::InputEvent::new("input").expect("event")).expect("dispatch");
    tick().await;
    let why = by_testid(&root, "rg-name-error").text_content().unwrap_or_default();
    assert!(why.contains("cannot end in a period"), "{why}");
    input.set_value("rg-cmk");
    input.dispatch_event(&web_sys::InputEvent::new("input").expect("event")).expect("dispatch");
    tick().await;
    assert!(root.query_selector("[data-testid='rg-name-error']").ok().flatten().is_none());
    by_testid(&root, "rg-submit").dyn_into::<HtmlElement>().expect("submit").click();
    tick().await;
    assert!(matches!(sent.borrow().as_slice(), [Command::CreateResourceGroup { name, .. }] if name == "rg-cmk"));
}

/// SPEC KV-14: a vault's tags are shown in its Essentials.
#[wasm_bindgen_test]
async fn a_vault_shows_its_tags() {
    let mut w = world(true, false);
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(5);
    let kai = w.user_by_upn(KAI).map(|u| u.object_id.clone()).unwrap_or_default();
    let mut v = CreateVault::new("kv-tagged", "rg-cmk", "westeurope");
    v.tags = [("env".to_string(), "prod".to_string())].into();
    w.execute(&kai, Command::CreateVault(v), SimTime::GENESIS, &mut rng).expect("vault");
    let root = render(context(&w, Rc::default()), Route::Vault { vault: "kv-tagged".into() }).await;
    assert_eq!(by_testid(&root, "vault-tags").text_content().as_deref(), Some("env : prod"));
    let root = render(context(&w, Rc::default()), Route::Vault { vault: "kv-cmk".into() }).await;
    assert_eq!(by_testid(&root, "vault-tags").text_content().as_deref(), Some("—"), "none: a dash");
}

#[derive(Properties, PartialEq)]
struct OpsHarnessProps {
    ctx: AppContext,
    ops: Vec<String>,
}

#[function_component(OpsHarness)]
fn ops_harness(props: &OpsHarnessProps) -> Html {
    use cmk_web::pages::azure::key_version::PermittedOperations;
    html! {
        <ContextProvider<AppContext> context={props.ctx.clone()}>
            <PermittedOperations vault="kv-cmk" name="cmk" version="0123abcd" ops={props.ops.clone()} />
        </ContextProvider<AppContext>>
    }
}

#[wasm_bindgen_test]
async fn permitted_operations_are_checkboxes_saved_as_set_attributes() {
    // SPEC KV-13: the portal's Permitted operations change the version's key_ops; leaving out Wrap
    // Key says what Power Platform will do; none at all cannot be saved.
    let sent: Rc<RefCell<Vec<Command>>> = Rc::default();
    let ctx = context(&world(false, true), sent.clone());
    let root = gloo_document().create_element("div").expect("div");
    gloo_document().body().expect("body").append_child(&root).expect("append");
    let ops = cmk_core::azure::vault::KEY_OPS.map(String::from).to_vec();
    yew::Renderer::<OpsHarness>::with_root_and_props(root.clone(), OpsHarnessProps { ctx, ops }).render();
    tick().await;
    let save = || -> HtmlElement {
        let list = root.query_selector_all("button").expect("buttons");
        (0..list.length())
            .filter_map(|i| list.item(i))
            .filter_map(|n| n.dyn_into::<HtmlElement>().ok())
            .find(|b| b.text_content().as_deref() == Some("Save"))
            .expect("Save")
    };
    assert!(save().has_attribute("disabled"), "nothing changed yet");
    click(&root, "label", "Wrap Key");
    tick().await;
    let text = root.text_content().unwrap_or_default();
    assert!(text.contains("environments lock"), "{text}");
    assert!(!save().has_attribute("disabled"));
    save().click();
    tick().await;
    assert!(
        matches!(sent.borrow().as_slice(), [Command::SetKeyAttributes(s)]
            if s.version.as_deref() == Some("0123abcd") && s.ops.as_deref() == Some(&["encrypt", "decrypt", "sign", "verify", "unwrapKey"].map(String::from)[..])),
        "{:?}",
        sent.borrow()
    );
    for label in ["Encrypt", "Decrypt", "Sign", "Verify", "Unwrap Key"] {
        click(&root, "label", label);
        tick().await;
    }
    assert!(root.text_content().unwrap_or_default().contains("Select at least one operation."));
    assert!(save().has_attribute("disabled"), "none cannot be saved");
}

#[wasm_bindgen_test]
async fn deleting_a_resource_group_lists_what_goes_and_needs_its_name_typed() {
    // The portal's Delete resource group: every resource in it listed, the name typed to confirm.
    let sent: Rc<RefCell<Vec<Command>>> = Rc::default();
    let root = render(context(&world(false, false), sent.clone()), Route::ResourceGroups).await;
    let row_delete: HtmlElement = root
        .query_selector("button[aria-label='Delete resource group rg-cmk']")
        .ok()
        .flatten()
        .expect("row's Delete")
        .dyn_into()
        .expect("button");
    row_delete.click();
    tick().await;
    let listed = by_testid(&root, "rg-delete-resources").text_content().unwrap_or_default();
    assert!(listed.contains("kv-cmk (key vault: soft-deleted)"), "{listed}");
    let confirm: HtmlElement = root
        .query_selector(".dialog button.danger")
        .ok()
        .flatten()
        .expect("the dialog's Delete")
        .dyn_into()
        .expect("button");
    assert!(confirm.has_attribute("disabled"), "nothing typed yet");
    let input: HtmlInputElement =
        root.query_selector(".dialog input").ok().flatten().expect("name").dyn_into().expect("input");
    input.set_value("rg-cmk");
    input.dispatch_event(&web_sys::InputEvent::new("input").expect("event")).expect("dispatch");
    tick().await;
    assert!(!confirm.has_attribute("disabled"), "the name typed");
    confirm.click();
    tick().await;
    assert!(
        matches!(sent.borrow().as_slice(), [Command::DeleteResourceGroup { name }] if name == "rg-cmk"),
        "{:?}",
        sent.borrow()
    );
}

/// The resource menu's links by their text, and which one is the current page.
fn menu_links(root: &web_sys::Element) -> (Vec<String>, Vec<String>) {
    let links = root.query_selector_all("nav.resource-menu a").expect("links");
    let (mut all, mut current) = (Vec::new(), Vec::new());
    for i in 0..links.length() {
        let a: web_sys::Element = links.item(i).expect("link").dyn_into().expect("element");
        let text = a.text_content().unwrap_or_default();
        if a.get_attribute("aria-current").as_deref() == Some("page") {
            current.push(text.clone());
        }
        all.push(text);
    }
    (all, current)
}

// Issue 32 item 1: a key vault's blade has the real portal's resource menu; Keys is an item of
// its own (Objects › Keys), the current item is marked, and what is not simulated says so.
#[wasm_bindgen_test]
async fn a_key_vault_has_the_portals_resource_menu() {
    let w = world(false, true);
    let root = render(context(&w, Rc::default()), Route::Vault { vault: "kv-cmk".into() }).await;
    let (all, current) = menu_links(&root);
    for item in [
        "Overview",
        "Access control (IAM)",
        "Tags",
        "Access policies",
        "Keys",
        "Secrets",
        "Certificates",
        "Access configuration",
        "Networking",
        "Properties",
        "Locks",
    ] {
        assert!(all.iter().any(|a| a == item), "{item} in {all:?}");
    }
    assert_eq!(current, ["Overview"]);
    assert!(root.query_selector("[data-testid='key-table']").ok().flatten().is_none(), "the keys have their own page");
    let keys = root.query_selector("nav.resource-menu a[href$='/keyvaults/kv-cmk/keys']").ok().flatten();
    assert_eq!(keys.and_then(|k| k.text_content()).as_deref(), Some("Keys"));

    let root = render(context(&w, Rc::default()), Route::VaultKeys { vault: "kv-cmk".into() }).await;
    assert_eq!(menu_links(&root).1, ["Keys"]);
    assert_eq!(by_testid(&root, "blade-title").text_content().as_deref(), Some("kv-cmk | Keys"));
    assert!(by_testid(&root, "generate-key").text_content().unwrap_or_default().contains("Generate/Import"));

    let root =
        render(context(&w, Rc::default()), Route::VaultItem { vault: "kv-cmk".into(), item: "secrets".into() }).await;
    assert_eq!(menu_links(&root).1, ["Secrets"]);
    assert!(root.text_content().unwrap_or_default().contains("Secrets is not simulated in this playground"));
    let greyed = root.query_selector("nav.resource-menu a.greyed").ok().flatten().and_then(|a| a.text_content());
    assert_eq!(greyed.as_deref(), Some("Diagnose and solve problems"), "not simulated: greyed as in the portal");

    let root = render(context(&w, Rc::default()), Route::VaultAccessConfiguration { vault: "kv-cmk".into() }).await;
    assert_eq!(menu_links(&root).1, ["Access configuration"]);
    assert!(root.text_content().unwrap_or_default().contains("Permission model"));
}

// Issue 32 item 1: the subscription and a resource group have blades of their own, with the
// portal's resource menu; a group's Overview lists its resources as links.
#[wasm_bindgen_test]
async fn the_subscription_and_a_resource_group_have_resource_menus() {
    let w = world(false, true);
    let root = render(context(&w, Rc::default()), Route::Subscription).await;
    let (all, current) = menu_links(&root);
    assert_eq!(
        all,
        ["Overview", "Activity log", "Access control (IAM)", "Resource groups", "Resources", "Resource providers"]
    );
    assert_eq!(current, ["Overview"]);
    assert!(by_testid(&root, "subscription-essentials")
        .text_content()
        .unwrap_or_default()
        .contains("Contoso Production"));
    let root = render(context(&w, Rc::default()), Route::ResourceProviders).await;
    assert_eq!(menu_links(&root).1, ["Resource providers"]);

    let root = render(context(&w, Rc::default()), Route::ResourceGroup { group: "rg-cmk".into() }).await;
    let (all, current) = menu_links(&root);
    assert_eq!(all, ["Overview", "Activity log", "Access control (IAM)", "Tags", "Deployments"]);
    assert_eq!(current, ["Overview"]);
    let resources = by_testid(&root, "rg-resources");
    let vault = resources.query_selector("a[href$='/keyvaults/kv-cmk']").ok().flatten().and_then(|a| a.text_content());
    assert_eq!(vault.as_deref(), Some("kv-cmk"));
    let root = render(context(&w, Rc::default()), Route::ResourceGroup { group: "rg-none".into() }).await;
    assert!(root.text_content().unwrap_or_default().contains("Resource group 'rg-none' was not found"));
}

/// A command-bar button by its text.
fn toolbar_button(root: &web_sys::Element, text: &str) -> web_sys::HtmlButtonElement {
    let buttons = root.query_selector_all("[role='toolbar'] button").expect("buttons");
    (0..buttons.length())
        .filter_map(|i| buttons.item(i))
        .filter_map(|b| b.dyn_into::<web_sys::HtmlButtonElement>().ok())
        .find(|b| b.text_content().as_deref() == Some(text))
        .expect("the button")
}

/// Ticks the checkbox labelled `label`, as a click would.
async fn check(root: &web_sys::Element, label: &str) {
    let input: HtmlInputElement = root
        .query_selector(&format!("input[type='checkbox'][aria-label='{label}']"))
        .ok()
        .flatten()
        .expect("the checkbox")
        .dyn_into()
        .expect("input");
    input.set_checked(!input.checked());
    input.dispatch_event(&web_sys::Event::new("change").expect("event")).expect("dispatch");
    tick().await;
}

/// Picks an Activity log's Timespan (hours) as a person does.
async fn choose_timespan(root: &Element, hours: &str) {
    let select: HtmlSelectElement =
        root.query_selector("#activity-timespan").ok().flatten().expect("timespan").unchecked_into();
    select.set_value(hours);
    select.dispatch_event(&web_sys::Event::new("change").expect("event")).expect("dispatch");
    tick().await;
}

#[wasm_bindgen_test]
async fn activity_log_blades_say_who_did_what_in_the_timespan() {
    // SPEC PG-1: the activity log, per vault and resource group, with who made each operation.
    let mut w = world(false, true);
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(2);
    let kai = w.user_by_upn(KAI).map(|u| u.object_id.clone()).unwrap_or_default();
    let later = SimTime::GENESIS.plus(cmk_core::SimDuration::hours(8));
    w.execute(&kai, Command::DeleteAccessPolicy { vault: "kv-cmk".into(), object_id: kai.clone() }, later, &mut rng)
        .expect("delete policy");
    let vault = Route::VaultItem { vault: "kv-cmk".into(), item: "activitylog".into() };
    let root = render(context(&w, Rc::default()), vault).await;
    assert_eq!(by_testid(&root, "blade-title").text_content().as_deref(), Some("kv-cmk | Activity log"));
    let table = by_testid(&root, "activity-log").text_content().unwrap_or_default();
    assert!(table.contains("Update Access Policy"), "{table}");
    assert!(table.contains(KAI), "{table}");
    assert!(table.contains("2026-01-01 08:00 UTC"), "{table}");
    assert!(!table.contains("Update Key Vault"), "8 hours ago: outside the default 6 hours: {table}");
    assert!(root.text_content().unwrap_or_default().contains("diagnostic logs"), "keys are data-plane");
    // A longer timespan shows the vault's creation too; the group's log holds the group's own entry.
    choose_timespan(&root, "24").await;
    let table = by_testid(&root, "activity-log").text_content().unwrap_or_default();
    assert!(table.contains("Update Key Vault"), "{table}");
    let group = Route::ResourceGroupItem { group: "rg-cmk".into(), item: "activitylog".into() };
    let root = render(context(&w, Rc::default()), group).await;
    choose_timespan(&root, "24").await;
    let table = by_testid(&root, "activity-log").text_content().unwrap_or_default();
    assert!(table.contains("Update resource group"), "{table}");
    assert!(table.contains("Update Access Policy"), "the vault's entries are under the group: {table}");
}

// Issue 32 item 4: the Managed HSM wizard starts as the portal's (purge protection disabled,
// 90 days) and says what is wrong inline; nothing is sent until it is right.
#[wasm_bindgen_test]
async fn the_hsm_wizard_starts_with_the_portals_defaults_and_checks_inline() {
    let sent: Rc<RefCell<Vec<Command>>> = Rc::default();
    let root = render(context(&world(false, false), sent.clone()), Route::CreateHsm).await;
    let purge: HtmlSelectElement = by_testid(&root, "hsm-purge").dyn_into().expect("select");
    assert_eq!(purge.value(), "disable");
    let name: HtmlInputElement = by_testid(&root, "hsm-name").dyn_into().expect("input");
    name.set_value("1-bad_name");
    name.dispatch_event(&web_sys::InputEvent::new("input").expect("event")).expect("dispatch");
    tick().await;
    assert!(by_testid(&root, "hsm-name-error").text_content().is_some_and(|t| !t.is_empty()));
    let submit = root.query_selector("form.wizard button.primary").ok().flatten().expect("Create");
    submit.dyn_ref::<HtmlElement>().expect("button").click();
    tick().await;
    assert!(sent.borrow().is_empty(), "a bad name sends nothing");
    name.set_value("hsm-contoso");
    name.dispatch_event(&web_sys::InputEvent::new("input").expect("event")).expect("dispatch");
    purge.set_value("enable");
    purge.dispatch_event(&web_sys::Event::new("change").expect("event")).expect("dispatch");
    tick().await;
    submit.dyn_ref::<HtmlElement>().expect("button").click();
    tick().await;
    let sent = sent.borrow();
    match sent.as_slice() {
        [Command::CreateManagedHsm(h)] => {
            assert_eq!((h.name.as_str(), h.retention_days, h.enable_purge_protection), ("hsm-contoso", 90, true));
        }
        other => panic!("expected one CreateManagedHsm, got {other:?}"),
    }
}
