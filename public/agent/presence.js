// Agent presence: while the console is open and signed in, a heartbeat every 20 s tells the bot
// that a person can answer (the server counts an agent offline after AGENT_OFFLINE_AFTER_SECONDS
// without one), and the "who's online" list is refreshed. Closing the page signs the agent out at
// once, so customers are not promised a person who has just left. Calls go through session.js, so
// a session that ends (401) stops the heartbeat too, until the agent signs in again.
(() => {
  const HEARTBEAT_MS = 20000;
  const box = document.getElementById('presence');
  if (!box) return;
  const { api, authorization, onSignedIn } = window.agentSession;
  let status = sessionStorage.getItem('agentPresence') === 'away' ? 'away' : 'available';
  let signedIn = false;
  let clock;

  const choice = document.createElement('select');
  choice.id = 'presence-status';
  choice.setAttribute('aria-label', 'Your status');
  for (const [value, label] of [['available', 'Available for customers'], ['away', 'Away']]) {
    choice.append(Object.assign(document.createElement('option'), { value, textContent: label, selected: value === status }));
  }
  const list = document.createElement('ul');
  list.id = 'presence-list';
  list.setAttribute('aria-live', 'polite');
  const heading = Object.assign(document.createElement('h2'), { textContent: 'Online now' });
  box.replaceChildren(choice, heading, list);

  async function beat() {
    if (!signedIn) return;
    try {
      await api('/api/agent/presence', { status });
      show((await api('/api/agent/online')).agents);
    } catch {
      // The next heartbeat tries again; the server counts the agent offline only after a minute of silence.
      // A 401 has ended the session in session.js, which stops the heartbeat below.
    }
  }

  function show(agents) {
    box.classList.remove('hidden');
    list.replaceChildren(...agents.map((agent) => {
      const item = document.createElement('li');
      item.className = `presence ${agent.status}`;
      item.textContent = `${agent.name} · ${agent.status === 'available' ? 'available' : 'away'}`;
      return item;
    }));
    if (agents.length === 0) list.replaceChildren(Object.assign(document.createElement('li'), { textContent: 'Nobody' }));
  }

  choice.addEventListener('change', () => {
    status = choice.value === 'away' ? 'away' : 'available';
    sessionStorage.setItem('agentPresence', status);
    beat();
  });

  // Its own fetch, not session.js's api(): only fetch's keepalive lets the goodbye leave while the page
  // unloads (sendBeacon cannot carry the token), and nobody is left to read its answer or be told of a 401.
  window.addEventListener('pagehide', () => {
    if (!signedIn) return;
    fetch('/api/agent/presence', { method: 'POST', headers: { ...authorization(), 'content-type': 'application/json' }, body: JSON.stringify({ status: 'offline' }), keepalive: true }).catch(() => undefined);
  });

  onSignedIn(
    () => {
      signedIn = true;
      beat();
      clock?.terminate?.();
      if (window.Worker) {
        clock = new Worker('/agent/presence-worker.js');
        clock.addEventListener('message', beat);
      } else {
        const timer = setInterval(beat, HEARTBEAT_MS);
        clock = { terminate: () => clearInterval(timer) };
      }
    },
    () => {
      signedIn = false;
      clock?.terminate();
      clock = undefined;
      list.replaceChildren();
    },
  );
})();
