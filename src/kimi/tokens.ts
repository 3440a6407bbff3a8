// POST /v1/tokenizers/estimate-token-count: counts prompt tokens without a billed completion.
import { InvokeError } from './errors';
import type { Requests } from './requests';
import type { ChatMessage, RequestOptions } from './types';

const isEmpty = (m: ChatMessage): boolean =>
  (m.content === '' || (Array.isArray(m.content) && m.content.length === 0) || m.content == null) && !m.tool_calls?.length;

export async function countTokens(requests: Requests, model: string, messages: ChatMessage[], o: RequestOptions = {}): Promise<number> {
  // The endpoint refuses empty messages ("… must not be empty") like chat does; they add nothing to count.
  messages = messages.filter((m) => !isEmpty(m));
  if (messages.length === 0) return 0;
  const res = await requests.json<{ data?: { total_tokens?: number }; total_tokens?: number }>({
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
