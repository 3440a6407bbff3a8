// One answer: the conversation goes to streamGenerate, text arrives as deltas, usage comes with the
// final chunk. Stop aborts the HTTP request at once. No vscode import: the run is exercised in
// plain Node against the test server.
import type { KimiClient } from '../kimi';
import type { ChatCompletionChunk, ChatMessage, ChatParams, Usage } from '../kimi/types';
import type { CacheRef, Conversation, Turn, UsageSummary } from './protocol';

export type StreamingClient = Pick<KimiClient, 'streamGenerate'>;

export interface RunRequest {
  client: StreamingClient;
  model: string;
  messages: ChatMessage[];
  maxTokens: number;
  temperature?: number;
  /** Called for every piece of answer text, in order. */
  onText(text: string): void;
  /** Called while a thinking model reasons before answering (the reasoning itself is not kept). */
  onReasoning?(text: string): void;
}

export interface RunResult {
  outcome: 'done' | 'stopped';
  usage?: UsageSummary;
  finishReason?: string | null;
}

/** The `role: "cache"` message the API wants first when a conversation uses a context cache. */
export function cacheMessage(cache: CacheRef): ChatMessage {
  return { role: 'cache', content: cache.kind === 'tag' ? `tag=${cache.id}` : `cache_id=${cache.id}` };
}

/**
 * The API messages for a conversation's turns: the cache message first when attached, then the
 * questions and the answers so far. Failed or empty answers are left out (the API rejects empty
 * content); a stopped answer's partial text is kept, as the user saw it.
 */
export function toApiMessages(conversation: Pick<Conversation, 'cache'>, turns: Turn[]): ChatMessage[] {
  const out: ChatMessage[] = [];
  if (conversation.cache) out.push(cacheMessage(conversation.cache));
  for (const t of turns) {
    if (!t.content.trim()) continue;
    out.push({ role: t.role, content: t.content });
  }
  return out;
}

/** Prompt, cached and completion tokens, whichever spelling the server used for cached tokens. */
export function usageSummary(u: Usage): UsageSummary {
  return {
    prompt: u.prompt_tokens ?? 0,
    cached: u.cached_tokens ?? u.prompt_tokens_details?.cached_tokens ?? 0,
    completion: u.completion_tokens ?? 0,
  };
}

function chunkUsage(chunk: ChatCompletionChunk): Usage | undefined {
  return chunk.usage ?? chunk.choices?.find((c) => c.usage)?.usage;
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
    const { client, model, messages, maxTokens, temperature, onText, onReasoning } = this.request;
    const params: ChatParams & { signal: AbortSignal } = { max_tokens: maxTokens, signal: this.abort.signal };
    // Only sent when the user set it: the models' own defaults differ (kimi-k2.5 wants its own).
    if (temperature !== undefined) params.temperature = temperature;
    const result: RunResult = { outcome: 'done' };
    try {
      for await (const chunk of client.streamGenerate(model, messages, params)) {
        if (this.stopped) break;
        const choice = chunk.choices?.[0];
        const text = choice?.delta?.content;
        if (text) onText(text);
        const reasoning = choice?.delta?.reasoning_content;
        if (reasoning) onReasoning?.(reasoning);
        if (choice?.finish_reason) result.finishReason = choice.finish_reason;
        const usage = chunkUsage(chunk);
        if (usage) result.usage = usageSummary(usage);
      }
    } catch (e) {
      if (!this.stopped) throw e;
    }
    if (this.stopped) result.outcome = 'stopped';
    return result;
  }
}
