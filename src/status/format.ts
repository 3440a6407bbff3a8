// Pure text for the status-bar count (no vscode import).
import { formatContext, formatShare, plainTranslate, type Translate } from '../shared/format';
import type { Balance } from '../kimi';

/** "$(symbol-numeric) 1,234 tokens · 1% of 128K"; the share is left out when the window is unknown. */
export function statusText(tokens: number, contextLength: number | undefined, estimated: boolean, t: Translate = plainTranslate): string {
  const count = estimated ? `≈${tokens.toLocaleString('en-US')}` : tokens.toLocaleString('en-US');
  const head = tokens === 1 && !estimated ? t('{0} token', count) : t('{0} tokens', count);
  const share = contextLength ? ` · ${t('{0} of {1}', formatShare(tokens, contextLength), formatContext(contextLength))}` : '';
  return `$(symbol-numeric) ${head}${share}`;
}

/**
 * The tooltip's balance line. Its unit depends on the platform: CNY on moonshot.cn, USD on
 * moonshot.ai (the English and Chinese docs disagree, so the host decides); other hosts get no unit.
 */
export function balanceText(balance: Pick<Balance, 'available_balance'>, baseUrl: string, t: Translate = plainTranslate): string {
  const amount = balance.available_balance.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const unit = currencyOf(baseUrl);
  const shown = unit ? `${amount} ${unit}` : amount;
  return balance.available_balance > 0
    ? t('Available balance: {0}', shown)
    : t('Available balance: {0}. Requests are refused until you top up on the platform console.', shown);
}

function currencyOf(baseUrl: string): string | undefined {
  let host: string;
  try {
    host = new URL(baseUrl).hostname;
  } catch {
    return undefined;
  }
  if (/(^|\.)moonshot\.cn$/.test(host)) return 'CNY';
  if (/(^|\.)moonshot\.ai$/.test(host)) return 'USD';
  return undefined;
}
