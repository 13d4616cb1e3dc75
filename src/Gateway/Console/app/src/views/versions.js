// Versions tab (list, Publish new version) and Aliases tab (list, create with an optional weighted second version).
import { lambda } from '../api.js';
import { h, mount, field, flash, act } from '../dom.js';
import { navigate } from '../main.js';

/** Every version (all pages of ListVersionsByFunction). */
async function allVersions(name) {
  const versions = [];
  let marker;
  do {
    const page = await lambda.listVersions(name, marker);
    versions.push(...(page.Versions ?? []));
    marker = page.NextMarker;
  } while (marker);
  return versions;
}

export async function versionsTab(context) {
  const { name } = context;
  const versions = await allVersions(name);
  const description = h('input', { name: 'versionDescription', maxlength: 256 });
  const publish = h('button', { class: 'primary', onclick: () => act(publish, async () => {
    const version = await lambda.publishVersion(name, description.value.trim());
    navigate(`#/functions/${encodeURIComponent(name)}/versions`, `Successfully created version ${version.Version} for function ${name}.`);
  }) }, 'Publish new version');
  return h('div', {}, h('div', { class: 'toolbar' }, h('h2', {}, 'Versions'), publish),
    field('Version description', description),
    h('table', { class: 'list', 'aria-label': 'Versions' },
      h('thead', {}, h('tr', {}, ['Version', 'Description', 'Code SHA-256', 'Last modified'].map((c) => h('th', {}, c)))),
      h('tbody', {}, versions.map((v) => h('tr', {}, h('td', {}, v.Version), h('td', {}, v.Description || '-'), h('td', { class: 'mono' }, v.CodeSha256), h('td', {}, new Date(v.LastModified).toLocaleString()))))));
}

export async function aliasesTab(context) {
  const { name } = context;
  const [aliases, versions] = await Promise.all([lambda.listAliases(name), allVersions(name)]);
  const numbers = versions.map((v) => v.Version);
  const aliasName = h('input', { name: 'aliasName', maxlength: 128 });
  const version = h('select', { name: 'aliasVersion' }, numbers.map((n) => h('option', { value: n }, n)));
  const extra = h('select', { name: 'additionalVersion' }, h('option', { value: '' }, 'None'), numbers.filter((n) => n !== '$LATEST').map((n) => h('option', { value: n }, n)));
  const weight = h('input', { name: 'weight', type: 'number', min: 0, max: 100, value: 0 });
  const create = h('button', { class: 'primary', onclick: () => act(create, async () => {
    const routing = extra.value ? { AdditionalVersionWeights: { [extra.value]: Number(weight.value) / 100 } } : undefined;
    await lambda.createAlias(name, { Name: aliasName.value.trim(), FunctionVersion: version.value, RoutingConfig: routing });
    navigate(`#/functions/${encodeURIComponent(name)}/aliases`, `Successfully created alias ${aliasName.value.trim()}.`);
  }) }, 'Create alias');
  const list = h('tbody');
  mount(list, (aliases.Aliases ?? []).map((a) => {
    const remove = h('button', { onclick: () => act(remove, async () => { await lambda.deleteAlias(name, a.Name); remove.closest('tr').remove(); flash(`Deleted alias ${a.Name}.`, 'success'); }) }, 'Delete alias');
    const weights = Object.entries(a.RoutingConfig?.AdditionalVersionWeights ?? {}).map(([v, w]) => `${v}: ${Math.round(w * 100)}%`).join(', ');
    return h('tr', {}, h('td', {}, a.Name), h('td', {}, a.FunctionVersion), h('td', {}, weights || '-'), h('td', { class: 'mono' }, a.AliasArn), h('td', {}, remove));
  }));
  return h('div', {}, h('h2', {}, 'Aliases'),
    h('table', { class: 'list', 'aria-label': 'Aliases' }, h('thead', {}, h('tr', {}, ['Name', 'Version', 'Weighted versions', 'ARN', ''].map((c) => h('th', {}, c)))), list),
    h('h3', {}, 'Create alias'),
    field('Alias name', aliasName), field('Alias version', version),
    h('div', { class: 'row' }, field('Additional version', extra), field('Weight (%)', weight)),
    h('div', { class: 'actions' }, create));
}
