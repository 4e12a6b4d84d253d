// Sign-in with the identity provider (src/server/agentSignIn.ts). The console session arrives in
// the URL fragment, which browsers never send to a server: it moves to sessionStorage, where
// console.js (loaded after this file) finds its token, and out of the address bar and history.
// The "Sign in with Microsoft" link appears only when the server has a provider configured.
(() => {
  const handedOver = /^#session=([A-Za-z0-9_-]{43})$/.exec(location.hash);
  if (handedOver) {
    sessionStorage.setItem('agentToken', handedOver[1]);
    history.replaceState(null, '', location.pathname + location.search);
  }
  fetch('/api/agent/sign-in-methods')
    .then((response) => response.json())
    .then(({ methods }) => {
      document.getElementById('sign-in-methods').replaceChildren(...methods.map((method) => {
        const link = Object.assign(document.createElement('a'), { href: method.url, textContent: method.label, className: 'sign-in-method' });
        link.style.cssText = 'display:inline-block;margin-top:.75rem;padding:.45rem .8rem;border-radius:8px;background:#0066cc;color:#fff;text-decoration:none';
        return link;
      }));
    })
    .catch(() => {});
})();
