// `cargo xtask bench`, in the browser: a world of 50 environments × 10,000 rows is built in the
// page from a share link (the worker runs the script), then What if? for removing the policy's
// role is opened in its dialog; we print the worker's own time and the time until the report
// shows. Run on a release dist/ (`cargo xtask dist`).
import { deflateRawSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveDist, launch, shellLine } from '../e2e/harness.mjs';

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

// Weight: everything dist/ serves, gzip -9 — GNU gzip itself, as `cargo xtask dist` and the
// budget test measure (node's zlib at level 9 makes ~6 KB more of the same files, which put
// this table and the test on two sides of the budget).
const dist = process.env.CMK_DIST ?? resolve(here, '../../dist');
const weight = { total: 0, page: 0, worker: 0, powershell: 0, byName: new Map() };
for (const name of await readdir(dist)) {
  const gz = execFileSync('gzip', ['-9', '-c', resolve(dist, name)], { maxBuffer: 1 << 26 }).length;
  weight.byName.set(name, gz);
  weight.total += gz;
  if (/^cmk-web-.*\.wasm$/.test(name)) weight.page += gz;
  if (name === 'cmk_worker_bg.wasm') weight.worker += gz;
  // Fetched only when someone switches the Cloud Shell to PowerShell.
  if (name.startsWith('cmk_pwsh_worker')) weight.powershell += gz;
}
const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = [];
const row = (what, value, goal, met) => rows.push({ what, value, goal, met: met === undefined ? '' : met ? 'yes' : 'NO' });

// The longest task the page's main thread ran while `act` ran, from a CDP trace, and what it
// was: an input event's handler (its type), a message from the worker, or the browser's own
// rendering (style, layout, paint).
async function tracedLongest(context, page, act) {
  const cdp = await context.newCDPSession(page);
  const traced = [];
  cdp.on('Tracing.dataCollected', (d) => traced.push(...d.value));
  await cdp.send('Tracing.start', { categories: 'toplevel,devtools.timeline', transferMode: 'ReportEvents' });
  await act();
  const traceDone = new Promise((ok) => cdp.once('Tracing.tracingComplete', ok));
  await cdp.send('Tracing.end');
  await traceDone;
  await cdp.detach();
  const mainThreads = new Set(traced.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const onMain = traced.filter((e) => e.ph === 'X' && e.dur && mainThreads.has(`${e.pid}:${e.tid}`));
  const task = onMain.filter((e) => /(^|::)RunTask$/.test(e.name)).sort((a, b) => b.dur - a.dur)[0];
  if (!task) return { ms: 0, what: 'no task' };
  const inside = onMain.filter((e) => e !== task && e.ts >= task.ts && e.ts + e.dur <= task.ts + task.dur);
  const spent = (name) => inside.filter((e) => e.name === name).reduce((sum, e) => sum + e.dur / 1000, 0);
  const events = inside.filter((e) => e.name === 'EventDispatch' && e.dur > 1000).map((e) => e.args?.data?.type);
  const parts = [
    events.length ? `input (${[...new Set(events)].join(', ')}) ${spent('EventDispatch').toFixed(1)} ms` : '',
    spent('HandlePostMessage') ? `the worker's answer ${spent('HandlePostMessage').toFixed(1)} ms` : '',
    `style and layout ${(spent('UpdateLayoutTree') + spent('Layout')).toFixed(1)} ms`,
    `paint ${(spent('Paint') + spent('PrePaint') + spent('Commit') + spent('Layerize')).toFixed(1)} ms`,
  ].filter(Boolean);
  // A task that is none of those (a script Playwright runs in the page, a collection): its
  // largest event, so the figure can be read for what it is.
  const known = new Set(['EventDispatch', 'HandlePostMessage', 'UpdateLayoutTree', 'Layout', 'Paint', 'PrePaint', 'Commit', 'Layerize']);
  const other = inside.filter((e) => !known.has(e.name) && !/RunTask$/.test(e.name)).sort((a, b) => b.dur - a.dur)[0];
  if (other && other.dur > task.dur / 4) parts.push(`${other.name} ${(other.dur / 1000).toFixed(1)} ms`);
  return { ms: task.dur / 1000, what: `(${parts.join(', ')})` };
}

const server = await serveDist();
const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  // Every document measures its main thread from its first moment: the longest gap between two
  // turns of a zero-delay timer is the longest block (the Long Tasks API is not offered headless).
  await context.addInitScript(() => {
    self.cmkLongest = 0;
    let last = performance.now();
    const tick = () => {
      const now = performance.now();
      self.cmkLongest = Math.max(self.cmkLongest, now - last);
      last = now;
      setTimeout(tick, 0);
    };
    setTimeout(tick, 0);
    // When the start's milestones entered the document (the frame painted at the first
    // contentful paint at the earliest): measured in the page, not by polling from outside,
    // since page.goto returns only at the load event, after the page's code ran.
    self.cmkSeen = {};
    const milestones = [['frame', '[data-testid=chrome]'], ['own', '[data-testid=chrome]:not([data-static])'], ['ready', '[data-testid=persona]']];
    new MutationObserver(() => {
      for (const [name, selector] of milestones) {
        if (self.cmkSeen[name] === undefined && document.querySelector(selector)) self.cmkSeen[name] = performance.now();
      }
    }).observe(document, { childList: true, subtree: true });
  });
  const page = await context.newPage();
  const longest = async (reset) => page.evaluate((reset) => {
    const max = self.cmkLongest ?? 0;
    if (reset) self.cmkLongest = 0;
    return max;
  }, reset);
  const worker = () => page.workers().find((w) => w.url().includes('cmk_worker'));
  const stats = async () => (await worker()?.evaluate(() => self.cmkStats ?? {})) ?? {};
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') console.error('page:', m.text()); });
  page.on('pageerror', (e) => console.error('pageerror:', String(e)));
  // Start: the portal's frame, then the world, after a load with nothing saved yet.
  // The frame is first index.html's (plain HTML, `data-static`), then the page's own once its
  // code runs; each is timed from navigation, by the page itself (`cmkSeen`).
  const start = async () => {
    await page.getByTestId('persona').waitFor({ timeout: 120_000 });
    const { seen, paint } = await page.evaluate(() => ({
      seen: self.cmkSeen,
      paint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? 0,
    }));
    return [Math.max(seen.frame, paint), seen.ready, Math.max(seen.own ?? seen.ready, paint)];
  };
  // The first visit: the files fetched until the portal is interactive (the page's and its
  // worker's), each counted at its gzip -9 size.
  const firstVisit = new Set();
  const onResponse = (r) => {
    const url = new URL(r.url());
    if (url.href.startsWith(server.url)) firstVisit.add(url.pathname.slice(new URL(server.url).pathname.length) || 'index.html');
  };
  context.on('response', onResponse);
  await page.goto(server.url);
  const [emptyChrome, emptyReady, emptyOwn] = await start();
  context.off('response', onResponse);
  const firstVisitBytes = [...firstVisit].reduce((sum, name) => sum + (weight.byName.get(name) ?? 0), 0);
  console.log(`first visit, before interactive: ${[...firstVisit].sort().join(', ')}`);
  // First, on a small world: a 3072-bit key from the Cloud Shell (the worker uses WebCrypto).
  await page.getByTestId('persona').waitFor();
  await page.getByTestId('open-shell').click();
  for (const line of ['az login --username kai@contoso.onmicrosoft.com', 'az group create --name rg-k --location westeurope',
    'az keyvault create --name kv-k --resource-group rg-k --location westeurope --enable-rbac-authorization false']) {
    await shellLine(page, line);
  }
  const shellKeys = [];
  for (let i = 0; i < 9; i++) {
    // Measured in the page: from the Enter key to the line's output in the DOM.
    await page.getByTestId('shell-input').fill(`az keyvault key create --vault-name kv-k --name bench-${i} --size 3072 --query key.kid -o tsv`);
    const took = page.evaluate(() => new Promise((ok) => {
      const input = document.querySelector('[data-testid=shell-input]');
      const log = document.querySelector('[data-testid=shell-log]');
      const outputs = log.querySelectorAll('.entry pre').length;
      let pressed;
      input.addEventListener('keydown', (e) => { if (e.key === 'Enter') pressed = performance.now(); }, { capture: true, once: true });
      new MutationObserver((_, observer) => {
        if (log.querySelectorAll('.entry pre').length > outputs) { observer.disconnect(); ok(performance.now() - pressed); }
      }).observe(log, { childList: true, subtree: true, characterData: true });
    }));
    await page.getByTestId('shell-input').press('Enter');
    shellKeys.push(await took);
  }
  console.log(`Create key 3072 in the worker: ${((await stats()).requests ?? []).slice(-9).map((r) => r.millis.toFixed(0)).join(', ')} ms`);
  // Sets a rotation policy on `key`, moves the clock, and answers the worker's time for the move;
  // the key must then have `expected` versions.
  const rotate = async (key, trigger, expiry, advance, expected, what) => {
    const policy = `{"lifetimeActions":[{"trigger":{"timeAfterCreate":"${trigger}"},"action":{"type":"Rotate"}}],"attributes":{"expiryTime":"${expiry}"}}`;
    await shellLine(page, `az keyvault key rotation-policy update --vault-name kv-k --name ${key} --value '${policy}'`);
    await page.waitForTimeout(2000); // the keys made ahead arrive
    await shellLine(page, `sim clock advance ${advance}`, 600_000);
    const millis = ((await stats()).requests ?? []).at(-1).millis;
    const versions = await shellLine(page, `az keyvault key list-versions --vault-name kv-k --name ${key} --query "length(@)" -o tsv`);
    if (versions.trim() !== String(expected)) console.error(`${what}: expected ${expected} versions, found ${versions}`);
    console.log(`${what}: ${millis.toFixed(0)} ms in the worker`);
    return millis;
  };
  // 31 days of a monthly policy: the new version takes a key WebCrypto made ahead (the worker
  // keeps two ready) instead of generating RSA in the worker.
  const rotationMillis = await rotate('bench-0', 'P30D', 'P90D', 'P31D', 2, '31 days with a 3072-bit rotation policy (one rotation, key made ahead)');
  // 70 days of a weekly policy at once: the worker has WebCrypto make every key the rotations will
  // take (in parallel) before it moves the clock. The key is 31 days old: its first rotation is
  // overdue and happens at once, then one a week: eleven.
  const rotationsMillis = await rotate('bench-1', 'P7D', 'P28D', 'P70D', 12, '70 days with a 7-day policy on a 3072-bit key (eleven rotations)');
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
  // Select, then act: the assignment stays ticked after No, so each round opens Remove again.
  await page.getByRole('checkbox', { name: 'Select Key Vault Crypto Service Encryption User for ep-contoso-cmk' }).check();
  for (let i = 0; i < 3; i++) {
    const t = Date.now();
    await page.getByRole('toolbar', { name: 'Commands' }).getByRole('button', { name: 'Remove' }).click();
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
  const webcrypto = [];
  for (let i = 0; i < 9; i++) {
    webcrypto.push(await page.evaluate(async () => {
      const t = performance.now();
      await crypto.subtle.generateKey({ name: 'RSA-OAEP', modulusLength: 3072, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['encrypt', 'decrypt']);
      return performance.now() - t;
    }));
  }
  // Commands on the big world: +1 hour clicked 7 times (click → the clock on screen moved), each
  // answered and then saved; the worker's own figures come from its `cmkStats`.
  await page.waitForTimeout(3000); // the last save of the build lands
  // The long-task observer must see a block we make on purpose, or its figures mean nothing.
  await page.evaluate(() => { const t = performance.now(); while (performance.now() - t < 80); });
  await page.waitForTimeout(200);
  const observed = await longest(true);
  if (observed < 60) console.error(`main-thread blocks are not observed here (a block of 80 ms showed as ${observed} ms)`);
  await longest(true);
  const clock = page.getByTestId('clock-now');
  const trips = [];
  for (let i = 0; i < 7; i++) {
    // Measured in the page: from the click event to the moment the clock's text changed in the DOM.
    const trip = page.evaluate(() => new Promise((ok) => {
      const button = [...document.querySelectorAll('button')].find((b) => b.textContent === '+1 hour');
      const clock = document.querySelector('[data-testid=clock-now]');
      let clicked;
      button.addEventListener('click', () => { clicked = performance.now(); }, { capture: true, once: true });
      new MutationObserver((_, observer) => { observer.disconnect(); ok(performance.now() - clicked); })
        .observe(clock, { childList: true, characterData: true, subtree: true });
    }));
    await page.getByRole('button', { name: '+1 hour' }).click();
    trips.push(await trip);
    await page.waitForTimeout(300); // its save lands before the next click
  }
  const hourSaves = ((await stats()).saves ?? []).slice(-7);
  // The same click, three more times, under a CDP trace: the longest task the page's main thread
  // ran (the timer gaps above add up tasks that merely follow each other, and include the work
  // Playwright's own click does in the page).
  const hourTask = await tracedLongest(context, page, async () => {
    for (let i = 0; i < 3; i++) {
      await page.getByRole('button', { name: '+1 hour' }).click();
      await page.waitForTimeout(400);
    }
  });
  const hourWork = ((await stats()).requests ?? []).slice(-7).map((r) => r.millis);
  // An Azure-only command from the Cloud Shell: no environment is written.
  await page.getByTestId('open-shell').click();
  const shellTask = await tracedLongest(context, page, async () => {
    await shellLine(page, 'az group create --name rg-bench --location westeurope');
    await page.waitForTimeout(400);
  });
  await page.getByRole('button', { name: 'Close Cloud Shell' }).click();
  await page.waitForTimeout(500);
  const azureSave = ((await stats()).saves ?? []).at(-1);
  // 30 simulated days.
  const days = [];
  let daysTask;
  for (let i = 0; i < 2; i++) {
    const was = await clock.innerText();
    const advance = async () => {
      await page.getByRole('button', { name: '+30 days' }).click();
      await page.waitForFunction((b) => document.querySelector('[data-testid=clock-now]')?.innerText !== b, was, { polling: 100, timeout: 120_000 });
      await page.waitForTimeout(500);
    };
    // The second under a trace.
    if (i === 1) daysTask = await tracedLongest(context, page, advance); else await advance();
    days.push(((await stats()).requests ?? []).at(-1).millis);
  }
  const daysSave = ((await stats()).saves ?? []).at(-1);
  const commandBlock = await longest(true);

  console.log(`world of ${ENVIRONMENTS} environments x ${ROWS} rows built in the page from a share link in ${buildSeconds.toFixed(1)} s`);
  console.log(`what-if in the page (worker), revoke the policy's role, 35 days: ${median(times.map((t) => t.worker))} ms in the worker, ${median(times.map((t) => t.wall))} ms from the click to the report (median of 3; ${times[0].locks} consequences listed)`);
  console.log(`+1 hour x7: worker ${hourWork.map((m) => m.toFixed(0)).join(', ')} ms; click to clock on screen ${trips.map((m) => m.toFixed(0)).join(', ')} ms`);
  console.log(`their saves: worker ${hourSaves.map((s) => s.prepared.toFixed(1)).join(', ')} ms, committed after ${hourSaves.map((s) => s.total.toFixed(0)).join(', ')} ms, ${hourSaves.map((s) => kb(s.bytes)).join(', ')}`);
  console.log(`Azure-only command's save: worker ${azureSave?.prepared.toFixed(1)} ms, ${kb(azureSave?.bytes ?? 0)}; +30 days: worker ${days.map((d) => d.toFixed(0)).join(', ')} ms, its save ${daysSave?.prepared.toFixed(1)} ms (${kb(daysSave?.bytes ?? 0)})`);

  // A cold load of the 50-environment world (its save is in IndexedDB now).
  await page.reload();
  const [bigChrome, bigReady] = await start();
  // The first page's measure is gone with it; after reload the init script measured from the start.
  await page.waitForTimeout(300);
  const loadBlock = await longest(true);
  // The records follow the world shown; wait until they are attached (commands wait for them).
  let loads = [];
  for (let i = 0; i < 100 && !loads.some((l) => l.attached !== undefined); i++) {
    await page.waitForTimeout(50);
    loads = (await stats()).loads ?? [];
  }
  console.log(`cold load in the worker: ${JSON.stringify(loads)}`);
  const attached = loads.find((l) => l.attached !== undefined)?.attached ?? NaN;
  console.log(`start, nothing saved: portal frame at ${emptyChrome.toFixed(0)} ms (index.html's; the page's own at ${emptyOwn.toFixed(0)} ms), interactive at ${emptyReady.toFixed(0)} ms after navigation`);
  console.log(`start, 50 x 10,000 saved: portal frame at ${bigChrome.toFixed(0)} ms, interactive at ${bigReady.toFixed(0)} ms after navigation (cold load of the save)`);
  console.log(`Create key 3072 from the Cloud Shell: ${median(shellKeys).toFixed(0)} ms (Enter to output in the page, small world); WebCrypto generateKey 3072 alone: ${median(webcrypto).toFixed(0)} ms (medians of 9)`);

  const ms = (x) => `${Number(x).toFixed(0)} ms`;
  // Goals: issue 33's (the anchor is one display frame, 16.7 ms).
  const frame = 16.7;
  row('weight: everything dist/ serves, gzip -9', kb(weight.total), '≤ 1100 KB', weight.total <= 1100 * 1024);
  row('weight: all but the on-demand PowerShell module', kb(weight.total - weight.powershell), '≤ 1100 KB', weight.total - weight.powershell <= 1100 * 1024);
  row('weight: PowerShell module (fetched on first use)', kb(weight.powershell), '≤ 180 KB', weight.powershell <= 180 * 1024);
  row('weight: first visit, fetched before interactive', kb(firstVisitBytes), '≤ 800 KB', firstVisitBytes <= 800 * 1024);
  row('weight: page wasm', kb(weight.page), '—');
  row('weight: worker wasm', kb(weight.worker), '—');
  row('start: portal frame after navigation (nothing saved)', ms(emptyChrome), '≤ 200 ms', emptyChrome <= 200);
  row('start: the page\'s own frame, its code running (nothing saved)', ms(emptyOwn), '—');
  row('start: interactive (nothing saved)', ms(emptyReady), '≤ 500 ms', emptyReady <= 500);
  row('cold load, 50 × 10,000 saved: interactive', ms(bigReady), '≤ 300 ms', bigReady <= 300);
  row('cold load: records read and attached after the world shows', ms(attached), '—');
  row('save after one command (+1 hour), worker time, median', `${median(hourSaves.map((s) => s.prepared)).toFixed(1)} ms`, '≤ 20 ms', median(hourSaves.map((s) => s.prepared)) <= 20);
  row('save after one command, until IndexedDB committed, median', ms(median(hourSaves.map((s) => s.total))), '—');
  row('one command round trip, click → view in the page, median of 7', `${median(trips).toFixed(1)} ms`, '≤ 16.7 ms', median(trips) <= frame);
  row('30 simulated days of clock, worker time, median of 2', ms(median(days)), '≤ 200 ms', median(days) <= 200);
  if (observed >= 60) {
    row('longest main-thread block: commands, saves, 30 days', `${commandBlock.toFixed(1)} ms`, '≤ 16.7 ms', commandBlock <= frame);
    row('longest main-thread block: cold load', `${loadBlock.toFixed(1)} ms`, '≤ 16.7 ms', loadBlock <= frame);
  }
  for (const [what, task] of [['three +1 hour clicks', hourTask], ['a Cloud Shell line (az group create)', shellTask], ['+30 days', daysTask]]) {
    row(`longest main-thread task, traced: ${what}`, `${task.ms.toFixed(1)} ms`, '≤ 16.7 ms', task.ms <= frame);
  }
  console.log(`longest traced tasks, what they were: ${[hourTask, shellTask, daysTask].map((t) => `${t.ms.toFixed(1)} ms ${t.what}`).join('; ')}`);
  const keyRatio = median(shellKeys) / median(webcrypto);
  row('Create key 3072 (Cloud Shell) ÷ WebCrypto generateKey', `${keyRatio.toFixed(2)}×`, '≤ 1.5×', keyRatio <= 1.5);
  row('31 days, one policy rotation of a 3072-bit key, worker', ms(rotationMillis), '—');
  row('70 days, eleven policy rotations of a 3072-bit key, worker (keys made first)', ms(rotationsMillis), '—');
  row('what-if, 50 environments, worker', ms(median(times.map((t) => t.worker))), '—');
  console.log('\n== the table: figure, goal, met ==');
  const w = Math.max(...rows.map((r) => r.what.length));
  for (const r of rows) console.log(`${r.what.padEnd(w)}  ${r.value.padStart(10)}  ${r.goal.padStart(9)}  ${r.met}`);
  await context.close();
} finally {
  await browser.close();
  await server.close();
}
