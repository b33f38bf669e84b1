// A button as the portal's are (`primary` for the one to press), calling `onClick(button)`.
const button = (label, primary, onClick) => {
  const b = document.createElement('button');
  b.type = 'button';
  if (primary) b.className = 'primary';
  b.textContent = label;
  b.addEventListener('click', () => onClick(b));
  return b;
};

// The portal's frame in index.html (shown while the page's code loads) is the Azure portal's;
// a link into the Power Platform admin center shows that portal's frame instead.
if (location.hash.startsWith('#/ppac')) {
  const header = document.querySelector('header[data-static]');
  header?.classList.add('ppac');
  header?.parentElement?.querySelector('.shell')?.classList.add('ppac');
  header?.parentElement?.querySelector('.leftnav')?.remove();
  const brand = header?.querySelector('.brand');
  if (brand) brand.firstChild.textContent = 'Power Platform admin center';
}

// The page's code replaces that frame when it starts. If loading it fails (a file that could not
// be fetched or compiled), the frame says so and offers Reload, instead of "Starting…" forever.
addEventListener('error', (event) => {
  const status = document.querySelector('header[data-static] ~ .shell .starting');
  if (!status) return;
  const title = document.createElement('h1');
  title.textContent = 'The playground could not load';
  const detail = document.createElement('p');
  detail.textContent = `The page's code did not start (${(event.message || 'a file could not be loaded').replace(/^Uncaught /, '')}). `
    + 'Your saved playground is untouched. Check the connection, then reload.';
  const reload = button('Reload', true, () => location.reload());
  status.className = 'main load-problem';
  status.dataset.testid = 'page-not-loaded';
  status.removeAttribute('role');
  status.replaceChildren(title, detail, reload);
});

// Registers the service worker that keeps this build for offline visits, and says when a new
// build is ready: a bar with "Reload", never a silent switch while the page runs.
if ('serviceWorker' in navigator && location.protocol !== 'file:') {
  const bar = (waiting) => {
    if (document.querySelector('.update-bar')) return;
    const div = document.createElement('div');
    div.className = 'update-bar';
    div.setAttribute('role', 'status');
    const text = document.createElement('span');
    text.textContent = 'A new version is available.';
    const reload = button('Reload', true, (b) => {
      b.disabled = true;
      b.textContent = 'Reloading…';
      navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), { once: true });
      waiting.postMessage('take-over');
    });
    // Later: the bar goes; the new build waits for the next visit.
    const later = button('Later', false, () => div.remove());
    div.append(text, reload, later);
    document.body.prepend(div);
  };
  const watch = (registration) => {
    // A build installed on an earlier visit and still waiting, or one installing now.
    if (registration.waiting && navigator.serviceWorker.controller) bar(registration.waiting);
    registration.addEventListener('updatefound', () => {
      const installing = registration.installing;
      installing?.addEventListener('statechange', () => {
        if (installing.state === 'installed' && navigator.serviceWorker.controller) bar(installing);
      });
    });
  };
  const register = () => navigator.serviceWorker
    .register('./sw.js', { scope: './', updateViaCache: 'none' })
    .then(watch)
    .catch(() => { /* no service worker (a development server): the page works online as before */ });
  // Registered once the portal is interactive (the persona switcher is shown): on a first visit
  // the service worker fetches and keeps every file, which on two cores competed with the
  // page's and its worker's start. A page that never gets there registers after 20 s anyway.
  const ready = () => document.querySelector('[data-testid=persona]');
  let done = false;
  const once = () => { if (!done) { done = true; observer.disconnect(); register(); } };
  const observer = new MutationObserver(() => { if (ready()) once(); });
  observer.observe(document.documentElement, { childList: true, subtree: true });
  setTimeout(once, 20_000);
}
