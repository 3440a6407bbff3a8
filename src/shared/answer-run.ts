// One answer: the conversation goes to streamGenerate with the parameters the model takes (chatParams)
// and the history it accepts (messagesFor); reasoning and text arrive as deltas, usage with the final
// chunk. With web search on, `$web_search` calls are answered (their arguments echoed back, as the
// API requires) and the model asked again. Stop aborts the HTTP request at once. No vscode import:
// the run is exercised in plain Node against the test server.
import { AnswerAccumulator, chatParams, messagesFor, modelFacts, type AnswerUsage, type ChatPreferences, type ModelFacts } from '../kimi';
import type { KimiClient } from '../kimi';
import type { ChatMessage, ChatParams, Tool } from '../kimi/types';
import type { CacheRef, Conversation, Turn, UsageSummary } from './conversation';
import { ThinkTagSplitter } from './think-tags';

export type StreamingClient = Pick<KimiClient, 'streamGenerate'>;

export const WEB_SEARCH = '$web_search';
const WEB_SEARCH_TOOL: Tool = { type: 'builtin_function', function: { name: WEB_SEARCH } };
/** A model that keeps searching is stopped after this many round trips (each is billed). */
const MAX_SEARCH_ROUNDS = 5;

export interface RunRequest extends Partial<ChatPreferences> {
  client: StreamingClient;
  model: string;
  /** The model's traits (default: the known table for `model`). */
  facts?: ModelFacts;
  /** The conversation; reasoning on assistant messages is sent back only where the model takes it. */
  messages: ChatMessage[];
  /** Offer the built-in `$web_search` tool. */
  webSearch?: boolean;
  /** Called for every piece of answer text, in order. */
  onText(text: string): void;
  /** Called for every piece of reasoning (thinking models stream it before the answer). */
  onReasoning?(text: string): void;
  /** Called when the model searched the web, with the number of searches so far. */
  onWebSearch?(count: number): void;
}

export interface RunResult {
  outcome: 'done' | 'stopped';
  usage?: UsageSummary;
  finishReason?: string | null;
  /** All reasoning of this answer, as returned (for display and replay). */
  reasoning: string;
  webSearches: number;
}

/** The `role: "cache"` message the API wants first when a conversation uses a context cache. */
export function cacheMessage(cache: CacheRef): ChatMessage {
  return { role: 'cache', content: cache.kind === 'tag' ? `tag=${cache.tag}` : `cache_id=${cache.cacheId}` };
}

/**
 * The API messages for a conversation's turns: the cache message first when attached, then the
 * questions and the answers so far; with `withReasoning`, each answer with its reasoning (for a chat
 * request: messagesFor decides per model what of it is sent). Failed or empty answers are left out
 * (the API rejects empty content); a stopped answer's partial text is kept, as the user saw it.
 */
export function toApiMessages(conversation: Pick<Conversation, 'cache'>, turns: Turn[], withReasoning = false): ChatMessage[] {
  const out: ChatMessage[] = [];
  if (conversation.cache) out.push(cacheMessage(conversation.cache));
  for (const t of turns) {
    if (!t.content.trim()) continue;
    const m: ChatMessage = { role: t.role, content: t.content };
    if (withReasoning && t.role === 'assistant' && t.reasoning) m.reasoning_content = t.reasoning;
    out.push(m);
  }
  return out;
}

/** The request for Continue: the answer so far as a `partial` assistant message to continue from. */
export function continuationMessages(history: ChatMessage[], cut: Turn): ChatMessage[] {
  const prefix: ChatMessage = { role: 'assistant', content: cut.content, partial: true };
  if (cut.reasoning) prefix.reasoning_content = cut.reasoning;
  return [...history, prefix];
}

export function usageSummary(u: AnswerUsage): UsageSummary {
  const out: UsageSummary = { prompt: u.promptTokens, cached: u.cachedTokens ?? 0, completion: u.completionTokens };
  if (u.reasoningTokens !== undefined) out.reasoning = u.reasoningTokens;
  return out;
}

/** Two usages of one answer (search rounds, or a continuation) added up. */
export function addUsage(a: UsageSummary | undefined, b: UsageSummary | undefined): UsageSummary | undefined {
  if (!a || !b) return a ?? b;
  const out: UsageSummary = { prompt: a.prompt + b.prompt, cached: a.cached + b.cached, completion: a.completion + b.completion };
  if (a.reasoning !== undefined || b.reasoning !== undefined) out.reasoning = (a.reasoning ?? 0) + (b.reasoning ?? 0);
  return out;
}

export class ChatRun {
  private readonly abort = new AbortController();

  constructor(private readonly request: RunRequest) {}

  get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  /** Aborts the HTTP request now; `start()` then resolves with outcome 'stopped'. */
  stop(): void {
    this.abort.abort();
  }

  /** Streams the answer. Resolves when it ends or is stopped; rejects with the client's error otherwise. */
  async start(): Promise<RunResult> {
    const r = this.request;
    const facts = r.facts ?? modelFacts(r.model);
    const thinking = r.thinking ?? 'auto';
    const params: ChatParams & { signal: AbortSignal } = {
      ...chatParams(facts, { thinking, ...pick(r) }),
      signal: this.abort.signal,
    };
    if (r.webSearch) params.tools = [WEB_SEARCH_TOOL];
    let messages = messagesFor(facts, r.messages, { thinking });
    const result: RunResult = { outcome: 'done', reasoning: '', webSearches: 0 };
    const reasoned = (text: string) => {
      result.reasoning += text;
      r.onReasoning?.(text);
    };
    try {
      for (let round = 0; ; round++) {
        const acc = new AnswerAccumulator();
        const split = new ThinkTagSplitter();
        const emit = (text: { content: string; reasoning: string }) => {
          if (text.reasoning) reasoned(text.reasoning);
          if (text.content) r.onText(text.content);
        };
        for await (const chunk of r.client.streamGenerate(r.model, messages, params)) {
          if (this.stopped) break;
          const delta = acc.push(chunk);
          if (delta.reasoning) reasoned(delta.reasoning);
          if (delta.content) emit(split.push(delta.content));
        }
        emit(split.finish());
        if (this.stopped) break;
        const answer = acc.finish();
        if (answer.usage) result.usage = addUsage(result.usage, usageSummary(answer.usage));
        result.finishReason = answer.finishReason;
        const searches = answer.toolCalls.filter((c) => c.function.name === WEB_SEARCH);
        if (answer.finishReason !== 'tool_calls' || searches.length === 0 || searches.length !== answer.toolCalls.length || round >= MAX_SEARCH_ROUNDS) break;
        result.webSearches += searches.length;
        r.onWebSearch?.(result.webSearches);
        // The assistant message goes back whole (reasoning included: thinking models require it on
        // tool-call messages), then each call's arguments unchanged as its result.
        messages = [
          ...messages,
          answer.message,
          ...searches.map((c): ChatMessage => ({ role: 'tool', tool_call_id: c.id, name: WEB_SEARCH, content: c.function.arguments })),
        ];
      }
    } catch (e) {
      if (!this.stopped) throw e;
    }
    if (this.stopped) result.outcome = 'stopped';
    return result;
  }
}

function pick(r: RunRequest): Omit<ChatPreferences, 'thinking'> {
  const out: Omit<ChatPreferences, 'thinking'> = {};
  if (r.reasoningEffort !== undefined) out.reasoningEffort = r.reasoningEffort;
  if (r.maxTokens !== undefined) out.maxTokens = r.maxTokens;
  if (r.temperature !== undefined) out.temperature = r.temperature;
  if (r.promptTokens !== undefined) out.promptTokens = r.promptTokens;
  return out;
}
