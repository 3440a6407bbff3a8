// What the editor commands send: the code around the cursor or the selection as context in the
// system message, and the user's instruction alone as the question (so it reads as they typed it).
// No vscode import: the text pieces come from the caller.
import type { ChatMessage } from '../kimi/types';

/** How much surrounding code goes along: enough for style and names, small enough to stay cheap. */
export const CONTEXT_BEFORE_CHARS = 6000;
export const CONTEXT_AFTER_CHARS = 2000;

export interface EditorContext {
  fileName: string;
  languageId: string;
  before: string;
  selected: string;
  after: string;
}

/** A fence longer than any backtick run inside the text, so the text cannot close it early. */
export function fenceFor(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  return '`'.repeat(Math.max(3, longest + 1));
}

function fenced(text: string, languageId: string): string {
  const fence = fenceFor(text);
  return `${fence}${languageId}\n${text}\n${fence}`;
}

function clip(ctx: EditorContext): { before: string; after: string } {
  return { before: ctx.before.slice(-CONTEXT_BEFORE_CHARS), after: ctx.after.slice(0, CONTEXT_AFTER_CHARS) };
}

const REPLY_RULE =
  'Reply with exactly one fenced code block that contains only the code to put in the file, with the indentation it needs there. No explanation before or after it.';

export function generateMessages(ctx: EditorContext, instruction: string): ChatMessage[] {
  const { before, after } = clip(ctx);
  const system = [
    `You write code that is inserted at the cursor in the file \`${ctx.fileName}\` (language: ${ctx.languageId}).`,
    REPLY_RULE,
    'The code before the cursor:',
    fenced(before, ctx.languageId),
    'The code after the cursor:',
    fenced(after, ctx.languageId),
  ].join('\n\n');
  return [
    { role: 'system', content: system },
    { role: 'user', content: instruction },
  ];
}

export function editMessages(ctx: EditorContext, instruction: string): ChatMessage[] {
  const { before, after } = clip(ctx);
  const system = [
    `You rewrite the selected code in the file \`${ctx.fileName}\` (language: ${ctx.languageId}) as the user asks. Your code replaces the selection.`,
    REPLY_RULE,
    'The code before the selection:',
    fenced(before, ctx.languageId),
    'The selected code:',
    fenced(ctx.selected, ctx.languageId),
    'The code after the selection:',
    fenced(after, ctx.languageId),
  ].join('\n\n');
  return [
    { role: 'system', content: system },
    { role: 'user', content: instruction },
  ];
}

/** The chat question for Explain Selection. */
export function explainPrompt(fileName: string, languageId: string, code: string): string {
  return `Explain this code from \`${fileName}\` (${languageId}):\n\n${fenced(code, languageId)}`;
}
