// The host side of the chat, as the view, the commands and the tests see it: the conversations
// (./conversations.ts) and the answers (./turns.ts) behind one object, the views it posts to, and the
// webview's messages validated and handed to one handler per type (./handlers.ts).
import * as vscode from 'vscode';
import { Disposable } from '../core/disposable';
import { ViewCommands } from '../core/ids';
import type { KimiService } from '../core/service';
import type { ChatMessage } from '../kimi/types';
import { CodeActions } from './code-actions';
import { ChatConversations, type RunningAnswer } from './conversations';
import { DraftTokens } from './draft-tokens';
import { handle, webviewHandlers, type WebviewHandlers } from './handlers';
import { ChatModels } from './models';
import type { CacheRef, CodeAction, Conversation, HostMessage, Turn, WebviewMessage } from './protocol';
import { RunSlot } from './run-slot';
import type { ConversationStore } from './store';
import { ChatTurns } from './turns';
import { describeRejected, parseWebviewMessage } from './validate';

export type { TurnEndEvent } from './turns';

/** Where the answer goes: the webview (when open) gets every message; tests may listen too. */
export interface ChatViewPort {
  post(message: HostMessage): void;
}

export class ChatController extends Disposable {
  private readonly views = new Set<ChatViewPort>();
  private readonly runs = new RunSlot<RunningAnswer>();
  private readonly received = this.register(new vscode.EventEmitter<WebviewMessage>());
  private readonly posted = this.register(new vscode.EventEmitter<HostMessage>());
  /** Fires for every valid message from a webview (tests wait for 'ready' with it). */
  readonly onDidReceiveMessage = this.received.event;
  /** Fires for every message the host sends to the webview. */
  readonly onDidPostMessage = this.posted.event;
  readonly code: CodeActions;
  readonly conversations: ChatConversations;
  readonly turns: ChatTurns;
  private readonly handlers: WebviewHandlers;

  constructor(
    private readonly kimi: KimiService,
    readonly store: ConversationStore,
  ) {
    super();
    const post = (m: HostMessage) => this.post(m);
    this.code = this.register(new CodeActions(kimi.log));
    const models = new ChatModels(kimi);
    const draftTokens = this.register(new DraftTokens(kimi, (count, contextLength, estimated) => {
      const m: HostMessage = { type: 'draftTokens', count };
      if (contextLength !== undefined) m.contextLength = contextLength;
      if (estimated !== undefined) m.estimated = estimated;
      post(m);
    }));
    this.conversations = this.register(new ChatConversations(kimi, store, models, draftTokens, this.runs, { post, reveal: (focus) => this.reveal(focus) }));
    this.turns = this.register(new ChatTurns(kimi, this.conversations, models, draftTokens, this.runs, post));
    this.handlers = webviewHandlers(this);
    this.register(kimi.onDidChange(() => void this.conversations.settingsChanged()));
    // Only another key or endpoint changes the model list: no request for other settings.
    this.register(kimi.onDidChangeAccount(() => this.views.size > 0 && void this.refreshModels()));
    this.register(kimi.onDidChangeModel(() => this.conversations.postModels()));
  }

  /** Fires after every finished answer (done, stopped or failed). */
  get onDidEndTurn(): vscode.Event<{ conversationId: string; turn: Turn }> {
    return this.turns.onDidEndTurn;
  }

  /** Loads the conversations and opens the last active one (or a new one); once, on first use. */
  ready(): Promise<void> {
    return this.conversations.ready();
  }

  /** The conversation shown in the panel (after `ready()`). */
  get conversation(): Conversation {
    return this.conversations.active;
  }

  get streaming(): boolean {
    return this.turns.streaming;
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

  /** Everything the panel shows (the list, the models, the open conversation). */
  showAll(): Promise<void> {
    return this.conversations.showAll();
  }

  refreshModels(): Promise<void> {
    return this.conversations.refreshModels();
  }

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
      await handle(this.handlers, m);
    } catch (e) {
      this.kimi.showError(e, vscode.l10n.t('Kimi chat'));
    }
  }

  // ---- answers (./turns.ts) ----

  /** Asks in the active conversation and shows the panel; resolves with the finished answer. */
  async ask(prompt: string, opts: { reveal?: boolean } = {}): Promise<Turn> {
    if (opts.reveal !== false) await this.reveal();
    return this.turns.send(prompt);
  }

  send(text: string): Promise<Turn> {
    return this.turns.send(text);
  }

  regenerate(): Promise<Turn | undefined> {
    return this.turns.regenerate();
  }

  continueLast(): Promise<Turn | undefined> {
    return this.turns.continueLast();
  }

  editLast(text: string): Promise<Turn | undefined> {
    return this.turns.editLast(text);
  }

  stop(): void {
    this.turns.stop();
  }

  // ---- conversations (./conversations.ts) ----

  newConversation(init: { cache?: CacheRef; title?: string; model?: string } = {}): Promise<Conversation> {
    return this.conversations.newConversation(init);
  }

  switchTo(id: string): Promise<boolean> {
    return this.conversations.switchTo(id);
  }

  rename(id: string, title: string): Promise<void> {
    return this.conversations.rename(id, title);
  }

  delete(id: string): Promise<void> {
    return this.conversations.delete(id);
  }

  chatWithCache(cache: CacheRef): Promise<Conversation> {
    return this.conversations.chatWithCache(cache);
  }

  detachCache(): Promise<void> {
    return this.conversations.detachCache();
  }

  messagesForCache(): Promise<ChatMessage[]> {
    return this.conversations.messagesForCache();
  }

  setWebSearch(on: boolean): Promise<void> {
    return this.conversations.setWebSearch(on);
  }

  selectModel(model: string): Promise<void> {
    return this.conversations.selectModel(model);
  }

  setDraft(text: string): void {
    this.conversations.setDraft(text);
  }

  async runCode(action: CodeAction, code: string): Promise<void> {
    await this.code.run(action, code);
  }

  override dispose(): void {
    const running = this.runs.current;
    this.stop();
    // The host may exit before an async write finishes: save what is on screen synchronously.
    try {
      if (running) running.turn.status = 'stopped';
      const active = this.conversations.active;
      if (active) this.store.saveSync(active);
      if (running && running.conversation !== active) this.store.saveSync(running.conversation);
    } catch (e) {
      this.kimi.log.error(`Could not save the conversation on exit: ${String(e)}`);
    }
    super.dispose();
  }
}
