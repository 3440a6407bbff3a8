// The chat route's request rules per model, worded as the platform words them (its
// 2026 lineup): thinking control, fixed sampling, replayed reasoning,
// tool-call pairing. Where the real wording is unknown the message says plainly what is wrong.
import type { ChatMessage } from '../../src/kimi/types';
import { ApiError, invalidRequest, isRecord } from './http';
import type { ServerModel } from './models';

export interface Params {
  maxTokens?: number;
  n: number;
  stream: boolean;
  includeUsage: boolean;
  /** This request makes the model reason. */
  thinking: boolean;
  /** thinking.keep:"all" (kimi-k2.6): earlier reasoning must be replayed like on preserved models. */
  keepAll: boolean;
  toolChoice: 'auto' | 'none' | 'required' | { name: string };
}

const present = (v: unknown): boolean => v !== undefined && v !== null;
const fixedError = (field: string, value: number): ApiError =>
  new ApiError(400, 'invalid_request_error', `invalid ${field}: only ${value} is allowed for this model`);

function readThinking(body: Record<string, unknown>, m: ServerModel): { thinking: boolean; keepAll: boolean } {
  const { thinking, reasoning_effort: effort } = body;
  const id = m.model.id;
  if (present(thinking) && present(effort)) throw invalidRequest("cannot specify both 'thinking' and 'reasoning_effort'");
  let keepAll = false;
  let disabled = false;
  if (present(thinking)) {
    if (m.rules.control !== 'thinking' && m.rules.control !== 'thinking-enabled-only') {
      throw invalidRequest(`the model ${id} does not support the thinking parameter`);
    }
    if (!isRecord(thinking) || (thinking.type !== 'enabled' && thinking.type !== 'disabled')) {
      throw invalidRequest('thinking must be {"type":"enabled"|"disabled"}');
    }
    if (present(thinking.keep) && thinking.keep !== 'all') throw invalidRequest('thinking.keep must be null or "all"');
    disabled = thinking.type === 'disabled';
    if (disabled && m.rules.control === 'thinking-enabled-only') throw invalidRequest(`thinking cannot be disabled for the model ${id}`);
    keepAll = thinking.keep === 'all' && !disabled;
  }
  if (present(effort)) {
    if (m.rules.control !== 'reasoning_effort') throw invalidRequest(`the model ${id} does not support reasoning_effort`);
    if (effort !== 'low' && effort !== 'medium' && effort !== 'high') throw invalidRequest('reasoning_effort must be low, medium or high');
  }
  const thinks = m.rules.thinking === 'always' || (m.rules.thinking === 'switchable' && !disabled);
  return { thinking: thinks, keepAll };
}

function readSampling(body: Record<string, unknown>, m: ServerModel, thinking: boolean): number {
  const { temperature, top_p: topP, n = 1 } = body;
  if (present(temperature) && (typeof temperature !== 'number' || temperature < 0 || temperature > 1)) {
    throw invalidRequest('invalid temperature: must be between 0 and 1');
  }
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 5) throw invalidRequest('n must be between 1 and 5');
  if (m.rules.fixedSampling) {
    // Thinking fixes temperature at 1.0; non-thinking kimi-k2.5/k2.6 at 0.6.
    const fixed = thinking ? 1 : 0.6;
    if (present(temperature) && temperature !== fixed) throw fixedError('temperature', fixed);
    if (present(topP) && topP !== 1) throw fixedError('top_p', 1);
    for (const field of ['presence_penalty', 'frequency_penalty']) if (present(body[field]) && body[field] !== 0) throw fixedError(field, 0);
    if (n !== 1) throw fixedError('n', 1);
  } else if (n > 1 && typeof temperature === 'number' && temperature < 0.3) {
    throw invalidRequest('n must be 1 when temperature is close to 0');
  }
  return n;
}

function readToolChoice(value: unknown, m: ServerModel): Params['toolChoice'] {
  if (!present(value) || value === 'auto') return 'auto';
  if (value === 'none') return 'none';
  if (value === 'required') {
    if (!m.rules.toolChoiceRequired) throw invalidRequest(`tool_choice "required" is not supported by the model ${m.model.id}`);
    return 'required';
  }
  if (isRecord(value) && value.type === 'function' && isRecord(value.function) && typeof value.function.name === 'string') {
    return { name: value.function.name };
  }
  throw invalidRequest('tool_choice must be "none", "auto", "required" or {"type":"function","function":{"name":...}}');
}

export function readParams(body: Record<string, unknown>, m: ServerModel): Params {
  const { thinking, keepAll } = readThinking(body, m);
  const n = readSampling(body, m, thinking);
  const maxTokens = body.max_tokens;
  if (present(maxTokens) && (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens < 1)) {
    throw invalidRequest('max_tokens must be a positive integer');
  }
  const options = body.stream_options;
  return {
    maxTokens: typeof maxTokens === 'number' ? maxTokens : undefined,
    n,
    stream: body.stream === true,
    includeUsage: isRecord(options) && options.include_usage === true,
    thinking,
    keepAll,
    toolChoice: readToolChoice(body.tool_choice, m),
  };
}

const hasReasoning = (m: ChatMessage): boolean => typeof m.reasoning_content === 'string' && m.reasoning_content !== '';

/**
 * Replayed reasoning: preserved-thinking models need it on every earlier assistant message, every
 * thinking request on assistant tool-call messages. The last message in partial mode is the answer
 * being continued, not history, so it is exempt.
 */
export function checkReplay(messages: readonly ChatMessage[], m: ServerModel, p: Params): void {
  messages.forEach((msg, i) => {
    if (msg.role !== 'assistant' || (msg.partial && i === messages.length - 1) || hasReasoning(msg)) return;
    if (m.rules.preserved || p.keepAll) {
      throw new ApiError(400, 'invalid_request_error', `thinking is enabled but reasoning_content is missing in assistant message at index ${i}`);
    }
    if (p.thinking && Array.isArray(msg.tool_calls) && msg.tool_calls.length > 0) {
      throw new ApiError(400, 'invalid_request_error', `thinking is enabled but reasoning_content is missing in assistant tool call message at index ${i}`);
    }
  });
}

/** Every tool call must be answered by a later role:"tool" message with its id; $web_search by its arguments unchanged. */
export function checkToolAnswers(messages: readonly ChatMessage[]): void {
  messages.forEach((msg, i) => {
    for (const call of msg.role === 'assistant' ? msg.tool_calls ?? [] : []) {
      const answer = messages.slice(i + 1).find((t) => t.role === 'tool' && t.tool_call_id === call.id);
      if (!answer) throw invalidRequest(`tool_call_id ${call.id} of the message at position ${i} has no tool message answering it`);
      if (call.function?.name === '$web_search' && answer.content !== call.function.arguments) {
        throw invalidRequest(`the $web_search result for ${call.id} must be the call's arguments unchanged`);
      }
    }
  });
}
