//! Hash routes, so deep links work on any static host and under any sub-path.

use std::fmt;

use yew::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Home,
    ResourceGroups,
    KeyVaults,
    CreateVault,
    Vault { vault: String },
    GenerateKey { vault: String },
    Key { vault: String, key: String },
    KeyVersion { vault: String, key: String, version: String },
    NotFound { path: String },
}

impl Route {
    /// Parses `#/keyvaults/kv/keys/cmk` style hashes (leading `#` optional).
    pub fn parse(hash: &str) -> Self {
        let path = hash.trim_start_matches('#').trim_start_matches('/');
        let parts: Vec<String> = path.split('/').filter(|p| !p.is_empty()).map(decode).collect();
        let p: Vec<&str> = parts.iter().map(String::as_str).collect();
        match p.as_slice() {
            [] | ["home"] => Self::Home,
            ["resourcegroups"] => Self::ResourceGroups,
            ["keyvaults"] => Self::KeyVaults,
            ["create", "keyvault"] => Self::CreateVault,
            ["keyvaults", v] => Self::Vault { vault: (*v).into() },
            ["keyvaults", v, "generate"] => Self::GenerateKey { vault: (*v).into() },
            ["keyvaults", v, "keys", k] => Self::Key { vault: (*v).into(), key: (*k).into() },
            ["keyvaults", v, "keys", k, ver] => {
                Self::KeyVersion { vault: (*v).into(), key: (*k).into(), version: (*ver).into() }
            }
            _ => Self::NotFound { path: path.into() },
        }
    }

    /// The `href` of this route.
    pub fn href(&self) -> String {
        format!("#{self}")
    }
}

fn decode(s: &str) -> String {
    js_sys::decode_uri_component(s).ok().and_then(|v| v.as_string()).unwrap_or_else(|| s.into())
}

impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Home => write!(f, "/home"),
            Self::ResourceGroups => write!(f, "/resourcegroups"),
            Self::KeyVaults => write!(f, "/keyvaults"),
            Self::CreateVault => write!(f, "/create/keyvault"),
            Self::Vault { vault } => write!(f, "/keyvaults/{vault}"),
            Self::GenerateKey { vault } => write!(f, "/keyvaults/{vault}/generate"),
            Self::Key { vault, key } => write!(f, "/keyvaults/{vault}/keys/{key}"),
            Self::KeyVersion { vault, key, version } => write!(f, "/keyvaults/{vault}/keys/{key}/{version}"),
            Self::NotFound { path } => write!(f, "/{path}"),
        }
    }
}

/// Sends the browser to `route` (adds a history entry; the hash listener re-renders).
pub fn navigate(route: &Route) {
    if let Some(w) = web_sys::window() {
        let _ = w.location().set_hash(&route.to_string());
    }
}

fn current() -> Route {
    web_sys::window().and_then(|w| w.location().hash().ok()).map(|h| Route::parse(&h)).unwrap_or(Route::Home)
}

/// The current route, re-rendering on every `hashchange`.
#[hook]
pub fn use_route() -> Route {
    let route = use_state(current);
    {
        let route = route.clone();
        use_effect_with((), move |_| {
            let listener = wasm_bindgen::closure::Closure::<dyn Fn()>::new(move || route.set(current()));
            let window = web_sys::window();
            if let Some(w) = &window {
                let _ = w.add_event_listener_with_callback(
                    "hashchange",
                    wasm_bindgen::JsCast::unchecked_ref(listener.as_ref()),
                );
            }
            move || {
                if let Some(w) = &window {
                    let _ = w.remove_event_listener_with_callback(
                        "hashchange",
                        wasm_bindgen::JsCast::unchecked_ref(listener.as_ref()),
                    );
                }
                drop(listener);
            }
        });
    }
    (*route).clone()
}
