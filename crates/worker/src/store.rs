//! The save in IndexedDB: one object store. The world is kept in parts (`cmk_core::stored`):
//! its meta under `world`, each environment's text under `env:ID` and its records (bytes) under
//! `rows:ID`; a save writes only the parts that changed, all in one transaction. Saves from
//! before the split (one envelope under `current`) still load, and the first save after replaces
//! them. Saves that could not be loaded are kept aside under `rejected-N`.

pub use crate::host_core::{Saved, SavedWorld, Write};
use idb::{Database, DatabaseEvent, Factory, KeyRange, ObjectStore, ObjectStoreParams, Query, TransactionMode};
use js_sys::Uint8Array;
use wasm_bindgen::{JsCast, JsValue};

const DB_NAME: &str = "cmk-playground";
const STORE: &str = "saves";
/// The one-envelope save written before the world was kept in parts.
const CURRENT: &str = "current";
const META: &str = "world";
const TEXT: &str = "env:";
const ROWS: &str = "rows:";
/// The Cloud Shell's uploaded files, as a JSON map of name to text.
pub(crate) const FILES: &str = "files";
/// The playground session beside the world (its script, scenario, the generator's position).
pub(crate) const SESSION: &str = "session";

fn err(e: impl core::fmt::Display) -> String {
    format!("IndexedDB: {e}")
}

pub(crate) async fn open() -> Result<Database, String> {
    let factory = Factory::new().map_err(err)?;
    let mut request = factory.open(DB_NAME, Some(1)).map_err(err)?;
    request.on_upgrade_needed(|event| {
        if let Ok(db) = event.database() {
            let _ = db.create_object_store(STORE, ObjectStoreParams::new());
        }
    });
    request.await.map_err(err)
}

/// Keys starting with `prefix` (`prefix` up to `prefix` + U+FFFF).
fn prefixed(prefix: &str) -> Result<Query, String> {
    let upper = format!("{prefix}\u{ffff}");
    KeyRange::bound(&JsValue::from_str(prefix), &JsValue::from_str(&upper), Some(false), Some(false))
        .map(Query::from)
        .map_err(err)
}

/// Every key and value under `prefix`, the key without it.
async fn all(store: &ObjectStore, prefix: &str) -> Result<Vec<(String, JsValue)>, String> {
    let keys = store.get_all_keys(Some(prefixed(prefix)?), None).map_err(err)?.await.map_err(err)?;
    let values = store.get_all(Some(prefixed(prefix)?), None).map_err(err)?.await.map_err(err)?;
    Ok(keys
        .into_iter()
        .zip(values)
        .filter_map(|(k, v)| k.as_string().map(|k| (k[prefix.len()..].to_string(), v)))
        .collect())
}

async fn text(store: &ObjectStore, key: &str) -> Result<Option<String>, String> {
    let value: Option<JsValue> = store.get(JsValue::from_str(key)).map_err(err)?.await.map_err(err)?;
    Ok(value.and_then(|v| v.as_string()))
}

pub(crate) async fn load(db: &Database) -> Result<Saved, String> {
    let tx = db.transaction(&[STORE], TransactionMode::ReadOnly).map_err(err)?;
    let store = tx.object_store(STORE).map_err(err)?;
    let world = match text(&store, META).await? {
        Some(meta) => {
            let texts = all(&store, TEXT).await?.into_iter().filter_map(|(k, v)| Some((k, v.as_string()?))).collect();
            Some(SavedWorld::Parts { meta, texts })
        }
        None => text(&store, CURRENT).await?.map(SavedWorld::Envelope),
    };
    let saved = Saved { world, files: text(&store, FILES).await?, session: text(&store, SESSION).await? };
    tx.await.map_err(err)?;
    Ok(saved)
}

/// Every environment's records, by environment id (the bulk of a save: read after the rest).
pub(crate) async fn load_records(db: &Database) -> Result<Vec<(String, Vec<u8>)>, String> {
    let tx = db.transaction(&[STORE], TransactionMode::ReadOnly).map_err(err)?;
    let store = tx.object_store(STORE).map_err(err)?;
    let records = all(&store, ROWS)
        .await?
        .into_iter()
        .filter_map(|(k, v)| Some((k, v.dyn_into::<Uint8Array>().ok()?.to_vec())))
        .collect();
    tx.await.map_err(err)?;
    Ok(records)
}

pub(crate) async fn save(db: &Database, key: &str, value: &JsValue) -> Result<(), String> {
    let tx = db.transaction(&[STORE], TransactionMode::ReadWrite).map_err(err)?;
    let store = tx.object_store(STORE).map_err(err)?;
    store.put(value, Some(&JsValue::from_str(key))).map_err(err)?.await.map_err(err)?;
    tx.commit().map_err(err)?.await.map_err(err)?;
    Ok(())
}

/// Writes it in one transaction: either all of it lands or none (the previous save stays whole).
/// The requests are queued without waiting for each; the transaction's end says how it went.
pub(crate) async fn write(db: &Database, write: Write) -> Result<(), String> {
    let tx = db.transaction(&[STORE], TransactionMode::ReadWrite).map_err(err)?;
    let store = tx.object_store(STORE).map_err(err)?;
    let key = |k: &str| JsValue::from_str(k);
    if let Some(changes) = write.world {
        if changes.full {
            // Nothing known of what is stored: clear every part (and the old envelope) first.
            store.delete(prefixed(TEXT)?).map_err(err)?;
            store.delete(prefixed(ROWS)?).map_err(err)?;
            store.delete(key(CURRENT)).map_err(err)?;
        }
        store.put(&JsValue::from_str(&changes.meta), Some(&key(META))).map_err(err)?;
        for (id, text) in &changes.texts {
            store.put(&JsValue::from_str(text), Some(&key(&format!("{TEXT}{id}")))).map_err(err)?;
        }
        for (id, records) in &changes.records {
            let bytes: JsValue = Uint8Array::from(records.as_slice()).into();
            store.put(&bytes, Some(&key(&format!("{ROWS}{id}")))).map_err(err)?;
        }
        for id in &changes.removed {
            store.delete(key(&format!("{TEXT}{id}"))).map_err(err)?;
            store.delete(key(&format!("{ROWS}{id}"))).map_err(err)?;
        }
    }
    if let Some(session) = &write.session {
        store.put(&JsValue::from_str(session), Some(&key(SESSION))).map_err(err)?;
    }
    tx.commit().map_err(err)?.await.map_err(err)?;
    Ok(())
}
