// The chat's questions and answers in the open conversation: send, regenerate, continue, edit the
// last question, stop, and the streaming of one answer (posted to the panel in batches and saved
// while it grows). Every start goes through the one RunSlot, so at most one answer runs.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { setContext } from '../core/command';
import { Disposable } from '../core/disposable';
import { ContextKeys } from '../core/ids';
import type { KimiService } from '../core/service';
import type { ChatRun } from '../shared/answer-run';
import { streamAnswer } from './answer';
import { DeltaBatcher } from './batcher';
import { cacheGoneError, isCacheGone } from './cache-gone';
import { type ChatConversations, DEFAULT_TITLE, type RunningAnswer } from './conversations';
import type { DraftTokens } from './draft-tokens';
import { type ChatModels, isModelNotFound, unavailableMessage } from './models';
import type { Conversation, HostMessage, Turn } from './protocol';
import type { RunSlot } from './run-slot';
import { titleFrom } from './store';

const SAVE_WHILE_STREAMING_MS = 1000;

export interface TurnEndEvent {
  conversationId: string;
  turn: Turn;
}

function turnId(): string {
  return `t-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** One answer being streamed: what Stop reaches, and its batchers (disposed when it ends). */
class ActiveRun extends Disposable implements RunningAnswer {
  stopRequested = false;
  run?: ChatRun;
  finished: Promise<Turn>;
  readonly batcher: DeltaBatcher;
  readonly reasoning: DeltaBatcher;

  constructor(readonly conversation: Conversation, readonly turn: Turn, post: (m: HostMessage) => void) {
    super();
    this.finished = Promise.resolve(turn);
    const ids = { conversationId: conversation.id, turnId: turn.id };
    this.batcher = this.register(new DeltaBatcher((text) => post({ type: 'delta', ...ids, text })));
    this.reasoning = this.register(new DeltaBatcher((text) => post({ type: 'reasoning', ...ids, text })));
  }

  stop(): void {
    this.stopRequested = true;
    this.run?.stop();
  }

  flush(): void {
    this.reasoning.flush();
    this.batcher.flush();
  }
}

export class ChatTurns extends Disposable {
  private readonly turnEnded = this.register(new vscode.EventEmitter<TurnEndEvent>());
  /** Fires after every finished answer (done, stopped or failed). */
  readonly onDidEndTurn = this.turnEnded.event;

  constructor(
    private readonly kimi: KimiService,
    private readonly conversations: ChatConversations,
    private readonly models: ChatModels,
    private readonly draftTokens: DraftTokens,
    private readonly runs: RunSlot<RunningAnswer>,
    private readonly post: (m: HostMessage) => void,
  ) {
    super();
  }

  get streaming(): boolean {
    return this.runs.current !== undefined;
  }

  /** Sends a question in the active conversation; resolves when the answer has ended. */
  async send(text: string): Promise<Turn> {
    await this.conversations.ready();
    return this.runs.next(() => this.sendNow(text));
  }

  /** Answers the last question again, replacing the last answer. */
  async regenerate(): Promise<Turn | undefined> {
    await this.conversations.ready();
    return this.runs.next(() => {
      const conversation = this.conversations.active;
      if (conversation.turns.at(-1)?.role === 'assistant') conversation.turns.pop();
      if (conversation.turns.at(-1)?.role !== 'user') return undefined;
      this.conversations.postConversation();
      return this.answer(conversation);
    });
  }

  /** Continues the last answer where the token limit cut it off, in place (partial mode). */
  async continueLast(): Promise<Turn | undefined> {
    await this.conversations.ready();
    return this.runs.next(() => {
      const conversation = this.conversations.active;
      const last = conversation.turns.at(-1);
      if (last?.role !== 'assistant' || last.finishReason !== 'length') return undefined;
      return this.answer(conversation, undefined, last);
    });
  }

  /** Replaces the last question (and its answer) with new text and asks again. */
  async editLast(text: string): Promise<Turn> {
    await this.conversations.ready();
    return this.runs.next(() => {
      const conversation = this.conversations.active;
      const index = conversation.turns.map((t) => t.role).lastIndexOf('user');
      if (index >= 0) {
        conversation.turns.splice(index);
        this.conversations.postConversation();
      }
      return this.sendNow(text);
    });
  }

  /** Stops the answer being streamed: the request is aborted, the partial answer kept. */
  stop(): void {
    this.runs.stop();
  }

  /** Adds the question and starts the answer (synchronously, inside the run slot). */
  private sendNow(text: string): Promise<Turn> {
    const conversation = this.conversations.active;
    const user: Turn = { id: turnId(), role: 'user', content: text, createdAt: Date.now() };
    const first = !conversation.turns.some((t) => t.role === 'user') && conversation.title === DEFAULT_TITLE;
    if (first) conversation.title = titleFrom(text);
    conversation.turns.push(user);
    delete conversation.draft;
    this.draftTokens.cancel();
    const answered = this.answer(conversation, user);
    // The list of conversations shows the new title once the first answer is in.
    if (first) void answered.then(() => this.conversations.postList());
    return answered;
  }

  /** Starts an answer to the last question, or (`resume`) continues an answer that was cut off. */
  private answer(conversation: Conversation, user?: Turn, resume?: Turn): Promise<Turn> {
    const model = this.conversations.modelFor(conversation);
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
    const active = new ActiveRun(conversation, turn, this.post);
    this.runs.begin(active);
    active.finished = this.stream(active, history, user, resume !== undefined);
    return active.finished;
  }

  private async stream(active: ActiveRun, history: Turn[], user: Turn | undefined, resumed: boolean): Promise<Turn> {
    const { conversation, turn } = active;
    const start: HostMessage = { type: 'turnStart', conversationId: conversation.id, assistant: turn };
    if (user) start.user = user;
    this.post(start);
    void setContext(ContextKeys.chatStreaming, true);
    const store = this.conversations.store;
    // Save the turn before any network work, then keep saving the growing answer.
    const saved = store.save(conversation).catch((e) => this.kimi.log.error(`Could not save the conversation: ${String(e)}`));
    const saver = setInterval(() => void store.save(conversation, false).catch(() => undefined), SAVE_WHILE_STREAMING_MS);
    try {
      await saved;
      const client = await this.kimi.requireClientQuietly();
      if (active.stopRequested) {
        turn.status = 'stopped';
        return turn;
      }
      await streamAnswer({
        kimi: this.kimi, client, conversation, turn, history, resumed,
        post: this.post,
        batcher: active.batcher,
        reasoning: active.reasoning,
        started: (run) => {
          active.run = run;
          if (active.stopRequested) run.stop();
        },
      });
      this.kimi.log.debug(`Chat answer ${turn.status}: ${turn.content.length} chars, finish ${String(turn.finishReason)}.`);
    } catch (e) {
      this.fail(turn, conversation, e);
    } finally {
      clearInterval(saver);
      active.flush();
      active.dispose();
      this.runs.end(active);
      await store.save(conversation).catch((e) => this.kimi.log.error(`Could not save the conversation: ${String(e)}`));
      this.post({ type: 'turnEnd', conversationId: conversation.id, turn });
      void setContext(ContextKeys.chatStreaming, this.streaming);
      this.turnEnded.fire({ conversationId: conversation.id, turn });
    }
    return turn;
  }

  private fail(turn: Turn, conversation: Conversation, e: unknown): void {
    turn.status = 'error';
    if (isCacheGone(e, conversation.cache)) {
      turn.error = cacheGoneError(conversation.cache!);
    } else if (isModelNotFound(e)) {
      // Not a raw 404: say what happened and offer the picker, in the panel and as a notification.
      turn.error = { message: unavailableMessage(turn.model ?? ''), actions: ['selectModel'] };
      this.models.announceUnavailable(turn.model ?? '');
    }
    const described = this.kimi.describeError(e);
    turn.error ??= described;
    this.kimi.log.error(`Chat answer failed: ${described.message}`);
  }
}
