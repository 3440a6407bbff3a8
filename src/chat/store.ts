// Conversations live in the host, one JSON file each plus an index, under the extension's global
// storage, which every VS Code window of the user shares. Each save merges with what another window
// wrote (store-merge.ts, store-index.ts); refresh() takes in another window's changes. Writes are
// atomic (temp file, rename) and serialize a large conversation in pieces (store-io.ts).
// No vscode import: unit-tested in plain Node against a temporary directory.
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import type { Conversation, ConversationSummary } from './protocol';
import { INDEX_FILE, indexData, mergeIndex, parseIndex, readWithFingerprint, readWithFingerprintSync, type IndexState } from './store-index';
import {
  checkConversation, markInterrupted, newConversationId, parseConversation, removeStaleTempFiles, scanFolder, summaryOf, WriteQueue,
  type StoreChange, type StoreListener, type StoreLog,
} from './store-files';
import { conversationPieces, fingerprint, fingerprintSync, writeAtomic, writeAtomicSync } from './store-io';
import { adoptRead, markWritten, mergeFromDisk, newSyncState, noteLocalRemovals, toStored, type StoredConversation, type SyncState } from './store-merge';
import { CONVERSATION_ID } from './validate';

export { writeAtomic } from './store-io';
export { newConversationId, titleFrom, type StoreChange, type StoreListener, type StoreLog, type UnreadableConversation } from './store-files';

export class ConversationStore {
  private index: IndexState = { summaries: [], deleted: new Map(), base: new Map(), fingerprint: '' };
  private activeId: string | undefined;
  private readonly loaded = new Map<string, Conversation>();
  private readonly sync = new Map<string, SyncState>();
  /** Unreadable files already reported, by id → fingerprint. */
  private readonly reported = new Map<string, string>();
  private readonly failing = new Set<string>();
  private readonly writes = new WriteQueue();
  private refreshing: Promise<void> | undefined;
  private refreshAgain = false;
  listener: StoreListener = {};

  constructor(
    readonly dir: string,
    private readonly log: StoreLog = { warn: () => undefined },
  ) {}

  /** Reads the index and finds conversation files it does not know (written by another window). */
  async load(): Promise<void> {
    await fsp.mkdir(this.dir, { recursive: true });
    const disk = await this.readIndex();
    if (disk) {
      mergeIndex(this.index, disk.index, disk.fingerprint);
      this.activeId = disk.index.activeId;
    }
    const listed = this.index.summaries.length;
    await this.scan();
    if (!disk || this.index.summaries.length !== listed) await this.saveIndex();
    await removeStaleTempFiles(this.dir);
    this.sort();
  }

  list(): ConversationSummary[] {
    return this.index.summaries.map((s) => ({ ...s }));
  }

  get activeConversationId(): string | undefined {
    return this.activeId;
  }

  fileOf(id: string): string {
    return this.file(`${id}.json`);
  }

  async setActive(id: string): Promise<void> {
    this.activeId = id;
    await this.saveIndex();
  }

  /** The conversation with this id, read from disk on first use; an unreadable file is reported. */
  async open(id: string): Promise<Conversation | undefined> {
    if (!CONVERSATION_ID.test(id)) return undefined;
    const cached = this.loaded.get(id);
    if (cached) return cached;
    if (!this.index.summaries.some((s) => s.id === id)) return undefined;
    let read;
    try {
      read = await readWithFingerprint(this.fileOf(id));
      if (!read) return undefined;
      const stored = await parseConversation(read.bytes, id);
      const state = newSyncState();
      adoptRead(state, stored, read.fingerprint);
      delete stored.removedTurns;
      markInterrupted(stored);
      this.sync.set(id, state);
      this.loaded.set(id, stored);
      return stored;
    } catch (e) {
      this.reportUnreadable(id, read?.fingerprint ?? '', e, true);
      return undefined;
    }
  }

  /** A new, empty conversation (saved, and made the active one). */
  async create(init: Partial<Pick<Conversation, 'title' | 'model' | 'cache'>> = {}): Promise<Conversation> {
    const now = Date.now();
    const conversation: Conversation = { id: newConversationId(), title: init.title ?? 'New conversation', createdAt: now, updatedAt: now, turns: [] };
    if (init.model) conversation.model = init.model;
    if (init.cache) conversation.cache = init.cache;
    this.loaded.set(conversation.id, conversation);
    this.activeId = conversation.id;
    await this.save(conversation);
    return conversation;
  }

  /** Saves the conversation's current state (call after every change), merged with the file's. */
  async save(conversation: Conversation, touch = true): Promise<void> {
    if (touch) conversation.updatedAt = Date.now();
    if (this.index.deleted.has(conversation.id)) return;
    this.loaded.set(conversation.id, conversation);
    const indexChanged = this.updateSummary(conversation);
    await Promise.all([
      this.writes.run(`${conversation.id}.json`, () => this.writeConversation(conversation), true),
      indexChanged ? this.saveIndex() : Promise.resolve(),
    ]);
  }

  /** Blocking save, for deactivation (an async write might not finish before the host exits). */
  saveSync(conversation: Conversation): void {
    // Writes still queued hold older states: they must not land after this one.
    this.writes.closed = true;
    const id = conversation.id;
    const file = this.fileOf(id);
    const state = this.sync.get(id) ?? newSyncState();
    this.sync.set(id, state);
    const indexRead = readWithFingerprintSync(this.file(INDEX_FILE));
    try {
      const disk = indexRead && parseIndex(indexRead.text);
      if (disk && indexRead.fingerprint !== this.index.fingerprint) mergeIndex(this.index, disk, indexRead.fingerprint);
    } catch {
      // A damaged index is rewritten below.
    }
    if (this.index.deleted.has(id)) return;
    if (fingerprintSync(file) !== state.fingerprint) {
      const read = readWithFingerprintSync(file);
      try {
        if (read) mergeFromDisk(conversation, checkConversation(JSON.parse(read.text) as StoredConversation, id), state, read.fingerprint);
      } catch {
        // An unreadable file is replaced by the conversation on screen.
      }
    }
    noteLocalRemovals(conversation, state);
    this.updateSummary(conversation);
    const stored = toStored(conversation, state);
    writeAtomicSync(file, [...conversationPieces(stored)].join(''));
    markWritten(state, stored, fingerprintSync(file));
    writeAtomicSync(this.file(INDEX_FILE), JSON.stringify(indexData(this.index, this.activeId)));
  }

  async rename(id: string, title: string): Promise<Conversation | undefined> {
    const conversation = await this.open(id);
    if (!conversation) return undefined;
    conversation.title = title;
    await this.save(conversation, false);
    return conversation;
  }

  /** Deletes a conversation everywhere: a tombstone in the index keeps other windows from saving it again. */
  async delete(id: string): Promise<void> {
    if (!CONVERSATION_ID.test(id)) return;
    this.index.deleted.set(id, Date.now());
    this.index.summaries = this.index.summaries.filter((s) => s.id !== id);
    this.loaded.delete(id);
    this.sync.delete(id);
    this.reported.delete(id);
    if (this.activeId === id) this.activeId = this.index.summaries[0]?.id;
    await this.saveIndex();
    await this.writes.run(`${id}.json`, () => fsp.rm(this.fileOf(id), { force: true }));
  }

  /** Waits for every write started so far. */
  async flush(): Promise<void> {
    await this.writes.flush();
  }

  /** Takes in what other windows changed: the list, loaded conversations, deletions. */
  refresh(): Promise<void> {
    if (this.refreshing) {
      this.refreshAgain = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      do {
        this.refreshAgain = false;
        const change = await this.refreshOnce().catch((e) => {
          this.log.warn(`Could not take in other windows' conversation changes: ${String(e)}`);
          return undefined;
        });
        if (change && (change.list || change.conversations.length || change.deleted.length)) this.listener.changed?.(change);
      } while (this.refreshAgain);
    })().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async refreshOnce(): Promise<StoreChange> {
    const change: StoreChange = { list: false, conversations: [], deleted: [] };
    const before = JSON.stringify(this.index.summaries);
    if ((await fingerprint(this.file(INDEX_FILE))) !== this.index.fingerprint) {
      const disk = await this.readIndex();
      if (disk) change.deleted.push(...this.takeIndex(disk.index, disk.fingerprint));
    }
    await this.scan();
    for (const [id, conversation] of this.loaded) {
      const name = `${id}.json`;
      if (this.writes.busy(name)) continue; // the save under way merges
      const state = this.sync.get(id);
      const now = await fingerprint(this.fileOf(id));
      if (!state || now === '' || now === state.fingerprint) continue;
      const read = await readWithFingerprint(this.fileOf(id));
      if (!read) continue;
      let disk: StoredConversation;
      try {
        disk = await parseConversation(read.bytes, id);
      } catch (e) {
        this.reportUnreadable(id, read.fingerprint, e);
        continue;
      }
      if (this.writes.busy(name)) continue;
      const ahead = mergeFromDisk(conversation, disk, state, read.fingerprint);
      this.updateSummary(conversation);
      change.conversations.push(id);
      if (ahead) void this.save(conversation, false).catch(() => undefined);
    }
    this.sort();
    change.list = JSON.stringify(this.index.summaries) !== before;
    return change;
  }

  /** Merges the index another window wrote; returns the loaded conversations it deleted. */
  private takeIndex(disk: Parameters<typeof mergeIndex>[1], fp: string): string[] {
    const deleted = mergeIndex(this.index, disk, fp).filter((id) => this.loaded.has(id));
    for (const id of deleted) {
      this.loaded.delete(id);
      this.sync.delete(id);
    }
    if (this.activeId && this.index.deleted.has(this.activeId)) this.activeId = this.index.summaries[0]?.id;
    return deleted;
  }

  private file(name: string): string {
    return path.join(this.dir, name);
  }

  private sort(): void {
    this.index.summaries.sort((a, b) => b.updatedAt - a.updatedAt);
  }

  /** Puts the conversation's summary in the list; true when the index file should be written. */
  private updateSummary(conversation: Conversation): boolean {
    const summary = summaryOf(conversation);
    const list = this.index.summaries;
    const i = list.findIndex((s) => s.id === conversation.id);
    const changed = i < 0 || list[i].title !== summary.title || i !== 0;
    if (i < 0) list.push(summary);
    else list[i] = summary;
    this.sort();
    return changed;
  }

  private async writeConversation(conversation: Conversation): Promise<void> {
    const id = conversation.id;
    const file = this.fileOf(id);
    const state = this.sync.get(id) ?? newSyncState();
    this.sync.set(id, state);
    try {
      const indexFp = await fingerprint(this.file(INDEX_FILE));
      if (indexFp !== this.index.fingerprint) {
        const disk = await this.readIndex();
        if (disk) {
          const deleted = this.takeIndex(disk.index, disk.fingerprint);
          if (deleted.length) this.listener.changed?.({ list: true, conversations: [], deleted });
        }
      }
      if (this.index.deleted.has(id)) return;
      if ((await fingerprint(file)) !== state.fingerprint) {
        const read = await readWithFingerprint(file);
        let disk: StoredConversation | undefined;
        try {
          disk = read && (await parseConversation(read.bytes, id));
        } catch (e) {
          this.log.warn(`Conversation file ${id}.json was unreadable; writing the conversation shown over it: ${String(e)}`);
        }
        // Synchronous from here to the snapshot: the merge sees every change the controller made.
        if (read && disk) {
          mergeFromDisk(conversation, disk, state, read.fingerprint);
          this.updateSummary(conversation);
          this.listener.changed?.({ list: false, conversations: [id], deleted: [] });
        }
      }
      noteLocalRemovals(conversation, state);
      const stored = toStored(conversation, state);
      await writeAtomic(file, conversationPieces(stored));
      markWritten(state, stored, await fingerprint(file));
      this.failing.delete(id);
    } catch (e) {
      this.log.warn(`Could not save conversation ${id}: ${String(e)}`);
      if (!this.failing.has(id)) {
        this.failing.add(id);
        this.listener.saveFailed?.(conversation, e);
      }
      throw e;
    }
  }

  private saveIndex(): Promise<void> {
    return this.writes.run(INDEX_FILE, async () => {
      const file = this.file(INDEX_FILE);
      if ((await fingerprint(file)) !== this.index.fingerprint) {
        const disk = await this.readIndex();
        if (disk) {
          const deleted = this.takeIndex(disk.index, disk.fingerprint);
          if (deleted.length) this.listener.changed?.({ list: true, conversations: [], deleted });
        }
      }
      this.sort();
      const data = indexData(this.index, this.activeId);
      await writeAtomic(file, JSON.stringify(data));
      this.index.fingerprint = await fingerprint(file);
      this.index.base = new Map(data.conversations.map((s) => [s.id, JSON.stringify(s)]));
    }, true);
  }

  private async readIndex(): Promise<{ index: Parameters<typeof mergeIndex>[1]; fingerprint: string } | undefined> {
    try {
      const read = await readWithFingerprint(this.file(INDEX_FILE));
      const index = read && parseIndex(read.bytes.toString('utf8'));
      if (read && !index) this.log.warn('Conversation index of another version or damaged: rebuilding it from the files.');
      return read && index ? { index, fingerprint: read.fingerprint } : undefined;
    } catch (e) {
      this.log.warn(`Conversation index unreadable, rebuilding it: ${String(e)}`);
      return undefined;
    }
  }

  private scan(): Promise<void> {
    const keep = (id: string) => this.loaded.has(id) || this.writes.busy(`${id}.json`);
    return scanFolder(this.dir, this.index, keep, this.reported, (id, fp, e) => this.reportUnreadable(id, fp, e));
  }

  private reportUnreadable(id: string, fp: string, error: unknown, always = false): void {
    const message = error instanceof Error ? error.message : String(error);
    this.log.warn(`Conversation ${id} could not be read: ${message}`);
    if (!always && this.reported.get(id) === fp) return;
    this.reported.set(id, fp);
    this.listener.unreadable?.({ id, file: this.fileOf(id), error: message });
  }
}
