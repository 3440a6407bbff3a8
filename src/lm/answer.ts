// One answer for VS Code's Chat: the request built by the chat panel's rules, text reported as it
// streams, each tool call reported once complete, reasoning kept for the next turn, and the HTTP
// request aborted the moment VS Code cancels. No vscode import (the caller passes the reporters),
// so the benchmark and unit tests drive exactly this code in plain Node.
import { AnswerAccumulator } from '../kimi/answer';
import { chatParams, type ChatPreferences } from '../kimi/chat-params';
import { messagesFor } from '../kimi/history';
import type { ModelFacts } from '../kimi/model-facts';
import type { KimiClient } from '../kimi';
import type { ChatMessage, ChatParams, KimiLogger } from '../kimi/types';
import { toMoonshotMessages, type ClassifyPart, type RequestMessage } from './messages';
import type { ReasoningStore } from './reasoning';
import { apiTools, ToolNames, type ToolInfo } from './tools';
import { MAX_TOOLS } from './models';

export interface Cancellation {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => void): { dispose(): void };
}

export interface AnswerRequest {
  client: Pick<KimiClient, 'streamGenerate'>;
  model: string;
  facts: ModelFacts;
  preferences: ChatPreferences;
  messages: readonly RequestMessage[];
  tools: readonly ToolInfo[];
  /** VS Code's toolMode Required. */
  toolRequired: boolean;
  classify: ClassifyPart;
  reasoning: ReasoningStore;
  token: Cancellation;
  onText(text: string): void;
  onToolCall(callId: string, name: string, input: object): void;
  /** Exact prompt tokens (the estimate endpoint); asked only when the prompt may not leave room for the answer. */
  countPrompt?(messages: ChatMessage[], signal: AbortSignal): Promise<number>;
  log?: Pick<KimiLogger, 'debug'>;
}

/** The model sent tool arguments that are not a JSON object. */
export class MalformedToolCallError extends Error {
  override readonly name = 'MalformedToolCallError';
}

export async function streamAnswer(r: AnswerRequest): Promise<void> {
  if (r.token.isCancellationRequested) return;
  if (r.tools.length > MAX_TOOLS) throw new Error(`Kimi takes at most ${MAX_TOOLS} tools per request; this request has ${r.tools.length}.`);
  const names = new ToolNames(r.tools);
  const mapped = toMoonshotMessages(r.messages, { model: r.model, imageInput: r.facts.vision, kindOf: r.classify });
  const messages = messagesFor(r.facts, r.reasoning.restore(mapped), { thinking: r.preferences.thinking });
  const abort = new AbortController();
  const sub = r.token.onCancellationRequested(() => abort.abort());
  try {
    const params: ChatParams = { ...chatParams(r.facts, { ...r.preferences, promptTokens: await promptTokens(r, messages, abort.signal) }) };
    if (r.tools.length) {
      params.tools = apiTools(r.tools);
      // tool_choice "required" is accepted by kimi-k3 only; elsewhere the model decides (auto).
      if (r.toolRequired && r.facts.toolChoiceRequired) params.tool_choice = 'required';
      else if (r.toolRequired) r.log?.debug(`${r.model} does not take tool_choice "required"; sent without it.`);
    }
    const acc = new AnswerAccumulator();
    const text: string[] = [];
    for await (const chunk of r.client.streamGenerate(r.model, messages, { ...params, signal: abort.signal })) {
      // Nearly every chunk is a bare text delta: taken as is (the benchmark's 10 % budget); anything
      // else (reasoning, tool calls, finish, usage) goes through the client's accumulator.
      const only = chunk.choices?.length === 1 ? chunk.choices[0]! : undefined;
      const d = only?.delta;
      if (d && only!.index === 0 && !only!.finish_reason && !only!.usage && !chunk.usage && !d.reasoning_content && !d.tool_calls && typeof d.content === 'string') {
        if (d.content) {
          text.push(d.content);
          r.onText(d.content);
        }
        continue;
      }
      const delta = acc.push(chunk);
      if (delta.content) {
        text.push(delta.content);
        r.onText(delta.content);
      }
    }
    if (!abort.signal.aborted) finish(r, names, acc, text.join(''), params);
  } catch (e) {
    if (abort.signal.aborted) return;
    throw e;
  } finally {
    sub.dispose();
  }
}

function finish(r: AnswerRequest, names: ToolNames, acc: AnswerAccumulator, content: string, params: ChatParams): void {
  const answer = { ...acc.finish(), content };
  const calls = answer.toolCalls.map((c) => ({ ...c, input: parseArguments(c.function.name, c.function.arguments) }));
  for (const c of calls) r.onToolCall(c.id, names.original(c.function.name), c.input);
  // Keyed by the message as VS Code will send it back (arguments re-serialised from the parsed input).
  r.reasoning.remember(
    { content: answer.content, tool_calls: calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.function.name, arguments: JSON.stringify(c.input) } })) },
    answer.reasoning,
  );
  if (answer.finishReason === 'length' && !answer.content && calls.length === 0) {
    throw new Error(`The answer reached its length limit (max_tokens ${params.max_tokens}) before any text; raise kimi.maxTokens.`);
  }
}

/** Over-counts on purpose (2 characters a token, 1024 per image): below it, the answer surely fits. */
function roughTokens(messages: readonly ChatMessage[]): number {
  let chars = 0;
  let images = 0;
  for (const m of messages) {
    chars += 8 + (typeof m.content === 'string' ? m.content.length : JSON.stringify(m.content).length);
    if (Array.isArray(m.content)) images += m.content.filter((p) => p.type === 'image_url').length;
    if (m.tool_calls) chars += JSON.stringify(m.tool_calls).length;
    if (m.reasoning_content) chars += m.reasoning_content.length;
  }
  return Math.ceil(chars / 2) + 1024 * images;
}

/**
 * prompt + max_tokens must fit the window (else 400). VS Code keeps prompts under maxInputTokens,
 * so this normally costs nothing; a caller that sends more gets a shorter answer instead of an error.
 */
async function promptTokens(r: AnswerRequest, messages: ChatMessage[], signal: AbortSignal): Promise<number | undefined> {
  const rough = roughTokens(messages);
  const reserve = chatParams(r.facts, r.preferences).max_tokens ?? 0;
  if (rough + reserve <= r.facts.contextWindow) return undefined;
  if (!r.countPrompt) return rough;
  try {
    return await r.countPrompt(messages, signal);
  } catch (e) {
    if (signal.aborted) throw e;
    return rough;
  }
}

function parseArguments(tool: string, args: string): object {
  if (!args.trim()) return {};
  let value: unknown;
  try {
    value = JSON.parse(args);
  } catch {
    throw new MalformedToolCallError(`Kimi called the tool ${tool} with arguments that are not valid JSON: ${args.slice(0, 200)}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MalformedToolCallError(`Kimi called the tool ${tool} with arguments that are not a JSON object: ${args.slice(0, 200)}`);
  }
  return value;
}
