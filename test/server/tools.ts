// Tool calls: `tools` validation, and deterministic ways to make the model call tools:
// - a last user message of `call:<tool name> <JSON arguments>` lines (several lines = parallel calls),
//   optionally after a first line `say:<text>` that the model says before calling;
// - `$web_search` offered: a plain question is searched first (the call's arguments carry
//   usage.total_tokens; the client echoes them back in a role:"tool" message, then gets the answer);
// - tool_choice "required" (kimi-k3): the first offered tool is called when nothing else was asked.
import { createHash } from 'node:crypto';
import type { ChatMessage } from '../../src/kimi/types';
import { contentText } from './answers';
import type { Params } from './chat-rules';
import { invalidRequest, isRecord } from './http';

export interface PlannedToolCall {
  /** Moonshot's `<function name>:<index>` style id. */
  id: string;
  name: string;
  arguments: string;
}

export interface ToolPlan {
  /** Said before the calls (may be empty). */
  text: string;
  calls: PlannedToolCall[];
}

export const WEB_SEARCH = '$web_search';
const FUNCTION_NAME = /^[a-zA-Z_][a-zA-Z0-9_-]{2,63}$/;

/** The tool names a request offers; 400 for a malformed list. */
export function validateTools(tools: unknown): string[] {
  if (tools === undefined || tools === null) return [];
  if (!Array.isArray(tools)) throw invalidRequest('tools must be a list');
  if (tools.length > 128) throw invalidRequest('tools must not have more than 128 entries');
  return tools.map((tool: unknown, i) => {
    const fn = isRecord(tool) ? tool.function : undefined;
    const name = isRecord(fn) ? fn.name : undefined;
    const type = isRecord(tool) ? tool.type : undefined;
    const builtin = type === 'builtin_function' && typeof name === 'string' && name.startsWith('$');
    if ((type !== 'function' && !builtin) || typeof name !== 'string' || (!builtin && !FUNCTION_NAME.test(name))) {
      throw invalidRequest(`tools[${i}] must be {"type":"function","function":{"name":...}} with a valid name`);
    }
    if (isRecord(fn) && fn.parameters !== undefined && !(isRecord(fn.parameters) && fn.parameters.type === 'object')) {
      throw invalidRequest(`tools[${i}].function.parameters must be a JSON schema of type object`);
    }
    return name;
  });
}

const ids = (calls: Array<{ name: string; arguments: string }>): PlannedToolCall[] =>
  calls.map((c, i) => ({ id: `${c.name}:${i}`, ...c }));

/** What a $web_search call's arguments look like: an opaque search id and the results' size. */
export function webSearchArguments(question: string): string {
  const id = createHash('sha256').update(question).digest('hex').slice(0, 16);
  return JSON.stringify({ search_result: { search_id: id }, usage: { total_tokens: 1000 + 10 * Array.from(question).length } });
}

export function toolPlanFor(messages: readonly ChatMessage[], toolNames: readonly string[], choice: Params['toolChoice']): ToolPlan | undefined {
  const last = messages[messages.length - 1];
  if (!last || last.role !== 'user' || toolNames.length === 0 || choice === 'none') return undefined;
  const text = contentText(last.content);
  const lines = text.split('\n');
  const said = lines[0]?.startsWith('say:') ? lines.shift()!.slice('say:'.length) : '';
  const asked = lines.filter((l) => l.startsWith('call:')).map((l) => /^call:(\S+)\s*(.*)$/.exec(l)!);
  if (asked.length > 0 && asked.length === lines.filter((l) => l.trim()).length && asked.every((a) => toolNames.includes(a[1]!))) {
    return { text: said, calls: ids(asked.map((a) => ({ name: a[1]!, arguments: a[2]!.trim() || '{}' }))) };
  }
  if (text.startsWith('echo:')) return undefined;
  if (toolNames.includes(WEB_SEARCH)) return { text: '', calls: ids([{ name: WEB_SEARCH, arguments: webSearchArguments(text) }]) };
  const forced = typeof choice === 'object' ? choice.name : choice === 'required' ? toolNames[0] : undefined;
  if (forced && toolNames.includes(forced)) return { text: '', calls: ids([{ name: forced, arguments: '{}' }]) };
  return undefined;
}

/** Search results count as prompt tokens of the call after the search. */
export function searchTokens(messages: readonly ChatMessage[]): number {
  let total = 0;
  for (const m of messages) {
    if (m.role !== 'tool' || !(m.name === WEB_SEARCH || m.tool_call_id?.startsWith(`${WEB_SEARCH}:`))) continue;
    try {
      const parsed = JSON.parse(contentText(m.content)) as { usage?: { total_tokens?: unknown } };
      if (typeof parsed.usage?.total_tokens === 'number') total += parsed.usage.total_tokens;
    } catch {
      // not the echoed arguments: checkToolAnswers already refused a wrong $web_search result
    }
  }
  return total;
}
