//! JSON on the wire between page and worker: the core's types use serde features (tagged and
//! untagged enums) that bincode, gloo-worker's default, cannot carry.

use gloo_worker::Codec;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

#[derive(Debug)]
pub struct JsonCodec;

impl Codec for JsonCodec {
    fn encode<I: Serialize>(input: I) -> JsValue {
        match serde_json::to_string(&input) {
            Ok(text) => JsValue::from_str(&text),
            // Both ends are this same build: a message that cannot be encoded is a bug.
            Err(e) => JsValue::from_str(&format!("{{\"codecError\":\"{e}\"}}")),
        }
    }

    #[allow(clippy::expect_used)] // The trait gives no error path; both ends are this same build.
    fn decode<O: for<'de> Deserialize<'de>>(input: JsValue) -> O {
        let text = input.as_string().unwrap_or_default();
        serde_json::from_str(&text).expect("page and worker speak the same protocol")
    }
}
