// Agent console: polls the queue and the open conversation; every call carries the agent's own
// token, and the server acts as the token's owner (the name comes from /api/agent/me).
(() => {
  const $ = (id) => document.getElementById(id);
  let token = sessionStorage.getItem('agentToken') || '';
  let agent = '';
  let selected = null;
  let catalog = { topics: [], trees: [] };

  async function api(path, body) {
    const response = await fetch(path, {
      method: body ? 'POST' : 'GET',
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (response.status === 401) throw new Error('That token was not accepted.');
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(data.error?.message || `HTTP ${response.status}`);
    return data;
  }

  function show(message) { $('error').textContent = message; }

  async function signIn() {
    try {
      agent = (await api('/api/agent/me')).name;
      catalog = await api('/api/agent/catalog');
      sessionStorage.setItem('agentToken', token);
      $('login').classList.add('hidden');
      $('console').classList.remove('hidden');
      $('who').textContent = agent;
      refresh();
      setInterval(refresh, 1500);
    } catch (error) {
      show(error.message);
    }
  }

  async function refresh() {
    const { conversations } = await api('/api/agent/queue');
    const queue = $('queue');
    queue.replaceChildren(...conversations.map((item) => {
      const button = document.createElement('button');
      button.className = `case${item.id === selected ? ' selected' : ''}`;
      button.dataset.id = item.id;
      const status = document.createElement('div');
      status.className = `status ${item.status}`;
      status.textContent = `${item.status}${item.agent ? ` · ${item.agent}` : ''} · ${item.reason.replace('_', ' ')}`;
      const title = document.createElement('div');
      title.textContent = item.topic ? `Topic: ${item.topic}` : 'No topic yet';
      const last = document.createElement('div');
      last.className = 'status';
      last.textContent = item.lastLine ? `${item.lastLine.from}: ${item.lastLine.text.slice(0, 60)}` : '';
      button.append(status, title, last);
      button.addEventListener('click', () => { selected = item.id; refresh(); });
      return button;
    }));
    if (conversations.length === 0) queue.innerHTML = '<p class="status">No conversations yet.</p>';
    if (selected) renderCase(await api(`/api/agent/conversations/${encodeURIComponent(selected)}`));
  }

  function renderCase(item) {
    const path = item.context.treePath.map((step) => `${step.tree}/${step.node}${step.answer ? ` → “${step.answer}”` : ''}`).join(', ');
    const candidates = item.context.candidates.slice(0, 3).map((c) => `${c.intent} ${c.confidence.toFixed(2)}`).join(', ');
    $('summary').textContent = `Reason: ${item.context.reason.replace('_', ' ')} · Topic: ${item.context.topic || 'none'} · Path: ${path || 'none'} · Recogniser: ${candidates || 'none'}`;
    const transcript = $('transcript');
    transcript.replaceChildren(...item.lines.map((line) => {
      const div = document.createElement('div');
      div.className = `line ${line.from}`;
      div.textContent = line.text;
      div.append(...(line.attachments || []).map(attachmentView));
      return div;
    }));
    transcript.scrollTop = transcript.scrollHeight;
    const mine = item.status === 'accepted' && item.agent === agent;
    $('accept-form').classList.toggle('hidden', item.status !== 'queued');
    $('reply-form').classList.toggle('hidden', !mine);
    $('handback-form').classList.toggle('hidden', !mine);
  }

  // Pictures a customer sent. An <img> cannot send the agent's token, so each is fetched once with
  // it into a blob: URL: a thumbnail that opens full size, or (HEIC, which browsers cannot draw) a
  // download link.
  const pictures = new Map();
  function attachmentView(attachment) {
    const link = Object.assign(document.createElement('a'), { className: 'attachment', href: '#', textContent: `${attachment.name} (${Math.ceil(attachment.bytes / 1024)} kB)` });
    link.style.display = 'block';
    if (!pictures.has(attachment.id)) {
      pictures.set(attachment.id, fetch(`/api/agent/attachments/${encodeURIComponent(attachment.id)}`, { headers: { authorization: `Bearer ${token}` } })
        .then((response) => { if (!response.ok) throw new Error(`HTTP ${response.status}`); return response.blob(); })
        .then((blob) => URL.createObjectURL(blob)));
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

  $('login-form').addEventListener('submit', (event) => {
    event.preventDefault();
    token = $('agent-token').value;
    signIn();
  });
  $('accept-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    await api(`/api/agent/conversations/${encodeURIComponent(selected)}/accept`, {});
    refresh();
  });
  $('reply-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = $('reply-text').value.trim();
    if (!text) return;
    await api(`/api/agent/conversations/${encodeURIComponent(selected)}/messages`, { text });
    $('reply-text').value = '';
    refresh();
  });
  $('handback-mode').addEventListener('change', fillTargets);
  $('handback-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const mode = $('handback-mode').value;
    const value = $('handback-target').value;
    const body = mode === 'topic' ? { mode, topic: value } : mode === 'node' ? { mode, tree: value.split('/')[0], node: value.split('/')[1] } : { mode };
    await api(`/api/agent/conversations/${encodeURIComponent(selected)}/handback`, body);
    refresh();
  });
  if (token) signIn();
})();
