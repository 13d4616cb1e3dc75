// The Functions page: every function (all pages of ListFunctions), searchable, 20 to a page.
import { lambda } from '../api.js';
import { h, mount, act } from '../dom.js';
import { runtimeLabel } from '../templates.js';

const PAGE_SIZE = 20;

export function functionsPage() {
  const state = { all: [], filter: '', page: 0 };
  const table = h('tbody');
  const pager = h('div', { class: 'pager' });
  const search = h('input', { type: 'search', placeholder: 'Filter by function name', 'aria-label': 'Filter functions',
    oninput: () => { state.filter = search.value.trim().toLowerCase(); state.page = 0; render(); } });

  function render() {
    const shown = state.all.filter((f) => f.FunctionName.toLowerCase().includes(state.filter));
    const pages = Math.max(1, Math.ceil(shown.length / PAGE_SIZE));
    state.page = Math.min(state.page, pages - 1);
    mount(table, shown.slice(state.page * PAGE_SIZE, (state.page + 1) * PAGE_SIZE).map((f) => h('tr', {},
      h('td', {}, h('a', { href: `#/functions/${encodeURIComponent(f.FunctionName)}` }, f.FunctionName)),
      h('td', {}, f.Description || '-'),
      h('td', {}, f.PackageType || 'Zip'),
      h('td', {}, runtimeLabel(f.Runtime || '')),
      h('td', {}, `${f.MemorySize} MB`),
      h('td', {}, f.State || 'Active'),
      h('td', {}, new Date(f.LastModified).toLocaleString()))));
    if (shown.length === 0) mount(table, h('tr', {}, h('td', { colspan: 7, class: 'empty' }, state.all.length ? 'No functions match.' : 'No functions yet.')));
    mount(pager,
      h('button', { disabled: state.page === 0, onclick: () => { state.page--; render(); } }, 'Previous page'),
      h('span', {}, `Page ${state.page + 1} of ${pages} (${shown.length} functions)`),
      h('button', { disabled: state.page >= pages - 1, onclick: () => { state.page++; render(); } }, 'Next page'));
  }

  async function load() {
    const all = [];
    let marker;
    do {
      const page = await lambda.listFunctions(marker);
      all.push(...page.Functions);
      marker = page.NextMarker;
    } while (marker && all.length < 10000);
    state.all = all.sort((a, b) => a.FunctionName.localeCompare(b.FunctionName));
    render();
  }

  act(null, load);
  return h('section', { class: 'page' },
    h('div', { class: 'title' }, h('h1', {}, 'Functions'), h('a', { class: 'button primary', href: '#/create', role: 'button' }, 'Create function')),
    search,
    h('table', { class: 'list', 'aria-label': 'Functions' },
      h('thead', {}, h('tr', {}, ['Function name', 'Description', 'Package type', 'Runtime', 'Memory', 'State', 'Last modified'].map((c) => h('th', {}, c)))),
      table),
    pager);
}
