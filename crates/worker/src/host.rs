//! The gloo worker: a thin loop around [`HostCore`]. It feeds the core what happened (a page's
//! request, a key WebCrypto made, a save IndexedDB committed or refused, a retry falling due)
//! and performs the effects the core returns. Every rule lives in the core; what is here is I/O.

use std::rc::Rc;

use gloo_worker::{HandlerId, Worker, WorkerScope};
use idb::Database;
use rand_core::{OsRng, RngCore};
use wasm_bindgen::{JsCast, JsValue};

use crate::host_core::{Aside, Effect, Env, HostCore, Input, Part, Saved, Stat};
use crate::protocol::{Request, Response};
use crate::{store, webcrypto};

/// What opening the store found: the database and what was saved in it.
pub type Opened = (Rc<Database>, Saved);

#[derive(Debug)]
pub enum Message {
    Opened(Result<Opened, String>),
    /// What came of an effect, for the core.
    Input(Input<HandlerId>),
}

/// The gloo worker that owns the world.
pub struct Host {
    db: Option<Rc<Database>>,
    core: HostCore<HandlerId>,
}

impl core::fmt::Debug for Host {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // Not the core's own Debug: it would link the Debug of the whole world into the worker.
        f.debug_struct("Host").field("store", &self.db.is_some()).finish_non_exhaustive()
    }
}

fn now_ms() -> f64 {
    js_sys::Reflect::get(&js_sys::global(), &"performance".into())
        .ok()
        .and_then(|p| js_sys::Reflect::get(&p, &"now".into()).ok().map(|f| (p, f)))
        .and_then(|(p, f)| f.dyn_ref::<js_sys::Function>().and_then(|f| f.call0(&p).ok()))
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0)
}

fn entropy() -> [u8; 32] {
    let mut entropy = [0u8; 32];
    OsRng.fill_bytes(&mut entropy);
    entropy
}

impl Worker for Host {
    type Message = Message;
    type Input = Request;
    type Output = Response;

    fn create(scope: &WorkerScope<Self>) -> Self {
        scope.send_future(async {
            let opened = async {
                let started = now_ms();
                let db = store::open().await?;
                let saved = store::load(&db).await?;
                record(&Stat::Load(vec![("read", now_ms() - started)]));
                Ok((Rc::new(db), saved))
            };
            Message::Opened(opened.await)
        });
        Self { db: None, core: HostCore::new(Env { now: now_ms, entropy }) }
    }

    fn update(&mut self, scope: &WorkerScope<Self>, msg: Message) {
        let input = match msg {
            Message::Opened(Ok((db, saved))) => {
                self.db = Some(db);
                Input::Opened(Ok(saved))
            }
            Message::Opened(Err(message)) => Input::Opened(Err(message)),
            Message::Input(input) => input,
        };
        self.feed(scope, input);
    }

    fn connected(&mut self, scope: &WorkerScope<Self>, id: HandlerId) {
        crate::fault::page(id, true);
        self.feed(scope, Input::Connected(id));
    }

    fn disconnected(&mut self, scope: &WorkerScope<Self>, id: HandlerId) {
        crate::fault::page(id, false);
        self.feed(scope, Input::Disconnected(id));
    }

    fn received(&mut self, scope: &WorkerScope<Self>, msg: Request, id: HandlerId) {
        self.feed(scope, Input::Request(id, msg));
    }
}

impl Host {
    /// Hands the core one input and performs what it asks.
    fn feed(&mut self, scope: &WorkerScope<Self>, input: Input<HandlerId>) {
        for effect in self.core.handle(input) {
            self.perform(scope, effect);
        }
    }

    fn perform(&self, scope: &WorkerScope<Self>, effect: Effect<HandlerId>) {
        let later = |future: std::pin::Pin<Box<dyn std::future::Future<Output = Input<HandlerId>>>>| {
            scope.send_future(async move { Message::Input(future.await) });
        };
        match effect {
            Effect::Respond(page, response) => scope.respond(page, *response),
            Effect::MakeKey { bits, purpose } => later(Box::pin(async move {
                Input::KeyMade { bits, purpose, material: webcrypto::generate_rsa_pkcs8(bits).await }
            })),
            Effect::RetryAt { at } => later(Box::pin(async move {
                sleep_ms((at - now_ms()).max(0.0) as u32).await;
                Input::RetryDue
            })),
            Effect::Stat(stat) => record(&stat),
            Effect::Log(message) => console_warn(&message),
            Effect::ReadRecords | Effect::Save(_) | Effect::WriteFiles(_) | Effect::SetAside(_) => {
                let Some(db) = self.db.clone() else {
                    return console_warn("CMK Playground: a write was asked for without a store");
                };
                later(Box::pin(async move { stored(&db, effect).await }))
            }
        }
    }
}

/// Performs one of the store's effects, and says how it went.
async fn stored(db: &Database, effect: Effect<HandlerId>) -> Input<HandlerId> {
    match effect {
        Effect::ReadRecords => Input::Records(store::load_records(db).await),
        Effect::Save(write) => Input::Saved(store::write(db, write).await),
        Effect::WriteFiles(text) => {
            Input::Wrote(Part::Files, store::save(db, store::FILES, &JsValue::from_str(&text)).await)
        }
        Effect::SetAside(aside) => {
            let key = format!("rejected-{}", js_sys::Date::now() as u64);
            Input::Wrote(Part::Aside, store::save(db, &key, &aside_value(&aside)).await)
        }
        // Not asked of this function (see `perform`); never its Debug, which would link the
        // Debug of the whole view into the worker.
        _ => Input::Wrote(Part::Aside, Err("not a store effect".into())),
    }
}

/// Keeps the last timings on the worker's global `cmkStats` (for `cargo xtask bench`, which
/// reads them through the browser's devtools): `loads`, `saves` — `{prepared, total, bytes}`,
/// `requests` — `{label, millis}`. Newest last, at most 50 of each.
fn record(stat: &Stat) {
    let (list, fields): (&str, Vec<(&str, JsValue)>) = match stat {
        Stat::Load(phases) => ("loads", phases.iter().map(|(name, ms)| (*name, (*ms).into())).collect()),
        Stat::Save { prepared, total, bytes } => (
            "saves",
            vec![("prepared", (*prepared).into()), ("total", (*total).into()), ("bytes", (*bytes as f64).into())],
        ),
        Stat::Request { label, millis } => ("requests", vec![("label", label.into()), ("millis", (*millis).into())]),
    };
    let global = js_sys::global();
    let get_or_make = |parent: &JsValue, name: &str, make: &dyn Fn() -> JsValue| {
        js_sys::Reflect::get(parent, &name.into()).ok().filter(|v| v.is_object()).unwrap_or_else(|| {
            let value = make();
            let _ = js_sys::Reflect::set(parent, &name.into(), &value);
            value
        })
    };
    let stats = get_or_make(&global, "cmkStats", &|| js_sys::Object::new().into());
    let Ok(list) = get_or_make(&stats, list, &|| js_sys::Array::new().into()).dyn_into::<js_sys::Array>() else {
        return;
    };
    let entry = js_sys::Object::new();
    for (name, value) in fields {
        let _ = js_sys::Reflect::set(&entry, &name.into(), &value);
    }
    list.push(&entry);
    if list.length() > 50 {
        list.shift();
    }
}

/// A damaged save, whole, as it is kept aside: the envelope's text, or
/// `{meta, texts: {id: text}, records: {id: bytes}}`.
fn aside_value(aside: &Aside) -> JsValue {
    let (meta, texts, records) = match aside {
        Aside::Parts { meta, texts, records } => (meta, texts, records),
        Aside::Envelope(text) => return text.into(),
        Aside::Part { part, text } => {
            let object = js_sys::Object::new();
            let _ = js_sys::Reflect::set(&object, &"part".into(), &(*part).into());
            let _ = js_sys::Reflect::set(&object, &"text".into(), &text.into());
            return object.into();
        }
    };
    let object = js_sys::Object::new();
    let texts_object = js_sys::Object::new();
    for (id, text) in texts {
        let _ = js_sys::Reflect::set(&texts_object, &id.into(), &text.into());
    }
    let records_object = js_sys::Object::new();
    for (id, bytes) in records {
        let _ = js_sys::Reflect::set(&records_object, &id.into(), &js_sys::Uint8Array::from(bytes.as_slice()));
    }
    let _ = js_sys::Reflect::set(&object, &"meta".into(), &meta.into());
    let _ = js_sys::Reflect::set(&object, &"texts".into(), &texts_object);
    let _ = js_sys::Reflect::set(&object, &"records".into(), &records_object);
    object.into()
}

/// Waits `ms` milliseconds (the worker's `setTimeout`).
async fn sleep_ms(ms: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let global = js_sys::global();
        if let Some(f) =
            js_sys::Reflect::get(&global, &"setTimeout".into()).ok().and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        {
            let _ = f.call2(&global, &resolve, &JsValue::from(ms));
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

fn console_warn(message: &str) {
    let console = js_sys::Reflect::get(&js_sys::global(), &"console".into()).ok();
    if let Some(warn) = console.as_ref().and_then(|c| js_sys::Reflect::get(c, &"warn".into()).ok()) {
        if let Some(f) = warn.dyn_ref::<js_sys::Function>() {
            let _ = f.call1(console.as_ref().unwrap_or(&JsValue::NULL), &message.into());
        }
    }
}
