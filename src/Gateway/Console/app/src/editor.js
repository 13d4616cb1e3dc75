// CodeMirror 6 editors: the function's files and the test event's JSON.
import { EditorView, basicSetup } from 'codemirror';
import { EditorState } from '@codemirror/state';
import { javascript } from '@codemirror/lang-javascript';
import { python } from '@codemirror/lang-python';
import { json } from '@codemirror/lang-json';

function languageOf(path) {
  if (/\.(m?js|cjs|ts)$/.test(path)) return [javascript()];
  if (/\.py$/.test(path)) return [python()];
  if (/\.json$/.test(path)) return [json()];
  return [];
}

/**
 * An editor in parent with the given text; label is its accessible name (the content element's aria-label, so a
 * screen reader and a browser test find it as a labelled text box). onChange(text) after every edit.
 */
export function createEditor(parent, { text, path = '', label, onChange }) {
  const crlf = text.includes('\r\n'); // a Windows file keeps its line ends when edited
  return new EditorView({
    parent,
    state: EditorState.create({
      doc: text,
      extensions: [
        basicSetup,
        ...languageOf(path),
        ...(crlf ? [EditorState.lineSeparator.of('\r\n')] : []),
        EditorView.contentAttributes.of({ 'aria-label': label, role: 'textbox', 'aria-multiline': 'true' }),
        EditorView.updateListener.of((update) => { if (update.docChanged && onChange) onChange(update.state.doc.toString()); }),
      ],
    }),
  });
}

export function textOf(view) {
  return view.state.doc.toString();
}

export function setText(view, text) {
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
}
