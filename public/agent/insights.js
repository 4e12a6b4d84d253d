// Insights: charts drawn by Chart.js, served by this server (no CDN). Names come from content and
// texts from customers, so they are only ever set with textContent or given to Chart.js as data.
(() => {
  const $ = (id) => document.getElementById(id);
  const { api, start } = window.agentSession;
  const charts = [];
  const COLORS = { reached: '#0066cc', resolved: '#1a7f37', handedOff: '#b25000', abandoned: '#b00020', explained: '#8a6d00', asked: '#0066cc', answered: '#6e6e73', helpful: '#1a7f37', notHelpful: '#b00020' };
  // Still pictures: the page is read, not watched, and the screenshot test needs a settled canvas.
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;

  const cell = (text, numeric) => {
    const td = document.createElement('td');
    td.textContent = String(text);
    if (numeric) td.className = 'n';
    return td;
  };

  function bars(canvas, labels, series, stacked) {
    charts.push(
      new Chart(canvas, {
        type: 'bar',
        data: { labels, datasets: series.map(([key, label, data]) => ({ label, data, backgroundColor: COLORS[key] })) },
        options: { indexAxis: 'y', scales: { x: { stacked, beginAtZero: true, ticks: { precision: 0 } }, y: { stacked } } },
      }),
    );
  }

  function render({ topics, nodes, unanswered }) {
    for (const chart of charts.splice(0)) chart.destroy();
    const asked = topics.filter((topic) => topic.asked > 0).slice(0, 12);
    bars($('topics-chart'), asked.map((topic) => topic.title), [['asked', 'Asked', asked.map((topic) => topic.asked)], ['answered', 'Answered', asked.map((topic) => topic.answered)]], false);
    const rated = topics.filter((topic) => topic.helpful + topic.notHelpful > 0).slice(0, 12);
    bars($('helpful-chart'), rated.map((topic) => topic.title), [['helpful', 'Helpful', rated.map((topic) => topic.helpful)], ['notHelpful', 'Not helpful', rated.map((topic) => topic.notHelpful)]], true);

    const funnels = $('funnels');
    funnels.replaceChildren();
    const trees = [...new Set(nodes.map((node) => node.tree))];
    for (const tree of trees) {
      const steps = nodes.filter((node) => node.tree === tree && node.reached > 0);
      if (steps.length === 0) continue;
      const heading = document.createElement('h3');
      heading.textContent = tree;
      const box = document.createElement('div');
      box.className = 'chart';
      box.style.height = `${4 + steps.length * 2.2}rem`;
      const canvas = document.createElement('canvas');
      canvas.setAttribute('role', 'img');
      canvas.setAttribute('aria-label', `Funnel of ${tree}`);
      canvas.dataset.tree = tree;
      box.append(canvas);
      funnels.append(heading, box);
      bars(canvas, steps.map((node) => node.node), ['reached', 'resolved', 'handedOff', 'abandoned', 'explained'].map((key) => [key, { reached: 'Reached', resolved: 'Resolved', handedOff: 'To a person', abandoned: 'Gave up', explained: 'Asked to explain' }[key], steps.map((node) => node[key])]), false);
    }
    if (funnels.childElementCount === 0) funnels.textContent = 'No walk-through started in this period.';

    $('topics-table').tBodies[0].replaceChildren(
      ...topics.map((topic) => {
        const row = document.createElement('tr');
        row.append(cell(topic.title), cell(topic.asked, true), cell(topic.answered, true), cell(topic.helpful, true), cell(topic.notHelpful, true), cell(topic.handoffs, true), cell(topic.handedBack, true), cell(topic.closedByAgent, true), cell(topic.withdrawn, true), cell(topic.timedOut, true));
        return row;
      }),
    );
    $('unanswered-table').tBodies[0].replaceChildren(
      ...unanswered.slice(0, 20).map((item) => {
        const row = document.createElement('tr');
        row.append(cell(item.text), cell(item.count, true), cell(new Date(item.lastAt).toLocaleString()));
        return row;
      }),
    );
  }

  async function refresh() {
    const since = $('since').value;
    render(await api(`/api/agent/insights${since ? `?since=${encodeURIComponent(since)}` : ''}`));
  }

  $('since-form').addEventListener('submit', (event) => {
    event.preventDefault();
    refresh().catch((error) => { $('error').textContent = error.message; });
  });
  start('insights', async (me) => {
    $('who').textContent = me.name;
    await refresh();
    document.body.dataset.ready = 'true';
  });
})();
