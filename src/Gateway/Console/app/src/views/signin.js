// Sign-in: an access key pair the node accepts (test/test in the embedded default), kept in this tab only.
import { saveSession, endSession, lambda } from '../api.js';
import { h, field, act } from '../dom.js';
import { navigate } from '../main.js';

export function signInPage() {
  const keyId = h('input', { name: 'accessKeyId', autocomplete: 'username', required: true });
  const secret = h('input', { name: 'secretAccessKey', type: 'password', autocomplete: 'current-password', required: true });
  const region = h('input', { name: 'region', value: 'us-east-1', required: true });
  const button = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  const form = h('form', {
    class: 'card signin',
    onsubmit: (event) => {
      event.preventDefault();
      act(button, async () => {
        saveSession({ accessKeyId: keyId.value.trim(), secretAccessKey: secret.value, region: region.value.trim() });
        try {
          await lambda.listFunctions(); // the keys are right only if the node accepts a signed call
        } catch (error) {
          endSession();
          throw error;
        }
        navigate('#/functions');
      });
    },
  },
  h('h1', {}, 'Sign in'),
  h('p', {}, 'Use an access key pair this cluster accepts. The keys stay in this browser tab and sign every request (SigV4).'),
  field('Access key ID', keyId),
  field('Secret access key', secret),
  field('Region', region),
  button);
  return form;
}
