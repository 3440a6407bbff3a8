// Text shared by several features: token counts, context windows, and the translate function
// (vscode.l10n.t in the extension, plain substitution in unit tests). No vscode import.

/** vscode.l10n.t in the extension; a plain `{0}` substitution in tests. */
export type Translate = (message: string, ...args: Array<string | number>) => string;

export const plainTranslate: Translate = (message, ...args) => message.replace(/\{(\d+)\}/g, (m, i: string) => (args[Number(i)] !== undefined ? String(args[Number(i)]) : m));

export function formatTokens(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

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
