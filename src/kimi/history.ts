// A conversation as one model's request needs it. The stored conversation keeps everything; what is
// sent differs per model:
// - reasoning_content goes back exactly as stored on every assistant message for preserved-thinking
//   models (kimi-k3, kimi-k2.7-code*), on assistant tool-call messages for every thinking model, and
//   nowhere for models that never think;
// - empty messages are dropped (the API rejects them) unless they carry tool calls.
// A preserved-thinking model rejects any assistant message without its reasoning (400). A history
// whose earlier answers have none (written by a model that does not think, or saved before reasoning
// was kept) is therefore folded: everything up to the last such answer becomes one user message
// quoting that part of the conversation, and the rest follows unchanged. Inventing reasoning would put
// words in the model's mouth; a user message (not system) keeps quoted model and tool output from
// gaining instruction rank. The fold is stable while the conversation continues, so prefix caching
// still hits.
import { thinksWith, type ThinkingPreference } from './chat-params';
import type { ModelFacts } from './model-facts';
import type { ChatMessage, ContentPart } from './types';

export interface HistoryOptions {
  /** The request's thinking preference (switchable models need reasoning back only while thinking). */
  thinking?: ThinkingPreference;
}

export const FOLDED_HISTORY_INTRO =
  'Earlier in this conversation (quoted here because those answers have no recorded reasoning):';

function isEmpty(content: ChatMessage['content'] | null | undefined): boolean {
  return content === undefined || content === null || content === '' || (Array.isArray(content) && content.length === 0);
}

const hasReasoning = (m: ChatMessage): boolean => typeof m.reasoning_content === 'string' && m.reasoning_content !== '';
const hasToolCalls = (m: ChatMessage): boolean => Array.isArray(m.tool_calls) && m.tool_calls.length > 0;

function textOf(content: ChatMessage['content'] | null | undefined): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((p: ContentPart) => (p.type === 'text' && typeof p.text === 'string' ? p.text : `[${p.type}]`)).join('');
}

function quote(m: ChatMessage): string {
  if (m.role === 'tool') return `Tool result${m.name ? ` (${m.name})` : ''}:\n${textOf(m.content)}`;
  const who = m.role === 'assistant' ? 'Assistant' : 'User';
  const parts: string[] = [];
  if (!isEmpty(m.content)) parts.push(`${who}:\n${textOf(m.content)}`);
  for (const call of m.tool_calls ?? []) parts.push(`${who} called the tool ${call.function.name} with ${call.function.arguments}`);
  return parts.join('\n\n');
}

export function messagesFor(facts: ModelFacts, messages: readonly ChatMessage[], options: HistoryOptions = {}): ChatMessage[] {
  const thinking = !facts.known || thinksWith(facts, options.thinking ?? 'auto');
  // Known non-thinking models do not take reasoning; unknown models keep it (the safe side).
  const keepOnToolCalls = !facts.known || facts.thinking !== 'none';
  const keepAll = facts.preservedThinking;
  const last = messages.length - 1;

  const out: ChatMessage[] = [];
  messages.forEach((m, i) => {
    if (isEmpty(m.content) && !hasToolCalls(m)) {
      // A tool result must stay (its call needs an answer); empty ones get a placeholder.
      if (m.role === 'tool') out.push({ ...m, content: '(no output)' });
      return;
    }
    const copy: ChatMessage = { ...m };
    const keep = m.role === 'assistant' && (keepAll || (keepOnToolCalls && hasToolCalls(m)));
    if (!keep) delete copy.reasoning_content;
    // The last partial message is the answer being continued, not history (see test/server rules).
    if (m.partial && i !== last) delete copy.partial;
    out.push(copy);
  });

  const required = (m: ChatMessage, i: number): boolean =>
    m.role === 'assistant' && !(m.partial && i === out.length - 1) && (keepAll || (thinking && hasToolCalls(m)));
  let fold = -1;
  out.forEach((m, i) => {
    if (required(m, i) && !hasReasoning(m)) fold = i;
  });
  if (fold < 0) return out;
  // The tool results that answer the folded message's calls go with it.
  while (fold + 1 < out.length && out[fold + 1]!.role === 'tool') fold++;

  const head = out.slice(0, fold + 1);
  const kept = head.filter((m, i) => (m.role === 'cache' && i === 0) || m.role === 'system');
  const quoted = head.filter((m, i) => !((m.role === 'cache' && i === 0) || m.role === 'system')).map(quote).filter(Boolean);
  const folded: ChatMessage[] = quoted.length ? [{ role: 'user', content: [FOLDED_HISTORY_INTRO, ...quoted].join('\n\n') }] : [];
  return [...kept, ...folded, ...out.slice(fold + 1)];
}
