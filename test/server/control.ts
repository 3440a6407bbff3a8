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

/** `{"currentOnly": true}` lists only the 2026 models (older ids then answer 404); false lists all. */
export function setModels(ctx: RequestContext): JsonReply {
  const body = ctx.body as { currentOnly?: unknown } | undefined;
  if (typeof body?.currentOnly !== 'boolean') throw invalidRequest('send {"currentOnly": true|false}');
  ctx.state.currentModelsOnly = body.currentOnly;
  return { body: { ok: true, currentOnly: body.currentOnly } };
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
      currentModelsOnly: ctx.state.currentModelsOnly,
      options: { ...ctx.state.options, apiKeys: undefined },
    },
  };
}
