// Shared by the journeys: a static server for dist/ under a sub-path, and a Chromium launcher.
import { createServer } from 'node:http';
import { readFile, mkdir } from 'node:fs/promises';
import assert from 'node:assert/strict';
import { join, extname, normalize, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { crc32, deflateRawSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
export const DIST = process.env.CMK_DIST ?? resolve(here, '../../dist');
export const SHOTS = resolve(here, '../../target/e2e-screenshots');
/** The app is served under a sub-path on purpose: it must work from any sub-path of any host. */
export const SUBPATH = '/playground/sub/';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json', '.webmanifest': 'application/manifest+json',
};

/**
 * Serves dist/ under SUBPATH. `served` lists what the network was asked for (the file names);
 * `overrides` answers a name with other bytes (a new build's file, for the update journey).
 */
export async function serveDist() {
  const served = [];
  const overrides = new Map();
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    if (!url.pathname.startsWith(SUBPATH)) { res.writeHead(404).end('not under the sub-path'); return; }
    let rel = decodeURIComponent(url.pathname.slice(SUBPATH.length)) || 'index.html';
    served.push(rel);
    const file = normalize(join(DIST, rel));
    if (!file.startsWith(DIST)) { res.writeHead(403).end(); return; }
    try {
      const body = overrides.get(rel) ?? await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(body);
    } catch { res.writeHead(404).end('not found'); }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}${SUBPATH}`, served, overrides, close: () => new Promise((ok) => server.close(ok)) };
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CMK_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

export async function shot(page, name) {
  await mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** Opens the app and waits until the worker has answered (the persona switcher is shown). */
export async function open(page, url) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // The Content-Security-Policy must never have to refuse anything the page does, and the page
  // asks nothing of any other origin (SPEC: everything runs in the browser).
  page.on('console', (m) => { if (/Content.Security.Policy/i.test(m.text())) errors.push(`CSP: ${m.text()}`); });
  const origin = new URL(url).origin;
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:')) errors.push(`off-origin request: ${u}`);
  });
  await page.goto(url);
  await page.getByTestId('persona').waitFor({ timeout: 30_000 });
  return errors;
}

/** Runs one Cloud Shell line (the pane open) and returns what it printed. */
export async function shellLine(page, line, timeout = 30_000) {
  const input = page.getByTestId('shell-input');
  await input.fill(line);
  await input.press('Enter');
  const last = page.getByTestId('shell-log').locator('.entry').last();
  await last.locator('pre').waitFor({ timeout });
  return last.locator('pre').innerText();
}

/** Like `shellLine`, and the line must not answer an error (a `--query` may print anything). */
export async function shellOk(page, line) {
  const out = await shellLine(page, line);
  assert.ok(!/^[A-Z][A-Za-z]+: /.test(out) || line.includes('--query'), `${line} → ${out}`);
  return out;
}

/** Uploads a file of the repository into the Cloud Shell's store (the pane open). */
export async function upload(page, name, path) {
  await page.getByLabel('Upload file').setInputFiles({ name, mimeType: 'text/plain', buffer: await readFile(path) });
  await page.getByTestId('shell-log').getByText(`upload ${name}`).waitFor();
  await page.getByTestId('shell-log').locator('.entry').last().locator('pre').waitFor();
}

/**
 * Kai's half of the seeds, scripted in the Cloud Shell: provider, purge-protected RBAC vault, an
 * imported RSA 2048 key, the enterprise policy, its identity's Key Vault Crypto Service Encryption
 * User, and Reader on the policy for Priya. Leaves the shell variables KV, EP and PID set.
 */
export async function azureHalf(page) {
  const root = resolve(here, '../..');
  await page.getByRole('button', { name: 'Cloud Shell' }).click();
  await upload(page, 'ep-contoso-cmk.json', resolve(root, 'tests/scenarios/ep-contoso-cmk.json'));
  await upload(page, 'cmk.pem', resolve(root, 'crates/core/tests/fixtures/rsa2048-1.pem'));
  for (const line of [
    'az login --username kai@contoso.onmicrosoft.com',
    'az provider register --namespace Microsoft.PowerPlatform',
    'az group create --name rg-cmk --location westeurope',
    'az keyvault create --name kv-contoso-cmk --resource-group rg-cmk --location westeurope --enable-purge-protection true',
    'KV=$(az keyvault show --name kv-contoso-cmk --query id -o tsv)',
    'KAI=$(az ad user show --id kai@contoso.onmicrosoft.com --query id -o tsv)',
    'az role assignment create --assignee $KAI --role "Key Vault Crypto Officer" --scope $KV',
    'az keyvault key import --vault-name kv-contoso-cmk --name cmk --pem-file cmk.pem',
    'az deployment group create --resource-group rg-cmk --template-file ep-contoso-cmk.json',
    'EP=$(az graph query -q "resources | where type =~ \'microsoft.powerplatform/enterprisepolicies\'" --query data[0].id -o tsv)',
    'PID=$(az resource show --ids $EP --query identity.principalId -o tsv)',
    'az role assignment create --assignee $PID --role "Key Vault Crypto Service Encryption User" --scope $KV',
    'PRIYA=$(az ad user show --id priya@contoso.onmicrosoft.com --query id -o tsv)',
    'az role assignment create --assignee $PRIYA --role Reader --scope $EP',
  ]) await shellOk(page, line);
  await page.getByRole('button', { name: 'Close Cloud Shell' }).click();
}

/** Opens an item of a key vault's (or Managed HSM's) resource menu, as the documents say: Key vault › Keys. */
export async function vaultItem(page, name) {
  await page.getByRole('navigation', { name: /^(Key vault|Managed HSM) menu$/ }).getByRole('link', { name, exact: true }).click();
}

/** A .zip as zip tools write it: each file deflated, with its CRC-32, then the central directory. */
export function zip(files) {
  const locals = [], centrals = [];
  let offset = 0;
  for (const [name, text] of files) {
    const data = Buffer.from(text), packed = deflateRawSync(data), nameBytes = Buffer.from(name);
    const fields = (h, at) => {
      h.writeUInt16LE(20, at); h.writeUInt16LE(0, at + 2); h.writeUInt16LE(8, at + 4);
      h.writeUInt32LE(0, at + 6); h.writeUInt32LE(crc32(data), at + 10);
      h.writeUInt32LE(packed.length, at + 14); h.writeUInt32LE(data.length, at + 18);
      h.writeUInt16LE(nameBytes.length, at + 22); h.writeUInt16LE(0, at + 24);
    };
    const local = Buffer.alloc(30); local.writeUInt32LE(0x04034b50, 0); fields(local, 4);
    const central = Buffer.alloc(46); central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); fields(central, 6);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, packed); centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + packed.length;
  }
  const directory = Buffer.concat(centrals), end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(files.length, 8); end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(directory.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
