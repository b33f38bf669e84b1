//! Why an argument of the real Azure CLI is not simulated: what it does there, said where the
//! shell refuses it (NotSimulated) and in `--help`. Arguments with no entry get the plain refusal.

/// What `name` does in the real CLI (on `path`, an `az` form's path), for the arguments people
/// reach for; `None` for the rest.
pub fn reason(path: &str, name: &str) -> Option<&'static str> {
    let keys = path.starts_with("az keyvault key ");
    Some(match name {
        "--change-reference" | "--acquire-policy-token" => "it ties the change to Azure Policy's change-safety checks",
        "--id" | "--ids" if keys => "it names the key by its identifier; name it with --vault-name and --name",
        "--id" | "--ids" => "it names the resource by its full id; name it with its name arguments",
        "--filter" => "it filters with a Microsoft Graph OData expression; use --display-name",
        "--spn" | "--upn" if path.starts_with("az ad ") => "it finds principals by a name this directory does not keep",
        "--spn" | "--upn" => "it names the principal by name; give its --object-id",
        "--set" | "--add" | "--remove" | "--force-string" => "it edits any property by its path (generic update)",
        "--policy" | "--immutable" | "--exportable" | "--default-cvm-policy" | "--default-data-disk-policy" => {
            "it sets a key release policy, for confidential computing, which Power Platform does not use"
        }
        "--curve" => "it makes an elliptic-curve key; Power Platform needs RSA",
        "--iv" | "--aad" | "--tag" if keys => "it is for AES keys of a Managed HSM, which are not simulated",
        "--tag" | "--tags" => "it filters or sets tags this command does not keep here",
        "--network-acls" => {
            "it takes the firewall's rules as JSON; give --default-action, --network-acls-ips and --network-acls-vnets"
        }
        "--enabled-for-deployment" | "--enabled-for-disk-encryption" | "--enabled-for-template-deployment" => {
            "it lets Azure services read the vault's secrets, and secrets are not simulated"
        }
        "--secret-permissions" | "--certificate-permissions" | "--storage-permissions" => {
            "it grants rights on secrets, certificates or storage accounts; only keys are simulated"
        }
        "--application-id" => "it makes a compound-identity access policy",
        "--resource-group" | "--location" if path.starts_with("az keyvault") => {
            "it narrows where the vault is looked up; vault names are unique here"
        }
        "--template-uri" | "--template-spec" | "--query-string" => {
            "it deploys a template from elsewhere; use --template-file"
        }
        "--parameters" => "it fills template parameters; the enterprise-policy template has none to fill",
        "--what-if" | "--what-if-result-format" | "--what-if-exclude-change-types" | "--confirm-with-what-if" => {
            "it previews a deployment; sim what-if previews any command here"
        }
        "--mode" | "--rollback-on-error" => {
            "it changes how ARM applies the template (Complete mode deletes what is not in it)"
        }
        "--tenant" | "--use-device-code" | "--service-principal" | "--password" | "--federated-token" | "--scope"
            if path == "az login" =>
        {
            "it signs in another way; here a persona signs in with --username"
        }
        "--condition" | "--condition-version" => "it adds an attribute-based condition to the assignment",
        "--include-groups" => "it adds assignments made to the assignee's groups, and groups are not simulated",
        "--name" if path == "az deployment group create" => {
            "it names the deployment; here a deployment takes the name of the policy its template deploys"
        }
        "--pem-password" => "it opens an encrypted PEM file; import an unencrypted one",
        "--byok-file" | "--byok-string" => "it imports a key wrapped for an HSM (bring your own key)",
        "--management-group-id" | "--management-groups" => {
            "it acts on a management group; the tenant here has one subscription"
        }
        "--api-version" | "--latest-include-preview" | "--expand" => "it calls another version of the provider's API",
        _ => return None,
    })
}
