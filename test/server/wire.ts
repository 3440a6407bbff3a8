// Writes bytes to a response the way a real network might deliver them: whole, one byte at a time,
// or in random small pieces (inside UTF-8 characters and inside "data:"), with backpressure, and
// giving up as soon as the client has gone.
import type { ServerResponse } from 'node:http';
import { seeded } from '../support/random';

export type Pieces = 'bytes' | 'random';

export function isGone(res: ServerResponse): boolean {
  return res.destroyed || res.writableEnded || (res.socket?.destroyed ?? true);
}

/** Waits ms, or less if the client disconnects first. Returns false when the client is gone. */
export function pause(res: ServerResponse, ms: number): Promise<boolean> {
  if (isGone(res)) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onClose = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      res.off('close', onClose);
      resolve(!isGone(res));
    }, ms);
    res.once('close', onClose);
  });
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

// A small deterministic generator so a failing fragment test can be replayed exactly.

let writes = 0;

/** 1..7 bytes; the first piece of a write is 1..4 so it always ends inside a leading "data:". */
function awkwardSize(at: number, random: () => number): number {
  return 1 + Math.floor(random() * (at === 0 ? 4 : 7));
}

/** Ends a piece inside the first multi-byte UTF-8 character it would otherwise carry whole. */
function splitCharacter(bytes: Buffer, at: number, end: number, random: () => number): number {
  for (let i = at; i < Math.min(end, bytes.length); i++) {
    const lead = bytes[i];
    const length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
    if (length > 1 && i + length <= end) return i + 1 + Math.floor(random() * (length - 1));
  }
  return end;
}

/** Returns false when the client went away before everything was written. */
export async function writePieces(res: ServerResponse, bytes: Buffer, pieces?: Pieces): Promise<boolean> {
  if (isGone(res)) return false;
  if (!pieces) {
    if (!res.write(bytes)) await drained(res);
    return !isGone(res);
  }
  const random = seeded(++writes);
  let at = 0;
  while (at < bytes.length) {
    let end = at + (pieces === 'bytes' ? 1 : awkwardSize(at, random));
    if (pieces === 'random') end = splitCharacter(bytes, at, end, random);
    if (!res.write(bytes.subarray(at, end))) await drained(res);
    at = end;
    // A separate turn per piece so the reader sees the pieces apart rather than coalesced.
    await nextTurn();
    if (isGone(res)) return false;
  }
  return true;
}
