//! The worker's entry point: trunk builds this bin as `cmk_worker.js` + `cmk_worker_bg.wasm`.
use cmk_worker::{fault, Host, JsonCodec};
use gloo_worker::Registrable;

fn main() {
    fault::report_failures();
    Host::registrar().encoding::<JsonCodec>().register();
}
