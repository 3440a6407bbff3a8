// Writes one chat answer: a whole chat.completion body, or a stream of chunks (role first, reasoning
// before content, then tool-call fragments, usage on each choice's finishing chunk).
import type { Usage } from '../../src/kimi/types';
import type { Params } from './chat-rules';
import type { SseStream } from './sse';
import type { PlannedToolCall } from './tools';

export interface Said {
  reasoning: string[];
  content: string[];
  toolCalls: PlannedToolCall[];
  finishReason: 'stop' | 'length' | 'tool_calls';
  completionTokens: number;
  reasoningTokens: number;
}

export interface Reply {
  id: string;
  created: number;
  model: string;
  said: Said;
  params: Params;
  promptTokens: number;
  /** Explicit cache hits (moonshot-v1: both spellings) or automatic prefix hits (kimi-k*: the OpenAI spelling). */
  cachedTokens: number;
  explicitCache: boolean;
}

export function usageOf(r: Reply, choices = 1): Usage {
  const completion = r.said.completionTokens * choices;
  const usage: Usage = { prompt_tokens: r.promptTokens, completion_tokens: completion, total_tokens: r.promptTokens + completion };
  if (r.cachedTokens > 0) {
    if (r.explicitCache) usage.cached_tokens = r.cachedTokens;
    usage.prompt_tokens_details = { cached_tokens: r.cachedTokens };
  }
  if (r.params.thinking) usage.completion_tokens_details = { reasoning_tokens: r.said.reasoningTokens * choices };
  return usage;
}

export function completionBody(r: Reply): Record<string, unknown> {
  const message: Record<string, unknown> = { role: 'assistant', content: r.said.content.join('') };
  if (r.said.reasoning.length > 0) message.reasoning_content = r.said.reasoning.join('');
  if (r.said.toolCalls.length > 0) {
    message.tool_calls = r.said.toolCalls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.arguments } }));
  }
  return {
    id: r.id,
    object: 'chat.completion',
    created: r.created,
    model: r.model,
    choices: Array.from({ length: r.params.n }, (_, index) => ({ index, message, finish_reason: r.said.finishReason })),
    usage: usageOf(r, r.params.n),
  };
}

export async function writeStream(stream: SseStream, r: Reply): Promise<void> {
  const chunk = (index: number, delta: Record<string, unknown>, finish: string | null, extra: Record<string, unknown> = {}) => ({
    id: r.id,
    object: 'chat.completion.chunk',
    created: r.created,
    model: r.model,
    choices: [{ index, delta, finish_reason: finish, ...extra }],
  });
  for (let index = 0; index < r.params.n; index++) {
    // role only in the first chunk of a choice; usage only on its finishing chunk.
    if (!(await stream.event(chunk(index, { role: 'assistant', content: '' }, null)))) return;
    for (const delta of r.said.reasoning) if (!(await stream.event(chunk(index, { reasoning_content: delta }, null)))) return;
    for (const delta of r.said.content) if (!(await stream.event(chunk(index, { content: delta }, null)))) return;
    for (const [i, call] of r.said.toolCalls.entries()) {
      if (!(await streamToolCall(stream, i, call, (delta) => chunk(index, delta, null)))) return;
    }
    if (!(await stream.event(chunk(index, {}, r.said.finishReason, { usage: usageOf(r) })))) return;
  }
  if (r.params.includeUsage) {
    const trailer = { id: r.id, object: 'chat.completion.chunk', created: r.created, model: r.model, choices: [], usage: usageOf(r, r.params.n) };
    if (!(await stream.event(trailer))) return;
  }
  await stream.done();
}

/** id, type and name in the first fragment; the arguments follow in small pieces. */
async function streamToolCall(stream: SseStream, index: number, call: PlannedToolCall, chunk: (delta: Record<string, unknown>) => unknown): Promise<boolean> {
  const first = { index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } };
  if (!(await stream.event(chunk({ tool_calls: [first] })))) return false;
  const pieces = call.arguments.match(/[\s\S]{1,8}/gu) ?? [];
  for (const piece of pieces) {
    if (!(await stream.event(chunk({ tool_calls: [{ index, function: { arguments: piece } }] })))) return false;
  }
  return true;
}
