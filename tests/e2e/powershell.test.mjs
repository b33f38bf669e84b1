// Journey (issue 34): the Cloud Shell switches to PowerShell — fetched only then — and runs a
// script from the file store that prompts, calls az and waits on the simulated clock.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { serveDist, launch, shot, open, zip } from './harness.mjs';

let server, browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const SCRIPT = `param([Parameter(Mandatory)][string]$ResourceGroup)
az login --username kai@contoso.onmicrosoft.com | Out-Null
$rg = az group create --name $ResourceGroup --location westeurope | ConvertFrom-Json
Write-Host "Created $($rg.name) in $($rg.location)" -ForegroundColor Green
$before = Get-Date
Start-Sleep -Seconds 7200
"Waited $(((Get-Date) - $before).TotalHours) hours"
$go = Read-Host 'Create a vault too? (y/n)'
if ($go -eq 'y') {
    $kv = az keyvault create --name kv-ps-journey --resource-group $ResourceGroup --location westeurope | ConvertFrom-Json
    [pscustomobject]@{ Vault = $kv.name; Group = $kv.resourceGroup }
}
`;

/** Types a PowerShell entry (or a prompt's answer) and waits until the prompt is back or a prompt asks. */
async function type(page, text) {
  const input = page.getByTestId('shell-input');
  await input.fill(text);
  await input.press('Enter');
  await page.waitForFunction(() => {
    const i = document.querySelector('[data-testid="shell-input"]');
    return i && !i.disabled;
  }, null, { timeout: 30_000 });
  return page.getByTestId('ps-transcript').innerText();
}

test('PowerShell is fetched on first use, runs a script from the store, answers its prompts and moves the clock', async () => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const fetched = [];
  page.on('request', (r) => fetched.push(r.url()));
  const errors = await open(page, server.url);
  await page.getByTestId('open-shell').click();
  // The script goes into the store from the Bash side, where the upload shows.
  await page.getByLabel('Upload file').setInputFiles({ name: 'setup.ps1', mimeType: 'text/plain', buffer: Buffer.from(SCRIPT) });
  await page.getByTestId('shell-log').getByText('upload setup.ps1').waitFor();
  assert.deepEqual(fetched.filter((u) => u.includes('pwsh')), [], 'the first visit does not fetch PowerShell');

  await page.getByRole('button', { name: 'Switch to PowerShell' }).click();
  await page.getByRole('button', { name: 'Switch to Bash' }).waitFor();
  await page.getByLabel('PowerShell command').and(page.locator(':enabled')).waitFor({ timeout: 30_000 });
  assert.ok(fetched.some((u) => /cmk_pwsh_worker_bg.*\.wasm/.test(u)), 'PowerShell is fetched when it is first used');
  assert.match(await page.getByTestId('cloud-shell').innerText(), /PS \/home\/\w+>/);

  let out = await type(page, '$greeting = "hello"; "$greeting from PowerShell $($PSVersionTable.PSVersion)"');
  assert.match(out, /hello from PowerShell 7\.4\.6/);

  out = await type(page, './setup.ps1');
  assert.match(out, /Supply values for the following parameters:\nResourceGroup: $/);
  await page.getByLabel('Answer the prompt').waitFor();
  out = await type(page, 'rg-ps-journey');
  assert.match(out, /ResourceGroup: rg-ps-journey\nCreated rg-ps-journey in westeurope\nWaited 2 hours\nCreate a vault too\? \(y\/n\): $/);
  out = await type(page, 'y');
  assert.match(out, /Vault\s+Group\n-----\s+-----\nkv-ps-journey rg-ps-journey/);
  // Variables live on between entries, and errors name what failed.
  out = await type(page, 'Get-Nothing');
  assert.match(out, /Get-Nothing: The term 'Get-Nothing' is not recognized/);
  out = await type(page, '"still $greeting"');
  assert.match(out, /still hello\n$/);
  // ↑/↓ walk the lines typed at the prompt, as in a console.
  const input = page.getByLabel('PowerShell command');
  await input.press('ArrowUp');
  assert.equal(await input.inputValue(), '"still $greeting"');
  await input.press('ArrowUp');
  assert.equal(await input.inputValue(), 'Get-Nothing');
  await input.press('ArrowDown');
  await input.press('ArrowDown');
  assert.equal(await input.inputValue(), '');
  await shot(page, 'cloud-shell-powershell');

  // A folder of scripts, as Microsoft ships its CMK scripts: Cmk\ dot-sources ..\Common\ by a
  // Windows path relative to $PSScriptRoot, and its function asks for its mandatory parameter.
  await page.getByLabel('Upload file').setInputFiles({
    name: 'cmk-scripts.zip', mimeType: 'application/zip',
    buffer: zip([
      ['Common/Operations.ps1', 'function Get-VaultState([String]$name) {\n  $kv = Get-AzKeyVault -VaultName $name\n  "{0}: purge protection {1}" -f $kv.VaultName, $kv.EnablePurgeProtection\n}\n'],
      ['Cmk/Check.ps1', '. "$PSScriptRoot\\..\\Common\\Operations.ps1"\nfunction Check {\n  param([Parameter(Mandatory=$true)][String]$vaultName)\n  Get-VaultState -name $vaultName\n}\nCheck\n'],
    ]),
  });
  await page.getByLabel('PowerShell command').and(page.locator(':enabled')).waitFor();
  out = await type(page, 'Test-Path ./Cmk/Check.ps1');
  assert.match(out, /Test-Path \.\/Cmk\/Check\.ps1\nTrue\n$/);
  out = await type(page, './Cmk/Check.ps1');
  assert.match(out, /cmdlet Check at command pipeline position 1\nSupply values for the following parameters:\nvaultName: $/);
  out = await type(page, 'kv-ps-journey');
  assert.match(out, /vaultName: kv-ps-journey\nkv-ps-journey: purge protection \n$/); // not set: ARM leaves it out, the module says $null

  // The portal follows: the group exists and two simulated hours went by.
  assert.match(await page.getByTestId('clock').innerText(), /2026-01-01 02:00:00 UTC/);
  await page.getByRole('button', { name: 'Close Cloud Shell' }).click();
  await page.getByRole('link', { name: 'Resource groups' }).first().click();
  await page.getByTestId('rg-table').getByText('rg-ps-journey').waitFor();

  // The choice of shell is kept.
  await page.reload();
  await page.getByTestId('persona').waitFor();
  await page.getByTestId('open-shell').click();
  await page.getByRole('button', { name: 'Switch to Bash' }).waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

// Issue 35: a folder of runbooks in the style of Microsoft's CMK scripts (tests/powershell:
// Common\AdminApi.ps1 dot-sourced, a function asking for its mandatory parameters) links an
// environment through the admin API; its 202 is polled with Start-Sleep and the admin center
// shows the environment encrypted on the clock.
test('Scripts link an environment through the admin API, polling until the admin center shows it encrypted', async () => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const errors = await open(page, server.url);
  const file = (name) => readFileSync(new URL(`../powershell/${name}`, import.meta.url), 'utf8');
  await page.getByTestId('open-shell').click();
  await page.getByLabel('Upload file').setInputFiles({
    name: 'admin-api.zip', mimeType: 'application/zip',
    buffer: zip([
      ['05-admin-api.ps1', file('05-admin-api.ps1')],
      ['Common/AdminApi.ps1', file('Common/AdminApi.ps1')],
      ['ep-contoso-cmk.json', file('ep-contoso-cmk.json')],
    ]),
  });
  await page.getByTestId('shell-log').getByText('upload admin-api.zip').waitFor();
  await page.getByRole('button', { name: 'Switch to PowerShell' }).click();
  await page.getByLabel('PowerShell command').and(page.locator(':enabled')).waitFor({ timeout: 30_000 });

  // What was uploaded, as PowerShell lists it: the folder, then the files.
  let out = await type(page, 'ls');
  assert.match(out, /d----\s+Common\s+Common\n-----\s+\d+ 05-admin-api\.ps1/);
  out = await type(page, 'dir Common -Name');
  assert.match(out, /dir Common -Name\nAdminApi\.ps1\n$/);
  // cd moves the prompt and what relative paths mean; the scripts find their Common\ from anywhere.
  await type(page, 'cd Common');
  assert.match(await page.getByTestId('cloud-shell').innerText(), /PS \/home\/\w+\/Common>/);
  out = await type(page, '(Get-ChildItem).Name; Test-Path ../05-admin-api.ps1');
  assert.match(out, /AdminApi\.ps1\nTrue\n$/);
  await type(page, 'cd ..');
  const policy = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-cmk/providers/Microsoft.PowerPlatform/enterprisePolicies/ep-contoso-cmk';
  out = await type(page, './05-admin-api.ps1');
  assert.match(out, /Contoso-Lab\s+Sandbox\s+europe\nContoso-Prod\s+Production\s+europe/);
  assert.match(out, /environmentName: $/);
  await type(page, 'Contoso-Lab');
  out = await type(page, policy);
  // The service's own error for a rule broken, and the environment unchanged.
  assert.match(out, /The link did not start \(400 EnvironmentNotEligible\): Environment 'Contoso-Lab' is not a Managed Environment/);
  assert.match(out, /\nMicrosoft Managed key\n/);
  await type(page, 'Contoso-Prod');
  out = await type(page, policy);
  assert.match(out, /Link accepted; the service asks to poll every 3600 seconds\.\nPoll until it finishes\? \(y\/n\): $/);
  out = await type(page, 'y');
  assert.match(out, /Operation Update Customer Managed Key: Succeeded after \d+ checks\nContoso-Prod is now Warning, key managed by Customer, policy ep-contoso-cmk/);
  await shot(page, 'cloud-shell-powershell-admin-api');

  // The admin center shows what the script did, as if it had been clicked.
  await page.getByRole('button', { name: 'Close Cloud Shell' }).click();
  await page.getByRole('button', { name: 'App launcher' }).click();
  await page.getByRole('link', { name: 'Power Platform admin center' }).click();
  await page.getByRole('navigation', { name: 'Admin center navigation' }).getByRole('link', { name: 'Manage' }).click();
  await page.getByRole('list', { name: 'Manage' }).getByRole('link', { name: 'Environments' }).click();
  await page.getByTestId('environment-table').getByRole('link', { name: 'Contoso-Prod' }).click();
  const status = page.getByTestId('environment-encryption').getByTestId('encryption-status').locator('.enc-label');
  assert.equal(await status.innerText(), 'Warning');
  await shot(page, 'ppac-after-admin-api-script');
  assert.deepEqual(errors, []);
  await context.close();
});

// Issue 35 item 4: the guided scenario that walks the documentation's setup with PowerShell —
// its checklist ticks as Az cmdlets and the admin module's InvokeApi do each step.
test('The PowerShell scenario ticks its checklist as cmdlets and InvokeApi do the setup', async () => {
  const context = await browser.newContext({ viewport: { width: 1500, height: 950 } });
  const page = await context.newPage();
  const errors = await open(page, server.url);
  await page.getByRole('navigation', { name: 'Portal menu' }).getByRole('link', { name: 'Scenarios' }).click();
  await page.getByRole('button', { name: 'Start Set up a customer-managed key with PowerShell' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Start scenario' }).click();
  const guide = page.getByTestId('scenario-guide');
  await guide.getByText('Scenario: Set up a customer-managed key with PowerShell').waitFor({ timeout: 60_000 });
  const items = guide.getByTestId('checklist-item');
  assert.equal(await items.count(), 4);
  const done = (i) => page.waitForFunction(
    (n) => document.querySelectorAll('[data-testid=checklist-item]')[n]?.getAttribute('aria-label')?.startsWith('Done:'), i, { timeout: 60_000 });

  await page.getByTestId('open-shell').click();
  await page.getByRole('button', { name: 'Switch to PowerShell' }).click();
  await page.getByLabel('PowerShell command').and(page.locator(':enabled')).waitFor({ timeout: 30_000 });
  await type(page, '$kv = Get-AzKeyVault -VaultName kv-contoso-cmk; Add-AzKeyVaultKey -VaultName $kv.VaultName -Name cmk -Destination Software | Out-Null');
  await done(0);
  // The key's rotation policy, set with the Az module's hashtable and read back in its words.
  const policy = await type(page, "Set-AzKeyVaultKeyRotationPolicy -VaultName kv-contoso-cmk -Name cmk -ExpiresIn P2Y -KeyRotationLifetimeAction @{Action = 'Rotate'; TimeAfterCreate = 'P18M'} | Out-Null; (Get-AzKeyVaultKeyRotationPolicy -VaultName kv-contoso-cmk -Name cmk).LifetimeActions");
  assert.match(policy, /\[Action: Rotate, TimeAfterCreate: P540D, TimeBeforeExpiry: \]\n$/);
  await type(page, 'New-AzResourceGroupDeployment -ResourceGroupName rg-cmk -TemplateFile ep-contoso-cmk.json | Select-Object -ExpandProperty ProvisioningState');
  await done(1);
  let out = await type(page, [
    '$ep = Get-AzResource -ResourceId "/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-cmk/providers/Microsoft.PowerPlatform/enterprisePolicies/ep-contoso-cmk" -ExpandProperties',
    "New-AzRoleAssignment -ObjectId $ep.Identity.PrincipalId -RoleDefinitionName 'Key Vault Crypto Service Encryption User' -Scope $kv.ResourceId | Out-Null",
    '$priya = Get-AzADUser -UserPrincipalName priya@contoso.onmicrosoft.com',
    'New-AzRoleAssignment -ObjectId $priya.Id -RoleDefinitionName Reader -Scope $ep.ResourceId | Out-Null',
    '"health: $((Get-AzResource -ResourceId $ep.ResourceId -ExpandProperties).Properties.healthStatus)"',
  ].join('; '));
  assert.match(out, /health: Healthy\n$/);
  await done(2);
  // As Priya, the way AddCustomerManagedKeyToEnvironment.ps1 does it: the admin API's link,
  // then its operation polled every Retry-After seconds.
  out = await type(page, [
    'Connect-AzAccount -AccountId priya@contoso.onmicrosoft.com | Out-Null',
    'Add-PowerAppsAccount -Endpoint prod',
    '$target = Get-AdminPowerAppEnvironment -Filter Contoso-Prod',
    '$r = InvokeApi -Method POST -Route "https://{bapEndpoint}/providers/Microsoft.BusinessAppPlatform/environments/$($target.EnvironmentName)/enterprisePolicies/Encryption/link?api-version={apiVersion}" -ApiVersion 2019-10-01 -Body @{ SystemId = $ep.Properties.systemId }',
    '"link: $($r.StatusCode)"',
  ].join('; '));
  assert.match(out, /link: 202\n$/);
  out = await type(page, "while ((InvokeApi -Method GET -Route $r.Headers.'operation-location').state.id -eq 'Running') { Start-Sleep -Seconds $r.Headers.'Retry-After' }; 'operation finished'");
  assert.match(out, /operation finished\n$/);
  await done(3);
  await guide.getByTestId('scenario-complete').waitFor({ timeout: 60_000 });
  await shot(page, 'scenario-powershell-complete');
  assert.deepEqual(errors, []);
  await context.close();
});

// Tab completes an Az cmdlet's name, then its single-dash parameter (the Cloud Shell's Tab; the
// PowerShell prompt has no Tab yet).
test('Tab completes Az cmdlets and their parameters', async () => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const errors = await open(page, server.url);
  await page.getByTestId('open-shell').click();
  const input = page.getByLabel('Cloud Shell command');
  // The input's value once Tab's answer is in (the worker answers in a moment).
  const completes = async (typed, expected) => {
    await input.fill(typed);
    await input.press('Tab');
    for (let i = 0; i < 100 && (await input.inputValue()) !== expected; i++) await page.waitForTimeout(100);
    assert.equal(await input.inputValue(), expected);
  };
  // Several fit: the common start is completed and the candidates listed.
  await completes('Get-AzKeyV', 'Get-AzKeyVault');
  await page.getByTestId('shell-completions').getByText('Get-AzKeyVaultKey').waitFor();
  await completes('Get-AzKeyVault -VaultN', 'Get-AzKeyVault -VaultName ');
  assert.deepEqual(errors, []);
  await context.close();
});
