// The unanswered inbox: groups of messages the bot could not place; an agent assigns a group to a
// topic (its wordings become that topic's examples) or dismisses it. Text is only ever set with
// textContent: every string here was typed by a customer.
(() => {
  const $ = (id) => document.getElementById(id);
  const { api, start } = window.agentSession;

  const element = (tag, text, className) => {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  };
  const day = (iso) => new Date(iso).toLocaleString();

  function render({ groups, overflow, topics }) {
    const list = $('groups');
    list.replaceChildren();
    if (groups.length === 0) list.append(element('p', 'Nothing waiting: every message was placed, dismissed or assigned.', 'meta'));
    for (const group of groups) {
      const card = element('article', undefined, 'group');
      card.dataset.group = group.id;
      card.append(element('h3', group.text));
      card.append(element('div', `${group.count} message${group.count === 1 ? '' : 's'} · first ${day(group.firstAt)} · last ${day(group.lastAt)}`, 'meta'));
      const examples = element('ul', undefined, 'examples');
      for (const example of group.examples) examples.append(element('li', example));
      card.append(examples);
      // Teams' thumbs-down form: what customers wrote about the answer they got (newest first, masked by the server).
      if (group.comments?.length) {
        const said = element('section', undefined, 'comments');
        said.append(element('h4', 'What customers said about the answer'));
        const comments = element('ul');
        for (const comment of group.comments) {
          const item = element('li');
          item.append(element('q', comment.text), element('span', ` · ${day(comment.at)}`, 'meta'));
          comments.append(item);
        }
        said.append(comments);
        card.append(said);
      }
      const form = element('form');
      const select = element('select');
      select.setAttribute('aria-label', 'Topic');
      for (const topic of topics) {
        const option = element('option', topic.title);
        option.value = topic.id;
        select.append(option);
      }
      const assign = element('button', 'Assign to topic', 'primary');
      assign.type = 'submit';
      const dismiss = element('button', 'Dismiss');
      dismiss.type = 'button';
      const problem = element('p', '', 'problem');
      form.append(select, assign, dismiss);
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        act(problem, () => api(`/api/agent/inbox/${encodeURIComponent(group.id)}/assign`, { topic: select.value }), (result) => `Added ${result.added.length} example(s) to ${result.file}.`);
      });
      dismiss.addEventListener('click', () => act(problem, () => api(`/api/agent/inbox/${encodeURIComponent(group.id)}/dismiss`, {}), () => 'Dismissed.'));
      card.append(form, problem);
      list.append(card);
    }
    if (overflow > 0) list.append(element('p', `${overflow} more message(s) did not fit in the inbox's groups.`, 'meta'));
  }

  async function act(problem, call, told) {
    problem.textContent = '';
    try {
      $('notice').textContent = told(await call());
      await refresh();
    } catch (error) {
      problem.textContent = error.message;
    }
  }

  async function refresh() {
    render(await api('/api/agent/inbox'));
  }

  start('inbox', async (me) => {
    $('who').textContent = me.name;
    await refresh();
  });
})();
