// Conversations live in the host, one JSON file each plus an index, under the extension's global
// storage. Every write goes to a temporary file that is then renamed over the old one, so a crash or
// a closed window leaves either the old or the new file, never half of one.
// No vscode import: unit-tested in plain Node against a temporary directory.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import type { Conversation, ConversationSummary } from './protocol';
import { CONVERSATION_ID } from './validate';

const INDEX_FILE = 'index.json';
const INDEX_VERSION = 1;

interface IndexFile {
  version: number;
  activeId?: string;
  conversations: ConversationSummary[];
}

export interface StoreLog {
  warn(message: string): void;
}

let tmpCounter = 0;
function tmpName(file: string): string {
  return `${file}.${process.pid}.${++tmpCounter}.tmp`;
}

/** Writes `data` to `file` atomically: temp file, flush to disk, rename. */
export async function writeAtomic(file: string, data: string): Promise<void> {
  const tmp = tmpName(file);
  const handle = await fsp.open(tmp, 'w');
  try {
    await handle.writeFile(data, 'utf8');
    await handle.datasync();
  } finally {
    await handle.close();
  }
  try {
    await fsp.rename(tmp, file);
  } catch (e) {
    await fsp.rm(tmp, { force: true });
    throw e;
  }
}

/** The same, blocking: for the last save when the extension is deactivated. */
export function writeAtomicSync(file: string, data: string): void {
  const tmp = tmpName(file);
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeFileSync(fd, data, 'utf8');
    fs.fdatasyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

export function newConversationId(): string {
  return `c-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

/** A title from the first question: its first line, shortened. */
export function titleFrom(text: string): string {
  const line = text.trim().split('\n')[0].replace(/\s+/g, ' ').trim();
  return line.length > 60 ? `${line.slice(0, 57)}…` : line || 'New conversation';
}

export class ConversationStore {
  private summaries: ConversationSummary[] = [];
  private activeId: string | undefined;
  private readonly loaded = new Map<string, Conversation>();
  /** Per file: the write in progress, so writes to one file land in order. */
  private readonly queues = new Map<string, Promise<void>>();
  /** Set by saveSync at deactivation: later asynchronous writes are dropped. */
  private closed = false;

  constructor(
    readonly dir: string,
    private readonly log: StoreLog = { warn: () => undefined },
  ) {}

  /** Reads the index (rebuilding it from the files if it is missing or damaged). */
  async load(): Promise<void> {
    await fsp.mkdir(this.dir, { recursive: true });
    let index: IndexFile | undefined;
    try {
      const parsed = JSON.parse(await fsp.readFile(this.file(INDEX_FILE), 'utf8')) as IndexFile;
      if (parsed.version === INDEX_VERSION && Array.isArray(parsed.conversations)) index = parsed;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') this.log.warn(`Conversation index unreadable, rebuilding it: ${String(e)}`);
    }
    // The files are the truth: another window sharing this storage may have written the index last.
    const onDisk = await this.scan(index?.conversations ?? []);
    this.summaries = onDisk;
    this.activeId = index?.activeId;
    if (!index || onDisk.length !== index.conversations.length) await this.saveIndex();
    await this.removeStaleTempFiles();
    this.sort();
  }

  list(): ConversationSummary[] {
    return this.summaries.map((s) => ({ ...s }));
  }

  get activeConversationId(): string | undefined {
    return this.activeId;
  }

  async setActive(id: string): Promise<void> {
    this.activeId = id;
    await this.saveIndex();
  }

  /** The conversation with this id, read from disk on first use. */
  async open(id: string): Promise<Conversation | undefined> {
    if (!CONVERSATION_ID.test(id)) return undefined;
    const cached = this.loaded.get(id);
    if (cached) return cached;
    if (!this.summaries.some((s) => s.id === id)) return undefined;
    try {
      const conversation = JSON.parse(await fsp.readFile(this.file(`${id}.json`), 'utf8')) as Conversation;
      if (conversation.id !== id || !Array.isArray(conversation.turns)) throw new Error('not a conversation');
      markInterrupted(conversation);
      this.loaded.set(id, conversation);
      return conversation;
    } catch (e) {
      this.log.warn(`Conversation ${id} could not be read: ${String(e)}`);
      return undefined;
    }
  }

  /** A new, empty conversation (saved, and made the active one). */
  async create(init: Partial<Pick<Conversation, 'title' | 'model' | 'cache'>> = {}): Promise<Conversation> {
    const now = Date.now();
    const conversation: Conversation = {
      id: newConversationId(),
      title: init.title ?? 'New conversation',
      createdAt: now,
      updatedAt: now,
      turns: [],
    };
    if (init.model) conversation.model = init.model;
    if (init.cache) conversation.cache = init.cache;
    this.loaded.set(conversation.id, conversation);
    this.activeId = conversation.id;
    await this.save(conversation);
    return conversation;
  }

  /** Saves the conversation's current state (call after every change). */
  async save(conversation: Conversation, touch = true): Promise<void> {
    if (touch) conversation.updatedAt = Date.now();
    this.loaded.set(conversation.id, conversation);
    const summary = { id: conversation.id, title: conversation.title, updatedAt: conversation.updatedAt };
    const i = this.summaries.findIndex((s) => s.id === conversation.id);
    const indexChanged = i < 0 || this.summaries[i].title !== summary.title || i !== 0;
    if (i < 0) this.summaries.push(summary);
    else this.summaries[i] = summary;
    this.sort();
    await Promise.all([
      this.enqueue(`${conversation.id}.json`, JSON.stringify(conversation)),
      indexChanged ? this.saveIndex() : Promise.resolve(),
    ]);
  }

  /** Blocking save, for deactivation (an async write might not finish before the host exits). */
  saveSync(conversation: Conversation): void {
    // Writes still queued hold older states: they must not land after this one.
    this.closed = true;
    const summary = { id: conversation.id, title: conversation.title, updatedAt: conversation.updatedAt };
    const i = this.summaries.findIndex((s) => s.id === conversation.id);
    if (i < 0) this.summaries.push(summary);
    else this.summaries[i] = summary;
    this.sort();
    writeAtomicSync(this.file(`${conversation.id}.json`), JSON.stringify(conversation));
    writeAtomicSync(this.file(INDEX_FILE), JSON.stringify(this.indexData()));
  }

  async rename(id: string, title: string): Promise<Conversation | undefined> {
    const conversation = await this.open(id);
    if (!conversation) return undefined;
    conversation.title = title;
    await this.save(conversation, false);
    return conversation;
  }

  async delete(id: string): Promise<void> {
    if (!CONVERSATION_ID.test(id)) return;
    this.summaries = this.summaries.filter((s) => s.id !== id);
    this.loaded.delete(id);
    if (this.activeId === id) this.activeId = this.summaries[0]?.id;
    await this.saveIndex();
    await this.enqueueTask(`${id}.json`, () => fsp.rm(this.file(`${id}.json`), { force: true }));
  }

  /** Waits for every write started so far. */
  async flush(): Promise<void> {
    await Promise.all([...this.queues.values()]);
  }

  private file(name: string): string {
    return path.join(this.dir, name);
  }

  private sort(): void {
    this.summaries.sort((a, b) => b.updatedAt - a.updatedAt);
  }

  private indexData(): IndexFile {
    const data: IndexFile = { version: INDEX_VERSION, conversations: this.summaries };
    if (this.activeId) data.activeId = this.activeId;
    return data;
  }

  private saveIndex(): Promise<void> {
    return this.enqueue(INDEX_FILE, JSON.stringify(this.indexData()));
  }

  private enqueue(name: string, data: string): Promise<void> {
    return this.enqueueTask(name, () => writeAtomic(this.file(name), data));
  }

  private enqueueTask(name: string, task: () => Promise<void>): Promise<void> {
    const previous = this.queues.get(name) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => (this.closed ? undefined : task()));
    this.queues.set(name, next);
    void next.finally(() => {
      if (this.queues.get(name) === next) this.queues.delete(name);
    }).catch(() => undefined);
    return next;
  }

  /** Summaries of the conversation files present, reading only files the index does not know. */
  private async scan(known: ConversationSummary[]): Promise<ConversationSummary[]> {
    const byId = new Map(known.filter((s) => CONVERSATION_ID.test(s.id)).map((s) => [s.id, s]));
    const out: ConversationSummary[] = [];
    for (const name of await fsp.readdir(this.dir)) {
      const id = name.replace(/\.json$/, '');
      if (name === INDEX_FILE || !name.endsWith('.json') || !CONVERSATION_ID.test(id)) continue;
      const summary = byId.get(id);
      if (summary) {
        out.push(summary);
        continue;
      }
      try {
        const c = JSON.parse(await fsp.readFile(this.file(name), 'utf8')) as Conversation;
        if (c.id === id) out.push({ id, title: c.title, updatedAt: c.updatedAt });
      } catch {
        this.log.warn(`Skipping unreadable conversation file ${name}`);
      }
    }
    return out;
  }

  /** Temp files left by a crash; recent ones may belong to another window writing right now. */
  private async removeStaleTempFiles(): Promise<void> {
    for (const name of await fsp.readdir(this.dir)) {
      if (!name.endsWith('.tmp')) continue;
      const stat = await fsp.stat(this.file(name)).catch(() => undefined);
      if (stat && Date.now() - stat.mtimeMs > 60_000) await fsp.rm(this.file(name), { force: true }).catch(() => undefined);
    }
  }
}

/** An answer still "streaming" on disk was cut off by a reload or a closed window: it stopped there. */
function markInterrupted(conversation: Conversation): void {
  for (const turn of conversation.turns) if (turn.status === 'streaming') turn.status = 'stopped';
}
