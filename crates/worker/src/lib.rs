//! # cmk-worker
//!
//! The Web Worker that owns the world. The page sends [`Request`]s and receives [`Response`]s;
//! the worker holds the [`cmk_core::World`], the RNG and the save in IndexedDB, and does the slow
//! work (RSA key generation) off the page's thread. Its rules are [`HostCore`], plain Rust
//! without I/O (tested natively); [`Host`] is the thin loop that performs its effects. The protocol types are plain data so the
//! page can depend on this crate without pulling the worker's runtime into its own wasm.

pub mod codec;
pub mod fault;
pub mod host;
pub mod host_core;
pub mod protocol;
mod store;
pub mod webcrypto;

pub use codec::WireCodec;
pub use host::Host;
pub use host_core::HostCore;
pub use protocol::{Answer, Request, Response};
