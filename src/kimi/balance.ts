// GET /v1/users/me/balance, which (unlike the other endpoints) wraps its answer in {code,data,status}.
import { InvokeError } from './errors';
import type { Requests } from './requests';
import type { Balance, RequestOptions } from './types';

export async function getBalance(requests: Requests, o: RequestOptions = {}): Promise<Balance> {
  const res = await requests.json<{ code?: number; status?: boolean; data?: Balance; message?: string } & Partial<Balance>>({
    method: 'GET',
    path: '/users/me/balance',
    signal: o.signal,
    timeoutMs: o.timeoutMs,
  });
  if (res.data && typeof res.data.available_balance === 'number') return res.data;
  // Tolerate a server that answers unwrapped.
  if (typeof res.available_balance === 'number') {
    return { available_balance: res.available_balance, voucher_balance: res.voucher_balance ?? 0, cash_balance: res.cash_balance ?? 0 };
  }
  throw new InvokeError(`The Kimi API did not return a balance${res.message ? `: ${res.message}` : ''}.`);
}
