// GET /v1/models and GET /v1/models/{id}.
import type { JsonReply, RequestContext } from './context';
import { notFound } from './http';
import { findModel, listedModels, modelNotFoundMessage } from './models';

export function listModels(ctx: RequestContext): JsonReply {
  return { body: { object: 'list', data: listedModels(ctx.state).map((m) => m.model) } };
}

export function getModel(ctx: RequestContext): JsonReply {
  const model = findModel(ctx.state, ctx.params[0]);
  if (!model) throw notFound(modelNotFoundMessage(ctx.params[0]));
  return { body: model };
}
