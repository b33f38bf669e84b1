// Journey: export the playground to a file, reset it, refuse a damaged file, import the export and
// find everything again (SPEC PG-3).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { serveDist, launch, shot, open } from './harness.mjs';

let server, browser;
before(async () => { server = await serveDist(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

test('export, reset, a damaged import refused, import brings the world back', async () => {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const errors = await open(page, server.url);
  await page.getByTestId('open-shell').click();
  for (const line of ['az login --username kai@contoso.onmicrosoft.com', 'az group create --name rg-keep --location westeurope']) {
    await page.getByTestId('shell-input').fill(line);
    await page.getByTestId('shell-input').press('Enter');
    await page.getByTestId('shell-log').locator('.entry').last().locator('pre').waitFor();
  }
  await page.getByRole('button', { name: 'Close Cloud Shell' }).click();
  const nav = page.getByRole('navigation', { name: 'Portal menu' });
  await nav.getByRole('link', { name: 'Resource groups' }).click();
  await page.getByTestId('rg-table').getByText('rg-keep').waitFor();

  // Export: a download holding the versioned envelope.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export' }).click()]);
  const saved = await readFile(await download.path(), 'utf8');
  const envelope = JSON.parse(saved);
  assert.equal(envelope.format, 'cmk-playground');
  assert.equal(envelope.version, 2);

  // Reset playground, after a confirmation.
  await page.getByRole('button', { name: 'Reset playground' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Reset' }).click();
  await page.getByTestId('rg-table').getByText('rg-keep').waitFor({ state: 'detached' });

  // A damaged file is refused and changes nothing.
  await page.getByLabel('Import a playground file').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"format":"cmk-playground","version":2,"state":{') });
  await page.getByRole('dialog').getByRole('button', { name: 'Import' }).click();
  await page.getByTestId('playground-error').getByText(/CorruptState/).waitFor();
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
