//! The mock Azure portal.

pub mod create_vault;
pub mod generate_key;
pub mod home;
pub mod key;
pub mod key_vaults;
pub mod key_version;
pub mod resource_groups;
pub mod vault;

pub use create_vault::CreateVaultPage;
pub use generate_key::GenerateKeyPage;
pub use home::HomePage;
pub use key::KeyPage;
pub use key_vaults::KeyVaultsPage;
pub use key_version::KeyVersionPage;
pub use resource_groups::ResourceGroupsPage;
pub use vault::VaultPage;

/// Azure's location display name for a canonical name.
pub fn location_label(name: &str) -> String {
    cmk_core::location::AZURE_LOCATIONS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, l)| (*l).to_string())
        .unwrap_or_else(|| name.into())
}
