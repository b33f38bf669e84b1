//! The worker's entry point: trunk builds this bin as `cmk_worker.js` + `cmk_worker_bg.wasm`.
use cmk_worker::{Host, JsonCodec};
use gloo_worker::Registrable;

fn main() {
    Host::registrar().encoding::<JsonCodec>().register();
}
