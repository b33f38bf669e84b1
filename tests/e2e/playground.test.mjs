// Journey: export the playground to a file, reset it, refuse a damaged file, import the export and
// find everything again (SPEC PG-3).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { serveDist, launch, shot, open, shellOk, shellLine, vaultItem } from './harness.mjs';

const WORKER_LOADER = '**/cmk_worker_loader.js';

let server, browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

test('export, reset, a damaged import refused, import brings the world back', async () => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const errors = await open(page, server.url);
  await page.getByTestId('open-shell').click();
  for (const line of ['az login --username kai@contoso.onmicrosoft.com', 'az group create --name rg-keep --location westeurope']) {
    await shellOk(page, line);
  }
  await page.getByRole('button', { name: 'Close Cloud Shell' }).click();
  const nav = page.getByRole('navigation', { name: 'Portal menu' });
  await nav.getByRole('link', { name: 'Resource groups' }).click();
  await page.getByTestId('rg-table').getByText('rg-keep').waitFor();

  // Export: a download holding the versioned envelope.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export', exact: true }).click()]);
  const saved = await readFile(await download.path(), 'utf8');
  const envelope = JSON.parse(saved);
  assert.equal(envelope.format, 'cmk-playground');
  assert.equal(envelope.version, 2);

  // Reset playground, after a confirmation.
  await page.getByRole('button', { name: 'Reset playground' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Reset' }).click();
  await page.getByTestId('rg-table').getByText('rg-keep').waitFor({ state: 'detached' });

  // A damaged file is refused and changes nothing: a group made after the reset is still there.
  await page.getByTestId('open-shell').click();
  for (const line of ['az login --username kai@contoso.onmicrosoft.com', 'az group create --name rg-after-reset --location westeurope']) {
    await shellOk(page, line);
  }
  await page.getByRole('button', { name: 'Close Cloud Shell' }).click();
  await page.getByTestId('rg-table').getByText('rg-after-reset').waitFor();
  await page.getByLabel('Import a playground file').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"format":"cmk-playground","version":2,"state":{') });
  await page.getByRole('dialog').getByRole('button', { name: 'Import' }).click();
  await page.getByTestId('playground-error').getByText(/CorruptState/).waitFor();
  assert.equal(await page.getByTestId('rg-table').getByText('rg-after-reset').count(), 1, 'the world before the damaged import is kept');
  assert.equal(await page.getByTestId('rg-table').getByText('rg-keep').count(), 0);

  // The export comes back whole, persona included.
  await page.getByLabel('Import a playground file').setInputFiles({ name: 'cmk-playground.json', mimeType: 'application/json', buffer: Buffer.from(saved) });
  await page.getByRole('dialog').getByRole('button', { name: 'Import' }).click();
  await page.getByTestId('rg-table').getByText('rg-keep').waitFor();
  assert.equal(await page.getByTestId('persona').inputValue(), 'kai@contoso.onmicrosoft.com');
  await shot(page, 'playground-imported');
  assert.deepEqual(errors, []);
  await context.close();
});

// SPEC PG-4 (guided scenarios) and PG-5 (the key hierarchy before and after a rotation).
test('a guided scenario, finished by clicking in the portal, ticks its checklist and stays finished', async () => {
  const context = await browser.newContext({ viewport: { width: 1500, height: 950 } });
  const page = await context.newPage();
  const errors = await open(page, server.url);
  await page.getByRole('navigation', { name: 'Portal menu' }).getByRole('link', { name: 'Scenarios' }).click();
  await page.getByTestId('blade-title').getByText('Scenarios').waitFor();
  assert.equal(await page.locator('.scenario-card').count(), 12);
  await shot(page, 'scenarios-page');
  await page.getByRole('button', { name: 'Start Rotate the key by a new version' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Start scenario' }).click();
  const guide = page.getByTestId('scenario-guide');
  await guide.getByText('Scenario: Rotate the key by a new version').waitFor({ timeout: 60_000 });
  const items = guide.getByTestId('checklist-item');
  assert.equal(await items.count(), 2);
  assert.match(await items.nth(0).getAttribute('aria-label'), /^To do:/);
  assert.match(await items.nth(0).innerText(), /As Kai Keys/);
  // Issue 30 point 6: the scenario starts signed in as the persona its step 1 names.
  assert.equal(await page.getByRole('combobox', { name: 'Signed-in persona' }).inputValue(), 'kai@contoso.onmicrosoft.com');
  // The key hierarchy before the rotation: one version wraps Contoso-Prod's data keys.
  const hierarchy = async (name) => {
    // The admin center is Priya's (Kai, who starts the scenario, has no Power Platform role).
    await page.getByTestId('persona').selectOption('priya@contoso.onmicrosoft.com');
    await page.goto(page.url().split('#')[0] + '#/ppac/environments');
    await page.getByTestId('environment-table').getByRole('link', { name: 'Contoso-Prod' }).click();
    const figure = page.getByTestId('key-hierarchy');
    await figure.scrollIntoViewIfNeeded();
    await shot(page, name);
    return figure;
  };
  let figure = await hierarchy('key-hierarchy-before-rotation');
  assert.equal(await figure.locator('text.t1', { hasText: /^Version / }).count(), 1);
  assert.match(await figure.locator('svg').getAttribute('aria-label'), /every link works/);
  // Show me gives the step as Cloud Shell lines.
  await items.nth(0).getByRole('button', { name: 'Show me' }).click();
  assert.match(await guide.getByTestId('show-me').innerText(), /az keyvault key create --vault-name kv-contoso-cmk --name cmk/);
  // Step 1 by clicking, as Kai: + New Version on the key.
  await page.getByTestId('persona').selectOption('kai@contoso.onmicrosoft.com');
  await page.getByRole('button', { name: 'App launcher' }).click();
  await page.getByRole('navigation', { name: 'Apps' }).getByRole('link', { name: 'Azure portal' }).click();
  await page.getByRole('navigation', { name: 'Portal menu' }).getByRole('link', { name: 'Key vaults' }).click();
  await page.getByTestId('vault-table').getByRole('link', { name: 'kv-contoso-cmk' }).click();
  await vaultItem(page, 'Keys');
  await page.getByTestId('key-table').getByRole('link', { name: 'cmk' }).click();
  await page.getByRole('button', { name: 'New Version' }).click();
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=checklist-item]')[0]?.getAttribute('aria-label')?.startsWith('Done:'), null, { timeout: 60_000 });
  await shot(page, 'scenario-step-done');
  // Step 2: a day on the clock; the environment picks the version up.
  await page.getByRole('button', { name: '+1 day' }).click();
  await guide.getByTestId('scenario-complete').waitFor({ timeout: 60_000 });
  await shot(page, 'scenario-complete');
  // After the rotation (as Priya): two versions, the new one current and wrapping the data keys.
  figure = await hierarchy('key-hierarchy-after-rotation');
  assert.equal(await figure.locator('text.t1', { hasText: /^Version / }).count(), 2);
  assert.equal(await figure.locator('text.t2', { hasText: /Enabled · current/ }).count(), 1);
  assert.equal(await figure.locator('text.t2', { hasText: 'wraps data keys' }).count(), 1);
  // Undo takes the last step back (the day on the clock): the checklist un-ticks its last item;
  // the clock again ticks it.
  const undo = page.getByRole('button', { name: 'Undo', exact: true });
  assert.equal(await undo.getAttribute('title'), 'Undo: Sign in as priya@contoso.onmicrosoft.com');
  await undo.click();
  await page.waitForFunction(() => document.querySelector('[data-testid=undo]')?.title?.startsWith('Undo: Advance the clock'), null, { timeout: 60_000 });
  await undo.click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=checklist-item]')[1]?.getAttribute('aria-label')?.startsWith('To do:'), null, { timeout: 60_000 });
  await page.getByRole('button', { name: '+1 day' }).click();
  await guide.getByTestId('scenario-complete').waitFor({ timeout: 60_000 });
  // Progress is kept: after a reload the checklist is still complete and the card says Finished.
  await page.reload();
  await page.getByTestId('scenario-guide').getByTestId('scenario-complete').waitFor({ timeout: 60_000 });
  await page.getByTestId('clock-bar').getByRole('link', { name: 'Scenarios' }).click();
  await page.locator('.scenario-card.finished').getByText('Rotate the key by a new version').waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('a share link opens the same world in a fresh browser, after asking', async () => {
  const a = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  const page = await a.newPage();
  const errors = await open(page, server.url);
  await page.getByTestId('open-shell').click();
  for (const line of ['az login --username kai@contoso.onmicrosoft.com', 'az group create --name rg-shared --location westeurope']) {
    await shellOk(page, line);
  }
  await page.getByRole('button', { name: 'Close Cloud Shell' }).click();
  // Export script: the session as a .cmk file.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export script' }).click()]);
  const script = await readFile(await download.path(), 'utf8');
  assert.match(script, /^# CMK Playground session/);
  assert.match(script, /az group create --name rg-shared --location westeurope/);
  // Export PowerShell: the same session as a .ps1 (issue 34 item 5).
  const [ps1] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export PowerShell' }).click()]);
  assert.equal(ps1.suggestedFilename(), 'cmk-session.ps1');
  const powershell = await readFile(await ps1.path(), 'utf8');
  assert.match(powershell, /^# CMK Playground session as PowerShell/);
  assert.match(powershell, /\naz group create --name rg-shared --location westeurope\n/);
  await page.getByRole('button', { name: 'Share link' }).click();
  const url = await page.getByTestId('share-url').inputValue();
  assert.match(url, /#share=[A-Za-z0-9_-]+$/);
  await shot(page, 'share-link');
  await page.getByRole('dialog').getByRole('button', { name: 'Done' }).click();

  const b = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const other = await b.newPage();
  const otherErrors = await open(other, url);
  const dialog = other.getByRole('dialog', { name: 'Open shared scenario' });
  await dialog.waitFor({ timeout: 60_000 });
  assert.match(await dialog.innerText(), /az group create --name rg-shared/);
  await shot(other, 'share-open-dialog');
  await dialog.getByRole('button', { name: 'Replace my playground' }).click();
  await other.getByText(/Opened the shared scenario/).waitFor({ timeout: 60_000 });
  assert.equal(await other.getByTestId('persona').inputValue(), 'kai@contoso.onmicrosoft.com');
  await other.getByRole('navigation', { name: 'Portal menu' }).getByRole('link', { name: 'Resource groups' }).click();
  await other.getByTestId('rg-table').getByText('rg-shared').waitFor();
  // A damaged link says why and changes nothing.
  await other.goto(url.replace(/#share=.*/, '#share=broken%%'));
  await other.reload();
  await other.getByTestId('share-error').waitFor({ timeout: 60_000 });
  await other.getByRole('navigation', { name: 'Portal menu' }).getByRole('link', { name: 'Resource groups' }).click();
  await other.getByTestId('rg-table').getByText('rg-shared').waitFor();
  assert.deepEqual(otherErrors, []);
  assert.deepEqual(errors, []);
  await b.close();
  await a.close();
});


// SPEC PG-3 (the state persists across reloads) with PG-4 (a scenario in progress is part of it).
test('a scenario started right after a reload keeps its session across the next reload', async () => {
  // A new session counts its steps from zero, like a session just resumed from the save: with
  // equal counts, the save once took the scenario's world but kept the old session beside it,
  // and the next reload lost the scenario (its guide, its checklist, its undo).
  const context = await browser.newContext({ viewport: { width: 1500, height: 950 } });
  const page = await context.newPage();
  const errors = await open(page, server.url);
  await page.getByTestId('open-shell').click();
  await shellOk(page, 'az group create --name rg-mine --location westeurope');
  await page.waitForTimeout(500); // the save lands
  await page.reload();
  await page.getByTestId('persona').waitFor();
  await page.getByRole('navigation', { name: 'Portal menu' }).getByRole('link', { name: 'Scenarios' }).click();
  await page.getByRole('button', { name: 'Start Rotate the key by a new version' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Start scenario' }).click();
  const guide = page.getByTestId('scenario-guide');
  await guide.getByText('Scenario: Rotate the key by a new version').waitFor({ timeout: 60_000 });
  await page.waitForTimeout(500); // the save lands
  await page.reload();
  await page.getByTestId('persona').waitFor();
  await guide.getByText('Scenario: Rotate the key by a new version').waitFor({ timeout: 10_000 });
  assert.equal(await guide.getByTestId('checklist-item').count(), 2);
  assert.deepEqual(errors, []);
  await context.close();
});

test('two tabs: the second says the playground is open elsewhere and takes it over; never two writers', async () => {
  const context = await browser.newContext({ viewport: { width: 1300, height: 850 } });
  const first = await context.newPage();
  const errors = await open(first, server.url);
  await first.getByTestId('open-shell').click();
  for (const line of ['az login --username kai@contoso.onmicrosoft.com', 'az group create --name rg-first --location westeurope']) {
    await shellOk(first, line);
  }
  const second = await context.newPage();
  second.on('pageerror', (e) => errors.push(String(e)));
  await second.goto(server.url);
  await second.getByTestId('open-elsewhere').waitFor({ timeout: 30_000 });
  assert.equal(await second.getByTestId('persona').count(), 0, 'the second tab runs no world');
  await shot(second, 'tab-open-elsewhere');
  await second.getByRole('button', { name: 'Use it here' }).click();
  // The first tab stops and says so; the second runs the world, with what the first saved.
  await first.getByTestId('taken-over').waitFor({ timeout: 30_000 });
  assert.equal(await first.getByTestId('persona').count(), 0);
  await second.getByTestId('persona').waitFor({ timeout: 30_000 });
  await second.getByRole('navigation', { name: 'Portal menu' }).getByRole('link', { name: 'Resource groups' }).click();
  await second.getByTestId('rg-table').getByText('rg-first').waitFor();
  // Reloading the first tab now finds the playground open elsewhere again.
  await first.reload();
  await first.getByTestId('open-elsewhere').waitFor({ timeout: 30_000 });
  assert.deepEqual(errors, []);
  await context.close();
});

/** The page's own WebAssembly (the world's worker has its own, `cmk_worker_bg.wasm`). */
const PAGE_WASM = '**/cmk-web-*_bg.wasm';

test("the portal's frame shows before the page's code runs, as the portal the link opens", async () => {
  // Issue 33 item 5: index.html carries the frame, so it paints before the page's wasm is even
  // fetched (held back here); a link into the admin center shows that portal's frame.
  const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
  await context.route(PAGE_WASM, () => {});
  for (const [hash, brand] of [['', 'Microsoft Azure'], ['#/ppac/environments', 'Power Platform admin center']]) {
    const page = await context.newPage();
    await page.goto(server.url + hash, { waitUntil: 'commit' });
    await page.getByRole('status').getByText('Starting the simulated cloud').waitFor();
    assert.match(await page.getByRole('banner').innerText(), new RegExp(`^${brand}`));
    assert.equal(await page.getByTestId('chrome').getAttribute('data-static'), '', 'the frame is index.html\'s, not the page\'s');
    if (!hash) await shot(page, 'static-frame');
  }
  await context.close();
});

test("page code that cannot load is said on the frame, with Reload that recovers", async () => {
  // Fault: the page's own WebAssembly is missing (a broken deploy, a proxy refusing .wasm).
  const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
  await context.route(PAGE_WASM, (route) => route.fulfill({ status: 404, body: 'gone' }));
  const page = await context.newPage();
  await page.goto(server.url);
  const screen = page.getByTestId('page-not-loaded');
  await screen.waitFor({ timeout: 30_000 });
  assert.match(await screen.innerText(), /could not load.*untouched/s);
  await page.getByRole('banner').getByText('Microsoft Azure').waitFor();
  await shot(page, 'page-not-loaded');
  await context.unroute(PAGE_WASM);
  await screen.getByRole('button', { name: 'Reload' }).click();
  await page.getByTestId('persona').waitFor({ timeout: 30_000 });
  await context.close();
});

test('a worker that cannot start gets a screen that says so, and Reload recovers', async () => {
  const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
  // Fault: the worker's WebAssembly is missing, so the worker never answers.
  await context.route('**/cmk_worker_bg.wasm', (route) => route.fulfill({ status: 404, body: 'gone' }));
  const page = await context.newPage();
  await page.goto(server.url);
  await page.getByText('Starting the simulated cloud').waitFor();
  const screen = page.getByTestId('did-not-start');
  await screen.waitFor({ timeout: 40_000 });
  assert.match(await screen.innerText(), /did not start.*untouched/s);
  await shot(page, 'worker-did-not-start');
  await context.unroute('**/cmk_worker_bg.wasm');
  await screen.getByRole('button', { name: 'Reload' }).click();
  await page.getByTestId('persona').waitFor({ timeout: 30_000 });
  await context.close();
});

/**
 * One operation on the store as the page's own IndexedDB sees it (the worker shares the origin's
 * database): 'keys'; 'get' (a summary: bytes or not, length, the text — a string, or a kept-aside
 * part's `text` — and the ids of kept-aside records); 'put', 'replace-all' (clear, then put);
 * 'cut' (drop the last `value` bytes). One call per operation: the page's CSP rightly refuses
 * code made from strings.
 */
function store(page, op, key, value) {
  return page.evaluate(([op, key, value]) => new Promise((ok, fail) => {
    const req = indexedDB.open('cmk-playground', 1);
    req.onsuccess = () => {
      const db = req.result;
      const tx = db.transaction('saves', 'readwrite');
      const saves = tx.objectStore('saves');
      let result;
      if (op === 'keys') { const r = saves.getAllKeys(); r.onsuccess = () => { result = r.result.map(String); }; }
      if (op === 'get') {
        const r = saves.get(key);
        r.onsuccess = () => {
          const v = r.result;
          result = { bytes: v instanceof Uint8Array, length: v?.length, text: typeof v === 'string' ? v : (v?.text ?? null), records: v?.records ? Object.keys(v.records) : null };
        };
      }
      if (op === 'put') saves.put(value, key);
      if (op === 'replace-all') { saves.clear(); saves.put(value, key); }
      if (op === 'cut') { const r = saves.get(key); r.onsuccess = () => saves.put(r.result.slice(0, r.result.length - value), key); }
      tx.oncomplete = () => { db.close(); ok(result); };
      tx.onerror = () => fail(String(tx.error));
    };
    req.onerror = () => fail(String(req.error));
  }), [op, key, value]);
}

/** Runs `code` in the worker before its own loader, for every page of `context` (a fault). */
async function injectIntoWorker(context, code) {
  await context.route(WORKER_LOADER, async (route) => {
    // The service worker (registered once the portal is interactive) may still be keeping the
    // build's files when a test closes its context: that request has nobody left to answer.
    try {
      const original = await (await route.fetch()).text();
      await route.fulfill({ body: `\n${code}\n${original}`, contentType: 'text/javascript' });
    } catch (e) {
      if (!/disposed|closed/.test(String(e))) throw e;
    }
  });
}

test('a worker that fails says what happened; the page offers Reload and the last save is kept', async () => {
  const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
  // Fault: the worker throws when a message mentions "inject-fault".
  await injectIntoWorker(context, "self.addEventListener('message', (e) => { if (JSON.stringify(e.data ?? null).includes('inject-fault')) throw new Error('injected fault'); });");
  const page = await context.newPage();
  await open(page, server.url);
  await page.getByTestId('open-shell').click();
  for (const line of ['az login --username kai@contoso.onmicrosoft.com', 'az group create --name rg-before --location westeurope']) {
    await shellOk(page, line);
  }
  await page.getByTestId('shell-input').fill('az group create --name inject-fault --location westeurope');
  await page.getByTestId('shell-input').press('Enter');
  const screen = page.getByTestId('worker-failed');
  await screen.waitFor({ timeout: 30_000 });
  assert.match(await screen.innerText(), /stopped.*injected fault/s);
  await shot(page, 'worker-failed');
  await context.unroute(WORKER_LOADER);
  await screen.getByRole('button', { name: 'Reload' }).click();
  await page.getByTestId('persona').waitFor({ timeout: 30_000 });
  await page.getByRole('navigation', { name: 'Portal menu' }).getByRole('link', { name: 'Resource groups' }).click();
  await page.getByTestId('rg-table').getByText('rg-before').waitFor();
  await context.close();
});

// Issue 29 item 4: the report does not depend on the broadcast channel.
test('a worker that fails without a broadcast channel still says what happened', async () => {
  const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
  await injectIntoWorker(context, "self.BroadcastChannel = undefined; self.addEventListener('message', (e) => { if (JSON.stringify(e.data ?? null).includes('inject-fault')) throw new Error('injected fault'); });");
  const page = await context.newPage();
  await open(page, server.url);
  await page.getByRole('button', { name: 'Cloud Shell' }).click();
  await page.getByRole('textbox', { name: 'Cloud Shell command' }).fill('az group create --name inject-fault --location westeurope');
  await page.getByRole('textbox', { name: 'Cloud Shell command' }).press('Enter');
  const screen = page.getByRole('heading', { name: 'The simulated cloud stopped' });
  await screen.waitFor({ timeout: 30_000 });
  assert.match(await page.getByRole('main').innerText(), /injected fault/);
  await context.close();
});

test('saves the browser refuses are shown with Export offered, tried again on their own, and cleared', async () => {
  const context = await browser.newContext({ viewport: { width: 1300, height: 850 } });
  // Fault: while a message mentions "fail-saves-on" (until one mentions "fail-saves-off"), every
  // IndexedDB write in the worker is refused as if the quota were exceeded.
  await injectIntoWorker(context, `
let failSaves = false;
self.addEventListener('message', (e) => {
  const text = JSON.stringify(e.data ?? null);
  if (text.includes('fail-saves-on')) failSaves = true;
  if (text.includes('fail-saves-off')) failSaves = false;
});
const realPut = IDBObjectStore.prototype.put;
IDBObjectStore.prototype.put = function (...args) {
  if (failSaves) throw new DOMException('The quota has been exceeded (injected).', 'QuotaExceededError');
  return realPut.apply(this, args);
};`);
  const page = await context.newPage();
  const errors = await open(page, server.url);
  await page.getByTestId('open-shell').click();
  const run = (line) => shellOk(page, line);
  await run('az login --username kai@contoso.onmicrosoft.com');
  await run('az group create --name fail-saves-on --location westeurope');
  const warning = page.getByTestId('save-problem');
  await warning.waitFor({ timeout: 30_000 });
  assert.match(await warning.innerText(), /Not saved in this browser: the playground's changes.*quota.*Export/s);
  await shot(page, 'save-refused');
  // The storage works again (this line changes nothing, it only lifts the fault): the worker
  // tries the failed save again on its own, a couple of seconds later, and the warning goes.
  await shellLine(page, 'cat fail-saves-off');
  await warning.waitFor({ state: 'detached', timeout: 15_000 });
  await run('az group create --name fail-saves-off --location westeurope');
  // Both groups were saved by the save that succeeded (nothing half-written, nothing lost).
  await context.unroute(WORKER_LOADER);
  await page.reload();
  await page.getByTestId('persona').waitFor({ timeout: 30_000 });
  await page.getByRole('navigation', { name: 'Portal menu' }).getByRole('link', { name: 'Resource groups' }).click();
  await page.getByTestId('rg-table').getByText('fail-saves-on').waitFor();
  await page.getByTestId('rg-table').getByText('fail-saves-off').waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('without IndexedDB the playground runs in memory and says that nothing is saved', async () => {
  const context = await browser.newContext({ viewport: { width: 1300, height: 850 } });
  await injectIntoWorker(context, "Object.defineProperty(self, 'indexedDB', { get() { return undefined; } });");
  const page = await context.newPage();
  const errors = await open(page, server.url);
  const warning = page.getByTestId('save-problem');
  await warning.waitFor({ timeout: 30_000 });
  assert.match(await warning.innerText(), /storage cannot be opened.*Export/s);
  // The world still works, in memory.
  await page.getByTestId('open-shell').click();
  await shellOk(page, 'az login --username kai@contoso.onmicrosoft.com');
  assert.equal(await page.getByTestId('persona').inputValue(), 'kai@contoso.onmicrosoft.com');
  assert.deepEqual(errors, []);
  await context.close();
});

// SPEC PG-3, issue 12 item 4: the save is kept in parts — the world's meta, and each
// environment's text and records apart, so a command writes only what it changed.
test('the save is kept in parts: rows survive a reload, an older save loads, a damaged part is kept aside', { timeout: 180_000 }, async () => {
  const context = await browser.newContext({ viewport: { width: 1300, height: 850 }, acceptDownloads: true });
  const page = await context.newPage();
  const errors = await open(page, server.url);
  const idb = (op, key, value) => store(page, op, key, value);
  const keys = () => idb('keys');
  const settled = async (want) => {
    for (let i = 0; i < 100; i++) {
      const k = await keys();
      if (want(k)) return k;
      await page.waitForTimeout(100);
    }
    throw new Error(`the store never settled: ${await keys()}`);
  };
  await page.getByTestId('open-shell').click();
  await shellOk(page, 'az login --username priya@contoso.onmicrosoft.com');
  await shellOk(page, 'pp env create --name env-parts --region europe --type Sandbox');
  await shellOk(page, 'sim data insert --environment env-parts --table account --rows 200');
  const read = () => shellOk(page, 'sim data read --environment env-parts --table account --query sha256 -o tsv');
  const sha = (await read()).trim();
  assert.match(sha, /^[0-9a-f]{64}$/);
  const stored = await settled((k) => k.includes('world') && k.some((x) => x.startsWith('rows:')));
  assert.ok(!stored.includes('current'), `no whole envelope is written any more: ${stored}`);
  const rowsKey = stored.find((k) => k.startsWith('rows:'));
  const envId = rowsKey.slice('rows:'.length);
  assert.ok(stored.includes(`env:${envId}`));
  // The records are bytes, not text; the meta holds none of them.
  const rows = await idb('get', rowsKey);
  const meta = await idb('get', 'world');
  assert.equal(rows.bytes, true, 'records are kept as bytes');
  assert.ok(rows.length > 200 * 40, `200 records take their room: ${rows.length} bytes`);
  assert.ok(!meta.text.includes('"records"'), 'the meta part holds no records');
  // A reload puts the parts back together: the same rows decrypt to the same digest.
  await page.reload();
  await page.getByTestId('persona').waitFor({ timeout: 30_000 });
  await page.getByTestId('open-shell').click();
  assert.equal((await read()).trim(), sha);

  // A save written by an older build (one envelope under 'current') still loads, and the first
  // change writes it in parts.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export', exact: true }).click()]);
  const envelope = await readFile(await download.path(), 'utf8');
  await idb('replace-all', 'current', envelope);
  await page.reload();
  await page.getByTestId('persona').waitFor({ timeout: 30_000 });
  await page.getByTestId('open-shell').click();
  assert.equal((await read()).trim(), sha);
  await shellOk(page, 'sim clock advance PT1H');
  const migrated = await settled((k) => k.includes('world') && !k.includes('current'));
  assert.ok(migrated.includes(`rows:${envId}`), `${migrated}`);

  // A damaged part: the load says which and why, overwrites nothing, and Start fresh keeps it aside.
  await idb('cut', rowsKey, 3);
  await page.reload();
  const problem = page.getByTestId('load-problem');
  await problem.waitFor({ timeout: 30_000 });
  const text = await problem.innerText();
  assert.match(text, /damaged/);
  assert.match(text, /records end too early/);
  assert.match(text, /Nothing has been overwritten/);
  await shot(page, 'damaged-part');
  await page.getByTestId('start-fresh').click();
  await page.getByTestId('persona').waitFor();
  const after = await settled((k) => k.includes('world') && k.some((x) => x.startsWith('rejected-')));
  assert.ok(!after.some((k) => k.startsWith('rows:') || k.startsWith('env:')), `the fresh world's save cleared the old parts: ${after}`);
  const aside = await idb('get', after.find((k) => k.startsWith('rejected-')));
  assert.deepEqual(aside.records, [envId], 'the damaged parts are kept aside whole');
  assert.deepEqual(errors, []);
  await context.close();
});

// Issue 29 item 2: a session that cannot be read is kept aside and said; the world loads.
test('an unreadable session is kept aside, said with Export offered, and the world still loads', async () => {
  const context = await browser.newContext({ viewport: { width: 1300, height: 850 }, acceptDownloads: true });
  const page = await context.newPage();
  const errors = await open(page, server.url);
  await page.getByRole('button', { name: 'Cloud Shell' }).click();
  await shellOk(page, 'az login --username kai@contoso.onmicrosoft.com');
  await shellOk(page, 'az group create --name rg-survives --location westeurope');
  const idb = (op, key, value) => store(page, op, key, value);
  for (let i = 0; i < 100 && !(await idb('keys')).includes('session'); i++) await page.waitForTimeout(100);
  await idb('put', 'session', '{"generation": not json');
  await page.reload();
  await page.getByTestId('persona').waitFor({ timeout: 30_000 });
  const notice = page.getByRole('main').getByText(/Part of your saved playground could not be read/);
  await notice.waitFor();
  assert.match(await notice.innerText(), /the session — the running scenario.*undo history.*kept aside.*the rest of the playground loaded/s);
  await shot(page, 'session-kept-aside');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export the unreadable save' }).click(),
  ]);
  assert.equal(await readFile(await download.path(), 'utf8'), '{"generation": not json', 'the session as it was stored');
  const kept = (await idb('keys')).find((k) => k.startsWith('rejected-'));
  assert.ok(kept, 'kept aside in the store');
  assert.equal((await idb('get', kept)).text, '{"generation": not json');
  // The world loaded.
  await page.getByRole('navigation', { name: 'Portal menu' }).getByRole('link', { name: 'Resource groups' }).click();
  await page.getByTestId('rg-table').getByText('rg-survives').waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

// Issue 30 point 6: the clock's summary belongs to the world it was made in.
test("after Undo the clock bar no longer reports the advance it took back", async () => {
  const context = await browser.newContext({ viewport: { width: 1300, height: 850 } });
  const page = await context.newPage();
  const errors = await open(page, server.url);
  await page.getByRole('button', { name: '+1 hour' }).click();
  const summary = page.getByTestId('clock-summary');
  await summary.waitFor();
  assert.match(await summary.innerText(), /Nothing happened on its own|event/);
  await page.getByRole('button', { name: 'Undo' }).click();
  await summary.waitFor({ state: 'detached' });
  assert.match(await page.getByTestId('clock-now').innerText(), /2026-01-01 00:00/);
  assert.deepEqual(errors, []);
  await context.close();
});

// Issue 30 point 10: a 1000×700 window keeps the clock bar on one row (the playground's tools
// behind More), the content near the top, the persona switcher whole and Share link's URL wide.
test('a narrow window keeps the clock bar on one row with the tools behind More', async () => {
  const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
  const page = await context.newPage();
  const errors = await open(page, server.url);
  const bar = page.getByRole('region', { name: 'Simulated clock' });
  const box = await bar.boundingBox();
  assert.ok(box.height <= 40, `one row: ${box.height} px`);
  const main = await page.getByRole('main').boundingBox();
  assert.ok(main.y <= 110, `content starts ${main.y} px from the top`);
  const persona = await page.getByRole('combobox', { name: 'Signed-in persona' }).boundingBox();
  assert.ok(persona.x + persona.width <= 1000, `the persona switcher is inside the window: ${JSON.stringify(persona)}`);
  const fits = await page.getByRole('combobox', { name: 'Signed-in persona' }).evaluate((s) => {
    const probe = document.createElement('span');
    probe.style.cssText = `font: ${getComputedStyle(s).font}; position: absolute; visibility: hidden; white-space: nowrap`;
    document.body.append(probe);
    // Every persona's text, not only the one signed in now.
    const cut = [...s.options].filter((o) => {
      probe.textContent = o.text;
      return probe.getBoundingClientRect().width + 24 > s.getBoundingClientRect().width;
    }).map((o) => o.text);
    probe.remove();
    return cut;
  });
  assert.deepEqual(fits, [], 'no persona text is cut');
  await shot(page, 'narrow-1000-home');
  assert.equal(await page.getByRole('button', { name: 'Export', exact: true }).isVisible(), false, 'the tools wait behind More');
  await page.getByRole('button', { name: 'More', exact: true }).click();
  await page.getByRole('button', { name: 'Share link' }).click();
  const url = await page.getByRole('textbox', { name: 'Share link' }).boundingBox();
  assert.ok(url.width >= 400, `the link's field shows it: ${url.width} px`);
  await shot(page, 'narrow-1000-share-link');
  await page.getByRole('dialog').getByRole('button', { name: 'Done' }).click();
  // More stays open until Escape (or More again).
  await page.getByRole('button', { name: 'Export', exact: true }).waitFor();
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Export', exact: true }).waitFor({ state: 'hidden' });
  assert.deepEqual(errors, []);
  await context.close();
});

// Issue 30 point 5: toasts never cover the page's content (they take a column of their own), are
// dimmed under a dialog's backdrop, and every notice stays in the bell after its toast is closed.
for (const [width, height] of [[1440, 950], [1000, 700]]) {
  test(`toasts beside the content, under a dialog, and kept in the bell (${width}×${height})`, async () => {
    const context = await browser.newContext({ viewport: { width, height } });
    const page = await context.newPage();
    const errors = await open(page, server.url + '#/resourcegroups');
    await page.getByTestId('persona').selectOption('priya@contoso.onmicrosoft.com');
    const create = async (name) => {
      await page.getByRole('button', { name: 'Create', exact: true }).first().click();
      await page.getByRole('textbox', { name: 'Resource group' }).fill(name);
      await page.getByRole('form', { name: 'Create a resource group' }).getByRole('button', { name: 'Create' }).click();
    };
    await create('rg-toast');
    const toast = page.getByTestId('toast').filter({ hasText: 'failed' });
    await toast.waitFor();
    const t = await toast.boundingBox();
    const m = await page.getByRole('main').boundingBox();
    assert.ok(t.x >= m.x + m.width - 1, `the toast (${JSON.stringify(t)}) is beside the content (${JSON.stringify(m)})`);
    await shot(page, `toast-beside-content-${width}`);
    // Under a dialog's backdrop: what is drawn at the toast's centre is the backdrop.
    if (width < 1200) await page.getByRole('button', { name: 'More', exact: true }).click();
    await page.getByRole('button', { name: 'Share link' }).click();
    await page.getByRole('dialog').waitFor();
    const top = await page.evaluate(([x, y]) => document.elementFromPoint(x, y)?.closest('.dialog-backdrop') !== null,
      [t.x + t.width / 2, t.y + t.height / 2]);
    assert.ok(top, 'the dialog backdrop is over the toast');
    await page.getByRole('dialog').getByRole('button', { name: 'Done' }).click();
    if (width < 1200) await page.keyboard.press('Escape');
    await toast.getByRole('button', { name: 'Dismiss notification' }).click();
    await toast.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: /^Notifications/ }).click();
    const kept = page.getByTestId('bell-notices');
    await kept.getByText(/: failed$/).first().waitFor();
    assert.match(await kept.innerText(), /AuthorizationFailed/);
    await shot(page, `bell-keeps-notices-${width}`);
    assert.deepEqual(errors, []);
    await context.close();
  });
}

// Issue 30 point 10: the Cloud Shell pane can be resized, by keyboard and by dragging its edge.
test('the Cloud Shell pane resizes with ↑ / ↓ on its edge and by dragging it', async () => {
  const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
  const page = await context.newPage();
  const errors = await open(page, server.url);
  await page.getByRole('button', { name: 'Cloud Shell' }).click();
  const pane = page.getByRole('region', { name: 'Cloud Shell' });
  const before = (await pane.boundingBox()).height;
  const grip = page.getByRole('separator', { name: 'Resize Cloud Shell' });
  await grip.focus();
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  const taller = (await pane.boundingBox()).height;
  assert.ok(taller >= before + 40, `↑ makes it taller: ${before} → ${taller}`);
  const box = await grip.boundingBox();
  await page.mouse.move(box.x + 200, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + 200, 600, { steps: 5 });
  await page.mouse.up();
  const dragged = (await pane.boundingBox()).height;
  assert.ok(dragged < taller - 100, `dragging down makes it shorter: ${taller} → ${dragged}`);
  assert.ok(dragged >= 120, 'never below a few lines');
  await shot(page, 'cloud-shell-resized');
  assert.deepEqual(errors, []);
  await context.close();
});
