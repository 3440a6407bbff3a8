// The conversation index (index.json): the list shown in the panel, the last active conversation and
// the tombstones of deleted conversations. Windows sharing the folder merge it on every write, so a
// conversation deleted in one window is not brought back by another.
// No vscode import: unit-tested in plain Node.
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import type { ConversationSummary } from './protocol';
import { CONVERSATION_ID } from './validate';

export const INDEX_FILE = 'index.json';
export const INDEX_VERSION = 1;
/** Tombstones older than this are forgotten (a window closed for that long reloads from the files). */
const TOMBSTONE_DAYS = 90;

export interface IndexFile {
  version: number;
  activeId?: string;
  conversations: ConversationSummary[];
  /** Deleted conversation id → when. */
  deleted?: Record<string, number>;
}

/** Parses index text; undefined when it is not an index of this version. */
export function parseIndex(text: string): IndexFile | undefined {
  const parsed = JSON.parse(text) as IndexFile;
  if (parsed?.version !== INDEX_VERSION || !Array.isArray(parsed.conversations)) return undefined;
  parsed.conversations = parsed.conversations.filter((s) => s && typeof s.id === 'string' && CONVERSATION_ID.test(s.id));
  if (typeof parsed.deleted !== 'object' || parsed.deleted === null) delete parsed.deleted;
  return parsed;
}

/** Reads a file and the fingerprint of exactly the version read (the handle keeps its inode). */
export async function readWithFingerprint(file: string): Promise<{ bytes: Buffer; fingerprint: string } | undefined> {
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(file, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    const s = await handle.stat({ bigint: true });
    return { bytes: await handle.readFile(), fingerprint: `${s.ino}:${s.size}:${s.mtimeNs}` };
  } finally {
    await handle.close();
  }
}

export function readWithFingerprintSync(file: string): { text: string; fingerprint: string } | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const s = fs.fstatSync(fd, { bigint: true });
    return { text: fs.readFileSync(fd, 'utf8'), fingerprint: `${s.ino}:${s.size}:${s.mtimeNs}` };
  } finally {
    fs.closeSync(fd);
  }
}

export interface IndexState {
  summaries: ConversationSummary[];
  deleted: Map<string, number>;
  /** JSON of each summary in the index as last written or read. */
  base: Map<string, string>;
  fingerprint: string;
}

/**
 * Merges the index another window wrote into `state`: tombstones add up; a summary this window
 * changed since the last sync wins, any other comes from the file. Returns the ids newly deleted.
 */
export function mergeIndex(state: IndexState, disk: IndexFile, fingerprint: string): string[] {
  const newlyDeleted: string[] = [];
  for (const [id, at] of Object.entries(disk.deleted ?? {})) {
    if (typeof at !== 'number' || state.deleted.has(id)) continue;
    state.deleted.set(id, at);
    newlyDeleted.push(id);
  }
  const cutoff = Date.now() - TOMBSTONE_DAYS * 86_400_000;
  for (const [id, at] of state.deleted) if (at < cutoff) state.deleted.delete(id);
  const mine = new Map(state.summaries.map((s) => [s.id, s]));
  const theirs = new Map(disk.conversations.map((s) => [s.id, s]));
  const merged: ConversationSummary[] = [];
  for (const id of new Set([...mine.keys(), ...theirs.keys()])) {
    if (state.deleted.has(id)) continue;
    const m = mine.get(id);
    const t = theirs.get(id);
    const changedHere = m !== undefined && JSON.stringify(m) !== state.base.get(id);
    const pick = changedHere ? m : (t ?? m);
    if (pick) merged.push(pick);
  }
  state.summaries = merged;
  state.base = new Map(disk.conversations.map((s) => [s.id, JSON.stringify(s)]));
  state.fingerprint = fingerprint;
  return newlyDeleted;
}

export function indexData(state: IndexState, activeId: string | undefined): IndexFile {
  const data: IndexFile = { version: INDEX_VERSION, conversations: state.summaries };
  if (activeId) data.activeId = activeId;
  if (state.deleted.size) data.deleted = Object.fromEntries(state.deleted);
  return data;
}
