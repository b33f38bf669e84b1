//! The mock Azure portal.

pub mod access_control;
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
pub mod resource_groups;
pub mod subscriptions;
pub mod vault;
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

/// Azure's location display name for a canonical name.
pub fn location_label(name: &str) -> String {
    cmk_core::location::AZURE_LOCATIONS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, l)| (*l).to_string())
        .unwrap_or_else(|| name.into())
}
