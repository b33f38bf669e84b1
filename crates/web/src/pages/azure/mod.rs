//! The mock Azure portal.

pub mod access_control;
pub mod activity_log;
pub mod create_vault;
pub mod deleted;
pub mod deploy_template;
pub mod enterprise_policy;
pub mod entra;
pub mod generate_key;
pub mod home;
pub mod key;
pub mod key_vaults;
pub mod key_version;
pub mod managed_hsm;
pub mod resource_graph;
pub mod resource_group;
pub mod resource_groups;
pub mod subscriptions;
pub mod vault;
pub mod vault_menu;
pub mod vault_settings;

pub use access_control::{AccessControlPage, AddRoleAssignmentPage};
pub use create_vault::CreateVaultPage;
pub use deleted::{DeletedList, DeletedVaultsPage};
pub use deploy_template::DeployTemplatePage;
pub use enterprise_policy::{EnterprisePoliciesPage, EnterprisePolicyPage};
pub use entra::{UserPage, UsersPage};
pub use generate_key::GenerateKeyPage;
pub use home::HomePage;
pub use key::KeyPage;
pub use key_vaults::KeyVaultsPage;
pub use key_version::KeyVersionPage;
pub use managed_hsm::{CreateHsmPage, HsmSection};
pub use resource_graph::ResourceGraphPage;
pub use resource_groups::ResourceGroupsPage;
pub use subscriptions::{ResourceProvidersPage, SubscriptionsPage};
pub use vault::VaultPage;
pub use vault_settings::{AccessPoliciesPage, VaultNetworkingPage, VaultPropertiesPage};

/// Whether a vault is a Managed HSM (its resource type says so).
pub fn is_hsm(vault: &cmk_core::view::VaultView) -> bool {
    vault.resource_type.ends_with("managedHSMs")
}

/// What the portal calls the resource: "Managed HSM" or "Key vault".
pub fn vault_kind(vault: &cmk_core::view::VaultView) -> &'static str {
    if is_hsm(vault) {
        "Managed HSM"
    } else {
        "Key vault"
    }
}

/// The persona's Azure roles at the subscription's own scope ("My role").
pub fn subscription_roles(view: &cmk_core::View) -> Vec<String> {
    let at = format!("@ /subscriptions/{}", view.subscription_id);
    view.signed_in
        .azure_roles
        .iter()
        .filter(|r| r.ends_with(&at))
        .map(|r| r.split(" @ ").next().unwrap_or(r).to_string())
        .collect()
}

/// Azure's location display name for a canonical name.
pub fn location_label(name: &str) -> String {
    cmk_core::location::AZURE_LOCATIONS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, l)| (*l).to_string())
        .unwrap_or_else(|| name.into())
}

/// A principal as the portal names it: a persona's display name, or a policy's managed identity.
pub fn principal_label(view: &cmk_core::View, id: &str) -> String {
    view.personas
        .iter()
        .find(|u| u.id == id)
        .map(|u| u.display_name.clone())
        .or_else(|| {
            view.policies
                .iter()
                .find(|p| p.identity.principal_id == id)
                .map(|p| format!("{} (managed identity)", p.name))
        })
        .unwrap_or_else(|| id.to_string())
}

/// Every principal a role or policy can be given to: the personas, then the policies' identities.
pub fn principal_options(view: &cmk_core::View) -> Vec<(String, String)> {
    let mut list: Vec<(String, String)> =
        view.personas.iter().map(|u| (u.id.clone(), u.display_name.clone())).collect();
    list.extend(
        view.policies.iter().map(|p| (p.identity.principal_id.clone(), format!("{} (managed identity)", p.name))),
    );
    list
}
