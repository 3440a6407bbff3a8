// One answer of the chat panel, from the request to the finished turn: the model and its traits,
// the history (or, for Continue, the answer so far in partial mode), the user's settings, and the
// streamed reasoning, text and web searches written into the turn and posted to the view.
import * as vscode from 'vscode';
import { DEFAULT_MAX_TOKENS, DEFAULT_MAX_TOKENS_THINKING, type KimiClient } from '../kimi';
import type { KimiService } from '../core/service';
import type { DeltaBatcher } from './batcher';
import type { Conversation, HostMessage, Turn } from './protocol';
import { addUsage, ChatRun, continuationMessages, toApiMessages } from '../shared/answer-run';

export interface AnswerContext {
  kimi: KimiService;
  client: KimiClient;
  conversation: Conversation;
  /** The assistant turn being written (new, or the cut-off one being continued). */
  turn: Turn;
  /** The turns before it. */
  history: Turn[];
  /** Continue: the turn already holds an answer cut off at the token limit. */
  resumed: boolean;
  post(message: HostMessage): void;
  batcher: DeltaBatcher;
  reasoning: DeltaBatcher;
  /** The run exists (so Stop can reach it). */
  started(run: ChatRun): void;
}

/** Streams the answer into `ctx.turn`; throws the client's error (the caller describes it). */
export async function streamAnswer(ctx: AnswerContext): Promise<void> {
  const { kimi, conversation, turn, resumed, batcher, reasoning } = ctx;
  const ids = { conversationId: conversation.id, turnId: turn.id };
  const model = (conversation.cache && conversation.model) || (await kimi.resolveModel());
  turn.model = model;
  const facts = await kimi.modelFacts(model);
  const settings = kimi.settings();
  let messages = toApiMessages(conversation, ctx.history, true);
  let maxTokens = settings.maxTokens;
  const before = resumed ? turn.usage : undefined;
  const searchesBefore = resumed ? turn.webSearches ?? 0 : 0;
  if (resumed && turn.content.trim()) {
    messages = continuationMessages(messages, turn);
  } else if (resumed) {
    // Cut off while still reasoning, with no answer text to continue from: ask again with twice the
    // budget (chatParams keeps it within the context window).
    maxTokens = 2 * (settings.maxTokens ?? (facts.thinking === 'none' ? DEFAULT_MAX_TOKENS : DEFAULT_MAX_TOKENS_THINKING));
    turn.reasoning = '';
    delete turn.thinkingMs;
  }
  let reasoningStarted: number | undefined;
  const thought = () => {
    if (reasoningStarted !== undefined && turn.thinkingMs === undefined) turn.thinkingMs = Date.now() - reasoningStarted;
  };
  const run = new ChatRun({
    client: ctx.client,
    model,
    facts,
    messages,
    thinking: settings.thinking,
    ...(settings.reasoningEffort ? { reasoningEffort: settings.reasoningEffort } : {}),
    ...(maxTokens !== undefined ? { maxTokens } : {}),
    ...(settings.temperature !== undefined ? { temperature: settings.temperature } : {}),
    ...(conversation.webSearch ? { webSearch: true } : {}),
    onReasoning: (text) => {
      reasoningStarted ??= Date.now();
      // The view must get text and reasoning in the order they came.
      batcher.flush();
      turn.reasoning = (turn.reasoning ?? '') + text;
      reasoning.push(text);
    },
    onText: (text) => {
      thought();
      reasoning.flush();
      turn.content += text;
      batcher.push(text);
    },
    onWebSearch: (count) => {
      reasoning.flush();
      batcher.flush();
      turn.webSearches = searchesBefore + count;
      ctx.post({ type: 'webSearch', ...ids, count: turn.webSearches });
    },
  });
  ctx.started(run);
  const result = await run.start();
  turn.status = result.outcome === 'stopped' ? 'stopped' : 'done';
  thought();
  const usage = addUsage(before, result.usage);
  if (usage) turn.usage = usage;
  if (result.finishReason) turn.finishReason = result.finishReason;
  if (result.finishReason === 'content_filter') {
    turn.status = 'error';
    turn.error = { message: vscode.l10n.t('The answer was stopped by the content filter.'), actions: [] };
  }
}
