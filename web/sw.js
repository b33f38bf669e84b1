// CMK Playground's service worker: it keeps the files of one build so the page opens without a
// network after the first visit. `cargo xtask dist` writes the list below (each file of dist/
// with its SHA-256); a new build is a new list, so the browser sees a new worker.
//
// - Every file is stored under its name and hash: a file a new build did not change is not
//   fetched again, and a page is always served the files of the build it started with.
// - A file whose bytes are not the hash listed (the host already serves a newer build) fails the
//   install: the worker in charge keeps serving its own build, never a mix of two.
// - A new build waits until the page says to take over (its "Reload" button), then answers.
// - A file marked `true` (the PowerShell worker, fetched only when someone switches to it) is
//   not fetched at install: it is kept, checked against its hash, the first time the page asks.
const FILES = /*FILES*/[];
const CACHE = 'cmk-playground';

const scope = () => new URL(self.registration.scope);
const key = ([name, hash]) => new URL(`${name}?sha256=${hash}`, scope()).href;
const hex = (buffer) => [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, '0')).join('');

async function keep() {
  const cache = await caches.open(CACHE);
  for (const file of FILES) {
    if (file[2] === true || (await cache.match(key(file)))) continue;
    const response = await fetch(new URL(file[0], scope()), { cache: 'no-cache' });
    if (!response.ok) throw new Error(`${file[0]}: HTTP ${response.status}`);
    const bytes = await response.arrayBuffer();
    if (hex(await crypto.subtle.digest('SHA-256', bytes)) !== file[1]) {
      throw new Error(`${file[0]} is not the file this build lists: the host serves another build`);
    }
    const type = response.headers.get('content-type') ?? 'application/octet-stream';
    await cache.put(key(file), new Response(bytes, { headers: { 'content-type': type } }));
  }
}

async function forgetOthers() {
  const cache = await caches.open(CACHE);
  const mine = new Set(FILES.map(key));
  for (const request of await cache.keys()) {
    if (!mine.has(request.url)) await cache.delete(request);
  }
}

self.addEventListener('install', (event) => event.waitUntil(keep()));
self.addEventListener('activate', (event) => event.waitUntil(forgetOthers()));
self.addEventListener('message', (event) => {
  if (event.data === 'take-over') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  const root = scope();
  if (url.origin !== root.origin || !url.pathname.startsWith(root.pathname)) return;
  // The page routes by its hash, so every navigation inside the scope is the page itself.
  const name = request.mode === 'navigate' ? 'index.html' : url.pathname.slice(root.pathname.length);
  const file = FILES.find(([n]) => n === (name || 'index.html'));
  if (!file) return;
  event.respondWith(
    caches.open(CACHE).then(async (cache) => {
      const kept = await cache.match(key(file));
      if (kept) return kept;
      const response = await fetch(request);
      if (file[2] === true && response.ok) {
        const bytes = await response.clone().arrayBuffer();
        if (hex(await crypto.subtle.digest('SHA-256', bytes)) === file[1]) {
          const type = response.headers.get('content-type') ?? 'application/octet-stream';
          await cache.put(key(file), new Response(bytes, { headers: { 'content-type': type } }));
        }
      }
      return response;
    }),
  );
});
