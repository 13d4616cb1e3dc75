// A log group (CloudWatch Logs): its streams, the events of one stream or of all matching a filter pattern, and
// live tail (FilterLogEvents every second from the last event seen).
import { logs } from '../api.js';
import { h, mount, field, act, lines } from '../dom.js';

const MAX_PAGES = 50; // at most 50 pages of FilterLogEvents (a few tens of thousands of events) per search

/**
 * Every event FilterLogEvents finds (following nextToken, at most MAX_PAGES pages), oldest first, keeping only the
 * last keep of them (the newest).
 */
export async function filterAll(request, keep) {
  let events = [];
  let nextToken;
  for (let page = 0; page < MAX_PAGES; page++) {
    const found = await logs('FilterLogEvents', { ...request, nextToken });
    events = events.concat(found.events ?? []).slice(-keep);
    nextToken = found.nextToken;
    if (!nextToken) break;
  }
  return events;
}

export function logsPage(group) {
  const streams = h('tbody');
  const events = h('tbody');
  const heading = h('h2', {}, 'Log events');
  const filter = h('input', { type: 'search', name: 'filterPattern', placeholder: 'Filter events (CloudWatch filter pattern)' });
  const tail = h('button', {}, 'Start live tail');
  const SHOWN = 1000; // the newest events the table keeps
  let timer = null;
  let since = 0;
  const seen = new Set();

  const row = (e) => h('tr', {}, h('td', {}, new Date(e.timestamp).toISOString()), h('td', { class: 'mono' }, e.logStreamName ?? ''), h('td', {}, h('pre', {}, lines(e.message))));

  async function loadStreams() {
    const found = await logs('DescribeLogStreams', { logGroupName: group, orderBy: 'LastEventTime', descending: true, limit: 50 });
    mount(streams, (found.logStreams ?? []).map((s) => h('tr', {},
      h('td', {}, h('button', { class: 'link', onclick: () => act(null, () => showStream(s.logStreamName)) }, s.logStreamName)),
      h('td', {}, s.lastEventTimestamp ? new Date(s.lastEventTimestamp).toLocaleString() : '-'))));
  }

  async function showStream(stream) {
    heading.textContent = `Log events: ${stream}`;
    const found = await logs('GetLogEvents', { logGroupName: group, logStreamName: stream, startFromHead: true, limit: 1000 });
    mount(events, (found.events ?? []).map((e) => row({ ...e, logStreamName: stream })));
  }

  // Live tail asks for events from the newest timestamp seen; seen holds only the ids at that timestamp (the ones a
  // poll answers again), so it stays small however long the tail runs.
  function remember(list) {
    for (const e of list) {
      if (e.timestamp > since) { since = e.timestamp; seen.clear(); }
      if (e.timestamp === since) seen.add(e.eventId);
    }
  }

  async function search() {
    heading.textContent = filter.value ? `Events matching ${filter.value}` : 'All events';
    const list = await filterAll({ logGroupName: group, filterPattern: filter.value || undefined }, SHOWN);
    seen.clear();
    since = Date.now() - 60_000;
    remember(list);
    mount(events, list.map(row));
  }

  async function poll() {
    const fresh = (await filterAll({ logGroupName: group, filterPattern: filter.value || undefined, startTime: since }, SHOWN)).filter((e) => !seen.has(e.eventId));
    remember(fresh);
    events.append(...fresh.map(row));
    while (events.childElementCount > SHOWN) events.firstElementChild.remove();
  }

  const stop = () => { clearInterval(timer); timer = null; tail.textContent = 'Start live tail'; };
  tail.addEventListener('click', () => act(null, async () => {
    if (timer) { stop(); return; }
    await search();
    heading.textContent = `Live tail${filter.value ? ` (${filter.value})` : ''}`;
    timer = setInterval(() => act(null, poll), 1000);
    tail.textContent = 'Stop live tail';
  }));

  act(null, async () => { await loadStreams(); await search(); });
  return {
    element: h('section', { class: 'page' },
      h('nav', { class: 'crumbs' }, h('a', { href: '#/functions' }, 'Functions'), ' › CloudWatch Logs'),
      h('h1', {}, group),
      h('h2', {}, 'Log streams'),
      h('table', { class: 'list', 'aria-label': 'Log streams' }, h('thead', {}, h('tr', {}, h('th', {}, 'Log stream'), h('th', {}, 'Last event time'))), streams),
      h('form', { class: 'row', onsubmit: (e) => { e.preventDefault(); act(null, search); } }, field('Filter events', filter), h('button', { type: 'submit' }, 'Search'), tail),
      heading,
      h('table', { class: 'list events', 'aria-label': 'Log events' }, h('thead', {}, h('tr', {}, h('th', {}, 'Timestamp'), h('th', {}, 'Log stream'), h('th', {}, 'Message'))), events)),
    leave: stop,
  };
}
