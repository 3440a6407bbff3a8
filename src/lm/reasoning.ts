// Reasoning kept on the provider's side. VS Code's stable API has no thinking part, so the Chat view
// sends earlier answers back as text and tool calls only; models that need their reasoning replayed
// (kimi-k3, kimi-k2.7-code, and every thinking model on tool-call turns) get it from here, found by
// what the answer said: its text and its tool calls, as VS Code hands them back.
import { createHash } from 'node:crypto';
import type { ChatMessage } from '../kimi/types';

/** Enough for many long agent sessions; the oldest turns go first. */
const DEFAULT_LIMIT = 2000;

/** The key of an assistant turn: its text (trimmed, as views may trim) and its calls' ids, names and arguments. */
export function turnKey(message: Pick<ChatMessage, 'content' | 'tool_calls'>): string {
  const text = typeof message.content === 'string' ? message.content : JSON.stringify(message.content ?? '');
  const hash = createHash('sha256').update(text.trim());
  for (const c of message.tool_calls ?? []) hash.update('\0').update(c.id).update('\0').update(c.function.name).update('\0').update(c.function.arguments);
  return hash.digest('base64');
}

export class ReasoningStore {
  readonly #turns = new Map<string, string>();

  constructor(private readonly limit = DEFAULT_LIMIT) {}

  get size(): number {
    return this.#turns.size;
  }

  /** Remembers the reasoning of an answer, keyed by the assistant message VS Code will send back. */
  remember(answer: Pick<ChatMessage, 'content' | 'tool_calls'>, reasoning: string): void {
    if (!reasoning) return;
    const key = turnKey(answer);
    this.#turns.delete(key);
    this.#turns.set(key, reasoning);
    if (this.#turns.size > this.limit) this.#turns.delete(this.#turns.keys().next().value as string);
  }

  /** Copies of the messages with each known assistant turn's reasoning_content put back. */
  restore(messages: readonly ChatMessage[]): ChatMessage[] {
    return messages.map((m) => {
      if (m.role !== 'assistant' || m.reasoning_content) return m;
      const reasoning = this.#turns.get(turnKey(m));
      return reasoning ? { ...m, reasoning_content: reasoning } : m;
    });
  }

  clear(): void {
    this.#turns.clear();
  }
}
