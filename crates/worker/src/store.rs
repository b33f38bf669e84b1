//! The save in IndexedDB: one object store, the current envelope under `current`, and saves that
//! could not be loaded kept aside under `rejected-N`.

use idb::{Database, DatabaseEvent, Factory, ObjectStoreParams, TransactionMode};
use wasm_bindgen::JsValue;

const DB_NAME: &str = "cmk-playground";
const STORE: &str = "saves";
const CURRENT: &str = "current";
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

pub(crate) async fn load(db: &Database) -> Result<Option<String>, String> {
    load_key(db, CURRENT).await
}

pub(crate) async fn load_key(db: &Database, key: &str) -> Result<Option<String>, String> {
    let tx = db.transaction(&[STORE], TransactionMode::ReadOnly).map_err(err)?;
    let store = tx.object_store(STORE).map_err(err)?;
    let value: Option<JsValue> = store.get(JsValue::from_str(key)).map_err(err)?.await.map_err(err)?;
    tx.await.map_err(err)?;
    Ok(value.and_then(|v| v.as_string()))
}

pub(crate) async fn save(db: &Database, key: &str, text: &str) -> Result<(), String> {
    let tx = db.transaction(&[STORE], TransactionMode::ReadWrite).map_err(err)?;
    let store = tx.object_store(STORE).map_err(err)?;
    store.put(&JsValue::from_str(text), Some(&JsValue::from_str(key))).map_err(err)?.await.map_err(err)?;
    tx.commit().map_err(err)?.await.map_err(err)?;
    Ok(())
}

pub(crate) async fn save_current(db: &Database, text: &str) -> Result<(), String> {
    save(db, CURRENT, text).await
}
