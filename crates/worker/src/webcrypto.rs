//! RSA key generation with the browser's WebCrypto (about 10x faster than pure-Rust RSA in wasm),
//! exported as PKCS#8 for the core to validate and keep.

use js_sys::{Array, ArrayBuffer, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Crypto, CryptoKey};

fn js_err(e: JsValue) -> String {
    e.as_string()
        .or_else(|| js_sys::JSON::stringify(&e).ok().and_then(|s| s.as_string()))
        .unwrap_or_else(|| "unknown error".into())
}

/// A new RSA-OAEP key pair of `bits` from WebCrypto, its private key as PKCS#8 DER. Works in the
/// worker and on a page alike (the global's `crypto`).
pub async fn generate_rsa_pkcs8(bits: u32) -> Result<Vec<u8>, String> {
    let crypto: Crypto = Reflect::get(&js_sys::global(), &"crypto".into())
        .map_err(js_err)?
        .dyn_into()
        .map_err(|_| "this browser offers no WebCrypto here".to_string())?;
    let subtle = crypto.subtle();
    let algorithm = Object::new();
    Reflect::set(&algorithm, &"name".into(), &"RSA-OAEP".into()).map_err(js_err)?;
    Reflect::set(&algorithm, &"modulusLength".into(), &JsValue::from(bits)).map_err(js_err)?;
    Reflect::set(&algorithm, &"publicExponent".into(), &Uint8Array::from(&[1u8, 0, 1][..])).map_err(js_err)?;
    Reflect::set(&algorithm, &"hash".into(), &"SHA-256".into()).map_err(js_err)?;
    let usages = Array::of2(&"encrypt".into(), &"decrypt".into());
    let pair = JsFuture::from(subtle.generate_key_with_object(&algorithm, true, &usages).map_err(js_err)?)
        .await
        .map_err(js_err)?;
    let private: CryptoKey = Reflect::get(&pair, &"privateKey".into())
        .map_err(js_err)?
        .dyn_into()
        .map_err(|_| "no private key".to_string())?;
    let exported = JsFuture::from(subtle.export_key("pkcs8", &private).map_err(js_err)?).await.map_err(js_err)?;
    let buffer: ArrayBuffer = exported.dyn_into().map_err(|_| "export gave no bytes".to_string())?;
    Ok(Uint8Array::new(&buffer).to_vec())
}
