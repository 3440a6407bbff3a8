// The status bar's account balance: fetched through the real client from the test server, only when
// asked and at most once per max age (failures included), dropped for another account.
import * as assert from 'node:assert/strict';
import { AccountBalance, BALANCE_MAX_AGE_MS } from '../../../src/status/balance';
import { balanceText } from '../../../src/status/format';
import { clientFor, useServer } from '../kimi/helpers';

describe('status: account balance', () => {
  const ctx = useServer();
  let now = 0;
  let changes = 0;
  /** Calls of the client's getBalance (counted when made, so "none" needs no waiting). */
  let fetches = 0;
  const clock = { now: () => now };
  const balanceRequests = () => ctx.server.requests.filter((r) => r.path === '/v1/users/me/balance').length;

  function setup(): AccountBalance {
    now = 0;
    changes = 0;
    fetches = 0;
    const client = clientFor(ctx.server, { maxRetries: 0 });
    const fetch = (signal: AbortSignal) => {
      fetches++;
      return client.getBalance({ signal });
    };
    return new AccountBalance(fetch, () => changes++, BALANCE_MAX_AGE_MS, clock);
  }

  /** Read through a function: `assert.equal(balance.known, undefined)` would narrow the getter for good. */
  const available = (balance: AccountBalance) => balance.known?.available_balance;

  /** Resolves once onChange was called `n` times in all. */
  async function changed(n: number): Promise<void> {
    for (let i = 0; i < 500 && changes < n; i++) await new Promise((r) => setTimeout(r, 5));
    assert.equal(changes, n, 'onChange calls');
  }

  it('fetches nothing until asked, then once', async () => {
    const balance = setup();
    assert.equal(fetches, 0);
    assert.equal(balance.known, undefined);
    balance.refreshIfStale();
    balance.refreshIfStale(); // one fetch in flight is enough
    await changed(1);
    assert.equal(fetches, 1);
    assert.equal(balanceRequests(), 1);
    assert.equal(available(balance), ctx.server.state.balance.available_balance);
    balance.dispose();
  });

  it('asks again only after the max age', async () => {
    const balance = setup();
    balance.refreshIfStale();
    await changed(1);
    ctx.server.state.balance = { available_balance: 7.5, voucher_balance: 7.5, cash_balance: 0 };
    now += BALANCE_MAX_AGE_MS - 1;
    balance.refreshIfStale();
    assert.equal(fetches, 1);
    assert.notEqual(available(balance), 7.5);
    now += 1;
    balance.refreshIfStale();
    await changed(2);
    assert.equal(fetches, 2);
    assert.equal(balanceRequests(), 2);
    assert.equal(available(balance), 7.5);
    balance.dispose();
  });

  it('shows no figure after a failed fetch, and does not retry it before the max age', async () => {
    const balance = setup();
    balance.refreshIfStale();
    await changed(1);
    now += BALANCE_MAX_AGE_MS;
    ctx.server.fault({ kind: 'status', status: 500, times: 1 });
    balance.refreshIfStale();
    await changed(2);
    assert.equal(balance.known, undefined);
    balance.refreshIfStale();
    assert.equal(fetches, 2);
    assert.equal(balanceRequests(), 2);
    balance.dispose();
  });

  it('forgets the figure for another account and may ask at once', async () => {
    const balance = setup();
    balance.refreshIfStale();
    await changed(1);
    balance.forget();
    assert.equal(balance.known, undefined);
    balance.refreshIfStale();
    await changed(2);
    assert.equal(fetches, 2);
    assert.equal(available(balance), ctx.server.state.balance.available_balance);
    balance.dispose();
  });

  it('words the balance with the platform\'s unit', () => {
    assert.equal(balanceText({ available_balance: 49.58894 }, 'https://api.moonshot.cn/v1'), 'Available balance: 49.59 CNY');
    assert.equal(balanceText({ available_balance: 1234.5 }, 'https://api.moonshot.ai/v1'), 'Available balance: 1,234.50 USD');
    assert.equal(balanceText({ available_balance: 3 }, 'http://127.0.0.1:4000/v1'), 'Available balance: 3.00');
    assert.match(balanceText({ available_balance: 0 }, 'https://api.moonshot.cn/v1'), /^Available balance: 0\.00 CNY\. Requests are refused until you top up/);
  });
});
