// The conversation store's vocabulary and its work on the folder: what it reports, how a file is
// checked, the per-file write queue, and the scan for files the list does not have.
// No vscode import: unit-tested in plain Node.
import { randomBytes } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import type { Conversation, ConversationSummary } from './protocol';
import { INDEX_FILE, readWithFingerprint, type IndexState } from './store-index';
import { fingerprint, parseConversationBytes } from './store-io';
import type { StoredConversation } from './store-merge';
import { CONVERSATION_ID, readCacheRef } from './validate';

export interface StoreLog {
  warn(message: string): void;
}

/** A conversation file that exists but could not be read (truncated, corrupt, unreadable). */
export interface UnreadableConversation {
  id: string;
  file: string;
  error: string;
}

/** What another window changed, found by refresh() or while merging a save. */
export interface StoreChange {
  list: boolean;
  /** Loaded conversations that now hold another window's changes. */
  conversations: string[];
  /** Loaded conversations another window deleted (no longer saved here). */
  deleted: string[];
}

export interface StoreListener {
  changed?(change: StoreChange): void;
  unreadable?(file: UnreadableConversation): void;
  /** The first failure of a run of failing saves of this conversation (it stays in memory). */
  saveFailed?(conversation: Conversation, error: unknown): void;
}

export function newConversationId(): string {
  return `c-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

/** A title from the first question: its first line, shortened. */
export function titleFrom(text: string): string {
  const line = text.trim().split('\n')[0].replace(/\s+/g, ' ').trim();
  return line.length > 60 ? `${line.slice(0, 57)}…` : line || 'New conversation';
}

export function summaryOf(c: Conversation): ConversationSummary {
  return { id: c.id, title: c.title, updatedAt: c.updatedAt };
}

export function checkConversation(c: StoredConversation, id: string): StoredConversation {
  if (!c || c.id !== id || !Array.isArray(c.turns)) throw new Error('not a conversation file');
  if (c.cache !== undefined) {
    // Files from older versions say {kind, id}. A reference that cannot be read is dropped, the turns kept.
    const cache = readCacheRef(c.cache);
    if (cache) c.cache = cache;
    else delete c.cache;
  }
  return c;
}

export async function parseConversation(bytes: Buffer, id: string): Promise<StoredConversation> {
  return checkConversation((await parseConversationBytes(bytes)) as StoredConversation, id);
}


/** An answer still "streaming" on disk was cut off by a reload or a closed window: it stopped there. */
export function markInterrupted(conversation: Conversation): void {
  for (const turn of conversation.turns) if (turn.status === 'streaming') turn.status = 'stopped';
}

/** Writes per file, in order. A save queued but not started yet is joined by later saves. */
export class WriteQueue {
  private readonly queues = new Map<string, Promise<void>>();
  private readonly waiting = new Map<string, Promise<void>>();
  /** Set at deactivation, after the blocking last save: later writes would hold older states. */
  closed = false;

  busy(name: string): boolean {
    return this.queues.has(name);
  }

  /** Runs `task` after the work queued for `name`; a `join`able save writes the state of when it runs. */
  run(name: string, task: () => Promise<void>, join = false): Promise<void> {
    const joined = join ? this.waiting.get(name) : undefined;
    if (joined) return joined;
    if (!join) this.waiting.delete(name);
    const previous = this.queues.get(name) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => {
      if (this.waiting.get(name) === next) this.waiting.delete(name);
      return this.closed ? undefined : task();
    });
    this.queues.set(name, next);
    if (join) this.waiting.set(name, next);
    void next.finally(() => {
      if (this.queues.get(name) === next) this.queues.delete(name);
    }).catch(() => undefined);
    return next;
  }

  /** Waits for every write started so far. */
  async flush(): Promise<void> {
    await Promise.all([...this.queues.values()].map((p) => p.catch(() => undefined)));
  }
}

/**
 * Adds summaries of conversation files the list does not have (another window's, or an index lost)
 * and drops those whose files are gone (unless `keep` says the window still has it). A file that
 * cannot be read is listed and reported; a file of a deleted conversation is removed.
 */
export async function scanFolder(
  dir: string,
  index: IndexState,
  keep: (id: string) => boolean,
  /** Files reported unreadable (id → fingerprint): read again once they change. */
  reported: Map<string, string>,
  unreadable: (id: string, fingerprint: string, e: unknown) => void,
): Promise<void> {
  const present = new Set<string>();
  for (const name of await fsp.readdir(dir)) {
    const id = name.replace(/\.json$/, '');
    const file = path.join(dir, name);
    if (name === INDEX_FILE || !name.endsWith('.json') || !CONVERSATION_ID.test(id)) continue;
    if (index.deleted.has(id)) {
      // Written by a window that had not yet seen the deletion.
      await fsp.rm(file, { force: true }).catch(() => undefined);
      continue;
    }
    present.add(id);
    const listed = index.summaries.findIndex((s) => s.id === id);
    if (listed >= 0 && (!reported.has(id) || (await fingerprint(file)) === reported.get(id))) continue;
    const read = await readWithFingerprint(file).catch(() => undefined);
    if (!read) continue;
    if (listed >= 0) index.summaries.splice(listed, 1);
    try {
      index.summaries.push(summaryOf(await parseConversation(read.bytes, id)));
      reported.delete(id);
    } catch (e) {
      const stat = await fsp.stat(file).catch(() => undefined);
      index.summaries.push({ id, title: `Could not be read: ${name}`, updatedAt: stat?.mtimeMs ?? 0 });
      unreadable(id, read.fingerprint, e);
    }
  }
  index.summaries = index.summaries.filter((s) => present.has(s.id) || keep(s.id));
}

/** Temp files left by a crash; recent ones may belong to another window writing right now. */
export async function removeStaleTempFiles(dir: string): Promise<void> {
  for (const name of await fsp.readdir(dir)) {
    if (!name.endsWith('.tmp')) continue;
    const file = path.join(dir, name);
    const stat = await fsp.stat(file).catch(() => undefined);
    if (stat && Date.now() - stat.mtimeMs > 60_000) await fsp.rm(file, { force: true }).catch(() => undefined);
  }
}
