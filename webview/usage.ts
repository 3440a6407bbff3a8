// Per-answer token usage: prompt, cached (automatic prefix cache or context cache) and completion,
// split into reasoning and answer when the server reports the reasoning part.
import type { UsageSummary } from '../src/chat/protocol';
import { h } from './dom';
import { t } from './l10n';

export function usageText(u: UsageSummary): string {
  const n = (x: number) => x.toLocaleString('en-US');
  let text = t('{0} prompt · {1} cached · {2} completion tokens', n(u.prompt), n(u.cached), n(u.completion));
  if (u.reasoning !== undefined && u.reasoning > 0) {
    text += ' ' + t('({0} reasoning, {1} answer)', n(u.reasoning), n(Math.max(0, u.completion - u.reasoning)));
  }
  return text;
}

export function renderUsage(u: UsageSummary): HTMLElement {
  // Reasoning tokens are billed as output: they are part of the completion count.
  return h('div', { class: 'turn-usage', title: t('Tokens used by this answer') }, usageText(u));
}
