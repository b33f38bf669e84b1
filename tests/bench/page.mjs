// `cargo xtask bench`, in the browser: a world of 50 environments × 10,000 rows is built in the
// page from a share link (the worker runs the script), then What if? for removing the policy's
// role is opened in its dialog; we print the worker's own time and the time until the report
// shows. Run on a release dist/ (`cargo xtask dist`).
import { deflateRawSync } from 'node:zlib';
import { readFile } from 'node:fs/promises';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveDist, launch } from '../e2e/harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const ENVIRONMENTS = 50;
const ROWS = 10_000;

const template = JSON.stringify(JSON.parse(await readFile(resolve(here, '../scenarios/ep-contoso-cmk.json'), 'utf8')));
const lines = [
  'sim seed 7',
  'az login --username kai@contoso.onmicrosoft.com',
  'az provider register --namespace Microsoft.PowerPlatform',
  'az group create --name rg-cmk --location westeurope',
  'az keyvault create --name kv-contoso-cmk --resource-group rg-cmk --location westeurope --enable-purge-protection true --retention-days 90',
  'KAI=$(az ad user show --id kai@contoso.onmicrosoft.com --query id -o tsv)',
  'KV=$(az keyvault show --name kv-contoso-cmk --query id -o tsv)',
  'az role assignment create --assignee $KAI --role "Key Vault Crypto Officer" --scope $KV',
  'az keyvault key create --vault-name kv-contoso-cmk --name cmk --kty RSA --size 2048',
  `sim file write --name ep.json --value '${template}'`,
  'az deployment group create --resource-group rg-cmk --template-file ep.json',
  `EP=$(az graph query -q "resources | where type =~ 'microsoft.powerplatform/enterprisepolicies'" --query data[0].id -o tsv)`,
  'PID=$(az resource show --ids $EP --query identity.principalId -o tsv)',
  'az role assignment create --assignee $PID --role "Key Vault Crypto Service Encryption User" --scope $KV',
  'PRIYA=$(az ad user show --id priya@contoso.onmicrosoft.com --query id -o tsv)',
  'New-AzRoleAssignment -ObjectId $PRIYA -RoleDefinitionName Reader -Scope $EP',
  'az login --username priya@contoso.onmicrosoft.com',
];
for (let i = 0; i < ENVIRONMENTS; i++) {
  lines.push(`pp env create --name env-${i} --region europe --type Sandbox`, `pp env enable-managed --environment env-${i}`,
    `sim data insert --environment env-${i} --table account --rows ${ROWS}`);
  if (i % 2 === 0) lines.push(`pp policy add-environment --policy ep-contoso-cmk --environment env-${i}`);
}
lines.push('sim clock run', 'sim clock advance 2d', 'az login --username kai@contoso.onmicrosoft.com');
const code = deflateRawSync(Buffer.from(lines.join('\n') + '\n'), { level: 9 }).toString('base64url');

const server = await serveDist();
const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') console.error('page:', m.text()); });
  page.on('pageerror', (e) => console.error('pageerror:', String(e)));
  // Start: the portal's frame, then the world, after a load with nothing saved yet.
  const start = async () => {
    await page.waitForFunction(() => document.querySelector('[data-testid=chrome],[data-testid=persona]'), null, { polling: 5 });
    const chrome = await page.evaluate(() => performance.now());
    await page.getByTestId('persona').waitFor({ timeout: 120_000 });
    const ready = await page.evaluate(() => performance.now());
    return [chrome, ready];
  };
  await page.goto(server.url);
  const [emptyChrome, emptyReady] = await start();
  // First, on a small world: a 3072-bit key from the Cloud Shell (the worker uses WebCrypto).
  await page.getByTestId('persona').waitFor();
  await page.getByTestId('open-shell').click();
  for (const line of ['az login --username kai@contoso.onmicrosoft.com', 'az group create --name rg-k --location westeurope',
    'az keyvault create --name kv-k --resource-group rg-k --location westeurope --enable-rbac-authorization false']) {
    const before = await page.getByTestId('shell-log').locator('.entry').count();
    await page.getByTestId('shell-input').fill(line);
    await page.getByTestId('shell-input').press('Enter');
    await page.getByTestId('shell-log').locator('.entry').nth(before).locator('pre').waitFor();
  }
  const shellKeys = [];
  for (let i = 0; i < 5; i++) {
    const before = await page.getByTestId('shell-log').locator('.entry').count();
    const t = Date.now();
    await page.getByTestId('shell-input').fill(`az keyvault key create --vault-name kv-k --name bench-${i} --size 3072 --query key.kid -o tsv`);
    await page.getByTestId('shell-input').press('Enter');
    await page.getByTestId('shell-log').locator('.entry').nth(before).locator('pre').waitFor({ timeout: 120_000 });
    shellKeys.push(Date.now() - t);
  }
  await page.getByRole('button', { name: 'Close Cloud Shell' }).click();
  await page.goto(`${server.url}#share=${code}`);
  await page.reload();
  const built = Date.now();
  await page.getByRole('dialog', { name: 'Open shared scenario' }).getByRole('button', { name: 'Replace my playground' }).click();
  await page.getByText(/Opened the shared scenario/).waitFor({ timeout: 600_000 });
  const buildSeconds = (Date.now() - built) / 1000;
  await page.getByRole('navigation', { name: 'Portal menu' }).getByRole('link', { name: 'Key vaults' }).click();
  await page.getByTestId('vault-table').getByRole('link', { name: 'kv-contoso-cmk' }).click();
  await page.getByRole('link', { name: 'Access control (IAM)' }).click();
  const times = [];
  for (let i = 0; i < 3; i++) {
    const t = Date.now();
    await page.getByRole('button', { name: 'Remove Key Vault Crypto Service Encryption User from ep-contoso-cmk' }).click();
    const shown = page.getByTestId('what-if-time');
    await shown.waitFor({ timeout: 120_000 }).catch(async (e) => {
      await page.screenshot({ path: '/tmp/bench-fail.png' });
      throw e;
    });
    const wall = Date.now() - t;
    const worker = Number((await shown.innerText()).match(/in (\d+) ms/)[1]);
    const locks = await page.getByTestId('what-if').locator('li').count();
    times.push({ worker, wall, locks });
    await page.getByRole('dialog').getByRole('button', { name: 'No' }).click();
  }
  const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const webcrypto = [];
  for (let i = 0; i < 5; i++) {
    webcrypto.push(await page.evaluate(async () => {
      const t = performance.now();
      await crypto.subtle.generateKey({ name: 'RSA-OAEP', modulusLength: 3072, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['encrypt', 'decrypt']);
      return performance.now() - t;
    }));
  }
  console.log(`world of ${ENVIRONMENTS} environments x ${ROWS} rows built in the page from a share link in ${buildSeconds.toFixed(1)} s`);
  console.log(`what-if in the page (worker), revoke the policy's role, 35 days: ${median(times.map((t) => t.worker))} ms in the worker, ${median(times.map((t) => t.wall))} ms from the click to the report (median of 3; ${times[0].locks} consequences listed)`);
  // A cold load of the 50-environment world (its save is in IndexedDB now).
  await page.waitForTimeout(3000); // let the last save finish
  await page.reload();
  const [bigChrome, bigReady] = await start();
  console.log(`start, nothing saved: portal frame at ${emptyChrome.toFixed(0)} ms, interactive at ${emptyReady.toFixed(0)} ms after navigation`);
  console.log(`start, 50 x 10,000 saved: portal frame at ${bigChrome.toFixed(0)} ms, interactive at ${bigReady.toFixed(0)} ms after navigation (cold load of the save)`);
  console.log(`Create key 3072 from the Cloud Shell: ${median(shellKeys)} ms (Enter to output on screen, small world); WebCrypto generateKey 3072 alone: ${median(webcrypto).toFixed(0)} ms (medians of 5)`);
  await context.close();
} finally {
  await browser.close();
  await server.close();
}
