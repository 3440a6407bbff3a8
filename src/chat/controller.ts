// The host side of the chat: owns the conversations, runs answers, and talks to the webview through
// the typed protocol. The webview only displays; every decision and every byte on disk is made here.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { ContextKeys, ViewCommands } from '../core/ids';
import { setContext } from '../core/command';
import { NoApiKeyError } from '../core/errors';
import type { KimiService } from '../core/service';
import type { ChatMessage } from '../kimi/types';
import { cacheRefName } from '../shared/conversation';
import { cacheGoneError, isCacheGone } from './cache-gone';
import { CodeActions } from './code-actions';
import { DraftTokens } from './draft-tokens';
import type { CacheRef, Conversation, HostMessage, ModelInfo, Turn, WebviewMessage } from './protocol';
import { dispatch } from './dispatch';
import { ChatModels, isModelNotFound, unavailableMessage } from './models';
import { streamAnswer } from './answer';
import { type ChatRun, toApiMessages } from '../shared/answer-run';
import { DeltaBatcher } from './batcher';
import { ConversationStore, titleFrom } from './store';
import { describeRejected, parseWebviewMessage } from './validate';

/** Where the answer goes: the webview (when open) gets every message; tests may listen too. */
export interface ChatViewPort {
  post(message: HostMessage): void;
}

/** Explicit context caches work only with this family; the largest window is the safe choice. */
const CACHE_CHAT_MODEL = 'moonshot-v1-128k';
const SAVE_WHILE_STREAMING_MS = 1000;
const DEFAULT_TITLE = 'New conversation';

interface ActiveRun {
  conversation: Conversation;
  turn: Turn;
  stopRequested: boolean;
  run?: ChatRun;
  batcher?: DeltaBatcher;
  reasoning?: DeltaBatcher;
  finished: Promise<Turn>;
}

export interface TurnEndEvent {
  conversationId: string;
  turn: Turn;
}

function turnId(): string {
  return `t-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

export class ChatController implements vscode.Disposable {
  private active!: Conversation;
  private views = new Set<ChatViewPort>();
  private current: ActiveRun | undefined;
  private readonly models: ChatModels;
  private hasKey = false;
  private draftSaveTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly turnEnded = new vscode.EventEmitter<TurnEndEvent>();
  private readonly received = new vscode.EventEmitter<WebviewMessage>();
  private readonly posted = new vscode.EventEmitter<HostMessage>();
  /** Fires after every finished answer (done, stopped or failed). */
  readonly onDidEndTurn = this.turnEnded.event;
  /** Fires for every valid message from a webview (tests wait for 'ready' with it). */
  readonly onDidReceiveMessage = this.received.event;
  /** Fires for every message the host sends to the webview. */
  readonly onDidPostMessage = this.posted.event;
  readonly code: CodeActions;
  private readonly draftTokens: DraftTokens;

  constructor(
    private readonly kimi: KimiService,
    readonly store: ConversationStore,
  ) {
    this.code = new CodeActions(kimi.log);
    this.models = new ChatModels(kimi);
    this.draftTokens = new DraftTokens(kimi, (count, contextLength, estimated) => {
      const m: HostMessage = { type: 'draftTokens', count };
      if (contextLength !== undefined) m.contextLength = contextLength;
      if (estimated !== undefined) m.estimated = estimated;
      this.post(m);
    });
    this.disposables.push(
      this.turnEnded,
      this.received,
      this.posted,
      this.code,
      this.draftTokens,
      kimi.onDidChange(() => void this.postState()),
      // Only another key or endpoint changes the model list: no request for other settings.
      kimi.onDidChangeAccount(() => this.views.size > 0 && void this.refreshModels()),
      kimi.onDidChangeModel(() => this.postModels()),
    );
  }

  private loading: Promise<void> | undefined;

  /** Loads the conversations and opens the last active one (or a new one); once, on first use. */
  ready(): Promise<void> {
    this.loading ??= (async () => {
      await this.store.load();
      this.hasKey = await this.kimi.hasApiKey();
      const id = this.store.activeConversationId ?? this.store.list()[0]?.id;
      this.active = (id && (await this.store.open(id))) || (await this.store.create({ title: DEFAULT_TITLE }));
    })();
    return this.loading;
  }

  /** The conversation shown in the panel (after `ready()`). */
  get conversation(): Conversation {
    return this.active;
  }

  get streaming(): boolean {
    return this.current !== undefined;
  }

  // ---- the view ----

  attachView(view: ChatViewPort): vscode.Disposable {
    this.views.add(view);
    return new vscode.Disposable(() => this.views.delete(view));
  }

  /** Shows the chat panel. */
  async reveal(focusInput = false): Promise<void> {
    await vscode.commands.executeCommand(ViewCommands.focusChat);
    if (focusInput) this.post({ type: 'focusInput' });
  }

  private post(message: HostMessage): void {
    for (const v of this.views) v.post(message);
    this.posted.fire(message);
  }

  /** Sends the whole state to the view (what it shows after loading). */
  async postState(): Promise<void> {
    this.hasKey = await this.kimi.hasApiKey();
    this.postStateNow();
  }

  /** The whole state, synchronously (with the last known key state), e.g. right after turns were removed. */
  private postStateNow(): void {
    // Before the first use nothing has been shown, so there is nothing to update.
    if (!this.active) return;
    // The state carries the answer so far: send pending text first so none of it arrives twice.
    this.current?.reasoning?.flush();
    this.current?.batcher?.flush();
    this.post({
      type: 'state',
      conversations: this.store.list(),
      conversation: this.active,
      models: this.models.options,
      model: this.modelFor(this.active),
      modelInfo: this.modelInfo(),
      streaming: this.streaming,
      hasApiKey: this.hasKey,
    });
    // A restored (or switched-to) draft shows its count too; an unchanged one costs no request.
    this.draftTokens.update(this.modelFor(this.active), toApiMessages({}, this.active.turns), this.active.draft ?? '');
  }

  /** Fetches the live model list for the picker (when there is a key). */
  async refreshModels(): Promise<void> {
    if (!(await this.models.refresh()) || !this.active) return;
    const info = this.postModels();
    if (info?.unavailable) this.models.announceUnavailable(info.id);
  }

  private modelInfo(): ModelInfo {
    return this.models.info(this.modelFor(this.active), Boolean(this.active.cache && this.active.model));
  }

  private postModels(): ModelInfo | undefined {
    if (!this.active) return undefined;
    const modelInfo = this.modelInfo();
    this.post({ type: 'models', models: this.models.options, model: modelInfo.id, modelInfo });
    return modelInfo;
  }

  // ---- messages from the webview ----

  /** Validates and handles one message from the webview; anything invalid is logged and dropped. */
  async handleMessage(raw: unknown): Promise<void> {
    await this.ready();
    const m = parseWebviewMessage(raw);
    if (!m) {
      this.kimi.log.warn(`Ignored an invalid message from the chat view: ${describeRejected(raw)}`);
      return;
    }
    this.received.fire(m);
    try {
      await dispatch(this, m);
    } catch (e) {
      this.kimi.showError(e, vscode.l10n.t('Kimi chat'));
    }
  }

  // ---- asking ----

  /** Asks in the active conversation and shows the panel; resolves with the finished answer. */
  async ask(prompt: string, opts: { reveal?: boolean } = {}): Promise<Turn> {
    if (opts.reveal !== false) await this.reveal();
    return this.send(prompt);
  }

  /** Sends a question in the active conversation; resolves when the answer has ended. */
  async send(text: string): Promise<Turn> {
    await this.ready();
    // No await unless a run exists: the check and the start of the next run must not interleave.
    while (this.current) await this.stopAndWait();
    return this.sendNow(text);
  }

  /** Answers the last question again, replacing the last answer. */
  async regenerate(): Promise<Turn | undefined> {
    await this.ready();
    // No await unless a run exists: the check and the start of the next run must not interleave.
    while (this.current) await this.stopAndWait();
    const conversation = this.active;
    const last = conversation.turns.at(-1);
    if (last?.role === 'assistant') conversation.turns.pop();
    if (conversation.turns.at(-1)?.role !== 'user') return undefined;
    this.postStateNow();
    return this.answer(conversation);
  }

  /** Continues the last answer where the token limit cut it off, in place (partial mode). */
  async continueLast(): Promise<Turn | undefined> {
    await this.ready();
    // No await unless a run exists: the check and the start of the next run must not interleave.
    while (this.current) await this.stopAndWait();
    const last = this.active.turns.at(-1);
    if (last?.role !== 'assistant' || last.finishReason !== 'length') return undefined;
    return this.answer(this.active, undefined, last);
  }

  /** Offers (or stops offering) the built-in web search in the active conversation. */
  async setWebSearch(on: boolean): Promise<void> {
    await this.ready();
    if (on) this.active.webSearch = true;
    else delete this.active.webSearch;
    await this.store.save(this.active, false);
  }

  /** Replaces the last question (and its answer) with new text and asks again. */
  async editLast(text: string): Promise<Turn | undefined> {
    await this.ready();
    // No await unless a run exists: the check and the start of the next run must not interleave.
    while (this.current) await this.stopAndWait();
    const conversation = this.active;
    const index = conversation.turns.map((t) => t.role).lastIndexOf('user');
    if (index >= 0) {
      conversation.turns.splice(index);
      this.postStateNow();
    }
    return this.sendNow(text);
  }

  /**
   * Adds the question and starts the answer. Synchronous up to the start of the run, so two quick
   * sends cannot both start one (callers checked that no run exists, with no await since).
   */
  private sendNow(text: string): Promise<Turn> {
    const conversation = this.active;
    const user: Turn = { id: turnId(), role: 'user', content: text, createdAt: Date.now() };
    const first = !conversation.turns.some((t) => t.role === 'user') && conversation.title === DEFAULT_TITLE;
    if (first) conversation.title = titleFrom(text);
    conversation.turns.push(user);
    delete conversation.draft;
    this.draftTokens.cancel();
    const answered = this.answer(conversation, user);
    // The list of conversations shows the new title once the first answer is in.
    if (first) void answered.then(() => this.postState());
    return answered;
  }

  /** Stops the answer being streamed: the request is aborted, the partial answer kept. */
  stop(): void {
    if (!this.current) return;
    this.current.stopRequested = true;
    this.current.run?.stop();
  }

  private async stopAndWait(): Promise<void> {
    const running = this.current;
    if (!running) return;
    this.stop();
    await running.finished.catch(() => undefined);
  }

  /** Starts an answer to the last question, or (`resume`) continues an answer that was cut off. */
  private answer(conversation: Conversation, user?: Turn, resume?: Turn): Promise<Turn> {
    const model = this.modelFor(conversation);
    let turn: Turn;
    if (resume) {
      turn = resume;
      turn.status = 'streaming';
      turn.model = model;
      delete turn.finishReason;
      delete turn.error;
    } else {
      turn = { id: turnId(), role: 'assistant', content: '', createdAt: Date.now(), status: 'streaming', model };
      conversation.turns.push(turn);
    }
    const history = conversation.turns.slice(0, conversation.turns.indexOf(turn));
    const active: ActiveRun = { conversation, turn, stopRequested: false, finished: Promise.resolve(turn) };
    this.current = active;
    active.finished = this.stream(active, history, user, resume !== undefined);
    return active.finished;
  }

  private async stream(active: ActiveRun, history: Turn[], user: Turn | undefined, resumed: boolean): Promise<Turn> {
    const { conversation, turn } = active;
    const start: HostMessage = { type: 'turnStart', conversationId: conversation.id, assistant: turn };
    if (user) start.user = user;
    this.post(start);
    void this.setStreamingContext(true);
    const ids = { conversationId: conversation.id, turnId: turn.id };
    const batcher = new DeltaBatcher((text) => this.post({ type: 'delta', ...ids, text }));
    const reasoning = new DeltaBatcher((text) => this.post({ type: 'reasoning', ...ids, text }));
    active.batcher = batcher;
    active.reasoning = reasoning;
    // Save the turn before any network work, then keep saving the growing answer.
    const saved = this.store.save(conversation).catch((e) => this.kimi.log.error(`Could not save the conversation: ${String(e)}`));
    const saver = setInterval(() => void this.store.save(conversation, false).catch(() => undefined), SAVE_WHILE_STREAMING_MS);
    try {
      await saved;
      const client = await this.kimi.client();
      if (!client) throw new NoApiKeyError();
      if (active.stopRequested) {
        turn.status = 'stopped';
        return turn;
      }
      await streamAnswer({
        kimi: this.kimi,
        client,
        conversation,
        turn,
        history,
        resumed,
        post: (m) => this.post(m),
        batcher,
        reasoning,
        started: (run) => {
          active.run = run;
          if (active.stopRequested) run.stop();
        },
      });
      this.kimi.log.debug(`Chat answer ${turn.status}: ${turn.content.length} chars, finish ${String(turn.finishReason)}.`);
    } catch (e) {
      turn.status = 'error';
      if (isCacheGone(e, conversation.cache)) {
        turn.error = cacheGoneError(conversation.cache!);
      } else if (isModelNotFound(e)) {
        // Not a raw 404: say what happened and offer the picker, in the panel and as a notification.
        turn.error = { message: unavailableMessage(turn.model ?? ''), actions: ['selectModel'] };
        this.models.announceUnavailable(turn.model ?? '');
      } else {
        turn.error = this.kimi.describeError(e);
      }
      this.kimi.log.error(`Chat answer failed: ${this.kimi.describeError(e).message}`);
    } finally {
      clearInterval(saver);
      reasoning.flush();
      batcher.flush();
      if (this.current === active) this.current = undefined;
      await this.store.save(conversation).catch((e) => this.kimi.log.error(`Could not save the conversation: ${String(e)}`));
      this.post({ type: 'turnEnd', conversationId: conversation.id, turn });
      void this.setStreamingContext(this.streaming);
      this.turnEnded.fire({ conversationId: conversation.id, turn });
    }
    return turn;
  }

  private async setStreamingContext(on: boolean): Promise<void> {
    await setContext(ContextKeys.chatStreaming, on);
  }

  /** The model answers use (kimi.settings().model is already the recommended one when kimi.model is empty). */
  private modelFor(conversation: Conversation): string {
    return (conversation.cache && conversation.model) || this.kimi.settings().model;
  }

  /** The model picker: the setting, or the conversation's own model when it uses a cache. */
  async selectModel(model: string): Promise<void> {
    // The picker may report the model it already shows: writing it would still change settings.
    if (model === this.modelFor(this.active)) return;
    this.kimi.log.debug(`Chat model picker: ${model}.`);
    if (this.active.cache) {
      this.active.model = model;
      await this.store.save(this.active, false);
    } else {
      await this.kimi.setModel(model);
    }
    this.postModels();
  }

  // ---- drafts ----

  /** Keeps the unsent question (saved shortly after typing stops) and counts its tokens. */
  setDraft(text: string): void {
    const conversation = this.active;
    if (text) conversation.draft = text;
    else delete conversation.draft;
    if (this.draftSaveTimer) clearTimeout(this.draftSaveTimer);
    this.draftSaveTimer = setTimeout(() => void this.store.save(conversation, false).catch(() => undefined), 500);
    this.draftTokens.update(this.modelFor(conversation), toApiMessages({}, conversation.turns), text);
  }

  // ---- conversations ----

  async newConversation(init: { cache?: CacheRef; title?: string; model?: string } = {}): Promise<Conversation> {
    await this.ready();
    const reusable = this.active && this.active.turns.length === 0 && !this.active.cache && !init.cache;
    if (reusable) {
      await this.store.setActive(this.active.id);
    } else {
      this.active = await this.store.create({ title: init.title ?? DEFAULT_TITLE, ...(init.cache ? { cache: init.cache } : {}), ...(init.model ? { model: init.model } : {}) });
    }
    await this.postState();
    return this.active;
  }

  async switchTo(id: string): Promise<boolean> {
    await this.ready();
    const conversation = await this.store.open(id);
    if (!conversation) return false;
    this.active = conversation;
    await this.store.setActive(id);
    await this.postState();
    return true;
  }

  async rename(id: string, title: string): Promise<void> {
    await this.ready();
    await this.store.rename(id, title);
    await this.postState();
  }

  async delete(id: string): Promise<void> {
    await this.ready();
    if (this.current?.conversation.id === id) await this.stopAndWait();
    await this.store.delete(id);
    if (this.active.id === id) {
      const next = this.store.activeConversationId ?? this.store.list()[0]?.id;
      this.active = (next && (await this.store.open(next))) || (await this.store.create({ title: DEFAULT_TITLE }));
    }
    await this.postState();
  }

  /** Starts a conversation that uses a context cache (sent first as a `role: "cache"` message). */
  async chatWithCache(cache: CacheRef): Promise<Conversation> {
    await this.ready();
    // No await unless a run exists: the check and the start of the next run must not interleave.
    while (this.current) await this.stopAndWait();
    const configured = this.kimi.settings().model;
    const model = configured.startsWith('moonshot-v1') ? configured : CACHE_CHAT_MODEL;
    const conversation = await this.newConversation({ cache, model, title: vscode.l10n.t('Chat with {0}', cacheRefName(cache)) });
    await this.reveal(true);
    return conversation;
  }

  async detachCache(): Promise<void> {
    delete this.active.cache;
    delete this.active.model;
    await this.store.save(this.active, false);
    await this.postState();
  }

  /** The active conversation's questions and answers, as messages for a new context cache. */
  async messagesForCache(): Promise<ChatMessage[]> {
    await this.ready();
    // Without reasoning: caches are for the moonshot-v1 family, which never reasons.
    return toApiMessages({}, this.active.turns.filter((t) => t.role === 'user' || t.status === 'done' || t.status === 'stopped'));
  }

  dispose(): void {
    this.stop();
    if (this.draftSaveTimer) clearTimeout(this.draftSaveTimer);
    // The host may exit before an async write finishes: save what is on screen synchronously.
    try {
      if (this.current) this.current.turn.status = 'stopped';
      if (this.active) this.store.saveSync(this.active);
      if (this.current && this.current.conversation !== this.active) this.store.saveSync(this.current.conversation);
    } catch (e) {
      this.kimi.log.error(`Could not save the conversation on exit: ${String(e)}`);
    }
    for (const d of this.disposables) d.dispose();
  }
}
