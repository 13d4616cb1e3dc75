// Small DOM helpers. Text is always set as text (never as HTML), so names, logs and payloads cannot inject markup.

/** h('button', { onclick, class }, 'Save') → an element; children may be strings, elements, arrays or null. */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2).toLowerCase(), value);
    else if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    else if (key === 'value' || key === 'checked' || key === 'disabled' || key === 'selected') el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's content. */
export function mount(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A labelled form field: <label>Name <input></label>, so the label is the field's accessible name. */
export function field(label, control, hint) {
  return h('label', { class: 'field' }, h('span', { class: 'label' }, label), control, hint ? h('small', { class: 'hint' }, hint) : null);
}

/** Shows a message in the banner at the top: kind is success, error or info. */
export function flash(message, kind = 'info') {
  const banner = document.getElementById('flash');
  mount(banner, message ? h('div', { class: `banner ${kind}` }, message) : null);
}

/** Runs an action (from a button: disabled meanwhile, the banner cleared) and shows an API error in the banner. */
export async function act(button, action) {
  if (button) {
    button.disabled = true;
    flash(''); // a user's new action: the last one's banner no longer applies
  }
  try {
    return await action();
  } catch (error) {
    flash(`${error.code ? `${error.code}: ` : ''}${error.message}`, 'error');
    return undefined;
  } finally {
    if (button) button.disabled = false;
  }
}

export function formatBytes(bytes) {
  return bytes >= 1048576 ? `${(bytes / 1048576).toFixed(1)} MB` : bytes >= 1024 ? `${(bytes / 1024).toFixed(1)} kB` : `${bytes} bytes`;
}

/** A log event's lines: runtimes fold a multi-line message (a traceback) into one event with \r between its lines. */
export function lines(text) {
  return text.replace(/\r\n?/g, '\n');
}
