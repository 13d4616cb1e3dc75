// Cluster page (beyond Lambda's console): every silo's load, which function versions' environments run where, and
// the last hour's throttles; refreshed every 5 s.
import { cluster } from '../api.js';
import { h, mount, act } from '../dom.js';

export function clusterPage() {
  const silos = h('tbody');
  const placements = h('tbody');
  const functions = h('tbody');
  const heading = h('h1', {}, 'Cluster');

  async function refresh() {
    const view = await cluster.view();
    heading.textContent = `Cluster ${view.ClusterId} (${view.Silos.length} silos)`;
    mount(silos, view.Silos.map((s) => h('tr', {}, h('td', { class: 'mono' }, s.Address), h('td', {}, s.Status), h('td', {}, s.Environments),
      h('td', {}, s.Initializing), h('td', {}, s.FreeSlots), h('td', {}, `${s.CpuUsage.toFixed(1)} %`), h('td', {}, `${(s.MemoryUsage * 100).toFixed(1)} %`))));

    const where = new Map(); // function:version → silo → environments
    for (const silo of view.Silos) {
      for (const e of silo.EnvironmentList) {
        const key = `${e.FunctionName}:${e.Version}`;
        if (!where.has(key)) where.set(key, new Map());
        const bySilo = where.get(key);
        bySilo.set(silo.Address, [...(bySilo.get(silo.Address) ?? []), e]);
      }
    }
    mount(placements, [...where.entries()].sort().flatMap(([key, bySilo]) => [...bySilo.entries()].map(([silo, list]) => h('tr', {},
      h('td', {}, key), h('td', { class: 'mono' }, silo), h('td', {}, list.length),
      h('td', {}, Object.entries(list.reduce((a, e) => ({ ...a, [e.State]: (a[e.State] ?? 0) + 1 }), {})).map(([s, n]) => `${s}: ${n}`).join(', ')),
      h('td', {}, list.filter((e) => e.Provisioned).length)))));

    const hour = new Map();
    for (const silo of view.Silos) {
      for (const f of silo.Functions) {
        const total = hour.get(f.FunctionName) ?? { Invocations: 0, Errors: 0, Throttles: 0 };
        hour.set(f.FunctionName, { Invocations: total.Invocations + f.Invocations, Errors: total.Errors + f.Errors, Throttles: total.Throttles + f.Throttles });
      }
    }
    mount(functions, [...hour.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([name, t]) => h('tr', { class: t.Throttles ? 'warn' : '' },
      h('td', {}, h('a', { href: `#/functions/${encodeURIComponent(name)}/monitor` }, name)), h('td', {}, t.Invocations), h('td', {}, t.Errors), h('td', {}, t.Throttles))));
  }

  act(null, refresh);
  const timer = setInterval(() => act(null, refresh), 5000);
  const table = (label, columns, body) => h('table', { class: 'list', 'aria-label': label }, h('thead', {}, h('tr', {}, columns.map((c) => h('th', {}, c)))), body);
  return {
    element: h('section', { class: 'page' }, heading,
      h('h2', {}, 'Silos'), table('Silos', ['Silo', 'Status', 'Environments', 'Initializing', 'Free slots', 'CPU', 'Memory'], silos),
      h('h2', {}, 'Execution environments'), table('Execution environments', ['Function version', 'Silo', 'Environments', 'States', 'Provisioned'], placements),
      h('h2', {}, 'Last hour'), table('Last hour by function', ['Function', 'Invocations', 'Errors', 'Throttles'], functions)),
    leave: () => clearInterval(timer),
  };
}
