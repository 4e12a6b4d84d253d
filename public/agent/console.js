// Agent console: polls the queue and the open conversation; every call carries the agent's own
// token (session.js), and the server acts as the token's owner (the name comes from /api/agent/me).
// The polling runs through session.js's every(), so it stops when the session ends (a 401) and
// starts again when the agent signs in again.
(() => {
  const $ = (id) => document.getElementById(id);
  const POLL_MS = 1500;
  const BASE_TITLE = document.title;
  const REASONS = {
    customer_asked: 'Asked for a person',
    tree_handoff: 'The troubleshooting steps ran out',
    repeated_fallback: 'The bot did not understand them',
  };
  const { api, blob, every, start } = window.agentSession;
  let agent = '';
  let selected = null;
  let shownCase = '';
  let catalog = { topics: [], trees: [] };
  /** Server time minus this machine's: waiting times count on the server's clock. */
  let clockOffset = 0;
  /** Waiting cases already seen; undefined until the first poll, whose cases are not "new". */
  let known;
  let picked = null;
  let audio;
  let alertsReady = false;

  function show(message) { $('error').textContent = message; }

  const el = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };

  // Markdown becomes HTML only through DOMPurify with a short list of tags and no attributes but
  // links': a customer's <img onerror> or javascript: link arrives as inert text or is dropped,
  // and the page's CSP would refuse an inline script anyway.
  const PURIFY = {
    ALLOWED_TAGS: ['p', 'br', 'strong', 'em', 'b', 'i', 'del', 'ul', 'ol', 'li', 'a', 'code', 'pre', 'blockquote', 'h1', 'h2', 'h3', 'h4', 'hr'],
    ALLOWED_ATTR: ['href', 'title'],
    RETURN_DOM_FRAGMENT: true,
  };
  if (window.DOMPurify) {
    window.DOMPurify.addHook('afterSanitizeAttributes', (node) => {
      if (node.tagName === 'A') {
        node.setAttribute('target', '_blank');
        node.setAttribute('rel', 'noopener noreferrer');
      }
    });
  }
  function markdown(target, text) {
    if (window.marked && window.DOMPurify) {
      target.replaceChildren(window.DOMPurify.sanitize(window.marked.parse(text, { gfm: true, breaks: true, async: false }), PURIFY));
    } else {
      target.textContent = text;
    }
  }

  function duration(ms) {
    const seconds = Math.max(0, Math.floor(ms / 1000));
    if (seconds < 60) return `${seconds} s`;
    const minutes = Math.floor(seconds / 60);
    if (minutes < 60) return `${minutes} min`;
    return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
  }
  const clock = (iso) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const serverNow = () => Date.now() + clockOffset;

  function tickWaits() {
    for (const node of document.querySelectorAll('[data-since]')) node.textContent = `waiting ${duration(serverNow() - Date.parse(node.dataset.since))}`;
  }

  async function opened(me) {
    agent = me.name;
    $('who').textContent = agent;
    catalog = await api('/api/agent/catalog');
    setUpAlerts();
    await refresh();
    every(POLL_MS, () => refresh().catch((error) => show(error.message)));
    every(1000, tickWaits);
  }

  async function refresh() {
    const { now, conversations } = await api('/api/agent/queue');
    clockOffset = Date.parse(now) - Date.now();
    renderQueue(conversations);
    alertNew(conversations.filter((item) => item.status === 'queued'));
    if (!selected) return;
    if (!conversations.some((item) => item.id === selected)) {
      // Closed cases leave the list after an hour: the open view goes with them instead of failing every poll.
      selected = null;
      shownCase = '';
      for (const id of ['accept-form', 'reply-form', 'picker', 'handback-form', 'left-message']) $(id).classList.add('hidden');
      $('summary').textContent = 'Pick a conversation.';
      $('transcript').replaceChildren();
      return;
    }
    renderCase(await api(`/api/agent/conversations/${encodeURIComponent(selected)}`));
  }

  function card(item) {
    const button = el('button', `case ${item.status}${item.id === selected ? ' selected' : ''}`);
    button.type = 'button';
    button.dataset.id = item.id;
    const top = el('div', 'card-top');
    top.append(el('span', 'who', item.customer));
    const wait = el('span', 'waited');
    if (item.status === 'queued') wait.dataset.since = item.requestedAt;
    else wait.textContent = item.status === 'accepted' ? `with ${item.agent === agent ? 'you' : item.agent}` : 'closed';
    top.append(wait);
    const words = item.firstWords ? `“${item.firstWords}”` : REASONS[item.reason] || item.reason;
    const badges = el('div', 'badges');
    badges.append(el('span', `badge ${item.status}`, item.status === 'queued' ? 'waiting' : item.status));
    if (item.leftMessage) badges.append(el('span', 'badge message', 'left a message'));
    button.append(top, el('div', 'topic', item.topicTitle || 'No topic yet'), el('div', 'words', words), badges);
    button.title = item.firstWords ? `${REASONS[item.reason] || item.reason}: ${item.firstWords}` : words;
    button.addEventListener('click', () => {
      selected = item.id;
      shownCase = '';
      refresh().catch((error) => show(error.message));
    });
    return button;
  }

  function renderQueue(conversations) {
    const queue = $('queue');
    if (conversations.length === 0) queue.replaceChildren(el('p', 'empty', 'No conversations yet.'));
    else queue.replaceChildren(...conversations.map(card));
    tickWaits();
  }

  function renderCase(item) {
    const mine = item.status === 'accepted' && item.agent === agent;
    // Redrawn only when something changed, so an agent reading or scrolling is not thrown around.
    const key = `${item.id}|${item.status}|${item.agent || ''}|${item.lines.length}|${item.lines.at(-1)?.at || ''}`;
    $('accept-form').classList.toggle('hidden', item.status !== 'queued');
    for (const id of ['reply-form', 'picker', 'handback-form']) $(id).classList.toggle('hidden', !mine);
    if (key === shownCase) return;
    shownCase = key;

    const path = item.context.treePath.map((step) => `${step.tree}/${step.node}${step.answer ? ` → “${step.answer}”` : ''}`).join(', ');
    const candidates = item.context.candidates.slice(0, 3).map((c) => `${c.intent} ${c.confidence.toFixed(2)}`).join(', ');
    const status = item.status === 'queued' ? 'Waiting' : item.status === 'accepted' ? `With ${item.agent}` : 'Closed';
    $('summary').replaceChildren(
      el('div', 'title', `${item.customer} · ${item.topicTitle || 'No topic yet'}`),
      el('div', 'facts', `${status} · asked ${clock(item.requestedAt)} · ${REASONS[item.reason] || item.reason} (${item.reason})`),
      el('div', 'facts', `Path: ${path || 'none'} · Recogniser: ${candidates || 'none'}`),
    );
    const left = $('left-message');
    left.classList.toggle('hidden', !item.leftMessage);
    if (item.leftMessage) left.textContent = `Left a message at ${clock(item.leftMessage.at)}: ${item.leftMessage.text}`;

    const transcript = $('transcript');
    transcript.replaceChildren(...item.lines.map((line) => {
      const div = el('div', `line ${line.from}`);
      const body = el('div', 'body');
      markdown(body, line.text);
      div.append(el('div', 'meta', `${line.speaker} · ${clock(line.at)}`), body);
      body.append(...(line.attachments || []).map(attachmentView));
      return div;
    }));
    transcript.scrollTop = transcript.scrollHeight;
  }

  // New-case alert: the count of waiting customers in the tab's title, a beep if the agent turned
  // sound on (remembered), and a desktop notification once the agent allowed them with a click.
  function setUpAlerts() {
    if (alertsReady) return;
    alertsReady = true;
    const sound = $('sound');
    sound.checked = localStorage.getItem('agentConsoleSound') === 'on';
    $('sound-toggle').classList.remove('hidden');
    sound.addEventListener('change', () => {
      localStorage.setItem('agentConsoleSound', sound.checked ? 'on' : 'off');
      if (sound.checked) beep();
    });
    if ('Notification' in window && Notification.permission === 'default') {
      const ask = $('notify');
      ask.classList.remove('hidden');
      ask.addEventListener('click', async () => {
        await Notification.requestPermission();
        ask.classList.add('hidden');
      });
    }
  }

  function beep() {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return;
    audio ??= new Context();
    const tone = audio.createOscillator();
    const volume = audio.createGain();
    tone.frequency.value = 880;
    volume.gain.setValueAtTime(0.2, audio.currentTime);
    volume.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.3);
    tone.connect(volume).connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.3);
  }

  function alertNew(waiting) {
    document.title = waiting.length > 0 ? `(${waiting.length}) ${BASE_TITLE}` : BASE_TITLE;
    const fresh = known ? waiting.filter((item) => !known.has(item.id)) : [];
    known = new Set(waiting.map((item) => item.id));
    if (fresh.length === 0) return;
    if ($('sound').checked) beep();
    if ('Notification' in window && Notification.permission === 'granted') {
      for (const item of fresh) {
        const note = new Notification(`${item.customer} is waiting`, { body: item.firstWords || item.topicTitle || REASONS[item.reason] || '', tag: item.id });
        note.addEventListener('click', () => {
          window.focus();
          selected = item.id;
          shownCase = '';
          refresh().catch((error) => show(error.message));
        });
      }
    }
  }

  // Pictures a customer sent. An <img> cannot send the agent's token, so each is fetched once with
  // it into a blob: URL: a thumbnail that opens full size, or (HEIC, which browsers cannot draw) a
  // download link.
  const pictures = new Map();
  function attachmentView(attachment) {
    const link = Object.assign(document.createElement('a'), { className: 'attachment', href: '#', textContent: `${attachment.name} (${Math.ceil(attachment.bytes / 1024)} kB)` });
    link.style.display = 'block';
    if (!pictures.has(attachment.id)) {
      pictures.set(attachment.id, blob(`/api/agent/attachments/${encodeURIComponent(attachment.id)}`).then((picture) => URL.createObjectURL(picture)));
    }
    pictures.get(attachment.id).then((url) => {
      link.href = url;
      if (attachment.contentType === 'image/png' || attachment.contentType === 'image/jpeg') {
        Object.assign(link, { target: '_blank', rel: 'noopener', title: `${attachment.name}: open full size` });
        const thumbnail = Object.assign(document.createElement('img'), { src: url, alt: attachment.name, className: 'thumbnail' });
        Object.assign(thumbnail.style, { maxWidth: '180px', maxHeight: '140px', border: '1px solid #ccc', borderRadius: '4px' });
        link.replaceChildren(thumbnail);
      } else {
        link.download = attachment.name;
      }
    }, () => {
      pictures.delete(attachment.id);
      link.textContent = `${attachment.name} (could not be loaded)`;
    });
    return link;
  }

  function fillTargets() {
    const mode = $('handback-mode').value;
    const target = $('handback-target');
    target.classList.toggle('hidden', mode === 'plain');
    const options = mode === 'topic'
      ? catalog.topics.map((topic) => [topic.id, topic.title])
      : catalog.trees.flatMap((tree) => tree.nodes.map((node) => [`${tree.id}/${node}`, `${tree.title} → ${node}`]));
    target.replaceChildren(...options.map(([value, label]) => Object.assign(document.createElement('option'), { value, textContent: label })));
  }

  let searching;
  async function searchAnswers() {
    const { answers } = await api(`/api/agent/answers?q=${encodeURIComponent($('kb-search').value.trim())}`);
    $('kb-results').replaceChildren(...answers.map((answer) => {
      const button = el('button', '', answer.title);
      button.type = 'button';
      button.dataset.topic = answer.id;
      button.setAttribute('aria-pressed', String(picked?.id === answer.id));
      button.addEventListener('click', () => {
        picked = answer;
        for (const other of $('kb-results').children) other.setAttribute('aria-pressed', String(other === button));
        markdown($('kb-preview'), answer.answer);
        $('kb-preview').classList.remove('hidden');
        $('kb-send').classList.remove('hidden');
      });
      return button;
    }));
  }

  const act = (handler) => async (event) => {
    event.preventDefault();
    try {
      await handler();
      show('');
      await refresh();
    } catch (error) {
      show(error.message);
    }
  };

  $('accept-form').addEventListener('submit', act(() => api(`/api/agent/conversations/${encodeURIComponent(selected)}/accept`, {})));
  $('reply-form').addEventListener('submit', act(async () => {
    const text = $('reply-text').value.trim();
    if (!text) return;
    await api(`/api/agent/conversations/${encodeURIComponent(selected)}/messages`, { text });
    $('reply-text').value = '';
  }));
  $('picker').addEventListener('toggle', () => {
    if ($('picker').open) searchAnswers().catch((error) => show(error.message));
  });
  $('kb-search').addEventListener('input', () => {
    clearTimeout(searching);
    searching = setTimeout(() => searchAnswers().catch((error) => show(error.message)), 200);
  });
  $('kb-send').addEventListener('click', act(async () => {
    if (!picked) return;
    await api(`/api/agent/conversations/${encodeURIComponent(selected)}/messages`, { text: picked.answer });
  }));
  $('handback-mode').addEventListener('change', fillTargets);
  $('handback-form').addEventListener('submit', act(() => {
    const mode = $('handback-mode').value;
    const value = $('handback-target').value;
    const body = mode === 'topic' ? { mode, topic: value } : mode === 'node' ? { mode, tree: value.split('/')[0], node: value.split('/')[1] } : { mode };
    return api(`/api/agent/conversations/${encodeURIComponent(selected)}/handback`, body);
  }));
  $('close-case').addEventListener('click', act(() => api(`/api/agent/conversations/${encodeURIComponent(selected)}/close`, {})));
  start('console', opened);
})();
