//! Hash routes, so deep links work on any static host and under any sub-path.

use std::fmt;

use yew::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Home,
    ResourceGroups,
    KeyVaults,
    CreateVault,
    Vault {
        vault: String,
    },
    GenerateKey {
        vault: String,
    },
    VaultNetworking {
        vault: String,
    },
    VaultProperties {
        vault: String,
    },
    AccessPolicies {
        vault: String,
    },
    /// Key vault › Objects › Keys.
    VaultKeys {
        vault: String,
    },
    /// Key vault › Settings › Access configuration (the permission model).
    VaultAccessConfiguration {
        vault: String,
    },
    /// An item of a key vault's resource menu with no blade of its own here (Tags, Secrets, …),
    /// by its path word (`tags`, `secrets`).
    VaultItem {
        vault: String,
        item: String,
    },
    Key {
        vault: String,
        key: String,
    },
    KeyVersion {
        vault: String,
        key: String,
        version: String,
    },
    Subscriptions,
    /// The subscription's blade (its Overview).
    Subscription,
    /// An item of the subscription's menu not simulated here (`activitylog`).
    SubscriptionItem {
        item: String,
    },
    /// A resource group's blade (its Overview).
    ResourceGroup {
        group: String,
    },
    /// An item of a resource group's menu (`tags`, `activitylog`, `deployments`).
    ResourceGroupItem {
        group: String,
        item: String,
    },
    /// A resource group's deployment: its outcome and its template.
    Deployment {
        group: String,
        name: String,
    },
    /// Subscriptions › (subscription) › Resource providers.
    ResourceProviders,
    /// Microsoft Entra ID › Users.
    Users,
    User {
        id: String,
    },
    /// Access control (IAM) of a scope (subscription, resource group, vault, policy).
    AccessControl {
        scope: String,
    },
    /// + Add › Add role assignment, at a scope.
    AddRoleAssignment {
        scope: String,
    },
    /// Deploy a custom template › Build your own template in the editor.
    DeployTemplate,
    /// Key vaults › Manage deleted vaults.
    DeletedVaults,
    /// Create a Managed HSM.
    CreateHsm,
    /// Enterprise policies (Power Platform) as Azure resources.
    EnterprisePolicies,
    EnterprisePolicy {
        name: String,
    },
    /// An item of an enterprise policy's resource menu (`properties`, `json`, `activitylog`).
    EnterprisePolicyItem {
        name: String,
        item: String,
    },
    /// Resource Graph Explorer.
    ResourceGraph,
    /// The playground's guided scenarios.
    Scenarios,
    /// The Power Platform admin center, under `#/ppac/…`.
    Ppac(PpacRoute),
    NotFound {
        path: String,
    },
}

/// Pages of the Power Platform admin center.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PpacRoute {
    /// The navigation pane's Manage: the Manage pane (Environments, …).
    Manage,
    /// The navigation pane's Security: its page, with the Data and privacy pane open or not.
    Security { data_and_privacy: bool },
    /// Manage › Environments.
    Environments,
    /// An environment's page, on one of its tabs.
    Environment { id: String, tab: EnvironmentTab },
    /// Security › Data and privacy › Customer-managed encryption key: the Enterprise policies
    /// page, on its All policies tab or its Environments with policies tab.
    EnterprisePolicies { with_environments: bool },
    /// One enterprise policy (by name).
    EnterprisePolicy { name: String },
    /// One enterprise policy with Edit policy open (the list's command bar leads here).
    EditEnterprisePolicy { name: String },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EnvironmentTab {
    Details,
    History,
    Backups,
    Data,
}

impl EnvironmentTab {
    pub const ALL: [EnvironmentTab; 4] = [Self::Details, Self::History, Self::Backups, Self::Data];
    fn slug(self) -> &'static str {
        match self {
            Self::Details => "",
            Self::History => "/history",
            Self::Backups => "/backups",
            Self::Data => "/data",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Details => "Details",
            Self::History => "History",
            Self::Backups => "Backup & restore",
            Self::Data => "Data",
        }
    }
}

impl Route {
    /// Whether the route belongs to the Power Platform admin center.
    pub fn is_ppac(&self) -> bool {
        matches!(self, Self::Ppac(_))
    }
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
            ["keyvaults", v, "networking"] => Self::VaultNetworking { vault: (*v).into() },
            ["keyvaults", v, "properties"] => Self::VaultProperties { vault: (*v).into() },
            ["keyvaults", v, "accesspolicies"] => Self::AccessPolicies { vault: (*v).into() },
            ["keyvaults", v, "keys"] => Self::VaultKeys { vault: (*v).into() },
            ["keyvaults", v, "accessconfiguration"] => Self::VaultAccessConfiguration { vault: (*v).into() },
            ["keyvaults", v, "menu", item] => Self::VaultItem { vault: (*v).into(), item: (*item).into() },
            ["keyvaults", v, "keys", k] => Self::Key { vault: (*v).into(), key: (*k).into() },
            ["keyvaults", v, "keys", k, ver] => {
                Self::KeyVersion { vault: (*v).into(), key: (*k).into(), version: (*ver).into() }
            }
            ["subscriptions"] => Self::Subscriptions,
            ["subscriptions", "overview"] => Self::Subscription,
            ["subscriptions", "menu", item] => Self::SubscriptionItem { item: (*item).into() },
            ["resourcegroups", g] => Self::ResourceGroup { group: (*g).into() },
            ["resourcegroups", g, item] => Self::ResourceGroupItem { group: (*g).into(), item: (*item).into() },
            ["resourcegroups", g, "deployments", d] => Self::Deployment { group: (*g).into(), name: (*d).into() },
            ["subscriptions", "providers"] => Self::ResourceProviders,
            ["entra", "users"] => Self::Users,
            ["entra", "users", id] => Self::User { id: (*id).into() },
            ["iam", scope] => Self::AccessControl { scope: (*scope).into() },
            ["iam", scope, "add"] => Self::AddRoleAssignment { scope: (*scope).into() },
            ["deploy"] => Self::DeployTemplate,
            ["deletedvaults"] => Self::DeletedVaults,
            ["create", "managedhsm"] => Self::CreateHsm,
            ["enterprisepolicies"] => Self::EnterprisePolicies,
            ["enterprisepolicies", name] => Self::EnterprisePolicy { name: (*name).into() },
            ["enterprisepolicies", name, item] => {
                Self::EnterprisePolicyItem { name: (*name).into(), item: (*item).into() }
            }
            ["resourcegraph"] => Self::ResourceGraph,
            ["scenarios"] => Self::Scenarios,
            // A share link (#share=…): the page asks before opening it, over the home page.
            [s] if s.starts_with("share=") => Self::Home,
            ["ppac"] | ["ppac", "environments"] => Self::Ppac(PpacRoute::Environments),
            ["ppac", "manage"] => Self::Ppac(PpacRoute::Manage),
            ["ppac", "security"] => Self::Ppac(PpacRoute::Security { data_and_privacy: false }),
            ["ppac", "security", "dataandprivacy"] => Self::Ppac(PpacRoute::Security { data_and_privacy: true }),
            ["ppac", "environments", id] => {
                Self::Ppac(PpacRoute::Environment { id: (*id).into(), tab: EnvironmentTab::Details })
            }
            ["ppac", "environments", id, tab] => match *tab {
                "history" => Self::Ppac(PpacRoute::Environment { id: (*id).into(), tab: EnvironmentTab::History }),
                "backups" => Self::Ppac(PpacRoute::Environment { id: (*id).into(), tab: EnvironmentTab::Backups }),
                "data" => Self::Ppac(PpacRoute::Environment { id: (*id).into(), tab: EnvironmentTab::Data }),
                _ => Self::NotFound { path: path.into() },
            },
            ["ppac", "enterprisepolicies"] => Self::Ppac(PpacRoute::EnterprisePolicies { with_environments: false }),
            ["ppac", "enterprisepolicies", "environments"] => {
                Self::Ppac(PpacRoute::EnterprisePolicies { with_environments: true })
            }
            ["ppac", "enterprisepolicies", "policy", name] => {
                Self::Ppac(PpacRoute::EnterprisePolicy { name: (*name).into() })
            }
            ["ppac", "enterprisepolicies", "policy", name, "edit"] => {
                Self::Ppac(PpacRoute::EditEnterprisePolicy { name: (*name).into() })
            }
            _ => Self::NotFound { path: path.into() },
        }
    }

    /// The `href` of this route.
    pub fn href(&self) -> String {
        format!("#{self}")
    }
}

/// A scope (with its slashes) as one path segment.
fn encode(s: &str) -> String {
    String::from(js_sys::encode_uri_component(s))
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
            Self::VaultNetworking { vault } => write!(f, "/keyvaults/{vault}/networking"),
            Self::VaultProperties { vault } => write!(f, "/keyvaults/{vault}/properties"),
            Self::AccessPolicies { vault } => write!(f, "/keyvaults/{vault}/accesspolicies"),
            Self::VaultKeys { vault } => write!(f, "/keyvaults/{vault}/keys"),
            Self::VaultAccessConfiguration { vault } => write!(f, "/keyvaults/{vault}/accessconfiguration"),
            Self::VaultItem { vault, item } => write!(f, "/keyvaults/{vault}/menu/{item}"),
            Self::Key { vault, key } => write!(f, "/keyvaults/{vault}/keys/{key}"),
            Self::KeyVersion { vault, key, version } => write!(f, "/keyvaults/{vault}/keys/{key}/{version}"),
            Self::Subscriptions => write!(f, "/subscriptions"),
            Self::Subscription => write!(f, "/subscriptions/overview"),
            Self::SubscriptionItem { item } => write!(f, "/subscriptions/menu/{item}"),
            Self::ResourceGroup { group } => write!(f, "/resourcegroups/{group}"),
            Self::ResourceGroupItem { group, item } => write!(f, "/resourcegroups/{group}/{item}"),
            Self::Deployment { group, name } => write!(f, "/resourcegroups/{group}/deployments/{name}"),
            Self::ResourceProviders => write!(f, "/subscriptions/providers"),
            Self::Users => write!(f, "/entra/users"),
            Self::User { id } => write!(f, "/entra/users/{id}"),
            Self::AccessControl { scope } => write!(f, "/iam/{}", encode(scope)),
            Self::AddRoleAssignment { scope } => write!(f, "/iam/{}/add", encode(scope)),
            Self::DeployTemplate => write!(f, "/deploy"),
            Self::DeletedVaults => write!(f, "/deletedvaults"),
            Self::CreateHsm => write!(f, "/create/managedhsm"),
            Self::EnterprisePolicies => write!(f, "/enterprisepolicies"),
            Self::EnterprisePolicy { name } => write!(f, "/enterprisepolicies/{name}"),
            Self::EnterprisePolicyItem { name, item } => write!(f, "/enterprisepolicies/{name}/{item}"),
            Self::ResourceGraph => write!(f, "/resourcegraph"),
            Self::Scenarios => write!(f, "/scenarios"),
            Self::Ppac(PpacRoute::Environments) => write!(f, "/ppac/environments"),
            Self::Ppac(PpacRoute::Manage) => write!(f, "/ppac/manage"),
            Self::Ppac(PpacRoute::Security { data_and_privacy: false }) => write!(f, "/ppac/security"),
            Self::Ppac(PpacRoute::Security { data_and_privacy: true }) => write!(f, "/ppac/security/dataandprivacy"),
            Self::Ppac(PpacRoute::Environment { id, tab }) => write!(f, "/ppac/environments/{id}{}", tab.slug()),
            Self::Ppac(PpacRoute::EnterprisePolicies { with_environments: false }) => {
                write!(f, "/ppac/enterprisepolicies")
            }
            Self::Ppac(PpacRoute::EnterprisePolicies { with_environments: true }) => {
                write!(f, "/ppac/enterprisepolicies/environments")
            }
            Self::Ppac(PpacRoute::EnterprisePolicy { name }) => write!(f, "/ppac/enterprisepolicies/policy/{name}"),
            Self::Ppac(PpacRoute::EditEnterprisePolicy { name }) => {
                write!(f, "/ppac/enterprisepolicies/policy/{name}/edit")
            }
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

/// The route the address bar shows now.
pub fn current() -> Route {
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
