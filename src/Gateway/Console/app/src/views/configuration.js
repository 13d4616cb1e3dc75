// Configuration tab: General configuration, Environment variables, Concurrency, Function URL, Triggers,
// Asynchronous invocation and Layers; every Save is the Lambda API call that setting has.
import { lambda, sqs, kinesis } from '../api.js';
import { h, mount, field, flash, act } from '../dom.js';
import { waitUntilUpdated } from './code.js';

const SECTIONS = [
  ['general', 'General configuration', general],
  ['environment', 'Environment variables', environment],
  ['concurrency', 'Concurrency', concurrency],
  ['url', 'Function URL', functionUrl],
  ['triggers', 'Triggers', triggers],
  ['async', 'Asynchronous invocation', asyncInvocation],
  ['layers', 'Layers', layers],
];

export async function configurationTab(context) {
  const body = h('div', { class: 'section' });
  const menu = h('nav', { class: 'sections', 'aria-label': 'Configuration' });
  async function show(id) {
    const [, , render] = SECTIONS.find(([key]) => key === id);
    mount(menu, SECTIONS.map(([key, label]) => h('button', { class: `link ${key === id ? 'active' : ''}`, 'aria-current': key === id ? 'page' : null, onclick: () => show(key) }, label)));
    mount(body, 'Loading…');
    await act(null, async () => mount(body, await render(context)));
  }
  show('general');
  return h('div', { class: 'configuration' }, menu, body);
}

async function updateConfiguration(context, request) {
  await lambda.updateConfiguration(context.name, request);
  await waitUntilUpdated(context.name);
  await context.reload();
  flash(`Successfully updated the function ${context.name}.`, 'success');
}

function general(context) {
  const c = context.fn.Configuration;
  const description = h('input', { name: 'description', value: c.Description || '', maxlength: 256 });
  const memory = h('input', { name: 'memory', type: 'number', min: 128, max: 10240, value: c.MemorySize });
  const storage = h('input', { name: 'ephemeralStorage', type: 'number', min: 512, max: 10240, value: c.EphemeralStorage?.Size ?? 512 });
  const minutes = h('input', { name: 'timeoutMinutes', type: 'number', min: 0, max: 15, value: Math.floor(c.Timeout / 60) });
  const seconds = h('input', { name: 'timeoutSeconds', type: 'number', min: 0, max: 59, value: c.Timeout % 60 });
  const save = h('button', { class: 'primary', onclick: () => act(save, () => updateConfiguration(context, {
    Description: description.value,
    MemorySize: Number(memory.value),
    EphemeralStorage: { Size: Number(storage.value) },
    Timeout: Number(minutes.value) * 60 + Number(seconds.value),
  })) }, 'Save');
  return h('div', {}, h('h2', {}, 'General configuration'),
    field('Description', description),
    field('Memory (MB)', memory, 'Your function is allocated CPU proportional to the memory configured (128 MB to 10240 MB).'),
    field('Ephemeral storage (MB)', storage, '512 MB to 10240 MB of /tmp.'),
    h('div', { class: 'row' }, field('Timeout minutes', minutes), field('Timeout seconds', seconds)),
    h('div', { class: 'actions' }, save));
}

function environment(context) {
  const variables = Object.entries(context.fn.Configuration.Environment?.Variables ?? {});
  const rows = h('div', { class: 'pairs' });
  let revealed = false;
  const addRow = (key = '', value = '') => {
    const valueInput = h('input', { 'aria-label': 'Value', value, type: revealed ? 'text' : 'password', class: 'value', autocomplete: 'off' });
    const row = h('div', { class: 'row pair' }, h('input', { 'aria-label': 'Key', value: key, class: 'key' }), valueInput,
      h('button', { onclick: () => row.remove() }, 'Remove'));
    rows.append(row);
  };
  variables.forEach(([k, v]) => addRow(k, v));
  const reveal = h('button', { onclick: () => {
    revealed = !revealed;
    rows.querySelectorAll('input.value').forEach((i) => { i.type = revealed ? 'text' : 'password'; });
    reveal.textContent = revealed ? 'Hide values' : 'Show values';
  } }, 'Show values');
  const save = h('button', { class: 'primary', onclick: () => act(save, () => {
    const pairs = [...rows.querySelectorAll('.pair')].map((r) => [r.querySelector('.key').value.trim(), r.querySelector('.value').value]).filter(([k]) => k);
    return updateConfiguration(context, { Environment: { Variables: Object.fromEntries(pairs) } });
  }) }, 'Save');
  return h('div', {}, h('h2', {}, 'Environment variables'),
    h('p', {}, 'Values are hidden until you choose Show values. They are encrypted at rest by the cluster.'),
    rows, h('div', { class: 'actions' }, h('button', { onclick: () => addRow() }, 'Add environment variable'), reveal, save));
}

async function concurrency(context) {
  const { name } = context;
  const reserved = await lambda.getReserved(name);
  const provisioned = (await lambda.listProvisioned(name)).ProvisionedConcurrencyConfigs ?? [];
  const count = h('input', { name: 'reserved', type: 'number', min: 0, value: reserved?.ReservedConcurrentExecutions ?? '' });
  const saveReserved = h('button', { class: 'primary', onclick: () => act(saveReserved, async () => {
    if (count.value === '') await lambda.deleteReserved(name); else await lambda.putReserved(name, Number(count.value));
    flash(`Successfully updated the concurrency of ${name}.`, 'success');
  }) }, 'Save');
  const qualifier = h('input', { name: 'qualifier', placeholder: 'Version or alias' });
  const amount = h('input', { name: 'provisioned', type: 'number', min: 1, value: 1 });
  const addProvisioned = h('button', { onclick: () => act(addProvisioned, async () => {
    await lambda.putProvisioned(name, qualifier.value.trim(), Number(amount.value));
    flash(`Provisioned concurrency configured for ${name}:${qualifier.value.trim()}.`, 'success');
  }) }, 'Add provisioned concurrency');
  return h('div', {}, h('h2', {}, 'Concurrency'),
    field('Reserved concurrency', count, 'Empty: use unreserved account concurrency.'), h('div', { class: 'actions' }, saveReserved),
    h('h3', {}, 'Provisioned concurrency configurations'),
    h('table', { class: 'list', 'aria-label': 'Provisioned concurrency' },
      h('thead', {}, h('tr', {}, ['Qualifier', 'Requested', 'Available', 'Status', ''].map((c) => h('th', {}, c)))),
      h('tbody', {}, provisioned.map((p) => {
        const q = p.FunctionArn.split(':').pop();
        const remove = h('button', { onclick: () => act(remove, async () => { await lambda.deleteProvisioned(name, q); flash(`Removed provisioned concurrency from ${q}.`, 'success'); }) }, 'Remove');
        return h('tr', {}, h('td', {}, q), h('td', {}, p.RequestedProvisionedConcurrentExecutions), h('td', {}, p.AvailableProvisionedConcurrentExecutions ?? 0), h('td', {}, p.Status), h('td', {}, remove));
      }))),
    h('div', { class: 'row' }, field('Qualifier', qualifier), field('Provisioned concurrency', amount)), h('div', { class: 'actions' }, addProvisioned));
}

async function functionUrl(context) {
  const { name } = context;
  let current = null;
  try { current = await lambda.getUrl(name); } catch (error) { if (error.code !== 'ResourceNotFoundException') throw error; }
  const authType = h('select', { name: 'authType' }, ['AWS_IAM', 'NONE'].map((t) => h('option', { value: t, selected: current?.AuthType === t }, t)));
  const origins = h('input', { name: 'allowOrigins', value: (current?.Cors?.AllowOrigins ?? []).join(', '), placeholder: '*' });
  // The origins field edits AllowOrigins only: the rest of Cors (methods, headers, max age set with the CLI) is kept;
  // an empty field with nothing else set clears Cors ({} replaces it, where an absent Cors would leave it as it was).
  const request = () => {
    const allowOrigins = origins.value.split(',').map((o) => o.trim()).filter(Boolean);
    const { AllowOrigins: _, ...rest } = current?.Cors ?? {};
    return { AuthType: authType.value, Cors: allowOrigins.length ? { ...rest, AllowOrigins: allowOrigins } : rest };
  };
  const save = h('button', { class: 'primary', onclick: () => act(save, async () => {
    if (current) await lambda.updateUrl(name, request());
    else await lambda.createUrl(name, request());
    if (authType.value === 'NONE') {
      // What Lambda's console adds with auth type NONE: the public invoke permission (already there: fine).
      try { await lambda.addPermission(name, { StatementId: 'FunctionURLAllowPublicAccess', Action: 'lambda:InvokeFunctionUrl', Principal: '*', FunctionUrlAuthType: 'NONE' }); } catch (error) { if (error.code !== 'ResourceConflictException') throw error; }
    }
    flash(`Successfully saved the function URL of ${name}.`, 'success');
  }) }, 'Save');
  const remove = current ? h('button', { onclick: () => act(remove, async () => { await lambda.deleteUrl(name); flash(`Deleted the function URL of ${name}.`, 'success'); }) }, 'Delete function URL') : null;
  return h('div', {}, h('h2', {}, 'Function URL'),
    current ? h('p', {}, 'Function URL: ', h('a', { href: current.FunctionUrl, target: '_blank', rel: 'noopener', class: 'url' }, current.FunctionUrl)) : h('p', {}, 'No function URL.'),
    field('Auth type', authType), field('Allow origin (CORS)', origins, 'Comma-separated origins; empty: no allowed origins.'),
    h('div', { class: 'actions' }, remove, save));
}

async function triggers(context) {
  const { name } = context;
  const mappings = (await lambda.listMappings(name)).EventSourceMappings ?? [];
  const [queues, streams] = await Promise.all([
    sqs('ListQueues', {}).then((r) => r?.QueueUrls ?? []).catch(() => []),
    kinesis('ListStreams', {}).then((r) => r?.StreamSummaries?.map((s) => s.StreamARN) ?? []).catch(() => []),
  ]);
  const queueArn = (url) => { const [, account, queue] = new URL(url).pathname.split('/'); return { account, queue }; };
  const region = context.fn.Configuration.FunctionArn.split(':')[3];
  const sources = [...queues.map((url) => { const q = queueArn(url); return `arn:aws:sqs:${region}:${q.account}:${q.queue}`; }), ...streams];
  const source = h('select', { name: 'eventSource' }, sources.map((arn) => h('option', { value: arn }, arn)));
  const batch = h('input', { name: 'batchSize', type: 'number', min: 1, max: 10000, value: 10 });
  const add = h('button', { class: 'primary', disabled: sources.length === 0, onclick: () => act(add, async () => {
    const arn = source.value;
    await lambda.createMapping({ FunctionName: name, EventSourceArn: arn, BatchSize: Number(batch.value), StartingPosition: arn.includes(':kinesis:') ? 'LATEST' : undefined });
    flash(`The trigger ${arn} was successfully added to function ${name}.`, 'success');
  }) }, 'Add trigger');
  return h('div', {}, h('h2', {}, 'Triggers'),
    h('table', { class: 'list', 'aria-label': 'Triggers' },
      h('thead', {}, h('tr', {}, ['Event source', 'State', 'Batch size', 'UUID', ''].map((c) => h('th', {}, c)))),
      h('tbody', {}, mappings.map((m) => {
        const remove = h('button', { onclick: () => act(remove, async () => { await lambda.deleteMapping(m.UUID); flash(`Deleted the trigger ${m.EventSourceArn}.`, 'success'); }) }, 'Delete trigger');
        return h('tr', {}, h('td', {}, m.EventSourceArn), h('td', {}, m.State), h('td', {}, m.BatchSize), h('td', {}, m.UUID), h('td', {}, remove));
      }))),
    h('h3', {}, 'Add trigger'),
    sources.length ? null : h('p', {}, 'This cluster has no SQS queues or Kinesis streams yet.'),
    field('Source', source, 'SQS queues and Kinesis streams of this cluster.'), field('Batch size', batch), h('div', { class: 'actions' }, add));
}

async function asyncInvocation(context) {
  const { name } = context;
  let config = null;
  try { config = await lambda.getEventInvokeConfig(name); } catch (error) { if (error.code !== 'ResourceNotFoundException') throw error; }
  const age = h('input', { name: 'maximumEventAge', type: 'number', min: 60, max: 21600, value: config?.MaximumEventAgeInSeconds ?? 21600 });
  const retries = h('select', { name: 'retryAttempts' }, [0, 1, 2].map((n) => h('option', { value: n, selected: (config?.MaximumRetryAttempts ?? 2) === n }, String(n))));
  const onSuccess = h('input', { name: 'onSuccess', value: config?.DestinationConfig?.OnSuccess?.Destination ?? '', placeholder: 'Destination ARN' });
  const onFailure = h('input', { name: 'onFailure', value: config?.DestinationConfig?.OnFailure?.Destination ?? '', placeholder: 'Destination ARN' });
  const save = h('button', { class: 'primary', onclick: () => act(save, async () => {
    await lambda.putEventInvokeConfig(name, {
      MaximumEventAgeInSeconds: Number(age.value),
      MaximumRetryAttempts: Number(retries.value),
      DestinationConfig: {
        OnSuccess: onSuccess.value.trim() ? { Destination: onSuccess.value.trim() } : {},
        OnFailure: onFailure.value.trim() ? { Destination: onFailure.value.trim() } : {},
      },
    });
    flash(`Successfully updated the asynchronous invocation configuration of ${name}.`, 'success');
  }) }, 'Save');
  return h('div', {}, h('h2', {}, 'Asynchronous invocation'),
    field('Maximum age of event (seconds)', age), field('Retry attempts', retries),
    field('On success destination', onSuccess), field('On failure destination', onFailure),
    h('div', { class: 'actions' }, save));
}

async function layers(context) {
  const attached = (context.fn.Configuration.Layers ?? []).map((l) => l.Arn);
  const available = (await lambda.listLayers()).Layers ?? [];
  const choice = h('select', { name: 'layer' }, available.map((l) => h('option', { value: l.LatestMatchingVersion.LayerVersionArn }, l.LatestMatchingVersion.LayerVersionArn)));
  const arn = h('input', { name: 'layerArn', placeholder: 'Or a layer version ARN' });
  const save = (arns, button) => act(button, () => updateConfiguration(context, { Layers: arns }));
  const add = h('button', { class: 'primary', onclick: () => save([...attached, arn.value.trim() || choice.value].filter(Boolean), add) }, 'Add a layer');
  return h('div', {}, h('h2', {}, 'Layers'),
    h('table', { class: 'list', 'aria-label': 'Layers' }, h('thead', {}, h('tr', {}, h('th', {}, 'Merge order'), h('th', {}, 'Layer version ARN'), h('th', {}, ''))),
      h('tbody', {}, attached.map((a, i) => {
        const remove = h('button', { onclick: () => save(attached.filter((x) => x !== a), remove) }, 'Remove');
        return h('tr', {}, h('td', {}, i + 1), h('td', {}, a), h('td', {}, remove));
      }))),
    field('Layer', choice), field('Layer version ARN', arn), h('div', { class: 'actions' }, add));
}
