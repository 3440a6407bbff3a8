// Deterministic answers and token counts, so tests can predict exactly what a chat returns.
import type { ChatMessage, ContentPart } from '../../src/kimi/types';
import { codeAnswer, codeRequest, explainAnswer, explainRequest, productReasoning } from './product-answers';

/** The text of a message's content: a string, or the text parts of an array joined. */
export function contentText(content: string | ContentPart[] | null | undefined): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => (part.type === 'text' && typeof part.text === 'string' ? part.text : ''))
    .join('');
}

function lastUserText(messages: readonly ChatMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i].role === 'user') return contentText(messages[i].content);
  }
  return '';
}

/** A code fence longer than any backtick run inside the quoted text. */
function fenceFor(text: string): string {
  const longest = Math.max(0, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length));
  return '`'.repeat(Math.max(3, longest + 1));
}

/**
 * `echo:<text>` answers <text> verbatim; editor code requests get a code block in the file's language,
 * Explain Selection a short explanation (product-answers.ts); anything else a fixed Markdown answer
 * with a heading, a list and a fenced code block quoting the question.
 */
export function answerFor(messages: readonly ChatMessage[]): string {
  if (messages[messages.length - 1]?.role === 'tool') return answerAfterTools(messages);
  const question = lastUserText(messages);
  if (question.startsWith('echo:')) return question.slice('echo:'.length);
  const code = codeRequest(messages);
  if (code) return codeAnswer(code, question);
  const explain = explainRequest(question);
  if (explain) return explainAnswer(explain);
  const words = question.split(/\s+/).filter(Boolean).length;
  const fence = fenceFor(question);
  return [
    '## Answer from the Kimi test server',
    '',
    'Here is what I can say about your question:',
    '',
    `- It has ${words} ${words === 1 ? 'word' : 'words'} and ${Array.from(question).length} characters.`,
    `- It is message ${messages.length} of this conversation.`,
    '- The same question always gets the same answer.',
    '',
    'You asked:',
    '',
    `${fence}text`,
    question,
    fence,
    '',
  ].join('\n');
}

/** After tool results: one line per result of the last round of calls, searches summarised. */
function answerAfterTools(messages: readonly ChatMessage[]): string {
  let first = messages.length;
  while (first > 0 && messages[first - 1].role === 'tool') first--;
  const lines = messages.slice(first).map((m) => {
    const name = m.name ?? m.tool_call_id?.replace(/:\d+$/, '') ?? 'tool';
    if (name === '$web_search') return `Searched the web for "${lastUserText(messages)}": the test server's search found 3 pages that agree.`;
    return `The tool ${name} answered: ${contentText(m.content)}`;
  });
  return lines.join('\n\n');
}

/** What a thinking model "thinks" before answering; streamed as reasoning_content. */
export function reasoningFor(messages: readonly ChatMessage[]): string {
  const product = productReasoning(messages, lastUserText(messages));
  if (product) return product;
  const words = lastUserText(messages).split(/\s+/).filter(Boolean).length;
  return `The user asked a question of ${words} words. I will answer it in Markdown.`;
}

// One block of the huge answer: prose, a list, CJK text and a fenced code block, numbered by n.
const HUGE_BLOCK = [
  '### Part {n}',
  '',
  'Paragraph {n}: the test server writes a very long answer so renderers and scrollers get exercised.',
  '',
  '- item {n}.1 with `inline code` and **bold** text',
  '- item {n}.2 with a [link](https://example.invalid/{n})',
  '',
  '第{n}段：这是一个很长的回答，用来测试渲染。',
  '',
  '```ts',
  'function part{n}(x: number): number {',
  '  return x * {n};',
  '}',
  '```',
  '',
  '',
].join('\n');

/** A long deterministic Markdown answer of exactly `chars` UTF-16 units (all BMP, so also code points). */
export function hugeAnswer(chars: number): string {
  const parts: string[] = [];
  let length = 0;
  for (let n = 1; length < chars; n++) {
    const block = HUGE_BLOCK.replaceAll('{n}', String(n));
    parts.push(block);
    length += block.length;
  }
  return parts.join('').slice(0, Math.max(0, chars));
}

const CJK = /[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]/u;

/** Roughly one token per CJK character and per four other characters. */
export function estimateTextTokens(text: string): number {
  let cjk = 0;
  let other = 0;
  for (const ch of text) {
    if (CJK.test(ch)) cjk++;
    else other++;
  }
  return cjk + Math.ceil(other / 4);
}

const IMAGE_TOKENS = 1024;

/** Prompt tokens for a message list: 3 for priming, 4 per message plus its text; 1024 per image. */
export function estimateTokens(messages: readonly ChatMessage[]): number {
  let total = 3;
  for (const m of messages) {
    total += 4 + estimateTextTokens(contentText(m.content));
    if (m.name) total += estimateTextTokens(m.name);
    if (Array.isArray(m.content)) total += IMAGE_TOKENS * m.content.filter((p) => p.type === 'image_url').length;
    if (m.tool_calls) total += estimateTextTokens(JSON.stringify(m.tool_calls));
  }
  return total;
}

/**
 * Splits an answer into small word-ish deltas (a word with its trailing spaces, one CJK character,
 * or a run of line breaks) that join back to exactly the input.
 */
export function splitDeltas(text: string): string[] {
  return text.match(/[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]|\n+|[^\s\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]+[^\S\n]*|[^\S\n]+/gu) ?? [];
}
