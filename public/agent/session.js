// The console pages' one way to sign in with an agent token and to call the agent API with it:
// the console, the inbox and insights load this before their own script (and after sign-in.js,
// which puts an identity provider's session where this file looks). The token lives in
// sessionStorage, so it lasts as long as the tab and is shared by the pages opened from it.
window.agentSession = (() => {
  let token = '';
  const authorization = () => ({ authorization: `Bearer ${token}` });

  /** GET `path`, or POST `body` to it as JSON; a refusal becomes an Error with the server's own message. */
  async function api(path, body) {
    const response = await fetch(path, {
      method: body ? 'POST' : 'GET',
      headers: { ...authorization(), ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (response.status === 401) throw new Error('That token was not accepted.');
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(data.error?.message || `HTTP ${response.status}`);
    return data;
  }

  /** A file only agents may fetch (a customer's picture): an <img> cannot send the token. */
  async function blob(path) {
    const response = await fetch(path, { headers: authorization() });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.blob();
  }

  /**
   * Wires the page's sign-in form (#login-form with #agent-token; problems in #error). Once the API
   * accepts a token it is kept, #login hides, the element `main` shows and `opened(me)` fills the
   * page. A token kept by an earlier page of this tab signs in at once.
   */
  function start(main, opened) {
    const $ = (id) => document.getElementById(id);
    async function signIn() {
      try {
        const me = await api('/api/agent/me');
        sessionStorage.setItem('agentToken', token);
        $('login').classList.add('hidden');
        $(main).classList.remove('hidden');
        await opened(me);
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

  return { api, blob, start };
})();
