//! The worker's entry point: trunk builds this bin as `cmk_worker.js` + `cmk_worker_bg.wasm`.
use cmk_worker::{fault, Host, WireCodec};
use gloo_worker::Registrable;

fn main() {
    fault::report_failures();
    Host::registrar().encoding::<WireCodec>().register();
}
