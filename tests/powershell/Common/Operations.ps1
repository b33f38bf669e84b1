# Shared by 04-cmk-style.ps1, in the way Microsoft's CMK scripts share Common\*.ps1: dot-sourced
# with a Windows path relative to $PSScriptRoot, itself dot-sourcing a file one folder up.
. "$PSScriptRoot\..\helpers.ps1"

function Connect-Tenant {
    param(
        [Parameter(Mandatory = $false)]
        [ValidateSet("public", "sovereign")]
        [String]$cloud,
        [Parameter(Mandatory = $true)]
        [String]$account
    )
    # Our own helper: which cloud to sign in to, then the account, splatted.
    $signIn = @{ AccountId = $account }
    $signIn['Environment'] = if ($cloud -eq "sovereign") { "AzureUSGovernment" } else { "AzureCloud" }
    $profile = Connect-AzAccount @signIn
    if (-not $profile) {
        Write-Warning "Sign-in to $($signIn.Environment) as $account did not work."
        return $false
    }
    return $true
}

function Get-PolicyById([String]$policyArmId) {
    $policy = Get-AzResource -ResourceId $policyArmId -ExpandProperties
    if ($null -eq $policy.ResourceId) { return $null }
    return $policy
}
