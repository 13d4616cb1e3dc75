// Function packages in the browser: unzipped to show, zipped again to deploy (fflate). A file nobody edited goes back
// byte for byte with its Unix mode (read from the zip's central directory, which fflate does not expose), so an
// executable, a symbolic link, a byte-order mark or CRLF line ends survive a Deploy.
import { unzipSync, zipSync, strFromU8, strToU8 } from 'fflate';

const UNIX = 3;
const MAX_TEXT_BYTES = 1048576; // larger files are kept as they are, not opened in the editor

/**
 * { path: { bytes, text?, original?, os?, attrs? } } from a zip: text when the file is small UTF-8 (BOM kept);
 * original is that text as unpacked; os and attrs are the entry's "version made by" host and external attributes.
 */
export function unpack(zipBytes) {
  const modes = centralDirectory(zipBytes);
  const files = {};
  for (const [path, bytes] of Object.entries(unzipSync(zipBytes))) {
    if (path.endsWith('/')) continue;
    const mode = modes[path] ?? {};
    let text;
    if (bytes.length <= MAX_TEXT_BYTES && !isSymlink(mode)) {
      try { text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes); } catch { text = undefined; }
    }
    files[path] = { bytes, text, original: text, ...mode };
  }
  return files;
}

/** Whether an entry is executable (a Unix entry with an x bit; a bootstrap or a script with a shebang otherwise). */
export function isExecutable(path, file) {
  if (file.os === UNIX && file.attrs) return ((file.attrs >>> 16) & 0o111) !== 0;
  return path === 'bootstrap' || path.endsWith('/bootstrap') || (file.bytes?.[0] === 0x23 && file.bytes?.[1] === 0x21);
}

/** The package as a zip (base64): edited files from their text, the rest as unpacked, modes kept. */
export function pack(files) {
  const entries = {};
  for (const [path, file] of Object.entries(files)) {
    const edited = file.text !== undefined && file.text !== file.original;
    const data = edited || !file.bytes ? strToU8(file.text) : file.bytes;
    const attrs = file.os === UNIX && file.attrs ? file.attrs : ((isExecutable(path, file) || file.executable ? 0o100755 : 0o100644) << 16) >>> 0;
    entries[path] = [data, { os: UNIX, attrs, mtime: new Date() }];
  }
  return toBase64(zipSync(entries, { level: 6 }));
}

function isSymlink(mode) {
  return mode.os === UNIX && ((mode.attrs >>> 16) & 0o170000) === 0o120000;
}

/** Each entry's host and external attributes, from the central directory (not ZIP64: those get defaults). */
function centralDirectory(bytes) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--) {
    if (view.getUint32(i, true) === 0x06054b50) { end = i; break; }
  }
  if (end < 0) return {};
  const count = view.getUint16(end + 10, true);
  let offset = view.getUint32(end + 16, true);
  const modes = {};
  for (let n = 0; n < count && offset + 46 <= bytes.length && view.getUint32(offset, true) === 0x02014b50; n++) {
    const nameLength = view.getUint16(offset + 28, true);
    const skip = nameLength + view.getUint16(offset + 30, true) + view.getUint16(offset + 32, true);
    const name = new TextDecoder().decode(bytes.subarray(offset + 46, offset + 46 + nameLength));
    modes[name] = { os: view.getUint8(offset + 5), attrs: view.getUint32(offset + 38, true) };
    offset += 46 + skip;
  }
  return modes;
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
