// Agent presence: while the console is open and signed in, a heartbeat every 20 s tells the bot
// that a person can answer (the server counts an agent offline after AGENT_OFFLINE_AFTER_SECONDS
// without one), and the "who's online" list is refreshed. Closing the page signs the agent out at
// once, so customers are not promised a person who has just left.
(() => {
  const HEARTBEAT_MS = 20000;
  const box = document.getElementById('presence');
  if (!box) return;
  let status = sessionStorage.getItem('agentPresence') === 'away' ? 'away' : 'available';
  let started = false;

  const token = () => sessionStorage.getItem('agentToken') || '';
  const headers = () => ({ authorization: `Bearer ${token()}`, 'content-type': 'application/json' });

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
    if (!token()) return;
    try {
      const sent = await fetch('/api/agent/presence', { method: 'POST', headers: headers(), body: JSON.stringify({ status }) });
      if (!sent.ok) return;
      const answer = await fetch('/api/agent/online', { headers: headers() });
      if (answer.ok) show((await answer.json()).agents);
    } catch {
      // The next heartbeat tries again; the server counts the agent offline only after a minute of silence.
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

  // keepalive lets the goodbye leave while the page unloads (sendBeacon cannot carry the token).
  window.addEventListener('pagehide', () => {
    if (!token()) return;
    fetch('/api/agent/presence', { method: 'POST', headers: headers(), body: JSON.stringify({ status: 'offline' }), keepalive: true }).catch(() => undefined);
  });

  // The console stores the token once the agent has signed in; until then there is nobody to announce.
  const waitForSignIn = setInterval(() => {
    if (started || !token()) return;
    started = true;
    clearInterval(waitForSignIn);
    beat();
    if (window.Worker) new Worker('/agent/presence-worker.js').addEventListener('message', beat);
    else setInterval(beat, HEARTBEAT_MS);
  }, 500);
})();
