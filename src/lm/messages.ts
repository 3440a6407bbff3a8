// VS Code's chat messages → Moonshot messages. Parts are told apart by a classifier the caller
// passes (instanceof in the extension host, shapes in unit tests), so this module needs no vscode
// import at runtime and its rules are unit-tested in plain Node.
import type { ChatMessage, ContentPart, ToolCall } from '../kimi/types';
import { apiToolName } from './tools';

/** vscode.LanguageModelChatMessageRole values (System is 3 in the hosts that send it). */
export const ROLE = { user: 1, assistant: 2, system: 3 } as const;

export interface RequestMessage {
  readonly role: number;
  readonly content: ReadonlyArray<unknown>;
  readonly name?: string | undefined;
}

interface TextPart {
  value: string;
}
interface ToolCallPart {
  callId: string;
  name: string;
  input: unknown;
}
interface ToolResultPart {
  callId: string;
  content: readonly unknown[];
}
interface DataPart {
  mimeType: string;
  data: Uint8Array;
}

export type PartKind = 'text' | 'toolCall' | 'toolResult' | 'data' | 'other';

/** What a message part is. Thinking parts (proposed API) and unknown parts are 'other' and left out. */
export type ClassifyPart = (part: unknown) => PartKind;

const isObject = (p: unknown): p is Record<string, unknown> => typeof p === 'object' && p !== null;

/** A request the model cannot take as it stands (e.g. an image for a text-only model). */
export class UnsupportedInputError extends Error {
  override readonly name = 'UnsupportedInputError';
}

export interface MappingOptions {
  model: string;
  imageInput: boolean;
  kindOf: ClassifyPart;
}

/**
 * The Moonshot messages for a VS Code request. Tool results become `role: "tool"` messages with
 * their call ids, placed right after the assistant's calls (before any text of the same user turn),
 * images become data URLs, and data parts that are hints for other providers (cache markers and
 * the like) are left out.
 */
export function toMoonshotMessages(messages: readonly RequestMessage[], o: MappingOptions): ChatMessage[] {
  const { isText, isToolCall, isToolResult, isData } = guards(o.kindOf);
  const out: ChatMessage[] = [];
  for (const m of messages) {
    if (m.role === ROLE.assistant) {
      const text = m.content.filter(isText).map((p) => p.value).join('');
      const calls: ToolCall[] = m.content.filter(isToolCall).map((p) => ({
        id: p.callId,
        type: 'function',
        function: { name: apiToolName(p.name), arguments: JSON.stringify(p.input ?? {}) },
      }));
      if (!text && calls.length === 0) continue; // the API rejects empty assistant messages
      out.push({ role: 'assistant', content: text, ...(calls.length ? { tool_calls: calls } : {}) });
      continue;
    }
    const role = m.role === ROLE.system ? 'system' : 'user';
    const images: ContentPart[] = [];
    for (const part of m.content) {
      if (!isToolResult(part)) continue;
      out.push({ role: 'tool', tool_call_id: part.callId, content: toolResultText(part, images, o) || '(no output)' });
    }
    const parts: ContentPart[] = [...images];
    for (const part of m.content) {
      if (isText(part)) parts.push({ type: 'text', text: part.value });
      else if (isData(part)) {
        const mapped = dataPart(part, o);
        if (mapped) parts.push(mapped);
      }
    }
    const content = collapse(parts);
    if (content === '' || (Array.isArray(content) && content.length === 0)) continue;
    out.push({ role, content, ...(m.name ? { name: m.name } : {}) });
  }
  return out;
}

/** Text of a tool result; images in it go to `images` (sent with the next user message). */
function toolResultText(part: ToolResultPart, images: ContentPart[], o: MappingOptions): string {
  const { isText, isData } = guards(o.kindOf);
  const texts: string[] = [];
  for (const c of part.content) {
    if (isText(c)) texts.push(c.value);
    else if (isData(c)) {
      const mapped = dataPart(c, o);
      if (mapped?.type === 'text') texts.push(String(mapped.text));
      else if (mapped) images.push(mapped);
    } else if (isObject(c) && 'value' in c && o.kindOf(c) === 'other') texts.push(JSON.stringify(c.value)); // prompt-tsx parts
  }
  return texts.join('');
}

function dataPart(part: DataPart, o: MappingOptions): ContentPart | undefined {
  const mime = part.mimeType.toLowerCase();
  if (mime.startsWith('image/')) {
    if (!o.imageInput) {
      throw new UnsupportedInputError(`${o.model} does not take images. Pick a Kimi model with image input, or leave the image out.`);
    }
    return { type: 'image_url', image_url: { url: `data:${mime};base64,${Buffer.from(part.data).toString('base64')}` } };
  }
  if (mime.startsWith('text/') || mime === 'application/json') return { type: 'text', text: Buffer.from(part.data).toString('utf8') };
  return undefined;
}

/** Plain text as a string (what every model takes); an array only when images are in it. */
function collapse(parts: ContentPart[]): string | ContentPart[] {
  if (parts.every((p) => p.type === 'text')) return parts.map((p) => String((p as { text: string }).text)).join('');
  return parts;
}

/** The text VS Code asks to count: a string, or a message's text, tool calls and results. */
export function countableText(input: string | RequestMessage, kindOf: ClassifyPart): string {
  if (typeof input === 'string') return input;
  const { isText, isToolCall, isToolResult } = guards(kindOf);
  const pieces: string[] = [];
  for (const p of input.content) {
    if (isText(p)) pieces.push(p.value);
    else if (isToolCall(p)) pieces.push(p.name, JSON.stringify(p.input ?? {}));
    else if (isToolResult(p)) pieces.push(...p.content.filter(isText).map((c) => c.value));
  }
  return pieces.join('\n');
}

function guards(kindOf: ClassifyPart) {
  return {
    isText: (p: unknown): p is TextPart => kindOf(p) === 'text',
    isToolCall: (p: unknown): p is ToolCallPart => kindOf(p) === 'toolCall',
    isToolResult: (p: unknown): p is ToolResultPart => kindOf(p) === 'toolResult',
    isData: (p: unknown): p is DataPart => kindOf(p) === 'data',
  };
}

/** Classifies by shape; for tests and for parts built outside VS Code's classes. */
export const classifyByShape: ClassifyPart = (p) => {
  if (!isObject(p)) return 'other';
  if (typeof p.callId === 'string' && typeof p.name === 'string' && 'input' in p) return 'toolCall';
  if (typeof p.callId === 'string' && Array.isArray(p.content)) return 'toolResult';
  if (typeof p.mimeType === 'string' && p.data instanceof Uint8Array) return 'data';
  if (typeof p.value === 'string' && !('id' in p) && !('metadata' in p)) return 'text';
  return 'other';
};
