// The chat's conversations: which one is open, creating, switching, renaming and deleting them,
// attaching and detaching a context cache, the draft and the model picker, and what the panel is
// told about them. Each change sends the panel only what it changes: a rename sends the list, a
// setting the models, and only opening a conversation sends its turns.
import * as vscode from 'vscode';
import { Disposable } from '../core/disposable';
import type { KimiService } from '../core/service';
import type { ChatMessage } from '../kimi/types';
import { toApiMessages } from '../shared/answer-run';
import { cacheRefName } from '../shared/conversation';
import type { DraftTokens } from './draft-tokens';
import type { ChatModels } from './models';
import type { CacheRef, Conversation, HostMessage, ModelInfo, Turn } from './protocol';
import type { RunSlot, StoppableRun } from './run-slot';
import type { ConversationStore, StoreChange } from './store';

/** Explicit context caches work only with this family; the largest window is the safe choice. */
const CACHE_CHAT_MODEL = 'moonshot-v1-128k';
export const DEFAULT_TITLE = 'New conversation';
const DRAFT_SAVE_MS = 500;

/** What the conversations need of the answer being streamed. */
export interface RunningAnswer extends StoppableRun {
  readonly conversation: Conversation;
  readonly turn: Turn;
  /** Sends the text still pending, so that a conversation sent now does not get it twice. */
  flush(): void;
}

/** Where the conversations' messages go (the controller's views). */
export interface ChatOutput {
  post(message: HostMessage): void;
  reveal(focusInput: boolean): Promise<void>;
}

export class ChatConversations extends Disposable {
  private current!: Conversation;
  private hasKey = false;
  private loading: Promise<void> | undefined;
  private draftSaveTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly kimi: KimiService,
    readonly store: ConversationStore,
    private readonly models: ChatModels,
    private readonly draftTokens: DraftTokens,
    private readonly runs: RunSlot<RunningAnswer>,
    private readonly out: ChatOutput,
  ) {
    super();
    this.register({ dispose: () => this.draftSaveTimer && clearTimeout(this.draftSaveTimer) });
  }

  /** Loads the conversations and opens the last active one (or a new one); once, on first use. */
  ready(): Promise<void> {
    this.loading ??= (async () => {
      await this.store.load();
      this.hasKey = await this.kimi.hasApiKey();
      const id = this.store.activeConversationId ?? this.store.list()[0]?.id;
      this.current = (id && (await this.store.open(id))) || (await this.store.create({ title: DEFAULT_TITLE }));
    })();
    return this.loading;
  }

  /** The conversation shown in the panel (undefined before `ready()`). */
  get active(): Conversation {
    return this.current;
  }

  /** The model answers use (kimi.settings().model is already the recommended one when kimi.model is empty). */
  modelFor(conversation: Conversation): string {
    return (conversation.cache && conversation.model) || this.kimi.settings().model;
  }

  // ---- what the panel is told ----

  /** Everything the panel shows (on its 'ready', and when another conversation opens). */
  async showAll(): Promise<void> {
    this.hasKey = await this.kimi.hasApiKey();
    // Before the first use nothing has been shown, so there is nothing to update.
    if (!this.current) return;
    this.out.post({ type: 'apiKey', present: this.hasKey });
    this.postList();
    this.postModels();
    this.postConversation();
  }

  /** The settings or the key changed: the key notice and the model line, no turn. */
  async settingsChanged(): Promise<void> {
    this.hasKey = await this.kimi.hasApiKey();
    if (!this.current) return;
    this.out.post({ type: 'apiKey', present: this.hasKey });
    this.postModels();
  }

  /** The conversation picker (titles) and the open conversation's cache chip. */
  postList(): void {
    if (!this.current) return;
    const c = this.current;
    const m: HostMessage = { type: 'conversations', conversations: this.store.list(), active: { id: c.id, title: c.title, updatedAt: c.updatedAt } };
    if (c.cache) m.cache = c.cache;
    this.out.post(m);
  }

  /** The open conversation with its turns (load, switch, or its turns were replaced). */
  postConversation(): void {
    if (!this.current) return;
    // It carries the answer so far: send pending text first so none of it arrives twice.
    this.runs.current?.flush();
    this.out.post({ type: 'conversation', conversation: this.current, streaming: this.runs.current !== undefined });
    // A restored (or switched-to) draft shows its count too; an unchanged one costs no request.
    this.draftTokens.update(this.modelFor(this.current), toApiMessages({}, this.current.turns), this.current.draft ?? '');
  }

  postModels(): ModelInfo | undefined {
    if (!this.current) return undefined;
    const modelInfo = this.models.info(this.modelFor(this.current), Boolean(this.current.cache && this.current.model));
    this.out.post({ type: 'models', models: this.models.options, model: modelInfo.id, modelInfo });
    return modelInfo;
  }

  /** Fetches the live model list for the picker (when there is a key). */
  async refreshModels(): Promise<void> {
    if (!(await this.models.refresh()) || !this.current) return;
    const info = this.postModels();
    if (info?.unavailable) this.models.announceUnavailable(info.id);
  }

  /** Another window changed the store: the list, and the open conversation only if it changed. */
  async otherWindowChanged(change: StoreChange): Promise<void> {
    if (!this.current) return;
    // Deleted in another window: leave it as a deletion here does (stop its answer, open the next).
    if (change.deleted.includes(this.current.id)) return this.delete(this.current.id);
    // The store merged the other window's turns into the open conversation object.
    if (change.conversations.includes(this.current.id)) this.postConversation();
    this.postList();
  }

  // ---- changing conversations ----

  async newConversation(init: { cache?: CacheRef; title?: string; model?: string } = {}): Promise<Conversation> {
    await this.ready();
    const reusable = this.current && this.current.turns.length === 0 && !this.current.cache && !init.cache;
    if (reusable) {
      await this.store.setActive(this.current.id);
    } else {
      this.current = await this.store.create({ title: init.title ?? DEFAULT_TITLE, ...(init.cache ? { cache: init.cache } : {}), ...(init.model ? { model: init.model } : {}) });
    }
    await this.showAll();
    return this.current;
  }

  async switchTo(id: string): Promise<boolean> {
    await this.ready();
    const conversation = await this.store.open(id);
    if (!conversation) return false;
    this.current = conversation;
    await this.store.setActive(id);
    await this.showAll();
    return true;
  }

  async rename(id: string, title: string): Promise<void> {
    await this.ready();
    await this.store.rename(id, title);
    this.postList();
  }

  async delete(id: string): Promise<void> {
    await this.ready();
    if (this.runs.current?.conversation.id === id) await this.runs.stopAndWait();
    await this.store.delete(id);
    if (this.current.id === id) {
      const next = this.store.activeConversationId ?? this.store.list()[0]?.id;
      this.current = (next && (await this.store.open(next))) || (await this.store.create({ title: DEFAULT_TITLE }));
      await this.showAll();
    } else {
      this.postList();
    }
  }

  /** Starts a conversation that uses a context cache (sent first as a `role: "cache"` message). */
  async chatWithCache(cache: CacheRef): Promise<Conversation> {
    await this.ready();
    const configured = this.kimi.settings().model;
    const model = configured.startsWith('moonshot-v1') ? configured : CACHE_CHAT_MODEL;
    const conversation = await this.runs.next(() => this.newConversation({ cache, model, title: vscode.l10n.t('Chat with {0}', cacheRefName(cache)) }));
    await this.out.reveal(true);
    return conversation;
  }

  async detachCache(): Promise<void> {
    await this.ready();
    delete this.current.cache;
    delete this.current.model;
    await this.store.save(this.current, false);
    this.postList();
    this.postModels();
  }

  /** The active conversation's questions and answers, as messages for a new context cache. */
  async messagesForCache(): Promise<ChatMessage[]> {
    await this.ready();
    // Without reasoning: caches are for the moonshot-v1 family, which never reasons.
    return toApiMessages({}, this.current.turns.filter((t) => t.role === 'user' || t.status === 'done' || t.status === 'stopped'));
  }

  // ---- settings of the open conversation ----

  /** Offers (or stops offering) the built-in web search in the active conversation. */
  async setWebSearch(on: boolean): Promise<void> {
    await this.ready();
    if (on) this.current.webSearch = true;
    else delete this.current.webSearch;
    await this.store.save(this.current, false);
  }

  /** The model picker: the setting, or the conversation's own model when it uses a cache. */
  async selectModel(model: string): Promise<void> {
    await this.ready();
    // The picker may report the model it already shows: writing it would still change settings.
    if (model === this.modelFor(this.current)) return;
    this.kimi.log.debug(`Chat model picker: ${model}.`);
    if (this.current.cache) {
      this.current.model = model;
      await this.store.save(this.current, false);
    } else {
      await this.kimi.setModel(model);
    }
    this.postModels();
  }

  /** Keeps the unsent question (saved shortly after typing stops) and counts its tokens. */
  setDraft(text: string): void {
    const conversation = this.current;
    if (text) conversation.draft = text;
    else delete conversation.draft;
    if (this.draftSaveTimer) clearTimeout(this.draftSaveTimer);
    this.draftSaveTimer = setTimeout(() => void this.store.save(conversation, false).catch(() => undefined), DRAFT_SAVE_MS);
    this.draftTokens.update(this.modelFor(conversation), toApiMessages({}, conversation.turns), text);
  }
}
