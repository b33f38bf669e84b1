// Journey: the Cloud Shell pane runs the COMMANDS.md language in the worker, as the signed-in persona.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, shot, open, shellLine, zip } from './harness.mjs';

let server, browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const run = shellLine;

/** Pastes `text` into the Cloud Shell's input, as the clipboard would. */
const paste = (input, text) => input.evaluate((el, pasted) => {
  const data = new DataTransfer();
  data.setData('text/plain', pasted);
  el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
}, text);

/** Pastes a runbook of `count` lines into the Cloud Shell (the pane open) and waits until its
 * last line has answered: more answers than the page's store keeps (64 successes). */
const runbook = async (page, count) => {
  const block = Array.from({ length: count }, (_, i) => `az group exists --name rg-step-${i}`).join('\n') + '\n';
  await paste(page.getByTestId('shell-input'), block);
  await page.getByTestId('shell-log').locator('.entry').filter({ hasText: `rg-step-${count - 1}` }).locator('pre').waitFor();
};

test('Cloud Shell runs az, pp and sim commands and the portal follows', async () => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const errors = await open(page, server.url);
  await page.getByTestId('open-shell').click();
  await page.getByTestId('shell-input').waitFor();
  assert.match(await run(page, 'az login --username kai@contoso.onmicrosoft.com --query userPrincipalName -o tsv'), /^kai@contoso\.onmicrosoft\.com$/);
  assert.match(await run(page, 'az group create --name rg-shell --location westeurope --query name -o tsv'), /^rg-shell$/);
  assert.match(await run(page, 'az keyvalt show --name x'), /UnknownCommand: 'az keyvalt show' is not a command\. Did you mean 'az keyvault show'\?/);
  assert.match(await run(page, 'KAI=$(az ad user show --id kai@contoso.onmicrosoft.com --query id -o tsv)'), /^9e4d2a7b-/);
  assert.match(await run(page, 'sim clock advance 2d --query now -o tsv'), /^2026-01-03T00:00:00Z$/);
  // --query is JMESPath, as in az: filters, functions, multiselect.
  assert.match(await run(page, `az role assignment list --query "[?roleDefinitionName=='Owner'].principalName" -o tsv`), /gus@contoso\.onmicrosoft\.com\nkai@contoso\.onmicrosoft\.com\nmallory@contoso\.onmicrosoft\.com/);
  assert.match(await run(page, 'az group list --query "length(@)"'), /^1$/);
  assert.match(await run(page, 'az keyvault lst'), /Did you mean 'az keyvault list'\?/);
  assert.match(await run(page, 'pp env list'), /PowerPlatformAdminRequired/);
  // History: arrow up brings back the last line.
  await page.getByTestId('shell-input').press('ArrowUp');
  assert.equal(await page.getByTestId('shell-input').inputValue(), 'pp env list');
  // The log is longer than the pane by now: like a terminal, it shows its newest line.
  const log = await page.getByTestId('shell-log').evaluate((l) => ({ top: l.scrollTop, height: l.scrollHeight, client: l.clientHeight }));
  assert.ok(log.height > log.client, `the log overflows the pane (${JSON.stringify(log)})`);
  assert.ok(log.top + log.client >= log.height - 2, `scrolled to the newest line (${JSON.stringify(log)})`);
  await shot(page, 'cloud-shell');
  // The portal shows what the shell did.
  await page.getByRole('link', { name: 'Resource groups' }).first().click();
  await page.getByTestId('rg-table').getByText('rg-shell').waitFor();
  assert.match(await page.getByTestId('clock').innerText(), /2026-01-03 00:00:00 UTC/);
  // The admin center lists environments by name, whatever order they were made in; the page
  // ends above the pane, so its last row can be scrolled into view, not hidden behind the shell.
  await run(page, 'az login --username gus@contoso.onmicrosoft.com --query userPrincipalName -o tsv');
  for (const name of ['Zeta', 'alpha', 'Mu', 'Beta']) await run(page, `pp env create --name ${name} --region europe --type Sandbox --query name -o tsv`);
  await page.goto(`${server.url}#/ppac/environments`);
  const names = await page.getByTestId('environment-table').locator('tbody tr td:nth-child(2)').allInnerTexts();
  assert.deepEqual(names, ['alpha', 'Beta', 'Mu', 'Zeta']);
  const shell = await page.getByTestId('cloud-shell').boundingBox();
  const main = await page.locator('#main').boundingBox();
  assert.ok(main.y + main.height <= shell.y + 1, `the page ends where the Cloud Shell begins (${main.y + main.height} vs ${shell.y})`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the Cloud Shell file store: upload, ls, cat, rm; the log survives closing the pane, the files a reload', async () => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const errors = await open(page, server.url);
  await page.getByTestId('open-shell').click();
  await page.getByLabel('Upload file').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('rotate every 90 days\n') });
  await page.getByTestId('shell-log').getByText('upload notes.txt').waitFor();
  assert.match(await run(page, 'ls'), /^notes\.txt\t21 bytes$/);
  assert.equal(await run(page, 'cat notes.txt'), 'rotate every 90 days\n');
  assert.match(await run(page, 'cat missing.json'), /FileNotFound/);
  // Close and reopen: the log is still there.
  await page.getByRole('button', { name: 'Close Cloud Shell' }).click();
  await page.getByTestId('open-shell').click();
  await page.getByTestId('shell-log').getByText('$ cat notes.txt').waitFor();
  // Reload: the file is still in the store.
  await page.reload();
  await page.getByTestId('persona').waitFor();
  await page.getByTestId('open-shell').click();
  assert.match(await run(page, 'ls'), /notes\.txt/);
  assert.match(await run(page, 'rm notes.txt'), /"removed": "notes\.txt"/);
  assert.match(await run(page, 'ls'), /^\(no files/);
  // Several files at once, each in the log and in the store, in the order chosen.
  await page.getByLabel('Upload file').setInputFiles([
    { name: 'a.txt', mimeType: 'text/plain', buffer: Buffer.from('one\n') },
    { name: 'b.txt', mimeType: 'text/plain', buffer: Buffer.from('two\n') },
  ]);
  await page.getByTestId('shell-log').getByText('upload b.txt').waitFor();
  await page.getByTestId('shell-log').getByText('upload a.txt').waitFor();
  assert.match(await run(page, 'ls'), /^a\.txt\t4 bytes\nb\.txt\t4 bytes$/);
  await run(page, 'rm a.txt');
  await run(page, 'rm b.txt');
  // Restart: a new session — a clear terminal, the variables gone, the files kept.
  await run(page, 'NOTE=kept-in-a-variable');
  await page.getByLabel('Upload file').setInputFiles({ name: 'keep.txt', mimeType: 'text/plain', buffer: Buffer.from('kept') });
  await page.getByTestId('shell-log').getByText('upload keep.txt').waitFor();
  await page.getByRole('button', { name: 'Restart Cloud Shell' }).click();
  await page.getByTestId('shell-log').getByText(/"restarted": true/).waitFor();
  assert.equal(await page.getByTestId('shell-log').getByText('$ rm a.txt').count(), 0, 'the terminal starts clear');
  assert.match(await run(page, 'az group show --name $NOTE'), /UnsetVariable/);
  assert.equal(await run(page, 'cat keep.txt'), 'kept');
  await run(page, 'rm keep.txt');
  // What a command writes is listed and read like an upload (issue 31): a key's public half.
  for (const line of [
    'az login --username kai@contoso.onmicrosoft.com',
    'az group create -n rg-files -l westeurope',
    'az keyvault create -n kv-files -g rg-files -l westeurope --enable-rbac-authorization false',
    'az keyvault key create --vault-name kv-files -n cmk --kty RSA --size 2048',
  ]) assert.doesNotMatch(await run(page, line), /^[A-Z][A-Za-z]+: /, line);
  // The download prints nothing, as the real CLI; ls (run after it) shows the file.
  const input = page.getByTestId('shell-input');
  await input.fill('az keyvault key download --vault-name kv-files -n cmk -f cmk.pem');
  await input.press('Enter');
  assert.match(await run(page, 'ls'), /^cmk\.pem\t\d+ bytes\t\(written this session\)$/);
  assert.match(await run(page, 'cat cmk.pem'), /^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+-----END PUBLIC KEY-----/);
  // A backup is a sealed blob in the same store; restored into a second vault, it unwraps what
  // the first one wraps.
  await input.fill('az keyvault key backup --vault-name kv-files -n cmk -f cmk.keybackup');
  await input.press('Enter');
  assert.match(await run(page, 'cat cmk.keybackup'), /^[A-Za-z0-9_-]{1000,}$/);
  await run(page, 'az keyvault create -n kv-files2 -g rg-files -l westeurope --enable-rbac-authorization false');
  assert.match(await run(page, 'az keyvault key restore --vault-name kv-files2 -f cmk.keybackup --query key.kid -o tsv'), /^https:\/\/kv-files2\.vault\.azure\.net\/keys\/cmk\//);
  const sealed = await run(page, 'az keyvault key encrypt --vault-name kv-files -n cmk -a RSA-OAEP-256 --value aGVsbG8= --query result -o tsv');
  assert.equal(await run(page, `az keyvault key decrypt --vault-name kv-files2 -n cmk -a RSA-OAEP-256 --value ${sealed.trim()} --query result -o tsv`), 'aGVsbG8=');
  assert.match(await run(page, 'az keyvault key restore --vault-name kv-files2 -f cmk.keybackup'), /^Conflict: /);
  assert.deepEqual(errors, []);
  await context.close();
});

// Issue 32 item 6: Manage files › Upload / Download, and the Editor (`{}` or `code FILE`).
test('Manage files downloads a file; the editor opens, changes and saves one', async () => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const errors = await open(page, server.url);
  await page.getByTestId('open-shell').click();
  const shell = page.getByRole('region', { name: 'Cloud Shell' });
  await shell.getByRole('button', { name: 'Manage files' }).click();
  await shell.getByRole('list', { name: 'Manage files' }).getByText('Open file share').waitFor();
  await page.getByLabel('Upload file').setInputFiles({ name: 'policy.json', mimeType: 'application/json', buffer: Buffer.from('{"location": "europe"}\n') });
  await page.getByTestId('shell-log').getByText('upload policy.json').waitFor();
  // `code FILE` opens the editor with the file; Save writes it back to the store.
  await run(page, 'sim clock show');
  const input = page.getByTestId('shell-input');
  await input.fill('code policy.json');
  await input.press('Enter');
  const editor = page.getByRole('region', { name: 'Editor' });
  await editor.getByText('Opened policy.json.').waitFor();
  const contents = editor.getByRole('textbox', { name: 'File contents' });
  assert.equal(await contents.inputValue(), '{"location": "europe"}\n');
  await contents.fill('{"location": "unitedstates"}\n');
  await editor.getByRole('button', { name: 'Save' }).click();
  await editor.getByText('Saved policy.json (29 bytes).').waitFor();
  await shot(page, 'cloud-shell-editor');
  assert.equal(await run(page, 'cat policy.json'), '{"location": "unitedstates"}\n');
  // A name that does not exist yet is a new file, created on Save.
  await editor.getByLabel('File', { exact: true }).fill('notes.txt');
  await editor.getByRole('button', { name: 'Open' }).click();
  await editor.getByText('notes.txt is a new file: Save creates it.').waitFor();
  await contents.fill('rotate in March');
  await editor.getByRole('button', { name: 'Save' }).click();
  await editor.getByText('Saved notes.txt (15 bytes).').waitFor();
  await editor.getByRole('button', { name: 'Close editor' }).click();
  await editor.waitFor({ state: 'detached' });
  // Download: the file path asked, then the browser's download of the file's text.
  await shell.getByRole('button', { name: 'Manage files' }).click();
  await shell.getByRole('button', { name: 'Download' }).click();
  const dialog = page.getByRole('dialog', { name: 'Download a file' });
  await dialog.getByLabel('File path').fill('missing.json');
  await dialog.getByRole('button', { name: 'Download' }).click();
  await dialog.getByRole('alert').getByText(/no such file/).waitFor();
  // The folder view lists the store's files: choosing one fills the path.
  await dialog.getByRole('button', { name: 'Choose policy.json' }).click();
  assert.equal(await dialog.getByLabel('File path').inputValue(), 'policy.json');
  const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Download' }).click()]);
  assert.equal(download.suggestedFilename(), 'policy.json');
  const { readFile } = await import('node:fs/promises');
  assert.equal(await readFile(await download.path(), 'utf8'), '{"location": "unitedstates"}\n');
  await dialog.waitFor({ state: 'detached' });
  // History holds the typed lines, not the editor's reads.
  await input.press('ArrowUp');
  assert.equal(await input.inputValue(), 'cat policy.json');
  // A .zip keeps its folders (scripts that dot-source ./Common/… need them).
  await page.getByLabel('Upload file').setInputFiles({
    name: 'scripts.zip', mimeType: 'application/zip',
    buffer: zip([['Cmk/Create.ps1', 'Write-Host "create"\n'], ['Common/Common.ps1', 'function Get-Policy {}\n']]),
  });
  await page.getByTestId('shell-log').getByText('upload scripts.zip').waitFor();
  await page.getByTestId('shell-log').getByText(/"unzipped": "scripts\.zip"/).waitFor();
  assert.equal(await run(page, 'ls Cmk'), 'Cmk/Create.ps1\t20 bytes');
  assert.equal(await run(page, 'cat ./Common/Common.ps1'), 'function Get-Policy {}\n');
  await shell.getByRole('button', { name: 'Manage files' }).click();
  await shell.getByRole('button', { name: 'Download' }).click();
  const tree = dialog.getByRole('group', { name: "Files in the Cloud Shell's store" });
  await tree.getByText('~/Cmk', { exact: true }).waitFor();
  await tree.getByRole('button', { name: 'Choose Common/Common.ps1' }).click();
  assert.equal(await dialog.getByLabel('File path').inputValue(), 'Common/Common.ps1');
  await shot(page, 'cloud-shell-download');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  assert.deepEqual(errors, []);
  await context.close();
});


// Issue 31 item 4: Tab completes commands, arguments and the world's names; -o table reads as
// the real CLI's table; Ctrl+C abandons a line and Ctrl+L clears the screen.
test('Tab completes the line, -o table prints a table, Ctrl+C and Ctrl+L act as in a terminal', async () => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const errors = await open(page, server.url);
  await page.getByTestId('open-shell').click();
  const input = page.getByTestId('shell-input');
  await input.waitFor();
  await run(page, 'az login --username kai@contoso.onmicrosoft.com');
  await run(page, 'az group create --name rg-tab --location westeurope');
  const tab = async (typed, expected) => {
    await input.fill(typed);
    await input.press('Tab');
    await page.waitForFunction(([want]) => document.querySelector('[data-testid=shell-input]').value === want, [expected]);
  };
  await tab('az keyv', 'az keyvault ');
  await input.pressSequentially('cre');
  await input.press('Tab');
  await page.waitForFunction(() => document.querySelector('[data-testid=shell-input]').value === 'az keyvault create ');
  await tab('az keyvault create --name kv-tab-01 --resource-gr', 'az keyvault create --name kv-tab-01 --resource-group ');
  await input.pressSequentially('rg-t');
  await input.press('Tab');
  await page.waitForFunction(() => document.querySelector('[data-testid=shell-input]').value.endsWith('--resource-group rg-tab '));
  await input.pressSequentially('-l westeurope');
  await input.press('Enter');
  await page.getByTestId('shell-log').locator('.entry').last().locator('pre').waitFor();
  // Several candidates: the common start, and the list under the line.
  await input.fill('az keyvault key list');
  await input.press('Tab');
  await page.getByTestId('shell-completions').waitFor();
  assert.match(await page.getByTestId('shell-completions').innerText(), /list-deleted/);
  // -o table: the real CLI's columns and a dashed rule under the header.
  const table = await run(page, 'az group list -o table');
  assert.match(table, /^Name\s+Location\s+/m);
  assert.match(table, /^-{4,}\s+-{4,}/m);
  assert.match(table, /^rg-tab\s+westeurope/m);
  await shot(page, 'cloud-shell-tab-and-table');
  // A pasted block runs line by line; an unfinished last line waits in the input.
  await input.fill('');
  await paste(input, 'az group show -n rg-tab --query location -o tsv\naz group exists -n rg-tab\naz gro');
  const entries = page.getByTestId('shell-log').locator('.entry');
  await entries.filter({ hasText: 'az group exists -n rg-tab' }).locator('pre').waitFor();
  assert.equal(await entries.filter({ hasText: 'az group show -n rg-tab' }).locator('pre').innerText(), 'westeurope');
  assert.equal(await entries.filter({ hasText: 'az group exists -n rg-tab' }).locator('pre').innerText(), 'true');
  assert.equal(await input.inputValue(), 'az gro');
  // Ctrl+C abandons the line (nothing runs); Ctrl+L clears the screen.
  await input.fill('az group delete --name rg-tab');
  await input.press('Control+c');
  assert.equal(await input.inputValue(), '');
  await page.getByTestId('shell-log').getByText('az group delete --name rg-tab^C').waitFor();
  await input.press('Control+l');
  assert.equal(await page.getByTestId('shell-log').locator('.entry').count(), 0);
  // History is the session's: ↑ still brings back the typed lines after Ctrl+L (not the
  // abandoned one), and after a reload.
  await input.press('ArrowUp');
  assert.equal(await input.inputValue(), 'az group exists -n rg-tab');
  await input.press('ArrowUp');
  assert.equal(await input.inputValue(), 'az group show -n rg-tab --query location -o tsv');
  await input.press('ArrowDown');
  assert.equal(await input.inputValue(), 'az group exists -n rg-tab');
  await page.reload();
  await page.getByTestId('open-shell').click();
  await page.getByTestId('shell-input').waitFor();
  await page.getByTestId('shell-input').press('ArrowUp');
  assert.equal(await page.getByTestId('shell-input').inputValue(), 'az group exists -n rg-tab');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a long runbook keeps every line\'s output in the log, as a terminal keeps its scrollback', async () => {
  // The page keeps only the latest answers for its pages; the log used to lose its first lines'
  // output after 64 more commands and show them as "running…" again.
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const errors = await open(page, server.url);
  await page.getByTestId('open-shell').click();
  await page.getByTestId('shell-input').waitFor();
  assert.equal(await run(page, 'az account show --query name -o tsv'), 'Contoso Production');
  const count = 80;
  await runbook(page, count);
  const entries = page.getByTestId('shell-log').locator('.entry');
  assert.equal(await entries.count(), count + 1);
  assert.equal(await entries.first().locator('pre').innerText(), 'Contoso Production', 'the first line still shows what it printed');
  assert.equal(await entries.nth(1).locator('pre').innerText(), 'false');
  assert.equal(await page.getByTestId('shell-log').locator('.pending').count(), 0, 'nothing shows as running');
  // Closing and opening the pane keeps it all too.
  await page.getByRole('button', { name: 'Close Cloud Shell' }).click();
  await page.getByTestId('open-shell').click();
  assert.equal(await entries.first().locator('pre').innerText(), 'Contoso Production');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a form\'s error stays while the Cloud Shell beside it runs a long runbook', async () => {
  // The page keeps only the latest answers; a form's error under its button used to vanish
  // once 64 more commands had been answered.
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const errors = await open(page, server.url);
  await page.getByTestId('persona').selectOption('priya@contoso.onmicrosoft.com');
  await page.getByRole('link', { name: 'Resource groups' }).first().click();
  await page.getByTestId('create-rg').click();
  await page.getByTestId('rg-name').fill('rg-priya');
  await page.getByTestId('rg-submit').click();
  const form = page.locator('form').filter({ has: page.getByTestId('rg-submit') });
  await form.getByText(/AuthorizationFailed/).waitFor();
  await page.getByTestId('open-shell').click();
  await runbook(page, 70);
  assert.equal(await form.getByText(/AuthorizationFailed/).count(), 1, 'the form still says why it was refused');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a key version\'s blade keeps showing the version while the Cloud Shell beside it runs a long runbook', async () => {
  // The blade asks for the version when it opens; the page keeps only the latest answers, and
  // the blade fell back to "Loading…" for good once 64 more commands had been answered.
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const errors = await open(page, server.url);
  await page.getByTestId('open-shell').click();
  await run(page, 'az login --username kai@contoso.onmicrosoft.com');
  await run(page, 'az group create --name rg-keep --location westeurope');
  await run(page, 'az keyvault create --name kv-keep --resource-group rg-keep --location westeurope --enable-rbac-authorization false');
  const kid = await run(page, 'az keyvault key create --vault-name kv-keep --name k1 --kty RSA --size 2048 --query key.kid -o tsv');
  const version = kid.trim().split('/').pop();
  await page.evaluate((v) => { location.hash = `#/keyvaults/kv-keep/keys/k1/${v}`; }, version);
  await page.getByTestId('jwk').waitFor();
  await runbook(page, 70);
  assert.equal(await page.getByTestId('jwk').count(), 1, 'the version is still shown');
  assert.equal(await page.locator('main').getByText('Loading…').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});
