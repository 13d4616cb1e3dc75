// Create function → Author from scratch: name, runtime, architecture, execution role; the hello-world code Lambda creates.
import { lambda, cluster } from '../api.js';
import { h, field, act } from '../dom.js';
import { helloWorld, runtimeLabel } from '../templates.js';
import { pack } from '../zip.js';
import { navigate } from '../main.js';

const NAME = /^[a-zA-Z0-9-_]{1,64}$/;

export function createPage() {
  const name = h('input', { name: 'functionName', required: true, maxlength: 64 }); // checked below, in Lambda's words
  const runtime = h('select', { name: 'runtime' });
  const architecture = h('select', { name: 'architecture' }, h('option', { value: 'x86_64', selected: true }, 'x86_64'));
  const roleName = h('input', { name: 'roleName', placeholder: 'Default: a new role named after the function' });
  const button = h('button', { type: 'submit', class: 'primary' }, 'Create function');
  let node = { AccountId: '000000000000', Runtimes: ['nodejs22.x', 'python3.13'] };

  act(null, async () => {
    node = await cluster.node();
    runtime.replaceChildren(...node.Runtimes.map((r) => h('option', { value: r, selected: r === 'nodejs22.x' }, runtimeLabel(r))));
  });

  const form = h('form', {
    class: 'card',
    onsubmit: (event) => {
      event.preventDefault();
      act(button, async () => {
        const functionName = name.value.trim();
        if (!NAME.test(functionName)) {
          throw new Error('Function name must be 1 to 64 characters: letters, numbers, hyphens or underscores.');
        }
        const template = helloWorld(runtime.value);
        const role = roleName.value.trim() || `${functionName}-role-${Math.random().toString(36).slice(2, 10)}`;
        await lambda.createFunction({
          FunctionName: functionName,
          Runtime: runtime.value,
          Handler: template.handler,
          Role: `arn:aws:iam::${node.AccountId}:role/service-role/${role}`,
          Architectures: [architecture.value],
          Code: { ZipFile: pack(template.files) },
        });
        navigate(`#/functions/${encodeURIComponent(functionName)}/code`,
          `Successfully created the function ${functionName}. You can now change its code and configuration. To invoke your function with a test event, choose "Test".`);
      });
    },
  },
  h('h1', {}, 'Create function'),
  h('fieldset', { class: 'choice' }, h('legend', {}, 'Choose one of the following options to create your function.'),
    h('label', {}, h('input', { type: 'radio', name: 'source', checked: true }), ' Author from scratch')),
  h('h2', {}, 'Basic information'),
  field('Function name', name, 'Enter a name that describes the purpose of your function. Use only letters, numbers, hyphens, or underscores with no spaces.'),
  field('Runtime', runtime, 'Choose the language to use to write your function.'),
  field('Architecture', architecture),
  field('Execution role name', roleName, 'Lambda creates a role with permission to upload logs to CloudWatch Logs.'),
  h('div', { class: 'actions' }, h('a', { href: '#/functions', class: 'button' }, 'Cancel'), button));
  return form;
}
