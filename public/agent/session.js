// The console pages' one way to sign in with an agent token and to call the agent API with it:
// the console, the inbox and insights load this before their own script (and after sign-in.js,
// which puts an identity provider's session where this file looks). The token lives in
// sessionStorage, so it lasts as long as the tab and is shared by the pages opened from it.
//
// A 401 once signed in means the session is over (it expired, the agent signed out elsewhere, or
// the token was rotated or removed): every timer started through every() stops, no further
// request leaves, and the page shows its sign-in again saying why. What the agent had typed stays
// in the (hidden) page for when they are back.
window.agentSession = (() => {
  const ENDED = 'You have been signed out: your session expired, or your token was changed or removed. Sign in again to carry on.';
  let token = '';
  let signedIn = false;
  /** The id of the page's element shown while signed in (start()). */
  let main = '';
  const timers = new Set();
  const listeners = { signedIn: [], ended: [] };
  const $ = (id) => document.getElementById(id);
  const authorization = () => ({ authorization: `Bearer ${token}` });

  /** GET `path`, or POST `body` to it as JSON; a refusal becomes an Error with the server's own message. */
  async function api(path, body) {
    if (!token) throw new Error(ENDED);
    const response = await fetch(path, {
      method: body ? 'POST' : 'GET',
      headers: { ...authorization(), ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (response.status === 401) refused();
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(data.error?.message || `HTTP ${response.status}`);
    return data;
  }

  /** A file only agents may fetch (a customer's picture): an <img> cannot send the token. */
  async function blob(path) {
    if (!token) throw new Error(ENDED);
    const response = await fetch(path, { headers: authorization() });
    if (response.status === 401) refused();
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.blob();
  }

  /** A token the server turned down: never accepted (a typo), or accepted earlier and now over. */
  function refused() {
    if (!signedIn) {
      // A token another page of this tab kept has ended since: said as such, and forgotten.
      if (token !== sessionStorage.getItem('agentToken')) throw new Error('That token was not accepted.');
      sessionStorage.removeItem('agentToken');
      token = '';
      throw new Error(ENDED);
    }
    end();
    throw new Error(ENDED);
  }

  function end() {
    signedIn = false;
    token = '';
    sessionStorage.removeItem('agentToken');
    for (const timer of timers) clearInterval(timer);
    timers.clear();
    for (const listener of listeners.ended) listener();
    $(main).classList.add('hidden');
    $('login').classList.remove('hidden');
    $('agent-token').value = '';
    $('error').textContent = ENDED;
    document.body.dataset.session = 'ended';
  }

  /** Runs `task` every `ms` while signed in; the session's end stops it (the page starts it again on sign-in). */
  function every(ms, task) {
    if (signedIn) timers.add(setInterval(task, ms));
  }

  /** `listener()` after each sign-in (at once if signed in already); `onEnded()` when the session ends. */
  function onSignedIn(listener, onEnded) {
    listeners.signedIn.push(listener);
    if (onEnded) listeners.ended.push(onEnded);
    if (signedIn) listener();
  }

  /**
   * Wires the page's sign-in form (#login-form with #agent-token; problems in #error). Once the API
   * accepts a token it is kept, #login hides, the element `shown` shows and `opened(me)` fills the
   * page, again after each new sign-in. A token kept by an earlier page of this tab signs in at once.
   */
  function start(shown, opened) {
    main = shown;
    async function signIn() {
      try {
        const me = await api('/api/agent/me');
        signedIn = true;
        sessionStorage.setItem('agentToken', token);
        $('error').textContent = '';
        delete document.body.dataset.session;
        $('login').classList.add('hidden');
        $(main).classList.remove('hidden');
        for (const listener of listeners.signedIn) listener();
        await opened(me);
        // Marks the page filled and its polling started, so a test driving the page's clock knows when it may.
        document.body.dataset.session = 'open';
      } catch (error) {
        $('error').textContent = error.message;
      }
    }
    $('login-form').addEventListener('submit', (event) => {
      event.preventDefault();
      token = $('agent-token').value;
      signIn();
    });
    token = sessionStorage.getItem('agentToken') || '';
    if (token) signIn();
  }

  return { api, blob, every, onSignedIn, authorization, start };
})();
