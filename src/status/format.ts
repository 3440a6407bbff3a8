// Pure text for the status-bar count (no vscode import).
import { plainTranslate, Translate } from '../caches/format';

/** 131072 → "128K"; small windows as plain numbers. */
export function formatContext(tokens: number): string {
  return tokens >= 1024 ? `${Math.round(tokens / 1024)}K` : tokens.toLocaleString('en-US');
}

/** Share of the context window: "1%", "<1%", "250%". */
export function formatShare(tokens: number, contextLength: number): string {
  const pct = (tokens / contextLength) * 100;
  if (tokens > 0 && pct < 0.5) return '<1%';
  return `${Math.round(pct)}%`;
}

/** "$(symbol-numeric) 1,234 tokens · 1% of 128K"; the share is left out when the window is unknown. */
export function statusText(tokens: number, contextLength: number | undefined, estimated: boolean, t: Translate = plainTranslate): string {
  const count = estimated ? `≈${tokens.toLocaleString('en-US')}` : tokens.toLocaleString('en-US');
  const head = tokens === 1 && !estimated ? t('{0} token', count) : t('{0} tokens', count);
  const share = contextLength ? ` · ${t('{0} of {1}', formatShare(tokens, contextLength), formatContext(contextLength))}` : '';
  return `$(symbol-numeric) ${head}${share}`;
}
