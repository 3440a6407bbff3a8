// Lists the files of a .vsix (a zip) from its central directory: [{ path, size, compressedSize }].
// Plain Node, so the package step and the tests need no unzip tool.
import { readFileSync } from 'node:fs';

export function listVsix(file) {
  const zip = readFileSync(file);
  // The end-of-central-directory record sits in the last 22 + 65535 bytes (after an optional comment).
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 65535); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${file} is not a zip file (no end of central directory)`);
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries = [];
  for (let n = 0; n < count; n++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`${file}: bad central directory entry ${n}`);
    const compressedSize = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const path = zip.toString('utf8', at + 46, at + 46 + nameLength);
    if (!path.endsWith('/')) entries.push({ path, size, compressedSize });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
