//! JSON on the wire between page and worker: the core's types use serde features (tagged and
//! untagged enums) that bincode, gloo-worker's default, cannot carry.
//!
//! Decoding never panics: a message that does not fit the protocol (a page and a worker from
//! different builds, say) becomes `Request::Malformed` / `Response::Malformed` with the reason,
//! inside gloo's own framing when that framing is intact, so the other side answers with an error.

use gloo_worker::Codec;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use wasm_bindgen::JsValue;

#[derive(Debug)]
pub struct JsonCodec;

/// What `text` becomes when it cannot be read as `O`: the framing kept, the payload replaced.
fn fallback<O: for<'de> Deserialize<'de>>(text: &str, reason: &str) -> Option<O> {
    let malformed = json!({ "Malformed": { "reason": reason } });
    let mut candidates = Vec::new();
    if let Ok(Value::Object(mut outer)) = serde_json::from_str::<Value>(text) {
        for frame in ["ProcessInput", "ProcessOutput"] {
            if let Some(Value::Array(parts)) = outer.get_mut(frame) {
                if parts.len() == 2 {
                    parts[1] = malformed.clone();
                    candidates.push(Value::Object(outer.clone()));
                }
            }
        }
    }
    candidates.push(malformed);
    // Harmless framing messages, for text that is not ours at all.
    candidates.push(json!("WorkerLoaded"));
    candidates.push(json!({ "Connected": usize::MAX }));
    // Read back from text, not from the Value: `from_str` is already compiled for `O`, while
    // `from_value` would add a second copy of every message type's decoder (+230 KB of wasm).
    candidates.into_iter().find_map(|v| serde_json::from_str(&v.to_string()).ok())
}

impl Codec for JsonCodec {
    fn encode<I: Serialize>(input: I) -> JsValue {
        match serde_json::to_string(&input) {
            Ok(text) => JsValue::from_str(&text),
            // Both ends are this same build: a message that cannot be encoded is a bug.
            Err(e) => JsValue::from_str(&format!("{{\"codecError\":\"{e}\"}}")),
        }
    }

    fn decode<O: for<'de> Deserialize<'de>>(input: JsValue) -> O {
        let text = input.as_string().unwrap_or_default();
        match serde_json::from_str(&text) {
            Ok(o) => o,
            Err(e) => {
                let reason = format!("a message did not fit the protocol ({e})");
                match fallback(&text, &reason) {
                    Some(o) => o,
                    // Every type this codec carries (Request, Response and gloo's frames around
                    // them) takes one of the fallbacks above.
                    None => unreachable!("no fallback fits the codec's message type"),
                }
            }
        }
    }
}
