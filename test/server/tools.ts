// Tool calls: `tools` validation, and a deterministic way to make the model call one: a last user
// message `call:<tool name> <JSON arguments>` naming one of the request's functions.
import type { ChatMessage } from '../../src/kimi/types';
import { contentText } from './answers';
import { invalidRequest, isRecord } from './http';

export interface PlannedToolCall {
  /** Moonshot's `<function name>:<index>` style id. */
  id: string;
  name: string;
  arguments: string;
}

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

export function toolCallFor(messages: readonly ChatMessage[], toolNames: readonly string[]): PlannedToolCall | undefined {
  const last = messages[messages.length - 1];
  if (!last || last.role !== 'user' || toolNames.length === 0) return undefined;
  const match = /^call:(\S+)\s*([\s\S]*)$/.exec(contentText(last.content));
  if (!match || !toolNames.includes(match[1])) return undefined;
  return { id: `${match[1]}:0`, name: match[1], arguments: match[2].trim() || '{}' };
}
