// POST /v1/chat/completions: whole or streamed, with deterministic answers, cache use, the
// platform's validation errors, and usage where Moonshot puts it.
import { randomBytes } from 'node:crypto';
import type { ChatMessage, Model, Usage } from '../../src/kimi/types';
import { answerFor, contentText, estimateTextTokens, estimateTokens, hugeAnswer, reasoningFor, splitDeltas } from './answers';
import { applyCache } from './cache-use';
import type { JsonReply, RequestContext } from './context';
import { ApiError, invalidRequest, isRecord, notFound, nowSeconds, requireObject } from './http';
import { findModel, modelNotFoundMessage } from './models';
import { SseStream } from './sse';
import { toolCallFor, validateTools, type PlannedToolCall } from './tools';
import { validateMessages } from './validate';

/** The platform's default max_tokens when a request leaves it out (used for the context check). */
export const DEFAULT_MAX_TOKENS = 1024;

interface Params {
  maxTokens?: number;
  n: number;
  stream: boolean;
  includeUsage: boolean;
}

function readParams(body: Record<string, unknown>, model: Model): Params {
  const { temperature, max_tokens: maxTokens, n = 1 } = body;
  if (temperature !== undefined && temperature !== null) {
    if (typeof temperature !== 'number' || temperature < 0 || temperature > 1) {
      throw invalidRequest('invalid temperature: must be between 0 and 1');
    }
    if (model.id === 'kimi-k2-thinking' && temperature !== 1) {
      throw new ApiError(400, 'invalid_request_error', 'invalid temperature: only 1 is allowed for this model');
    }
  }
  if (maxTokens !== undefined && maxTokens !== null && (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1)) {
    throw invalidRequest('max_tokens must be a positive integer');
  }
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 5) throw invalidRequest('n must be between 1 and 5');
  if (n > 1 && typeof temperature === 'number' && temperature < 0.3) {
    throw invalidRequest('n must be 1 when temperature is close to 0');
  }
  const options = body.stream_options;
  return {
    maxTokens: typeof maxTokens === 'number' ? maxTokens : undefined,
    n,
    stream: body.stream === true,
    includeUsage: isRecord(options) && options.include_usage === true,
  };
}

function thinks(model: Model, body: Record<string, unknown>): boolean {
  if (model.id === 'kimi-k2-thinking') return true;
  // kimi-k2.5 thinks only when asked to here, so plain chats stay plain.
  return model.id === 'kimi-k2.5' && isRecord(body.thinking) && body.thinking.type === 'enabled';
}

interface Plan {
  reasoning: string[];
  content: string[];
  toolCall?: PlannedToolCall;
  finishReason: 'stop' | 'length' | 'tool_calls';
  completionTokens: number;
}

/** What the model "says", cut at max_tokens (when the request set it) with finish_reason length. */
function plan(messages: ChatMessage[], answer: string, reasoning: string, maxTokens: number | undefined): Plan {
  // In partial mode the reply continues the prefill and does not repeat it.
  const last = messages[messages.length - 1];
  if (last?.partial && last.role === 'assistant') {
    const prefill = contentText(last.content);
    if (answer.startsWith(prefill)) answer = answer.slice(prefill.length);
  }
  const result: Plan = { reasoning: [], content: [], finishReason: 'stop', completionTokens: 0 };
  const take = (deltas: string[], into: string[]): boolean => {
    for (const delta of deltas) {
      const cost = estimateTextTokens(delta);
      if (maxTokens !== undefined && result.completionTokens + cost > maxTokens) {
        result.finishReason = 'length';
        return false;
      }
      result.completionTokens += cost;
      into.push(delta);
    }
    return true;
  };
  if (take(splitDeltas(reasoning), result.reasoning)) take(splitDeltas(answer), result.content);
  return result;
}

function usageOf(promptTokens: number, completionTokens: number, cachedTokens: number): Usage {
  const usage: Usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
  if (cachedTokens > 0) {
    usage.cached_tokens = cachedTokens;
    usage.prompt_tokens_details = { cached_tokens: cachedTokens };
  }
  return usage;
}

export async function chatCompletions(ctx: RequestContext): Promise<JsonReply | void> {
  const body = requireObject(ctx.body);
  if (body.model === undefined || body.model === '') throw invalidRequest('model is required');
  const model = findModel(body.model);
  if (!model) throw notFound(modelNotFoundMessage(body.model));
  const own = validateMessages(body.messages, { allowCache: true, allowPartial: true });
  const cache = applyCache(ctx.state, ctx.req, own, body.tools);
  const params = readParams(body, model);
  const toolNames = validateTools(body.tools);
  const promptTokens = estimateTokens(cache.messages);
  const contextLength = model.context_length ?? 8192;
  if (promptTokens > contextLength) throw invalidRequest('Input token length too long');
  if (promptTokens + (params.maxTokens ?? DEFAULT_MAX_TOKENS) > contextLength) {
    throw new ApiError(400, 'invalid_request_error', `Your request exceeded model token limit : ${contextLength}`);
  }

  const huge = ctx.fault?.kind === 'huge' ? ctx.fault.chars : undefined;
  const answer = cache.dryRun ? '' : huge !== undefined ? hugeAnswer(huge) : answerFor(cache.messages);
  const reasoning = cache.dryRun || !thinks(model, body) ? '' : reasoningFor(cache.messages);
  // A huge answer is meant to be huge: max_tokens does not cut it.
  const said = plan(cache.messages, answer, reasoning, huge !== undefined ? undefined : params.maxTokens);
  const toolCall = cache.dryRun ? undefined : toolCallFor(cache.messages, toolNames);
  if (toolCall) {
    said.content = [];
    said.toolCall = toolCall;
    said.finishReason = 'tool_calls';
    said.completionTokens = estimateTextTokens(toolCall.name + toolCall.arguments);
  }
  const usage = usageOf(promptTokens, said.completionTokens, cache.cachedTokens);
  const id = `cmpl-${randomBytes(16).toString('hex')}`;
  const created = nowSeconds();
  const headers = { ...ctx.baseHeaders, ...cache.headers };
  const indexes = Array.from({ length: params.n }, (_, i) => i);

  if (!params.stream) {
    const message: Record<string, unknown> = { role: 'assistant', content: said.content.join('') };
    if (said.reasoning.length > 0) message.reasoning_content = said.reasoning.join('');
    if (said.toolCall) {
      const { id: callId, name, arguments: args } = said.toolCall;
      message.tool_calls = [{ id: callId, type: 'function', function: { name, arguments: args } }];
    }
    return {
      headers,
      body: {
        id,
        object: 'chat.completion',
        created,
        model: model.id,
        choices: indexes.map((index) => ({ index, message, finish_reason: said.finishReason })),
        usage: usageOf(promptTokens, said.completionTokens * params.n, cache.cachedTokens),
      },
    };
  }

  const stream = new SseStream(ctx.res, ctx.fault, ctx.state.options.chunkDelayMs);
  stream.open(headers);
  ctx.state.openStreams++;
  try {
    await writeStream(stream, { id, created, model: model.id, indexes, said, usage, params, promptTokens, cachedTokens: cache.cachedTokens });
  } finally {
    ctx.state.openStreams--;
  }
}

interface StreamPlan {
  id: string;
  created: number;
  model: string;
  indexes: number[];
  said: Plan;
  usage: Usage;
  params: Params;
  promptTokens: number;
  cachedTokens: number;
}

async function writeStream(stream: SseStream, p: StreamPlan): Promise<void> {
  const chunk = (index: number, delta: Record<string, unknown>, finish: string | null, extra: Record<string, unknown> = {}) => ({
    id: p.id,
    object: 'chat.completion.chunk',
    created: p.created,
    model: p.model,
    choices: [{ index, delta, finish_reason: finish, ...extra }],
  });
  for (const index of p.indexes) {
    // role only in the first chunk of a choice; usage only on its finishing chunk.
    if (!(await stream.event(chunk(index, { role: 'assistant', content: '' }, null)))) return;
    for (const delta of p.said.reasoning) if (!(await stream.event(chunk(index, { reasoning_content: delta }, null)))) return;
    for (const delta of p.said.content) if (!(await stream.event(chunk(index, { content: delta }, null)))) return;
    if (p.said.toolCall && !(await streamToolCall(stream, p.said.toolCall, (delta) => chunk(index, delta, null)))) return;
    if (!(await stream.event(chunk(index, {}, p.said.finishReason, { usage: p.usage })))) return;
  }
  if (p.params.includeUsage) {
    const total = usageOf(p.promptTokens, p.said.completionTokens * p.params.n, p.cachedTokens);
    const trailer = { id: p.id, object: 'chat.completion.chunk', created: p.created, model: p.model, choices: [], usage: total };
    if (!(await stream.event(trailer))) return;
  }
  await stream.done();
}

/** id, type and name in the first fragment; the arguments follow in small pieces. */
async function streamToolCall(
  stream: SseStream,
  call: PlannedToolCall,
  chunk: (delta: Record<string, unknown>) => unknown,
): Promise<boolean> {
  const first = { index: 0, id: call.id, type: 'function', function: { name: call.name, arguments: '' } };
  if (!(await stream.event(chunk({ tool_calls: [first] })))) return false;
  const pieces = call.arguments.match(/[\s\S]{1,8}/gu) ?? [];
  for (const piece of pieces) {
    if (!(await stream.event(chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] })))) return false;
  }
  return true;
}
