// Files of the conversation store: atomic writes (temp file, flush, rename) that serialize a large
// conversation in pieces, yielding to the event loop between them, and a cheap fingerprint that tells
// whether a file changed since this window last wrote or read it (without reading it).
// No vscode import: unit-tested in plain Node.
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import { performance } from 'node:perf_hooks';

/** Longest piece of a string serialized at once: JSON.stringify of 20 MB would block for tens of ms. */
const STRING_PIECE = 64 * 1024;
/** Bytes gathered before one write (each write is an await: the event loop runs in between). */
const WRITE_BUFFER = 128 * 1024;

/**
 * JSON text of `value` in pieces, as JSON.stringify would write it. Long strings are cut into
 * slices, each escaped on its own: a surrogate pair cut in two becomes two \u escapes, which a JSON
 * parser joins back into the same character.
 */
export function* jsonPieces(value: unknown): Generator<string> {
  if (typeof value === 'string') {
    if (value.length <= STRING_PIECE) {
      yield JSON.stringify(value);
      return;
    }
    yield '"';
    for (let i = 0; i < value.length; i += STRING_PIECE) yield JSON.stringify(value.slice(i, i + STRING_PIECE)).slice(1, -1);
    yield '"';
    return;
  }
  if (value === null || typeof value !== 'object' || typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    yield JSON.stringify(value) ?? 'null';
    return;
  }
  if (Array.isArray(value)) {
    yield '[';
    for (let i = 0; i < value.length; i++) {
      if (i) yield ',';
      const item: unknown = value[i];
      if (item === undefined || typeof item === 'function' || typeof item === 'symbol') yield 'null';
      else yield* jsonPieces(item);
    }
    yield ']';
    return;
  }
  yield '{';
  let first = true;
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
    yield `${first ? '' : ','}${JSON.stringify(key)}:`;
    first = false;
    yield* jsonPieces(item);
  }
  yield '}';
}

let tmpCounter = 0;
function tmpName(file: string): string {
  return `${file}.${process.pid}.${++tmpCounter}.tmp`;
}

/** Writes `data` (text, or text in pieces) to `file` atomically: temp file, flush to disk, rename. */
export async function writeAtomic(file: string, data: string | Iterable<string>): Promise<void> {
  const tmp = tmpName(file);
  try {
    const handle = await fsp.open(tmp, 'w');
    try {
      if (typeof data === 'string') {
        await handle.writeFile(data, 'utf8');
      } else {
        let buffer = '';
        for (const piece of data) {
          buffer += piece;
          if (buffer.length >= WRITE_BUFFER) {
            await handle.write(buffer, null, 'utf8');
            buffer = '';
          }
        }
        if (buffer) await handle.write(buffer, null, 'utf8');
      }
      await handle.datasync();
    } finally {
      await handle.close();
    }
    await fsp.rename(tmp, file);
  } catch (e) {
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
}

/** The same, blocking: for the last save when the extension is deactivated. */
export function writeAtomicSync(file: string, data: string): void {
  const tmp = tmpName(file);
  try {
    const fd = fs.openSync(tmp, 'w');
    try {
      fs.writeFileSync(fd, data, 'utf8');
      fs.fdatasyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

/** Identity of a file's current content: every atomic write makes a new inode. '' when missing. */
export async function fingerprint(file: string): Promise<string> {
  try {
    const s = await fsp.stat(file, { bigint: true });
    return `${s.ino}:${s.size}:${s.mtimeNs}`;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw e;
  }
}

export function fingerprintSync(file: string): string {
  try {
    const s = fs.statSync(file, { bigint: true });
    return `${s.ino}:${s.size}:${s.mtimeNs}`;
  } catch {
    return '';
  }
}

/** Time spent parsing before giving the event loop a turn. */
const PARSE_SLICE_MS = 8;
const NEWLINE = 0x0a;
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * A conversation as written here: one line with the other fields ending in `"turns":[`, one line per
 * turn, then `]}`. Still one JSON document (older versions and people read it as such), but a
 * reader can parse it turn by turn. Raw newlines occur only between those lines: JSON escapes them.
 */
export function* conversationPieces(conversation: { turns: unknown[] }): Generator<string> {
  const { turns, ...rest } = conversation;
  const head = [...jsonPieces(rest)].join('');
  yield `${head.slice(0, -1)}${head.length > 2 ? ',' : ''}"turns":[\n`;
  for (let i = 0; i < turns.length; i++) {
    if (i) yield ',\n';
    yield* jsonPieces(turns[i]);
  }
  yield '\n]}';
}

/**
 * Parses a conversation file without blocking the event loop for long: line by line when it has the
 * layout above, as a whole otherwise (files of older versions).
 */
export async function parseConversationBytes(bytes: Buffer): Promise<unknown> {
  const first = bytes.indexOf(NEWLINE);
  const head = first < 0 ? '' : bytes.toString('utf8', 0, first);
  const tail = bytes.toString('utf8', bytes.lastIndexOf(NEWLINE) + 1).trim();
  if (!head.endsWith('"turns":[') || tail !== ']}') return JSON.parse(bytes.toString('utf8'));
  const conversation = JSON.parse(`${head}]}`) as { turns: unknown[] };
  let start = first + 1;
  let sliceStart = performance.now();
  for (;;) {
    const end = bytes.indexOf(NEWLINE, start);
    if (end < 0) break;
    let line = bytes.toString('utf8', start, end);
    start = end + 1;
    if (line.endsWith(',')) line = line.slice(0, -1);
    if (line) conversation.turns.push(JSON.parse(line));
    if (performance.now() - sliceStart > PARSE_SLICE_MS) {
      await yieldToLoop();
      sliceStart = performance.now();
    }
  }
  return conversation;
}
