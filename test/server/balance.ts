// GET /v1/users/me/balance, in the wrapper shape this one endpoint uses.
import type { JsonReply, RequestContext } from './context';

export function getBalance(ctx: RequestContext): JsonReply {
  return { body: { code: 0, data: ctx.state.balance, scode: '0x0', status: true } };
}
