// POST /v1/chat/completions: whole or streamed, with deterministic answers, cache use, the
// platform's validation errors and per-model rules (chat-rules.ts), and usage where Moonshot puts it.
import { createHash, randomBytes } from 'node:crypto';
import type { ChatMessage } from '../../src/kimi/types';
import { answerFor, contentText, estimateTextTokens, estimateTokens, hugeAnswer, reasoningFor, splitDeltas } from './answers';
import { applyCache } from './cache-use';
import { checkReplay, checkToolAnswers, readParams } from './chat-rules';
import { completionBody, writeStream, type Reply, type Said } from './chat-write';
import type { JsonReply, RequestContext } from './context';
import { ApiError, invalidRequest, notFound, nowSeconds, requireObject } from './http';
import { findServerModel, modelNotFoundMessage } from './models';
import { SseStream } from './sse';
import type { ServerState } from './state';
import { searchTokens, toolPlanFor, validateTools } from './tools';
import { validateMessages } from './validate';

/** The platform's default max_tokens when a request leaves it out (used for the context check). */
export const DEFAULT_MAX_TOKENS = 1024;

/** What the model "says": reasoning first, then the answer, cut at max_tokens with finish_reason length. */
function plan(messages: ChatMessage[], answer: string, reasoning: string, maxTokens: number | undefined): Said {
  // In partial mode the reply continues the prefill and does not repeat it.
  const last = messages[messages.length - 1];
  if (last?.partial && last.role === 'assistant') {
    const prefill = contentText(last.content);
    if (answer.startsWith(prefill)) answer = answer.slice(prefill.length);
  }
  const said: Said = { reasoning: [], content: [], toolCalls: [], finishReason: 'stop', completionTokens: 0, reasoningTokens: 0 };
  // Reasoning and answer share the one output budget.
  const take = (deltas: string[], into: string[]): boolean => {
    for (const delta of deltas) {
      const cost = estimateTextTokens(delta);
      if (maxTokens !== undefined && said.completionTokens + cost > maxTokens) {
        said.finishReason = 'length';
        return false;
      }
      said.completionTokens += cost;
      into.push(delta);
    }
    return true;
  };
  if (take(splitDeltas(reasoning), said.reasoning)) take(splitDeltas(answer), said.content);
  said.reasoningTokens = said.reasoning.reduce((n, d) => n + estimateTextTokens(d), 0);
  return said;
}

const hash = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex');

/**
 * Automatic prefix caching (kimi-k* models): the longest run of leading messages an earlier request
 * already sent counts as cached. Deterministic, so tests can predict it.
 */
function prefixHit(state: ServerState, messages: ChatMessage[]): number {
  let hit = 0;
  for (let k = messages.length - 1; k >= 1; k--) {
    if (state.prefixes.has(hash(messages.slice(0, k)))) {
      hit = estimateTokens(messages.slice(0, k));
      break;
    }
  }
  for (let k = 1; k <= messages.length; k++) state.prefixes.add(hash(messages.slice(0, k)));
  return hit;
}

export async function chatCompletions(ctx: RequestContext): Promise<JsonReply | void> {
  const body = requireObject(ctx.body);
  if (body.model === undefined || body.model === '') throw invalidRequest('model is required');
  const model = findServerModel(ctx.state, body.model);
  if (!model) throw notFound(modelNotFoundMessage(body.model));
  const own = validateMessages(body.messages, { allowCache: true, allowPartial: true });
  const cache = applyCache(ctx.state, ctx.req, own, body.tools);
  const params = readParams(body, model);
  checkReplay(cache.messages, model, params);
  checkToolAnswers(cache.messages);
  const toolNames = validateTools(body.tools);
  const promptTokens = estimateTokens(cache.messages) + searchTokens(cache.messages);
  const contextLength = model.model.context_length ?? 8192;
  if (promptTokens > contextLength) throw invalidRequest('Input token length too long');
  if (promptTokens + (params.maxTokens ?? DEFAULT_MAX_TOKENS) > contextLength) {
    throw new ApiError(400, 'invalid_request_error', `Your request exceeded model token limit : ${contextLength}`);
  }

  const messages = cache.messages;
  const partial = messages[messages.length - 1]?.partial === true;
  const huge = ctx.fault?.kind === 'huge' ? ctx.fault.chars : undefined;
  const answer = cache.dryRun ? '' : huge !== undefined ? hugeAnswer(huge) : answerFor(messages);
  // A continuation (partial mode) goes on with the answer; its reasoning was already done.
  const reasoning = cache.dryRun || !params.thinking || partial ? '' : reasoningFor(messages);
  const tools = cache.dryRun ? undefined : toolPlanFor(messages, toolNames, params.toolChoice);
  // A huge answer is meant to be huge: max_tokens does not cut it.
  const said = plan(messages, tools ? tools.text : answer, reasoning, huge !== undefined ? undefined : params.maxTokens);
  if (tools && said.finishReason !== 'length') {
    said.toolCalls = tools.calls;
    said.finishReason = 'tool_calls';
    said.completionTokens += tools.calls.reduce((n, c) => n + estimateTextTokens(c.name + c.arguments), 0);
  }
  const explicit = cache.cachedTokens > 0;
  const automatic = !explicit && !model.model.id.startsWith('moonshot-v1') ? prefixHit(ctx.state, messages) : 0;
  const reply: Reply = {
    id: `cmpl-${randomBytes(16).toString('hex')}`,
    created: nowSeconds(),
    model: model.model.id,
    said,
    params,
    promptTokens,
    cachedTokens: explicit ? cache.cachedTokens : automatic,
    explicitCache: explicit,
  };
  const headers = { ...ctx.baseHeaders, ...cache.headers };
  if (!params.stream) return { headers, body: completionBody(reply) };

  const stream = new SseStream(ctx.res, ctx.fault, ctx.state.options.chunkDelayMs);
  stream.open(headers);
  ctx.state.openStreams++;
  try {
    await writeStream(stream, reply);
  } finally {
    ctx.state.openStreams--;
  }
}
