// POST /v1/tokenizers/estimate-token-count: counts prompt tokens without a billed completion.
import { InvokeError } from './errors';
import type { Http } from './http';
import type { ChatMessage, RequestOptions } from './types';

export async function countTokens(http: Http, model: string, messages: ChatMessage[], o: RequestOptions = {}): Promise<number> {
  const res = await http.json<{ data?: { total_tokens?: number }; total_tokens?: number }>({
    method: 'POST',
    path: '/tokenizers/estimate-token-count',
    body: { model, messages },
    // A count changes nothing and costs nothing: safe to send again like a GET.
    idempotent: true,
    signal: o.signal,
    timeoutMs: o.timeoutMs,
  });
  // Documented as {"data":{"total_tokens":N}}; a flat {"total_tokens":N} is accepted too.
  const n = res.data?.total_tokens ?? res.total_tokens;
  if (typeof n !== 'number') throw new InvokeError('The Kimi API answered the token count without a total_tokens number.');
  return n;
}
