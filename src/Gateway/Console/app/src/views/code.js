// Code tab: the package's files in a tree, a CodeMirror editor, the unsaved-changes marker and Deploy.
import { lambda } from '../api.js';
import { h, mount, flash, act, formatBytes } from '../dom.js';
import { createEditor } from '../editor.js';
import { unpack, pack, utf8 } from '../zip.js';

/** Polls GetFunctionConfiguration until LastUpdateStatus leaves InProgress (the SDK's function-updated waiter). */
export async function waitUntilUpdated(name, attempts = 120) {
  for (let i = 0; i < attempts; i++) {
    const c = await lambda.getConfiguration(name);
    if (c.LastUpdateStatus !== 'InProgress' && c.State !== 'Pending') return c;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`The update of ${name} did not finish in time.`);
}

export async function codeTab(context) {
  const { name } = context;
  if (!context.fn.Code?.Location) {
    return h('p', { class: 'empty' }, `This function's package (${context.fn.Configuration.PackageType ?? 'Zip'}) cannot be shown in the editor.`);
  }
  const location = new URL(context.fn.Code.Location, window.location.href);
  const response = await fetch(location.pathname + location.search, { credentials: 'omit' }); // pre-signed, same origin
  if (!response.ok) throw new Error(`Could not download the function's package (HTTP ${response.status}).`);
  const files = unpack(new Uint8Array(await response.arrayBuffer()));
  const deployed = Object.fromEntries(Object.entries(files).map(([p, f]) => [p, f.text]));
  const paths = Object.keys(files).sort();
  const handlerFile = paths.find((p) => p.startsWith(`${(context.fn.Configuration.Handler || '').split('.')[0]}.`)) ?? paths[0];

  const tree = h('ul', { class: 'tree', role: 'tree', 'aria-label': 'Files' });
  const editorHost = h('div', { class: 'editor' });
  const status = h('span', { class: 'unsaved' });
  const deploy = h('button', { class: 'primary', onclick: () => act(deploy, doDeploy) }, 'Deploy');
  let open = null;

  const changed = (path) => files[path].text !== deployed[path];
  const anyChanged = () => paths.some(changed);

  function renderTree() {
    mount(tree, paths.map((path) => h('li', { role: 'treeitem', 'aria-selected': String(path === open) },
      h('button', { class: `file ${path === open ? 'active' : ''}`, onclick: () => openFile(path) },
        path, changed(path) ? h('span', { class: 'dot', title: 'Unsaved changes', 'aria-label': 'unsaved changes' }, ' ●') : null),
      h('small', {}, ` ${formatBytes(files[path].bytes.length)}`))));
    status.textContent = anyChanged() ? 'Changes not deployed' : '';
  }

  function openFile(path) {
    open = path;
    const file = files[path];
    if (file.text === undefined) {
      mount(editorHost, h('p', { class: 'empty' }, `${path} is a binary or large file (${formatBytes(file.bytes.length)}); it is deployed as it is.`));
    } else {
      mount(editorHost, h('div', { class: 'tabname' }, path));
      createEditor(editorHost, { text: file.text, path, label: `Code source: ${path}`, onChange: (text) => { file.text = text; renderTree(); } });
    }
    renderTree();
  }

  async function doDeploy() {
    flash(`Updating the function ${name}.`, 'info');
    await lambda.updateCode(name, pack(files));
    await waitUntilUpdated(name);
    for (const path of paths) {
      deployed[path] = files[path].text;
      files[path].original = files[path].text;
      if (files[path].text !== undefined) files[path].bytes = utf8.encode(files[path].text);
    }
    renderTree();
    await context.reload();
    flash(`Successfully updated the function ${name}.`, 'success');
  }

  const beforeUnload = (event) => { if (anyChanged()) event.preventDefault(); };
  window.addEventListener('beforeunload', beforeUnload);
  context.onLeave(() => window.removeEventListener('beforeunload', beforeUnload));
  if (handlerFile) openFile(handlerFile);
  return h('div', { class: 'code' },
    h('div', { class: 'toolbar' }, h('h2', {}, 'Code source'), status, deploy),
    h('div', { class: 'ide' }, h('aside', {}, h('h3', {}, 'Explorer'), tree), editorHost));
}
