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
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'primary';
    button.textContent = 'Reload';
    button.addEventListener('click', () => {
      button.disabled = true;
      button.textContent = 'Reloading…';
      navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), { once: true });
      waiting.postMessage('take-over');
    });
    // Later: the bar goes; the new build waits for the next visit.
    const later = document.createElement('button');
    later.type = 'button';
    later.textContent = 'Later';
    later.addEventListener('click', () => div.remove());
    div.append(text, button, later);
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
  navigator.serviceWorker
    .register('./sw.js', { scope: './', updateViaCache: 'none' })
    .then(watch)
    .catch(() => { /* no service worker (a development server): the page works online as before */ });
}
