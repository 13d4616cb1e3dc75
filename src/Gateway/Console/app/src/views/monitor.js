// Monitor tab: the last hour's Invocations, Duration (p50/p99), Errors, Throttles and ConcurrentExecutions (uPlot,
// refreshed every 15 s), the recent invocations from the REPORT lines, and View CloudWatch logs.
import uPlot from 'uplot';
import { cluster } from '../api.js';
import { filterAll } from './logs.js';
import { h, mount, act } from '../dom.js';

const CHARTS = [
  ['Invocations', [['Invocations', (p) => p.Invocations, '#0972d3']]],
  ['Duration (ms)', [['p50', (p) => p.DurationP50, '#0972d3'], ['p99', (p) => p.DurationP99, '#d91515']]],
  ['Errors', [['Errors', (p) => p.Errors, '#d91515']]],
  ['Throttles', [['Throttles', (p) => p.Throttles, '#8d6605']]],
  ['Concurrent executions', [['ConcurrentExecutions', (p) => p.ConcurrentExecutions, '#037f0c']]],
];

export async function monitorTab(context) {
  const { name } = context;
  const group = context.fn.Configuration.LoggingConfig?.LogGroup ?? `/aws/lambda/${name}`;
  const charts = h('div', { class: 'charts' });
  const recent = h('tbody');
  const totals = h('p', { class: 'totals', 'aria-label': 'Last hour' });

  async function refresh() {
    const metrics = await cluster.metrics(name);
    const points = metrics.Points;
    const x = points.map((p) => Date.parse(p.Start) / 1000);
    mount(charts, CHARTS.map(([title, series]) => {
      const box = h('figure', { class: 'chart', 'aria-label': title }, h('figcaption', {}, title));
      new uPlot({ width: 420, height: 180, series: [{}, ...series.map(([label, , stroke]) => ({ label, stroke, width: 2, spanGaps: false }))], axes: [{}, { size: 50 }], legend: { show: true } },
        [x, ...series.map(([, pick]) => points.map(pick))], box);
      return box;
    }));
    const sum = (pick) => points.reduce((a, p) => a + pick(p), 0);
    totals.textContent = `Last hour: ${sum((p) => p.Invocations)} invocations, ${sum((p) => p.Errors)} errors, ${sum((p) => p.Throttles)} throttles.`;

    let reports = [];
    try {
      // FilterLogEvents answers oldest first: the newest 20 are at the end of the last page.
      const events = await filterAll({ logGroupName: group, filterPattern: 'REPORT', startTime: Date.now() - 3600_000 }, 20);
      reports = events.filter((e) => e.message.includes('REPORT RequestId:')).slice(-20).reverse();
    } catch (error) {
      if (error.code !== 'ResourceNotFoundException') throw error;
    }
    mount(recent, reports.map((e) => {
      const m = /RequestId: (\S+)\s+Duration: ([\d.]+) ms.*?Max Memory Used: (\d+) MB(?:\s+Init Duration: ([\d.]+) ms)?/.exec(e.message) ?? [];
      return h('tr', {}, h('td', {}, new Date(e.timestamp).toLocaleTimeString()), h('td', { class: 'mono' }, m[1] ?? '-'), h('td', {}, m[2] ? `${m[2]} ms` : '-'),
        h('td', {}, m[3] ? `${m[3]} MB` : '-'), h('td', {}, m[4] ? `${m[4]} ms` : '-'), h('td', {}, e.logStreamName));
    }));
  }

  await refresh();
  const timer = setInterval(() => act(null, refresh), 15000);
  context.onLeave(() => clearInterval(timer));
  return h('div', { class: 'monitor' },
    h('div', { class: 'toolbar' }, h('h2', {}, 'Metrics'), h('a', { class: 'button', role: 'button', href: `#/logs/${encodeURIComponent(group)}` }, 'View CloudWatch logs'),
      h('button', { onclick: (e) => act(e.currentTarget, refresh) }, 'Refresh')),
    totals, charts,
    h('h2', {}, 'Recent invocations'),
    h('table', { class: 'list', 'aria-label': 'Recent invocations' },
      h('thead', {}, h('tr', {}, ['Time', 'Request ID', 'Duration', 'Max memory used', 'Init duration', 'Log stream'].map((c) => h('th', {}, c)))), recent));
}
