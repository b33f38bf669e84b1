// Journey (issue 33 item 4): after the first visit the playground opens without a network, with
// its saved world; a visit online fetches nothing that did not change; a new build is offered
// with a "Reload" bar and never mixed into a running page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { serveDist, launch, shot, open, shellOk, DIST } from './harness.mjs';

let server, browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

/** Waits until this build's service worker is in charge of the page's scope with every file kept. */
const kept = (page) => page.evaluate(async () => {
  const registration = await navigator.serviceWorker.ready;
  // `ready` resolves once there is an active worker, which may still be activating.
  const worker = registration.active;
  if (worker.state !== 'activated') {
    await new Promise((ok) => worker.addEventListener('statechange', () => { if (worker.state === 'activated') ok(); }));
  }
  const cache = await caches.open('cmk-playground');
  return { state: registration.active.state, files: (await cache.keys()).length };
});

test('the second visit opens offline with the saved world, and online it fetches nothing unchanged', async () => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const errors = await open(page, server.url);
  // Every file but the ones fetched only when used (marked `true`: PowerShell's worker).
  const listed = (await readFile(resolve(DIST, 'sw.js'), 'utf8')).match(/^ {2}\[".*"\],$/gm).length;
  const first = await kept(page);
  assert.equal(first.state, 'activated');
  assert.equal(first.files, listed, 'every file of the build is kept, by its hash');
  assert.ok(listed >= 9, `the list names the build's files (${listed})`);
  await page.getByTestId('open-shell').click();
  await shellOk(page, 'az login --username kai@contoso.onmicrosoft.com');
  await shellOk(page, 'az group create --name rg-offline --location westeurope');

  // Online again: the page and the worker come from what was kept; the network is asked for
  // nothing but the service worker's own check for a new build.
  server.served.length = 0;
  await page.reload();
  await page.getByTestId('persona').waitFor({ timeout: 30_000 });
  assert.deepEqual(server.served.filter((name) => name !== 'sw.js'), [], `fetched again: ${server.served}`);

  // Offline: the same page, the same world.
  await context.setOffline(true);
  await page.reload();
  await page.getByTestId('persona').waitFor({ timeout: 30_000 });
  assert.equal(await page.getByTestId('persona').inputValue(), 'kai@contoso.onmicrosoft.com');
  await page.getByRole('navigation', { name: 'Portal menu' }).getByRole('link', { name: 'Resource groups' }).click();
  await page.getByTestId('rg-table').getByText('rg-offline').waitFor();
  await shot(page, 'offline-second-visit');
  await context.setOffline(false);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a new build is offered with a Reload bar, and taken only when the person reloads', async () => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const errors = await open(page, server.url);
  await kept(page);
  // The host now serves a new build: its service worker differs (its files are the same here).
  const worker = await readFile(resolve(DIST, 'sw.js'), 'utf8');
  server.overrides.set('sw.js', `${worker}\n// the next build\n`);
  try {
    await page.reload();
    await page.getByTestId('persona').waitFor({ timeout: 30_000 });
    const bar = page.getByRole('status').filter({ hasText: 'A new version is available.' });
    await bar.waitFor({ timeout: 30_000 });
    // The running page is still the first build's: the new worker waits.
    assert.equal(await page.evaluate(async () => !!(await navigator.serviceWorker.getRegistration()).waiting), true);
    await shot(page, 'offline-update-bar');
    // Later: the bar goes, and the next visit offers the waiting build again.
    await bar.getByRole('button', { name: 'Later' }).click();
    await bar.waitFor({ state: 'detached' });
    await page.reload();
    await page.getByTestId('persona').waitFor({ timeout: 30_000 });
    await bar.waitFor({ timeout: 30_000 });
    await bar.getByRole('button', { name: 'Reload' }).click();
    await page.waitForEvent('load');
    await page.getByTestId('persona').waitFor({ timeout: 30_000 });
    const after = await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      return { waiting: !!registration.waiting, bar: !!document.querySelector('.update-bar') };
    });
    assert.deepEqual(after, { waiting: false, bar: false }, 'the new build is in charge and the bar is gone');
  } finally {
    server.overrides.delete('sw.js');
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test('a build whose files are not the ones its list names is not taken: the page keeps its own', async () => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const errors = await open(page, server.url);
  await kept(page);
  // The host is halfway through publishing: the new list names a file the host does not serve.
  const worker = await readFile(resolve(DIST, 'sw.js'), 'utf8');
  const wrong = worker.replace(/\["index\.html", "[0-9a-f]{64}"\]/, `["index.html", "${'0'.repeat(64)}"]`);
  assert.notEqual(wrong, worker);
  server.overrides.set('sw.js', wrong);
  try {
    const outcome = await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      await registration.update().catch(() => {});
      const installing = registration.installing;
      const end = installing && await new Promise((ok) => {
        if (installing.state === 'redundant') ok('redundant');
        installing.addEventListener('statechange', () => {
          if (installing.state === 'redundant' || installing.state === 'installed') ok(installing.state);
        });
      });
      return { end, waiting: !!registration.waiting, active: registration.active?.state };
    });
    assert.notEqual(outcome.end, 'installed', 'the mixed build never installs');
    assert.equal(outcome.waiting, false);
    assert.equal(outcome.active, 'activated', 'the first build stays in charge');
    await page.reload();
    await page.getByTestId('persona').waitFor({ timeout: 30_000 });
    assert.equal(await page.locator('.update-bar').count(), 0, 'nothing is offered');
  } finally {
    server.overrides.delete('sw.js');
  }
  assert.deepEqual(errors, []);
  await context.close();
});
