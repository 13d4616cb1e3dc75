// A function's page: overview, Delete, and the tabs Code, Test, Monitor, Configuration, Aliases, Versions.
import { lambda, logs } from '../api.js';
import { h, mount, field, flash, act } from '../dom.js';
import { navigate } from '../main.js';
import { runtimeLabel } from '../templates.js';
import { codeTab } from './code.js';
import { testTab } from './test.js';
import { monitorTab } from './monitor.js';
import { configurationTab } from './configuration.js';
import { aliasesTab, versionsTab } from './versions.js';

const TABS = [['code', 'Code', codeTab], ['test', 'Test', testTab], ['monitor', 'Monitor', monitorTab],
  ['configuration', 'Configuration', configurationTab], ['aliases', 'Aliases', aliasesTab], ['versions', 'Versions', versionsTab]];

export function functionPage(name, tab) {
  const overview = h('div', { class: 'overview' }, 'Loading…');
  const panel = h('div', { role: 'tabpanel', class: 'panel' });
  const cleanups = [];
  const href = (id) => `#/functions/${encodeURIComponent(name)}/${id}`;
  const tabs = h('div', { role: 'tablist', class: 'tabs', 'aria-label': 'Function' },
    TABS.map(([id, label]) => h('a', { role: 'tab', href: href(id), 'aria-selected': String(id === tab), class: id === tab ? 'active' : '' }, label)));

  const context = {
    name,
    fn: null,
    onLeave: (cleanup) => cleanups.push(cleanup),
    /** GetFunction again (after an update), and the overview with it. */
    reload: async () => {
      context.fn = await lambda.getFunction(name);
      const c = context.fn.Configuration;
      mount(overview,
        h('dl', {},
          h('dt', {}, 'Function ARN'), h('dd', {}, c.FunctionArn),
          h('dt', {}, 'Runtime'), h('dd', {}, runtimeLabel(c.Runtime || '')),
          h('dt', {}, 'Handler'), h('dd', {}, c.Handler || '-'),
          h('dt', {}, 'State'), h('dd', {}, `${c.State || 'Active'} (last update: ${c.LastUpdateStatus || 'Successful'})`),
          h('dt', {}, 'Last modified'), h('dd', {}, new Date(c.LastModified).toLocaleString()),
          h('dt', {}, 'Description'), h('dd', {}, c.Description || '-')));
      return context.fn;
    },
  };

  const deleteButton = h('button', { class: 'danger', onclick: () => document.body.append(deleteDialog(name, context.fn?.Configuration.LoggingConfig?.LogGroup ?? `/aws/lambda/${name}`)) }, 'Delete');
  act(null, async () => {
    await context.reload();
    const [, , render] = TABS.find(([id]) => id === tab) ?? TABS[0];
    mount(panel, await render(context));
  });

  return {
    element: h('section', { class: 'page' },
      h('nav', { class: 'crumbs' }, h('a', { href: '#/functions' }, 'Functions'), ' › ', name),
      h('div', { class: 'title' }, h('h1', {}, name), deleteButton),
      overview, tabs, panel),
    leave: () => cleanups.forEach((c) => c()),
  };
}

/** Lambda's delete dialog: type "confirm"; the log group goes too unless unticked (the tutorial's clean-up). */
function deleteDialog(name, group) {
  const confirmText = h('input', { name: 'confirm', autocomplete: 'off' });
  const withLogs = h('input', { type: 'checkbox', checked: true });
  const remove = h('button', { class: 'danger', type: 'submit' }, 'Delete');
  const problem = h('p', { class: 'error', role: 'alert' });
  const dialog = h('div', { class: 'modal', role: 'dialog', 'aria-modal': 'true', 'aria-label': 'Delete function' },
    h('form', {
      class: 'card',
      onsubmit: (event) => {
        event.preventDefault();
        problem.textContent = '';
        if (confirmText.value !== 'confirm') {
          problem.textContent = 'Enter "confirm" to delete the function.'; // in the dialog: the banner is behind it
          return;
        }
        act(remove, async () => {
          await lambda.deleteFunction(name);
          if (withLogs.checked) {
            try { await logs('DeleteLogGroup', { logGroupName: group }); } catch (error) { if (error.code !== 'ResourceNotFoundException') throw error; }
          }
          dialog.remove();
          navigate('#/functions', `Successfully deleted the function ${name}.`);
        });
      },
    },
    h('h2', {}, `Delete function ${name}`),
    h('p', {}, 'Deleting a function permanently removes the function code. The related logs and roles are not deleted unless you choose so.'),
    h('label', { class: 'check' }, withLogs, ` Also delete the log group ${group}`),
    field('To confirm deletion, enter confirm in the text input field.', confirmText),
    problem,
    h('div', { class: 'actions' }, h('button', { type: 'button', onclick: () => dialog.remove() }, 'Cancel'), remove)));
  return dialog;
}
