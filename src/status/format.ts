// Pure text for the status-bar count (no vscode import).
import { formatContext, formatShare, plainTranslate, type Translate } from '../shared/format';

/** "$(symbol-numeric) 1,234 tokens · 1% of 128K"; the share is left out when the window is unknown. */
export function statusText(tokens: number, contextLength: number | undefined, estimated: boolean, t: Translate = plainTranslate): string {
  const count = estimated ? `≈${tokens.toLocaleString('en-US')}` : tokens.toLocaleString('en-US');
  const head = tokens === 1 && !estimated ? t('{0} token', count) : t('{0} tokens', count);
  const share = contextLength ? ` · ${t('{0} of {1}', formatShare(tokens, contextLength), formatContext(contextLength))}` : '';
  return `$(symbol-numeric) ${head}${share}`;
}
