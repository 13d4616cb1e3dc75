// Test tab: named test events (create, save, rename, delete), JSON validation, and Test: Invoke with LogType Tail,
// then Status, Response, Function Logs and the Summary read off the REPORT line, as Lambda's console shows them.
import { lambda } from '../api.js';
import { h, mount, field, flash, act, lines } from '../dom.js';
import { createEditor, textOf, setText } from '../editor.js';
import { loadEvents, saveEvents } from '../testevents.js';
import { fromBase64, utf8 } from '../zip.js';

const TEMPLATE = '{\n  "key1": "value1",\n  "key2": "value2",\n  "key3": "value3"\n}';
const NEW = '';

export async function testTab(context) {
  const { name } = context;
  let events = await loadEvents(name);
  const saved = h('select', { name: 'savedEvent' });
  const eventName = h('input', { name: 'eventName', maxlength: 25, placeholder: 'MyEventName' });
  const editorHost = h('div', { class: 'editor small' });
  const results = h('section', { class: 'results', role: 'region', 'aria-label': 'Execution results' });
  const editor = createEditor(editorHost, { text: TEMPLATE, path: 'event.json', label: 'Event JSON' });
  const save = h('button', { onclick: () => act(save, doSave) }, 'Save');
  const test = h('button', { class: 'primary', onclick: () => act(test, doTest) }, 'Test');
  const remove = h('button', { onclick: () => act(remove, doDelete) }, 'Delete event');

  function renderSaved(selected = NEW) {
    mount(saved, h('option', { value: NEW }, 'Create new event'),
      Object.keys(events).sort().map((n) => h('option', { value: n, selected: n === selected }, n)));
    saved.value = selected;
    remove.disabled = selected === NEW;
  }

  saved.addEventListener('change', () => {
    const chosen = saved.value;
    eventName.value = chosen;
    setText(editor, chosen === NEW ? TEMPLATE : JSON.stringify(events[chosen], null, 2));
    remove.disabled = chosen === NEW;
  });

  /** The editor's JSON, or an error in Lambda's words for what was being done (saving or testing). */
  function parsedEvent(doing) {
    try {
      return JSON.parse(textOf(editor));
    } catch (error) {
      throw new Error(`There is an error in your JSON event. Correct it before ${doing}: ${error.message}`);
    }
  }

  async function doSave() {
    const value = parsedEvent('saving');
    const newName = eventName.value.trim();
    if (!/^[A-Za-z0-9_.-]{1,25}$/.test(newName)) throw new Error('Event name must be 1 to 25 characters: letters, numbers, dots, hyphens or underscores.');
    const previous = saved.value;
    const next = { ...events, [newName]: value };
    if (previous !== NEW && previous !== newName) delete next[previous]; // a rename
    await saveEvents(name, next);
    events = next;
    renderSaved(newName);
    flash(`The test event ${newName} was successfully saved.`, 'success');
  }

  async function doDelete() {
    const chosen = saved.value;
    const next = { ...events };
    delete next[chosen];
    await saveEvents(name, next);
    events = next;
    renderSaved(NEW);
    eventName.value = '';
    setText(editor, TEMPLATE);
    flash(`The test event ${chosen} was successfully deleted.`, 'success');
  }

  async function doTest() {
    mount(results); // the last run's results do not stand beside this one's error
    const payload = JSON.stringify(parsedEvent('testing'));
    mount(results, h('h2', {}, 'Executing function…'));
    let response;
    try {
      response = await lambda.invoke(name, payload);
    } catch (error) {
      // Not the function's error but the service's (throttled, could not start...): shown as Lambda's console does.
      mount(results, h('h2', { class: 'failed' }, 'Status: Failed'), h('h3', {}, 'Error'), h('pre', { 'aria-label': 'Response' }, `${error.code}: ${error.message}`));
      throw error;
    }
    const body = await response.text();
    const logText = response.headers.get('X-Amz-Log-Result') ? utf8.decode(fromBase64(response.headers.get('X-Amz-Log-Result'))) : '';
    const failed = response.headers.has('X-Amz-Function-Error');
    const report = /REPORT RequestId: (\S+)\s+Duration: ([\d.]+) ms\s+Billed Duration: (\d+) ms\s+Memory Size: (\d+) MB\s+Max Memory Used: (\d+) MB(?:\s+Init Duration: ([\d.]+) ms)?/.exec(logText);
    const requestId = report?.[1] ?? response.headers.get('x-amzn-RequestId');
    const summary = [
      ['Request ID', requestId],
      ['Duration', report ? `${report[2]} ms` : '-'],
      ['Billed duration', report ? `${report[3]} ms` : '-'],
      ['Resources configured', report ? `${report[4]} MB` : '-'],
      ['Max memory used', report ? `${report[5]} MB` : '-'],
      ...(report?.[6] ? [['Init duration', `${report[6]} ms`]] : []),
    ];
    mount(results,
      h('h2', { class: failed ? 'failed' : 'succeeded' }, `Status: ${failed ? 'Failed' : 'Succeeded'}`),
      h('p', {}, `Test Event Name: ${eventName.value.trim() || '(unsaved) test event'}`),
      h('h3', {}, 'Response'), h('pre', { class: 'response', 'aria-label': 'Response' }, body),
      h('h3', {}, 'Function Logs'), h('pre', { class: 'logs', 'aria-label': 'Function Logs' }, lines(logText)),
      h('h3', {}, 'Summary'),
      h('dl', { class: 'summary', 'aria-label': 'Summary' }, summary.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])));
  }

  renderSaved(NEW);
  return h('div', { class: 'test' },
    h('div', { class: 'toolbar' }, h('h2', {}, 'Test event'), remove, save, test),
    h('p', {}, 'Saved events are shareable: they are stored by the cluster (EventBridge Schemas registry lambda-testevent-schemas) for every user of this function.'),
    field('Saved event', saved),
    field('Event name', eventName),
    h('div', { class: 'field' }, h('span', { class: 'label', 'aria-hidden': 'true' }, 'Event JSON'), editorHost),
    results);
}
