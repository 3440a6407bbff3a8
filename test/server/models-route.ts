// GET /v1/models and GET /v1/models/{id}.
import type { JsonReply, RequestContext } from './context';
import { notFound } from './http';
import { findModel, modelNotFoundMessage, MODELS } from './models';

export function listModels(): JsonReply {
  return { body: { object: 'list', data: MODELS } };
}

export function getModel(ctx: RequestContext): JsonReply {
  const model = findModel(ctx.params[0]);
  if (!model) throw notFound(modelNotFoundMessage(ctx.params[0]));
  return { body: model };
}
