// One answer assembled from a chat stream: the content and reasoning deltas as they arrive, and at the
// end the whole text, reasoning, finish reason, usage and complete tool calls (from `delta.tool_calls`
// fragments: id/name in the first fragment of a call, argument pieces after, parallel calls by index).
import { InvokeConnectionError } from './errors';
import { normalizeUsage } from './stream';
import type { ChatCompletionChunk, ChatMessage, FinishReason, ToolCall, Usage } from './types';

export interface AnswerDelta {
  content: string;
  reasoning: string;
  /** A tool call started or grew in this chunk. */
  toolCalls: boolean;
}

export interface AnswerUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** From `usage.cached_tokens` or `usage.prompt_tokens_details.cached_tokens`. */
  cachedTokens?: number;
  /** Reasoning tokens (billed as output), when the server reports them. */
  reasoningTokens?: number;
  /** completionTokens − reasoningTokens, when reasoning tokens are reported. */
  answerTokens?: number;
}

export interface Answer {
  content: string;
  /** The reasoning exactly as streamed ('' for models that do not think). */
  reasoning: string;
  finishReason: FinishReason;
  usage?: AnswerUsage;
  toolCalls: ToolCall[];
  /** The assistant message to keep in the conversation and replay (with reasoning_content and tool_calls). */
  message: ChatMessage;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** The usage in one shape, whichever spelling the server used. */
export function answerUsage(usage: Usage): AnswerUsage {
  normalizeUsage(usage);
  const out: AnswerUsage = {
    promptTokens: num(usage.prompt_tokens) ?? 0,
    completionTokens: num(usage.completion_tokens) ?? 0,
    totalTokens: num(usage.total_tokens) ?? (num(usage.prompt_tokens) ?? 0) + (num(usage.completion_tokens) ?? 0),
  };
  const cached = num(usage.cached_tokens);
  if (cached !== undefined) out.cachedTokens = cached;
  const details = usage.completion_tokens_details;
  const reasoning = num(details?.reasoning_tokens) ?? num(usage.reasoning_tokens);
  if (reasoning !== undefined) {
    out.reasoningTokens = reasoning;
    out.answerTokens = Math.max(0, out.completionTokens - reasoning);
  }
  return out;
}

interface CallParts {
  id: string;
  type: string;
  name: string;
  args: string[];
}

function messageOf(content: string, reasoning: string, toolCalls: ToolCall[]): ChatMessage {
  const message: ChatMessage = { role: 'assistant', content };
  if (reasoning) message.reasoning_content = reasoning;
  if (toolCalls.length) message.tool_calls = toolCalls;
  return message;
}

export class AnswerAccumulator {
  readonly #choice: number;
  readonly #content: string[] = [];
  readonly #reasoning: string[] = [];
  readonly #calls = new Map<number, CallParts>();
  #lastCall: number | undefined;
  #finishReason: FinishReason = null;
  #usage: Usage | undefined;

  /** `choice`: which choice to follow when a request asked for several (n > 1). */
  constructor(choice = 0) {
    this.#choice = choice;
  }

  /** Takes one chunk; returns what it added. */
  push(chunk: ChatCompletionChunk): AnswerDelta {
    const delta: AnswerDelta = { content: '', reasoning: '', toolCalls: false };
    if (chunk.usage) this.#usage = chunk.usage;
    for (const choice of chunk.choices ?? []) {
      if ((choice.index ?? 0) !== this.#choice) continue;
      if (choice.usage) this.#usage = choice.usage;
      const d = choice.delta ?? {};
      if (typeof d.reasoning_content === 'string' && d.reasoning_content) {
        delta.reasoning += d.reasoning_content;
        this.#reasoning.push(d.reasoning_content);
      }
      if (typeof d.content === 'string' && d.content) {
        delta.content += d.content;
        this.#content.push(d.content);
      }
      if (Array.isArray(d.tool_calls) && d.tool_calls.length) {
        delta.toolCalls = true;
        for (const f of d.tool_calls) this.#addFragment(f);
      }
      if (choice.finish_reason) this.#finishReason = choice.finish_reason;
    }
    return delta;
  }

  #addFragment(f: NonNullable<ChatCompletionChunk['choices'][number]['delta']['tool_calls']>[number]): void {
    // Without an index (not seen on Moonshot): a new id starts a new call, else it continues the last one.
    let index = f.index;
    if (typeof index !== 'number') {
      const lastCall = this.#lastCall === undefined ? undefined : this.#calls.get(this.#lastCall);
      index = lastCall && (!f.id || f.id === lastCall.id) ? this.#lastCall! : this.#calls.size;
    }
    this.#lastCall = index;
    let call = this.#calls.get(index);
    if (!call) this.#calls.set(index, (call = { id: '', type: 'function', name: '', args: [] }));
    if (f.id) call.id = f.id;
    if (f.type) call.type = f.type;
    const name = f.function?.name;
    // The name comes whole in the first fragment; some servers repeat it in later ones.
    if (name && name !== call.name) call.name += name;
    if (f.function?.arguments) call.args.push(f.function.arguments);
  }

  get content(): string {
    return this.#content.join('');
  }

  get reasoning(): string {
    return this.#reasoning.join('');
  }

  /** null until the finishing chunk arrived. */
  get finishReason(): FinishReason {
    return this.#finishReason;
  }

  get usage(): AnswerUsage | undefined {
    return this.#usage ? answerUsage(this.#usage) : undefined;
  }

  /** The calls assembled so far, by index; complete only once the answer finished. */
  get toolCalls(): ToolCall[] {
    return [...this.#calls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([i, c]) => ({ id: c.id || `${c.name}:${i}`, type: c.type, function: { name: c.name, arguments: c.args.join('') } }));
  }

  /**
   * The whole answer. Call after the stream ended normally: a stream that stopped before its finishing
   * chunk (a cut the transport did not already report) is an InvokeConnectionError, never a half tool call.
   */
  finish(): Answer {
    if (!this.#finishReason) {
      throw new InvokeConnectionError('The Kimi API stream ended before the answer was finished; it may be cut short.');
    }
    const toolCalls = this.toolCalls;
    const bad = toolCalls.find((c) => !c.function.name);
    if (bad) throw new InvokeConnectionError(`The Kimi API sent a tool call without a name (${bad.id}).`);
    const content = this.content;
    const reasoning = this.reasoning;
    const answer: Answer = { content, reasoning, finishReason: this.#finishReason, toolCalls, message: messageOf(content, reasoning, toolCalls) };
    const usage = this.usage;
    if (usage) answer.usage = usage;
    return answer;
  }
}

/**
 * Reads a whole stream into an Answer, handing each chunk's deltas to `onDelta`. Errors of the stream
 * (a cut, an in-band error, an abort) are thrown as they are; nothing partial is returned.
 */
export async function readAnswer(stream: AsyncIterable<ChatCompletionChunk>, onDelta?: (delta: AnswerDelta, acc: AnswerAccumulator) => void): Promise<Answer> {
  const acc = new AnswerAccumulator();
  for await (const chunk of stream) {
    const delta = acc.push(chunk);
    if (onDelta && (delta.content || delta.reasoning || delta.toolCalls)) onDelta(delta, acc);
  }
  return acc.finish();
}
