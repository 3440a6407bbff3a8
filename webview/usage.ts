// Per-answer token usage: prompt, cached (automatic prefix cache or context cache) and completion,
// split into reasoning and answer when the server reports the reasoning part.
import type { UsageSummary } from '../src/chat/protocol';
import { h } from './dom';

export function usageText(u: UsageSummary): string {
  const n = (x: number) => x.toLocaleString('en-US');
  let text = `${n(u.prompt)} prompt · ${n(u.cached)} cached · ${n(u.completion)} completion tokens`;
  if (u.reasoning !== undefined && u.reasoning > 0) {
    text += ` (${n(u.reasoning)} reasoning, ${n(Math.max(0, u.completion - u.reasoning))} answer)`;
  }
  return text;
}

export function renderUsage(u: UsageSummary): HTMLElement {
  // Reasoning tokens are billed as output: they are part of the completion count.
  return h('div', { class: 'turn-usage', title: 'Tokens used by this answer' }, usageText(u));
}
