//! Regions: the Azure regions offered for resource groups and vaults (name, display name), and
//! the Power Platform regions of environments and enterprise policies.

pub static AZURE_LOCATIONS: &[(&str, &str)] = &[
    ("eastus", "East US"),
    ("eastus2", "East US 2"),
    ("centralus", "Central US"),
    ("westus", "West US"),
    ("westus2", "West US 2"),
    ("westus3", "West US 3"),
    ("canadacentral", "Canada Central"),
    ("canadaeast", "Canada East"),
    ("brazilsouth", "Brazil South"),
    ("northeurope", "North Europe"),
    ("westeurope", "West Europe"),
    ("uksouth", "UK South"),
    ("ukwest", "UK West"),
    ("francecentral", "France Central"),
    ("germanywestcentral", "Germany West Central"),
    ("switzerlandnorth", "Switzerland North"),
    ("norwayeast", "Norway East"),
    ("swedencentral", "Sweden Central"),
    ("southafricanorth", "South Africa North"),
    ("uaenorth", "UAE North"),
    ("centralindia", "Central India"),
    ("japaneast", "Japan East"),
    ("koreacentral", "Korea Central"),
    ("southeastasia", "Southeast Asia"),
    ("eastasia", "East Asia"),
    ("australiaeast", "Australia East"),
];

/// The canonical lower-case name of a location given by name or display name.
pub fn canonical_location(input: &str) -> Option<&'static str> {
    let squashed: alloc::string::String = input.chars().filter(|c| !c.is_whitespace()).collect();
    AZURE_LOCATIONS.iter().find(|(name, _)| name.eq_ignore_ascii_case(&squashed)).map(|(name, _)| *name)
}

/// Power Platform regions an enterprise policy may live in (SPEC EP-3).
pub const POLICY_LOCATIONS: [&str; 18] = [
    "unitedstates",
    "southafrica",
    "uk",
    "japan",
    "india",
    "france",
    "europe",
    "germany",
    "switzerland",
    "canada",
    "brazil",
    "australia",
    "asia",
    "uae",
    "korea",
    "norway",
    "singapore",
    "sweden",
];
