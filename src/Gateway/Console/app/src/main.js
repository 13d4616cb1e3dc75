// The console's router. Flow: no keys in this tab → the sign-in page; otherwise the page the hash names:
// #/functions, #/create, #/functions/{name}/{tab}, #/logs/{log group}, #/cluster.
import { session, endSession } from './api.js';
import { h, mount, flash } from './dom.js';
import { signInPage } from './views/signin.js';
import { functionsPage } from './views/functions.js';
import { createPage } from './views/create.js';
import { functionPage } from './views/function.js';
import { logsPage } from './views/logs.js';
import { clusterPage } from './views/cluster.js';

let leave = null; // the current page's clean-up (timers, live tail)
let message = null; // [text, kind] for the banner of the page navigated to

/** Goes to a page; with a message, the banner shows it there (any older banner is cleared on every page change). */
export function navigate(hash, text, kind = 'success') {
  message = text ? [text, kind] : null;
  if (location.hash === hash) route();
  else location.hash = hash;
}

function nav() {
  const current = session();
  return current
    ? [h('a', { href: '#/functions' }, 'Functions'), h('a', { href: '#/cluster' }, 'Cluster'),
      h('span', { class: 'who' }, current.accessKeyId), h('button', { class: 'link', onclick: () => { endSession(); navigate('#/'); } }, 'Sign out')]
    : [];
}

async function route() {
  if (leave) { leave(); leave = null; }
  const app = document.getElementById('app');
  mount(document.getElementById('nav'), nav());
  flash(message?.[0] ?? '', message?.[1]);
  message = null;
  if (!session()) {
    mount(app, signInPage());
    return;
  }

  const parts = location.hash.replace(/^#\/?/, '').split('/').map((part) => { try { return decodeURIComponent(part); } catch { return part; } });
  const [page, name, tab] = parts;
  const pages = {
    functions: () => (name ? functionPage(name, tab || 'code') : functionsPage()),
    create: () => createPage(),
    logs: () => logsPage(parts.slice(1).join('/')),
    cluster: () => clusterPage(),
  };
  const view = (pages[page] ?? pages.functions)();
  mount(app, view.element ?? view);
  leave = view.leave ?? null;
}

window.addEventListener('hashchange', route);
window.addEventListener('DOMContentLoaded', route);
