// Function packages in the browser: unzipped to show, zipped again to deploy (fflate).
import { unzipSync, zipSync, strFromU8, strToU8 } from 'fflate';

const UNIX = 3;
const MAX_TEXT_BYTES = 1048576; // larger files are kept as they are, not opened in the editor

/** { path: { bytes, text?, executable } } from a zip; text when the file is small UTF-8. */
export function unpack(zipBytes) {
  const files = {};
  for (const [path, bytes] of Object.entries(unzipSync(zipBytes))) {
    if (path.endsWith('/')) continue;
    let text;
    if (bytes.length <= MAX_TEXT_BYTES) {
      try { text = new TextDecoder('utf-8', { fatal: true }).decode(bytes); } catch { text = undefined; }
    }
    // fflate does not give the entries' Unix modes: a bootstrap or a script with a shebang is taken as executable.
    const executable = path === 'bootstrap' || path.endsWith('/bootstrap') || (bytes[0] === 0x23 && bytes[1] === 0x21);
    files[path] = { bytes, text, executable };
  }
  return files;
}

/** The package as a zip (base64), text files from their current text, executables marked 0755 (Unix attributes). */
export function pack(files) {
  const entries = {};
  for (const [path, file] of Object.entries(files)) {
    const data = file.text !== undefined ? strToU8(file.text) : file.bytes;
    entries[path] = [data, { os: UNIX, attrs: ((file.executable ? 0o100755 : 0o100644) << 16) >>> 0, mtime: new Date() }];
  }
  return toBase64(zipSync(entries, { level: 6 }));
}

export function toBase64(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function fromBase64(text) {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

export const utf8 = { decode: strFromU8, encode: strToU8 };
