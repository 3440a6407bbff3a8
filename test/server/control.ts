// /__mock/*: the same control tests get in-process, over HTTP for tests in other processes (no auth).
import type { JsonReply, RequestContext } from './context';
import type { Fault } from './faults';
import { faultProblem } from './faults';
import { invalidRequest } from './http';

export function addFault(ctx: RequestContext): JsonReply {
  const problem = faultProblem(ctx.body);
  if (problem) throw invalidRequest(problem);
  ctx.state.faults.add(ctx.body as Fault);
  return { body: { ok: true, pending: ctx.state.faults.pending() } };
}

export function reset(ctx: RequestContext): JsonReply {
  ctx.state.reset();
  return { body: { ok: true } };
}

export function requests(ctx: RequestContext): JsonReply {
  return { body: ctx.state.requests };
}

export function state(ctx: RequestContext): JsonReply {
  ctx.state.refreshAll();
  return {
    body: {
      caches: [...ctx.state.caches.values()],
      tags: [...ctx.state.tags.values()],
      faults: ctx.state.faults.pending(),
      requests: ctx.state.requests.length,
      balance: ctx.state.balance,
      options: { ...ctx.state.options, apiKeys: undefined },
    },
  };
}
